package ocr

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"shenbao/internal/testpdf"
)

// productionPool is a pool of one worker as the service runs it: the default reader, within the
// default address-space limit of a worker (SHENBAO_OCR_MEM_MB, 3072).
func productionPool(t *testing.T) *Pool {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := NewPool(PoolConfig{Command: []string{exe}, Env: []string{"SHENBAO_TEST_OCR_WORKER=1", "SHENBAO_TEST_OCR_MEM_MB=3072"}, PageTimeout: 2 * time.Minute})
	t.Cleanup(func() { p.Close() })
	return p
}

// workerPID is the pid of the pool's (one) worker, 0 if none is running.
func workerPID(p *Pool) int {
	s := <-p.slots
	defer func() { p.slots <- s }()
	if s.w == nil || s.w.dead() {
		return 0
	}
	return s.w.cmd.Process.Pid
}

// hugePagePDF is the reliability suite's page of 14400×14400 points (200 inches a side, the most PDF
// allows) with a UserUnit of 75, painted black: half a kilobyte.
func hugePagePDF() []byte {
	draw := "0 0 14400 14400 re f"
	return testpdf.Assemble("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /UserUnit 75 /Contents 4 0 R /Resources << >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(draw), draw))
}

// A page of a huge size is drawn within the page pixel budget, at a resolution its page states, and read
// by the worker that was given it, within the service's memory limit — not drawn at 52 dpi (100 MP),
// killing its worker at every reading, so that the document failed as the service's fault.
func TestHugePageWithinBudget(t *testing.T) {
	p := productionPool(t)
	path := filepath.Join(t.TempDir(), "poster.pdf")
	if err := os.WriteFile(path, hugePagePDF(), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := p.CountPages(context.Background(), path, PDF); err != nil {
		t.Fatal(err)
	}
	pid := workerPID(p)
	start := time.Now()
	pg, err := p.ReadPage(context.Background(), path, PDF, 1)
	took := time.Since(start)
	t.Logf("read in %s: %d×%d at %d dpi, error %v", took, pg.Width, pg.Height, pg.DPI, err)
	var nr *NotReadError
	switch {
	case errors.As(err, &nr):
		t.Fatalf("got %v after %s; want the page read, or failed as the file's fault", err, took)
	case err != nil && !errors.Is(err, ErrPageFailed):
		t.Fatalf("got %v after %s; want the page read, or failed as the file's fault", err, took)
	case err != nil && !strings.Contains(err.Error(), "drawing budget"):
		t.Errorf("got %v; want a failure over the drawing budget (the page's own fault)", err)
	case err == nil:
		if px := int64(pg.Width) * int64(pg.Height); px > maxPagePixels || px == 0 {
			t.Errorf("page of %d×%d pixels; want within %d", pg.Width, pg.Height, maxPagePixels)
		}
		if want := int(math.Round(14400.0 / 72 * float64(pg.DPI))); abs(pg.Width-want) > 1 || abs(pg.Height-want) > 1 {
			t.Errorf("page of %d×%d pixels at %d dpi; want %d a side (its DPI must place its boxes)", pg.Width, pg.Height, pg.DPI, want)
		}
	}
	if got := workerPID(p); got != pid {
		t.Errorf("worker %d replaced by %d: it died on the page", pid, got)
	} else if peak, err := vmPeak(pid); err == nil {
		// Drawn at 52 dpi (100 MP), the page took the worker to its very limit.
		t.Logf("worker's peak address space: %d MiB of 3072", peak>>20)
		if peak > 2560<<20 {
			t.Errorf("worker's address space peaked at %d MiB; want well within its 3072", peak>>20)
		}
	}
}

// vmPeak is the peak address space of process pid, in bytes.
func vmPeak(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmPeak:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmPeak")
}

// The resolution a page is drawn at: the one asked for, or the highest at which the page stays within
// maxPagePixels; a page larger than PDF allows is over its drawing budget even at minRenderDPI.
func TestDrawDPI(t *testing.T) {
	for _, c := range []struct {
		name string
		d    pageDim
		dpi  int
		want int // 0: over the budget
	}{
		{"A4", pageDim{595, 842}, renderDPI, renderDPI},
		{"A4 landscape", pageDim{842, 595}, renderDPI, renderDPI},
		{"A3", pageDim{842, 1191}, renderDPI, renderDPI},
		{"A2", pageDim{1191, 1684}, renderDPI, renderDPI},
		{"A4 for a seal", pageDim{595, 842}, sealDPI, sealDPI},
		{"A1", pageDim{1684, 2384}, renderDPI, 227},
		{"A0", pageDim{2384, 3370}, renderDPI, 160},
		{"14400 pt", pageDim{14400, 14400}, renderDPI, 31},
		{"14400 pt for a seal", pageDim{14400, 14400}, sealDPI, 31},
		{"14400 pt at 10 dpi", pageDim{14400, 14400}, 10, 10},
		{"a strip 14400 by 100 pt", pageDim{14400, 100}, renderDPI, renderDPI},
		{"20000 pt", pageDim{20000, 20000}, renderDPI, 0},
	} {
		got, err := c.d.drawDPI(1, c.dpi)
		switch {
		case c.want == 0 && !errors.Is(err, errOverBudget):
			t.Errorf("%s at %d dpi: got %d dpi, error %v; want over the drawing budget", c.name, c.dpi, got, err)
		case c.want != 0 && (got != c.want || err != nil):
			t.Errorf("%s at %d dpi: got %d dpi, error %v; want %d dpi", c.name, c.dpi, got, err, c.want)
		case c.want != 0 && c.d.pixels(got) > maxPagePixels:
			t.Errorf("%s at %d dpi: %d pixels; want within %d", c.name, got, c.d.pixels(got), maxPagePixels)
		case c.want != 0 && got < c.dpi && c.d.pixels(got+1) <= maxPagePixels:
			t.Errorf("%s: drawn at %d dpi; %d is within the budget too", c.name, got, got+1)
		}
	}
}

// An A4 page is drawn at the normal resolution, as before the page pixel budget.
func TestA4PageRenderDPI(t *testing.T) {
	p := productionPool(t)
	path := filepath.Join(t.TempDir(), "a4.pdf")
	if err := os.WriteFile(path, onePagePDF(595, 842, []byte("50 50 m 545 792 l S")), 0o600); err != nil {
		t.Fatal(err)
	}
	pg, err := p.ReadPage(context.Background(), path, PDF, 1)
	if err != nil {
		t.Fatal(err)
	}
	if pg.DPI != renderDPI || pg.Width != 2480 || pg.Height != 3509 {
		t.Errorf("A4 page drawn %d×%d at %d dpi; want 2480×3509 at %d", pg.Width, pg.Height, pg.DPI, renderDPI)
	}
}

// A page larger than PDF allows, over the page pixel budget even at minRenderDPI, fails at once over
// its drawing budget — the file's fault, which the applicant is told in Chinese (该页过于复杂……超出单页处理的限额)
// — and is not drawn.
func TestPageLargerThanPDFAllows(t *testing.T) {
	p := faultPool(t, PoolConfig{PageTimeout: time.Minute})
	path := filepath.Join(t.TempDir(), "poster.pdf")
	if err := os.WriteFile(path, onePagePDF(30000, 30000, []byte("0 0 30000 30000 re f")), 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	pg, err := p.ReadPage(context.Background(), path, PDF, 1)
	var nr *NotReadError
	if !errors.Is(err, ErrPageFailed) || errors.As(err, &nr) || !strings.Contains(err.Error(), "drawing budget") {
		t.Fatalf("got page %d×%d, error %v; want the page failed over its drawing budget", pg.Width, pg.Height, err)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("took %s; want at once", took)
	}
}
