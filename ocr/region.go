package ocr

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"strings"

	"github.com/otiai10/gosseract/v2"

	"shenbao/doc"
	"shenbao/ocr/ppocr"
)

// Region asks for a second, constrained reading of one region of a page: Tesseract, one line of text,
// only the characters of Whitelist (all when empty). Box is in the page's coordinates as read
// (doc.Page), Rotation the page's (doc.Page.Rotation).
type Region struct {
	Page      int
	Box       doc.Box
	Rotation  int
	Whitelist string
}

// ReadRegion reads a region of page r.Page of the file again, as Region says; it returns the text and
// Tesseract's mean word confidence (0..1).
func (e *Engine) ReadRegion(ctx context.Context, path, contentType string, r Region) (string, float64, error) {
	pi, dpi, err := e.pageImage(ctx, path, contentType, r.Page)
	if err != nil {
		return "", 0, err
	}
	if pi.data == nil {
		return "", 0, fmt.Errorf("page %d has no image (it was read from its text layer)", r.Page)
	}
	img, err := decodeImage(pi.data)
	if err != nil {
		return "", 0, err
	}
	// A Tesseract of its own, closed after: re-reads are few (a credit code that failed its check),
	// and a model kept loaded for them would stay in the worker for the rest of its life (issue 14:
	// about 29 MB).
	t, err := newTess(e.tess.lang)
	if err != nil {
		return "", 0, err
	}
	defer trimMalloc()
	defer t.Close()
	return e.readBox(t, img, r.Box, r.Rotation, dpi, r.Whitelist)
}

// readBox reads one box of img (with a margin of a quarter of its height, clipped to the image) as a
// single line with t, only the characters of whitelist (all when empty), after turning it clockwise
// by rotation degrees; it returns the text and the mean word confidence.
func (e *Engine) readBox(t *tess, img image.Image, box doc.Box, rotation, dpi int, whitelist string) (string, float64, error) {
	b := img.Bounds()
	m := max(box.H()/4, 4)
	rect := image.Rect(box.X0-m, box.Y0-m, box.X1+m, box.Y1+m).Add(b.Min).Intersect(b)
	if rect.Empty() {
		return "", 0, fmt.Errorf("box %v is outside the %d×%d page", box, b.Dx(), b.Dy())
	}
	crop := image.NewRGBA(image.Rect(0, 0, rect.Dx(), rect.Dy()))
	draw.Draw(crop, crop.Bounds(), img, rect.Min, draw.Src)
	var sub image.Image = crop
	if rotation != 0 {
		sub = ppocr.Rotate(crop, rotation)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, sub); err != nil {
		return "", 0, err
	}
	lines, err := t.read(buf.Bytes(), dpi, gosseract.PSM_SINGLE_LINE, whitelist)
	if whitelist != "" {
		// The client is reused for whole pages: clear the constraint whatever happened.
		t.client.SetWhitelist("")
	}
	if err != nil {
		return "", 0, err
	}
	var words []string
	sum, n := 0.0, 0
	for _, l := range lines {
		for _, w := range l.Words {
			words = append(words, w.Text)
			sum += w.Confidence
			n++
		}
	}
	if n == 0 {
		return "", 0, nil
	}
	return strings.Join(words, ""), sum / float64(n), nil
}
