// Command reliability tries a real Shenbao as an attacker and a bad day would: it builds hostile files
// (decompression and pixel bombs, PDF bombs, polyglots, truncated, encrypted and wrong files, a
// trickled upload) and runs a bounded load and fault run — concurrent uploads and reads, kill -9 of
// the server mid-upload and mid-read, OCR workers killed, MinIO and the database stopped — against the
// built binary (`shenbao serve`) on 127.0.0.1, then drains and checks that no acknowledged upload was
// lost and none is stuck. It prints a table of cases (outcome, requests, errors, p50/p99, lost, stuck,
// notes) and exits 1 if any case failed. Timings are printed, never asserted.
//
//	go build -o /tmp/shenbao . && go run ./bench/reliability --bin /tmp/shenbao [--short]
//
// scripts/reliability.sh does this on the test servers (MinIO + FerretDB); without
// SHENBAO_TEST_MINIO_ENDPOINT and SHENBAO_TEST_MONGO_URI it runs on the embedded stores and skips the
// outage cases.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	_ "image/jpeg"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"shenbao/bench/internal/svc"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options of a run.
type options struct {
	bin, work, repo, testservers string
	short, keep                  bool
	engine                       string
	maxFileMB                    int
	load, drain                  time.Duration
}

// row is one case of the table.
type row struct {
	name    string
	outcome string // "pass", "FAIL" or "skip"
	st      *stats
	docs    []string // documents acknowledged (201) in this case
	lost    int
	stuck   int
	notes   []string
	// after, when set, decides the outcome once the documents have drained.
	after func(r *row, docs map[string]*document)
}

func (r *row) note(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

func (r *row) fail(format string, args ...any) {
	r.outcome = "FAIL"
	r.note(format, args...)
}

// suite is the run under way.
type suite struct {
	opt     options
	srv     *server
	env     []string
	servers bool // on the test servers (MinIO + FerretDB), not the embedded stores
	staff   *client
	app     *client
	log     io.Writer

	mu   sync.Mutex
	rows []*row
}

func (s *suite) add(r *row) *row {
	if r.st == nil {
		r.st = &stats{}
	}
	if r.outcome == "" {
		r.outcome = "pass"
	}
	s.mu.Lock()
	s.rows = append(s.rows, r)
	s.mu.Unlock()
	return r
}

func (s *suite) addDoc(r *row, id string) {
	s.mu.Lock()
	r.docs = append(r.docs, id)
	s.mu.Unlock()
}

func (s *suite) logf(format string, args ...any) {
	fmt.Fprintf(s.log, "[reliability %s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func run(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("reliability", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.bin, "bin", "", "the built shenbao binary (required)")
	fs.StringVar(&o.work, "work", "", "working directory: data, server log, hostile files (default: a new temporary one)")
	fs.StringVar(&o.repo, "repo", ".", "the repository (its testdata and scripts/testservers.sh)")
	fs.BoolVar(&o.short, "short", false, "a shorter run (CI): less load, shorter outages and drain")
	fs.BoolVar(&o.keep, "keep", false, "keep the working directory")
	fs.StringVar(&o.engine, "engine", "tesseract", "SHENBAO_OCR_ENGINE of the server")
	fs.IntVar(&o.maxFileMB, "max-file-mb", 20, "SHENBAO_MAX_FILE_MB of the server (the too-large case sends one byte more)")
	fs.DurationVar(&o.load, "load", 20*time.Second, "duration of the concurrent uploads and reads")
	fs.DurationVar(&o.drain, "drain", 180*time.Second, "longest wait at the end for every acknowledged document to be done or failed")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.bin == "" {
		fmt.Fprintln(stderr, "reliability: --bin is required (go build -o /tmp/shenbao .)")
		return 2
	}
	if o.short {
		o.load = min(o.load, 6*time.Second)
		o.drain = min(o.drain, 90*time.Second)
	}
	o.testservers = filepath.Join(o.repo, "scripts", "testservers.sh")
	s := &suite{opt: o, log: stderr}
	start := time.Now()
	err := s.run()
	s.print(stdout, time.Since(start))
	if err != nil {
		fmt.Fprintln(stderr, "reliability:", err)
		return 1
	}
	for _, r := range s.rows {
		if r.outcome == "FAIL" {
			return 1
		}
	}
	return 0
}

// run sets up the server and runs every case in turn; an error is a run that could not go on.
func (s *suite) run() error {
	o := s.opt
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return err
	}
	if o.work == "" {
		if o.work, err = os.MkdirTemp("", "shenbao-reliability-"); err != nil {
			return err
		}
		if !o.keep {
			defer os.RemoveAll(o.work)
		}
	}
	s.logf("working in %s", o.work)
	lease, err := os.ReadFile(filepath.Join(o.repo, "testdata", "documents", "IMG_lease_photo.jpg"))
	if err != nil {
		return err
	}
	hostile, err := hostileFiles(lease, o.maxFileMB)
	if err != nil {
		return err
	}
	if err := writeFiles(filepath.Join(o.work, "hostile"), hostile); err != nil {
		return err
	}

	// The server's environment: this process's, without any SHENBAO_ setting but ours.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SHENBAO_") || strings.HasPrefix(kv, "SHENBAO_CACHE=") || strings.HasPrefix(kv, "SHENBAO_TEST_STATE=") {
			s.env = append(s.env, kv)
		}
	}
	// Bounded: two Tesseract workers, a 10 s render budget, two readings a second apart, a 20 s lease
	// (a document held by a killed server is read again after it; a binary without leases ignores it).
	s.env = append(s.env, "SHENBAO_DATA_DIR="+filepath.Join(o.work, "data"), "SHENBAO_WORKERS=2", "SHENBAO_OCR_ENGINE="+o.engine,
		fmt.Sprintf("SHENBAO_MAX_FILE_MB=%d", o.maxFileMB), "SHENBAO_OCR_PAGE_TIMEOUT=30s", "SHENBAO_RENDER_TIMEOUT=10s",
		"SHENBAO_READ_ATTEMPTS=2", "SHENBAO_RETRY_DELAY=1s", "SHENBAO_SCRUB_EVERY=0", "SHENBAO_LEASE=20s")
	endpoint, uri := os.Getenv("SHENBAO_TEST_MINIO_ENDPOINT"), os.Getenv("SHENBAO_TEST_MONGO_URI")
	if endpoint != "" && uri != "" {
		s.servers = true
		suffix := make([]byte, 4)
		rand.Read(suffix)
		name := "reliability-" + hex.EncodeToString(suffix)
		s.env = append(s.env, "SHENBAO_MINIO_ENDPOINT="+endpoint, "SHENBAO_MINIO_ACCESS_KEY="+os.Getenv("SHENBAO_TEST_MINIO_ACCESS_KEY"),
			"SHENBAO_MINIO_SECRET_KEY="+os.Getenv("SHENBAO_TEST_MINIO_SECRET_KEY"), "SHENBAO_MINIO_BUCKET="+name,
			"SHENBAO_MONGO_URI="+uri, "SHENBAO_MONGO_DB="+strings.ReplaceAll(name, "-", "_"))
		s.logf("on the test servers: MinIO %s bucket %s, MongoDB %s database %s", endpoint, name, uri, strings.ReplaceAll(name, "-", "_"))
	} else {
		s.logf("on the embedded stores (no SHENBAO_TEST_MINIO_ENDPOINT/SHENBAO_TEST_MONGO_URI): the outage cases are skipped")
	}

	ctx := context.Background()
	password := "Rel-" + hex.EncodeToString(func() []byte { b := make([]byte, 8); rand.Read(b); return b }())
	for _, u := range [][]string{{"rel-staff", "可靠性测试员", "staff"}, {"rel-app", "西藏可靠性测试有限公司", "applicant"}} {
		if _, err := runCommand(ctx, bin, s.env, password+"\n", "user", "add", "--login", u[0], "--name", u[1], "--role", u[2], "--password-stdin"); err != nil {
			return err
		}
	}
	addr, err := svc.FreeAddr()
	if err != nil {
		return err
	}
	s.srv = &server{svc.Server{Bin: bin, Env: s.env, Addr: addr, Log: filepath.Join(o.work, "server.log")}}
	s.logf("starting %s serve on %s (log %s)", bin, addr, s.srv.Log)
	if err := s.srv.start(); err != nil {
		return err
	}
	defer s.srv.kill()
	// Interrupted, the run takes its server (in a process group of its own) down with it.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	go func() {
		if _, ok := <-sig; ok {
			s.srv.kill()
			os.Exit(130)
		}
	}()
	if s.staff, err = signIn(s.srv.Base(), "rel-staff", password); err != nil {
		return err
	}
	if s.app, err = signIn(s.srv.Base(), "rel-app", password); err != nil {
		return err
	}

	trickled := s.trickle()
	hostileRows := s.hostile(hostile)
	s.load()
	s.waitEnded(hostileRows, 150*time.Second)
	if err := s.killWorkers(lease); err != nil {
		return err
	}
	pdfs, err := s.killMidUpload()
	if err != nil {
		return err
	}
	if err := s.killMidRead(pdfs); err != nil {
		return err
	}
	for _, name := range []string{"minio", "ferretdb"} {
		if err := s.outage(name); err != nil {
			return err
		}
	}
	<-trickled
	s.drainAndCount()
	s.final(bin)
	return nil
}

