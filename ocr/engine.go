package ocr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png"
	"math"
	"os"
	"unicode"

	"github.com/otiai10/gosseract/v2"
	_ "golang.org/x/image/tiff"

	"shenbao/doc"
	"shenbao/ocr/ppocr"
)

// Content types the engine reads.
const (
	PDF  = "application/pdf"
	JPEG = "image/jpeg"
	PNG  = "image/png"
	TIFF = "image/tiff"
)

// Limits against pixel and PDF bombs.
const (
	maxPixels     = 120_000_000 // 120 MP: an A0 page at 300 DPI is 140 MP; an A4 at 600 DPI is 35 MP
	maxImageBytes = 200 << 20
	renderDPI     = 300
	assumedDPI    = 300 // for images that do not say

	// maxPagePixels bounds a PDF page as drawn (see pageDim.drawDPI): an A2 page at 300 DPI is 35 MP.
	// A worker reading a page of 100 MP peaks at its 3 GB address-space limit and may die on it.
	maxPagePixels = 40_000_000
	// minRenderDPI is the least resolution a page is drawn at to be read: the largest page PDF allows
	// (14400 points a side) fits maxPagePixels at 31 DPI.
	minRenderDPI = 30
)

// Engine reads pages in-process: it is what runs inside a worker process. It is not safe for concurrent
// use. The service never calls it directly (a crash in Tesseract, Leptonica or pdfcpu would take the
// service down): it goes through Pool.
type Engine struct {
	tess *tess
	bod  *tess         // Tesseract with Tibetan, made when a page first needs it
	auto bool          // the combination: PP-OCR, with Tesseract for Tibetan lines
	pp   *ppocr.Reader // nil when Tesseract reads alone
	pdf  *pdfFile      // the last PDF opened, kept for its next page
}

// Readers an Engine can use for page text.
const (
	ReaderAuto      = "auto"      // the most accurate combination (measured): PP-OCR with its orientation
	ReaderTesseract = "tesseract" // Tesseract alone
	ReaderPPOCR     = "ppocr"     // PP-OCR alone
)

// EngineConfig configures an Engine.
type EngineConfig struct {
	Lang     string // Tesseract languages, e.g. "chi_sim"
	Reader   string // ReaderAuto (default), ReaderTesseract or ReaderPPOCR
	ModelDir string // PP-OCR models and ONNX Runtime; empty: ppocr.DefaultModelDir()
}

// NewEngine starts the readers cfg asks for. PP-OCR's models must be there (scripts/models.sh) unless
// the reader is Tesseract alone: a missing model is an error, not a silent fall-back.
func NewEngine(cfg EngineConfig) (*Engine, error) {
	if cfg.Lang == "" {
		cfg.Lang = "chi_sim"
	}
	t, err := newTess(cfg.Lang)
	if err != nil {
		return nil, err
	}
	e := &Engine{tess: t}
	switch cfg.Reader {
	case ReaderTesseract:
	case "", ReaderAuto, ReaderPPOCR:
		pp, err := ppocr.New(ppocr.Config{ModelDir: cfg.ModelDir})
		if err != nil {
			t.Close()
			return nil, fmt.Errorf("ocr engine: %w", err)
		}
		e.pp = pp
		e.auto = cfg.Reader != ReaderPPOCR
	default:
		t.Close()
		return nil, fmt.Errorf("ocr engine: unknown reader %q (auto, tesseract or ppocr)", cfg.Reader)
	}
	return e, nil
}

// Close releases the readers.
func (e *Engine) Close() error {
	if e.pp != nil {
		e.pp.Close()
	}
	if e.bod != nil {
		e.bod.Close()
	}
	return e.tess.Close()
}

// Count returns the number of pages of the file.
func (e *Engine) Count(path, contentType string) (int, error) {
	switch contentType {
	case PDF:
		f, err := e.openPDF(path)
		if err != nil {
			return 0, err
		}
		return f.pageCount(), nil
	case TIFF:
		b, err := os.ReadFile(path)
		if err != nil {
			return 0, err
		}
		return tiffPageCount(b)
	case JPEG, PNG:
		return 1, nil
	}
	return 0, fmt.Errorf("unsupported content type %q", contentType)
}

