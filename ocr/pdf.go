package ocr

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"shenbao/doc"
)

// pdfFile is an opened PDF: pdfcpu's parsed context (for page count, sizes and embedded images).
type pdfFile struct {
	path string
	ctx  *model.Context
	dims []pageDim // in points
}

type pageDim struct{ W, H float64 }

func openPDF(path string) (f *pdfFile, err error) {
	defer func() {
		// pdfcpu has a record of panics on malformed input; this runs in a worker process, but a
		// clear error beats a dead worker.
		if r := recover(); r != nil {
			err = fmt.Errorf("pdf: malformed (%v)", r)
		}
	}()
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	ctx, err := api.ReadValidateAndOptimize(fh, conf)
	if err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	dims, err := ctx.PageDims()
	if err != nil {
		return nil, fmt.Errorf("pdf page sizes: %w", err)
	}
	f = &pdfFile{path: path, ctx: ctx}
	for _, d := range dims {
		f.dims = append(f.dims, pageDim{d.Width, d.Height})
	}
	return f, nil
}

func (f *pdfFile) pageCount() int { return f.ctx.PageCount }

// soleImage returns the page's image when the page is one embedded scan (a single image resource),
// in an encoding Tesseract reads (JPEG, PNG, TIFF); ok is false otherwise.
func (f *pdfFile) soleImage(n int) (data []byte, w, h int, ok bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pdf page %d images: malformed (%v)", n, r)
		}
	}()
	imgs, err := pdfcpu.ExtractPageImages(f.ctx, n, false)
	if err != nil {
		return nil, 0, 0, false, nil // fall back to rendering
	}
	if len(imgs) != 1 {
		return nil, 0, 0, false, nil
	}
	for _, im := range imgs {
		switch im.FileType {
		case "jpg", "png", "tif":
		default:
			return nil, 0, 0, false, nil
		}
		if im.IsImgMask || im.HasSMask || im.HasImgMask {
			return nil, 0, 0, false, nil
		}
		if int64(im.Width)*int64(im.Height) > maxPixels {
			return nil, 0, 0, false, fmt.Errorf("pdf page %d: embedded image of %d×%d pixels is over the limit", n, im.Width, im.Height)
		}
		b, err := io.ReadAll(io.LimitReader(im, maxImageBytes+1))
		if err != nil || len(b) > maxImageBytes {
			return nil, 0, 0, false, nil
		}
		return b, im.Width, im.Height, true, nil
	}
	return nil, 0, 0, false, nil
}

// pixels is the size of the page drawn at dpi, as pdftoppm rounds it.
func (d pageDim) pixels(dpi int) int64 {
	side := func(pt float64) int64 { return int64(math.Ceil(pt / 72 * float64(dpi))) }
	return side(d.W) * side(d.H)
}

// drawDPI is the resolution the page is drawn at when dpi is asked for: dpi, or the highest below it
// at which the page stays within maxPagePixels. A page over maxPagePixels even at minRenderDPI (larger
// than PDF allows) is over its drawing budget: the error wraps errOverBudget.
func (d pageDim) drawDPI(n, dpi int) (int, error) {
	if d.pixels(dpi) <= maxPagePixels {
		return dpi, nil
	}
	fit := min(dpi, int(math.Sqrt(maxPagePixels/(d.W/72*d.H/72))))
	for fit >= minRenderDPI && d.pixels(fit) > maxPagePixels {
		fit--
	}
	if fit < minRenderDPI {
		return 0, fmt.Errorf("pdf page %d: %w: a page of %.0f×%.0f points is over %d megapixels even at %d dpi",
			n, errOverBudget, d.W, d.H, maxPagePixels/1_000_000, minRenderDPI)
	}
	return fit, nil
}

// render rasterises page n with pdftoppm at dpi (lowered so that the page stays within
// maxPagePixels, see drawDPI), in colour so that seals can be found. It returns the PNG and the
// resolution it was drawn at.
func (f *pdfFile) render(ctx context.Context, n, dpi int) ([]byte, int, error) {
	dpi, err := f.dims[n-1].drawDPI(n, dpi)
	if err != nil {
		return nil, 0, err
	}
	dir, err := os.MkdirTemp("", "shenbao-render-")
	if err != nil {
		return nil, 0, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "p")
	if err := drawPage(ctx, n, "-r", strconv.Itoa(dpi), "-f", strconv.Itoa(n), "-l", strconv.Itoa(n),
		"-png", "-singlefile", f.path, out); err != nil {
		return nil, 0, err
	}
	b, err := os.ReadFile(out + ".png")
	if err != nil {
		return nil, 0, err
	}
	// pdfcpu's page size chose the resolution; pdftoppm's is what was drawn. Should they disagree
	// (a malformed page box each repairs its own way), the drawing is not decoded over the budget.
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(b)); err == nil && int64(cfg.Width)*int64(cfg.Height) > maxPagePixels {
		return nil, 0, fmt.Errorf("pdf page %d: %w: drawn %d×%d pixels at %d dpi, over %d megapixels",
			n, errOverBudget, cfg.Width, cfg.Height, dpi, maxPagePixels/1_000_000)
	}
	return b, dpi, nil
}

