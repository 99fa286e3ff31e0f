package intake_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"shenbao/doc"
	"shenbao/intake"
	"shenbao/storage/bolt"
	"shenbao/storage/localdisk"
)

// textRecognizer stands in for OCR: it "reads" every file as the given lines of text. It is a fake of
// intake's own Recognizer port, not of a server; the stores are the real embedded ones.
type textRecognizer struct {
	lines []string
	err   error
	block chan struct{} // if set, Recognize waits on it (or ctx)
	calls atomic.Int32
}

func (r *textRecognizer) Recognize(ctx context.Context, path, contentType string) ([]doc.Page, error) {
	r.calls.Add(1)
	if r.block != nil {
		select {
		case <-r.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	p := doc.Page{Number: 1, Width: 2000, Height: 3000, DPI: 300, Source: doc.SourceOCR, MeanConfidence: 0.9}
	for i, l := range r.lines {
		y := 100 + i*60
		var words []doc.Word
		x := 100
		for _, w := range strings.Fields(l) {
			wd := len([]rune(w)) * 40
			words = append(words, doc.Word{Text: w, Box: doc.Box{X0: x, Y0: y, X1: x + wd, Y1: y + 50}, Confidence: 0.9})
			x += wd + 40
		}
		p.Lines = append(p.Lines, doc.Line{Words: words, Box: doc.Box{X0: 100, Y0: y, X1: x, Y1: y + 50}})
	}
	return []doc.Page{p}, nil
}

var licence = []string{
	"统一社会信用代码", "91540102MA6TKJPG5T", "营业执照", "名称 西藏天路检验检测技术有限公司",
	"类型 有限责任公司", "法定代表人 索朗旺姆", "注册资本 人民币伍拾万元整", "成立日期 2017年2月22日",
	"营业期限 2017年2月22日至2047年2月21日", "住所 西藏自治区拉萨市城关区林廓北路163号", "登记机关",
}

// embeddedStores opens the embedded stores (originals on local disk, metadata in bbolt) in a
// directory of the test's own, closed when the test ends; the directory is returned too.
func embeddedStores(t *testing.T) (string, *localdisk.Store, *bolt.Store) {
	t.Helper()
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
	return dir, blobs, store
}

func newService(t *testing.T, rec intake.Recognizer, now time.Time) (*intake.Service, intake.Store) {
	t.Helper()
	dir, blobs, store := embeddedStores(t)
	log := slog.New(slog.DiscardHandler)
	svc := intake.NewService(blobs, store, rec, log, func() time.Time { return now }, intake.Config{TempDir: dir, PollEvery: 20 * time.Millisecond})
	return svc, store
}

// runUntil runs the workers until cond holds (or fails the test after 10 s).
func runUntil(t *testing.T, svc *intake.Service, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatal("condition not reached within 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func createApp(t *testing.T, svc *intake.Service) *intake.Application {
	t.Helper()
	a, err := svc.CreateApplication(context.Background(), applicant, intake.NewApplication{OrgName: "西藏天路检验检测技术有限公司", Region: "拉萨市", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func status(t *testing.T, svc *intake.Service, id string) intake.Status {
	t.Helper()
	d, err := svc.Document(context.Background(), staff, id)
	if err != nil {
		t.Fatal(err)
	}
	return d.Status
}

var jpeg = "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 a jpeg, as far as sniffing goes"

func TestUploadProcessReview(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2024, 5, 20, 10, 0, 0, 0, time.UTC)
	svc, _ := newService(t, &textRecognizer{lines: licence}, now)
	a := createApp(t, svc)
	d, dup, err := svc.Upload(ctx, applicant, a.ID, "营业执照.jpg", strings.NewReader(jpeg))
	if err != nil || dup {
		t.Fatalf("upload: %v, duplicate %v", err, dup)
	}
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusDone })
	d, _ = svc.Document(ctx, applicant, d.ID)
	if d.Kind != "business_licence" || d.PageCount != 1 || len(d.Pages) != 1 {
		t.Fatalf("got kind %q, %d pages; want business_licence, 1", d.Kind, d.PageCount)
	}
	fields := map[string]doc.Field{}
	for _, f := range d.EffectiveFields() {
		fields[f.Name] = f
	}
	if got := fields["established_date"].Value; got != "2017-02-22" {
		t.Errorf("established_date = %q; want 2017-02-22", got)
	}
	_, r, err := svc.Checklist(ctx, applicant, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Score().ItemsPresent; len(got) != 1 || got[0] != 2 {
		t.Errorf("items present = %v; want [2]", got)
	}

	// The applicant may not review its own fields; once submitted, staff may.
	if _, err := svc.ReviewField(ctx, applicant, d.ID, "established_date", "correct", "2023-01-01", 0, doc.Box{}); !errors.Is(err, intake.ErrForbidden) {
		t.Errorf("review by the applicant: got %v; want ErrForbidden", err)
	}
	if _, err := svc.ReviewField(ctx, staff, d.ID, "established_date", "correct", "2023-01-01", 0, doc.Box{}); !errors.Is(err, intake.ErrState) {
		t.Errorf("review of a draft by staff: got %v; want ErrState", err)
	}
	submit(t, svc, a.ID)
	// A reviewer corrects the date: the OCR value is kept, the checklist uses the correction.
	if _, err := svc.ReviewField(ctx, staff, d.ID, "established_date", "correct", "2023-13-01", 0, doc.Box{}); !errors.Is(err, intake.ErrInvalid) {
		t.Errorf("correct to a bad date: got %v; want ErrInvalid", err)
	}
	d, err = svc.ReviewField(ctx, staff, d.ID, "established_date", "correct", "2023-01-01", 0, doc.Box{})
	if err != nil {
		t.Fatal(err)
	}
	last := d.Reviews[len(d.Reviews)-1]
	if last.OCRValue != "2017-02-22" || last.Value != "2023-01-01" || last.By.Name != staff.Name || last.By.ID != staff.UserID || !last.At.Equal(now) {
		t.Errorf("review = %+v; want OCR value kept, new value, who and when", last)
	}
	_, r, _ = svc.Checklist(ctx, applicant, a.ID)
	if !hasWarning(r.Score().Warnings, "operating_under_two_years") {
		t.Errorf("after correcting 成立日期 to 2023-01-01 warnings are %v; want operating_under_two_years", r.Score().Warnings)
	}
	// Marking the document as another kind moves it to that item.
	if _, err := svc.SetKind(ctx, staff, d.ID, "premises_lease"); err != nil {
		t.Fatal(err)
	}
	_, r, _ = svc.Checklist(ctx, applicant, a.ID)
	if got := r.Score().ItemsPresent; len(got) != 1 || got[0] != 4 {
		t.Errorf("after re-kinding items present = %v; want [4]", got)
	}
	if _, _, err := svc.ReviewItem(ctx, staff, a.ID, 4, "reject", "租赁合同未盖章"); err != nil {
		t.Fatal(err)
	}
	a, _ = svc.Application(ctx, applicant, a.ID)
	if len(a.ItemReviews) != 1 || a.ItemReviews[0].Comment != "租赁合同未盖章" {
		t.Errorf("item reviews = %+v", a.ItemReviews)
	}
}

func hasWarning(ws []string, code string) bool {
	for _, w := range ws {
		if w == code {
			return true
		}
	}
	return false
}

func TestDuplicateUpload(t *testing.T) {
	ctx := context.Background()
	svc, _ := newService(t, &textRecognizer{lines: licence}, time.Now())
	a := createApp(t, svc)
	d1, _, err := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg))
	if err != nil {
		t.Fatal(err)
	}
	d2, dup, err := svc.Upload(ctx, applicant, a.ID, "b.jpg", strings.NewReader(jpeg))
	if err != nil || !dup || d2.ID != d1.ID {
		t.Errorf("second upload: %v, duplicate %v, id %s; want the first document (%s) as a duplicate", err, dup, d2.ID, d1.ID)
	}
	b := createApp(t, svc)
	if _, dup, err := svc.Upload(ctx, applicant, b.ID, "a.jpg", strings.NewReader(jpeg)); err != nil || dup {
		t.Errorf("same file in another application: %v, duplicate %v; want a new document", err, dup)
	}
	if _, _, err := svc.Upload(ctx, applicant, "app_missing", "a.jpg", strings.NewReader(jpeg)); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("upload to a missing application: got %v; want ErrNotFound", err)
	}
}

// A document whose process died while reading it (its lease ran out) is read again, by another
// process; one whose process is alive (its lease runs) is left to it.
func TestReadAgainWhenLeaseRunsOut(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	svc, store := newService(t, &textRecognizer{lines: licence}, now)
	a := createApp(t, svc)
	live, _, err := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg))
	if err != nil {
		t.Fatal(err)
	}
	// Another process, alive, is reading the older document.
	if c, err := store.ClaimDocument(ctx, "live/1", now, now.Add(time.Hour)); err != nil || c.ID != live.ID {
		t.Fatalf("claim: %v %v", c, err)
	}
	dead, _, err := svc.Upload(ctx, applicant, a.ID, "b.jpg", strings.NewReader(jpeg+"b"))
	if err != nil {
		t.Fatal(err)
	}
	// A process claimed the newer one two minutes ago and died: its lease ran out a minute ago.
	if c, err := store.ClaimDocument(ctx, "dead/1", now.Add(-2*time.Minute), now.Add(-time.Minute)); err != nil || c.ID != dead.ID {
		t.Fatalf("claim: %v %v", c, err)
	}
	runUntil(t, svc, func() bool { return status(t, svc, dead.ID) == intake.StatusDone })
	if d := document(t, svc, dead.ID); d.Attempts != 2 || d.Owner == "dead/1" || d.LeaseUntil != (time.Time{}) {
		t.Errorf("the dead process's document: attempts %d, owner %q, lease %v; want 2, this process's claim, none", d.Attempts, d.Owner, d.LeaseUntil)
	}
	if d := document(t, svc, live.ID); d.Status != intake.StatusProcessing || d.Owner != "live/1" || d.Attempts != 1 {
		t.Errorf("the live process's document: %s, owner %q, attempts %d; want processing, live/1, 1", d.Status, d.Owner, d.Attempts)
	}
}

