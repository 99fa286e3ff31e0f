package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"shenbao/api"
	"shenbao/doc"
	"shenbao/intake"
	"shenbao/internal/testreq"
)

// onePage reads every file as one blank page, quickly: the outage test is about the stores, and the
// OCR pool's own faults are tested elsewhere.
type onePage struct{}

func (onePage) Recognize(ctx context.Context, path, contentType string) ([]doc.Page, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(20 * time.Millisecond):
	}
	return []doc.Page{{Number: 1, Width: 1000, Height: 1400}}, nil
}

// testServer stops or starts one of the test servers (scripts/testservers.sh stop-one/start-one).
func testServer(t *testing.T, action, name string) {
	t.Helper()
	out, err := exec.Command("scripts/testservers.sh", action, name).CombinedOutput()
	if err != nil {
		t.Fatalf("testservers.sh %s %s: %v\n%s", action, name, err, out)
	}
	t.Logf("%s %s", action, name)
}

// outageConfig is a config on the test servers with a bucket and database of its own, named
// prefix-<suffix> and prefix_<suffix>, dropped when the test ends; suffix is returned for the test's data.
func outageConfig(t *testing.T, endpoint, uri, prefix string) (config, string) {
	t.Helper()
	suffix := fmt.Sprintf("%d", time.Now().UnixNano())
	t.Cleanup(func() { dropTestServerState(t, endpoint, uri, prefix+"-"+suffix, prefix+"_"+suffix) })
	c := defaultConfig()
	c.DataDir = t.TempDir()
	c.MinioEndpoint, c.MinioBucket = endpoint, prefix+"-"+suffix
	c.MinioAccessKey, c.MinioSecretKey = os.Getenv("SHENBAO_TEST_MINIO_ACCESS_KEY"), os.Getenv("SHENBAO_TEST_MINIO_SECRET_KEY")
	c.MongoURI, c.MongoDB = uri, prefix+"_"+suffix
	return c, suffix
}