func (e *Engine) openPDF(path string) (*pdfFile, error) {
	if e.pdf != nil && e.pdf.path == path {
		return e.pdf, nil
	}
	f, err := openPDF(path)
	if err != nil {
		return nil, err
	}
	e.pdf = f
	return f, nil
}

// Read reads page n (1-based) of the file.
func (e *Engine) Read(ctx context.Context, path, contentType string, n int) (doc.Page, error) {
	img, dpi, err := e.pageImage(ctx, path, contentType, n)
	if err != nil {
		return doc.Page{}, err
	}
	if img.page != nil { // a PDF text layer: nothing to recognise, but a seal may be stamped on it
		img.page.Number = n
		e.textPageSeals(ctx, img.page, n)
		return *img.page, nil
	}
	// Between pages a worker keeps only its models: the reader's buffers and the C heap's free
	// memory go back (issue 14: with MALLOC_ARENA_MAX=2, 449 → 431 MB at the larger worker's peak
	// on 100 dev pages).
	defer trimMalloc()
	if e.pp != nil {
		defer e.pp.Release()
	}
	return e.recognize(img.data, dpi, n)
}

type pageImage struct {
	data []byte    // encoded image for Tesseract
	page *doc.Page // set instead when the page was read from a text layer
}

func (e *Engine) pageImage(ctx context.Context, path, contentType string, n int) (pageImage, int, error) {
	switch contentType {
	case PDF:
		f, err := e.openPDF(path)
		if err != nil {
			return pageImage{}, 0, err
		}
		if n < 1 || n > f.pageCount() {
			return pageImage{}, 0, fmt.Errorf("page %d of %d", n, f.pageCount())
		}
		if p, ok, err := f.textLayer(ctx, n, renderDPI); err != nil {
			return pageImage{}, 0, err
		} else if ok {
			return pageImage{page: &p}, renderDPI, nil
		}
		data, w, _, ok, err := f.soleImage(n)
		if err != nil {
			return pageImage{}, 0, err
		}
		if ok {
			dpi := int(float64(w) / (f.dims[n-1].W / 72))
			return pageImage{data: data}, dpi, nil
		}
		data, dpi, err := f.render(ctx, n, renderDPI)
		return pageImage{data: data}, dpi, err
	case TIFF:
		b, err := os.ReadFile(path)
		if err != nil {
			return pageImage{}, 0, err
		}
		if err := checkPixels(b); err != nil {
			return pageImage{}, 0, err
		}
		if n == 1 {
			return pageImage{data: b}, imageDPI(b), nil
		}
		png, err := tiffPagePNG(b, n-1)
		return pageImage{data: png}, assumedDPI, err
	case JPEG, PNG:
		if n != 1 {
			return pageImage{}, 0, fmt.Errorf("page %d of 1", n)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return pageImage{}, 0, err
		}
		if err := checkPixels(b); err != nil {
			return pageImage{}, 0, err
		}
		dpi := imageDPI(b)
		if deg := exifRotation(b); deg != 0 {
			// A phone photo stored sideways says so in EXIF: the page is the photo as it is meant to
			// be seen, for reading, boxes and the viewer alike.
			if b, err = uprightJPEG(b, deg); err != nil {
				return pageImage{}, 0, err
			}
		}
		return pageImage{data: b}, dpi, nil
	}
	return pageImage{}, 0, fmt.Errorf("unsupported content type %q", contentType)
}

// checkPixels refuses images whose header promises more pixels than maxPixels, before anything decodes
// them. A header Go cannot read (e.g. a JPEG-compressed TIFF) is left to Leptonica.
func checkPixels(b []byte) error {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return fmt.Errorf("image of %d×%d pixels is over the limit of %d megapixels", cfg.Width, cfg.Height, maxPixels/1_000_000)
	}
	return nil
}

