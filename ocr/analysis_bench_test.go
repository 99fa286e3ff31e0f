package ocr

import (
	"os"
	"testing"

	"shenbao/internal/testreq"
)

// BenchmarkPageAnalysis measures what the service adds to a page besides the reader: decoding the
// image, finding seals and judging blank or illegible.
func BenchmarkPageAnalysis(b *testing.B) {
	data, err := os.ReadFile("../../shared/corpus/dev/app15_lhasa/附件1-推荐表.jpg")
	if err != nil {
		testreq.Skip(b, "corpus not found")
	}
	for b.Loop() {
		img, err := decodeImage(data)
		if err != nil {
			b.Fatal(err)
		}
		findSeals(img, 200)
		markRatio(img)
	}
}
