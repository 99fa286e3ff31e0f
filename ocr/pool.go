package ocr

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"shenbao/doc"
)

// PoolConfig configures the worker processes.
type PoolConfig struct {
	// Command is the worker's argv: normally this binary and its hidden "ocr-worker" subcommand.
	Command []string
	// Env is added to the worker's environment (MALLOC_ARENA_MAX=2 unless set; OMP_THREAD_LIMIT=1 is always set: Tesseract's
	// OpenMP threads would fight the other workers for the cores).
	Env []string
	// Workers is the number of worker processes (default 1).
	Workers int
	// PageTimeout bounds the reading of one page (default 2 minutes).
	PageTimeout time.Duration
	// PagesPerWorker recycles a worker after that many pages (default 300): Tesseract leaks a little.
	PagesPerWorker int
	// Nice is the workers' CPU niceness (default 10; 1–19): the API's requests come before reading.
	Nice int
	// RenderTimeout and RenderMemory are the budget of drawing one PDF page (pdftoppm), apart from
	// PageTimeout: a page that needs more is the file's fault and fails alone (defaults 60 s, 1 GiB).
	RenderTimeout time.Duration
	RenderMemory  int64
	Logger        *slog.Logger
}

// Pool reads documents in worker processes, so that a crash or a hang in Tesseract, Leptonica or
// pdfcpu fails one page, not the service. It implements intake.Recognizer.
type Pool struct {
	cfg   PoolConfig
	slots chan *slot

	busyMu sync.Mutex
	busy   int // pid of a worker in the middle of a read, for tests
}

type slot struct{ w *worker }

// NewPool makes a pool; workers start on first use.
func NewPool(cfg PoolConfig) *Pool {
	if cfg.Workers < 1 {
		cfg.Workers = 1
	}
	if cfg.PageTimeout <= 0 {
		cfg.PageTimeout = 2 * time.Minute
	}
	if cfg.PagesPerWorker <= 0 {
		cfg.PagesPerWorker = 300
	}
	if cfg.Nice <= 0 || cfg.Nice > 19 {
		cfg.Nice = 10
	}
	if cfg.RenderTimeout <= 0 {
		cfg.RenderTimeout = defaultRenderBudget.Time
	}
	if cfg.RenderMemory <= 0 {
		cfg.RenderMemory = defaultRenderBudget.Memory
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	p := &Pool{cfg: cfg, slots: make(chan *slot, cfg.Workers)}
	for range cfg.Workers {
		p.slots <- &slot{}
	}
	return p
}

// Close stops the workers, waiting for pages being read.
func (p *Pool) Close() error {
	for range p.cfg.Workers {
		s := <-p.slots
		if s.w != nil {
			s.w.stop()
		}
	}
	return nil
}

// ErrPageFailed wraps the reason a page could not be read.
var ErrPageFailed = errors.New("page could not be read")

// Recognize reads every page of the file at path, several pages at once when the pool has several
// workers. A page the file does not let the reader read comes back with its Error set; a page the pool
// failed to read (see NotReadError) fails the whole reading with a *NotReadError, so that it is tried
// again later rather than reported as the file's fault. A file whose pages cannot even be counted is an
// error.
func (p *Pool) Recognize(ctx context.Context, path, contentType string) ([]doc.Page, error) {
	n, err := p.CountPages(ctx, path, contentType)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	pages := make([]doc.Page, n)
	doc.ReportProgress(ctx, 0, n)
	var done atomic.Int32
	var wg sync.WaitGroup
	sem := make(chan struct{}, p.cfg.Workers)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			pg, err := p.ReadPage(ctx, path, contentType, i+1)
			var nr *NotReadError
			if errors.As(err, &nr) {
				cancel(err) // the rest would be read again anyway
				return
			}
			defer func() { doc.ReportProgress(ctx, int(done.Add(1)), n) }()
			if err != nil {
				pages[i] = doc.Page{Number: i + 1, Error: err.Error()}
				return
			}
			pages[i] = pg
		}()
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return pages, nil
}

// RenderPage draws page n (1-based) of the file as a JPEG whose longer side is at most maxSide pixels.
func (p *Pool) RenderPage(ctx context.Context, path, contentType string, n, maxSide int) ([]byte, error) {
	resp, err := p.callRetry(ctx, request{Op: "render", Path: path, ContentType: contentType, Page: n, MaxSide: maxSide})
	if err != nil {
		return nil, err
	}
	return resp.Image, nil
}

// ReadRegion reads a box of a page again with Tesseract, as one line of the whitelisted characters
// (see Region); it returns the text and its confidence.
func (p *Pool) ReadRegion(ctx context.Context, path, contentType string, page int, box doc.Box, rotation int, whitelist string) (string, float64, error) {
	r := Region{Page: page, Box: box, Rotation: rotation, Whitelist: whitelist}
	resp, err := p.callRetry(ctx, request{Op: "region", Path: path, ContentType: contentType, Page: page, Region: &r})
	if err != nil {
		return "", 0, err
	}
	return resp.Text, resp.Conf, nil
}

// callRetry makes a call and, if the pool failed it (a worker died, timed out or ran out of memory),
// makes it once more on a new worker; failed twice, the call is a *NotReadError.
func (p *Pool) callRetry(ctx context.Context, req request) (response, error) {
	resp, err := p.call(ctx, req)
	if poolFault(err) && ctx.Err() == nil {
		p.cfg.Logger.WarnContext(ctx, "ocr worker lost; retrying", "op", req.Op, "page", req.Page, "err", err)
		resp, err = p.call(ctx, req)
		if poolFault(err) && ctx.Err() == nil {
			err = &NotReadError{Op: req.Op, Page: req.Page, Err: err}
		}
	}
	return resp, err
}

