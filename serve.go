package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"shenbao/api"
	"shenbao/calendar"
	"shenbao/compile"
	"shenbao/intake"
	"shenbao/ocr"
	"shenbao/storage/bolt"
	"shenbao/storage/localdisk"
	"shenbao/storage/minioblob"
	"shenbao/storage/mongo"
)

// workerCommand is the OCR worker process the pool starts (not `shenbao worker`, which reads documents).
const workerCommand = "ocr-worker"

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, _, err := parseConfig("serve", args, stderr, nil)
	if err != nil {
		fmt.Fprintln(stderr, "shenbao serve:", err)
		return 2
	}
	log := newLogger(c, stderr)
	log.Info("starting", c.logValue()...)
	if err := serve(ctx, c, log, stdout); err != nil {
		log.Error("serve", "err", err)
		return 1
	}
	return 0
}

// stores opens the blob and metadata stores the configuration names: MinIO and MongoDB when set,
// else the embedded defaults under DataDir.
func openStores(ctx context.Context, c config, log *slog.Logger) (intake.BlobStore, intake.Store, error) {
	var blobs intake.BlobStore
	if c.MinioEndpoint != "" {
		b, err := minioblob.New(ctx, minioblob.Config{Endpoint: c.MinioEndpoint, AccessKey: c.MinioAccessKey,
			SecretKey: c.MinioSecretKey, Bucket: c.MinioBucket, UseSSL: c.MinioSSL})
		if err != nil {
			return nil, nil, fmt.Errorf("minio: %w", err)
		}
		blobs = b
		log.Info("originals in MinIO", "endpoint", c.MinioEndpoint, "bucket", c.MinioBucket)
	} else {
		b, err := localdisk.New(filepath.Join(c.DataDir, "blobs"))
		if err != nil {
			return nil, nil, fmt.Errorf("local blob store: %w", err)
		}
		blobs = b
		log.Info("originals on local disk", "dir", filepath.Join(c.DataDir, "blobs"))
	}
	if c.MongoURI != "" {
		s, err := mongo.New(ctx, c.MongoURI, c.MongoDB)
		if err != nil {
			return nil, nil, fmt.Errorf("mongodb: %w", err)
		}
		log.Info("metadata in MongoDB", "database", c.MongoDB)
		return blobs, s, nil
	}
	if err := privateDir(c.DataDir); err != nil {
		return nil, nil, err
	}
	s, err := bolt.Open(filepath.Join(c.DataDir, "shenbao.db"))
	if err != nil {
		return nil, nil, fmt.Errorf("embedded store: %w", err)
	}
	log.Info("metadata in the embedded store", "file", filepath.Join(c.DataDir, "shenbao.db"))
	return blobs, s, nil
}

// privateDir makes dir, if need be, and keeps it to the service's user (0700), also when an older
// version made it open to others: the originals, the metadata and the spool are nobody else's.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.Chmod(dir, 0o700)
}

// openCalendar is the shipped working-day calendar, with the staff's holidays file over it if set.
func openCalendar(c config) (*calendar.Calendar, error) {
	if c.HolidaysFile != "" {
		return calendar.LoadFile(c.HolidaysFile)
	}
	return calendar.Default()
}

// The pool counts pages in a worker process: the upload's check of a PDF whose header is not at its
// start (intake.SniffFile) asks it.
var _ intake.PageCounter = (*ocr.Pool)(nil)

func newPool(c config, log *slog.Logger) (*ocr.Pool, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return ocr.NewPool(ocr.PoolConfig{
		Command:       []string{exe, workerCommand, "--ocr-lang", c.OCRLang, "--ocr-engine", c.OCREngine, "--ocr-mem-mb", fmt.Sprint(c.OCRMemMB)},
		Workers:       c.Workers,
		PageTimeout:   c.PageTimeout,
		Nice:          c.OCRNice,
		RenderTimeout: c.RenderTimeout,
		RenderMemory:  int64(c.RenderMemMB) << 20,
		Logger:        log,
	}), nil
}

// The pool reads a page at a time, so that the Service holds files to the page caps and shares the
// workers fairly across applications.
var _ intake.PageReader = (*ocr.Pool)(nil)

// newService wires the Service of serve and worker over the stores and the pool, with its spool in
// DataDir/tmp, emptied first of what a crash left there (one process to a data directory: none is in
// use yet). metrics may be nil.
func newService(c config, log *slog.Logger, blobs intake.BlobStore, store intake.Store, pool *ocr.Pool, metrics intake.Metrics) (*intake.Service, error) {
	tmp := filepath.Join(c.DataDir, "tmp")
	if err := privateDir(c.DataDir); err != nil {
		return nil, err
	}
	if err := privateDir(tmp); err != nil {
		return nil, err
	}
	// Spool files left by a crash (the service is not running yet: none is in use).
	if left, _ := filepath.Glob(filepath.Join(tmp, "*")); len(left) > 0 {
		for _, f := range left {
			os.RemoveAll(f)
		}
		log.Info("removed files left in the spool directory", "count", len(left))
	}
	cal, err := openCalendar(c)
	if err != nil {
		return nil, err
	}
	log.Info("working-day calendar", "years", fmt.Sprint(cal.Years()))
	documents := c.Documents
	if c.APIOnly {
		documents = -1
	}
	return intake.NewService(blobs, store, pool, log, clock, intake.Config{
		MaxFileSize: int64(c.MaxFileMB) << 20, Workers: c.Workers, Documents: documents, Lease: c.Lease, TempDir: tmp,
		Calendar: cal, RetentionYears: c.RetentionYears,
		MaxDocumentPages: c.MaxDocPages, MaxApplicationPages: c.MaxAppPages, ReadAttempts: c.ReadAttempts, RetryDelay: c.RetryDelay,
		Compiler: compiler{opt: compile.Options{TempDir: tmp}},
		Auth:     intake.AuthConfig{Idle: c.SessionIdle, Absolute: c.SessionMax},
		Metrics:  metrics,
	}), nil
}

