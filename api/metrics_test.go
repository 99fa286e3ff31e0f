package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"shenbao/intake"
	"shenbao/storage/bolt"
	"shenbao/storage/localdisk"
)

func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics without a login: %d %s; want 200 text/plain", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return string(b)
}

// /metrics answers without a login with the counts by state, the queue and the requests by route
// template, and carries nothing of an application: no id, no name, no login, no raw path.
func TestMetricsEndpoint(t *testing.T) {
	tb := newTestbed(t)
	appID, docID := tb.fixture(t, intake.StateSubmitted)
	for _, path := range []string{"/api/v1/applications/" + appID, "/api/v1/documents/" + docID, "/api/v1/documents/" + docID} {
		if status, _ := tb.do(t, "owner", "GET", path, ""); status != http.StatusOK {
			t.Fatalf("GET %s: %d", path, status)
		}
	}
	tb.do(t, "anon", "BREW", "/coffee/"+appID, "")
	body := scrape(t, tb.http.URL)
	for _, want := range []string{
		`shenbao_applications{state="submitted"} 1`,
		`shenbao_applications{state="draft"} 0`,
		`shenbao_documents{status="done"} 1`,
		`shenbao_documents{status="received"} 0`,
		`shenbao_documents{status="processing"} 0`,
		`shenbao_http_request_duration_seconds_count{code="200",method="GET",route="/api/v1/applications/:id"} 1`,
		`shenbao_http_request_duration_seconds_count{code="200",method="GET",route="/api/v1/documents/:id"} 2`,
		`shenbao_http_request_duration_seconds_count{code="404",method="other",route="unmatched"} 1`,
		`shenbao_document_failures_total{cause="service"} 0`,
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, secret := range []string{appID, docID, "西藏某某科技有限公司", "拉萨", "owner", tb.token["owner"], "coffee"} {
		if strings.Contains(body, secret) {
			t.Errorf("/metrics carries %q", secret)
		}
	}
}

// Pages read and failures recorded by processing are served by reader, outcome and cause, with the
// pages' times in a histogram.
func TestMetricsProcessing(t *testing.T) {
	m := NewMetrics("ppocr")
	m.PageRead("ocr", "read", 3*time.Second)
	m.PageRead("ocr", "illegible", 1500*time.Millisecond)
	m.PageRead("text_layer", "read", 20*time.Millisecond)
	m.DocumentFailed("encrypted")
	tb := newTestbed(t)
	srv := httptest.NewServer(New(tb.svc, tb.srv.log, Config{Metrics: m}))
	t.Cleanup(srv.Close)
	body := scrape(t, srv.URL)
	for _, want := range []string{
		`shenbao_pages_read_total{outcome="read",reader="ppocr"} 1`,
		`shenbao_pages_read_total{outcome="illegible",reader="ppocr"} 1`,
		`shenbao_pages_read_total{outcome="read",reader="text_layer"} 1`,
		`shenbao_page_read_seconds_bucket{reader="ppocr",le="1"} 0`,
		`shenbao_page_read_seconds_bucket{reader="ppocr",le="2"} 1`,
		`shenbao_page_read_seconds_bucket{reader="ppocr",le="4"} 2`,
		`shenbao_page_read_seconds_count{reader="text_layer"} 1`,
		`shenbao_document_failures_total{cause="encrypted"} 1`,
		`shenbao_document_failures_total{cause="file"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// With the store down, /metrics still answers with what it has, and no error's text.
func TestMetricsStoreDown(t *testing.T) {
	tb := newTestbed(t)
	tb.store.Close(context.Background())
	body := scrape(t, tb.http.URL)
	if !strings.Contains(body, "go_goroutines") {
		t.Error("/metrics lacks the runtime's metrics")
	}
	for _, leak := range []string{"database", "bolt", "closed", "unavailable"} {
		if strings.Contains(strings.ToLower(body), leak) {
			t.Errorf("/metrics with the store down carries %q:\n%s", leak, body)
		}
	}
}

// JSON responses, errors included, tell browsers not to guess their type.
func TestNoSniff(t *testing.T) {
	tb := newTestbed(t)
	for _, tc := range []struct{ col, path string }{
		{"owner", "/api/v1/session"},
		{"anon", "/api/v1/applications"},
		{"owner", "/api/v1/documents/doc_none"},
		{"anon", "/no/such/page"},
		{"anon", "/healthz"},
	} {
		req, _ := http.NewRequest("GET", tb.http.URL+tc.path, nil)
		if tc.col != "anon" {
			req.Header.Set("Authorization", "Bearer "+tb.token[tc.col])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("GET %s (%d, %s): X-Content-Type-Options %q; want nosniff on JSON", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), got)
		}
	}
}

// slowStore counts and slows the listing of applications, as a large store would be slow to count.
type slowStore struct {
	intake.Store
	calls atomic.Int32
}

func (s *slowStore) ListApplications(ctx context.Context, q intake.ApplicationQuery) ([]*intake.Application, int, error) {
	s.calls.Add(1)
	time.Sleep(5 * time.Millisecond)
	return s.Store.ListApplications(ctx, q)
}

// Scrapes that arrive while the applications and documents are being counted share the next count:
// eight at once cost at most two counts, not eight; a scrape after them counts again.
func TestMetricsCountsShared(t *testing.T) {
	dir := t.TempDir()
	blobs, err := localdisk.New(dir + "/blobs")
	if err != nil {
		t.Fatal(err)
	}
	store, err := bolt.Open(dir + "/meta.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close(context.Background()) })
	slow := &slowStore{Store: store}
	log := slog.New(slog.DiscardHandler)
	svc := intake.NewService(blobs, slow, noReader{}, log, time.Now, intake.Config{TempDir: dir})
	srv := httptest.NewServer(New(svc, log, Config{}))
	t.Cleanup(srv.Close)

	scrape(t, srv.URL)
	one := slow.calls.Load()
	if one == 0 {
		t.Fatal("a scrape listed no applications")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { scrape(t, srv.URL) })
	}
	wg.Wait()
	if n := slow.calls.Load() - one; n > 2*one {
		t.Errorf("eight scrapes at once listed applications %d times; want at most %d (two counts)", n, 2*one)
	}
	before := slow.calls.Load()
	scrape(t, srv.URL)
	if slow.calls.Load() == before {
		t.Error("a scrape after the others did not count again")
	}
}
