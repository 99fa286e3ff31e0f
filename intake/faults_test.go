package intake_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"shenbao/doc"
	"shenbao/intake"
	"shenbao/storage/bolt"
	"shenbao/storage/localdisk"
)

// pageReader stands in for the OCR pool as intake sees it (a PageReader): it counts a file's pages by
// the number after "pages=" in its bytes and reads each page as a line of text, taking slow per page.
// fault, when set, decides the error of each reading (call counts from 1): a notRead error is the
// reader's own fault, any other the file's. It is a fake of intake's own port; the stores are real.
type pageReader struct {
	slow  time.Duration
	fault func(call int, page int) error
	// pace, when set, is called with the file's marker as each page's reading starts (after the log
	// has its start); the page is read when it returns nil, and not read if it returns an error.
	pace func(ctx context.Context, marker string) error

	mu     sync.Mutex
	calls  int
	counts int
	log    []string // "start <marker>" and "end <marker>" of each page read, in order
}

// notRead is a reader's own fault, as the pool reports one (a worker died twice).
type notRead struct{}

func (notRead) Error() string   { return "ocr read page 1: not read: ocr worker died: signal: killed" }
func (notRead) Temporary() bool { return true }

func markerOf(path string) (marker string, pages int) {
	b, _ := os.ReadFile(path)
	if i := bytes.Index(b, []byte("marker=")); i >= 0 {
		marker = strings.Fields(string(b[i+len("marker="):]))[0]
	}
	pages = 1
	if i := bytes.Index(b, []byte("pages=")); i >= 0 {
		fmt.Sscan(string(b[i+len("pages="):]), &pages)
	}
	return marker, pages
}

func (r *pageReader) CountPages(ctx context.Context, path, contentType string) (int, error) {
	r.mu.Lock()
	r.counts++
	r.mu.Unlock()
	_, n := markerOf(path)
	return n, nil
}

func (r *pageReader) ReadPage(ctx context.Context, path, contentType string, n int) (doc.Page, error) {
	marker, _ := markerOf(path)
	r.mu.Lock()
	r.calls++
	call := r.calls
	r.log = append(r.log, "start "+marker)
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.log = append(r.log, "end "+marker)
		r.mu.Unlock()
	}()
	if r.pace != nil {
		if err := r.pace(ctx, marker); err != nil {
			return doc.Page{}, err
		}
	}
	if r.slow > 0 {
		select {
		case <-time.After(r.slow):
		case <-ctx.Done():
			return doc.Page{}, ctx.Err()
		}
	}
	if r.fault != nil {
		if err := r.fault(call, n); err != nil {
			return doc.Page{}, err
		}
	}
	return doc.Page{Number: n, Width: 2000, Height: 3000, DPI: 300, Source: doc.SourceOCR, MeanConfidence: 0.9,
		Lines: []doc.Line{{Words: []doc.Word{{Text: "营业执照", Box: doc.Box{X0: 100, Y0: 100, X1: 300, Y1: 150}, Confidence: 0.9}}, Box: doc.Box{X0: 100, Y0: 100, X1: 300, Y1: 150}}}}, nil
}

// Recognize reads the whole file as the pool does: a page the reader failed fails the whole reading.
func (r *pageReader) Recognize(ctx context.Context, path, contentType string) ([]doc.Page, error) {
	n, err := r.CountPages(ctx, path, contentType)
	if err != nil {
		return nil, err
	}
	var pages []doc.Page
	for i := range n {
		p, err := r.ReadPage(ctx, path, contentType, i+1)
		var nr interface{ Temporary() bool }
		if errors.As(err, &nr) {
			return nil, err
		}
		if err != nil {
			p = doc.Page{Number: i + 1, Error: err.Error()}
		}
		pages = append(pages, p)
	}
	return pages, nil
}

func (r *pageReader) readings() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls
}

func faultService(t *testing.T, rec intake.Recognizer, cfg intake.Config) *intake.Service {
	t.Helper()
	dir, blobs, store := embeddedStores(t)
	cfg.TempDir, cfg.PollEvery = dir, 20*time.Millisecond
	if cfg.RetryDelay == 0 {
		cfg.RetryDelay = 10 * time.Millisecond
	}
	return intake.NewService(blobs, store, rec, slog.New(slog.DiscardHandler), time.Now, cfg)
}