func serve(ctx context.Context, c config, log *slog.Logger, stdout io.Writer) error {
	blobs, store, err := openStores(ctx, c, log)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	pool, err := newPool(c, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	prom := api.NewMetrics(c.OCREngine)
	svc, err := newService(c, log, blobs, store, pool, prom)
	if err != nil {
		return err
	}
	if _, n, err := store.ListUsers(ctx, intake.ListOptions{Limit: 1}); err == nil && n == 0 {
		log.Warn("no accounts yet: make the first staff account with `shenbao user add --login … --name … --role staff`")
	}
	scrub := intake.NewScrubLoop(svc, c.ScrubEvery)
	srv := api.New(svc, log, api.Config{Ready: map[string]api.Pinger{"blobs": blobs, "store": store}, Metrics: prom, Scrub: scrub})

	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	// The first line on stdout is the address, so that tests and scripts can find a :0 port.
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	log.Info("listening", "addr", ln.Addr().String())
	hs := newHTTPServer(srv, bodyMinBytes, bodyWindow)

	if c.APIOnly {
		log.Info("API only: documents are read by `shenbao worker` processes")
	}
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	workDone := make(chan error, 1)
	go func() { workDone <- svc.Run(workCtx) }()
	go scrub.Run(workCtx)
	serveDone := make(chan error, 1)
	go func() { serveDone <- hs.Serve(ln) }()

	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case err := <-serveDone:
		stopWork()
		<-workDone
		return err
	}
	// Stop taking requests, let uploads under way finish, then stop the workers: a document being read
	// goes back to the queue, for this or another process to read.
	shutCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = hs.Shutdown(shutCtx)
	stopWork()
	<-workDone
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	log.Info("stopped")
	return err
}

// A request's body must keep coming: at least bodyMinBytes in every bodyWindow (about 550 bytes a
// second), or the request is cut off. An upload trickled a byte every few seconds cannot hold a
// connection and a spool file for hours, while a large file on a slow link goes through: a poor mobile
// connection moves several kilobytes a second, and there is no bound on the whole upload's time.
const (
	bodyMinBytes = 16 << 10
	bodyWindow   = 30 * time.Second
)

// newHTTPServer serves h with the limits on slow clients: 10 s for a request's headers, the body's
// minimum rate (minBodyRate), 2 minutes for an idle keep-alive connection. Responses have no time
// bound: an original or an archive package may be large.
func newHTTPServer(h http.Handler, minBytes int64, window time.Duration) *http.Server {
	return &http.Server{Handler: minBodyRate(h, minBytes, window), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
}

// minBodyRate cuts off a request whose body comes slower than minBytes in every window: the
// connection's read deadline is set a window ahead, and moved a window on each time another minBytes
// have come. The handler's read then fails (os.ErrDeadlineExceeded) and the connection is closed.
// Once the body has been read to its end the deadline is lifted, so that what the handler does next
// (store the file, say) has no bound from it.
func minBodyRate(h http.Handler, minBytes int64, window time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			h.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		if err := rc.SetReadDeadline(time.Now().Add(window)); err != nil {
			h.ServeHTTP(w, r) // a connection without deadlines
			return
		}
		// A copy of the request carries the watched body; the server keeps the original, whose
		// state (read to the end or not) decides whether the connection can be used again.
		r2 := r.WithContext(r.Context())
		r2.Body = &rateBody{ReadCloser: r.Body, rc: rc, min: minBytes, window: window}
		h.ServeHTTP(w, r2)
	})
}

// rateBody moves the connection's read deadline on as the body comes (see minBodyRate).
type rateBody struct {
	io.ReadCloser
	rc     *http.ResponseController
	min    int64
	window time.Duration
	got    int64 // bytes since the deadline was last moved
}

func (b *rateBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.got += int64(n)
	switch {
	case err == io.EOF:
		b.rc.SetReadDeadline(time.Time{})
	case err == nil && b.got >= b.min:
		b.got = 0
		b.rc.SetReadDeadline(time.Now().Add(b.window))
	}
	return n, err
}

func cmdOCRWorker(args []string, stderr io.Writer) int {
	c, _, err := parseConfig(workerCommand, args, stderr, nil)
	if err != nil {
		return 2
	}
	return ocr.WorkerMain(ocr.EngineConfig{Lang: c.OCRLang, Reader: c.OCREngine}, int64(c.OCRMemMB)<<20)
}
