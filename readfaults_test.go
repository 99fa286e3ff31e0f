package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/jpeg"
	"log/slog"
	"os"
	"path/filepath"
	"shenbao/internal/testpdf"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"shenbao/intake"
	"shenbao/ocr"
	"shenbao/storage/bolt"
	"shenbao/storage/localdisk"
)

// The case, end to end with the real OCR pool and stores: OCR workers killed again and again
// while a valid two-page PDF is read leave it failed with a reason to try again later — not done, of
// kind other, every page "unreadable". Once the workers are left alone, staff have it read again and it
// is read.
func TestKilledWorkersLeaveDocumentToTryAgain(t *testing.T) {
	ctx := context.Background()
	svc := realService(t, intake.Config{ReadAttempts: 2, RetryDelay: 100 * time.Millisecond})

	applicant := intake.Principal{UserID: "usr_a", Name: "山南市泽当创业孵化服务有限公司", Role: intake.RoleApplicant}
	staff := intake.Principal{UserID: "usr_s", Name: "卓玛", Role: intake.RoleStaff}
	a, err := svc.CreateApplication(ctx, applicant, intake.NewApplication{OrgName: applicant.Name, Region: "山南市", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	pdf := scanPDF(t, "testdata/documents/IMG_lease_photo.jpg", 2)

	var killing atomic.Bool
	killing.Store(true)
	kctx, stopKilling := context.WithCancel(ctx)
	defer stopKilling()
	kills := killWorkers(kctx, &killing)
	d, _, err := svc.Upload(ctx, applicant, a.ID, "租赁合同.pdf", bytes.NewReader(pdf))
	if err != nil {
		t.Fatal(err)
	}
	d = waitDocument(t, svc, staff, d.ID, intake.StatusDone, intake.StatusFailed)
	killing.Store(false)
	t.Logf("%d workers killed", kills.Load())
	if d.Status != intake.StatusFailed || !strings.Contains(d.Reason, "稍后") || d.Kind != "" || len(d.Pages) != 0 {
		t.Fatalf("with its workers killed: %s, kind %q, reason %q, pages %+v; want failed, to try again later, with no verdict on the pages", d.Status, d.Kind, d.Reason, d.Pages)
	}

	if _, err := svc.ReadAgain(ctx, staff, d.ID); err != nil {
		t.Fatal(err)
	}
	d = waitDocument(t, svc, staff, d.ID, intake.StatusDone, intake.StatusFailed)
	if d.Status != intake.StatusDone || d.Kind != "premises_lease" || len(d.Pages) != 2 || d.Pages[0].Error != "" {
		t.Errorf("read again: %s, kind %q, reason %q, pages %+v; want done, a premises lease of 2 pages", d.Status, d.Kind, d.Reason, d.Pages)
	}
}

// realService runs a Service with cfg on the real OCR pool (one Tesseract worker) and stores, until
// the test ends.
func realService(t *testing.T, cfg intake.Config) *intake.Service {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	pool := ocr.NewPool(ocr.PoolConfig{Command: []string{exe, workerCommand, "--ocr-engine", ocr.ReaderTesseract}, Workers: 1, PageTimeout: 2 * time.Minute})
	t.Cleanup(func() { pool.Close() })
	dir := t.TempDir()
	blobs, err := localdisk.New(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := bolt.Open(filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.TempDir, cfg.PollEvery = dir, 20*time.Millisecond
	svc := intake.NewService(blobs, store, pool, slog.New(slog.DiscardHandler), time.Now, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		svc.Run(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		store.Close(context.Background())
	})
	return svc
}

// waitDocument waits (3 minutes at most) for the document to reach one of the statuses.
func waitDocument(t *testing.T, svc *intake.Service, p intake.Principal, id string, want ...intake.Status) *intake.Document {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		d, err := svc.Document(context.Background(), p, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range want {
			if d.Status == s {
				return d
			}
		}
	}
	t.Fatalf("document %s reached none of %v in 3 minutes", id, want)
	return nil
}

// killWorkers kills this process's children (the pool's OCR workers) every 20 ms while on is set, until
// ctx ends, and counts them.
func killWorkers(ctx context.Context, on *atomic.Bool) *atomic.Int32 {
	var n atomic.Int32
	self := os.Getpid()
	go func() {
		for ctx.Err() == nil {
			if on.Load() {
				stats, _ := filepath.Glob("/proc/[0-9]*/stat")
				for _, f := range stats {
					b, err := os.ReadFile(f)
					if err != nil {
						continue
					}
					i := bytes.LastIndexByte(b, ')')
					fields := strings.Fields(string(b[i+1:]))
					if len(fields) > 2 && fields[1] == strconv.Itoa(self) {
						pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
						if syscall.Kill(pid, syscall.SIGKILL) == nil {
							n.Add(1)
						}
					}
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return &n
}

// scanPDF is a PDF of pages pages, each the JPEG at path embedded whole (as a scanner writes one).
func scanPDF(t *testing.T, path string, pages int) []byte {
	t.Helper()
	jpg, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(jpg))
	if err != nil {
		t.Fatal(err)
	}
	w, h := 595, 595*cfg.Height/cfg.Width
	var objs []string
	kids := ""
	for i := range pages {
		kids += fmt.Sprintf("%d 0 R ", 3+3*i)
	}
	objs = append(objs, "<< /Type /Catalog /Pages 2 0 R >>", fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, pages))
	for i := range pages {
		content, img := 4+3*i, 5+3*i
		draw := fmt.Sprintf("q %d 0 0 %d 0 0 cm /Im0 Do Q", w, h)
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R /Resources << /XObject << /Im0 %d 0 R >> >> >>", w, h, content, img),
			fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(draw), draw),
			fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream", cfg.Width, cfg.Height, len(jpg), jpg))
	}
	return testpdf.Assemble(objs...)
}

// A truncated JPEG, read by the real pool, fails with a Chinese reason — not done, of kind other, with
// an English page error.
func TestTruncatedJPEGFails(t *testing.T) {
	ctx := context.Background()
	svc := realService(t, intake.Config{})
	applicant := intake.Principal{UserID: "usr_a", Name: "山南市泽当创业孵化服务有限公司", Role: intake.RoleApplicant}
	a, err := svc.CreateApplication(ctx, applicant, intake.NewApplication{OrgName: applicant.Name, Region: "山南市", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	jpg, err := os.ReadFile("testdata/documents/IMG_lease_photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := svc.Upload(ctx, applicant, a.ID, "租赁合同.jpg", bytes.NewReader(jpg[:len(jpg)/3]))
	if err != nil {
		t.Fatal(err)
	}
	d = waitDocument(t, svc, applicant, d.ID, intake.StatusDone, intake.StatusFailed)
	if d.Status != intake.StatusFailed || !strings.HasPrefix(d.Reason, "无法读取该文件：") || strings.ContainsAny(d.Reason, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		t.Errorf("truncated JPEG: %s, kind %q, reason %q, pages %+v; want failed with a reason in Chinese", d.Status, d.Kind, d.Reason, d.Pages)
	}
}

// A 600-page PDF of a few kilobytes fails when its pages are counted, over the cap of a document, with
// the count and the cap in the reason — before any page is read.
func TestPageCapAtCount(t *testing.T) {
	ctx := context.Background()
	svc := realService(t, intake.Config{})
	applicant := intake.Principal{UserID: "usr_a", Name: "山南市泽当创业孵化服务有限公司", Role: intake.RoleApplicant}
	a, err := svc.CreateApplication(ctx, applicant, intake.NewApplication{OrgName: applicant.Name, Region: "山南市", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	d, _, err := svc.Upload(ctx, applicant, a.ID, "汇编.pdf", bytes.NewReader(blankPDF(600)))
	if err != nil {
		t.Fatal(err)
	}
	d = waitDocument(t, svc, applicant, d.ID, intake.StatusDone, intake.StatusFailed)
	t.Logf("%d bytes, %s after %s: %q", len(blankPDF(600)), d.Status, time.Since(start).Round(time.Millisecond), d.Reason)
	if d.Status != intake.StatusFailed || !strings.Contains(d.Reason, "该文件共 600 页，超过每份材料 300 页的上限") || d.PagesDone != 0 {
		t.Errorf("600 pages: %s, reason %q, %d pages read; want failed at count with the cap", d.Status, d.Reason, d.PagesDone)
	}
}

// blankPDF is a PDF of n empty A4 pages.
func blankPDF(n int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := []int{b.Len()}
	b.WriteString("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
	var kids strings.Builder
	for i := range n {
		fmt.Fprintf(&kids, "%d 0 R ", 4+i)
	}
	offs = append(offs, b.Len())
	fmt.Fprintf(&b, "2 0 obj\n<< /Type /Pages /Kids [%s] /Count %d >>\nendobj\n", kids.String(), n)
	offs = append(offs, b.Len())
	b.WriteString("3 0 obj\n<< /Length 0 >>\nstream\n\nendstream\nendobj\n")
	for i := range n {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>\nendobj\n", 4+i)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}