// recognize OCRs one encoded page image and judges whether it is blank or illegible.
func (e *Engine) recognize(data []byte, dpi, n int) (doc.Page, error) {
	p := doc.Page{Number: n, DPI: dpi, Source: doc.SourceOCR, SealUnknown: true}
	img, decErr := decodeImage(data)
	marks := -1.0 // unknown
	var seals []seal
	if decErr == nil {
		marks = markRatio(img)
		p.Width, p.Height = img.Bounds().Dx(), img.Bounds().Dy()
		var known bool
		seals, known = pageSeals(img, dpi)
		p.SealUnknown = !known
		for _, s := range seals {
			p.Seals = append(p.Seals, s.box)
		}
	} else if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		p.Width, p.Height = cfg.Width, cfg.Height
	}
	if e.pp == nil {
		lines, err := e.readTesseract(data, dpi, p.Width, p.Height)
		if err != nil {
			return p, err
		}
		p.Lines = lines
		judge(&p, marks)
		return p, nil
	}
	if decErr != nil {
		return p, fmt.Errorf("decode page %d: %w", n, decErr)
	}
	// Both readers fail on a page turned on its side or upside down: turn it upright first, read it, and
	// give the boxes back in the page's own coordinates.
	lines, deg, upright, err := e.pp.ReadUpright(img, minOrientationConfidence)
	if err != nil {
		return p, fmt.Errorf("ppocr: %w", err)
	}
	if e.auto {
		e.readTibetan(upright, lines, dpi)
	}
	markCheckboxes(upright, lines) // check boxes read ticked or empty from the pixels (checkbox.go)
	if deg != 0 {
		unrotate(lines, deg, p.Width, p.Height)
	}
	p.Rotation = deg
	p.Lines = lines
	if p.SealTexts, err = e.readSeals(img, seals, deg); err != nil {
		return p, fmt.Errorf("ppocr: seal: %w", err)
	}
	judge(&p, marks)
	return p, nil
}

// minOrientationConfidence is how sure PP-OCR's orientation must be before a page is turned.
const minOrientationConfidence = 0.6

// decodeImage decodes an encoded page with Go's decoders, or through Leptonica for what they cannot
// read (CCITT and JPEG-compressed TIFF).
func decodeImage(data []byte) (image.Image, error) {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err == nil {
		return img, nil
	}
	png, lerr := tiffPagePNG(data, 0)
	if lerr != nil {
		return nil, err
	}
	img, _, err = image.Decode(bytes.NewReader(png))
	return img, err
}

// unrotate maps boxes read on the page turned clockwise by deg back onto the page as it is (w×h).
func unrotate(lines []doc.Line, deg, w, h int) {
	for i := range lines {
		lines[i].Box = lines[i].Box.FromUpright(deg, w, h)
		for j := range lines[i].Words {
			lines[i].Words[j].Box = lines[i].Words[j].Box.FromUpright(deg, w, h)
		}
	}
}

// sealsOf decodes an encoded page and finds its seals as Read does; known is false when the page has no
// colour and no seal was found on it (or it cannot be decoded), so that whether it bears a seal cannot
// be told.
func sealsOf(data []byte, dpi int) (seals []doc.Box, known bool) {
	img, err := decodeImage(data)
	if err != nil {
		return nil, false
	}
	ss, known := pageSeals(img, dpi)
	for _, s := range ss {
		seals = append(seals, s.box)
	}
	return seals, known
}

// judge sets the page's mean confidence and its Blank and Illegible flags from what was read and from
// marks, the share of the page that is marked (markRatio; negative when unknown). A page with fewer than
// 3 letters, digits or CJK characters read is blank when it bears no marks (under 0.4%: dust, grain), and
// illegible when it does (print too blurred or faded to read). A page with text read is illegible when
// the reader trusts it little (mean word confidence under 0.45) — its text is kept, but nothing should
// rely on it.
func judge(p *doc.Page, marks float64) {
	chars, sum, n := 0, 0.0, 0
	for _, l := range p.Lines {
		for _, w := range l.Words {
			for _, r := range w.Text {
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					chars++
				}
			}
			sum += w.Confidence
			n++
		}
	}
	if n > 0 {
		p.MeanConfidence = sum / float64(n)
	}
	switch {
	case chars < 3:
		p.Blank = marks < minMarks
		p.Illegible = !p.Blank
	default:
		p.Illegible = p.MeanConfidence < 0.45
	}
}

// minMarks is the share of marked pixels under which a page is taken as blank: dust, and the grain of
// a scanned blank sheet, whose compression clumps into specks of a few pixels (0.2% of a generated
// grainy blank page). The faintest page of print measured leaves 3% and more.
const minMarks = 0.004

