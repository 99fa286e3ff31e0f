package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"shenbao/internal/testpdf"
	"strings"
	"testing"
	"time"

	"shenbao/api"
	"shenbao/doc"
	"shenbao/extract"
	"shenbao/intake"
	"shenbao/storage/bolt"
	"shenbao/storage/localdisk"
)

// startHTTP serves h as the service does (newHTTPServer) on 127.0.0.1, with the body rate given.
func startHTTP(t *testing.T, h http.Handler, minBytes int64, window time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := newHTTPServer(h, minBytes, window)
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return ln.Addr().String()
}

// trickle sends a request's head and then its body a few bytes at a time, every, until the body is
// sent or the server stops taking it; it returns the response the server sent, if any, and how long
// after the head the exchange ended.
func trickle(t *testing.T, addr, head string, body []byte, chunk int, every time.Duration) (*http.Response, time.Duration) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for len(body) > 0 {
		n := min(chunk, len(body))
		if _, err := conn.Write(body[:n]); err != nil {
			break // the server closed the connection
		}
		body = body[n:]
		time.Sleep(every)
		if time.Since(start) > 20*time.Second {
			t.Fatal("the server took a trickled body for 20 s")
		}
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil, time.Since(start)
	}
	res.Body.Close()
	return res, time.Since(start)
}

// A body that trickles in (a byte every 100 ms, less than 32 bytes in 500 ms) is cut off after about
// a window; the handler's read fails with the deadline.
func TestTrickledBodyCutOff(t *testing.T) {
	readErr := make(chan error, 1)
	addr := startHTTP(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.Copy(io.Discard, r.Body)
		readErr <- err
		if err != nil {
			http.Error(w, "cut off", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusOK)
	}), 32, 500*time.Millisecond)

	body := bytes.Repeat([]byte("x"), 400)
	head := fmt.Sprintf("POST /upload HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n", addr, len(body))
	res, took := trickle(t, addr, head, body, 1, 100*time.Millisecond)
	select {
	case err := <-readErr:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("the handler's read ended with %v; want the deadline exceeded", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the handler was still reading 5 s after the body began")
	}
	if res != nil && res.StatusCode == http.StatusOK {
		t.Errorf("trickled body answered %d; want it refused", res.StatusCode)
	}
	// Sending all 400 bytes would take 40 s: the server must have stopped it after about a window.
	if took > 5*time.Second {
		t.Errorf("a trickled body was taken for %s; want it cut off after about 500 ms", took)
	}
}

// A body that comes slowly but steadily (200 bytes in every 500 ms window, for 2 s) is taken whole,
// and what the handler does after reading it is not bound by the deadline: its context stays alive
// longer than a window.
func TestSlowSteadyBodyTaken(t *testing.T) {
	addr := startHTTP(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		select {
		case <-r.Context().Done():
			http.Error(w, "context ended after the body: "+context.Cause(r.Context()).Error(), http.StatusInternalServerError)
			return
		case <-time.After(1200 * time.Millisecond): // storing the upload, say
		}
		fmt.Fprintf(w, "%d", n)
	}), 32, 500*time.Millisecond)

	body := bytes.Repeat([]byte("y"), 800)
	head := fmt.Sprintf("POST /upload HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n", addr, len(body))
	res, _ := trickle(t, addr, head, body, 40, 100*time.Millisecond)
	if res == nil || res.StatusCode != http.StatusOK {
		t.Fatalf("slow steady body: got %v; want 200", res)
	}
}

