package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"shenbao/internal/bagit"
	"strings"
	"sync"
	"testing"
	"time"

	pdfapi "github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"shenbao/internal/testreq"
)

// The test binary is also the program's OCR worker: the service starts os.Executable() ocr-worker;
// and the program itself when a test starts it as a process of its own (runMainEnv).
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == workerCommand {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	if os.Getenv(runMainEnv) == "1" {
		main()
	}
	os.Exit(m.Run())
}

// startServer runs the real program (`serve`) on 127.0.0.1:0 with env set, and returns its base URL.
func startServer(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	logs := &syncWriter{w: &bytes.Buffer{}}
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), pw, logs)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited with %d", code)
			}
		case <-time.After(60 * time.Second):
			t.Error("serve did not stop within 60 s of being told to")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("server did not start: %v\n%s", err, logs.String())
	}
	go io.Copy(io.Discard, pr)
	return strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
}

type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func corpusPath(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "shared", "corpus", "dev", rel)
	if _, err := os.Stat(p); err != nil {
		testreq.Skip(t, "corpus not found (%v)", err)
	}
	return p
}

// client is a signed-in browser: a cookie jar and the session's CSRF token.
type client struct {
	http *http.Client
	csrf string
}

var anonymous = &client{http: http.DefaultClient}

// login signs in over the API as a browser does.
func login(t *testing.T, base, login, password string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{http: &http.Client{Jar: jar}}
	var s struct {
		CSRF string `json:"csrf_token"`
	}
	c.do(t, "POST", base+"/api/v1/session", map[string]string{"login": login, "password": password}, http.StatusOK, &s)
	c.csrf = s.CSRF
	return c
}

func doJSON(t *testing.T, method, url string, body any, want int, out any) {
	t.Helper()
	anonymous.do(t, method, url, body, want, out)
}

func (c *client) do(t *testing.T, method, url string, body any, want int, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: got %d %s; want %d", method, url, resp.StatusCode, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, url, err, b)
		}
	}
}

type uploadFile struct {
	name string
	data []byte
}

func (c *client) upload(t *testing.T, url string, files ...uploadFile) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range files {
		w, _ := mw.CreateFormFile("files", f.name)
		w.Write(f.data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", url, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("upload: %v in %s", err, b)
	}
	return resp.StatusCode, out
}

type docJSON struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Reason   string `json:"reason"`
	Kind     string `json:"kind"`
	FileName string `json:"file_name"`
	Fields   map[string]struct {
		Value      any     `json:"value"`
		Confidence float64 `json:"confidence"`
		Page       int     `json:"page"`
		BBox       [4]int  `json:"bbox"`
	} `json:"fields"`
}

// endToEnd drives one application through the running service: a scanned business licence is
// uploaded, read, classified and checked; bad uploads are refused with nothing stored.
func endToEnd(t *testing.T, base string) {
	doJSON(t, "GET", base+"/api/v1/applications", nil, http.StatusUnauthorized, nil)
	ac := login(t, base, "tianlu", password)
	var app struct{ ID string }
	ac.do(t, "POST", base+"/api/v1/applications", map[string]any{
		"org_name": "西藏测试服务有限公司", "region": "拉萨市", "year": 2026, "functions": []string{"training"},
	}, http.StatusCreated, &app)

	licence, err := os.ReadFile(corpusPath(t, "app04_nyingchi/营业执照副本.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	status, out := ac.upload(t, base+"/api/v1/applications/"+app.ID+"/documents", uploadFile{"扫描件001.jpg", licence})
	if status != http.StatusCreated {
		t.Fatalf("upload: got %d %v; want 201", status, out)
	}

	// The same file again is a duplicate, not a second document.
	status, out = ac.upload(t, base+"/api/v1/applications/"+app.ID+"/documents", uploadFile{"again.jpg", licence})
	files := out["files"].([]any)
	if status != http.StatusCreated || files[0].(map[string]any)["duplicate"] != true {
		t.Errorf("second upload of the same file: got %d %v; want 201 with duplicate", status, out)
	}

	// Refused uploads: each a clear 4xx with a code and a Chinese message.
	for _, tc := range []struct {
		name, code string
		data       []byte
		status     int
	}{
		{"readme.txt", "unsupported_type", []byte("just some text, not a scan"), http.StatusUnsupportedMediaType},
		{"empty.pdf", "empty_file", nil, http.StatusBadRequest},
		{"huge.pdf", "file_too_large", append([]byte("%PDF-1.4\n"), make([]byte, 2<<20)...), http.StatusRequestEntityTooLarge},
	} {
		status, out := ac.upload(t, base+"/api/v1/applications/"+app.ID+"/documents", uploadFile{tc.name, tc.data})
		f := out["files"].([]any)[0].(map[string]any)
		e, _ := f["error"].(map[string]any)
		if status != tc.status || e == nil || e["code"] != tc.code || e["message"] == "" {
			t.Errorf("upload %s: got %d %v; want %d with code %s", tc.name, status, out, tc.status, tc.code)
		}
	}

	var docs struct{ Items []docJSON }
	deadline := time.Now().Add(3 * time.Minute)
	for {
		ac.do(t, "GET", base+"/api/v1/applications/"+app.ID+"/documents", nil, http.StatusOK, &docs)
		if len(docs.Items) != 1 {
			t.Fatalf("got %d documents; want 1 (refused and duplicate uploads store nothing)", len(docs.Items))
		}
		if s := docs.Items[0].Status; s == "done" || s == "failed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("document still %s after 3 minutes", docs.Items[0].Status)
		}
		time.Sleep(500 * time.Millisecond)
	}
	d := docs.Items[0]
	if d.Status != "done" || d.Kind != "business_licence" {
		t.Fatalf("document: status %s (%s), kind %q; want done, business_licence", d.Status, d.Reason, d.Kind)
	}
	for _, name := range []string{"org_name", "credit_code", "established_date"} {
		f, ok := d.Fields[name]
		if !ok {
			t.Errorf("field %s missing; got %v", name, d.Fields)
			continue
		}
		if f.Page != 1 || f.BBox[2] <= f.BBox[0] || f.BBox[3] <= f.BBox[1] || f.Confidence <= 0 {
			t.Errorf("field %s: page %d box %v confidence %v; want page 1, a box, a confidence", name, f.Page, f.BBox, f.Confidence)
		}
	}

	var pages struct {
		Items []struct {
			Text  string
			Lines []struct{ Words []struct{ BBox [4]int } }
		}
	}
	ac.do(t, "GET", base+"/api/v1/documents/"+d.ID+"/pages", nil, http.StatusOK, &pages)
	if len(pages.Items) != 1 || len(pages.Items[0].Lines) == 0 {
		t.Errorf("pages: got %d pages; want 1 with lines", len(pages.Items))
	}

	resp, err := ac.http.Get(base + "/api/v1/documents/" + d.ID + "/original")
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(orig, licence) {
		t.Errorf("original: got %d bytes; want the %d uploaded, unchanged", len(orig), len(licence))
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("original headers: %v; want attachment and nosniff", resp.Header)
	}

	var report struct {
		Items []struct {
			Number  int
			Present bool
		}
		Score struct {
			ItemsPresent []int `json:"items_present"`
		}
	}
	ac.do(t, "GET", base+"/api/v1/applications/"+app.ID+"/checklist", nil, http.StatusOK, &report)
	if fmt.Sprint(report.Score.ItemsPresent) != "[2]" {
		t.Errorf("checklist items present: got %v; want [2]", report.Score.ItemsPresent)
	}

	ac.do(t, "GET", base+"/api/v1/applications/nope/checklist", nil, http.StatusNotFound, nil)
	doJSON(t, "GET", base+"/readyz", nil, http.StatusOK, nil)
	cycle(t, base, ac, app.ID)
}

// cycle walks the application on from draft to recognised over the API, each role signed in as a
// browser, moving the service's clock: submitted 2026-09-10, 公示 from 2026-09-24 for 7 working days
// (ending on the 调休 Saturday 2026-10-10 after 中秋 and 国庆), granted 2026-10-12.
func cycle(t *testing.T, base string, ac *client, id string) {
	api := base + "/api/v1/applications/" + id
	staff := login(t, base, "zhuoma", password)
	staff.do(t, "POST", base+"/api/v1/rounds", map[string]any{"year": 2026, "opens": "2026-09-01", "closes": "2026-09-30", "notice": "藏经信发〔2026〕8号"}, http.StatusCreated, nil)

	var report struct {
		AsOf     string `json:"as_of"`
		Warnings []struct{ Code, Severity string }
	}
	ac.do(t, "GET", api+"/checklist", nil, http.StatusOK, &report)
	ac.do(t, "POST", api+"/submit", map[string]any{}, http.StatusConflict, nil)
	var acks []map[string]string
	for _, w := range report.Warnings {
		if w.Severity == "blocking" {
			acks = append(acks, map[string]string{"code": w.Code, "reason": "其余材料另行补充"})
		}
	}
	type appJSON struct {
		State string
		Cycle struct {
			Publicity   struct{ Start, End string }
			Recognition struct {
				CertificateNo string `json:"certificate_no"`
				ValidUntil    string `json:"valid_until"`
			}
		}
	}
	var a appJSON
	ac.do(t, "POST", api+"/submit", map[string]any{"acknowledgements": acks}, http.StatusOK, &a)
	if a.State != "submitted" {
		t.Fatalf("after submit: %s", a.State)
	}
	setClock(time.Date(2026, 9, 12, 10, 0, 0, 0, time.UTC))
	ac.do(t, "GET", api+"/checklist", nil, http.StatusUnauthorized, nil) // idle for two days
	ac = login(t, base, "tianlu", password)
	staff = login(t, base, "zhuoma", password)
	rec := login(t, base, "lasa", password)
	expert := login(t, base, "ciren", password)
	far := login(t, base, "ali", password)
	ac.do(t, "GET", api+"/checklist", nil, http.StatusOK, &report)
	if !strings.HasPrefix(report.AsOf, "2026-09-10") {
		t.Errorf("checklist as of %s two days after submitting; want the submission date 2026-09-10", report.AsOf)
	}
	far.do(t, "GET", api, nil, http.StatusNotFound, nil)
	ac.do(t, "POST", api+"/recommend", map[string]any{"opinion": "同意", "operation": "优秀", "performance": "良好", "satisfaction": "优秀"}, http.StatusForbidden, nil)

	form, err := os.ReadFile(corpusPath(t, "app01_lhasa/00_推荐表.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if status, out := rec.upload(t, api+"/documents", uploadFile{"推荐表.jpg", form}); status != http.StatusCreated {
		t.Fatalf("recommender uploading the 推荐表: %d %v", status, out)
	}
	deadline := time.Now().Add(3 * time.Minute)
	for {
		var docs struct{ Items []docJSON }
		rec.do(t, "GET", api+"/documents", nil, http.StatusOK, &docs)
		busy := false
		for _, d := range docs.Items {
			busy = busy || d.Status == "received" || d.Status == "processing"
		}
		if !busy {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("推荐表 not read within 3 minutes")
		}
		time.Sleep(500 * time.Millisecond)
	}
	rec.do(t, "POST", api+"/recommend", map[string]any{"opinion": "经测评，同意推荐。", "operation": "优秀", "performance": "良好", "satisfaction": "优秀"}, http.StatusOK, &a)

	var users struct {
		Items []struct{ ID, Login string }
	}
	staff.do(t, "GET", base+"/api/v1/users?limit=200", nil, http.StatusOK, &users)
	expertID := ""
	for _, u := range users.Items {
		if u.Login == "ciren" {
			expertID = u.ID
		}
	}
	expert.do(t, "GET", api, nil, http.StatusNotFound, nil)
	staff.do(t, "POST", api+"/experts", map[string]any{"experts": []string{expertID}}, http.StatusOK, &a)
	expert.do(t, "POST", api+"/conclusion", map[string]any{"score": 85, "conclusion": "pass", "comment": "符合认定条件"}, http.StatusOK, &a)
	if a.State != "reviewed" {
		t.Fatalf("after the only expert concluded: %s", a.State)
	}
	staff.do(t, "POST", api+"/decision", map[string]any{"outcome": "pass", "publicity_start": "2026-09-24"}, http.StatusOK, &a)
	if a.State != "publicized" || a.Cycle.Publicity.End != "2026-10-10" {
		t.Errorf("公示 from 2026-09-24: %s, ends %q; want publicized, ending 2026-10-10", a.State, a.Cycle.Publicity.End)
	}
	setClock(time.Date(2026, 10, 10, 10, 0, 0, 0, time.UTC))
	staff = login(t, base, "zhuoma", password)
	staff.do(t, "POST", api+"/grant", map[string]any{"certificate_no": "XZSME-2026-001"}, http.StatusConflict, nil)
	setClock(time.Date(2026, 10, 12, 10, 0, 0, 0, time.UTC))
	staff = login(t, base, "zhuoma", password)
	ac = login(t, base, "tianlu", password)
	staff.do(t, "POST", api+"/grant", map[string]any{"certificate_no": "XZSME-2026-001"}, http.StatusOK, &a)
	if a.State != "recognised" || a.Cycle.Recognition.ValidUntil != "2029-10-11" {
		t.Errorf("granted 2026-10-12: %s valid until %q; want recognised until 2029-10-11", a.State, a.Cycle.Recognition.ValidUntil)
	}
	// The recognition archived the application: the package downloads and is a valid bag.
	resp, err := staff.http.Get(api + "/package?day=2026-10-12")
	if err != nil {
		t.Fatal(err)
	}
	bag, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if rep, err := bagit.Validate(bytes.NewReader(bag)); resp.StatusCode != http.StatusOK || err != nil || !rep.Valid() || rep.PayloadFiles != 7 {
		t.Errorf("package: %d, %v, %+v; want a valid bag of the 2 originals, 4 records and the 汇编", resp.StatusCode, err, rep)
	}
	// The 材料汇编: a valid PDF of a cover and the two documents' pages, with a bookmark per item.
	resp, err = ac.http.Get(api + "/compilation")
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("compilation: %d, %d bytes; want a PDF", resp.StatusCode, len(pdf))
	}
	pctx, err := pdfapi.ReadValidateAndOptimize(bytes.NewReader(pdf), model.NewDefaultConfiguration())
	if err != nil {
		t.Fatalf("compilation does not validate: %v", err)
	}
	if pctx.PageCount < 3 {
		t.Errorf("compilation has %d pages; want a cover and the two documents' pages", pctx.PageCount)
	}
	var evs struct {
		Items []struct{ Action, From, To string }
	}
	ac.do(t, "GET", api+"/events?limit=200", nil, http.StatusOK, &evs)
	var trail []string
	for i := len(evs.Items) - 1; i >= 0; i-- {
		if e := evs.Items[i]; e.From != e.To {
			trail = append(trail, e.To)
		}
	}
	if got, want := strings.Join(trail, " "), "draft submitted recommended under_review reviewed publicized recognised"; got != want {
		t.Errorf("transitions %q; want %q", got, want)
	}
}

const password = "e2e password 2026"

// addUsers makes the accounts of the cycle with `shenbao user add`, before the server opens the stores.
func addUsers(t *testing.T, env map[string]string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	for _, u := range [][]string{
		{"tianlu", "西藏测试服务有限公司", "applicant", ""}, {"lasa", "拉萨市经济和信息化局", "recommender", "拉萨市"},
		{"ali", "阿里地区经济和信息化局", "recommender", "阿里地区"}, {"ciren", "次仁", "expert", ""}, {"zhuoma", "卓玛", "staff", ""},
	} {
		var out, errb bytes.Buffer
		args := []string{"add", "--login", u[0], "--name", u[1], "--role", u[2], "--region", u[3], "--password-stdin"}
		if code := cmdUser(context.Background(), args, strings.NewReader(password+"\n"), &out, &errb); code != 0 {
			t.Fatalf("user add %s: %d %s", u[0], code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := cmdUser(context.Background(), []string{"add", "--login", "nopass", "--name", "x", "--role", "staff"}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "password: ") {
		t.Errorf("user add without a password: %d %q; want a generated password shown once", code, out.String())
	}
}

// setClock sets the service's clock (clock.go) to t, running on from there.
func setClock(t time.Time) {
	set := time.Now()
	setClockFunc(func() time.Time { return t.Add(time.Since(set)) })
}

func TestEndToEndEmbedded(t *testing.T) {
	env := map[string]string{"SHENBAO_DATA_DIR": t.TempDir(), "SHENBAO_MAX_FILE_MB": "1"}
	// A spool file left by a crash is removed at start.
	left := filepath.Join(env["SHENBAO_DATA_DIR"], "tmp", "upload-123")
	os.MkdirAll(filepath.Dir(left), 0o750)
	os.WriteFile(left, []byte("half an upload"), 0o600)
	t.Cleanup(func() {
		if _, err := os.Stat(left); err == nil {
			t.Error("the spool file left by a crash is still there")
		}
	})
	setClock(time.Date(2026, 9, 10, 10, 0, 0, 0, time.UTC))
	t.Cleanup(func() { setClockFunc(time.Now) })
	addUsers(t, env)
	endToEnd(t, startServer(t, env))
}

func TestEndToEndMinioFerretDB(t *testing.T) {
	endpoint, uri := os.Getenv("SHENBAO_TEST_MINIO_ENDPOINT"), os.Getenv("SHENBAO_TEST_MONGO_URI")
	if endpoint == "" || uri == "" {
		testreq.Skip(t, "no test servers: SHENBAO_TEST_MINIO_ENDPOINT and SHENBAO_TEST_MONGO_URI unset (scripts/testservers.sh start)")
	}
	suffix := fmt.Sprintf("%d", time.Now().UnixNano())
	t.Cleanup(func() {
		// The recognised application's originals and the log's anchor are under COMPLIANCE
		// retention: not even the test's own cleanup, bypassing governance, can remove them.
		retained := dropTestServerState(t, endpoint, uri, "e2e-"+suffix, "e2e_"+suffix)
		originals, anchors := 0, 0
		for _, k := range retained {
			switch {
			case strings.HasPrefix(k, "originals/"):
				originals++
			case strings.HasPrefix(k, "audit/heads/"):
				anchors++
			}
		}
		if originals < 2 || anchors < 1 {
			t.Errorf("retained after the test: %v; want the recognised application's originals (2) and an anchor", retained)
		}
	})
	env := map[string]string{
		"SHENBAO_DATA_DIR":         t.TempDir(),
		"SHENBAO_MAX_FILE_MB":      "1",
		"SHENBAO_MINIO_ENDPOINT":   endpoint,
		"SHENBAO_MINIO_ACCESS_KEY": os.Getenv("SHENBAO_TEST_MINIO_ACCESS_KEY"),
		"SHENBAO_MINIO_SECRET_KEY": os.Getenv("SHENBAO_TEST_MINIO_SECRET_KEY"),
		"SHENBAO_MINIO_BUCKET":     "e2e-" + suffix,
		"SHENBAO_MONGO_URI":        uri,
		"SHENBAO_MONGO_DB":         "e2e_" + suffix,
	}
	setClock(time.Date(2026, 9, 10, 10, 0, 0, 0, time.UTC))
	t.Cleanup(func() { setClockFunc(time.Now) })
	addUsers(t, env)
	endToEnd(t, startServer(t, env))
	// The archive verifies while the service runs (MongoDB is shared): the log's chain through every
	// action of the cycle, and every original in MinIO.
	var out, errb bytes.Buffer
	if code := cmdVerify(context.Background(), []string{"--json"}, &out, &errb); code != 0 {
		t.Fatalf("verify: exit %d: %s %s", code, out.String(), errb.String())
	}
	var rep struct {
		OK        bool
		Events    int
		Originals int
	}
	json.Unmarshal(out.Bytes(), &rep)
	if !rep.OK || rep.Events < 20 || rep.Originals < 2 {
		t.Errorf("verify: %s; want ok with the cycle's events and the originals", out.String())
	}
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.String()
}

// dropTestServerState removes the test's bucket (every version) and database once the server stopped.
// Objects under COMPLIANCE retention cannot be removed, by anyone: it returns their keys, and then
// leaves the bucket (the test servers' data is thrown away with them).
func dropTestServerState(t *testing.T, endpoint, uri, bucket, db string) (retained []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	mc, err := minio.New(endpoint, &minio.Options{Creds: credentials.NewStaticV4(os.Getenv("SHENBAO_TEST_MINIO_ACCESS_KEY"), os.Getenv("SHENBAO_TEST_MINIO_SECRET_KEY"), "")})
	if err != nil {
		t.Errorf("minio client: %v", err)
		return
	}
	for obj := range mc.ListObjects(ctx, bucket, minio.ListObjectsOptions{WithVersions: true, Recursive: true}) {
		if obj.Err != nil {
			t.Errorf("list %s: %v", bucket, obj.Err)
			break
		}
		if err := mc.RemoveObject(ctx, bucket, obj.Key, minio.RemoveObjectOptions{VersionID: obj.VersionID, GovernanceBypass: true}); err != nil {
			if strings.Contains(err.Error(), "WORM") {
				retained = append(retained, obj.Key)
				continue
			}
			t.Errorf("remove %s: %v", obj.Key, err)
		}
	}
	if len(retained) == 0 {
		if err := mc.RemoveBucket(ctx, bucket); err != nil {
			t.Errorf("remove bucket %s: %v", bucket, err)
		}
	}
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Errorf("mongo: %v", err)
		return
	}
	defer client.Disconnect(ctx)
	if err := client.Database(db).Drop(ctx); err != nil {
		t.Errorf("drop %s: %v", db, err)
	}
	return retained
}
