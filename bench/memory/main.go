// Command memory reads corpus pages in this process the way a worker process does (the engine's
// Read, the page encoded as the worker's response, then debug.FreeOSMemory) and prints, page by
// page, the resident set it needed: the peak while the page was read (VmHWM, reset before each
// page through /proc/self/clear_refs), the resident set after it, and Go's share of it. At the end
// it prints the resident set once the engine is loaded, the worst pages, and where the resident
// memory lies at the end (Go's heap, the other anonymous memory — ONNX Runtime's arena, Tesseract's
// and Leptonica's allocations — and the mapped libraries and models).
//
//	OMP_THREAD_LIMIT=1 go run ./bench/memory [-corpus DIR] [-pages 0] [-reader auto]
//
// It asserts nothing: issue 14 asks a worker to stay within 400 MB on the dev pages, and this says
// which pages and which part of the process stand in the way.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"shenbao/ocr"
)

type page struct {
	path, rel, ct string
	n             int
}

func main() {
	corpus := flag.String("corpus", "../shared/corpus/dev", "the corpus split")
	want := flag.Int("pages", 0, "read about this many pages, spread over the corpus (0: every page)")
	reader := flag.String("reader", ocr.ReaderAuto, "the engine's reader (auto, ppocr, tesseract)")
	verbose := flag.Bool("v", false, "print every page")
	list := flag.String("files", "", "read the files listed in this file (one path a line) instead of the corpus")
	flag.Parse()
	if os.Getenv("OMP_THREAD_LIMIT") != "1" {
		fmt.Fprintln(os.Stderr, "memory: run with OMP_THREAD_LIMIT=1, as the workers are")
		os.Exit(2)
	}
	runtime.LockOSThread()
	start := status()
	e, err := ocr.NewEngine(ocr.EngineConfig{Reader: *reader})
	if err != nil {
		fatal(err)
	}
	defer e.Close()
	loaded := status()
	var pages []page
	if *list != "" {
		b, err := os.ReadFile(*list)
		if err != nil {
			fatal(err)
		}
		pages = listed(e, strings.Fields(string(b)))
		fmt.Printf("%d pages of the files in %s, reader %s\n", len(pages), *list, *reader)
	} else {
		pages = sample(e, *corpus, *want)
		fmt.Printf("%d pages of %s, reader %s\n", len(pages), *corpus, *reader)
	}
	fmt.Printf("resident at start %d MB, engine made %d MB\n", start["VmRSS"]>>10, loaded["VmRSS"]>>10)

	type rec struct {
		key              string
		peak, after, go_ int64
	}
	var recs []rec
	var peak int64
	for i, p := range pages {
		resetPeak()
		pg, err := e.Read(context.Background(), p.path, p.ct, p.n)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s page %d: %v\n", p.rel, p.n, err)
		}
		json.Marshal(&pg)
		hwm := status()["VmHWM"]
		debug.FreeOSMemory()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		r := rec{key: fmt.Sprintf("%s#%d", p.rel, p.n), peak: hwm >> 10, after: status()["VmRSS"] >> 10,
			go_: int64(ms.HeapInuse+ms.StackInuse) >> 20}
		recs = append(recs, r)
		peak = max(peak, r.peak)
		if *verbose {
			fmt.Printf("%3d %-60s peak %4d MB after %4d MB (Go heap %3d MB)\n", i+1, r.key, r.peak, r.after, r.go_)
		}
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].peak > recs[j].peak })
	fmt.Printf("\npeak resident over the %d pages: %d MB; after the last page: %d MB\n", len(pages), peak, status()["VmRSS"]>>10)
	fmt.Println("the pages that needed most:")
	for _, r := range recs[:min(10, len(recs))] {
		fmt.Printf("  %4d MB  %s (after it %d MB)\n", r.peak, r.key, r.after)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	anon, file := smaps()
	fmt.Printf("\nresident at the end: Go heap in use %d MB (runtime's total %d MB), anonymous %d MB, mapped files %d MB\n",
		ms.HeapInuse>>20, ms.Sys>>20, anon>>10, file>>10)
	fmt.Println("the largest mapped files:")
	for _, f := range topFiles(8) {
		fmt.Printf("  %4d MB  %s\n", f.kb>>10, f.name)
	}
}

