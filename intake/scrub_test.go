package intake_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
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

	"shenbao/intake"
	"shenbao/storage/bolt"
	"shenbao/storage/localdisk"
)

// logBuffer is a log the test reads (slog's text handler on a locked buffer).
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// scrubbed is a Service on local disk whose log the test reads, and the directory of its originals.
func scrubbed(t *testing.T, rec intake.Recognizer) (*intake.Service, *logBuffer, string) {
	t.Helper()
	dir, blobs, store := embeddedStores(t)
	logs := &logBuffer{}
	svc := intake.NewService(blobs, store, rec, slog.New(slog.NewTextHandler(logs, nil)), time.Now, intake.Config{TempDir: dir, PollEvery: 20 * time.Millisecond})
	return svc, logs, dir + "/blobs/"
}

// rewrite changes a stored original on disk (as a bit flip, a truncation or an appended byte would).
func rewrite(t *testing.T, path string, change func([]byte) []byte) {
	t.Helper()
	os.Chmod(path, 0o600)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, change(b), 0o400); err != nil {
		t.Fatal(err)
	}
}

// The case: a bit-flipped original was served with 200 and an ETag claiming the right
// SHA-256. Now its reader checks it as it streams: whoever reads it gets ErrCorrupt before its last
// byte, never the whole of the bytes it claims to be, and the log says so loudly. So for a truncated
// original and one with a byte too many; a missing one is ErrCorrupt at once, logged too.
func TestOriginalVerifiedAsItStreams(t *testing.T) {
	ctx := context.Background()
	svc, logs, blobs := scrubbed(t, &textRecognizer{lines: licence})
	a := createApp(t, svc)
	content := jpeg + strings.Repeat(" padding", 10000) // larger than one read
	d, _, err := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	read := func() ([]byte, error) {
		_, rc, err := svc.Original(ctx, applicant, d.ID)
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	if b, err := read(); err != nil || string(b) != content {
		t.Fatalf("an untouched original: %d bytes, %v; want its %d bytes", len(b), err, len(content))
	}
	path := blobs + d.BlobKey
	orig, _ := os.ReadFile(path)
	for _, tc := range []struct {
		name   string
		change func([]byte) []byte
	}{
		{"a bit flipped in the last byte", func(b []byte) []byte { b[len(b)-1] ^= 1; return b }},
		{"a bit flipped at the start", func(b []byte) []byte { b[10] ^= 1; return b }},
		{"truncated", func(b []byte) []byte { return b[:len(b)-100] }},
		{"a byte appended", func(b []byte) []byte { return append(b, 'x') }},
	} {
		rewrite(t, path, func([]byte) []byte { return tc.change(slices.Clone(orig)) })
		b, err := read()
		if !errors.Is(err, intake.ErrCorrupt) || len(b) >= len(content) {
			t.Errorf("%s: read %d bytes of %d, %v; want ErrCorrupt short of the whole", tc.name, len(b), len(content), err)
		}
	}
	if n := strings.Count(logs.String(), "ORIGINAL CORRUPT"); n != 4 {
		t.Errorf("%d ORIGINAL CORRUPT lines in the log; want 4:\n%s", n, logs.String())
	}
	os.Remove(path)
	if _, err := read(); !errors.Is(err, intake.ErrCorrupt) {
		t.Errorf("a missing original: %v; want ErrCorrupt", err)
	}
	if !strings.Contains(logs.String(), "level=ERROR msg=\"ORIGINAL MISSING") {
		t.Errorf("no ORIGINAL MISSING error in the log:\n%s", logs.String())
	}
}

// An original changed before it is read is not read as the applicant's file: the document does not
// end done with a reading of other bytes.
func TestChangedOriginalNotRead(t *testing.T) {
	ctx := context.Background()
	rec := &textRecognizer{lines: licence}
	svc, logs, blobs := scrubbed(t, rec)
	a := createApp(t, svc)
	// Nothing runs yet: the document waits, and its original is changed meanwhile.
	d, _, err := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg))
	if err != nil {
		t.Fatal(err)
	}
	rewrite(t, blobs+d.BlobKey, func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
	runUntil(t, svc, func() bool { return strings.Contains(logs.String(), "ORIGINAL CORRUPT") })
	time.Sleep(100 * time.Millisecond)
	if d, _ = svc.Document(ctx, staff, d.ID); d.Status == intake.StatusDone || rec.calls.Load() != 0 {
		t.Errorf("a changed original: %s, read %d times; want it not read", d.Status, rec.calls.Load())
	}
}

