package ocr

import (
	"strings"
	"testing"
)

// Each reader reads a scanned dev licence: its labels and the company's name are there, and every box
// lies on the page.
func TestEachReaderReadsADevPage(t *testing.T) {
	path := corpusFile(t, "app04_nyingchi/营业执照副本.jpg")
	for _, reader := range []string{ReaderTesseract, ReaderPPOCR, ReaderAuto} {
		t.Run(reader, func(t *testing.T) {
			e, err := NewEngine(EngineConfig{Reader: reader})
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			p, err := e.Read(t.Context(), path, JPEG, 1)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.ReplaceAll(p.Text(), " ", "")
			want := []string{"统一社会信用代码", "有限公司"}
			if reader != ReaderTesseract { // Tesseract misreads this photo's name; PP-OCR must not
				want = append(want, "林芝格桑企业管理咨询有限公司")
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s: text lacks %q:\n%s", reader, w, p.Text())
				}
			}
			for _, l := range p.Lines {
				for _, w := range l.Words {
					if w.Box.Empty() || w.Box.X1 > p.Width || w.Box.Y1 > p.Height {
						t.Fatalf("%s: word %q box %+v off the %d×%d page", reader, w.Text, w.Box, p.Width, p.Height)
					}
				}
			}
		})
	}
	if _, err := NewEngine(EngineConfig{Reader: "cuneiform"}); err == nil {
		t.Error("an unknown reader: got no error")
	}
}
