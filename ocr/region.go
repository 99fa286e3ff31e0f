package ocr

import (
	"bytes"
	"context"
	"fmt"
	"image"
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
	b := img.Bounds()
	// A margin of a third of the line height around the box, clipped to the page.
	m := max(r.Box.H()/3, 4)
	rect := image.Rect(r.Box.X0-m, r.Box.Y0-m, r.Box.X1+m, r.Box.Y1+m).Add(b.Min).Intersect(b)
	if rect.Empty() {
		return "", 0, fmt.Errorf("region %v is outside the %d×%d page", r.Box, b.Dx(), b.Dy())
	}
	crop := image.NewRGBA(image.Rect(0, 0, rect.Dx(), rect.Dy()))
	for y := 0; y < rect.Dy(); y++ {
		for x := 0; x < rect.Dx(); x++ {
			crop.Set(x, y, img.At(rect.Min.X+x, rect.Min.Y+y))
		}
	}
	var sub image.Image = crop
	if r.Rotation != 0 {
		sub = ppocr.Rotate(crop, r.Rotation)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, sub); err != nil {
		return "", 0, err
	}
	lines, err := e.tess.read(buf.Bytes(), dpi, gosseract.PSM_SINGLE_LINE, r.Whitelist)
	// The client is reused for whole pages: clear the constraint whatever happened.
	e.tess.client.SetWhitelist("")
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
