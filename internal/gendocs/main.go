// Command gendocs writes synthetic application folders in the layout of the evaluation corpus
// (../shared/corpus/README.md): appNN_<prefecture>/ with the uploaded files, a "<file>.json" sidecar
// of ground truth per file, and a manifest.json with the checklist result the rules give for it.
//
// Its documents are printed in layouts, label wordings, fonts and names that the dev corpus does not
// use, so that extraction can be measured on what it was never tuned on. Every document is HTML
// rendered by headless Chromium and then degraded in Go (scan, phone photo, greyscale, turns). A
// seed gives the same folders every time.
//
//	go run ./internal/gendocs -out /tmp/gen -seed 1 -apps 8
//	go run ./internal/gendocs -layouts     # the layout table
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// options are the command's flags.
type options struct {
	out      string
	seed     int64
	apps     int
	chromium string
	layouts  bool
	plan     bool
}

func run(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("gendocs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.out, "out", "", "folder to write the application folders into (its appNN_* folders are replaced)")
	fs.Int64Var(&o.seed, "seed", 1, "random seed; the same seed gives the same folders")
	fs.IntVar(&o.apps, "apps", 8, "number of application folders")
	fs.StringVar(&o.chromium, "chromium", defaultChromium, "the Chromium binary that renders the pages")
	fs.BoolVar(&o.layouts, "layouts", false, "print the layout table and exit")
	fs.BoolVar(&o.plan, "plan", false, "print each application's documents, layouts and expected warnings without rendering anything")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.layouts {
		printLayouts(stdout, nil)
		return 0
	}
	if o.plan {
		plan(o, stdout)
		return 0
	}
	if o.out == "" || o.apps < 1 {
		fmt.Fprintln(stderr, "usage: gendocs -out DIR [-seed N] [-apps K]")
		return 2
	}
	if err := generate(o, stdout); err != nil {
		fmt.Fprintln(stderr, "gendocs:", err)
		return 1
	}
	return 0
}

// summary is what a run made, written to <out>/gendocs.json (a .json file, so the extract command
// and the scorer skip it) and printed.
type summary struct {
	Seed         int64             `json:"seed"`
	Apps         int               `json:"apps"`
	Layouts      map[string]int    `json:"layouts"`
	Fonts        map[string]int    `json:"fonts"`
	Formats      map[string]int    `json:"formats"`
	Modes        map[string]int    `json:"modes"`
	Defects      map[string]string `json:"defects"`
	Applications []string          `json:"applications"`
}

var appDir = regexp.MustCompile(`^app\d\d+_[a-z]+$`)

func generate(o options, stdout io.Writer) error {
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	old, _ := os.ReadDir(o.out)
	for _, e := range old {
		if e.IsDir() && appDir.MatchString(e.Name()) {
			if err := os.RemoveAll(filepath.Join(o.out, e.Name())); err != nil {
				return err
			}
		}
	}
	b, err := newBrowser(o.chromium)
	if err != nil {
		return err
	}
	defer b.Close()
	fonts := installedFonts()
	deck := append([]string(nil), defectNames...)
	shuffle(newRNG(o.seed, 0), deck)
	sum := summary{Seed: o.seed, Apps: o.apps, Layouts: map[string]int{}, Fonts: map[string]int{},
		Formats: map[string]int{}, Modes: map[string]int{}, Defects: map[string]string{}}
	start := time.Now()
	for n := 1; n <= o.apps; n++ {
		a := newApplication(o.seed, n, deck)
		docs := a.documents()
		a.dress(docs, fonts)
		dir := filepath.Join(o.out, a.dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		pages := 0
		for _, d := range docs {
			if err := a.render(b, dir, d); err != nil {
				return fmt.Errorf("%s: %w", a.dir, err)
			}
			pages += len(d.pages)
			for _, l := range d.layouts {
				sum.Layouts[l]++
			}
			sum.Fonts[d.look.font.id]++
			sum.Formats[d.look.format]++
			sum.Modes[d.look.mode]++
		}
		m := a.manifest(o.seed, docs)
		if err := writeJSON(filepath.Join(dir, "manifest.json"), m); err != nil {
			return err
		}
		sum.Applications = append(sum.Applications, a.dir)
		sum.Defects[a.dir] = strings.Join(a.defects, ",")
		fmt.Fprintf(stdout, "%s  %-24s %2d files %2d pages  defects: %-40s warnings: %s\n", a.dir, a.org, len(docs), pages,
			strings.Join(a.defects, ","), strings.Join(m.Warnings, ","))
	}
	fmt.Fprintf(stdout, "\n%d applications in %s (%.0fs)\n\nlayouts used:\n", o.apps, o.out, time.Since(start).Seconds())
	printLayouts(stdout, sum.Layouts)
	fmt.Fprintf(stdout, "\nfonts: %s\nformats: %s\ncaptures: %s\n", counts(sum.Fonts), counts(sum.Formats), counts(sum.Modes))
	return writeJSON(filepath.Join(o.out, "gendocs.json"), sum)
}

// plan prints what generate would make, without a browser.
func plan(o options, stdout io.Writer) {
	deck := append([]string(nil), defectNames...)
	shuffle(newRNG(o.seed, 0), deck)
	for n := 1; n <= o.apps; n++ {
		a := newApplication(o.seed, n, deck)
		docs := a.documents()
		a.dress(docs, installedFonts())
		m := a.manifest(o.seed, docs)
		fmt.Fprintf(stdout, "%s %s (%s) defects: %s\n  warnings: %s\n", a.dir, a.org, a.typ.nature(),
			strings.Join(a.defects, ","), strings.Join(m.Warnings, ","))
		for _, d := range docs {
			fmt.Fprintf(stdout, "  %-34s %-24s %d p  %-50s %s\n", d.file, d.kind, len(d.pages), strings.Join(d.layouts, "+"), d.look.describe())
		}
	}
}

func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