// The scrub re-hashes every original once (documents with the same bytes share one object), and
// names the documents whose original is missing or changed, in its report and in the log.
func TestScrub(t *testing.T) {
	ctx := context.Background()
	svc, logs, blobs := scrubbed(t, &textRecognizer{lines: licence})
	a, b := createApp(t, svc), createApp(t, svc)
	var docs []*intake.Document
	for i, f := range []struct {
		app  *intake.Application
		data string
	}{{a, jpeg + " one"}, {a, jpeg + " two"}, {a, jpeg + " three"}, {b, jpeg + " one"}} {
		d, _, err := svc.Upload(ctx, applicant, f.app.ID, "a.jpg", strings.NewReader(f.data))
		if err != nil {
			t.Fatalf("upload %d: %v", i, err)
		}
		docs = append(docs, d)
	}
	r, err := svc.Scrub(ctx)
	if err != nil || !r.OK() || r.Documents != 4 || r.Objects != 3 {
		t.Fatalf("scrub of untouched originals: %+v, %v; want ok, 4 documents, 3 objects", r, err)
	}
	rewrite(t, blobs+docs[0].BlobKey, func(b []byte) []byte { b[3] ^= 0x80; return b })
	os.Chmod(blobs+docs[1].BlobKey, 0o600)
	os.Remove(blobs + docs[1].BlobKey)
	r, err = svc.Scrub(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(r.Corrupt)
	want := []string{docs[0].ID, docs[3].ID}
	slices.Sort(want)
	if r.OK() || !slices.Equal(r.Corrupt, want) || !slices.Equal(r.Missing, []string{docs[1].ID}) {
		t.Errorf("scrub: corrupt %v, missing %v; want corrupt %v (one object, two documents), missing [%s]", r.Corrupt, r.Missing, want, docs[1].ID)
	}
	if n := strings.Count(logs.String(), "level=ERROR msg=\"SCRUB: original missing or corrupt\""); n != 3 {
		t.Errorf("%d SCRUB errors in the log; want 3:\n%s", n, logs.String())
	}
}

// The loop scrubs at once and keeps its report; with an interval of 0 it does nothing.
func TestScrubLoop(t *testing.T) {
	svc, _, _ := scrubbed(t, &textRecognizer{lines: licence})
	a := createApp(t, svc)
	if _, _, err := svc.Upload(context.Background(), applicant, a.ID, "a.jpg", strings.NewReader(jpeg)); err != nil {
		t.Fatal(err)
	}
	off := intake.NewScrubLoop(svc, 0)
	off.Run(context.Background()) // returns at once
	if off.Last() != nil {
		t.Error("a scrub that is off has a report")
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := intake.NewScrubLoop(svc, time.Hour)
	done := make(chan struct{})
	go func() { l.Run(ctx); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for l.Last() == nil && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if r := l.Last(); r == nil || !r.OK() || r.Documents != 1 {
		t.Errorf("the loop's report: %+v; want ok with 1 document", r)
	}
}

// outageStore is the real bolt store with a database outage switched on and off around the calls a
// test is about: AddDocument (before or after it writes) and UpdateDocument of an outcome.
type outageStore struct {
	intake.Store
	addDown, addLost atomic.Bool  // AddDocument: does not answer; writes but its answer is lost
	saveDown         atomic.Int32 // UpdateDocument of a finished document: this many calls do not answer
}

var errDown = fmt.Errorf("test outage: %w", intake.ErrUnavailable)

func (s *outageStore) AddDocument(ctx context.Context, d *intake.Document) (*intake.Document, error) {
	if s.addDown.Load() {
		return nil, errDown
	}
	got, err := s.Store.AddDocument(ctx, d)
	if err == nil && s.addLost.Load() {
		return nil, errDown
	}
	return got, err
}

func (s *outageStore) UpdateDocument(ctx context.Context, d *intake.Document) error {
	if (d.Status == intake.StatusDone || d.Status == intake.StatusFailed) && s.saveDown.Add(-1) >= 0 {
		return errDown
	}
	return s.Store.UpdateDocument(ctx, d)
}

func outageService(t *testing.T) (*intake.Service, *outageStore, intake.BlobStore, *logBuffer) {
	t.Helper()
	dir := t.TempDir()
	blobs, err := localdisk.New(dir + "/blobs")
	if err != nil {
		t.Fatal(err)
	}
	bs, err := bolt.Open(dir + "/meta.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bs.Close(context.Background()) })
	store := &outageStore{Store: bs}
	logs := &logBuffer{}
	svc := intake.NewService(blobs, store, &textRecognizer{lines: licence}, slog.New(slog.NewTextHandler(logs, nil)), time.Now, intake.Config{TempDir: dir, PollEvery: 20 * time.Millisecond})
	return svc, store, blobs, logs
}

// An upload whose original was stored but whose document the database refused leaves no original
// without a record once the database answers: RemoveOrphans removes it — but not bytes that another
// document already had, nor an original whose document was written though the answer was lost.
func TestOrphanedOriginalRemoved(t *testing.T) {
	ctx := context.Background()
	svc, store, blobs, _ := outageService(t)
	a, b := createApp(t, svc), createApp(t, svc)
	exists := func(data string) bool {
		sum := sha256.Sum256([]byte(data))
		_, err := blobs.Stat(ctx, intake.BlobKey(hex.EncodeToString(sum[:])))
		return err == nil
	}
	shared := jpeg + " shared"
	if _, _, err := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(shared)); err != nil {
		t.Fatal(err)
	}
	store.addDown.Store(true)
	for _, f := range []struct {
		app  *intake.Application
		data string
	}{{a, jpeg + " new"}, {b, shared}} {
		if _, _, err := svc.Upload(ctx, applicant, f.app.ID, "a.jpg", strings.NewReader(f.data)); !errors.Is(err, intake.ErrUnavailable) {
			t.Fatalf("upload while the database is down: %v; want ErrUnavailable", err)
		}
	}
	if err := svc.RemoveOrphans(ctx); err != nil {
		t.Fatal(err)
	}
	if exists(jpeg+" new") || !exists(shared) {
		t.Errorf("after RemoveOrphans: the refused upload's original there: %v (want false), the other application's: %v (want true)", exists(jpeg+" new"), exists(shared))
	}
	store.addDown.Store(false)
	store.addLost.Store(true)
	if _, _, err := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg+" lost answer")); !errors.Is(err, intake.ErrUnavailable) {
		t.Fatalf("upload whose answer is lost: %v; want ErrUnavailable", err)
	}
	store.addLost.Store(false)
	if err := svc.RemoveOrphans(ctx); err != nil {
		t.Fatal(err)
	}
	if !exists(jpeg + " lost answer") {
		t.Error("an original whose document was recorded (its answer lost) was removed")
	}
	// The applicant tries again: the refused file is stored and recorded, whole.
	d, _, err := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg+" new"))
	if err != nil || !exists(jpeg+" new") {
		t.Fatalf("the refused file uploaded again: %v, stored %v", err, exists(jpeg+" new"))
	}
	if _, rc, err := svc.Original(ctx, applicant, d.ID); err != nil {
		t.Fatal(err)
	} else if _, err := io.ReadAll(rc); err != nil {
		t.Errorf("its original: %v", err)
	}
}

