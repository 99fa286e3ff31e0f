// Command stages profiles the service's reader page by page, in CPU-seconds per stage, and compares
// variants of it on the same pages, interleaved, with the character error rate beside the cost.
//
//	OMP_THREAD_LIMIT=1 go run ./bench/stages [-corpus DIR] [-pages 30] [-reader auto] [-out bench/out/stages] \
//	    [-variant NAME:ENV=VALUE,ENV=VALUE ...]
//
// It reads a sample of the corpus' pages (every k-th page of its files in order, k chosen to give about
// -pages pages) in this process, on one locked OS thread, the way a worker process does: the engine's
// Read, the page encoded as the worker's response, then debug.FreeOSMemory. ONNX Runtime runs on the
// calling thread (one intra-op thread), and so does Tesseract (OMP_THREAD_LIMIT=1), so the thread's CPU
// time is the reading's; the process's CPU time beyond it is Go's background garbage collector, and the
// children's is pdftoppm and pdftotext.
//
// Stages come from a CPU profile (runtime/pprof, each sample labelled with its variant), each sample
// given to the first stage whose function is on its stack (see stageOf). CPU time, unlike the wall
// clock, does not grow much when the machine is busy with other work, which is why it is the measure.
//
// A variant is a set of environment variables in force while its engine is made (the base variant
// has none): the reader reads none, so a lever under trial is given a knob of its own, read from the
// environment while it is measured (issue 14's levers were compared so, and their knobs then removed). Each page is read by every variant in turn, the order reversed from one page to the
// next (A B, B A, …), so that a drift of the machine's load falls on all of them alike. Each variant's
// page texts are written as OUT/NAME.jsonl for bench/cer, whose figures are printed, together with
// the number of pages whose text differs from the first variant's.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"shenbao/bench/internal/pages"
	"shenbao/ocr"
)

type variant struct {
	name string
	env  []string // KEY=VALUE
	e    *ocr.Engine
	out  *os.File
	cpu  struct{ thread, proc, child, wall time.Duration }
	text map[string]string
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, " ") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