// renderRect rasterises the rectangle r (in pixels at dpi) of page n with pdftoppm, in colour.
func (f *pdfFile) renderRect(ctx context.Context, n, dpi int, r image.Rectangle) ([]byte, error) {
	if r.Empty() || r.Min.X < 0 || r.Min.Y < 0 || int64(r.Dx())*int64(r.Dy()) > maxPagePixels {
		return nil, fmt.Errorf("pdf page %d: no region %v to draw", n, r)
	}
	dir, err := os.MkdirTemp("", "shenbao-render-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "p")
	if err := drawPage(ctx, n, "-r", strconv.Itoa(dpi), "-f", strconv.Itoa(n), "-l", strconv.Itoa(n),
		"-x", strconv.Itoa(r.Min.X), "-y", strconv.Itoa(r.Min.Y), "-W", strconv.Itoa(r.Dx()), "-H", strconv.Itoa(r.Dy()),
		"-png", "-singlefile", f.path, out); err != nil {
		return nil, err
	}
	return os.ReadFile(out + ".png")
}

// textLayer reads page n's own text with word boxes (pdftotext -bbox-layout), scaled to pixels at dpi.
// A page whose text layer holds fewer than minChars printable characters is reported as having none.
func (f *pdfFile) textLayer(ctx context.Context, n, dpi int) (doc.Page, bool, error) {
	cmd := exec.CommandContext(ctx, "pdftotext", "-bbox-layout", "-f", strconv.Itoa(n), "-l", strconv.Itoa(n), f.path, "-")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return doc.Page{}, false, fmt.Errorf("pdftotext page %d: %w: %s", n, err, firstLine(stderr.String()))
	}
	scale := float64(dpi) / 72
	p, chars, err := parseBBoxLayout(&stdout, scale)
	if err != nil {
		return doc.Page{}, false, fmt.Errorf("pdftotext page %d: %w", n, err)
	}
	if chars < minTextLayerChars {
		return doc.Page{}, false, nil
	}
	d := f.dims[n-1]
	p.Width, p.Height = int(math.Round(d.W*scale)), int(math.Round(d.H*scale))
	p.DPI = dpi
	p.Source = doc.SourceTextLayer
	p.MeanConfidence = 1
	return p, true, nil
}

const minTextLayerChars = 10

// parseBBoxLayout reads pdftotext's -bbox-layout XHTML: page > flow > block > line > word.
func parseBBoxLayout(r io.Reader, scale float64) (doc.Page, int, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	var p doc.Page
	var line *doc.Line
	chars := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return p, chars, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "line":
				line = &doc.Line{}
			case "word":
				box := attrBox(t.Attr, scale)
				var text string
				if err := dec.DecodeElement(&text, &t); err != nil {
					return p, chars, err
				}
				text = strings.TrimSpace(text)
				if text == "" {
					continue
				}
				chars += len([]rune(text))
				w := doc.Word{Text: text, Box: box, Confidence: 1}
				if line == nil {
					line = &doc.Line{}
				}
				line.Words = append(line.Words, w)
				line.Box = line.Box.Union(box)
			}
		case xml.EndElement:
			if t.Name.Local == "line" && line != nil {
				if len(line.Words) > 0 {
					p.Lines = append(p.Lines, *line)
				}
				line = nil
			}
		}
	}
	return p, chars, nil
}

func attrBox(attrs []xml.Attr, scale float64) doc.Box {
	var x0, y0, x1, y1 float64
	for _, a := range attrs {
		v, _ := strconv.ParseFloat(a.Value, 64)
		switch a.Name.Local {
		case "xMin":
			x0 = v
		case "yMin":
			y0 = v
		case "xMax":
			x1 = v
		case "yMax":
			y1 = v
		}
	}
	return doc.Box{X0: int(x0 * scale), Y0: int(y0 * scale), X1: int(math.Ceil(x1 * scale)), Y1: int(math.Ceil(y1 * scale))}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