// pdfWith is a file that sniffs as a PDF and that pageReader reads as n pages.
func pdfWith(marker string, n int) string {
	return fmt.Sprintf("%%PDF-1.4\nmarker=%s pages=%d\n", marker, n)
}

func document(t *testing.T, svc *intake.Service, id string) *intake.Document {
	t.Helper()
	d, err := svc.Document(context.Background(), staff, id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A page the service failed to read (workers killed again and again) is read again with growing
// delays, and then leaves the document failed with a reason that says to try again later — never done
// with a verdict on the applicant's scan.
func TestServiceFaultFailsToTryAgain(t *testing.T) {
	ctx := context.Background()
	var times []time.Time
	var mu sync.Mutex
	rec := &pageReader{fault: func(call, page int) error {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		return notRead{}
	}}
	svc := faultService(t, rec, intake.Config{ReadAttempts: 3, RetryDelay: 40 * time.Millisecond})
	a := createApp(t, svc)
	d, _, err := svc.Upload(ctx, applicant, a.ID, "营业执照.pdf", strings.NewReader(pdfWith("a", 5)))
	if err != nil {
		t.Fatal(err)
	}
	runUntil(t, svc, func() bool {
		return status(t, svc, d.ID) != intake.StatusReceived && status(t, svc, d.ID) != intake.StatusProcessing
	})
	d = document(t, svc, d.ID)
	if d.Status != intake.StatusFailed || !strings.Contains(d.Reason, "稍后") || !strings.Contains(d.Reason, "不是文件本身的问题") {
		t.Fatalf("status %s, reason %q, kind %q; want failed with a reason to try again later", d.Status, d.Reason, d.Kind)
	}
	if len(d.Pages) != 0 || d.Kind != "" {
		t.Errorf("pages %+v, kind %q; want no verdict on the pages", d.Pages, d.Kind)
	}
	if len(times) < 3 {
		t.Fatalf("%d readings; want 3", len(times))
	}
	// Each try stops at its first failed page: three readings, the waits between them growing.
	first, second := times[1].Sub(times[0]), times[2].Sub(times[1])
	if first < 40*time.Millisecond || second < 100*time.Millisecond {
		t.Errorf("waits %s then %s; want at least 40 ms, then three times as long", first, second)
	}
}

// A passing fault is read through: the document ends done as if nothing had happened.
func TestServiceFaultReadAgain(t *testing.T) {
	ctx := context.Background()
	rec := &pageReader{fault: func(call, page int) error {
		if call <= 2 {
			return notRead{}
		}
		return nil
	}}
	svc := faultService(t, rec, intake.Config{ReadAttempts: 4})
	a := createApp(t, svc)
	d, _, _ := svc.Upload(ctx, applicant, a.ID, "营业执照.pdf", strings.NewReader(pdfWith("a", 3)))
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusDone })
	if d = document(t, svc, d.ID); d.PageCount != 3 || len(d.Pages) != 3 || d.Pages[0].Error != "" {
		t.Errorf("pages %d %+v; want 3 pages read", d.PageCount, d.Pages)
	}
}

// A file no page of which can be read (a truncated JPEG) fails with a reason in Chinese; it is not done
// as a document of kind "other" with no reason.
func TestUnreadableImageFails(t *testing.T) {
	ctx := context.Background()
	rec := &pageReader{fault: func(call, page int) error {
		return errors.New("page could not be read: leptonica: pixReadMemJpeg: corrupt JPEG data: premature end of data segment")
	}}
	svc := faultService(t, rec, intake.Config{})
	a := createApp(t, svc)
	d, _, err := svc.Upload(ctx, applicant, a.ID, "执照.jpg", strings.NewReader(jpeg))
	if err != nil {
		t.Fatal(err)
	}
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusFailed })
	d = document(t, svc, d.ID)
	if !strings.HasPrefix(d.Reason, "无法读取该文件") || strings.Contains(d.Reason, "JPEG") || rec.readings() != 1 {
		t.Errorf("reason %q after %d readings; want a Chinese reason after one", d.Reason, rec.readings())
	}
}

