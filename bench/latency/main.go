// Command latency measures what issue 14 asks of one application read by the real service: it starts
// the built binary (`shenbao serve`) on a free port of 127.0.0.1 with the embedded stores in a
// temporary data directory and two OCR workers (the default reader unless -engine), uploads an
// application of about 25 dev-corpus pages one file a request (as the web UI does), and prints:
//
//   - the time from the last upload byte to the application's complete checklist (every document done
//     or failed, then the checklist fetched), beside the total OCR time ÷ workers and their ratio
//     (issue 14: ≤ 1.2×); the OCR time is the service's own page-read time (shenbao_page_read_seconds
//     at /metrics) and, beside it, the CPU-seconds of the worker processes (which also count the
//     Tesseract re-reads of fields and the PDF drawing, outside the page metric);
//   - the first uploaded document's and the first finished document's time from their upload to their
//     result, beside the time of their own pages (pages × the mean page time);
//   - for each multi-page document, how many workers were busy while it was read; and, once the
//     application is done, a multi-page PDF read alone by the idle service: whether its pages spread
//     over both workers (mean workers busy, share of its reading with both busy);
//   - the peak resident memory (VmHWM, and VmRSS sampled every 200 ms) of each OCR worker process, of
//     their children (pdftoppm) and of the serve process (at start, peak, at the end).
//
// It asserts nothing: the figures are for a quiet machine (on a busy one the times stretch).
//
//	go build -o /tmp/shenbao . && go run ./bench/latency -bin /tmp/shenbao [-corpus ../shared/corpus/dev]
//
// scripts/bench.sh --latency runs it alone; scripts/bench.sh runs it after the reading benchmarks.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"shenbao/bench/internal/svc"
)

// defaultFiles are 25 pages of the dev corpus: all of app03_chamdo (19 pages in 12 files, five of
// them multi-page PDFs) and three files of app13_shannan. The 5-page audit report goes first, so that
// the first document's result is that of a document whose pages can be spread over the workers.
var defaultFiles = []string{
	"app03_chamdo/三、审计报告及服务收支专项审计.pdf",
	"app03_chamdo/一、示范平台申请报告.pdf",
	"app03_chamdo/二、营业执照.png",
	"app03_chamdo/四、房屋租赁合同.pdf",
	"app03_chamdo/五、服务证明-培训通知及签到表.jpg",
	"app03_chamdo/五、服务证明-培训通知及签到表3.pdf",
	"app03_chamdo/IMG_20240324_131919.jpg",
	"app03_chamdo/IMG_20240425_192713.jpg",
	"app03_chamdo/七、ICP备案截图.png",
	"app03_chamdo/八、真实性声明.tif",
	"app03_chamdo/9.补充材料.pdf",
	"app03_chamdo/推荐表.pdf",
	"app13_shannan/申请报告.pdf",
	"app13_shannan/经营场所租赁合同.pdf",
	"app13_shannan/法人登记证书副本.jpg",
}

// defaultAlone is the multi-page PDF read alone by the idle service (a file of another application).
const defaultAlone = "app01_lhasa/03_审计报告及服务收支专项审计.pdf"

type options struct {
	bin, corpus, engine, alone, work string
	files                            []string
	workers                          int
	every, timeout                   time.Duration
	keep                             bool
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	var o options
	var files string
	fs := flag.NewFlagSet("latency", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.bin, "bin", "", "the built shenbao binary (required)")
	fs.StringVar(&o.corpus, "corpus", "../shared/corpus/dev", "the dev corpus")
	fs.StringVar(&files, "files", strings.Join(defaultFiles, ","), "the application's files, relative to the corpus, comma-separated, in upload order")
	fs.StringVar(&o.alone, "alone", defaultAlone, "a multi-page PDF read alone once the application is done (\"\": none)")
	fs.StringVar(&o.engine, "engine", "", "SHENBAO_OCR_ENGINE of the server (\"\": its default)")
	fs.IntVar(&o.workers, "workers", 2, "SHENBAO_WORKERS of the server")
	fs.DurationVar(&o.every, "every", 200*time.Millisecond, "sampling interval of memory, CPU and the documents' status")
	fs.DurationVar(&o.timeout, "timeout", 20*time.Minute, "longest wait for the application to be read")
	fs.StringVar(&o.work, "work", "", "working directory: data and server log (default: a new temporary one)")
	fs.BoolVar(&o.keep, "keep", false, "keep the working directory")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.bin == "" {
		fmt.Fprintln(stderr, "latency: -bin is required (go build -o /tmp/shenbao .)")
		return 2
	}
	for _, f := range strings.Split(files, ",") {
		if f = strings.TrimSpace(f); f != "" {
			o.files = append(o.files, f)
		}
	}
	if err := measure(o, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "latency:", err)
		return 1
	}
	return 0
}

