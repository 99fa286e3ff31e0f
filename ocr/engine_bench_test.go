package ocr

import (
	"context"
	"errors"
	"os"
	"testing"

	"shenbao/internal/testreq"
	"shenbao/ocr/ppocr"
)

// BenchmarkEngineRead reads whole pages as a worker does with the default reader: decoding, seals,
// orientation, PP-OCR, Tesseract for Tibetan lines, judging. The stages have their own benchmarks
// (ocr/ppocr: BenchmarkDetect, BenchmarkClassify, BenchmarkRecognize, BenchmarkOrientation; here
// BenchmarkSeals and BenchmarkPageAnalysis); bench/stages shares a sample of dev pages out by stage.
func BenchmarkEngineRead(b *testing.B) {
	e := benchEngine(b, ReaderAuto)
	for _, pg := range []struct{ name, file string }{
		{"photo", "app08_lhasa/IMG_20240430_132847.jpg"},
		{"scan", "app01_lhasa/00_推荐表.jpg"},
		{"sealed", "app15_lhasa/附件1-推荐表.jpg"},
	} {
		path := "../../shared/corpus/dev/" + pg.file
		if _, err := os.Stat(path); err != nil {
			testreq.Skip(b, "corpus not found: %v", err)
		}
		b.Run(pg.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := e.Read(context.Background(), path, JPEG, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchEngine starts an engine with the given reader for a benchmark, skipping it (through testreq)
// where the PP-OCR models are missing; the engine is closed when the benchmark ends.
func benchEngine(b *testing.B, reader string) *Engine {
	b.Helper()
	e, err := NewEngine(EngineConfig{Reader: reader})
	if errors.Is(err, ppocr.ErrMissing) {
		testreq.Skip(b, "%v", err)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	return e
}