// Uploading the same bytes again reads a document that failed again; staff can have a document, or an
// application, read again; an applicant cannot.
func TestReadAgain(t *testing.T) {
	ctx := context.Background()
	var broken atomic.Bool
	broken.Store(true)
	rec := &pageReader{fault: func(call, page int) error {
		if broken.Load() {
			return notRead{}
		}
		return nil
	}}
	svc := faultService(t, rec, intake.Config{ReadAttempts: 1})
	a := createApp(t, svc)
	d1, _, _ := svc.Upload(ctx, applicant, a.ID, "一.pdf", strings.NewReader(pdfWith("one", 2)))
	d2, _, _ := svc.Upload(ctx, applicant, a.ID, "二.pdf", strings.NewReader(pdfWith("two", 1)))
	failed := func() bool {
		return status(t, svc, d1.ID) == intake.StatusFailed && status(t, svc, d2.ID) == intake.StatusFailed
	}
	runUntil(t, svc, failed)

	broken.Store(false)
	again, dup, err := svc.Upload(ctx, applicant, a.ID, "一（再传）.pdf", strings.NewReader(pdfWith("one", 2)))
	if err != nil || !dup || again.ID != d1.ID || again.Status != intake.StatusReceived {
		t.Fatalf("same bytes again: %v, duplicate %v, %s %s; want %s queued again", err, dup, again.ID, again.Status, d1.ID)
	}
	runUntil(t, svc, func() bool { return status(t, svc, d1.ID) == intake.StatusDone })
	if d := document(t, svc, d1.ID); d.Reason != "" || len(d.Pages) != 2 {
		t.Errorf("read again: reason %q, %d pages; want no reason, 2 pages", d.Reason, len(d.Pages))
	}

	if _, err := svc.ReadAgain(ctx, applicant, d2.ID); !errors.Is(err, intake.ErrForbidden) {
		t.Errorf("applicant reads again: got %v; want ErrForbidden", err)
	}
	if d, err := svc.ReadAgain(ctx, staff, d2.ID); err != nil || d.Status != intake.StatusReceived {
		t.Fatalf("staff reads again: %v; want it queued", err)
	}
	runUntil(t, svc, func() bool { return status(t, svc, d2.ID) == intake.StatusDone })

	queued, err := svc.ReadApplicationAgain(ctx, staff, a.ID, false)
	if err != nil || len(queued) != 2 {
		t.Fatalf("staff reads the application again: %d queued, %v; want 2", len(queued), err)
	}
	before := rec.readings()
	runUntil(t, svc, func() bool {
		return status(t, svc, d1.ID) == intake.StatusDone && status(t, svc, d2.ID) == intake.StatusDone && rec.readings() == before+3
	})
	if _, err := svc.ReadApplicationAgain(ctx, applicant, a.ID, false); !errors.Is(err, intake.ErrForbidden) {
		t.Errorf("applicant reads the application again: got %v; want ErrForbidden", err)
	}
}