// The service's own upload endpoint, behind newHTTPServer: a trickled upload is refused, nothing is
// left in the spool directory, and an upload at an ordinary pace still works.
func TestTrickledUploadRefused(t *testing.T) {
	dir := t.TempDir()
	blobs, err := localdisk.New(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := bolt.Open(filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close(context.Background()) })
	spoolDir := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(spoolDir, 0o700); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	svc := intake.NewService(blobs, store, nil, log, time.Now, intake.Config{TempDir: spoolDir})
	ctx := context.Background()
	u, err := svc.AddUser(ctx, intake.System, intake.NewUser{Login: "applicant", Name: "申报单位", Role: intake.RoleApplicant, Password: "password 12345"})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := svc.CreateToken(ctx, u.Principal(), "测试", 0)
	if err != nil {
		t.Fatal(err)
	}
	app, err := svc.CreateApplication(ctx, u.Principal(), intake.NewApplication{OrgName: "西藏某某科技有限公司", Region: "拉萨市"})
	if err != nil {
		t.Fatal(err)
	}
	addr := startHTTP(t, api.New(svc, log, api.Config{}), 64, 500*time.Millisecond)

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "营业执照.png")
	fw.Write([]byte("\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 2000)))
	mw.Close()
	head := fmt.Sprintf("POST /api/v1/applications/%s/documents HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: %s\r\nContent-Length: %d\r\n\r\n", app.ID, addr, token, mw.FormDataContentType(), body.Len())

	res, took := trickle(t, addr, head, body.Bytes(), 2, 100*time.Millisecond)
	if res != nil && res.StatusCode < 400 {
		t.Errorf("trickled upload answered %d; want it refused", res.StatusCode)
	}
	if took > 5*time.Second {
		t.Errorf("a trickled upload was taken for %s; want it cut off after about 500 ms", took)
	}
	if left, _ := os.ReadDir(spoolDir); len(left) != 0 {
		t.Errorf("the refused upload left %d files in the spool directory", len(left))
	}
	if docs, _ := svc.Documents(ctx, u.Principal(), app.ID); len(docs) != 0 {
		t.Errorf("the refused upload stored %d documents", len(docs))
	}

	res, _ = trickle(t, addr, head, body.Bytes(), 1024, 10*time.Millisecond)
	if res == nil || res.StatusCode != http.StatusCreated {
		t.Errorf("upload at an ordinary pace: got %v; want it stored", res)
	}
}

// minimalPDF is a well-formed PDF of n empty A4 pages, with a correct cross-reference table.
func minimalPDF(n int) []byte {
	kids := make([]string, n)
	for i := range n {
		kids[i] = fmt.Sprintf("%d 0 R", 3+i)
	}
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n)}
	for range n {
		objs = append(objs, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>")
	}
	return testpdf.Assemble(objs...)
}

