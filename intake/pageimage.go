package intake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// PageImageSizes are the sizes (longest side, in pixels) page images are drawn at: a screen-sized one
// and a larger one for zooming. Other sizes are refused so the cache stays small.
var PageImageSizes = []int{1000, 2000}

// PageImageKey is where a drawn page is cached: "derived/pages/<sha256 of original>/<page>-<size>.jpg".
func PageImageKey(sha string, page, size int) string {
	return fmt.Sprintf("derived/pages/%s/%d-%d.jpg", sha, page, size)
}

// PageImage returns page n of a document drawn as a JPEG for the reviewer's viewer: from the cache in
// the blob store, or drawn once by the recognizer and cached.
func (s *Service) PageImage(ctx context.Context, p Principal, documentID string, n, size int) (io.ReadCloser, error) {
	if !slices.Contains(PageImageSizes, size) {
		return nil, &Error{Code: "invalid_size", Message: "不支持的图像尺寸。", Err: ErrInvalid}
	}
	d, _, err := s.document(ctx, p, documentID)
	if err != nil {
		return nil, err
	}
	if n < 1 || (d.PageCount > 0 && n > d.PageCount) {
		return nil, &Error{Code: "no_such_page", Message: "该文件没有这一页。", Err: ErrNotFound}
	}
	key := PageImageKey(d.SHA256, n, size)
	if rc, err := s.blobs.Get(ctx, key); err == nil {
		return rc, nil
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	r, ok := s.rec.(PageRenderer)
	if !ok {
		return nil, &Error{Code: "no_renderer", Message: "本服务无法生成页面图像。", Err: ErrUnavailable}
	}
	path, err := s.fetchOriginal(ctx, d)
	if err != nil {
		return nil, err
	}
	defer os.Remove(path)
	img, err := r.RenderPage(ctx, path, d.ContentType, n, size)
	if err != nil {
		return nil, fmt.Errorf("render page %d of %s: %w", n, d.ID, err)
	}
	sum := sha256.Sum256(img)
	if err := s.blobs.Put(ctx, key, bytes.NewReader(img), int64(len(img)), hex.EncodeToString(sum[:])); err != nil {
		s.log.WarnContext(ctx, "cache page image", "document", d.ID, "page", n, "err", err)
	}
	return io.NopCloser(bytes.NewReader(img)), nil
}

// fetchOriginal copies a document's original to a temporary file and returns its path. The copy is
// checked against the original's SHA-256 as it streams: a missing or changed original is ErrCorrupt
// (logged), never read or drawn as the applicant's file; a store that does not answer, or stops
// answering halfway, is ErrUnavailable.
func (s *Service) fetchOriginal(ctx context.Context, d *Document) (string, error) {
	rc, err := s.openOriginal(ctx, d.ID, d.BlobKey, d.Size, d.SHA256)
	if err != nil {
		return "", fmt.Errorf("get original: %w", err)
	}
	defer rc.Close()
	f, err := os.CreateTemp(s.cfg.TempDir, "doc-*")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, rc); err != nil {
		f.Close()
		os.Remove(f.Name())
		if !errors.Is(err, ErrCorrupt) && ctx.Err() == nil {
			// The store stopped sending halfway (it went down, the connection was reset), or the
			// spool could not take the copy: the service's outage, to try again later — not a
			// damaged original, nor an internal error with no advice.
			return "", fmt.Errorf("copy original: %w: %w", ErrUnavailable, err)
		}
		return "", fmt.Errorf("copy original: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