// imageDPI reads the resolution a JPEG (JFIF) or PNG (pHYs) header states, or assumes assumedDPI.
func imageDPI(b []byte) int {
	switch {
	case len(b) > 18 && b[0] == 0xFF && b[1] == 0xD8 && string(b[6:11]) == "JFIF\x00":
		unit, x := b[13], int(b[14])<<8|int(b[15])
		if unit == 1 && x >= 50 && x <= 1200 {
			return x
		}
		if unit == 2 && x >= 20 && x <= 500 {
			return int(float64(x) * 2.54)
		}
	case len(b) > 8 && string(b[1:4]) == "PNG":
		if i := bytes.Index(b[:min(len(b), 4096)], []byte("pHYs")); i > 0 && i+13 <= len(b) {
			x := int(b[i+4])<<24 | int(b[i+5])<<16 | int(b[i+6])<<8 | int(b[i+7])
			if b[i+12] == 1 && x > 0 {
				if dpi := int(float64(x)*0.0254 + 0.5); dpi >= 50 && dpi <= 1200 {
					return dpi
				}
			}
		}
	}
	return assumedDPI
}

var errWorkerGone = errors.New("ocr worker died")

// markRatio is the share of a page's interior (inside a 6% margin, where scanner edges and shadows
// lie) that is a mark: a pixel at least 24 grey levels darker than its row's paper, beside another.
// Blurred or faded print still leaves marks; a blank sheet leaves only specks and grain.
func markRatio(img image.Image) float64 {
	b := img.Bounds()
	mx, my := b.Dx()*6/100, b.Dy()*6/100
	step := max(min(b.Dx(), b.Dy())/800, 1)
	marks, n := 0, 0
	row := make([]int, 0, b.Dx()/step+1)
	at := pixelReader(img)
	for y := b.Min.Y + my; y < b.Max.Y-my; y += step {
		row = row[:0]
		for x := b.Min.X + mx; x < b.Max.X-mx; x += step {
			r, g, bl := at(x, y)
			row = append(row, (int(r)*299+int(g)*587+int(bl)*114)/1000)
		}
		// The paper level of this row: its 80th percentile brightness, by a small histogram.
		var hist [256]int
		for _, v := range row {
			hist[v]++
		}
		paper, seen := 255, 0
		for v := 255; v >= 0; v-- {
			seen += hist[v]
			if seen*5 >= len(row) {
				paper = v
				break
			}
		}
		// A mark is a stroke: a dark sample beside another. A scan's grain darkens single
		// pixels here and there as deep as faint print does, never two side by side.
		for i, v := range row {
			if v <= paper-24 && ((i > 0 && row[i-1] <= paper-24) || (i+1 < len(row) && row[i+1] <= paper-24)) {
				marks++
			}
		}
		n += len(row)
	}
	if n == 0 {
		return 0
	}
	return float64(marks) / float64(n)
}