// A document over the page cap of a document, or that would take its application over its cap, fails
// at count time with the reason; an upload to an application at its cap is refused.
func TestPageCaps(t *testing.T) {
	ctx := context.Background()
	rec := &pageReader{}
	svc := faultService(t, rec, intake.Config{MaxDocumentPages: 10, MaxApplicationPages: 15})
	a := createApp(t, svc)
	big, _, _ := svc.Upload(ctx, applicant, a.ID, "大.pdf", strings.NewReader(pdfWith("big", 11)))
	runUntil(t, svc, func() bool { return status(t, svc, big.ID) == intake.StatusFailed })
	if d := document(t, svc, big.ID); !strings.Contains(d.Reason, "共 11 页，超过每份材料 10 页的上限") {
		t.Errorf("11 pages: reason %q; want the cap of a document", d.Reason)
	}
	ten, _, _ := svc.Upload(ctx, applicant, a.ID, "十.pdf", strings.NewReader(pdfWith("ten", 10)))
	runUntil(t, svc, func() bool { return status(t, svc, ten.ID) == intake.StatusDone })
	six, _, _ := svc.Upload(ctx, applicant, a.ID, "六.pdf", strings.NewReader(pdfWith("six", 6)))
	runUntil(t, svc, func() bool { return status(t, svc, six.ID) == intake.StatusFailed })
	if d := document(t, svc, six.ID); !strings.Contains(d.Reason, "已有 10 页，加上该文件的 6 页将超过每个申报 15 页的上限") {
		t.Errorf("10 + 6 pages: reason %q; want the cap of an application", d.Reason)
	}
	five, _, _ := svc.Upload(ctx, applicant, a.ID, "五.pdf", strings.NewReader(pdfWith("five", 5)))
	runUntil(t, svc, func() bool { return status(t, svc, five.ID) == intake.StatusDone })
	_, _, err := svc.Upload(ctx, applicant, a.ID, "一页.jpg", strings.NewReader(jpeg))
	var ie *intake.Error
	if !errors.As(err, &ie) || ie.Code != "too_many_pages" || !errors.Is(err, intake.ErrTooLarge) || !strings.Contains(ie.Message, "15 页的上限") {
		t.Errorf("upload at the cap: got %v; want too_many_pages", err)
	}
	// Replacing a document with a shorter one is still possible at the cap.
	if _, _, err := svc.Replace(ctx, applicant, a.ID, five.ID, "四.pdf", strings.NewReader(pdfWith("four", 4))); err != nil {
		t.Errorf("replace at the cap: %v", err)
	}
}

// Reading is fair across applications (issue 13: one applicant's 600 pages must not delay another's
// one page by more than a page or two; with N readers, by at most the pages already being read when it
// came, plus one). Every reader is busy with a page of one applicant's long documents, and more of
// their pages wait, when another applicant's one-page scan comes to wait for a reader: it gets the
// first reader to come free. The long documents' pages end only when the test lets them, one at a
// time, so that it counts exactly the pages that ended while the scan waited — not those that ended
// while it was still being claimed and fetched, before it asked for a reader, nor those that happened
// to end beside its own page's start.
func TestFairAcrossApplications(t *testing.T) {
	for _, workers := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d readers", workers), func(t *testing.T) {
			ctx := context.Background()
			started := make(chan string, 64) // the marker of each page as its reading starts
			end := make(chan struct{})       // a page of the long documents ends on a receive
			rec := &pageReader{pace: func(ctx context.Context, marker string) error {
				select {
				case started <- marker:
				case <-ctx.Done():
					return ctx.Err()
				}
				if marker == "small" {
					return nil
				}
				select {
				case <-end:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			}}
			svc := faultService(t, rec, intake.Config{Workers: workers})
			waiting := make(chan string, 256) // the application of each page that waits for a reader
			intake.SetTestHookWait(svc, func(app string) {
				select {
				case waiting <- app:
				default:
					t.Error("the test missed a page waiting for a reader")
				}
			})
			a := createApp(t, svc)
			other := intake.Principal{UserID: "usr_other", Name: "林芝市创业服务中心", Role: intake.RoleApplicant}
			b, err := svc.CreateApplication(ctx, other, intake.NewApplication{OrgName: "林芝市创业服务中心", Region: "林芝市", Year: 2024})
			if err != nil {
				t.Fatal(err)
			}
			// Two long documents: as many pages of them at once as there are readers, or more.
			for i := range 2 {
				if _, _, err := svc.Upload(ctx, applicant, a.ID, fmt.Sprintf("审计报告%d.pdf", i), strings.NewReader(pdfWith(fmt.Sprintf("big%d", i), 200))); err != nil {
					t.Fatal(err)
				}
			}
			runCtx, cancel := context.WithCancel(ctx)
			ran := make(chan error, 1)
			go func() { ran <- svc.Run(runCtx) }()
			t.Cleanup(func() { cancel(); <-ran })
			timeout := time.After(10 * time.Second)
			readerLog := func() []string {
				rec.mu.Lock()
				defer rec.mu.Unlock()
				return slices.Clone(rec.log)
			}
			next := func(what string, ch <-chan string) string {
				select {
				case v := <-ch:
					return v
				case <-timeout:
					t.Fatalf("%s: not within 10 s (reader's log %v)", what, readerLog())
					return ""
				}
			}
			// Every reader busy with a page of the long documents, and another of their pages waiting.
			for busy, queued := 0, 0; busy < workers || queued == 0; {
				select {
				case <-started:
					busy++
				case app := <-waiting:
					if app == a.ID {
						queued++
					}
				case <-timeout:
					t.Fatalf("the long documents: not every reader busy and a page waiting within 10 s (reader's log %v)", readerLog())
				}
			}
			if _, _, err := svc.Upload(ctx, other, b.ID, "执照.pdf", strings.NewReader(pdfWith("small", 1))); err != nil {
				t.Fatal(err)
			}
			for app := ""; app != b.ID; {
				app = next("the scan waiting for a reader", waiting)
			}
			// The scan waits. Pages of the long documents end one at a time, each time until the
			// reader it frees starts its next page.
			waited := 0
			for page := ""; page != "small"; {
				if waited == 2*workers+2 {
					t.Fatalf("the scan still waits after %d pages of another application's ended (reader's log %v); want it read on the first reader to come free", waited, readerLog())
				}
				select {
				case end <- struct{}{}:
				case <-timeout:
					t.Fatalf("no page of the long documents being read to end (reader's log %v)", readerLog())
				}
				waited++
				page = next("a page started on the reader come free", started)
			}
			t.Logf("%d readers: the one-page scan waited while %d pages of the long documents ended", workers, waited)
			if waited > 1 {
				t.Errorf("the one-page scan waited while %d pages of another application's ended (reader's log %v); want 1: it gets the first reader to come free", waited, readerLog())
			}
		})
	}
}