// A document's outcome that comes while the database does not answer is saved when it answers again,
// not dropped (which left the document processing for good).
func TestOutcomeSavedWhenStoreBack(t *testing.T) {
	ctx := context.Background()
	svc, store, _, logs := outageService(t)
	a := createApp(t, svc)
	store.saveDown.Store(5)
	d, _, err := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg))
	if err != nil {
		t.Fatal(err)
	}
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusDone })
	if n := strings.Count(logs.String(), "saved when it answers"); n != 5 {
		t.Errorf("%d warnings of the outage; want 5", n)
	}
}

// The scrub also checks the files of the filings (the yearly duties handed in), and reports the
// originals that no document or filing names — keeping them: it removes nothing.
func TestScrubFilingsAndOrphans(t *testing.T) {
	ctx := context.Background()
	dir, blobs, store := embeddedStores(t)
	logs := &logBuffer{}
	svc := intake.NewService(blobs, store, &textRecognizer{lines: licence}, slog.New(slog.NewTextHandler(logs, nil)), time.Now, intake.Config{TempDir: dir})
	a := createApp(t, svc)
	if _, _, err := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg+" one")); err != nil {
		t.Fatal(err)
	}
	put := func(content string) (key, sum string) {
		h := sha256.Sum256([]byte(content))
		sum = hex.EncodeToString(h[:])
		key = intake.BlobKey(sum)
		if err := blobs.Put(ctx, key, strings.NewReader(content), int64(len(content)), sum); err != nil {
			t.Fatal(err)
		}
		return key, sum
	}
	report := "%PDF-1.4 年度工作总结"
	fkey, fsum := put(report)
	if err := store.AddFiling(ctx, &intake.Filing{ID: "fil_summary", Kind: intake.WorkSummary, Year: 2025, ApplicationID: a.ID,
		FileName: "总结.pdf", ContentType: intake.TypePDF, Size: int64(len(report)), SHA256: fsum, BlobKey: fkey, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	stray, _ := put(jpeg + " stored, its document never recorded")
	// A page drawn for the viewer is not an original: no orphan.
	if err := blobs.Put(ctx, intake.PageImageKey(fsum, 1, 1000), strings.NewReader("jpg"), 3, func() string { h := sha256.Sum256([]byte("jpg")); return hex.EncodeToString(h[:]) }()); err != nil {
		t.Fatal(err)
	}

	r, err := svc.Scrub(ctx)
	if err != nil || !r.OK() || r.Documents != 1 || r.Filings != 1 || r.Objects != 2 || !r.Listed || !slices.Equal(r.Orphans, []string{stray}) {
		t.Fatalf("scrub: %+v, %v; want ok, 1 document, 1 filing, 2 objects, the one orphan %s", r, err, stray)
	}
	if !strings.Contains(logs.String(), "level=WARN msg=\"SCRUB: an original that no document or filing names") {
		t.Errorf("the orphan is not in the log:\n%s", logs.String())
	}
	if _, err := blobs.Stat(ctx, stray); err != nil {
		t.Errorf("the orphan after the scrub: %v; want it kept", err)
	}

	rewrite(t, dir+"/blobs/"+fkey, func(b []byte) []byte { b[2] ^= 1; return b })
	if r, _ = svc.Scrub(ctx); r.OK() || !slices.Equal(r.Corrupt, []string{"fil_summary"}) {
		t.Errorf("a filing's file changed: corrupt %v; want [fil_summary]", r.Corrupt)
	}
	os.Remove(dir + "/blobs/" + fkey)
	if r, _ = svc.Scrub(ctx); r.OK() || !slices.Equal(r.Missing, []string{"fil_summary"}) {
		t.Errorf("a filing's file removed: missing %v; want [fil_summary]", r.Missing)
	}
}
