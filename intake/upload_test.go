package intake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		name, head, want string
	}{
		{"pdf", "%PDF-1.7\n%âãÏÓ", TypePDF},
		{"pdf after junk: only SniffFile may say, once it parses", "\x00\x00garbage\n%PDF-1.4", ""},
		{"jpeg", "\xFF\xD8\xFF\xE0\x00\x10JFIF", TypeJPEG},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", TypePNG},
		{"tiff le", "II*\x00\x08\x00\x00\x00", TypeTIFF},
		{"tiff be", "MM\x00*\x00\x00\x00\x08", TypeTIFF},
		{"text", "hello, this is not a scan", ""},
		{"zip named pdf", "PK\x03\x04", ""},
		{"html", "<html><script>alert(1)</script>", ""},
		{"html with %PDF- in a comment", "<!DOCTYPE html><!-- %PDF-1.4 --><script>alert(1)</script>", ""},
		{"svg with %PDF-", "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><!-- %PDF-1.7 --></svg>", ""},
		{"gif", "GIF89a", ""},
		{"empty", "", ""},
	} {
		if got := Sniff([]byte(tc.head)); got != tc.want {
			t.Errorf("Sniff(%s) = %q; want %q", tc.name, got, tc.want)
		}
	}
}

// fakeCounter stands in for the reader's page count (ocr.Pool parses with pdfcpu in a worker): a file
// with a trailer has two pages; "encrypted" and "worker died" in a file give those errors; anything
// else does not parse.
type fakeCounter struct{ calls int }

type temporaryError struct{ error }

func (temporaryError) Temporary() bool { return true }

func (c *fakeCounter) CountPages(ctx context.Context, path, contentType string) (int, error) {
	c.calls++
	b, err := os.ReadFile(path)
	switch {
	case err != nil:
		return 0, err
	case contentType != TypePDF:
		return 0, fmt.Errorf("asked to count a %s", contentType)
	case bytes.Contains(b, []byte("worker died")):
		return 0, temporaryError{errors.New("ocr count: not read: worker died")}
	case bytes.Contains(b, []byte("encrypted")):
		return 0, errors.New("pdf: this file is encrypted: please provide the correct password")
	case bytes.Contains(b, []byte("trailer")):
		return 2, nil
	}
	return 0, errors.New("pdf: xref table: corrupt")
}

// A file is a PDF if its header is at offset 0, or within its first 1024 bytes when the whole file
// parses as one (issue 13: a page with %PDF- in a comment was taken for a PDF).
func TestSniffFile(t *testing.T) {
	pdf := "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
	for _, tc := range []struct {
		name, content, want string
		counted             bool // the reader was asked to parse it
		noCounter, fails    bool
	}{
		{name: "pdf at offset 0", content: pdf, want: TypePDF},
		{name: "damaged pdf at offset 0 (processing says it is damaged)", content: "%PDF-1.7\n1 0 obj << /Type /Catalog", want: TypePDF},
		{name: "pdf after junk that parses", content: "\x00\x01mail gateway junk\r\n" + pdf, want: TypePDF, counted: true},
		{name: "encrypted pdf after junk", content: "junk\n%PDF-1.6 encrypted", want: TypePDF, counted: true},
		{name: "header after junk, nothing that parses", content: "\x00\x00garbage\n%PDF-1.4\nnot a pdf at all", want: "", counted: true},
		{name: "text with %PDF- in it", content: "notes: files start with %PDF-1.7 and end with %%EOF\n", want: "", counted: true},
		{name: "html with %PDF- in a comment", content: "<!DOCTYPE html><!-- %PDF-1.4 --><script>alert(1)</script>", want: ""},
		{name: "svg with %PDF- in a comment", content: "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><!-- %PDF-1.7 --></svg>", want: ""},
		{name: "html then a whole pdf (a polyglot)", content: "<html><script>alert(1)</script><!--\n" + pdf + "\n--></html>", want: ""},
		{name: "header past 1024 bytes", content: strings.Repeat("\x00", 1100) + pdf, want: ""},
		{name: "pdf after junk, nothing to parse it with", content: "\x00\x01junk\r\n" + pdf, want: "", noCounter: true},
		{name: "the reader cannot count now", content: "junk %PDF-1.4 worker died", counted: true, fails: true},
		{name: "png", content: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", want: TypePNG},
	} {
		path := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
			t.Fatal(err)
		}
		head := []byte(tc.content[:min(len(tc.content), 1024)])
		fc := &fakeCounter{}
		var pc PageCounter = fc
		if tc.noCounter {
			pc = nil
		}
		got, err := SniffFile(context.Background(), pc, path, head)
		if got != tc.want || (err != nil) != tc.fails || (fc.calls > 0) != tc.counted {
			t.Errorf("SniffFile(%s) = %q, %v, parsed %t; want %q, error %t, parsed %t", tc.name, got, err, fc.calls > 0, tc.want, tc.fails, tc.counted)
		}
	}
}