func (p *Pool) call(ctx context.Context, req request) (response, error) {
	var s *slot
	select {
	case s = <-p.slots:
	case <-ctx.Done():
		return response{}, ctx.Err()
	}
	defer func() { p.slots <- s }()
	if s.w != nil && (s.w.pages >= p.cfg.PagesPerWorker || s.w.dead()) {
		s.w.stop()
		s.w = nil
	}
	if s.w == nil {
		w, err := p.start()
		if err != nil {
			return response{}, err
		}
		s.w = w
	}
	p.setBusy(s.w.cmd.Process.Pid)
	resp, err := s.w.call(ctx, req, p.cfg.PageTimeout)
	p.setBusy(0)
	if err != nil {
		s.w.kill()
		s.w = nil
		return response{}, err
	}
	if !s.w.reniced {
		p.renice(s.w.cmd.Process.Pid)
		s.w.reniced = true
	}
	if req.Op == "read" {
		s.w.pages++
	}
	if resp.Error != "" {
		if outOfMemory(resp.Error) {
			// Its heap is suspect: the next call gets a fresh worker.
			s.w.stop()
			s.w = nil
			return resp, fmt.Errorf("%w: %s", errWorkerMemory, resp.Error)
		}
		return resp, fmt.Errorf("%w: %s", ErrPageFailed, resp.Error)
	}
	return resp, nil
}

type worker struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	enc   *json.Encoder
	resps chan response
	quit  chan struct{} // closed by stop: nobody reads resps any more
	done  chan struct{} // closed when the process has exited
	err   error         // why it exited, valid after done
	pages int
	log   *slog.Logger
	// reniced: the worker's priority was lowered again after its first answer (see renice).
	reniced bool
}

func (p *Pool) start() (*worker, error) {
	if len(p.cfg.Command) == 0 {
		return nil, errors.New("ocr pool: no worker command")
	}
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	respR, respW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return nil, err
	}
	cmd := exec.Command(p.cfg.Command[0], p.cfg.Command[1:]...)
	// MALLOC_ARENA_MAX=2: glibc gives each thread that calls into C a heap of its own, each keeping
	// what it freed (issue 14: one heap held a worker's peak 17 MB lower on 100 dev pages). The
	// operator's own setting wins.
	env := append(os.Environ(), p.cfg.Env...)
	if os.Getenv("MALLOC_ARENA_MAX") == "" {
		env = append(env, "MALLOC_ARENA_MAX=2")
	}
	cmd.Env = append(env, "OMP_THREAD_LIMIT=1", renderBudget{p.cfg.RenderTimeout, p.cfg.RenderMemory}.env())
	cmd.ExtraFiles = []*os.File{reqR, respW} // fd 3, fd 4
	// Its own process group, so that killing it also ends a pdftoppm it started; and it dies with us.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		reqR.Close()
		reqW.Close()
		respR.Close()
		respW.Close()
		return nil, fmt.Errorf("ocr pool: start worker: %w", err)
	}
	reqR.Close()
	respW.Close()
	p.renice(cmd.Process.Pid)
	w := &worker{cmd: cmd, in: reqW, enc: json.NewEncoder(reqW), resps: make(chan response), quit: make(chan struct{}), done: make(chan struct{}), log: p.cfg.Logger}
	go w.logStderr(stderr)
	go func() {
		dec := json.NewDecoder(bufio.NewReader(respR))
		for {
			var r response
			if err := dec.Decode(&r); err != nil {
				break
			}
			select {
			case w.resps <- r:
			case <-w.quit:
			}
		}
		respR.Close()
		w.err = cmd.Wait()
		close(w.done)
	}()
	p.cfg.Logger.Debug("ocr worker started", "pid", cmd.Process.Pid)
	return w, nil
}

func (w *worker) logStderr(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		w.log.Debug("ocr worker stderr", "pid", w.cmd.Process.Pid, "line", sc.Text())
	}
}

func (w *worker) dead() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

func (w *worker) call(ctx context.Context, req request, timeout time.Duration) (response, error) {
	if err := w.enc.Encode(req); err != nil {
		return response{}, fmt.Errorf("%w: %v", errWorkerGone, err)
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case r := <-w.resps:
		return r, nil
	case <-w.done:
		return response{}, fmt.Errorf("%w: %v", errWorkerGone, w.err)
	case <-t.C:
		return response{}, fmt.Errorf("%w: no answer within %s", errWorkerGone, timeout)
	case <-ctx.Done():
		return response{}, ctx.Err()
	}
}

// stop asks the worker to finish (closing its requests) and kills it if it does not within 2 s.
func (w *worker) stop() {
	close(w.quit)
	w.in.Close()
	select {
	case <-w.done:
		return
	case <-time.After(2 * time.Second):
	}
	syscall.Kill(-w.cmd.Process.Pid, syscall.SIGKILL)
	<-w.done
}

// kill ends the worker at once: it timed out, or its answer can no longer be trusted.
func (w *worker) kill() {
	close(w.quit)
	w.in.Close()
	syscall.Kill(-w.cmd.Process.Pid, syscall.SIGKILL)
	<-w.done
}

// busyPID returns the pid of a worker that is reading a page now, or 0 (for tests).
func (p *Pool) busyPID() int {
	p.busyMu.Lock()
	defer p.busyMu.Unlock()
	return p.busy
}

func (p *Pool) setBusy(pid int) {
	p.busyMu.Lock()
	p.busy = pid
	p.busyMu.Unlock()
}