// An unreadable file fails with a reason in Chinese, at once (retrying would not help).
func TestUnreadableFileFails(t *testing.T) {
	ctx := context.Background()
	rec := &textRecognizer{err: errors.New("pdf: malformed")}
	svc, _ := newService(t, rec, time.Now())
	a := createApp(t, svc)
	d, _, _ := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg))
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusFailed })
	d, _ = svc.Document(ctx, applicant, d.ID)
	if !strings.Contains(d.Reason, "无法读取") || rec.calls.Load() != 1 {
		t.Errorf("reason %q after %d reads; want a Chinese reason after one", d.Reason, rec.calls.Load())
	}
}

// Shutting down while a document is read puts it back in the queue.
func TestShutdownRequeues(t *testing.T) {
	ctx := context.Background()
	rec := &textRecognizer{lines: licence, block: make(chan struct{})}
	svc, _ := newService(t, rec, time.Now())
	a := createApp(t, svc)
	d, _, _ := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg))
	runUntil(t, svc, func() bool { return rec.calls.Load() == 1 })
	if s := status(t, svc, d.ID); s != intake.StatusReceived {
		t.Errorf("after shutdown mid-read the document is %s; want received", s)
	}
}

func TestCreateApplicationValidates(t *testing.T) {
	svc, _ := newService(t, &textRecognizer{}, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC))
	for _, in := range []intake.NewApplication{
		{OrgName: ""},
		{OrgName: "某公司", CreditCode: "123"},
		{OrgName: "某公司", CreditCode: "91540102MA6TKJPG5A"}, // a wrong check character
		{OrgName: "某公司", Year: 1999},
		{OrgName: "某公司", Functions: []string{"cooking"}},
	} {
		_, err := svc.CreateApplication(context.Background(), applicant, in)
		var ie *intake.Error
		if !errors.As(err, &ie) || !errors.Is(err, intake.ErrInvalid) || ie.Message == "" {
			t.Errorf("CreateApplication(%+v) = %v; want an invalid-argument error with a message", in, err)
		}
	}
}

