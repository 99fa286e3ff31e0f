package ocr

import (
	"bytes"
	"image"
	"image/png"
	"unicode"

	"github.com/otiai10/gosseract/v2"

	"shenbao/doc"
)

// PP-OCR has no Tibetan model: a Tibetan line comes out of it as a few wrong Chinese characters read
// with little confidence. Such lines are read again by Tesseract's Tibetan model (bod), and the reading
// is kept when it is Tibetan script read with some confidence.
const (
	tibetanTryBelow = 0.6 // PP-OCR line confidence under which a line may be Tibetan
	tibetanMinConf  = 0.5 // Tesseract's confidence needed to take its reading
	tibetanMinShare = 0.6 // share of Tibetan letters the reading must have
)

// readTibetan replaces the lines of img (as read by PP-OCR) that are Tibetan by Tesseract's reading.
func (e *Engine) readTibetan(img image.Image, lines []doc.Line, dpi int) {
	for i, l := range lines {
		if lineConfidence(l) >= tibetanTryBelow || l.Box.Empty() {
			continue
		}
		if e.bod == nil {
			t, err := newTess("bod")
			if err != nil {
				return // no Tibetan model installed: keep what PP-OCR read
			}
			e.bod = t
		}
		text, conf, ok := e.readLine(e.bod, img, l.Box, dpi)
		if !ok || conf < tibetanMinConf || tibetanShare(text) < tibetanMinShare {
			continue
		}
		lines[i].Words = []doc.Word{{Text: text, Box: l.Box, Confidence: conf}}
	}
}

// readLine reads one box of img as a single line with t.
func (e *Engine) readLine(t *tess, img image.Image, box doc.Box, dpi int) (string, float64, bool) {
	b := img.Bounds()
	m := max(box.H()/4, 4)
	rect := image.Rect(box.X0-m, box.Y0-m, box.X1+m, box.Y1+m).Add(b.Min).Intersect(b)
	if rect.Empty() {
		return "", 0, false
	}
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		return "", 0, false
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, sub.SubImage(rect)); err != nil {
		return "", 0, false
	}
	lines, err := t.read(buf.Bytes(), dpi, gosseract.PSM_SINGLE_LINE, "")
	if err != nil || len(lines) == 0 {
		return "", 0, false
	}
	var text []rune
	sum, n := 0.0, 0
	for _, l := range lines {
		for _, w := range l.Words {
			text = append(text, []rune(w.Text)...)
			sum += w.Confidence
			n++
		}
	}
	return string(text), sum / float64(n), true
}

func lineConfidence(l doc.Line) float64 {
	if len(l.Words) == 0 {
		return 0
	}
	sum := 0.0
	for _, w := range l.Words {
		sum += w.Confidence
	}
	return sum / float64(len(l.Words))
}

// tibetanShare is the share of a text's letters and digits that are Tibetan.
func tibetanShare(s string) float64 {
	tib, all := 0, 0
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Tibetan, r) {
			continue
		}
		all++
		if unicode.Is(unicode.Tibetan, r) {
			tib++
		}
	}
	if all == 0 {
		return 0
	}
	return float64(tib) / float64(all)
}
