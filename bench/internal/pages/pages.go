// Package pages lists the pages the benches read in one process as a worker does: every k-th page
// of a corpus split's documents, or every page of listed files.
package pages

import (
	"path/filepath"
	"sort"
	"strings"

	"shenbao/ocr"
)

// Page is page N (1-based) of the file at Path, of type CT; Rel names it for print (the path
// under the corpus, or the file's name).
type Page struct {
	Path, Rel, CT string
	N             int
}

// ContentType is the type of a file by its name, "" for one the reader does not take.
func ContentType(path string) string {
	return map[string]string{".jpg": ocr.JPEG, ".jpeg": ocr.JPEG, ".png": ocr.PNG, ".tif": ocr.TIFF, ".tiff": ocr.TIFF, ".pdf": ocr.PDF}[strings.ToLower(filepath.Ext(path))]
}

// Sample lists every k-th page of the corpus' documents (those with a sidecar), in order of file
// and page, k chosen to give about want pages; want ≤ 0 lists them all.
func Sample(e *ocr.Engine, corpus string, want int) ([]Page, error) {
	files, err := filepath.Glob(filepath.Join(corpus, "*", "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var all []Page
	for _, sc := range files {
		path := strings.TrimSuffix(sc, ".json")
		rel, _ := filepath.Rel(corpus, path)
		all = append(all, of(e, path, rel)...)
	}
	if want <= 0 || want >= len(all) {
		return all, nil
	}
	k := max(len(all)/want, 1)
	var out []Page
	for i := k / 2; i < len(all) && len(out) < want; i += k {
		out = append(out, all[i])
	}
	return out, nil
}

// Listed lists every page of the files given.
func Listed(e *ocr.Engine, files []string) []Page {
	var out []Page
	for _, path := range files {
		out = append(out, of(e, path, filepath.Base(path))...)
	}
	return out
}

// of lists the pages of one file; none when the reader does not take it or cannot count them.
func of(e *ocr.Engine, path, rel string) []Page {
	ct := ContentType(path)
	if ct == "" {
		return nil
	}
	n, err := e.Count(path, ct)
	if err != nil {
		return nil
	}
	out := make([]Page, n)
	for i := range n {
		out[i] = Page{Path: path, Rel: rel, CT: ct, N: i + 1}
	}
	return out
}