func main() {
	corpus := flag.String("corpus", "../shared/corpus/dev", "the corpus split")
	want := flag.Int("pages", 30, "about how many pages to read")
	reader := flag.String("reader", ocr.ReaderAuto, "the engine's reader (auto, ppocr, tesseract)")
	outDir := flag.String("out", "bench/out/stages", "where the profile and the page texts go")
	var specs multi
	flag.Var(&specs, "variant", "NAME:ENV=VALUE,… a variant to compare with the base (repeatable)")
	flag.Parse()
	if os.Getenv("OMP_THREAD_LIMIT") != "1" {
		// Tesseract's OpenMP reads it when the library loads: too late to set it from here.
		fmt.Fprintln(os.Stderr, "stages: run with OMP_THREAD_LIMIT=1, as the workers are")
		os.Exit(2)
	}
	runtime.LockOSThread()
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		fatal(err)
	}
	vs := []*variant{{name: "base"}}
	for _, s := range specs {
		name, env, _ := strings.Cut(s, ":")
		v := &variant{name: name}
		if env != "" {
			v.env = strings.Split(env, ",")
		}
		vs = append(vs, v)
	}
	for _, v := range vs {
		var old []string
		for _, kv := range v.env {
			k, val, _ := strings.Cut(kv, "=")
			old = append(old, k+"="+os.Getenv(k))
			os.Setenv(k, val)
		}
		e, err := ocr.NewEngine(ocr.EngineConfig{Reader: *reader})
		if err != nil {
			fatal(err)
		}
		for _, kv := range old {
			k, val, _ := strings.Cut(kv, "=")
			os.Setenv(k, val)
		}
		v.e = e
		v.text = map[string]string{}
		if v.out, err = os.Create(filepath.Join(*outDir, v.name+".jsonl")); err != nil {
			fatal(err)
		}
	}
	sample, err := pages.Sample(vs[0].e, *corpus, *want)
	if err != nil {
		fatal(err)
	}
	fmt.Printf("%d pages of %s, %d variant(s), reader %s\n", len(sample), *corpus, len(vs), *reader)

	// Warm up every engine (models paged in, Tesseract's Tibetan model loaded) on one page, unmeasured.
	for _, v := range vs {
		readPage(v, sample[0])
	}
	prof, err := os.Create(filepath.Join(*outDir, "cpu.pprof"))
	if err != nil {
		fatal(err)
	}
	if err := pprof.StartCPUProfile(prof); err != nil {
		fatal(err)
	}
	for i, p := range sample {
		order := slices.Clone(vs)
		if i%2 == 1 {
			slices.Reverse(order)
		}
		for _, v := range order {
			t0, p0, c0, w0 := threadCPU(), procCPU(syscall.RUSAGE_SELF), procCPU(syscall.RUSAGE_CHILDREN), time.Now()
			pprof.Do(context.Background(), pprof.Labels("variant", v.name), func(ctx context.Context) {
				readPage(v, p)
			})
			v.cpu.thread += threadCPU() - t0
			v.cpu.proc += procCPU(syscall.RUSAGE_SELF) - p0
			v.cpu.child += procCPU(syscall.RUSAGE_CHILDREN) - c0
			v.cpu.wall += time.Since(w0)
		}
	}
	pprof.StopCPUProfile()
	prof.Close()

	n := float64(len(sample))
	for _, v := range vs {
		v.out.Close()
		stages := profileStages(filepath.Join(*outDir, "cpu.pprof"), v.name)
		bg := max(v.cpu.proc-v.cpu.thread, 0)
		var profiled time.Duration
		for _, d := range stages {
			profiled += d
		}
		fmt.Printf("\n== %s %v\n", v.name, v.env)
		fmt.Printf("per page: %.3f CPU-s on the reading thread, %.3f in the process (the rest: Go's background GC), %.3f in child processes; wall %.3f s (under whatever load the machine had)\n",
			v.cpu.thread.Seconds()/n, v.cpu.proc.Seconds()/n, v.cpu.child.Seconds()/n, v.cpu.wall.Seconds()/n)
		total := v.cpu.proc + v.cpu.child
		fmt.Printf("one core reads %.1f pages/min at this CPU cost (process + children)\n", 60*n/total.Seconds())
		fmt.Printf("| stage | CPU-s per page | share |\n|---|---|---|\n")
		// The profile's samples share out the reading thread's time; the background GC and the
		// children come from rusage.
		scale := 1.0
		if profiled > 0 {
			scale = v.cpu.thread.Seconds() / profiled.Seconds()
		}
		for _, s := range stageNames {
			d := stages[s].Seconds() * scale
			if d == 0 {
				continue
			}
			fmt.Printf("| %s | %.3f | %.1f%% |\n", s, d/n, 100*d/total.Seconds())
		}
		fmt.Printf("| Go background GC | %.3f | %.1f%% |\n", bg.Seconds()/n, 100*bg.Seconds()/total.Seconds())
		fmt.Printf("| child processes (pdftoppm, pdftotext) | %.3f | %.1f%% |\n", v.cpu.child.Seconds()/n, 100*v.cpu.child.Seconds()/total.Seconds())
		fmt.Printf("| **total** | **%.3f** | 100%% |\n", total.Seconds()/n)
		if v != vs[0] {
			diff := 0
			for k, t := range v.text {
				if vs[0].text[k] != t {
					diff++
				}
			}
			fmt.Printf("pages whose text differs from %s's: %d of %d\n", vs[0].name, diff, len(sample))
		}
	}
	args := []string{"run", "./bench/cer", "-corpus", *corpus}
	for _, v := range vs {
		args = append(args, v.name+"="+filepath.Join(*outDir, v.name+".jsonl"))
	}
	fmt.Println()
	cmd := exec.Command("go", args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fatal(err)
	}
}

// readPage reads one page as a worker does and records its text.
func readPage(v *variant, p pages.Page) {
	pg, err := v.e.Read(context.Background(), p.Path, p.CT, p.N)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %s page %d: %v\n", v.name, p.Rel, p.N, err)
	}
	json.Marshal(&pg) // the worker's response
	debug.FreeOSMemory()
	key := fmt.Sprintf("%s#%d", p.Rel, p.N)
	if _, seen := v.text[key]; seen {
		return
	}
	v.text[key] = pg.Text()
	b, _ := json.Marshal(struct {
		File      string   `json:"file"`
		PageTexts []string `json:"page_texts"`
	}{key, []string{pg.Text()}})
	v.out.Write(append(b, '\n'))
}

