package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"shenbao/compile"
	"shenbao/doc"
	"shenbao/intake"
	"shenbao/internal/testreq"
	"shenbao/storage/bolt"
	"shenbao/storage/localdisk"
)

// pagesRecognizer stands in for OCR in the benchmark: every document is "read" as a licence of one
// page per page of its file (pdfinfo counts a PDF's), so that archiving has done documents to pack.
type pagesRecognizer struct{}

func (pagesRecognizer) Recognize(ctx context.Context, path, contentType string) ([]doc.Page, error) {
	n := 1
	if contentType == intake.TypePDF {
		out, _ := exec.Command("pdfinfo", path).Output()
		for _, l := range strings.Split(string(out), "\n") {
			if f := strings.Fields(l); len(f) == 2 && f[0] == "Pages:" {
				n, _ = strconv.Atoi(f[1])
			}
		}
	}
	pages := make([]doc.Page, n)
	for i := range pages {
		pages[i] = doc.Page{Number: i + 1, Width: 1000, Height: 1400}
	}
	return pages, nil
}

// BenchmarkArchive writes the archive package (BagIt, with the 材料汇编) of an application made of
// documents from the dev corpus, its longest PDFs first: 25 documents (about 100 pages) and every
// PDF and JPEG of the corpus (133 documents, about 230 pages). It reports the time, the package's
// size and the peak memory above the start: the heap in use (sampled every 5 ms) and the
// process's resident set (its high-water mark, reset before the run; Linux only). Run it with
// -benchtime 1x: memory is the figure to read; time is noisy on a shared machine.
func BenchmarkArchive(b *testing.B) {
	var files []string
	for _, pattern := range []string{"app*/*.pdf", "app*/*.jpg"} {
		m, _ := filepath.Glob(filepath.Join("..", "shared", "corpus", "dev", pattern))
		files = append(files, m...)
	}
	if len(files) < 25 {
		testreq.Skip(b, "the dev corpus is not there")
	}
	// The longest PDFs first, so that 25 documents make about 100 pages.
	count := map[string]int{}
	for _, f := range files {
		ps, _ := pagesRecognizer{}.Recognize(context.Background(), f, map[bool]string{true: intake.TypePDF}[strings.HasSuffix(f, ".pdf")])
		count[f] = len(ps)
	}
	sort.SliceStable(files, func(i, j int) bool { return count[files[i]] > count[files[j]] })
	for _, n := range []int{25, len(files)} {
		b.Run("docs="+strconv.Itoa(n), func(b *testing.B) { benchmarkArchive(b, files[:n], count) })
	}
}

func benchmarkArchive(b *testing.B, files []string, count map[string]int) {
	ctx := context.Background()
	pages := 0
	dir := b.TempDir()
	blobs, _ := localdisk.New(filepath.Join(dir, "blobs"))
	store, err := bolt.Open(filepath.Join(dir, "meta.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close(ctx)
	now := time.Date(2026, 9, 10, 10, 0, 0, 0, time.UTC)
	svc := intake.NewService(blobs, store, pagesRecognizer{}, slog.New(slog.DiscardHandler), func() time.Time { return now },
		intake.Config{TempDir: dir, PollEvery: 10 * time.Millisecond, Compiler: compiler{opt: compile.Options{TempDir: dir}}})
	owner := intake.Principal{UserID: "usr_1", Name: "申报单位", Role: intake.RoleApplicant}
	a, err := svc.CreateApplication(ctx, owner, intake.NewApplication{OrgName: "西藏某某科技有限公司", Region: "拉萨市", Year: 2026})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			b.Fatal(err)
		}
		_, dup, err := svc.Upload(ctx, owner, a.ID, filepath.Base(f), fh)
		fh.Close()
		if err != nil || dup {
			continue
		}
		pages += count[f]
		n++
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { svc.Run(runCtx); close(done) }()
	for {
		docs, _ := svc.Documents(ctx, intake.System, a.ID)
		busy := 0
		for _, d := range docs {
			if d.Status == intake.StatusReceived || d.Status == intake.StatusProcessing {
				busy++
			}
		}
		if busy == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	<-done
	// The first build in a process installs the CJK font into pdfcpu's font directory; keep that
	// one-off out of the figures.
	if err := compile.Build(ctx, io.Discard, compile.Cover{}, nil, compile.Options{TempDir: dir}); err != nil {
		b.Fatal(err)
	}
	var before runtime.MemStats
	runtime.GC()
	debug.FreeOSMemory()
	runtime.ReadMemStats(&before)
	rssBefore := procStatusKB("VmRSS")
	resetHWM := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	peak := before.HeapInuse
	sample := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			select {
			case <-sample:
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
		}
	}()
	var size int64
	b.ResetTimer()
	for range b.N {
		cw := &countingWriter{}
		if err := svc.WritePackage(ctx, intake.System, a.ID, cw); err != nil {
			b.Fatal(err)
		}
		size = cw.n
	}
	b.StopTimer()
	close(sample)
	<-sampled
	b.ReportMetric(float64(n), "documents")
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(float64(size)/(1<<20), "package-MB")
	b.ReportMetric(float64(peak-before.HeapInuse)/(1<<20), "peak-heap-MB")
	if hwm := procStatusKB("VmHWM"); resetHWM && rssBefore > 0 && hwm > rssBefore {
		b.ReportMetric(float64(hwm-rssBefore)/(1<<10), "peak-rss-MB")
	}
}

// procStatusKB is a field of /proc/self/status in kB (0 if there is none).
func procStatusKB(field string) uint64 {
	s, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(s), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }
