package bagit

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// TestValidateVisit: every payload file is handed to visit with its size and bytes, and the digests
// still check whether visit reads a file whole, in part or not at all.
func TestValidateVisit(t *testing.T) {
	b := writeBag(t, "app-2026-0001", testInfo, testFiles)
	got := map[string]string{}
	rep, err := ValidateVisit(bytes.NewReader(b), func(path string, size int64, r io.Reader) error {
		var buf []byte
		var err error
		switch path {
		case "data/a.txt": // only the first byte
			buf = make([]byte, 1)
			_, err = io.ReadFull(r, buf)
		case "data/empty": // nothing
		default:
			buf, err = io.ReadAll(r)
		}
		if int64(len(buf)) > size {
			t.Errorf("visit %s: read %d bytes of a %d-byte file", path, len(buf), size)
		}
		got[path] = string(buf)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Valid() || rep.PayloadFiles != 3 || rep.PayloadOctets != int64(len("营业执照\n")+3) {
		t.Errorf("report %+v; want a valid bag of 3 files, %d octets", rep, len("营业执照\n")+3)
	}
	want := map[string]string{"data/原件/营业执照.txt": "营业执照\n", "data/a.txt": "a", "data/empty": ""}
	for p, w := range want {
		if g, ok := got[p]; !ok || g != w {
			t.Errorf("visit %s: got %q (visited %v); want %q", p, g, ok, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("visited %v; want only the payload files %v", got, want)
	}

	// A changed payload file is still caught when visit has read it.
	es := readEntries(t, b)
	es = edit(t, es, "app-2026-0001/data/a.txt", func(string) string { return "abd" })
	rep, err = ValidateVisit(bytes.NewReader(writeEntries(t, es)), func(string, int64, io.Reader) error { return nil })
	if err != nil || rep.Valid() {
		t.Errorf("changed file: %v, %+v; want a checksum problem", err, rep)
	}

	// An error of visit stops the validation.
	stop := errors.New("disk full")
	if rep, err := ValidateVisit(bytes.NewReader(b), func(string, int64, io.Reader) error { return stop }); !errors.Is(err, stop) || rep != nil {
		t.Errorf("visit failing: %v, %v; want its error and no report", rep, err)
	}
}