// status reads /proc/self/status's memory lines, in kB.
func status() map[string]int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		fatal(err)
	}
	defer f.Close()
	m := map[string]int64{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, ok := strings.Cut(s.Text(), ":")
		if !ok || !strings.HasPrefix(k, "Vm") {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		m[k] = n
	}
	return m
}

// resetPeak sets VmHWM back to the resident set (Linux 4.0 and later).
func resetPeak() {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		fatal(err)
	}
}

type mapped struct {
	name string
	kb   int64
}

// smapsRegions lists the resident kB of each mapping of /proc/self/smaps by its name ("" anonymous).
func smapsRegions() []mapped {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		fatal(err)
	}
	defer f.Close()
	var out []mapped
	s := bufio.NewScanner(f)
	for s.Scan() {
		fs := strings.Fields(s.Text())
		if len(fs) >= 5 && strings.Contains(fs[0], "-") && !strings.HasSuffix(fs[0], ":") {
			name := ""
			if len(fs) >= 6 {
				name = fs[5]
			}
			out = append(out, mapped{name: name})
			continue
		}
		if len(fs) == 3 && fs[0] == "Rss:" && len(out) > 0 {
			n, _ := strconv.ParseInt(fs[1], 10, 64)
			out[len(out)-1].kb += n
		}
	}
	return out
}

func smaps() (anon, file int64) {
	for _, m := range smapsRegions() {
		if m.name == "" || strings.HasPrefix(m.name, "[") {
			anon += m.kb
		} else {
			file += m.kb
		}
	}
	return anon, file
}

func topFiles(n int) []mapped {
	by := map[string]int64{}
	for _, m := range smapsRegions() {
		if m.name != "" && !strings.HasPrefix(m.name, "[") {
			by[m.name] += m.kb
		}
	}
	var out []mapped
	for k, v := range by {
		out = append(out, mapped{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].kb > out[j].kb })
	return out[:min(n, len(out))]
}

// contentType is the type of a file by its name, "" for one the reader does not take.
func contentType(path string) string {
	return map[string]string{".jpg": ocr.JPEG, ".jpeg": ocr.JPEG, ".png": ocr.PNG, ".tif": ocr.TIFF, ".tiff": ocr.TIFF, ".pdf": ocr.PDF}[strings.ToLower(filepath.Ext(path))]
}

// listed lists every page of the files given.
func listed(e *ocr.Engine, files []string) []page {
	var out []page
	for _, path := range files {
		ct := contentType(path)
		if ct == "" {
			continue
		}
		n, err := e.Count(path, ct)
		if err != nil {
			continue
		}
		for i := 1; i <= n; i++ {
			out = append(out, page{path: path, rel: filepath.Base(path), ct: ct, n: i})
		}
	}
	return out
}

// sample lists every page of the corpus' documents in order of file and page, or about want of them.
func sample(e *ocr.Engine, corpus string, want int) []page {
	files, err := filepath.Glob(filepath.Join(corpus, "*", "*.json"))
	if err != nil {
		fatal(err)
	}
	sort.Strings(files)
	var all []page
	for _, sc := range files {
		path := strings.TrimSuffix(sc, ".json")
		ct := contentType(path)
		if ct == "" {
			continue
		}
		n, err := e.Count(path, ct)
		if err != nil {
			continue
		}
		rel, _ := filepath.Rel(corpus, path)
		for i := 1; i <= n; i++ {
			all = append(all, page{path: path, rel: rel, ct: ct, n: i})
		}
	}
	if want <= 0 || want >= len(all) {
		return all
	}
	k := max(len(all)/want, 1)
	var out []page
	for i := k / 2; i < len(all) && len(out) < want; i += k {
		out = append(out, all[i])
	}
	return out
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "memory:", err)
	os.Exit(1)
}