// A replaced document stays, marked, and serves no item any more.
func TestReplace(t *testing.T) {
	ctx := context.Background()
	svc, _ := newService(t, &textRecognizer{lines: licence}, time.Now())
	a := createApp(t, svc)
	old, _, err := svc.Upload(ctx, applicant, a.ID, "执照.jpg", strings.NewReader(jpeg))
	if err != nil {
		t.Fatal(err)
	}
	runUntil(t, svc, func() bool { return status(t, svc, old.ID) == intake.StatusDone })
	// The new file is not a licence: the application loses item 2 once the old one is replaced.
	nd, _, err := svc.Replace(ctx, applicant, a.ID, old.ID, "声明.jpg", strings.NewReader(jpeg+" v2"))
	if err != nil {
		t.Fatal(err)
	}
	old, _ = svc.Document(ctx, applicant, old.ID)
	if old.ReplacedBy != nd.ID {
		t.Errorf("old document replaced by %q; want %q", old.ReplacedBy, nd.ID)
	}
	_, r, _ := svc.Checklist(ctx, applicant, a.ID)
	if got := r.Score().ItemsPresent; len(got) != 0 {
		t.Errorf("items present with the licence replaced and its replacement unread: %v; want none", got)
	}
	docs, _ := svc.Documents(ctx, applicant, a.ID)
	if len(docs) != 2 {
		t.Errorf("%d documents; want both kept", len(docs))
	}
	b := createApp(t, svc)
	if _, _, err := svc.Replace(ctx, applicant, b.ID, nd.ID, "x.jpg", strings.NewReader(jpeg+" v3")); !errors.Is(err, intake.ErrInvalid) {
		t.Errorf("replacing another application's document: got %v; want ErrInvalid", err)
	}
}

// progressRecognizer reports the first of two pages read, then waits to be released.
type progressRecognizer struct {
	textRecognizer
	reported, release chan struct{}
}

