package ocr

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/otiai10/gosseract/v2"

	"shenbao/doc"
)

// tess wraps one gosseract client. It is not safe for concurrent use: each worker process owns one.
type tess struct {
	client *gosseract.Client
	lang   string
}

func newTess(lang string) (*tess, error) {
	c := gosseract.NewClient()
	if err := c.SetLanguage(strings.Split(lang, "+")...); err != nil {
		c.Close()
		return nil, err
	}
	return &tess{client: c, lang: lang}, nil
}

func (t *tess) Close() error { return t.client.Close() }

// read recognises an encoded image (JPEG, PNG or TIFF) once and returns its lines with word boxes.
// Text is built from the boxes: calling Text() as well would run recognition a second time.
func (t *tess) read(img []byte, dpi int, psm gosseract.PageSegMode, whitelist string) ([]doc.Line, error) {
	if err := t.client.SetImageFromBytes(img); err != nil {
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	if dpi > 0 {
		if err := t.client.SetVariable("user_defined_dpi", strconv.Itoa(dpi)); err != nil {
			return nil, err
		}
	}
	if err := t.client.SetPageSegMode(psm); err != nil {
		return nil, err
	}
	if err := t.client.SetWhitelist(whitelist); err != nil {
		return nil, err
	}
	boxes, err := t.client.GetBoundingBoxesVerbose()
	if err != nil {
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	return linesFromBoxes(boxes), nil
}

// linesFromBoxes groups Tesseract's words by block, paragraph and line, keeping its reading order.
func linesFromBoxes(boxes []gosseract.BoundingBox) []doc.Line {
	var lines []doc.Line
	type key struct{ b, p, l int }
	var cur key
	for _, b := range boxes {
		text := strings.TrimSpace(b.Word)
		if text == "" {
			continue
		}
		k := key{b.BlockNum, b.ParNum, b.LineNum}
		if len(lines) == 0 || k != cur {
			lines = append(lines, doc.Line{})
			cur = k
		}
		l := &lines[len(lines)-1]
		box := doc.Box{X0: b.Box.Min.X, Y0: b.Box.Min.Y, X1: b.Box.Max.X, Y1: b.Box.Max.Y}
		conf := b.Confidence / 100
		if conf < 0 {
			conf = 0
		}
		l.Words = append(l.Words, doc.Word{Text: text, Box: box, Confidence: conf})
		l.Box = l.Box.Union(box)
	}
	return lines
}
