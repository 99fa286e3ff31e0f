package intake_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"shenbao/intake"
)

// cutBlobs is the real local-disk store whose originals stop coming halfway while cut is set, as a
// blob store that goes down in the middle of a transfer does (the connection is reset).
type cutBlobs struct {
	intake.BlobStore
	cut atomic.Bool
}

func (b *cutBlobs) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	rc, err := b.BlobStore.Get(ctx, key)
	if err != nil || !b.cut.Load() || strings.HasPrefix(key, "derived/") {
		return rc, err
	}
	return &cutReader{rc: rc, left: 100}, nil
}

type cutReader struct {
	rc   io.ReadCloser
	left int
}

func (r *cutReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, errors.New("read tcp 127.0.0.1:40312->127.0.0.1:9000: read: connection reset by peer")
	}
	if len(p) > r.left {
		p = p[:r.left]
	}
	n, err := r.rc.Read(p)
	r.left -= n
	return n, err
}

func (r *cutReader) Close() error { return r.rc.Close() }

// drawingReader is pageReader that also draws pages (a PageRenderer).
type drawingReader struct{ pageReader }

func (*drawingReader) RenderPage(ctx context.Context, path, contentType string, page, maxSide int) ([]byte, error) {
	return []byte("\xFF\xD8\xFF\xE0 page \xFF\xD9"), nil
}

// A page image whose original stops coming from the blob store halfway is the store's outage
// (ErrUnavailable: 503, try again later), not an internal error nor a corrupt original; once the store
// answers again the page is drawn.
func TestPageImageStoreCutMidway(t *testing.T) {
	ctx := context.Background()
	dir, disk, store := embeddedStores(t)
	blobs := &cutBlobs{BlobStore: disk}
	svc := intake.NewService(blobs, store, &drawingReader{}, slog.New(slog.DiscardHandler), time.Now, intake.Config{TempDir: dir})
	a := createApp(t, svc)
	d, _, err := svc.Upload(ctx, applicant, a.ID, "营业执照.pdf", strings.NewReader(pdfWith("a", 1)+strings.Repeat("%scan\n", 1000)))
	if err != nil {
		t.Fatal(err)
	}
	blobs.cut.Store(true)
	_, err = svc.PageImage(ctx, applicant, d.ID, 1, 1000)
	if !errors.Is(err, intake.ErrUnavailable) || errors.Is(err, intake.ErrCorrupt) {
		t.Errorf("original cut midway: got %v; want ErrUnavailable", err)
	}
	blobs.cut.Store(false)
	rc, err := svc.PageImage(ctx, applicant, d.ID, 1, 1000)
	if err != nil {
		t.Fatalf("store back: %v", err)
	}
	rc.Close()
}