func (r *progressRecognizer) Recognize(ctx context.Context, path, contentType string) ([]doc.Page, error) {
	doc.ReportProgress(ctx, 0, 2)
	doc.ReportProgress(ctx, 1, 2)
	close(r.reported)
	<-r.release
	pages, err := r.textRecognizer.Recognize(ctx, path, contentType)
	doc.ReportProgress(ctx, 2, 2)
	return append(pages, doc.Page{Number: 2}), err
}

// While a document is read, the pages read so far are recorded on it.
func TestProgressRecorded(t *testing.T) {
	ctx := context.Background()
	rec := &progressRecognizer{textRecognizer: textRecognizer{lines: licence}, reported: make(chan struct{}), release: make(chan struct{})}
	svc, _ := newService(t, rec, time.Now())
	a := createApp(t, svc)
	d, _, _ := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg))
	go func() {
		<-rec.reported
		mid, err := svc.Document(ctx, applicant, d.ID)
		if err != nil || mid.Status != intake.StatusProcessing || mid.PagesDone != 1 || mid.PageCount != 2 {
			t.Errorf("while reading: %v, %s, page %d of %d; want processing, page 1 of 2", err, mid.Status, mid.PagesDone, mid.PageCount)
		}
		close(rec.release)
	}()
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusDone })
	d, _ = svc.Document(ctx, applicant, d.ID)
	if d.PageCount != 2 || d.PagesDone != 2 {
		t.Errorf("pages %d of %d; want 2 of 2", d.PagesDone, d.PageCount)
	}
}

// TestSightings: the service tells where the declared name and code stand on a read document.
func TestSightings(t *testing.T) {
	ctx := context.Background()
	svc, _ := newService(t, &textRecognizer{lines: licence}, time.Date(2024, 5, 20, 10, 0, 0, 0, time.UTC))
	a, err := svc.CreateApplication(ctx, applicant, intake.NewApplication{OrgName: "西藏天路检验检测技术有限公司", CreditCode: "91540102MA6TKJPG5T", Region: "拉萨市", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := svc.Upload(ctx, applicant, a.ID, "营业执照.jpg", strings.NewReader(jpeg))
	if err != nil {
		t.Fatal(err)
	}
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusDone })
	_, got, err := svc.Sightings(ctx, applicant, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]int{}
	for _, s := range got {
		if s.Page != 1 || s.Box.Empty() {
			t.Errorf("%s found at page %d box %v; want page 1 with a box", s.What, s.Page, s.Box)
		}
		found[s.What] = s.Distance
	}
	if d, ok := found["org_name"]; !ok || d != 0 {
		t.Errorf("org_name sighting: %v (distance %d); want exact", ok, d)
	}
	if d, ok := found["credit_code"]; !ok || d != 0 {
		t.Errorf("credit_code sighting: %v (distance %d); want exact", ok, d)
	}
	if _, _, err := svc.Sightings(ctx, applicant, "nope"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("unknown document: %v; want ErrNotFound", err)
	}
}

// pageFailRecognizer reads one page and fails the next with a reader's internal message.
type pageFailRecognizer struct{ textRecognizer }

func (r *pageFailRecognizer) Recognize(ctx context.Context, path, contentType string) ([]doc.Page, error) {
	pages, err := r.textRecognizer.Recognize(ctx, path, contentType)
	return append(pages, doc.Page{Number: 2, Error: "ocr page 2: /onnxruntime_src/onnxruntime/core/framework/bfc_arena.cc:360 Failed to allocate memory"}), err
}

// A page the reader failed on shows people a Chinese reason, never the reader's internals.
func TestPageErrorsForPeople(t *testing.T) {
	ctx := context.Background()
	svc, _ := newService(t, &pageFailRecognizer{textRecognizer{lines: licence}}, time.Now())
	a := createApp(t, svc)
	d, _, _ := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg))
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusDone })
	d, _ = svc.Document(ctx, applicant, d.ID)
	pages, _ := svc.Pages(ctx, applicant, d.ID)
	for _, e := range []string{d.Pages[1].Error, pages[1].Error} {
		if e == "" || strings.Contains(e, "onnxruntime") || strings.Contains(e, "/") || !strings.Contains(e, "重新识别") {
			t.Errorf("page error %q; want a Chinese reason without internals", e)
		}
	}
}

// An encrypted PDF fails with a reason that says so.
func TestEncryptedPDFReason(t *testing.T) {
	ctx := context.Background()
	svc, _ := newService(t, &textRecognizer{err: errors.New("pdfcpu: this file is encrypted: please provide the correct password")}, time.Now())
	a := createApp(t, svc)
	d, _, _ := svc.Upload(ctx, applicant, a.ID, "a.pdf", strings.NewReader("%PDF-1.7 encrypted"))
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusFailed })
	d, _ = svc.Document(ctx, applicant, d.ID)
	if !strings.Contains(d.Reason, "密码") {
		t.Errorf("reason %q; want it to say the PDF is password-protected", d.Reason)
	}
}