// The download name's extension follows the type sniffed from the bytes, not the name given.
func TestDownloadName(t *testing.T) {
	for _, tc := range []struct{ name, ct, want string }{
		{"x.html", TypePNG, "x.png"},
		{"营业执照.svg", TypePDF, "营业执照.pdf"},
		{"scan.JPG", TypeJPEG, "scan.JPG"},
		{"scan.jpeg", TypeJPEG, "scan.jpeg"},
		{"scan.tif", TypeTIFF, "scan.tif"},
		{"scan.pdf", TypeJPEG, "scan.jpg"},
		{"租赁合同", TypePDF, "租赁合同.pdf"},
		{"报告 v1.2", TypePDF, "报告 v1.2.pdf"},
		{"x.png.html", TypePNG, "x.png.png"},
		{"x.html", "text/html", "x.html"},
	} {
		if got := DownloadName(tc.name, tc.ct); got != tc.want {
			t.Errorf("DownloadName(%q, %s) = %q; want %q", tc.name, tc.ct, got, tc.want)
		}
	}
}

func TestSpool(t *testing.T) {
	dir := t.TempDir()
	pdf := "%PDF-1.4\n" + strings.Repeat("x", 100)
	sp, err := spool(context.Background(), dir, strings.NewReader(pdf), 1000, &fakeCounter{})
	if err != nil {
		t.Fatal(err)
	}
	if sp.size != int64(len(pdf)) || sp.contentType != TypePDF || len(sp.sha256) != 64 {
		t.Errorf("got %+v; want %d bytes of pdf with a sha256", sp, len(pdf))
	}
	os.Remove(sp.path)

	for _, tc := range []struct {
		name string
		r    io.Reader
		code string
		err  error
	}{
		{"empty", strings.NewReader(""), "empty_file", ErrEmpty},
		{"too large", strings.NewReader(pdf + strings.Repeat("y", 1000)), "file_too_large", ErrTooLarge},
		{"wrong type", strings.NewReader("just text"), "unsupported_type", ErrUnsupported},
		{"pdf header after junk, not a pdf", strings.NewReader("\x00junk %PDF-1.4 and no more"), "unsupported_type", ErrUnsupported},
		{"pdf header after junk, the reader cannot count now", strings.NewReader("\x00junk %PDF-1.4 worker died"), "type_check_unavailable", ErrUnavailable},
		{"truncated", iotest.ErrReader(io.ErrUnexpectedEOF), "upload_truncated", ErrInvalid},
	} {
		_, err := spool(context.Background(), dir, tc.r, 1000, &fakeCounter{})
		var ie *Error
		if !errors.As(err, &ie) || ie.Code != tc.code || !errors.Is(err, tc.err) || ie.Message == "" {
			t.Errorf("%s: got %v; want code %s wrapping %v with a message", tc.name, err, tc.code, tc.err)
		}
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 0 {
		t.Errorf("refused uploads left %d files in the spool directory", len(left))
	}
}