// Stages, in the order they are printed.
var stageNames = []string{
	"decode/render",
	"image copy into the reader",
	"orientation: detection",
	"orientation: classifier + recognition of sample lines",
	"orientation: turning the page",
	"detection",
	"classifier",
	"recognition",
	"Tesseract re-reads (Tibetan)",
	"seals: finding",
	"seals: reading",
	"analysis (marks, judge, order, boxes)",
	"check boxes",
	"worker: response, memory returned",
	"other",
}

// stageOf gives a sample's stack (leaf first) its stage: the first case whose function is on it.
// Detection that ReadUpright runs for the orientation trial and then reuses for the read counts as
// detection; run by Orientation (or again by Read) it counts for each.
func stageOf(stack []string) string {
	has := func(fn string) bool {
		for _, f := range stack {
			if strings.HasSuffix(f, fn) {
				return true
			}
		}
		return false
	}
	switch {
	case has("ppocr.(*Reader).Orientation") && has("ppocr.(*Reader).detect"):
		return "orientation: detection"
	case has("ppocr.(*Reader).orientation"):
		return "orientation: classifier + recognition of sample lines"
	case has("ppocr.Rotate") || has("ppocr.rotate90") || has("ocr.unrotate"):
		return "orientation: turning the page"
	case has("ocr.(*Engine).readSeals") || has("ocr.(*Engine).textPageSeals"):
		return "seals: reading"
	case has("ocr.pageSeals") || has("ocr.sealsOf"):
		return "seals: finding"
	case has("ocr.(*Engine).readTibetan"):
		return "Tesseract re-reads (Tibetan)"
	case has("ocr.markCheckboxes"):
		return "check boxes"
	case has("ppocr.(*Reader).detect"):
		return "detection"
	case has("ppocr.(*Reader).classify"):
		return "classifier"
	case has("ppocr.(*Reader).readLines"):
		return "recognition"
	case has("ppocr.(*rgbImage).load"):
		return "image copy into the reader"
	case has("ocr.(*Engine).pageImage") || has("ocr.decodeImage") || has("image.DecodeConfig"):
		return "decode/render"
	case has("ocr.markRatio") || has("ocr.judge") || has("ppocr.order") || has("ppocr.(*Reader).Read") ||
		has("ppocr.(*Reader).ReadUpright") || has("ocr.(*Engine).recognize"):
		return "analysis (marks, judge, order, boxes)"
	case has("encoding/json.Marshal") || has("debug.FreeOSMemory") || has("main.readPage"):
		return "worker: response, memory returned"
	}
	return "other"
}

// profileStages sums the profile's samples of one variant by stage (go tool pprof -traces).
func profileStages(file, name string) map[string]time.Duration {
	out, err := exec.Command("go", "tool", "pprof", "-traces", "-tagfocus=variant="+name, file).Output()
	if err != nil {
		fatal(fmt.Errorf("go tool pprof: %w", err))
	}
	res := map[string]time.Duration{}
	var stack []string
	var val time.Duration
	flush := func() {
		if len(stack) > 0 {
			res[stageOf(stack)] += val
		}
		stack, val = nil, 0
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "-----------+") {
			flush()
			continue
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if d, err := time.ParseDuration(f[0]); err == nil && len(f) >= 2 {
			flush() // a sample's value and its leaf frame
			val, stack = d, []string{f[1]}
			continue
		}
		if f[0] == "variant:" {
			continue
		}
		if len(stack) > 0 {
			stack = append(stack, f[0])
		}
	}
	flush()
	return res
}

func threadCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(1, &ru) // RUSAGE_THREAD
	return tv(ru.Utime) + tv(ru.Stime)
}

func procCPU(who int) time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(who, &ru)
	return tv(ru.Utime) + tv(ru.Stime)
}

func tv(t syscall.Timeval) time.Duration {
	return time.Duration(t.Sec)*time.Second + time.Duration(t.Usec)*time.Microsecond
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "stages:", err)
	os.Exit(1)
}