// upload is one file sent, and what became of its document.
type upload struct {
	name        string
	size        int
	id          string
	sent, acked time.Time // request begun; answer received (after its last byte was stored)

	status         string
	kind           string
	pages          int
	started, ended time.Time // first seen processing; first seen done or failed
	progress       []time.Time
	lastDone       int
}

func measure(o options, stdout, stderr io.Writer) error {
	logf := func(format string, args ...any) {
		fmt.Fprintf(stderr, "[latency %s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
	}
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return err
	}
	// Read everything first: the clock starts with the uploads, not with the disk.
	data := make([][]byte, len(o.files))
	for i, f := range o.files {
		if data[i], err = os.ReadFile(filepath.Join(o.corpus, f)); err != nil {
			return err
		}
	}
	var alone []byte
	if o.alone != "" {
		if alone, err = os.ReadFile(filepath.Join(o.corpus, o.alone)); err != nil {
			return err
		}
	}
	var manifest struct {
		OrgName    string `json:"org_name"`
		Prefecture string `json:"prefecture"`
	}
	if b, err := os.ReadFile(filepath.Join(o.corpus, filepath.Dir(o.files[0]), "manifest.json")); err == nil {
		json.Unmarshal(b, &manifest)
	}
	if manifest.OrgName == "" {
		manifest.OrgName, manifest.Prefecture = "西藏时延测试有限公司", "拉萨市"
	}

	if o.work == "" {
		if o.work, err = os.MkdirTemp("", "shenbao-latency-"); err != nil {
			return err
		}
		if !o.keep {
			defer os.RemoveAll(o.work)
		}
	}
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SHENBAO_") || strings.HasPrefix(kv, "SHENBAO_CACHE=") {
			env = append(env, kv)
		}
	}
	env = append(env, "SHENBAO_DATA_DIR="+filepath.Join(o.work, "data"), fmt.Sprintf("SHENBAO_WORKERS=%d", o.workers), "SHENBAO_SCRUB_EVERY=0")
	if o.engine != "" {
		env = append(env, "SHENBAO_OCR_ENGINE="+o.engine)
	}
	password := fmt.Sprintf("Lat-%d-%d", os.Getpid(), time.Now().UnixNano())
	if err := runCommand(bin, env, password+"\n", "user", "add", "--login", "lat-app", "--name", manifest.OrgName, "--role", "applicant", "--password-stdin"); err != nil {
		return err
	}
	addr, err := svc.FreeAddr()
	if err != nil {
		return err
	}
	srv := &server{svc.Server{Bin: bin, Env: env, Addr: addr, Log: filepath.Join(o.work, "server.log")}}
	logf("starting %s serve on %s (log %s)", bin, addr, srv.Log)
	if err := srv.start(); err != nil {
		return err
	}
	defer srv.stop()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	go func() {
		if _, ok := <-sig; ok {
			srv.stop()
			os.Exit(130)
		}
	}()
	c, err := signIn(srv.Base(), "lat-app", password)
	if err != nil {
		return err
	}
	time.Sleep(time.Second) // let the service settle before its memory at rest is read
	smp := newSampler(srv.Cmd.Process.Pid)
	smp.sample()
	serveAtStart := smp.serveRSS
	stopSampling := smp.every(o.every)
	before, err := scrapePages(srv.Base())
	if err != nil {
		return err
	}

	// The application, uploaded a file a request, one after the other.
	appID, err := c.newApplication(manifest.OrgName, manifest.Prefecture)
	if err != nil {
		return err
	}
	ups := make([]*upload, len(o.files))
	totalBytes := 0
	for i, f := range o.files {
		u := &upload{name: f, size: len(data[i]), sent: time.Now()}
		if u.id, err = c.upload(appID, filepath.Base(f), data[i]); err != nil {
			return fmt.Errorf("upload %s: %w", f, err)
		}
		u.acked = time.Now()
		ups[i] = u
		totalBytes += u.size
	}
	firstByte, lastByte := ups[0].sent, ups[len(ups)-1].acked
	logf("uploaded %d files (%.1f MB) in %.1f s; waiting for the checklist", len(ups), float64(totalBytes)/1e6, lastByte.Sub(firstByte).Seconds())
	complete, err := c.waitDocuments(appID, ups, o.every, o.timeout, logf)
	if err != nil {
		return err
	}
	if err := c.getJSON("/api/v1/applications/"+appID+"/checklist", nil); err != nil {
		return fmt.Errorf("checklist: %w", err)
	}
	complete = time.Now()
	after, err := scrapePages(srv.Base())
	if err != nil {
		return err
	}
	mainEnd := time.Now()
	// The workers idle for a second: what the reading detector says of idle workers (about 0).
	time.Sleep(time.Second)
	idleReading, _, idleCores := smp.busy(mainEnd, time.Now(), o.workers)

	// A multi-page PDF alone, on the idle service.
	var aloneUp *upload
	if alone != nil {
		time.Sleep(2 * o.every)
		appID2, err := c.newApplication(manifest.OrgName, manifest.Prefecture)
		if err != nil {
			return err
		}
		aloneUp = &upload{name: o.alone, size: len(alone), sent: time.Now()}
		if aloneUp.id, err = c.upload(appID2, filepath.Base(o.alone), alone); err != nil {
			return fmt.Errorf("upload %s: %w", o.alone, err)
		}
		aloneUp.acked = time.Now()
		logf("reading %s alone", o.alone)
		if _, err := c.waitDocuments(appID2, []*upload{aloneUp}, o.every, o.timeout, logf); err != nil {
			return err
		}
	}
	time.Sleep(o.every)
	stopSampling()
	smp.sample()

	report(stdout, o, reportData{
		ups: ups, alone: aloneUp, firstByte: firstByte, lastByte: lastByte, complete: complete, mainEnd: mainEnd,
		pages: after.minus(before), smp: smp, serveAtStart: serveAtStart, totalBytes: totalBytes,
		idleReading: idleReading, idleCores: idleCores,
	})
	return nil
}

// waitDocuments polls the application's documents every interval until each of ups is done or
// failed, recording when each was first seen processing, each page read, and its end. It returns
// when the last ended.
func (c *client) waitDocuments(appID string, ups []*upload, every, timeout time.Duration, logf func(string, ...any)) (time.Time, error) {
	byID := map[string]*upload{}
	for _, u := range ups {
		byID[u.id] = u
	}
	deadline := time.Now().Add(timeout)
	lastLog := time.Now()
	for {
		var list struct {
			Items []struct {
				ID        string `json:"id"`
				Status    string `json:"status"`
				Kind      string `json:"kind"`
				PageCount int    `json:"page_count"`
				PagesDone int    `json:"pages_done"`
			} `json:"items"`
		}
		err := c.getJSON("/api/v1/applications/"+appID+"/documents", &list)
		now := time.Now()
		if err != nil {
			return now, err
		}
		left, pagesDone, pages := 0, 0, 0
		for _, d := range list.Items {
			u := byID[d.ID]
			if u == nil {
				continue
			}
			u.status, u.kind, u.pages = d.Status, d.Kind, d.PageCount
			if d.Status != "received" && u.started.IsZero() {
				u.started = now
			}
			for ; u.lastDone < d.PagesDone; u.lastDone++ {
				u.progress = append(u.progress, now)
			}
			if (d.Status == "done" || d.Status == "failed") && u.ended.IsZero() {
				u.ended = now
			}
			if u.ended.IsZero() {
				left++
			}
			pagesDone += d.PagesDone
			pages += d.PageCount
		}
		if left == 0 {
			return now, nil
		}
		if now.After(deadline) {
			return now, fmt.Errorf("%d documents not read within %s", left, timeout)
		}
		if now.Sub(lastLog) > 15*time.Second {
			logf("%d documents left; %d pages of %d counted so far read", left, pagesDone, pages)
			lastLog = now
		}
		time.Sleep(every)
	}
}

type reportData struct {
	ups                                    []*upload
	alone                                  *upload
	firstByte, lastByte, complete, mainEnd time.Time
	pages                                  pageMetrics
	smp                                    *sampler
	serveAtStart                           int64
	totalBytes                             int
	idleReading, idleCores                 float64
}

