package ocr

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSealsOnCorpus measures seal finding on every dev page whose ground truth records has_seal:
// on colour pages a seal must be found where there is one and none where there is none; grey pages
// must say "unknown" rather than guess.
func TestSealsOnCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "dev")
	sidecars, _ := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	if len(sidecars) == 0 {
		t.Skip("corpus not found")
	}
	e, err := NewEngine(EngineConfig{Reader: ReaderTesseract})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	var found, missed, falseSeal, unknown, colour int
	for _, sc := range sidecars {
		var gt struct {
			Fields map[string]any
		}
		b, _ := os.ReadFile(sc)
		if json.Unmarshal(b, &gt) != nil {
			continue
		}
		want, ok := gt.Fields["has_seal"].(bool)
		if !ok {
			continue
		}
		path := strings.TrimSuffix(sc, ".json")
		head, _ := os.ReadFile(path)
		ct := map[byte]string{'%': PDF, 0xFF: JPEG, 0x89: PNG, 'I': TIFF, 'M': TIFF}[head[0]]
		n, err := e.Count(path, ct)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		got, known := false, false
		for p := 1; p <= n; p++ {
			img, dpi, err := e.pageImage(t.Context(), path, ct, p)
			if err != nil || img.data == nil {
				continue
			}
			seals, ok := sealsOf(img.data, dpi)
			known = known || ok
			got = got || len(seals) > 0
		}
		switch {
		case !known:
			unknown++
		case want && got:
			colour++
			found++
		case want:
			colour++
			missed++
			t.Logf("seal missed: %s", path)
		case got:
			colour++
			falseSeal++
			t.Logf("seal where there is none: %s", path)
		default:
			colour++
		}
	}
	t.Logf("colour pages: %d (seals found %d, missed %d, false %d); grey, reported unknown: %d", colour, found, missed, falseSeal, unknown)
	if missed > 0 || falseSeal > 0 {
		t.Errorf("seal finding on colour documents: %d missed, %d false; want none", missed, falseSeal)
	}
}

// A digital PDF (text layer) with a seal stamped on it: the seal is found on the drawn page.
func TestSealOnTextLayerPage(t *testing.T) {
	path := corpusFile(t, "app01_lhasa/01_附件2-申请报告.pdf")
	e, err := NewEngine(EngineConfig{Reader: ReaderTesseract})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	n, err := e.Count(path, PDF)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for i := 1; i <= n; i++ {
		p, err := e.Read(t.Context(), path, PDF, i)
		if err != nil {
			t.Fatal(err)
		}
		if p.Source != "text_layer" {
			t.Fatalf("page %d read by %s; want its text layer", i, p.Source)
		}
		for _, s := range p.Seals {
			if s.Empty() || s.X1 > p.Width || s.Y1 > p.Height {
				t.Errorf("page %d: seal box %+v off the %d×%d page", i, s, p.Width, p.Height)
			}
		}
		found += len(p.Seals)
	}
	if found == 0 {
		t.Error("no seal found on the report; its sidecar says it bears one")
	}
}
