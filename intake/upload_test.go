package intake

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"
)

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		name, head, want string
	}{
		{"pdf", "%PDF-1.7\n%âãÏÓ", TypePDF},
		{"pdf after junk", "\x00\x00garbage\n%PDF-1.4", TypePDF},
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

func TestSpool(t *testing.T) {
	dir := t.TempDir()
	pdf := "%PDF-1.4\n" + strings.Repeat("x", 100)
	sp, err := spool(dir, strings.NewReader(pdf), 1000)
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
		{"truncated", iotest.ErrReader(io.ErrUnexpectedEOF), "upload_truncated", ErrInvalid},
	} {
		_, err := spool(dir, tc.r, 1000)
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
