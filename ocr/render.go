package ocr

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"

	"golang.org/x/image/draw"
)

// RenderPage draws page n of a file as a JPEG whose longer side is at most maxSide pixels, for people
// to look at. Boxes of the read page scale onto it by its width over the page's Width.
func (e *Engine) RenderPage(ctx context.Context, path, contentType string, n, maxSide int) ([]byte, error) {
	var data []byte
	switch contentType {
	case PDF:
		f, err := e.openPDF(path)
		if err != nil {
			return nil, err
		}
		if n < 1 || n > f.pageCount() {
			return nil, fmt.Errorf("page %d of %d", n, f.pageCount())
		}
		if b, _, _, ok, err := f.soleImage(n); err == nil && ok {
			data = b
		} else {
			d := f.dims[n-1]
			dpi := int(float64(maxSide) / (max(d.W, d.H) / 72))
			data, _, err = f.render(ctx, n, max(dpi, minRenderDPI))
			if err != nil {
				return nil, err
			}
		}
	default:
		img, _, err := e.pageImage(ctx, path, contentType, n)
		if err != nil {
			return nil, err
		}
		data = img.data
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		// Formats Go cannot decode (CCITT or JPEG-in-TIFF, CMYK JPEG…): let Leptonica convert to PNG.
		png, lerr := tiffPagePNG(data, 0)
		if lerr != nil {
			return nil, fmt.Errorf("decode page %d: %w", n, err)
		}
		if src, _, err = image.Decode(bytes.NewReader(png)); err != nil {
			return nil, fmt.Errorf("decode page %d: %w", n, err)
		}
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if s := max(w, h); s > maxSide {
		w, h = w*maxSide/s, h*maxSide/s
	}
	dst := image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
