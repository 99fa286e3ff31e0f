package compile

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"shenbao/internal/testreq"
)

// genJPEG makes a scan-like A4 page at 150 dpi (1240×1754, grey with text-like noise), about the
// size of the corpus's scanned JPEGs.
func genJPEG(t testing.TB, seed int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 1240, 1754))
	x := uint32(seed*2654435761 + 1)
	for i := range img.Pix {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		v := uint8(235)
		if row := (i / 1240) % 40; row > 20 && row < 34 && x%5 == 0 {
			v = uint8(x >> 24 & 0x7f)
		}
		img.Pix[i] = v
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 70}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkBuild builds from n generated scan-like JPEG pages, one document each (eight distinct
// images, so that the inputs held by the benchmark stay small), at three sizes, and reports the
// peak memory of the build above the start: the heap in use (sampled every 5 ms) and the
// process's resident set (its high-water mark, reset before the build). Run it with
// -benchtime 1x: memory is the figure to read; time is noisy on a shared machine.
func BenchmarkBuild(b *testing.B) {
	var imgs [][]byte
	for i := 0; i < 8; i++ {
		imgs = append(imgs, genJPEG(b, i))
	}
	for _, n := range []int{20, 80, 320} {
		b.Run("pages="+strconv.Itoa(n), func(b *testing.B) {
			var mats []Material
			for i := 0; i < n; i++ {
				mats = append(mats, bytesMaterial(1+i%8, fmt.Sprintf("page%03d.jpg", i), imgs[i%len(imgs)]))
			}
			benchmarkBuild(b, mats)
		})
	}
}

// BenchmarkBuildCorpus builds from the PDFs and JPEGs of the dev corpus (sorted by path), the first
// 25 and all of them, read from disk as the service reads its blob store.
func BenchmarkBuildCorpus(b *testing.B) {
	var files []string
	for _, pattern := range []string{"*/*.pdf", "*/*.jpg"} {
		m, _ := filepath.Glob(filepath.Join(filepath.Dir(devDir), pattern))
		files = append(files, m...)
	}
	if len(files) < 25 {
		testreq.Skip(b, "the dev corpus is not there")
	}
	sort.Strings(files)
	for _, n := range []int{25, len(files)} {
		b.Run("docs="+strconv.Itoa(n), func(b *testing.B) {
			var mats []Material
			for i, f := range files[:n] {
				f := f
				mats = append(mats, Material{Item: i % 10, FileName: filepath.Base(f), SHA256: strings.Repeat("0", 64),
					Open: func() (io.ReadCloser, error) { return os.Open(f) }})
			}
			benchmarkBuild(b, mats)
		})
	}
}

func benchmarkBuild(b *testing.B, mats []Material) {
	if _, err := cjkFont(""); err != nil {
		testreq.Skip(b, "%v", err)
	}
	dir := b.TempDir()
	outPath := filepath.Join(dir, "out.pdf")
	var heap, rss uint64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := os.Create(outPath)
		if err != nil {
			b.Fatal(err)
		}
		h, r := measurePeak(func() {
			err = Build(context.Background(), out, Cover{Applicant: "基准测试公司"}, mats, Options{TempDir: dir})
		})
		if err != nil {
			b.Fatal(err)
		}
		if err := out.Close(); err != nil {
			b.Fatal(err)
		}
		heap, rss = max(heap, h), max(rss, r)
	}
	b.StopTimer()
	st, err := os.Stat(outPath)
	if err != nil {
		b.Fatal(err)
	}
	pages, err := api.PageCountFile(outPath)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(mats)), "documents")
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(float64(st.Size())/(1<<20), "output-MB")
	b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
	if rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MB")
	}
}

// measurePeak runs f and returns how far above their level at the start the heap in use
// (sampled every 5 ms) and the process's resident set (its high-water mark, which Linux resets
// when "5" is written to /proc/self/clear_refs; 0 where that cannot be done) went.
func measurePeak(f func()) (heap, rss uint64) {
	runtime.GC()
	debug.FreeOSMemory()
	var start runtime.MemStats
	runtime.ReadMemStats(&start)
	rssStart := procStatus("VmRSS")
	resetHWM := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil

	stop := make(chan struct{})
	done := make(chan uint64)
	go func() {
		var ms runtime.MemStats
		peak := start.HeapInuse
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	heap = <-done - start.HeapInuse
	if hwm := procStatus("VmHWM"); resetHWM && rssStart > 0 && hwm > rssStart {
		rss = hwm - rssStart
	}
	return heap, rss
}

// procStatus is a "kB" field of /proc/self/status in bytes (0 if there is none).
func procStatus(field string) uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
