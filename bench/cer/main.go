// Command cer measures OCR character error rates against the corpus ground truth.
//
//	go run ./bench/cer -corpus ../shared/corpus/dev NAME=RESULTS.jsonl ...
//
// Each RESULTS.jsonl has one line per page image or file: {"file": path relative to the corpus, with
// "#N" for page N of a multi-page file, or without for all its pages, "page_texts": ["…", …]}. The
// error rate is the edit distance between recognised and true text with all whitespace removed, over
// the true text's length, summed over pages; pages marked blank or illegible in the ground truth are
// left out. Figures are printed overall and by kind of page: scans, phone photos (IMG_…), screenshots
// (PNG), pages whose document bears a seal.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"shenbao/internal/textdist"
)

type truthPage struct {
	Text    string `json:"text"`
	Blank   bool   `json:"blank"`
	Legible *bool  `json:"legible"`
}

type truth struct {
	Fields map[string]any `json:"fields"`
	Pages  []truthPage    `json:"pages"`
}

type result struct {
	File      string   `json:"file"`
	PageTexts []string `json:"page_texts"`
}

type tally struct{ errs, chars, pages int }

func (t *tally) add(e, n int) { t.errs += e; t.chars += n; t.pages++ }
func (t tally) rate() float64 {
	if t.chars == 0 {
		return 0
	}
	return float64(t.errs) / float64(t.chars)
}

func main() {
	corpus := flag.String("corpus", "../shared/corpus/dev", "the corpus split")
	flag.Parse()
	var names []string
	results := map[string]map[string]tally{}
	for _, arg := range flag.Args() {
		name, path, ok := strings.Cut(arg, "=")
		if !ok {
			fmt.Fprintln(os.Stderr, "arguments are NAME=RESULTS.jsonl")
			os.Exit(2)
		}
		names = append(names, name)
		t, err := score(*corpus, path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		results[name] = t
	}
	cats := []string{"all", "scan", "photo", "screenshot", "sealed"}
	fmt.Printf("%-12s", "CER")
	for _, c := range cats {
		fmt.Printf(" %16s", c)
	}
	fmt.Println()
	for _, n := range names {
		fmt.Printf("%-12s", n)
		for _, c := range cats {
			t := results[n][c]
			fmt.Printf(" %9.3f (%3dp)", t.rate(), t.pages)
		}
		fmt.Println()
	}
}

func score(corpus, path string) (map[string]tally, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]tally{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		file, page := r.File, 0
		if i := strings.LastIndex(file, "#"); i >= 0 {
			page, _ = strconv.Atoi(file[i+1:])
			file = file[:i]
		}
		b, err := os.ReadFile(filepath.Join(corpus, file+".json"))
		if err != nil {
			continue // not a corpus document
		}
		var t truth
		if err := json.Unmarshal(b, &t); err != nil {
			return nil, err
		}
		for i, text := range r.PageTexts {
			n := i + 1
			if page > 0 {
				n = page
			}
			if n > len(t.Pages) {
				continue
			}
			tp := t.Pages[n-1]
			if tp.Blank || (tp.Legible != nil && !*tp.Legible) {
				continue
			}
			want, got := squeeze(tp.Text), squeeze(text)
			if len(want) == 0 {
				continue
			}
			e := distance(got, want)
			for _, c := range categories(file, t) {
				x := out[c]
				x.add(e, len(want))
				out[c] = x
			}
		}
	}
	return out, sc.Err()
}

func categories(file string, t truth) []string {
	cs := []string{"all"}
	base := filepath.Base(file)
	switch {
	case strings.HasPrefix(base, "IMG_"):
		cs = append(cs, "photo")
	case strings.HasSuffix(strings.ToLower(base), ".png"):
		cs = append(cs, "screenshot")
	default:
		cs = append(cs, "scan")
	}
	if v, ok := t.Fields["has_seal"].(bool); ok && v {
		cs = append(cs, "sealed")
	}
	return cs
}

// squeeze drops whitespace and folds full-width ASCII, so that layout does not count as error.
func squeeze(s string) []rune {
	var out []rune
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		out = append(out, r)
	}
	return out
}

// distance is the Levenshtein distance between a and b.
func distance(a, b []rune) int { return textdist.Levenshtein(a, b) }
