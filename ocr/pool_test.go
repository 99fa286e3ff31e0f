package ocr

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"shenbao/internal/testreq"
)

// The test binary is its own OCR worker: run with SHENBAO_TEST_OCR_WORKER=1 it serves fd 3/4, within
// 4 GiB of address space or SHENBAO_TEST_OCR_MEM_MB.
func TestMain(m *testing.M) {
	if os.Getenv("SHENBAO_TEST_OCR_WORKER") == "1" {
		limit := int64(4 << 30)
		if mb, err := strconv.ParseInt(os.Getenv("SHENBAO_TEST_OCR_MEM_MB"), 10, 64); err == nil && mb > 0 {
			limit = mb << 20
		}
		os.Exit(WorkerMain(EngineConfig{Lang: "chi_sim", Reader: os.Getenv("SHENBAO_OCR_ENGINE")}, limit))
	}
	os.Exit(m.Run())
}

func testPool(t *testing.T, workers int, timeout time.Duration) *Pool {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := NewPool(PoolConfig{Command: []string{exe}, Env: []string{"SHENBAO_TEST_OCR_WORKER=1"}, Workers: workers, PageTimeout: timeout})
	t.Cleanup(func() { p.Close() })
	return p
}

// corpusFile finds a file of the shared corpus (../shared/corpus/dev beside the repository).
func corpusFile(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "corpus", "dev", rel)
	if _, err := os.Stat(p); err != nil {
		testreq.Skip(t, "corpus not found: %v", err)
	}
	return p
}

// testPage writes a page of its own for the pool's robustness tests, so that they run without the
// corpus: an A4 page at 150 dpi with lines of large print, enough for a worker to be busy a while.
func testPage(t *testing.T) string {
	t.Helper()
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 40, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	defer face.Close()
	img := image.NewGray(image.Rect(0, 0, 1240, 1754))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: image.Black, Face: face}
	for i := range 14 {
		d.Dot = fixed.P(120, 200+i*100)
		d.DrawString(fmt.Sprintf("Line %d of the pool test: 2026-12-%02d", i+1, i+1))
	}
	path := filepath.Join(t.TempDir(), "page.png")
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRecognizeLicenceImage(t *testing.T) {
	p := testPool(t, 1, 2*time.Minute)
	path := corpusFile(t, "app03_chamdo/二、营业执照.png")
	pages, err := p.Recognize(context.Background(), path, PNG)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 {
		t.Fatalf("got %d pages; want 1", len(pages))
	}
	pg := pages[0]
	text := strings.ReplaceAll(pg.Text(), " ", "")
	for _, want := range []string{"统一社会信用代码", "有限公司"} {
		if !strings.Contains(text, want) {
			t.Errorf("page text lacks %q:\n%s", want, text)
		}
	}
	if pg.Width == 0 || pg.Height == 0 || pg.DPI == 0 {
		t.Errorf("page size %d×%d at %d dpi; want all set", pg.Width, pg.Height, pg.DPI)
	}
	for _, l := range pg.Lines {
		for _, w := range l.Words {
			if w.Box.Empty() || w.Box.X1 > pg.Width || w.Box.Y1 > pg.Height {
				t.Fatalf("word %q has box %+v outside the %d×%d page", w.Text, w.Box, pg.Width, pg.Height)
			}
		}
	}
}

func TestRecognizeScannedPDF(t *testing.T) {
	p := testPool(t, 2, 2*time.Minute)
	path := corpusFile(t, "app01_lhasa/04_经营场所租赁合同.pdf")
	pages, err := p.Recognize(context.Background(), path, PDF)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 {
		t.Fatalf("got %d pages; want 2", len(pages))
	}
	for _, pg := range pages {
		if pg.Error != "" || pg.Source != "ocr" || len(pg.Lines) == 0 {
			t.Errorf("page %d: error %q, source %q, %d lines", pg.Number, pg.Error, pg.Source, len(pg.Lines))
		}
	}
	if !strings.Contains(strings.ReplaceAll(pages[0].Text(), " ", ""), "租赁") {
		t.Errorf("page 1 lacks 租赁:\n%s", pages[0].Text())
	}
}

// Killing a worker in the middle of a page loses nothing: the page is read again by a new worker.
func TestWorkerKilledMidPage(t *testing.T) {
	p := testPool(t, 1, 2*time.Minute)
	path := testPage(t)
	killed := make(chan int, 1)
	go func() {
		// Wait for the worker to be busy with a page, then kill it.
		for range 200 {
			time.Sleep(50 * time.Millisecond)
			if pid := p.busyPID(); pid > 0 {
				syscall.Kill(pid, syscall.SIGKILL)
				killed <- pid
				return
			}
		}
		killed <- 0
	}()
	pages, err := p.Recognize(context.Background(), path, PNG)
	if err != nil {
		t.Fatal(err)
	}
	if pid := <-killed; pid == 0 {
		t.Fatal("never saw a busy worker to kill")
	}
	for _, pg := range pages {
		if pg.Error != "" || len(pg.Lines) == 0 {
			t.Errorf("page %d after the kill: error %q, %d lines; want it read again", pg.Number, pg.Error, len(pg.Lines))
		}
	}
}

// A page that times out twice fails alone, with the reason, and the pool goes on working.
func TestPageTimeout(t *testing.T) {
	p := testPool(t, 1, time.Millisecond)
	path := testPage(t)
	_, err := p.Recognize(context.Background(), path, PNG)
	if err == nil || !strings.Contains(err.Error(), "no answer within") {
		t.Fatalf("got %v; want a timeout error", err)
	}
	p.cfg.PageTimeout = 2 * time.Minute
	pages, err := p.Recognize(context.Background(), path, PNG)
	if err != nil || len(pages) != 1 || pages[0].Error != "" {
		t.Fatalf("after timeouts: %v, %+v; want the page read", err, pages)
	}
}

func TestBadFiles(t *testing.T) {
	p := testPool(t, 1, time.Minute)
	dir := t.TempDir()
	trunc := filepath.Join(dir, "trunc.pdf")
	os.WriteFile(trunc, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog"), 0o644)
	if _, err := p.Recognize(context.Background(), trunc, PDF); err == nil {
		t.Error("truncated pdf: got no error")
	}
	junk := filepath.Join(dir, "junk.png")
	os.WriteFile(junk, []byte("\x89PNG\r\n\x1a\nthis is not a png"), 0o644)
	pages, err := p.Recognize(context.Background(), junk, PNG)
	if err == nil && (len(pages) != 1 || pages[0].Error == "") {
		t.Errorf("junk png: got %+v; want the page failed", pages)
	}
}