// A document the service stopped while reading, again and again (a crash each time), fails with a
// reason to try again later instead of being taken up for ever.
func TestClaimedTooOftenFails(t *testing.T) {
	ctx := context.Background()
	dir, blobs, store := embeddedStores(t)
	rec := &pageReader{}
	svc := intake.NewService(blobs, store, rec, slog.New(slog.DiscardHandler), time.Now, intake.Config{TempDir: dir, PollEvery: 20 * time.Millisecond, MaxAttempts: 2})
	a := createApp(t, svc)
	d, _, _ := svc.Upload(ctx, applicant, a.ID, "一.pdf", strings.NewReader(pdfWith("one", 1)))
	for i := range 2 { // two "crashes" while it was being read: claims whose leases ran out
		at := time.Now().Add(time.Duration(i-10) * time.Minute)
		if _, err := store.ClaimDocument(ctx, fmt.Sprintf("crashed-%d/1", i), at, at.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusFailed })
	if d = document(t, svc, d.ID); !strings.Contains(d.Reason, "稍后") || rec.readings() != 0 {
		t.Errorf("reason %q after %d readings; want a reason to try again later, and no reading", d.Reason, rec.readings())
	}
	if d, err := svc.ReadAgain(ctx, staff, d.ID); err != nil || d.Attempts != 0 {
		t.Fatalf("read again: %v; want it queued with its attempts counted afresh", err)
	}
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusDone })
}

// flakyBlobs is the real local-disk store with two fault switches. While down is set the store is down:
// Get and Ping fail as the MinIO store's do when the server does not answer (ErrUnavailable). While
// failing is set, Get fails in the same way but Ping answers (a store that answers yet fails its reads).
type flakyBlobs struct {
	intake.BlobStore
	down    atomic.Bool
	failing atomic.Bool
	fails   atomic.Int32 // failed Gets
	pings   atomic.Int32 // failed Pings
}

func (b *flakyBlobs) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if b.down.Load() || b.failing.Load() {
		b.fails.Add(1)
		return nil, fmt.Errorf("minio shenbao: get %s: dial tcp 127.0.0.1:9000: connect: connection refused: %w", key, intake.ErrUnavailable)
	}
	return b.BlobStore.Get(ctx, key)
}

func (b *flakyBlobs) Ping(ctx context.Context) error {
	if b.down.Load() {
		b.pings.Add(1)
		return fmt.Errorf("minio shenbao: ping: dial tcp 127.0.0.1:9000: connect: connection refused: %w", intake.ErrUnavailable)
	}
	return b.BlobStore.Ping(ctx)
}