// uprightJPEG turns a JPEG clockwise by deg and encodes it again (at high quality).
func uprightJPEG(b []byte, deg int) ([]byte, error) {
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := jpeg.Encode(&out, ppocr.Rotate(img, deg), &jpeg.Options{Quality: 95}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// sealDPI is the resolution a text-layer page is drawn at to look for seals: enough for a 4 cm stamp.
const sealDPI = 75

// textPageSeals draws a text-layer PDF page small and in colour and finds the seals on it (a digital
// document's seal is an image or a drawing, not text), in the page's coordinates; each round seal is
// drawn again at sealReadDPI to be read.
func (e *Engine) textPageSeals(ctx context.Context, p *doc.Page, n int) {
	p.SealUnknown = true
	if e.pdf == nil {
		return
	}
	data, dpi, err := e.pdf.render(ctx, n, sealDPI)
	if err != nil {
		return
	}
	img, err := decodeImage(data)
	if err != nil {
		return
	}
	seals, known := pageSeals(img, dpi)
	p.SealUnknown = !known
	scale := float64(p.DPI) / float64(dpi)
	for _, s := range seals {
		p.Seals = append(p.Seals, scaleBox(s.box, scale))
		if t, ok := e.readTextPageSeal(ctx, n, s, dpi); ok {
			t.Box = scaleBox(s.box, scale)
			p.SealTexts = append(p.SealTexts, t)
		}
	}
}

func scaleBox(b doc.Box, scale float64) doc.Box {
	return doc.Box{X0: int(float64(b.X0) * scale), Y0: int(float64(b.Y0) * scale),
		X1: int(float64(b.X1) * scale), Y1: int(float64(b.Y1) * scale)}
}

// sealReadDPI is the resolution a seal of a text-layer page is drawn at to be read.
const sealReadDPI = 200

// readTextPageSeal draws the seal s, found on page n drawn at dpi, again at sealReadDPI and reads it.
func (e *Engine) readTextPageSeal(ctx context.Context, n int, s seal, dpi int) (doc.SealText, bool) {
	if e.pp == nil {
		return doc.SealText{}, false
	}
	k := float64(sealReadDPI) / float64(dpi)
	grow := float64(s.box.W()+s.box.H()) / 8
	rect := image.Rect(int((float64(s.box.X0)-grow)*k), int((float64(s.box.Y0)-grow)*k),
		int((float64(s.box.X1)+grow)*k), int((float64(s.box.Y1)+grow)*k))
	rect.Min = image.Pt(max(rect.Min.X, 0), max(rect.Min.Y, 0))
	data, err := e.pdf.renderRect(ctx, n, sealReadDPI, rect)
	if err != nil {
		return doc.SealText{}, false
	}
	img, err := decodeImage(data)
	if err != nil {
		return doc.SealText{}, false
	}
	box := doc.Box{X0: int(float64(s.box.X0)*k) - rect.Min.X, Y0: int(float64(s.box.Y0)*k) - rect.Min.Y,
		X1: int(float64(s.box.X1)*k) - rect.Min.X, Y1: int(float64(s.box.Y1)*k) - rect.Min.Y}
	var big seal
	if s.red {
		big = redSeal(img, box)
	} else {
		big = seal{box: box, cx: s.cx*k - float64(rect.Min.X), cy: s.cy*k - float64(rect.Min.Y), r: s.r * k}
	}
	texts, err := e.readSeals(img, []seal{big}, 0)
	if err != nil || len(texts) == 0 {
		return doc.SealText{}, false
	}
	return texts[0], true
}

// readTesseract reads a page with Tesseract after preparing it, each step measured on the 251 dev pages
// (character error rate, Tesseract alone): red seal ink whitened (sealed pages 0.166 → 0.134) and the
// page deskewed by Leptonica (all pages 0.231 → 0.151). Upscaling low-resolution pages to 300 dpi was
// tried and did not help (0.233), so it is not done. Boxes are mapped back onto the page as it is.
func (e *Engine) readTesseract(data []byte, dpi, w, h int) ([]doc.Line, error) {
	pdata, angle, err := prepare(data, true, true)
	if err != nil {
		return e.tess.read(data, dpi, gosseract.PSM_AUTO, "")
	}
	lines, err := e.tess.read(pdata, dpi, gosseract.PSM_AUTO, "")
	if err != nil || angle == 0 {
		return lines, err
	}
	unskew(lines, angle, w, h)
	return lines, nil
}

// unskew maps boxes read on a page turned clockwise by angle (radians) about its centre back onto the
// page (w×h) as it is.
func unskew(lines []doc.Line, angle float64, w, h int) {
	cx, cy := float64(w)/2, float64(h)/2
	sin, cos := math.Sin(-angle), math.Cos(-angle)
	pt := func(x, y int) (float64, float64) {
		dx, dy := float64(x)-cx, float64(y)-cy
		return cx + dx*cos - dy*sin, cy + dx*sin + dy*cos
	}
	box := func(b doc.Box) doc.Box {
		xs, ys := [4]float64{}, [4]float64{}
		xs[0], ys[0] = pt(b.X0, b.Y0)
		xs[1], ys[1] = pt(b.X1, b.Y0)
		xs[2], ys[2] = pt(b.X0, b.Y1)
		xs[3], ys[3] = pt(b.X1, b.Y1)
		x0, y0, x1, y1 := xs[0], ys[0], xs[0], ys[0]
		for i := 1; i < 4; i++ {
			x0, y0, x1, y1 = min(x0, xs[i]), min(y0, ys[i]), max(x1, xs[i]), max(y1, ys[i])
		}
		clamp := func(v float64, hi int) int { return max(0, min(hi, int(math.Round(v)))) }
		return doc.Box{X0: clamp(x0, w), Y0: clamp(y0, h), X1: clamp(x1, w), Y1: clamp(y1, h)}
	}
	for i := range lines {
		lines[i].Box = box(lines[i].Box)
		for j := range lines[i].Words {
			lines[i].Words[j].Box = box(lines[i].Words[j].Box)
		}
	}
}
