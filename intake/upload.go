package intake

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Accepted content types, recognised by their first bytes, never by name or declared type.
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypeTIFF = "image/tiff"
)

// Sniff returns the content type of a file from its first bytes (at least 1024 when the file has
// them), or "" if it is none of the accepted types.
func Sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")):
		return TypeJPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return TypeTIFF
	case bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-")):
		// The PDF header may follow some junk within the first 1024 bytes (ISO 32000-1, 7.5.2 note),
		// but not markup: an HTML or SVG page with %PDF- in a comment is a page, with its scripts.
		if i := bytes.Index(head, []byte("%PDF-")); i > 0 && markup(head[:i]) {
			return ""
		}
		return TypePDF
	}
	return ""
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

// spool copies r to a temporary file in dir, computing its SHA-256 and sniffing its type, and refuses
// it (removing the file) if it is empty, over limit bytes, of an unaccepted type or cut short.
func spool(dir string, r io.Reader, limit int64) (*spooled, error) {
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
	ct := Sniff(head.b)
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