func flakyService(t *testing.T, cfg intake.Config) (*intake.Service, *flakyBlobs) {
	t.Helper()
	dir := t.TempDir()
	disk, err := localdisk.New(dir + "/blobs")
	if err != nil {
		t.Fatal(err)
	}
	blobs := &flakyBlobs{BlobStore: disk}
	store, err := bolt.Open(dir + "/meta.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close(context.Background()) })
	cfg.TempDir, cfg.PollEvery = dir, 20*time.Millisecond
	return intake.NewService(blobs, store, &pageReader{}, slog.New(slog.DiscardHandler), time.Now, cfg), blobs
}

// A blob store that answers but fails every reading of the original is the service's fault too: the
// document is read again later, and fails with a reason to try again — not as a damaged file, and not
// waited for without end.
func TestStoreFailingReadsFailsToTryAgain(t *testing.T) {
	ctx := context.Background()
	svc, blobs := flakyService(t, intake.Config{ReadAttempts: 3, RetryDelay: 10 * time.Millisecond})
	a := createApp(t, svc)
	blobs.failing.Store(true)
	d, _, err := svc.Upload(ctx, applicant, a.ID, "一.pdf", strings.NewReader(pdfWith("one", 1)))
	if err != nil {
		t.Fatal(err)
	}
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusFailed })
	if d = document(t, svc, d.ID); !strings.Contains(d.Reason, "稍后") || blobs.fails.Load() != 3 {
		t.Errorf("store failing: reason %q after %d tries; want a reason to try again later after 3", d.Reason, blobs.fails.Load())
	}
	blobs.failing.Store(false)
	if _, dup, err := svc.Upload(ctx, applicant, a.ID, "一.pdf", strings.NewReader(pdfWith("one", 1))); err != nil || !dup {
		t.Fatalf("same file again: %v, duplicate %v", err, dup)
	}
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusDone })
}

