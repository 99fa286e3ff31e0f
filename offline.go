package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"shenbao/checklist"
	"shenbao/doc"
	"shenbao/extract"
	"shenbao/intake"
)

// readResult is one file read offline: its pages and what extraction made of them.
type readResult struct {
	path        string
	contentType string
	pages       []doc.Page
	res         extract.Result
	err         error
}

// readFiles reads files through the worker pool, several at once, and calls emit in input order.
func readFiles(ctx context.Context, pool intake.Recognizer, paths []string, parallel int, optFor func(path string) extract.Options, emit func(readResult)) {
	results := make([]chan readResult, len(paths))
	sem := make(chan struct{}, parallel)
	for i, p := range paths {
		results[i] = make(chan readResult, 1)
		go func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] <- readFile(ctx, pool, p, optFor(p))
		}()
	}
	for _, ch := range results {
		emit(<-ch)
	}
}

func readFile(ctx context.Context, pool intake.Recognizer, path string, opt extract.Options) readResult {
	r := readResult{path: path}
	f, err := os.Open(path)
	if err != nil {
		r.err = err
		return r
	}
	head := make([]byte, 1024)
	n, _ := io.ReadFull(f, head)
	f.Close()
	pc, _ := pool.(intake.PageCounter)
	r.contentType, err = intake.SniffFile(ctx, pc, path, head[:n])
	if err != nil {
		r.err = err
		return r
	}
	if r.contentType == "" {
		r.err = errors.New("not a PDF, JPEG, PNG or TIFF file")
		return r
	}
	r.pages, r.err = pool.Recognize(ctx, path, r.contentType)
	if r.err == nil {
		r.res = extract.ExtractWith(r.pages, opt)
		if rr, ok := pool.(intake.RegionReader); ok {
			r.res.Fields = intake.Reread(ctx, rr, path, r.contentType, r.pages, r.res.Fields)
		}
	}
	return r
}

// fieldOut is a field in the shape ../shared/corpus/score reads (extra keys are ignored there).
type fieldOut struct {
	Value      any      `json:"value"`
	Confidence float64  `json:"confidence"`
	Page       int      `json:"page"`
	BBox       [4]int   `json:"bbox"`
	Text       string   `json:"text,omitempty"`
	Flags      []string `json:"flags,omitempty"`
}

type extractOut struct {
	File           string              `json:"file"`
	Kind           string              `json:"kind"`
	KindConfidence float64             `json:"kind_confidence"`
	Pages          int                 `json:"pages"`
	Fields         map[string]fieldOut `json:"fields"`
	ExtraFields    map[string]fieldOut `json:"extra_fields,omitempty"` // not in FIELDS.md (see doc.Extra)
	Segments       []segmentOut        `json:"segments,omitempty"`
	PageTexts      []string            `json:"page_texts,omitempty"` // with --text
	Error          string              `json:"error,omitempty"`
}

type segmentOut struct {
	First int    `json:"first_page"`
	Last  int    `json:"last_page"`
	Kind  string `json:"kind"`
}

