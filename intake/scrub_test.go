package intake_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
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