// print writes the table.
func (s *suite) print(w io.Writer, took time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(w, "\nreliability run: %d cases in %s (%s stores)\n\n", len(s.rows), took.Round(time.Second), map[bool]string{true: "MinIO + FerretDB", false: "embedded"}[s.servers])
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "case\toutcome\trequests\terrors\tp50\tp99\tlost\tstuck\tnotes")
	failed, lost, stuck := 0, 0, 0
	for _, r := range s.rows {
		p50, p99 := "-", "-"
		if r.st.requests > 0 {
			p50, p99 = ms(r.st.percentile(0.5)), ms(r.st.percentile(0.99))
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%d\t%d\t%s\n", r.name, r.outcome, r.st.requests, r.st.errors, p50, p99, r.lost, r.stuck, strings.Join(r.notes, "; "))
		if r.outcome == "FAIL" {
			failed++
		}
		lost += r.lost
		stuck += r.stuck
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%d failed; documents lost %d, stuck %d\n", failed, lost, stuck)
	fmt.Fprintln(w, "(errors: requests with no answer or a 4xx/5xx, expected where a case refuses, kills or stops something;")
	fmt.Fprintln(w, " lost: uploads acknowledged with 201 and not found after; stuck: neither done nor failed after the drain)")
}

func ms(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
	}
	return fmt.Sprintf("%dms", d.Milliseconds())
}

// imageSize is the width and height of an encoded image.
func imageSize(b []byte) (int, int, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	return cfg.Width, cfg.Height, err
}

// scrubResult is what `shenbao scrub --json` prints.
type scrubResult struct {
	OK        bool     `json:"ok"`
	Documents int      `json:"documents"`
	Objects   int      `json:"objects"`
	Missing   []string `json:"missing"`
	Corrupt   []string `json:"corrupt"`
	Orphans   []string `json:"orphans"`
	Error     string   `json:"error"`
}

func parseScrub(out string) (scrubResult, error) {
	var r scrubResult
	err := json.Unmarshal([]byte(strings.TrimSpace(out)), &r)
	return r, err
}
