package extract

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"shenbao/doc"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fixturePages reads a text fixture: one line per printed line, tokens separated by spaces (cells),
// "#page" starting a new page, "#seal" putting a seal on the current page, and "@x=N " placing a
// line's first token at x=N (a line wrapped under a value).
func fixturePages(t *testing.T, path string) []doc.Page {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var pages []doc.Page
	cur := doc.Page{Number: 1, Width: 2400, DPI: 300, Source: doc.SourceOCR}
	y := 50
	for _, ln := range strings.Split(string(b), "\n") {
		switch {
		case ln == "#page":
			cur.Height = y + 50
			pages = append(pages, cur)
			cur = doc.Page{Number: len(pages) + 1, Width: 2400, DPI: 300, Source: doc.SourceOCR}
			y = 50
			continue
		case ln == "#seal":
			cur.Seals = append(cur.Seals, doc.Box{X0: 1500, Y0: 200, X1: 1800, Y1: 500})
			continue
		}
		x := 50
		if strings.HasPrefix(ln, "@x=") {
			sp := strings.IndexByte(ln, ' ')
			x, _ = strconv.Atoi(ln[3:sp])
			ln = ln[sp+1:]
		}
		toks := strings.Fields(ln)
		if len(toks) == 0 {
			continue
		}
		l := synthLine(toks, y, 0.9)
		for i := range l.Words {
			l.Words[i].Box.X0 += x - 50
			l.Words[i].Box.X1 += x - 50
		}
		l.Box = doc.Box{}
		for _, w := range l.Words {
			l.Box = l.Box.Union(w.Box)
		}
		cur.Lines = append(cur.Lines, l)
		y += lineH + lineGap
	}
	cur.Height = y + 50
	return append(pages, cur)
}

// TestGolden extracts hand-written documents whose layouts and wording differ from the corpus
// (a two-column licence with a wrapped address, a balance sheet with 年初 before 期末 in 万元, a
// lease with 出租人/承租人) and compares the whole Result with testdata/*.golden.json.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			got := Extract(fixturePages(t, f))
			b, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(f, ".txt") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if d := cmp.Diff(strings.TrimSpace(string(want)), strings.TrimSpace(string(b))); d != "" {
				t.Errorf("Extract(%s) mismatch (-want +got):\n%s", f, d)
			}
		})
	}
}
