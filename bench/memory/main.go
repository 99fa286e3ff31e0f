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
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"shenbao/bench/internal/pages"
	"shenbao/bench/internal/procmem"
	"shenbao/ocr"
)

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
	start, _ := procmem.Memory(os.Getpid())
	e, err := ocr.NewEngine(ocr.EngineConfig{Reader: *reader})
	if err != nil {
		fatal(err)
	}
	defer e.Close()
	loaded, _ := procmem.Memory(os.Getpid())
	var sample []pages.Page
	if *list != "" {
		b, err := os.ReadFile(*list)
		if err != nil {
			fatal(err)
		}
		sample = pages.Listed(e, strings.Fields(string(b)))
		fmt.Printf("%d pages of the files in %s, reader %s\n", len(sample), *list, *reader)
	} else {
		if sample, err = pages.Sample(e, *corpus, *want); err != nil {
			fatal(err)
		}
		fmt.Printf("%d pages of %s, reader %s\n", len(sample), *corpus, *reader)
	}
	fmt.Printf("resident at start %d MB, engine made %d MB\n", start>>10, loaded>>10)

	type rec struct {
		key              string
		peak, after, go_ int64
	}
	var recs []rec
	var peak int64
	for i, p := range sample {
		if err := procmem.ResetPeak(); err != nil {
			fatal(err)
		}
		pg, err := e.Read(context.Background(), p.Path, p.CT, p.N)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s page %d: %v\n", p.Rel, p.N, err)
		}
		json.Marshal(&pg)
		_, hwm := procmem.Memory(os.Getpid())
		debug.FreeOSMemory()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		after, _ := procmem.Memory(os.Getpid())
		r := rec{key: fmt.Sprintf("%s#%d", p.Rel, p.N), peak: hwm >> 10, after: after >> 10,
			go_: int64(ms.HeapInuse+ms.StackInuse) >> 20}
		recs = append(recs, r)
		peak = max(peak, r.peak)
		if *verbose {
			fmt.Printf("%3d %-60s peak %4d MB after %4d MB (Go heap %3d MB)\n", i+1, r.key, r.peak, r.after, r.go_)
		}
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].peak > recs[j].peak })
	end, _ := procmem.Memory(os.Getpid())
	fmt.Printf("\npeak resident over the %d pages: %d MB; after the last page: %d MB\n", len(sample), peak, end>>10)
	fmt.Println("the pages that needed most:")
	for _, r := range recs[:min(10, len(recs))] {
		fmt.Printf("  %4d MB  %s (after it %d MB)\n", r.peak, r.key, r.after)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	anon, files := smaps()
	var file int64
	for _, f := range files {
		file += f.kb
	}
	fmt.Printf("\nresident at the end: Go heap in use %d MB (runtime's total %d MB), anonymous %d MB, mapped files %d MB\n",
		ms.HeapInuse>>20, ms.Sys>>20, anon>>10, file>>10)
	fmt.Println("the largest mapped files:")
	for _, f := range files[:min(8, len(files))] {
		fmt.Printf("  %4d MB  %s\n", f.kb>>10, f.name)
	}
}

type mapped struct {
	name string
	kb   int64
}

// smaps sums the resident kB of /proc/self/smaps: the anonymous mappings, and the mapped files by
// name, largest first.
func smaps() (anon int64, files []mapped) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		fatal(err)
	}
	defer f.Close()
	byFile := map[string]int64{}
	name := ""
	s := bufio.NewScanner(f)
	for s.Scan() {
		fs := strings.Fields(s.Text())
		if len(fs) >= 5 && strings.Contains(fs[0], "-") && !strings.HasSuffix(fs[0], ":") {
			name = ""
			if len(fs) >= 6 {
				name = fs[5]
			}
			continue
		}
		if len(fs) == 3 && fs[0] == "Rss:" {
			n, _ := strconv.ParseInt(fs[1], 10, 64)
			if name == "" || strings.HasPrefix(name, "[") {
				anon += n
			} else {
				byFile[name] += n
			}
		}
	}
	for k, v := range byFile {
		files = append(files, mapped{k, v})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].kb > files[j].kb })
	return anon, files
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "memory:", err)
	os.Exit(1)
}
