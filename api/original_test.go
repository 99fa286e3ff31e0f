package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"shenbao/intake"
	"shenbao/storage/bolt"
	"shenbao/storage/localdisk"
)

// originalBed is a server on local disk with one applicant's uploaded original, the path of its file,
// the applicant's token and the service's scrub.
type originalBed struct {
	url, token, docID, path string
	staffToken              string
	content                 string
	scrub                   *intake.ScrubLoop
	store                   *bolt.Store
}

func newOriginalBed(t *testing.T) *originalBed {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	blobs, err := localdisk.New(dir + "/blobs")
	if err != nil {
		t.Fatal(err)
	}
	store, err := bolt.Open(dir + "/meta.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close(ctx) })
	svc := intake.NewService(blobs, store, noReader{}, slog.New(slog.DiscardHandler), time.Now, intake.Config{TempDir: dir})
	scrub := intake.NewScrubLoop(svc, time.Hour)
	srv := New(svc, slog.New(slog.DiscardHandler), Config{Ready: map[string]Pinger{"store": store, "blobs": blobs}, Scrub: scrub})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	u, tok := addUserWithToken(t, ctx, svc, intake.NewUser{Login: "owner", Name: "申报单位", Role: intake.RoleApplicant, Password: "password 12345"})
	_, staffTok := addUserWithToken(t, ctx, svc, intake.NewUser{Login: "zhuoma", Name: "卓玛", Role: intake.RoleStaff, Password: "password 12345"})
	a, err := svc.CreateApplication(ctx, u.Principal(), intake.NewApplication{OrgName: "西藏某某科技有限公司", Region: "拉萨市", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	content := "\xFF\xD8\xFF\xE0 a jpeg" + strings.Repeat(" of some length", 20000)
	d, _, err := svc.Upload(ctx, u.Principal(), a.ID, "营业执照.jpg", strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	return &originalBed{url: hs.URL, token: tok, staffToken: staffTok, docID: d.ID, path: dir + "/blobs/" + d.BlobKey, content: content, scrub: scrub, store: store}
}

// addUserWithToken adds a user and a token of theirs.
func addUserWithToken(t *testing.T, ctx context.Context, svc *intake.Service, in intake.NewUser) (*intake.User, string) {
	t.Helper()
	u, err := svc.AddUser(ctx, intake.System, in)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := svc.CreateToken(ctx, u.Principal(), "测试", 0)
	if err != nil {
		t.Fatal(err)
	}
	return u, tok
}

func (b *originalBed) get(t *testing.T, path string) (*http.Response, []byte, error) {
	t.Helper()
	return b.getAs(t, b.token, path)
}

// getAs gets path with the token ("": signed out).
func (b *originalBed) getAs(t *testing.T, token, path string) (*http.Response, []byte, error) {
	t.Helper()
	req, _ := http.NewRequest("GET", b.url+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// The case: a bit-flipped original was served with 200 and an ETag claiming the right SHA-256.
// Now the transfer breaks off short of its Content-Length: the client never holds a complete file.
func TestCorruptOriginalTransferBroken(t *testing.T) {
	b := newOriginalBed(t)
	resp, body, err := b.get(t, "/api/v1/documents/"+b.docID+"/original")
	if err != nil || resp.StatusCode != http.StatusOK || string(body) != b.content {
		t.Fatalf("an untouched original: %v, %d bytes, %v; want 200 with its %d bytes", resp.Status, len(body), err, len(b.content))
	}
	os.Chmod(b.path, 0o600)
	raw, _ := os.ReadFile(b.path)
	raw[len(raw)/2] ^= 1
	os.WriteFile(b.path, raw, 0o400)
	resp, body, err = b.get(t, "/api/v1/documents/"+b.docID+"/original")
	if err == nil || len(body) >= len(b.content) {
		t.Errorf("a changed original: %d bytes of %d, read error %v; want the transfer broken off short", len(body), len(b.content), err)
	}
	// The server goes on serving.
	if resp, _, err := b.get(t, "/api/v1/documents/"+b.docID); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("the document after a broken transfer: %v %v", resp, err)
	}
}

// /readyz shows the last scrub's findings (it does not scrub), and a 503 asks to retry later. Anyone
// may ask /readyz: it gives counts, and the ids of the documents only to staff and auditors signed in.
func TestReadyzShowsScrub(t *testing.T) {
	b := newOriginalBed(t)
	type readyz struct {
		Status    string
		Originals struct {
			Status, Message  string
			Documents        int
			Missing, Corrupt int
			MissingIDs       []string `json:"missing_ids"`
		}
	}
	var r readyz
	var raw string
	ready := func(token string, want int) {
		t.Helper()
		resp, body, err := b.getAs(t, token, "/readyz")
		if err != nil || resp.StatusCode != want {
			t.Fatalf("/readyz: %v %s %v; want %d", resp.Status, body, err, want)
		}
		if want == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "" {
			t.Errorf("/readyz 503 without Retry-After")
		}
		r, raw = readyz{}, string(body)
		json.Unmarshal(body, &r)
	}
	ready("", http.StatusOK)
	if r.Originals.Status != "pending" {
		t.Errorf("before any scrub: originals %+v; want pending", r.Originals)
	}
	os.Chmod(b.path, 0o600)
	os.Remove(b.path)
	ready("", http.StatusOK)
	if r.Originals.Status != "pending" {
		t.Errorf("/readyz scrubbed by itself: %+v; want still pending", r.Originals)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.scrub.Run(ctx); close(done) }()
	for deadline := time.Now().Add(5 * time.Second); b.scrub.Last() == nil && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	for _, who := range []struct{ name, token string }{{"signed out", ""}, {"an applicant", b.token}, {"a bad token", "nonsense"}} {
		ready(who.token, http.StatusOK)
		if r.Status != "ok" || r.Originals.Status != "problems" || r.Originals.Missing != 1 || !strings.Contains(r.Originals.Message, "1 份缺失") {
			t.Errorf("%s, after a scrub that found the original missing: %+v; want ready, originals with problems, 1 missing", who.name, r)
		}
		if strings.Contains(raw, b.docID) {
			t.Errorf("%s: /readyz names the document %s: %s; want counts only", who.name, b.docID, raw)
		}
	}
	ready(b.staffToken, http.StatusOK)
	if r.Originals.Missing != 1 || len(r.Originals.MissingIDs) != 1 || r.Originals.MissingIDs[0] != b.docID {
		t.Errorf("staff, after a scrub that found the original missing: %+v; want %s named", r.Originals, b.docID)
	}
	b.store.Close(context.Background())
	ready(b.staffToken, http.StatusServiceUnavailable)
}

// deadBlobs is the real local-disk store whose originals, once opened, fail at their first read while
// dead is set: the store went down between opening an original and reading it.
type deadBlobs struct {
	intake.BlobStore
	dead atomic.Bool
}

func (b *deadBlobs) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	rc, err := b.BlobStore.Get(ctx, key)
	if err != nil || !b.dead.Load() {
		return rc, err
	}
	rc.Close()
	return io.NopCloser(iotest.ErrReader(errors.New(`Get "http://127.0.0.1:9000/shenbao/originals/…": dial tcp 127.0.0.1:9000: connect: connection refused`))), nil
}

// An original whose store stops answering before its first byte is read answers 503 with
// Retry-After and the Chinese message — not a connection closed with no answer at all.
func TestOriginalStoreGoneBeforeFirstByte(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	disk, err := localdisk.New(dir + "/blobs")
	if err != nil {
		t.Fatal(err)
	}
	blobs := &deadBlobs{BlobStore: disk}
	store, err := bolt.Open(dir + "/meta.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close(ctx) })
	svc := intake.NewService(blobs, store, noReader{}, slog.New(slog.DiscardHandler), time.Now, intake.Config{TempDir: dir})
	hs := httptest.NewServer(New(svc, slog.New(slog.DiscardHandler), Config{}))
	t.Cleanup(hs.Close)
	u, tok := addUserWithToken(t, ctx, svc, intake.NewUser{Login: "owner", Name: "申报单位", Role: intake.RoleApplicant, Password: "password 12345"})
	a, err := svc.CreateApplication(ctx, u.Principal(), intake.NewApplication{OrgName: "西藏某某科技有限公司", Region: "拉萨市", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := svc.Upload(ctx, u.Principal(), a.ID, "营业执照.jpg", strings.NewReader("\xFF\xD8\xFF\xE0 a jpeg"))
	if err != nil {
		t.Fatal(err)
	}
	blobs.dead.Store(true)
	req, _ := http.NewRequest("GET", hs.URL+"/api/v1/documents/"+d.ID+"/original", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("original with the store gone: %v; want an answer", err)
	}
	defer resp.Body.Close()
	var out struct{ Error struct{ Message string } }
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(out.Error.Message, "稍后") ||
		resp.Header.Get("ETag") != "" || resp.Header.Get("Content-Disposition") != "" {
		t.Errorf("original with the store gone: %d, Retry-After %q, ETag %q, message %q; want 503, Retry-After, no ETag, the Chinese message",
			resp.StatusCode, resp.Header.Get("Retry-After"), resp.Header.Get("ETag"), out.Error.Message)
	}
}