// An upload is a PDF by its structure, as the real reader parses it in a worker process: a PDF
// behind a few bytes of junk is taken, a %PDF- header with no PDF behind it, or behind markup, is not.
func TestUploadTypedByStructure(t *testing.T) {
	dir := t.TempDir()
	blobs, err := localdisk.New(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := bolt.Open(filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close(context.Background()) })
	log := slog.New(slog.DiscardHandler)
	c := defaultConfig()
	c.Workers, c.OCREngine = 1, "tesseract"
	pool, err := newPool(c, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	svc := intake.NewService(blobs, store, pool, log, time.Now, intake.Config{TempDir: dir})
	ctx := context.Background()
	u, err := svc.AddUser(ctx, intake.System, intake.NewUser{Login: "applicant", Name: "申报单位", Role: intake.RoleApplicant, Password: "password 12345"})
	if err != nil {
		t.Fatal(err)
	}
	app, err := svc.CreateApplication(ctx, u.Principal(), intake.NewApplication{OrgName: "西藏某某科技有限公司", Region: "拉萨市"})
	if err != nil {
		t.Fatal(err)
	}
	pdf := string(minimalPDF(2))
	for _, tc := range []struct {
		name, content, want string
	}{
		{"pdf", pdf, intake.TypePDF},
		{"pdf behind junk", "\x00\x01mail gateway junk\r\n" + pdf, intake.TypePDF},
		{"%PDF- behind junk, no pdf", "\x00\x00garbage\n%PDF-1.4\n1 0 obj << /Type /Catalog >>\nendobj\n", ""},
		{"html, %PDF- in a comment", "<!DOCTYPE html><!-- %PDF-1.4 --><script>alert(1)</script>", ""},
		{"html before a whole pdf", "<html><script>alert(1)</script><!--\n" + pdf + "\n--></html>", ""},
	} {
		d, _, err := svc.Upload(ctx, u.Principal(), app.ID, "x.html", strings.NewReader(tc.content))
		switch {
		case tc.want == "" && !errors.Is(err, intake.ErrUnsupported):
			t.Errorf("%s: got %v; want it refused as unsupported", tc.name, err)
		case tc.want != "" && (err != nil || d.ContentType != tc.want):
			t.Errorf("%s: got %+v, %v; want a %s", tc.name, d, err, tc.want)
		case tc.want != "" && intake.DownloadName(d.FileName, d.ContentType) != "x.pdf":
			t.Errorf("%s: downloads as %q; want x.pdf", tc.name, intake.DownloadName(d.FileName, d.ContentType))
		}
	}
}

// The program as it runs: a failed document is counted by cause on /metrics, which the Service and the
// API share; requests are counted by route template; JSON is sent with nosniff; nothing of the
// application shows on /metrics.
func TestServeOperations(t *testing.T) {
	env := map[string]string{"SHENBAO_DATA_DIR": t.TempDir(), "SHENBAO_WORKERS": "1", "SHENBAO_OCR_ENGINE": "tesseract"}
	addUsers(t, env)
	base := startServer(t, env)

	resp, err := http.Get(base + "/api/v1/applications")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("GET /api/v1/applications signed out: %d, X-Content-Type-Options %q; want 401 with nosniff", resp.StatusCode, resp.Header.Get("X-Content-Type-Options"))
	}

	ac := login(t, base, "tianlu", password)
	var app struct{ ID string }
	ac.do(t, "POST", base+"/api/v1/applications", map[string]any{"org_name": "西藏测试服务有限公司", "region": "拉萨市", "year": time.Now().Year()}, http.StatusCreated, &app)
	truncated := append([]byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"), bytes.Repeat([]byte{0x42}, 300)...)
	if status, out := ac.upload(t, base+"/api/v1/applications/"+app.ID+"/documents", uploadFile{"营业执照.jpg", truncated}); status != http.StatusCreated {
		t.Fatalf("upload: %d %v", status, out)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var docs struct{ Items []docJSON }
		ac.do(t, "GET", base+"/api/v1/applications/"+app.ID+"/documents", nil, http.StatusOK, &docs)
		if len(docs.Items) == 1 && docs.Items[0].Status == "failed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the truncated JPEG is not failed after 2 minutes: %+v", docs.Items)
		}
		time.Sleep(200 * time.Millisecond)
	}

	resp, err = http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	body := string(b)
	for _, want := range []string{
		`shenbao_document_failures_total{cause="file"} 1`,
		`shenbao_documents{status="failed"} 1`,
		`shenbao_documents{status="received"} 0`,
		`shenbao_applications{state="draft"} 1`,
		`shenbao_http_request_duration_seconds_count{code="201",method="POST",route="/api/v1/applications/:id/documents"} 1`,
		`shenbao_http_request_duration_seconds_count{code="401",method="GET",route="/api/v1/applications"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, secret := range []string{app.ID, "西藏测试", "tianlu", "营业执照"} {
		if strings.Contains(body, secret) {
			t.Errorf("/metrics carries %q", secret)
		}
	}
}

// countingReader is a Recognizer and a PageCounter for readFile: a file with a trailer has one page.
type countingReader struct{ counted int }

func (r *countingReader) CountPages(ctx context.Context, path, contentType string) (int, error) {
	r.counted++
	b, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(b, []byte("trailer")) {
		return 0, errors.New("pdf: not a pdf")
	}
	return 1, nil
}

func (r *countingReader) Recognize(ctx context.Context, path, contentType string) ([]doc.Page, error) {
	return []doc.Page{{Number: 1}}, nil
}

// The offline commands (extract, check) type a file as uploads are typed: a PDF behind junk only when
// the reader parses it.
func TestReadFileTypedByStructure(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, content, want string
	}{
		{"pdf behind junk", "\x00junk\n" + string(minimalPDF(1)), intake.TypePDF},
		{"%PDF- behind junk, no pdf", "\x00junk\n%PDF-1.4 nothing more", ""},
	} {
		path := filepath.Join(dir, "f.pdf")
		if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
			t.Fatal(err)
		}
		rec := &countingReader{}
		r := readFile(context.Background(), rec, path, extract.Options{})
		if r.contentType != tc.want || (tc.want == "") != (r.err != nil) || rec.counted != 1 {
			t.Errorf("%s: type %q, error %v, counted %d times; want %q, an error only if not a PDF, counted once", tc.name, r.contentType, r.err, rec.counted, tc.want)
		}
	}
}