func cmdExtract(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var asJSON bool
	var root, applicant, cache string
	var withText bool
	c, fs, err := parseConfig("extract", args, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print one JSON line per file (the format ../shared/corpus/score reads)")
		fs.StringVar(&root, "root", "", "name files relative to this folder")
		fs.StringVar(&cache, "pages-cache", "", pagesCacheUsage)
		fs.BoolVar(&withText, "text", false, "include each page's text in the JSON (for measuring OCR)")
		fs.StringVar(&applicant, "applicant", "", "the applicant's name (tells which organisation a list is about); default: org_name of a manifest.json beside each file")
	})
	if err != nil {
		return 2
	}
	files, err := expandFiles(fs.Args())
	if err != nil || len(files) == 0 {
		fmt.Fprintln(stderr, "usage: shenbao extract [--json] [--root DIR] FILE|DIR ...", err)
		return 2
	}
	log := newLogger(c, stderr)
	pool, err := newPool(c, log)
	if err != nil {
		fmt.Fprintln(stderr, "shenbao extract:", err)
		return 1
	}
	defer pool.Close()
	rec := withPagesCache(pool, cache, c)
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	start := time.Now()
	emit := func(r readResult) {
		name := r.path
		if root != "" {
			if rel, err := filepath.Rel(root, r.path); err == nil {
				name = filepath.ToSlash(rel)
			}
		}
		out := extractOut{File: name, Kind: r.res.Kind, KindConfidence: r.res.KindConfidence, Pages: len(r.pages), Fields: map[string]fieldOut{}}
		if r.err != nil {
			failed++
			out.Error = r.err.Error()
			log.Warn("file not read", "file", name, "err", r.err)
		}
		for _, f := range r.res.Fields {
			fo := fieldOut{Value: f.Typed(), Confidence: f.Confidence, Page: f.Page,
				BBox: [4]int{f.Box.X0, f.Box.Y0, f.Box.X1, f.Box.Y1}, Text: f.Text, Flags: f.Flags}
			if doc.Extra[f.Name] {
				if out.ExtraFields == nil {
					out.ExtraFields = map[string]fieldOut{}
				}
				out.ExtraFields[f.Name] = fo
				continue
			}
			out.Fields[f.Name] = fo
		}
		for _, s := range r.res.Segments {
			out.Segments = append(out.Segments, segmentOut{s.From, s.To, s.Kind})
		}
		if withText {
			for _, p := range r.pages {
				out.PageTexts = append(out.PageTexts, p.Text())
			}
		}
		if asJSON {
			enc.Encode(out)
		} else {
			fmt.Fprintf(stdout, "%s\t%s\t%d fields\n", name, out.Kind, len(out.Fields))
		}
	}
	// The files of an application folder (one with a manifest.json) are held against each other
	// (extract.Agree) as the service holds an application's documents: they are printed once the
	// folder is read.
	var held []readResult
	optFor := applicantOf(applicant)
	appDirs := map[string]bool{}
	flush := func() {
		if len(held) == 0 {
			return
		}
		fs := make([][]doc.Field, len(held))
		for i, r := range held {
			fs[i] = r.res.Fields
		}
		for i, f := range extract.Agree(fs, optFor(held[0].path)) {
			held[i].res.Fields = f
			emit(held[i])
		}
		held = held[:0]
	}
	readFiles(ctx, rec, files, c.Workers, optFor, func(r readResult) {
		if len(held) > 0 && filepath.Dir(held[0].path) != filepath.Dir(r.path) {
			flush()
		}
		if isApplicationFolder(filepath.Dir(r.path), appDirs) {
			held = append(held, r)
			return
		}
		emit(r)
	})
	flush()
	log.Info("extract done", "files", len(files), "failed", failed, "seconds", time.Since(start).Seconds())
	if failed > 0 {
		return 1
	}
	return 0
}

// isApplicationFolder reports whether dir holds an application's files: it has a manifest.json.
// known remembers the answer for each folder asked about.
func isApplicationFolder(dir string, known map[string]bool) bool {
	is, ok := known[dir]
	if !ok {
		_, err := os.Stat(filepath.Join(dir, "manifest.json"))
		is = err == nil
		known[dir] = is
	}
	return is
}

// expandFiles turns arguments into files: a folder stands for the accepted files in it (recursively),
// skipping the corpus's .json sidecars and manifests.
func expandFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || strings.HasSuffix(p, ".json") || strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			out = append(out, p)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// manifest is the part of an application folder's manifest.json that check reads.
type manifest struct {
	Application    string `json:"application"`
	OrgName        string `json:"org_name"`
	CreditCode     string `json:"credit_code"`
	Prefecture     string `json:"prefecture"` // the region it applies through
	SubmissionDate string `json:"submission_date"`
	EvaluationYear int    `json:"evaluation_year"`
}

