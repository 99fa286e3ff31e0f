// Command cer measures the PP-OCR reader on a sample of the dev corpus's page images beside the plain
// tesseract CLI: the character error rate against each file's sidecar ground truth (pages[0].text,
// whitespace removed on both sides: edit distance / ground-truth length), seconds per page with one
// thread each (ONNX Runtime intra-op threads = 1, OMP_THREAD_LIMIT=1), and, with -orient, how often
// Orientation finds the rotation of copies turned by 0, 90, 180 and 270 degrees.
//
//	go run ./ocr/ppocr/internal/cer -every 5 -orient
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"

	"shenbao/ocr/ppocr"

	"shenbao/internal/textdist"
)

var (
	fold = flag.Bool("fold", false, "fold full-width forms before comparing")
	only = flag.String("only", "", "read only the pages whose path contains this")
	side = flag.Int("side", 0, "the detector's long side (0: the reader's default)")
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus/dev", "dev corpus directory")
	every := flag.Int("every", 5, "take every n-th page image (sorted by path)")
	tess := flag.Bool("tess", true, "also run the tesseract CLI")
	orient := flag.Bool("orient", false, "also measure Orientation on turned copies")
	verbose := flag.Bool("v", false, "print each page's PP-OCR text")
	flag.Parse()
	os.Exit(run(*corpus, *every, *tess, *orient, *verbose))
}

func run(corpus string, every int, tess, orient, verbose bool) int {
	var files []string
	for _, pat := range []string{"*/*.png", "*/*.jpg"} {
		m, _ := filepath.Glob(filepath.Join(corpus, pat))
		files = append(files, m...)
	}
	sort.Strings(files)
	var sample []string
	for i, f := range files {
		if *only != "" {
			if strings.Contains(f, *only) {
				sample = append(sample, f)
			}
			continue
		}
		if i%every == 0 {
			sample = append(sample, f)
		}
	}
	if len(sample) == 0 {
		fmt.Fprintln(os.Stderr, "no page images under", corpus)
		return 1
	}
	r, err := ppocr.New(ppocr.Config{Threads: 1, MaxSide: *side})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer r.Close()

	var ppDist, tsDist, gtLen int
	var ppTime, tsTime, orTime time.Duration
	orientOK, orientN := 0, 0
	var peak uint64
	fmt.Printf("%-48s %6s %8s %6s %8s %6s\n", "page", "chars", "pp CER", "pp s", "tess CER", "tess s")
	for _, f := range sample {
		gt, err := truth(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			continue
		}
		img, err := decode(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			continue
		}
		t := time.Now()
		lines, err := r.Read(img)
		dt := time.Since(t)
		if err != nil {
			fmt.Fprintln(os.Stderr, f, err)
			return 1
		}
		var sb strings.Builder
		for _, l := range lines {
			sb.WriteString(l.Text())
			sb.WriteByte('\n')
		}
		if verbose {
			fmt.Print(sb.String())
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapSys)
		g := squeeze(gt)
		pd := distance(squeeze(sb.String()), g)
		ppDist += pd
		ppTime += dt
		gtLen += len(g)
		row := fmt.Sprintf("%-48s %6d %8.3f %6.2f", rel(corpus, f), len(g), float64(pd)/float64(len(g)), dt.Seconds())
		if tess {
			t := time.Now()
			cmd := exec.Command("tesseract", f, "-", "-l", "chi_sim")
			cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
			out, err := cmd.Output()
			dt := time.Since(t)
			if err != nil {
				fmt.Fprintln(os.Stderr, f, "tesseract:", err)
				return 1
			}
			td := distance(squeeze(string(out)), g)
			tsDist += td
			tsTime += dt
			row += fmt.Sprintf(" %8.3f %6.2f", float64(td)/float64(len(g)), dt.Seconds())
		}
		if orient {
			row += "  orientation:"
			for _, d := range []int{0, 90, 180, 270} {
				t := time.Now()
				got, c := r.Orientation(ppocr.Rotate(img, d))
				orTime += time.Since(t)
				want := (360 - d) % 360
				orientN++
				mark := "ok"
				if got == want {
					orientOK++
				} else {
					mark = fmt.Sprintf("got %d", got)
				}
				row += fmt.Sprintf(" %d:%s(%.2f)", d, mark, c)
			}
		}
		fmt.Println(row)
	}
	n := float64(len(sample))
	fmt.Printf("\n%d pages, %d ground-truth characters\n", len(sample), gtLen)
	fmt.Printf("PP-OCR    CER %.3f  %.2f s/page (Go heap from the OS at most %d MB; peak RSS of this process %s)\n", float64(ppDist)/float64(gtLen), ppTime.Seconds()/n, peak>>20, peakRSS())
	if tess {
		fmt.Printf("tesseract CER %.3f  %.2f s/page\n", float64(tsDist)/float64(gtLen), tsTime.Seconds()/n)
	}
	if orient {
		fmt.Printf("orientation %d/%d right, %.2f s per call\n", orientOK, orientN, orTime.Seconds()/float64(orientN))
	}
	return 0
}

func rel(base, p string) string {
	if r, err := filepath.Rel(base, p); err == nil {
		return r
	}
	return p
}

func decode(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

// truth reads the first page's text from the file's sidecar.
func truth(path string) (string, error) {
	b, err := os.ReadFile(path + ".json")
	if err != nil {
		return "", err
	}
	var side struct {
		Pages []struct {
			Text string `json:"text"`
		} `json:"pages"`
	}
	if err := json.Unmarshal(b, &side); err != nil {
		return "", fmt.Errorf("%s.json: %w", path, err)
	}
	if len(side.Pages) == 0 || side.Pages[0].Text == "" {
		return "", fmt.Errorf("%s.json: no page text", path)
	}
	return side.Pages[0].Text, nil
}

// squeeze drops whitespace; with -fold it also folds full-width forms to their ASCII twins (（ and (
// are one character to a reader of the text).
func squeeze(s string) []rune {
	if *fold {
		s = width.Fold.String(s)
	}
	var out []rune
	for _, r := range s {
		if !unicode.IsSpace(r) {
			out = append(out, r)
		}
	}
	return out
}

// distance is the Levenshtein distance between a and b.
func distance(a, b []rune) int { return textdist.Levenshtein(a, b) }

// peakRSS is the process's VmHWM from /proc (models, runtime, decoded images and all).
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
