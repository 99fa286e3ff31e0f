package ppocr

import (
	"errors"
	"image"
	"runtime"
	"testing"

	"shenbao/internal/testreq"
)

// Pages the stage benchmarks read: a phone photo of a licence (few, large lines) and a scanned form
// (many lines, a table). Each stage is measured on its own, on the boxes the stage before it gave, so
// that a change that slows one stage shows in that stage's benchmark. Go's allocations are reported;
// ONNX Runtime's own memory is not counted.
var benchPages = []struct{ name, file string }{
	{"photo", "app08_lhasa/IMG_20240430_132847.jpg"},
	{"scan", "app01_lhasa/00_推荐表.jpg"},
}

// benchReader makes a Reader of one intra-op thread, as a worker has, or skips without the models.
func benchReader(b *testing.B) *Reader {
	b.Helper()
	r, err := New(Config{Threads: 1})
	if errors.Is(err, ErrMissing) {
		testreq.Skip(b, "%v", err)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Close() })
	return r
}

// eachPage runs f as a sub-benchmark on each bench page, with the page loaded into r and its boxes
// detected (turned upright, as recognize turns them).
func eachPage(b *testing.B, f func(b *testing.B, r *Reader, img image.Image, lines []textLine)) {
	r := benchReader(b)
	for _, p := range benchPages {
		img, _ := page(b, p.file)
		r.src.load(img)
		qs, err := r.detect(&r.src, r.maxSide)
		if err != nil {
			b.Fatal(err)
		}
		lines := make([]textLine, len(qs))
		for i, q := range qs {
			lines[i].q = upright(q)
		}
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			f(b, r, img, lines)
			b.ReportMetric(float64(len(lines)), "lines")
		})
	}
}

// BenchmarkRead reads a whole page: detection, classifier, recognition and reading order.
func BenchmarkRead(b *testing.B) {
	eachPage(b, func(b *testing.B, r *Reader, img image.Image, _ []textLine) {
		for b.Loop() {
			if _, err := r.Read(img); err != nil {
				b.Fatal(err)
			}
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapSys>>20), "MB-heap-sys")
	})
}

// BenchmarkLoad copies a decoded page into the reader's own pixels.
func BenchmarkLoad(b *testing.B) {
	eachPage(b, func(b *testing.B, r *Reader, img image.Image, _ []textLine) {
		for b.Loop() {
			r.src.load(img)
		}
	})
}

// BenchmarkDetect is detection alone: the page scaled and normalised, the det network, the boxes.
func BenchmarkDetect(b *testing.B) {
	eachPage(b, func(b *testing.B, r *Reader, _ image.Image, _ []textLine) {
		for b.Loop() {
			if _, err := r.detect(&r.src, r.maxSide); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkClassify is the 0°/180° line classifier over every detected line of the page.
func BenchmarkClassify(b *testing.B) {
	eachPage(b, func(b *testing.B, r *Reader, _ image.Image, lines []textLine) {
		for b.Loop() {
			if err := r.classify(&r.src, lines); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRecognize is recognition of every detected line of the page: crops, batches, the rec
// network and CTC decoding.
func BenchmarkRecognize(b *testing.B) {
	eachPage(b, func(b *testing.B, r *Reader, _ image.Image, lines []textLine) {
		for b.Loop() {
			if err := r.readLines(&r.src, lines); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkOrientation is the whole orientation trial of an upright page, as the engine runs it
// before reading.
func BenchmarkOrientation(b *testing.B) {
	eachPage(b, func(b *testing.B, r *Reader, img image.Image, _ []textLine) {
		for b.Loop() {
			if _, c := r.Orientation(img); c == 0 {
				b.Fatal("orientation unknown")
			}
		}
	})
}
