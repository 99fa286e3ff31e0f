package ocr

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"shenbao/internal/testpdf"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// faultPool is a pool of one Tesseract-only worker (the quickest to start), with cfg's budget.
func faultPool(t *testing.T, cfg PoolConfig) *Pool {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Command = []string{exe}
	cfg.Env = []string{"SHENBAO_TEST_OCR_WORKER=1", "SHENBAO_OCR_ENGINE=" + ReaderTesseract}
	cfg.Workers = 1
	p := NewPool(cfg)
	t.Cleanup(func() { p.Close() })
	return p
}

// Workers killed again and again leave the page not read — an error that says to try again — never a
// page reported as unreadable, which the applicant would take for a verdict on the scan.
func TestKilledWorkersNotRead(t *testing.T) {
	p := faultPool(t, PoolConfig{PageTimeout: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	kills := make(chan int, 1)
	go func() {
		n := 0
		defer func() { kills <- n }()
		for ctx.Err() == nil {
			if pid := p.busyPID(); pid > 0 && syscall.Kill(pid, syscall.SIGKILL) == nil {
				n++
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	pages, err := p.Recognize(context.Background(), filepath.Join("testdata", "tibetan.png"), PNG)
	cancel()
	n := <-kills
	var nr *NotReadError
	if !errors.As(err, &nr) || !nr.Temporary() {
		t.Fatalf("after %d kills: got pages %+v, error %v; want a *NotReadError", n, pages, err)
	}
	if n < 2 {
		t.Errorf("%d kills; want at least 2 (a first failure is tried again)", n)
	}
}

// The workers, every thread of them, run at a lower CPU priority than the service.
func TestWorkersNiced(t *testing.T) {
	p := faultPool(t, PoolConfig{PageTimeout: time.Minute})
	if _, err := p.CountPages(context.Background(), filepath.Join("testdata", "tibetan.png"), PNG); err != nil {
		t.Fatal(err)
	}
	s := <-p.slots
	pid := s.w.cmd.Process.Pid
	p.slots <- s
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/stat", pid))
	if err != nil || len(tasks) == 0 {
		t.Fatalf("no threads of worker %d: %v", pid, err)
	}
	self, err := niceOf("/proc/self/stat")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range tasks {
		nice, err := niceOf(f)
		if err != nil {
			continue // the thread ended
		}
		if nice < 10 || nice <= self {
			t.Errorf("worker thread %s runs at nice %d; want 10 (the service: %d)", f, nice, self)
		}
	}
}

// niceOf reads the nice value (field 19) of a /proc stat file.
func niceOf(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	i := bytes.LastIndexByte(b, ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 17 {
		return 0, fmt.Errorf("%s: short", path)
	}
	return strconv.Atoi(f[16])
}

// A page of a few kilobytes that takes minutes to draw fails alone once it is over its drawing budget,
// as the file's fault, long before the page timeout.
func TestRenderBudget(t *testing.T) {
	p := faultPool(t, PoolConfig{PageTimeout: 90 * time.Second, RenderTimeout: 2 * time.Second})
	path := filepath.Join(t.TempDir(), "bomb.pdf")
	if err := os.WriteFile(path, drawingBomb(300_000), 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := p.ReadPage(context.Background(), path, PDF, 1)
	took := time.Since(start)
	var nr *NotReadError
	if !errors.Is(err, ErrPageFailed) || errors.As(err, &nr) || !strings.Contains(err.Error(), "drawing budget") {
		t.Fatalf("got %v after %s; want the page failed over its drawing budget", err, took)
	}
	if took > 30*time.Second {
		t.Errorf("took %s; want about the 2 s budget", took)
	}
}

// A page that needs more memory to draw than its budget fails alone, over its budget — not a blank
// page (pdftoppm, short of memory, writes a 1×1 image and exits 0).
func TestRenderMemoryBudget(t *testing.T) {
	p := faultPool(t, PoolConfig{PageTimeout: time.Minute, RenderMemory: 100 << 20})
	path := filepath.Join(t.TempDir(), "poster.pdf")
	// A 3000×3000 pt page: drawn near the 40-megapixel cap (maxPagePixels), some 120 MB of pixels.
	if err := os.WriteFile(path, onePagePDF(3000, 3000, []byte("0 0 m 3000 3000 l S")), 0o600); err != nil {
		t.Fatal(err)
	}
	pg, err := p.ReadPage(context.Background(), path, PDF, 1)
	var nr *NotReadError
	if !errors.Is(err, ErrPageFailed) || errors.As(err, &nr) || !strings.Contains(err.Error(), "drawing budget") {
		t.Fatalf("got page %dx%d blank %v, error %v; want the page failed over its drawing budget", pg.Width, pg.Height, pg.Blank, err)
	}
}

// drawingBomb is a one-page PDF whose content draws n pairs of crossing lines across the page: some
// 30 KB that pdftoppm needs many minutes to draw at 300 DPI.
func drawingBomb(n int) []byte {
	return onePagePDF(612, 792, bytes.Repeat([]byte("0 0 m 612 792 l 0 792 m 612 0 l S\n"), n))
}

// onePagePDF is a PDF of one page of w×h points drawn by content (compressed).
func onePagePDF(w, h int, content []byte) []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zw.Write(content)
	zw.Close()
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R /Resources << >> >>", w, h),
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes()),
	}
	return testpdf.Assemble(objs...)
}