// newOutageApplicant adds the applicant tianlu, a token of theirs and an application of theirs.
func newOutageApplicant(t *testing.T, ctx context.Context, svc *intake.Service) (*intake.User, string, *intake.Application) {
	t.Helper()
	u, err := svc.AddUser(ctx, intake.System, intake.NewUser{Login: "tianlu", Name: "西藏测试服务有限公司", Role: intake.RoleApplicant, Password: "password 12345"})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := svc.CreateToken(ctx, u.Principal(), "测试", 0)
	if err != nil {
		t.Fatal(err)
	}
	app, err := svc.CreateApplication(ctx, u.Principal(), intake.NewApplication{OrgName: u.Name, Region: "拉萨市", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	return u, token, app
}

// outageTally counts what the uploaders and readers got.
type outageTally struct {
	mu         sync.Mutex
	accepted   map[string]string // document id → the SHA-256 of the bytes uploaded
	refused    map[int]int       // by status (all 503 when the test passes)
	noRetry    int               // 503s without Retry-After
	notChinese int               // 503s whose message is not the Chinese one
	reads      map[int]int       // reads of a document by status
	broken     int               // transport errors
	refusedSum []string          // the SHA-256 of each refused upload's bytes
}

// Uploads and reads while MinIO is stopped and started again, and then FerretDB: every upload is either
// accepted (201) or refused with 503, Retry-After and a Chinese message; once the servers are back
// every accepted document is read to its end, none lost, none stuck, and no document is stored without
// its original.
func TestOutages(t *testing.T) {
	endpoint, uri := os.Getenv("SHENBAO_TEST_MINIO_ENDPOINT"), os.Getenv("SHENBAO_TEST_MONGO_URI")
	if endpoint == "" || uri == "" {
		testreq.Skip(t, "no test servers: SHENBAO_TEST_MINIO_ENDPOINT and SHENBAO_TEST_MONGO_URI unset (scripts/testservers.sh start)")
	}
	// Whatever happens, the servers are left running for the tests after this one.
	t.Cleanup(func() {
		for _, name := range []string{"minio", "ferretdb"} {
			exec.Command("scripts/testservers.sh", "start-one", name).Run()
		}
	})
	c, suffix := outageConfig(t, endpoint, uri, "outage")
	logs := &syncWriter{w: &bytes.Buffer{}}
	log := slog.New(slog.NewTextHandler(logs, nil))
	t.Cleanup(func() {
		if t.Failed() || os.Getenv("OUTAGE_LOG") != "" {
			t.Logf("log:\n%s", logs.String())
		}
	})
	ctx := context.Background()
	blobs, store, err := openStores(ctx, c, log)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(ctx)
	svc := intake.NewService(blobs, store, onePage{}, log, time.Now, intake.Config{
		TempDir: t.TempDir(), Workers: 2, PollEvery: 200 * time.Millisecond, RetryDelay: time.Second,
	})
	workCtx, stopWork := context.WithCancel(ctx)
	workDone := make(chan error, 1)
	go func() { workDone <- svc.Run(workCtx) }()
	defer func() { stopWork(); <-workDone }()
	hs := httptest.NewServer(api.New(svc, log, api.Config{Ready: map[string]api.Pinger{"blobs": blobs, "store": store}}))
	defer hs.Close()

	_, token, app := newOutageApplicant(t, ctx, svc)
	client := &http.Client{Timeout: 60 * time.Second}
	tally := &outageTally{accepted: map[string]string{}, refused: map[int]int{}, reads: map[int]int{}}
	var ids []string // accepted, for the readers
	upload := func(n int) {
		data := fmt.Appendf([]byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), "upload %d of %s %s", n, suffix, bytes.Repeat([]byte{'.'}, 2000))
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", fmt.Sprintf("扫描件%03d.jpg", n))
		fw.Write(data)
		mw.Close()
		req, _ := http.NewRequest("POST", hs.URL+"/api/v1/applications/"+app.ID+"/documents", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		tally.mu.Lock()
		defer tally.mu.Unlock()
		if err != nil {
			tally.broken++
			return
		}
		defer resp.Body.Close()
		var out struct {
			Files []struct {
				Document *struct{ ID, SHA256 string }
				Error    *struct{ Code, Message string }
			}
			Error *struct{ Code, Message string }
		}
		json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode == http.StatusCreated && len(out.Files) == 1 && out.Files[0].Document != nil {
			tally.accepted[out.Files[0].Document.ID] = out.Files[0].Document.SHA256
			ids = append(ids, out.Files[0].Document.ID)
			return
		}
		tally.refused[resp.StatusCode]++
		sum := sha256.Sum256(data)
		tally.refusedSum = append(tally.refusedSum, hex.EncodeToString(sum[:]))
		if resp.StatusCode == http.StatusServiceUnavailable {
			if resp.Header.Get("Retry-After") == "" {
				tally.noRetry++
			}
			msg := ""
			if out.Error != nil {
				msg = out.Error.Message
			} else if len(out.Files) == 1 && out.Files[0].Error != nil {
				msg = out.Files[0].Error.Message
			}
			if !bytes.Contains([]byte(msg), []byte("稍后")) {
				tally.notChinese++
				t.Logf("503 message %q", msg)
			}
		} else {
			t.Logf("upload %d: %d %+v", n, resp.StatusCode, out)
		}
	}
	read := func(id string) {
		req, _ := http.NewRequest("GET", hs.URL+"/api/v1/documents/"+id+"/original", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		tally.mu.Lock()
		defer tally.mu.Unlock()
		if err != nil {
			tally.broken++
			return
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		tally.reads[resp.StatusCode]++
		if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "" {
			tally.noRetry++
		}
		if err != nil {
			tally.broken++ // an original that stopped coming mid-transfer: not a good file, not a 200 that completed
		}
	}

	loadCtx, stopLoad := context.WithCancel(ctx)
	var load sync.WaitGroup
	var n atomic.Int32
	for range 3 {
		load.Go(func() {
			for loadCtx.Err() == nil {
				upload(int(n.Add(1)))
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
	load.Go(func() {
		for i := 0; loadCtx.Err() == nil; i++ {
			tally.mu.Lock()
			id := ""
			if len(ids) > 0 {
				id = ids[i%len(ids)]
			}
			tally.mu.Unlock()
			if id != "" {
				read(id)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	phase := func(what string, d time.Duration) {
		time.Sleep(d)
		tally.mu.Lock()
		t.Logf("%s: %d accepted, refused %v, reads %v", what, len(tally.accepted), tally.refused, tally.reads)
		tally.mu.Unlock()
	}
	phase("all up", 3*time.Second)
	testServer(t, "stop-one", "minio")
	phase("minio down", 6*time.Second)
	testServer(t, "start-one", "minio")
	phase("minio back", 4*time.Second)
	testServer(t, "stop-one", "ferretdb")
	phase("ferretdb down", 6*time.Second)
	testServer(t, "start-one", "ferretdb")
	phase("ferretdb back", 4*time.Second)
	stopLoad()
	load.Wait()

	// Every accepted document is read to its end, by itself, once the servers are back.
	final := map[intake.Status]int{}
	var stuck []string
	deadline := time.Now().Add(60 * time.Second)
	for {
		clear(final)
		stuck = stuck[:0]
		for id := range tally.accepted {
			d, err := store.GetDocument(ctx, id)
			switch {
			case err != nil:
				stuck = append(stuck, id+" ("+err.Error()+")")
			case d.Status == intake.StatusDone || d.Status == intake.StatusFailed:
				final[d.Status]++
			default:
				stuck = append(stuck, id+" "+string(d.Status))
			}
		}
		if len(stuck) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	// Nothing half-stored: each stored document has its original, the bytes uploaded.
	docs, err := store.ListDocuments(ctx, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Nothing half-stored the other way either: an original that an upload stored before the
	// database refused its document is removed once the database is back.
	recorded := map[string]bool{}
	for _, d := range docs {
		recorded[d.SHA256] = true
	}
	var orphans []string
	for deadline := time.Now().Add(20 * time.Second); ; {
		orphans = orphans[:0]
		for _, sum := range tally.refusedSum {
			if _, err := blobs.Stat(ctx, intake.BlobKey(sum)); err == nil && !recorded[sum] {
				orphans = append(orphans, sum)
			}
		}
		if len(orphans) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if len(orphans) > 0 {
		t.Errorf("%d originals stored without their document 20 s after the servers' return: %v", len(orphans), orphans)
	}
	lost := 0
	for _, d := range docs {
		if _, err := blobs.Stat(ctx, d.BlobKey); err != nil {
			lost++
			t.Errorf("document %s (%s) without its original: %v", d.ID, d.Status, err)
		}
	}
	for id := range tally.accepted {
		if _, err := store.GetDocument(ctx, id); err != nil {
			lost++
			t.Errorf("accepted document %s lost: %v", id, err)
		}
	}
	t.Logf("uploads: %d accepted, refused %v; reads %v, %d broken; documents stored %d; final %v; stuck %d; lost %d; orphaned originals left %d (removed %d)",
		len(tally.accepted), tally.refused, tally.reads, tally.broken, len(docs), final, len(stuck), lost, len(orphans), strings.Count(logs.String(), "removed an original stored without its document"))
	if len(tally.accepted) < 20 {
		t.Errorf("%d uploads accepted; want the load to have gone on around the outages", len(tally.accepted))
	}
	for status := range tally.refused {
		if status != http.StatusServiceUnavailable {
			t.Errorf("uploads refused with %d: %d; want only 503", status, tally.refused[status])
		}
	}
	if tally.refused[http.StatusServiceUnavailable] == 0 {
		t.Error("no upload refused with 503: the outages did not happen")
	}
	if tally.noRetry > 0 || tally.notChinese > 0 {
		t.Errorf("503s without Retry-After: %d, without the Chinese message: %d", tally.noRetry, tally.notChinese)
	}
	for status, n := range tally.reads {
		if status != http.StatusOK && status != http.StatusServiceUnavailable {
			t.Errorf("reads of originals answered %d: %d times; want 200 or 503", status, n)
		}
	}
	if len(stuck) > 0 {
		t.Errorf("%d accepted documents not read to their end within 60 s of the servers' return: %v", len(stuck), stuck)
	}
	if final[intake.StatusFailed] > 0 {
		t.Errorf("%d accepted documents failed; want every one read once the stores are back", final[intake.StatusFailed])
	}
}
