package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// 可用性 (DA/T 70): what is kept can still be opened. Verify draws the first page of every original
// that was read when it was uploaded, with the same renderer (and limits) as the reviewer's viewer,
// and checks every 汇编 kept in a package with pdfcpu's validation.
//
// An original that could not be read already at upload (a truncated or password-protected file: its
// document failed, with a reason) is kept as the applicant sent it; it is not a failure of the
// archive, and verify only counts it in a note. Since an original's SHA-256 is checked first, an
// original that was read at upload and no longer draws means the software can no longer open what it
// once could — the risk 可用性 is about.

// PDFValidator checks a PDF file against the PDF specification (pdfcpu's validation, relaxed as its
// `pdfcpu validate` is by default): an optional capability of the Compiler, found by type assertion
// and used by Verify on the 汇编 kept in the archive packages.
type PDFValidator interface {
	ValidatePDF(ctx context.Context, path string) error
}

// CompilationPath is where the 汇编 lies in an archive package, relative to the bag's top directory.
const CompilationPath = "data/汇编.pdf"

// verifyOriginal checks a document's original against its SHA-256 and, when render is set, draws its
// first page. problem says what is wrong ("" if nothing); check is "original" (真实性) or "usability"
// (可用性). err is an error of the stores, not of the original.
func (s *Service) verifyOriginal(ctx context.Context, d *Document, render PageRenderer) (check, problem string, err error) {
	rc, err := s.blobs.Get(ctx, d.BlobKey)
	if errors.Is(err, ErrNotFound) {
		return "original", "原件缺失：存储中没有该对象", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("open original of %s: %w", d.ID, err)
	}
	defer rc.Close()
	h := sha256.New()
	var f *os.File
	w := io.Writer(h)
	if render != nil {
		if f, err = os.CreateTemp(s.cfg.TempDir, "verify-*"); err != nil {
			return "", "", err
		}
		defer os.Remove(f.Name())
		defer f.Close()
		w = io.MultiWriter(h, f)
	}
	n, err := io.Copy(w, rc)
	if err != nil {
		return "", "", fmt.Errorf("read original of %s: %w", d.ID, err)
	}
	if n != d.Size || hex.EncodeToString(h.Sum(nil)) != d.SHA256 {
		return "original", "与上传时不同：SHA-256 或大小已改变", nil
	}
	if render == nil {
		return "", "", nil
	}
	if err := f.Close(); err != nil {
		return "", "", err
	}
	if _, err := render.RenderPage(ctx, f.Name(), d.ContentType, 1, PageImageSizes[0]); err != nil {
		if ctx.Err() != nil {
			return "", "", ctx.Err()
		}
		return "usability", fmt.Sprintf("上传时可以读取，现在无法打开或绘制第 1 页：%v", err), nil
	}
	return "", "", nil
}

// usabilityNotes says which originals were not drawn, and why.
func usabilityNotes(rendered bool, failedAtUpload, unread []string) []string {
	var notes []string
	if !rendered {
		notes = append(notes, "本次核验未绘制原件页面（本进程没有页面渲染器），未检查原件的可用性。")
	}
	if len(failedAtUpload) > 0 {
		notes = append(notes, fmt.Sprintf("%d 份原件在上传时即无法读取（如文件损坏或加密），按原样保存，未作可用性检查：%s", len(failedAtUpload), strings.Join(failedAtUpload, "、")))
	}
	if len(unread) > 0 {
		notes = append(notes, fmt.Sprintf("%d 份原件尚未读取完毕，未作可用性检查：%s", len(unread), strings.Join(unread, "、")))
	}
	return notes
}

// visitCompilation returns a visitor for bagit.ValidateVisit that copies the package's 汇编 to a
// temporary file, whose path it sets in *path (the caller removes it).
func (s *Service) visitCompilation(path *string) func(string, int64, io.Reader) error {
	return func(name string, _ int64, r io.Reader) error {
		if name != CompilationPath {
			return nil
		}
		f, err := os.CreateTemp(s.cfg.TempDir, "verify-compilation-*.pdf")
		if err != nil {
			return err
		}
		*path = f.Name()
		if _, err := io.Copy(f, r); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
}
