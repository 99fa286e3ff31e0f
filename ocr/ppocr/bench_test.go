package ppocr

import (
	"runtime"
	"testing"

	"shenbao/internal/testreq"
)

// BenchmarkRead reads the dev licence page; -benchmem shows what one page allocates in Go (ONNX
// Runtime's own memory is not counted).
func BenchmarkRead(b *testing.B) {
	r, err := New(Config{Threads: 1})
	if err != nil {
		testreq.Skip(b, "%v", err)
	}
	defer r.Close()
	img, _ := page(b, "app08_lhasa/IMG_20240430_132847.jpg")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Read(img); err != nil {
			b.Fatal(err)
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys>>20), "MB-heap-sys")
}
