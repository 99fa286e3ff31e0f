package intake_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shenbao/doc"
	"shenbao/intake"
)

// recordedMetrics keeps what the Service records, as "reader/outcome" and causes.
type recordedMetrics struct {
	mu       sync.Mutex
	pages    []string
	times    []time.Duration
	failures []string
}

func (m *recordedMetrics) PageRead(reader, outcome string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if d < 0 {
		reader = "negative time"
	}
	m.pages = append(m.pages, reader+"/"+outcome)
	m.times = append(m.times, d)
}

func (m *recordedMetrics) DocumentFailed(cause string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failures = append(m.failures, cause)
}

func (m *recordedMetrics) got() ([]string, []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(slices.Values(m.pages)), slices.Clone(m.failures)
}

func metricsService(t *testing.T, rec intake.Recognizer, m intake.Metrics) *intake.Service {
	t.Helper()
	dir, blobs, store := embeddedStores(t)
	return intake.NewService(blobs, store, rec, slog.New(slog.DiscardHandler), time.Now, intake.Config{TempDir: dir, PollEvery: 20 * time.Millisecond, Metrics: m})
}

// Processing records each page read, by reader and outcome, and each failed document by its cause.
func TestProcessingMetrics(t *testing.T) {
	ctx := context.Background()
	m := &recordedMetrics{}
	svc := metricsService(t, &pageFailRecognizer{textRecognizer{lines: licence}}, m)
	a := createApp(t, svc)
	d, _, err := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg))
	if err != nil {
		t.Fatal(err)
	}
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusDone })
	pages, failures := m.got()
	if diff := cmp.Diff([]string{"none/failed", "ocr/read"}, pages); diff != "" || len(failures) != 0 {
		t.Errorf("pages recorded (-want +got):\n%s\nfailures %v; want none", diff, failures)
	}

	for _, tc := range []struct {
		err   error
		cause string
	}{
		{errors.New("pdf: malformed"), "file"},
		{errors.New("pdfcpu: this file is encrypted: please provide the correct password"), "encrypted"},
	} {
		m := &recordedMetrics{}
		svc := metricsService(t, &textRecognizer{err: tc.err}, m)
		a := createApp(t, svc)
		d, _, _ := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg))
		runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusFailed })
		if _, failures := m.got(); !slices.Equal(failures, []string{tc.cause}) {
			t.Errorf("%v: failures recorded %v; want [%s]", tc.err, failures, tc.cause)
		}
	}
}

// DocumentCounts counts every application's documents by status: the queue's depth and the rest.
func TestDocumentCounts(t *testing.T) {
	ctx := context.Background()
	rec := &textRecognizer{lines: licence}
	svc := metricsService(t, rec, nil)
	a, b := createApp(t, svc), createApp(t, svc)
	d1, _, _ := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg))
	svc.Upload(ctx, applicant, b.ID, "b.jpg", strings.NewReader(jpeg+"b"))
	svc.Upload(ctx, applicant, b.ID, "c.jpg", strings.NewReader(jpeg+"c"))
	got, err := svc.DocumentCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[intake.Status]int{intake.StatusReceived: 3, intake.StatusProcessing: 0, intake.StatusDone: 0, intake.StatusFailed: 0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("before processing (-want +got):\n%s", diff)
	}
	runUntil(t, svc, func() bool {
		c, _ := svc.DocumentCounts(ctx)
		return c[intake.StatusDone] == 3
	})
	if s := status(t, svc, d1.ID); s != intake.StatusDone {
		t.Errorf("document status %s; want done", s)
	}
}

// unevenReader reads page n in n² × 30 ms (30, 120 and 270 ms for three pages); page 2 cannot be read.
type unevenReader struct{ pageReader }

func (r *unevenReader) ReadPage(ctx context.Context, path, contentType string, n int) (doc.Page, error) {
	time.Sleep(time.Duration(n*n) * 30 * time.Millisecond)
	if n == 2 {
		return doc.Page{}, errors.New("pdf page 2: malformed content stream")
	}
	return r.pageReader.ReadPage(ctx, path, contentType, n)
}

// With a reader that reads a page at a time, each page's own time is recorded, not a share of the
// document's.
func TestPageTimesRecorded(t *testing.T) {
	ctx := context.Background()
	m := &recordedMetrics{}
	svc := metricsService(t, &unevenReader{}, m)
	a := createApp(t, svc)
	d, _, err := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg+" pages=3"))
	if err != nil {
		t.Fatal(err)
	}
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusDone })
	pages, _ := m.got()
	if diff := cmp.Diff([]string{"none/failed", "ocr/read", "ocr/read"}, pages); diff != "" {
		t.Errorf("pages recorded (-want +got):\n%s", diff)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.times) != 3 || slices.Min(m.times) >= 120*time.Millisecond || slices.Max(m.times) < 270*time.Millisecond {
		t.Errorf("pages read in 30, 120 and 270 ms recorded as %v", m.times)
	}
}