// A blob store that is down for longer than all of a document's tries and their delays takes none of
// them: the reader waits for it to answer again (its lease kept), then reads the document to done by
// itself — it does not fail it with a reason to upload it again.
func TestStoreOutageWaitedFor(t *testing.T) {
	ctx := context.Background()
	// Three readings 10 and 30 ms apart would fail the document within 40 ms; the store stays down for
	// 600 ms, longer than the lease, which the heartbeat must keep.
	const attempts, delay, lease, outage = 3, 10 * time.Millisecond, 300 * time.Millisecond, 600 * time.Millisecond
	svc, blobs := flakyService(t, intake.Config{ReadAttempts: attempts, RetryDelay: delay, Lease: lease})
	a := createApp(t, svc)
	blobs.down.Store(true)
	d, _, err := svc.Upload(ctx, applicant, a.ID, "一.pdf", strings.NewReader(pdfWith("one", 1)))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- svc.Run(runCtx) }()
	defer func() {
		cancel()
		<-done
	}()
	time.Sleep(outage)
	if st := status(t, svc, d.ID); st != intake.StatusProcessing {
		t.Fatalf("store down %s: document %s after %d readings; want processing, waiting for the store", outage, st, blobs.fails.Load())
	}
	if n := blobs.fails.Load(); n < 1 || n >= attempts {
		t.Errorf("store down: %d readings; want at least 1 and fewer than %d (the store waited for, not read again and again)", n, attempts)
	}
	if blobs.pings.Load() < 3 {
		t.Errorf("store down: pinged %d times; want it pinged until it answers", blobs.pings.Load())
	}
	blobs.down.Store(false)
	deadline := time.Now().Add(10 * time.Second)
	for status(t, svc, d.ID) != intake.StatusDone {
		if time.Now().After(deadline) {
			d = document(t, svc, d.ID)
			t.Fatalf("store back: document %s, reason %q; want done", d.Status, d.Reason)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if d = document(t, svc, d.ID); d.Attempts != 1 || d.Reason != "" {
		t.Errorf("claimed %d times, reason %q; want read by its first claim, held through the outage", d.Attempts, d.Reason)
	}
}

// flakyStore is the real bolt store that is down while down is set: Ping, ListDocuments and SavePages
// fail as the Mongo store's do when the server does not answer (ErrUnavailable).
type flakyStore struct {
	intake.Store
	down atomic.Bool
}

func (s *flakyStore) unavailable(op string) error {
	return fmt.Errorf("mongo %s: server selection error: connection refused: %w", op, intake.ErrUnavailable)
}

func (s *flakyStore) Ping(ctx context.Context) error {
	if s.down.Load() {
		return s.unavailable("ping")
	}
	return s.Store.Ping(ctx)
}

func (s *flakyStore) ListDocuments(ctx context.Context, applicationID string) ([]*intake.Document, error) {
	if s.down.Load() {
		return nil, s.unavailable("list documents")
	}
	return s.Store.ListDocuments(ctx, applicationID)
}

func (s *flakyStore) SavePages(ctx context.Context, documentID string, pages []doc.Page) error {
	if s.down.Load() {
		return s.unavailable("save pages")
	}
	return s.Store.SavePages(ctx, documentID, pages)
}

// A database that does not answer while a document's pages are counted against the caps is waited
// for too: the document is not failed as a damaged file (the caps' store error is the service's), nor
// after its tries; it is read to done once the database answers.
func TestDatabaseOutageWaitedFor(t *testing.T) {
	ctx := context.Background()
	dir, blobs, bs := embeddedStores(t)
	store := &flakyStore{Store: bs}
	counted := make(chan struct{})
	var once sync.Once
	rec := &countHook{pageReader: &pageReader{}, counted: func() {
		once.Do(func() {
			store.down.Store(true) // the database goes down as the pages are first counted
			close(counted)
		})
	}}
	svc := intake.NewService(blobs, store, rec, slog.New(slog.DiscardHandler), time.Now,
		intake.Config{TempDir: dir, PollEvery: 20 * time.Millisecond, ReadAttempts: 3, RetryDelay: 10 * time.Millisecond})
	a := createApp(t, svc)
	d, _, err := svc.Upload(ctx, applicant, a.ID, "一.pdf", strings.NewReader(pdfWith("one", 2)))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- svc.Run(runCtx) }()
	defer func() {
		cancel()
		<-done
	}()
	select {
	case <-counted:
	case <-time.After(10 * time.Second):
		t.Fatal("pages not counted within 10 s")
	}
	time.Sleep(300 * time.Millisecond) // ten times the tries' delays (10 and 30 ms)
	store.down.Store(false)
	deadline := time.Now().Add(10 * time.Second)
	for d = document(t, svc, d.ID); d.Status != intake.StatusDone; d = document(t, svc, d.ID) {
		if d.Status == intake.StatusFailed || time.Now().After(deadline) {
			t.Fatalf("database down, then back: document %s, reason %q; want done", d.Status, d.Reason)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if d.PageCount != 2 || len(d.Pages) != 2 {
		t.Errorf("%d pages, %d read; want 2 read", d.PageCount, len(d.Pages))
	}
}

// countHook is a pageReader that calls counted after each count of a file's pages.
type countHook struct {
	*pageReader
	counted func()
}

func (h *countHook) CountPages(ctx context.Context, path, contentType string) (int, error) {
	n, err := h.pageReader.CountPages(ctx, path, contentType)
	h.counted()
	return n, err
}

// Replacing a document that failed with the same file reads it again, as uploading it again does.
func TestReplaceWithSameBytesReadsAgain(t *testing.T) {
	ctx := context.Background()
	var broken atomic.Bool
	broken.Store(true)
	rec := &pageReader{fault: func(call, page int) error {
		if broken.Load() {
			return notRead{}
		}
		return nil
	}}
	svc := faultService(t, rec, intake.Config{ReadAttempts: 1})
	a := createApp(t, svc)
	d, _, _ := svc.Upload(ctx, applicant, a.ID, "一.pdf", strings.NewReader(pdfWith("one", 1)))
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusFailed })
	broken.Store(false)
	again, dup, err := svc.Replace(ctx, applicant, a.ID, d.ID, "一.pdf", strings.NewReader(pdfWith("one", 1)))
	if err != nil || !dup || again.ID != d.ID || again.Status != intake.StatusReceived || again.ReplacedBy != "" {
		t.Fatalf("replaced with the same bytes: %v, duplicate %v, %+v; want %s queued again, not replaced", err, dup, again, d.ID)
	}
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusDone })
}
