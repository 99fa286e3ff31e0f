package intake_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"shenbao/doc"
	"shenbao/intake"
)

// drawingRecognizer reads and draws files like the service's renderer would, except that a truncated
// PDF can be neither read nor drawn, and that, once jpegLost is set, JPEG files can no longer be drawn
// (the software lost what it needs to open them).
type drawingRecognizer struct {
	textRecognizer
	jpegLost atomic.Bool
	mu       sync.Mutex
	drawn    []string // "<content type> page <n> at <maxSide>"
}

func truncated(path string) bool {
	b, _ := os.ReadFile(path)
	return bytes.HasPrefix(b, []byte("%PDF-")) && !bytes.Contains(b, []byte("%%EOF"))
}

func (r *drawingRecognizer) Recognize(ctx context.Context, path, contentType string) ([]doc.Page, error) {
	if truncated(path) {
		return nil, errors.New("pdf: unexpected end of file")
	}
	return r.textRecognizer.Recognize(ctx, path, contentType)
}

func (r *drawingRecognizer) RenderPage(ctx context.Context, path, contentType string, n, maxSide int) ([]byte, error) {
	r.mu.Lock()
	r.drawn = append(r.drawn, fmt.Sprintf("%s page %d at %d", contentType, n, maxSide))
	r.mu.Unlock()
	if truncated(path) {
		return nil, errors.New("pdf: unexpected end of file")
	}
	if contentType == "image/jpeg" && r.jpegLost.Load() {
		return nil, errors.New("image: unknown format")
	}
	return []byte("\xFF\xD8\xFF a drawn page"), nil
}

var _ intake.PageRenderer = (*drawingRecognizer)(nil)

// TestVerifyUsability: verify draws the first page of every original that was read at upload; one
// that no longer draws fails 可用性 (check "usability") by its document's id, while an original that
// could not be read already at upload is kept as sent and only noted.
func TestVerifyUsability(t *testing.T) {
	ctx := context.Background()
	rec := &drawingRecognizer{textRecognizer: textRecognizer{lines: licence}}
	svc, _ := newService(t, rec, time.Date(2024, 5, 20, 10, 0, 0, 0, time.UTC))
	a := createApp(t, svc)
	good, _, err := svc.Upload(ctx, applicant, a.ID, "营业执照.jpg", strings.NewReader(jpeg))
	if err != nil {
		t.Fatal(err)
	}
	bad, _, err := svc.Upload(ctx, applicant, a.ID, "审计报告.pdf", strings.NewReader("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type"))
	if err != nil {
		t.Fatal(err)
	}
	runUntil(t, svc, func() bool {
		return status(t, svc, good.ID) == intake.StatusDone && status(t, svc, bad.ID) == intake.StatusFailed
	})
	rec.drawn = nil

	r, err := svc.Verify(ctx, staff, "")
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || r.Originals != 2 || r.Rendered != 1 {
		t.Errorf("untouched: %+v; want ok, 2 originals, 1 drawn", r)
	}
	if want := []string{"image/jpeg page 1 at 1000"}; strings.Join(rec.drawn, ";") != strings.Join(want, ";") {
		t.Errorf("drawn %q; want only the first page of the one read at upload, at the viewer's smaller size: %q", rec.drawn, want)
	}
	if notes := strings.Join(r.Notes, "\n"); !strings.Contains(notes, "上传时即无法读取") || !strings.Contains(notes, bad.ID) {
		t.Errorf("notes %q; want the original unreadable since its upload (%s) named", notes, bad.ID)
	}

	rec.jpegLost.Store(true)
	r, err = svc.Verify(ctx, staff, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || len(r.Failures) != 1 || r.Failures[0].Check != "usability" || r.Failures[0].Object != good.ID {
		t.Fatalf("after the renderer lost JPEG: failures %+v; want one usability failure naming %s", r.Failures, good.ID)
	}
	if p := r.Failures[0].Problem; !strings.Contains(p, "营业执照.jpg") || !strings.Contains(p, "第 1 页") {
		t.Errorf("problem %q; want the file's name and the page", p)
	}
}

// TestVerifyWithoutRenderer: a service that cannot draw pages says so instead of passing 可用性
// silently.
func TestVerifyWithoutRenderer(t *testing.T) {
	ctx := context.Background()
	svc, _ := newService(t, &textRecognizer{lines: licence}, time.Date(2024, 5, 20, 10, 0, 0, 0, time.UTC))
	a := createApp(t, svc)
	d, _, err := svc.Upload(ctx, applicant, a.ID, "营业执照.jpg", strings.NewReader(jpeg))
	if err != nil {
		t.Fatal(err)
	}
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusDone })
	r, err := svc.Verify(ctx, staff, "")
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || r.Rendered != 0 || !strings.Contains(strings.Join(r.Notes, "\n"), "未检查原件的可用性") {
		t.Errorf("without a renderer: %+v; want ok, nothing drawn, and a note that 可用性 was not checked", r)
	}
}

// TestVerifyState: an application whose stored state is not where its last recorded transition led —
// the state was written and the process stopped before the event was appended, or the database was
// edited — fails the check "state", by the application's id.
func TestVerifyState(t *testing.T) {
	ctx := context.Background()
	svc, store := newService(t, &textRecognizer{lines: licence}, time.Date(2024, 5, 20, 10, 0, 0, 0, time.UTC))
	a := createApp(t, svc)
	if r, err := svc.Verify(ctx, staff, a.ID); err != nil || !r.OK() {
		t.Fatalf("untouched: %+v, %v; want ok", r, err)
	}
	// What transition does, without the event that should follow.
	a.State = intake.StateSubmitted
	if err := store.UpdateApplication(ctx, a); err != nil {
		t.Fatal(err)
	}
	r, err := svc.Verify(ctx, staff, "")
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || len(r.Failures) != 1 || r.Failures[0].Check != "state" || r.Failures[0].Object != a.ID {
		t.Errorf("state changed without its event: failures %+v; want one state failure naming %s", r.Failures, a.ID)
	}
}
