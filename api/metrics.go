package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"shenbao/intake"
)

// Metrics are the service's measurements, served at /metrics in the Prometheus text format without a
// login. They are aggregates only: no label carries an application, a document, a person or a raw
// path (requests are labelled by their route's template, /api/v1/documents/:id).
//
//	shenbao_applications{state}                       applications by state of the recognition cycle
//	shenbao_documents{status}                         documents by status: the queue is received + processing
//	shenbao_pages_read_total{reader,outcome}          pages read, by reader and outcome
//	shenbao_page_read_seconds{reader}                 seconds per page, by reader
//	shenbao_document_failures_total{cause}            documents failed, by cause
//	shenbao_http_request_duration_seconds{method,route,code}
//
// and the Go runtime's and the process's own (go_*, process_*). A Metrics records processing for
// intake (intake.Metrics) and requests for the Server; main makes one and gives it to both.
type Metrics struct {
	reg      *prometheus.Registry
	ocr      string // the OCR reader's name, for pages read from pixels
	pages    *prometheus.CounterVec
	pageTime *prometheus.HistogramVec
	failures *prometheus.CounterVec
	requests *prometheus.HistogramVec
	once     sync.Once
}

var _ intake.Metrics = (*Metrics)(nil)

// NewMetrics makes the measurements. ocrReader names the reader of pages read from pixels (the
// configured OCR engine: auto, tesseract or ppocr); pages with a text layer are "text_layer".
func NewMetrics(ocrReader string) *Metrics {
	if ocrReader == "" {
		ocrReader = "ocr"
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		ocr: ocrReader,
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shenbao_pages_read_total",
			Help: "Pages read, by reader (the OCR engine, text_layer, or none when the page could not be read) and outcome (read, blank, illegible, failed).",
		}, []string{"reader", "outcome"}),
		pageTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "shenbao_page_read_seconds",
			Help: "Seconds spent reading a page, by reader (with a reader of whole files, each document's time shared among its pages).",
			// A text layer takes milliseconds, a scan seconds; the pool gives up on a page at its timeout.
			Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300},
		}, []string{"reader"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shenbao_document_failures_total",
			Help: "Documents that failed, by cause: file (the file's own fault: it cannot be read, or is over a page cap), encrypted, extract (extraction broke), service (attempts used up).",
		}, []string{"cause"}),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "shenbao_http_request_duration_seconds",
			Help:    "HTTP requests by method, route template (unmatched for none) and status code, with their duration.",
			Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120},
		}, []string{"method", "route", "code"}),
	}
	m.reg.MustRegister(m.pages, m.pageTime, m.failures, m.requests,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, cause := range []string{"file", "encrypted", "extract", "service"} {
		m.failures.WithLabelValues(cause)
	}
	return m
}

// PageRead records a page read (intake.Metrics).
func (m *Metrics) PageRead(reader, outcome string, d time.Duration) {
	if reader == "ocr" {
		reader = m.ocr
	}
	m.pages.WithLabelValues(reader, outcome).Inc()
	m.pageTime.WithLabelValues(reader).Observe(d.Seconds())
}

// DocumentFailed records a failed document (intake.Metrics).
func (m *Metrics) DocumentFailed(cause string) {
	m.failures.WithLabelValues(cause).Inc()
}

// watch adds the counts of applications and documents that svc keeps; the first Server to be built
// with m adds them.
func (m *Metrics) watch(svc *intake.Service, log *slog.Logger) {
	m.once.Do(func() { m.reg.MustRegister(newStateCollector(svc, log)) })
}

// methods are the request methods labelled by name; any other is "other", so that a client cannot
// make up label values.
var methods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true,
	http.MethodPut: true, http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true}

// measure is the middleware that times requests by route template.
func (m *Metrics) measure(c *gin.Context) {
	start := time.Now()
	defer func() {
		route, method := c.FullPath(), c.Request.Method
		if route == "" {
			route = "unmatched"
		}
		if !methods[method] {
			method = "other"
		}
		m.requests.WithLabelValues(method, route, strconv.Itoa(c.Writer.Status())).Observe(time.Since(start).Seconds())
	}()
	c.Next()
}

// metrics serves the measurements (see Metrics). A count that cannot be had (the store is down) is
// left out and logged; the body never carries an error's text.
func (s *Server) metrics(c *gin.Context) error {
	promhttp.HandlerFor(s.prom.reg, promhttp.HandlerOpts{
		ErrorLog:      slogPrinter{s.log},
		ErrorHandling: promhttp.ContinueOnError,
	}).ServeHTTP(c.Writer, c.Request)
	return nil
}

// slogPrinter gives promhttp's error log to slog.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) {
	p.log.Warn("metrics", "err", v)
}

// stateCollector counts applications by state and documents by status when scraped. A count reads
// every application, and /metrics answers without a login: one count runs at a time, and scrapes that
// arrive while it runs wait for the next one and share it.
type stateCollector struct {
	svc  *intake.Service
	log  *slog.Logger
	apps *prometheus.Desc
	docs *prometheus.Desc

	mu     sync.Mutex
	at     time.Time // when the last count began
	states map[intake.State]int
	status map[intake.Status]int
}

func newStateCollector(svc *intake.Service, log *slog.Logger) *stateCollector {
	return &stateCollector{
		svc: svc, log: log,
		apps: prometheus.NewDesc("shenbao_applications", "Applications by state of the recognition cycle.", []string{"state"}, nil),
		docs: prometheus.NewDesc("shenbao_documents", "Documents by status: received and processing are the processing queue.", []string{"status"}, nil),
	}
}

func (sc *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- sc.apps
	ch <- sc.docs
}

func (sc *stateCollector) Collect(ch chan<- prometheus.Metric) {
	arrived := time.Now()
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.states == nil || sc.at.Before(arrived) {
		begun := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		states, err1 := sc.svc.CountByState(ctx)
		status, err2 := sc.svc.DocumentCounts(ctx)
		cancel()
		if err1 != nil || err2 != nil {
			sc.log.Warn("metrics: count applications and documents", "applications", err1, "documents", err2)
			ch <- prometheus.NewInvalidMetric(sc.apps, errCounts)
			return
		}
		sc.states, sc.status, sc.at = states, status, begun
	}
	for _, st := range intake.States {
		ch <- prometheus.MustNewConstMetric(sc.apps, prometheus.GaugeValue, float64(sc.states[st]), string(st))
	}
	for _, st := range []intake.Status{intake.StatusReceived, intake.StatusProcessing, intake.StatusDone, intake.StatusFailed} {
		ch <- prometheus.MustNewConstMetric(sc.docs, prometheus.GaugeValue, float64(sc.status[st]), string(st))
	}
}

// errCounts stands for a failed count in the scrape (the cause is in the log).
var errCounts = errors.New("counts unavailable")
