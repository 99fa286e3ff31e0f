package intake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// Accepted content types, recognised by their bytes (Sniff, SniffFile), never by name or declared type.
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypeTIFF = "image/tiff"
)

// Sniff returns the content type of a file from its first bytes (at least 1024 when the file has
// them), or "" if it is none of the accepted types. A PDF is recognised here only by a header at
// offset 0: one whose header follows other bytes is a PDF only if the whole file parses as one, which
// SniffFile checks.
func Sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")):
		return TypeJPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return TypeTIFF
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return TypePDF
	}
	return ""
}

// pdfHeaderLater reports whether head has a PDF header after other bytes, within its first 1024: ISO
// 32000-1 (7.5.2, note) lets a reader accept one there. Markup before it (an HTML or SVG page with
// %PDF- in a comment) does not count: that file is a page, with its scripts.
func pdfHeaderLater(head []byte) bool {
	i := bytes.Index(head[:min(len(head), 1024)], []byte("%PDF-"))
	return i > 0 && !markup(head[:i])
}

// PageCounter counts the pages of a file on local disk: ocr.Pool does, with pdfcpu in a worker
// process, under the worker's memory and time limits. A count that fails for the counter's own fault
// (its worker died) returns an error whose Temporary method reports true.
type PageCounter interface {
	CountPages(ctx context.Context, path, contentType string) (int, error)
}

// pdfParseTimeout bounds the parsing of an upload whose PDF header is not at its start.
const pdfParseTimeout = time.Minute

// SniffFile returns the content type of the file at path, whose first bytes are head (see Sniff), or
// "" if it is none of the accepted types. A file whose PDF header comes after other bytes is a PDF only
// if pc parses it as a PDF with pages (a password-protected one counts: processing says what to do
// about it); with no pc it is not. A polyglot is not passed off as a PDF. The error is for a count
// that failed for pc's own fault: the type cannot be told now.
func SniffFile(ctx context.Context, pc PageCounter, path string, head []byte) (string, error) {
	if ct := Sniff(head); ct != "" || !pdfHeaderLater(head) || pc == nil {
		return ct, nil
	}
	ctx, cancel := context.WithTimeout(ctx, pdfParseTimeout)
	defer cancel()
	n, err := pc.CountPages(ctx, path, TypePDF)
	var t interface{ Temporary() bool }
	switch {
	case err == nil && n > 0:
		return TypePDF, nil
	case err == nil:
		return "", nil
	case errors.As(err, &t) && t.Temporary(), ctx.Err() != nil:
		return "", fmt.Errorf("count the pages of an upload: %w", err)
	}
	if l := strings.ToLower(err.Error()); strings.Contains(l, "encrypt") || strings.Contains(l, "password") {
		return TypePDF, nil
	}
	return "", nil
}

// pageCounter is the Service's reader if it counts pages, else nil.
func (s *Service) pageCounter() PageCounter {
	pc, _ := s.rec.(PageCounter)
	return pc
}

// markup reports whether b reads as the start of an HTML, XML or SVG document.
func markup(b []byte) bool {
	l := bytes.ToLower(b)
	for _, tag := range []string{"<html", "<!doctype", "<?xml", "<svg", "<script", "<head", "<body", "<iframe", "<!--"} {
		if bytes.Contains(l, []byte(tag)) {
			return true
		}
	}
	return false
}

// spooled is an upload written to a temporary file while it was hashed and sniffed.
type spooled struct {
	path        string
	size        int64
	sha256      string
	contentType string
}

// spool copies r to a temporary file in dir, computing its SHA-256 and sniffing its type (SniffFile,
// with pc), and refuses it (removing the file) if it is empty, over limit bytes, of an unaccepted type or cut
// short.
func spool(ctx context.Context, dir string, r io.Reader, limit int64, pc PageCounter) (*spooled, error) {
	f, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, fmt.Errorf("spool upload: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	head := &headBuffer{max: 1024}
	n, err := io.Copy(io.MultiWriter(f, h, head), io.LimitReader(r, limit+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || strings.Contains(err.Error(), "unexpected EOF") {
			return nil, &Error{Code: "upload_truncated", Message: "上传未完成：文件传输中断，请重新上传。", Err: ErrInvalid}
		}
		return nil, &Error{Code: "upload_failed", Message: "上传失败：读取文件时出错，请重新上传。", Err: fmt.Errorf("%w: %v", ErrInvalid, err)}
	}
	switch {
	case n == 0:
		return nil, &Error{Code: "empty_file", Message: "文件为空，请检查后重新上传。", Err: ErrEmpty}
	case n > limit:
		return nil, &Error{Code: "file_too_large", Message: fmt.Sprintf("文件超过 %s 的大小上限，请压缩或分拆后上传。", humanBytes(limit)), Err: ErrTooLarge}
	}
	ct, err := SniffFile(ctx, pc, f.Name(), head.b)
	if err != nil {
		return nil, &Error{Code: "type_check_unavailable", Message: "暂时无法核验该文件的格式，请稍后重新上传。", Err: fmt.Errorf("%w: %v", ErrUnavailable, err)}
	}
	if ct == "" {
		return nil, &Error{Code: "unsupported_type", Message: "不支持的文件类型：仅接受 PDF、JPEG、PNG、TIFF 格式的扫描件或照片。", Err: ErrUnsupported}
	}
	if err := f.Sync(); err != nil {
		return nil, fmt.Errorf("spool upload: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("spool upload: %w", err)
	}
	ok = true
	return &spooled{path: f.Name(), size: n, sha256: hex.EncodeToString(h.Sum(nil)), contentType: ct}, nil
}

type headBuffer struct {
	b   []byte
	max int
}

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := h.max - len(h.b); room > 0 {
		h.b = append(h.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%d 字节", n)
}

// extensions are the file name extensions of the accepted types, the usual one first.
var extensions = map[string][]string{
	TypePDF:  {".pdf"},
	TypeJPEG: {".jpg", ".jpeg", ".jpe"},
	TypePNG:  {".png"},
	TypeTIFF: {".tif", ".tiff"},
}

// DownloadName is the name a document is offered for download under: the name the applicant gave it,
// with the extension of the type sniffed from its bytes. A file named x.html that is a PNG downloads
// as x.png, so that no program opens it as a page.
func DownloadName(name, contentType string) string {
	exts, ok := extensions[contentType]
	if !ok {
		return name
	}
	ext := filepath.Ext(name)
	for _, e := range exts {
		if strings.EqualFold(ext, e) {
			return name
		}
	}
	if isExtension(ext) {
		name = strings.TrimSuffix(name, ext)
	}
	return name + exts[0]
}

// isExtension reports whether ext (".html", ".2") reads as a file type's extension rather than part
// of a name such as "报告 v1.2": one to eight ASCII letters and digits, at least one a letter.
func isExtension(ext string) bool {
	if len(ext) < 2 || len(ext) > 9 {
		return false
	}
	letter := false
	for _, r := range ext[1:] {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			letter = true
		case r >= '0' && r <= '9':
		default:
			return false
		}
	}
	return letter
}

// BlobKey is the content-addressed key of an original: "originals/sha256/<hex>".
func BlobKey(sha256hex string) string { return "originals/sha256/" + sha256hex }

// cleanFileName keeps the base name an applicant gave a file, as valid UTF-8 of bounded length.
func cleanFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = filepath.Base(name)
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "_")
	}
	if name == "." || name == "/" || name == "" {
		name = "未命名文件"
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	return name
}