// options is what the application declares, for extraction (as the service's application record
// gives it).
func (m manifest) options() extract.Options {
	opt := extract.Declared(m.OrgName, m.CreditCode)
	opt.Region = m.Prefecture
	return opt
}

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var asJSON bool
	var submitted, cache string
	var year int
	c, fs, err := parseConfig("check", args, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print one JSON line per folder (the format of score --checklist)")
		fs.StringVar(&submitted, "submission-date", "", "YYYY-MM-DD, when a folder has no manifest.json (default today)")
		fs.StringVar(&cache, "pages-cache", "", pagesCacheUsage)
		fs.IntVar(&year, "evaluation-year", 0, "上一年度, when a folder has no manifest.json (default the year before submission)")
	})
	if err != nil {
		return 2
	}
	dirs := fs.Args()
	if len(dirs) == 0 {
		fmt.Fprintln(stderr, "usage: shenbao check [--json] DIR ...")
		return 2
	}
	log := newLogger(c, stderr)
	pool, err := newPool(c, log)
	if err != nil {
		fmt.Fprintln(stderr, "shenbao check:", err)
		return 1
	}
	defer pool.Close()
	rec := withPagesCache(pool, cache, c)
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	code := 0
	for _, dir := range dirs {
		line, err := checkFolder(ctx, rec, c.Workers, dir, submitted, year, log)
		if err != nil {
			fmt.Fprintf(stderr, "shenbao check %s: %v\n", dir, err)
			code = 1
			continue
		}
		if asJSON {
			enc.Encode(line)
		} else {
			fmt.Fprintf(stdout, "%s\titems %v\twarnings %v\n", line.Application, line.ItemsPresent, line.Warnings)
		}
	}
	return code
}

func checkFolder(ctx context.Context, pool intake.Recognizer, parallel int, dir, submitted string, year int, log *slog.Logger) (checklist.ScoreLine, error) {
	app := checklist.Application{ID: filepath.Base(filepath.Clean(dir)), EvaluationYear: year}
	var opt extract.Options
	if submitted != "" {
		t, err := time.Parse(time.DateOnly, submitted)
		if err != nil {
			return checklist.ScoreLine{}, fmt.Errorf("--submission-date: %w", err)
		}
		app.SubmissionDate = t
	}
	if b, err := os.ReadFile(filepath.Join(dir, "manifest.json")); err == nil {
		var m manifest
		if err := json.Unmarshal(b, &m); err != nil {
			return checklist.ScoreLine{}, fmt.Errorf("manifest.json: %w", err)
		}
		if m.Application != "" {
			app.ID = m.Application
		}
		app.OrgName, app.CreditCode = m.OrgName, m.CreditCode
		opt = m.options() // as the application records them
		if t, err := time.Parse(time.DateOnly, m.SubmissionDate); err == nil {
			app.SubmissionDate = t
		}
		if m.EvaluationYear != 0 {
			app.EvaluationYear = m.EvaluationYear
		}
	}
	files, err := expandFiles([]string{dir})
	if err != nil {
		return checklist.ScoreLine{}, err
	}
	slices.Sort(files)
	var docs []checklist.Document
	readFiles(ctx, pool, files, parallel, func(string) extract.Options { return opt }, func(r readResult) {
		if r.err != nil {
			log.Warn("file not read", "file", r.path, "err", r.err)
			return
		}
		name := filepath.Base(r.path)
		d := intake.CheckDocument(&intake.Document{ID: name, FileName: name, Kind: r.res.Kind, Fields: r.res.Fields, Pages: intake.PageSummaries(r.pages)})
		docs = append(docs, d)
	})
	sort.SliceStable(docs, func(i, j int) bool { return docs[i].FileName < docs[j].FileName })
	intake.Agree(opt, docs)
	return checklist.Evaluate(app, docs, time.Now()).Score(), nil
}

// applicantOf tells extraction whose documents a file is, as the service does from the application:
// the name given with --applicant, else the org_name and credit_code of a manifest.json beside the
// file (the application record of an application folder), else nobody.
func applicantOf(name string) func(path string) extract.Options {
	var mu sync.Mutex
	byDir := map[string]extract.Options{}
	return func(path string) extract.Options {
		if name != "" {
			return extract.Declared(name, "")
		}
		dir := filepath.Dir(path)
		mu.Lock()
		defer mu.Unlock()
		opt, ok := byDir[dir]
		if !ok {
			var m manifest
			if b, err := os.ReadFile(filepath.Join(dir, "manifest.json")); err == nil && json.Unmarshal(b, &m) == nil {
				opt = m.options()
			}
			byDir[dir] = opt
		}
		return opt
	}
}
