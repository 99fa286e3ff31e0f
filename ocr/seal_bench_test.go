package ocr

import (
	"os"
	"testing"

	"shenbao/internal/testreq"
)

// BenchmarkSeals measures what finding and reading seals adds to a page, step by step, on a grey and a
// colour dev page that each bear one seal: finding it (pageSeals: by shape on the grey page, by colour
// and then fitting its ring on the colour one), unrolling its text (sealStrip) and reading the strip
// with PP-OCR's recogniser (ReadLine). Decoding the page is not counted; find-by-colour-alone is the step
// as it was before seals were found by shape and read.
func BenchmarkSeals(b *testing.B) {
	e := benchEngine(b, ReaderPPOCR)
	for _, pg := range []struct{ name, file string }{
		{"grey", "app11_chamdo/08_真实性声明.jpg"},
		{"colour", "app15_lhasa/附件1-推荐表.jpg"},
	} {
		data, err := os.ReadFile("../../shared/corpus/dev/" + pg.file)
		if err != nil {
			testreq.Skip(b, "corpus not found")
		}
		img, err := decodeImage(data)
		if err != nil {
			b.Fatal(err)
		}
		seals, _ := pageSeals(img, 200)
		if len(seals) != 1 {
			b.Fatalf("%s: %d seals; want 1", pg.file, len(seals))
		}
		b.Run(pg.name+"/find-by-colour-alone", func(b *testing.B) { // today's step, for comparison
			for b.Loop() {
				findSeals(img, 200)
			}
		})
		b.Run(pg.name+"/find", func(b *testing.B) {
			for b.Loop() {
				pageSeals(img, 200)
			}
		})
		b.Run(pg.name+"/unroll", func(b *testing.B) {
			for b.Loop() {
				sealStrip(img, seals[0], 0)
			}
		})
		strip := sealStrip(img, seals[0], 0)
		b.Run(pg.name+"/read", func(b *testing.B) {
			for b.Loop() {
				if _, _, err := e.pp.ReadLine(strip); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