func report(w io.Writer, o options, r reportData) {
	engine := o.engine
	if engine == "" {
		engine = "default"
	}
	pages := 0
	for _, u := range r.ups {
		pages += u.pages
	}
	sec := func(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }
	fmt.Fprintf(w, "\n== one application read by the service (issue 14): %d pages in %d documents, %d workers, reader %s\n", pages, len(r.ups), o.workers, engine)
	fmt.Fprintf(w, "uploads: %d files, %.1f MB, one a request, in %s\n", len(r.ups), float64(r.totalBytes)/1e6, sec(r.lastByte.Sub(r.firstByte)))

	// The page metric counts every page read in the run (the application's only, until mainEnd).
	ocrSum, ocrCount := r.pages.total()
	meanPage := 0.0
	if ocrCount > 0 {
		meanPage = ocrSum / float64(ocrCount)
	}
	wall := r.complete.Sub(r.lastByte)
	perWorkers := ocrSum / float64(o.workers)
	cpu := r.smp.workerCPU(r.firstByte, r.mainEnd)
	fmt.Fprintf(w, "last upload byte → checklist complete   %s   (from the first upload byte %s)\n", sec(wall), sec(r.complete.Sub(r.firstByte)))
	fmt.Fprintf(w, "pages read (shenbao_page_read_seconds)  %d: %s\n", ocrCount, r.pages)
	fmt.Fprintf(w, "total OCR time ÷ workers                %.1f s ÷ %d = %.1f s (mean %.2f s a page)\n", ocrSum, o.workers, perWorkers, meanPage)
	if perWorkers > 0 {
		fmt.Fprintf(w, "ratio (target ≤ 1.2×)                   %.2f×\n", wall.Seconds()/perWorkers)
	}
	if cpu > 0 {
		fmt.Fprintf(w, "worker CPU (user+system, with pdftoppm) %.1f s (%.2f s a page) ÷ %d = %.1f s; ratio %.2f×\n",
			cpu, cpu/float64(max(pages, 1)), o.workers, cpu/float64(o.workers), wall.Seconds()/(cpu/float64(o.workers)))
	}

	// The first document's result.
	own := func(u *upload) string {
		t := float64(u.pages) * meanPage
		return fmt.Sprintf("its own pages %d × %.2f s = %.1f s (÷ %d workers %.1f s); ratio %.2f×", u.pages, meanPage, t, o.workers, t/float64(o.workers), u.ended.Sub(u.acked).Seconds()/max(t, 1e-9))
	}
	first := r.ups[0]
	fmt.Fprintf(w, "first uploaded document  %s, %d page(s): result %s after its upload; %s\n", first.name, first.pages, sec(first.ended.Sub(first.acked)), own(first))
	earliest := slices.MinFunc(r.ups, func(a, b *upload) int { return a.ended.Compare(b.ended) })
	fmt.Fprintf(w, "first document finished  %s, %d page(s): result %s after its upload (%s after the last upload byte); %s\n",
		earliest.name, earliest.pages, sec(earliest.ended.Sub(earliest.acked)), sec(earliest.ended.Sub(r.lastByte)), own(earliest))

	// Each document.
	fmt.Fprintln(w, "\ndocuments (times in s from the first upload byte; while a multi-page document was read: workers reading (mean), all reading (share of samples), cores the workers had)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "file\tpages\tstatus\tkind\tuploaded\tstarted\tdone\ttook\tworkers reading / all / cores")
	for _, u := range r.ups {
		busy := "-"
		if u.pages > 1 {
			reading, all, cores := r.smp.busy(u.started, u.ended, o.workers)
			busy = fmt.Sprintf("%.2f / %.0f%% / %.2f", reading, 100*all, cores)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%s\n", u.name, u.pages, u.status, u.kind,
			u.acked.Sub(r.firstByte).Seconds(), u.started.Sub(r.firstByte).Seconds(), u.ended.Sub(r.firstByte).Seconds(), u.ended.Sub(u.started).Seconds(), busy)
	}
	tw.Flush()
	fmt.Fprintf(w, "(idle for 1 s after the application: workers reading %.2f, %.2f cores — the detector's zero)\n", r.idleReading, r.idleCores)
	if a := r.alone; a != nil {
		reading, all, cores := r.smp.busy(a.started, a.ended, o.workers)
		took := a.ended.Sub(a.started).Seconds()
		fmt.Fprintf(w, "\nalone on the idle service: %s, %d pages (%s): read in %.1f s (%.2f s a page; the application's mean page %.2f s)\n",
			a.name, a.pages, a.status, took, took/float64(max(a.pages, 1)), meanPage)
		fmt.Fprintf(w, "  workers reading %.2f of %d (all of them in %.0f%% of the samples), %.2f cores: ", reading, o.workers, 100*all, cores)
		if reading > 0.75*float64(o.workers) {
			fmt.Fprintln(w, "its pages were spread over the workers")
		} else {
			fmt.Fprintln(w, "its pages were NOT spread over the workers")
		}
	}

	fmt.Fprintln(w, "\nmemory (VmHWM: the kernel's high-water mark of each process; VmRSS sampled every", o.every, "— target ≤ 400 MB a worker)")
	for _, p := range r.smp.workerList() {
		fmt.Fprintf(w, "  OCR worker pid %d: peak %d MB (sampled %d MB; %d MB at its first sample), CPU %.1f s\n", p.pid, p.hwm/1024, p.peakRSS/1024, p.firstRSS/1024, p.cpuSeconds())
	}
	if n, peak := r.smp.otherPeak(); n > 0 {
		fmt.Fprintf(w, "  worker children (pdftoppm, …): %d processes, largest %d MB sampled\n", n, peak/1024)
	}
	fmt.Fprintf(w, "  serve process: %d MB at rest before the uploads, peak %d MB (sampled %d MB), %d MB at the end\n",
		r.serveAtStart/1024, r.smp.serveHWM/1024, r.smp.servePeak/1024, r.smp.serveRSS/1024)
}
