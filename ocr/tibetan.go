package ocr

import (
	"image"
	"unicode"

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
		text, conf, err := e.readBox(e.bod, img, l.Box, 0, dpi, "")
		if err != nil || conf < tibetanMinConf || tibetanShare(text) < tibetanMinShare {
			continue
		}
		lines[i].Words = []doc.Word{{Text: text, Box: l.Box, Confidence: conf}}
	}
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
