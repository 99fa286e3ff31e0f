package intake

import (
	"context"
	"errors"
	"strings"
	"time"

	"shenbao/doc"
)

// Metrics records what processing does, for the people who run the service (Prometheus in production:
// api.Metrics). Its methods are called from the workers, so they must be quick and safe for concurrent
// use; they are given no applicant data.
type Metrics interface {
	// PageRead records a page read by reader (a doc.Source: "ocr", "text_layer"; "none" for a page
	// that could not be read) with its outcome ("read", "blank", "illegible" or "failed") and how long
	// it took.
	PageRead(reader, outcome string, d time.Duration)
	// DocumentFailed records a document that failed, by cause: "file" (the file's own fault: it cannot
	// be read, or is over a page cap), "encrypted", "extract" (extraction broke on it) or "service" (the
	// service could not read it in its attempts).
	DocumentFailed(cause string)
}

// noMetrics records nothing.
type noMetrics struct{}

func (noMetrics) PageRead(string, string, time.Duration) {}
func (noMetrics) DocumentFailed(string)                  {}

func (s *Service) metrics() Metrics {
	if s.cfg.Metrics == nil {
		return noMetrics{}
	}
	return s.cfg.Metrics
}

// observeRead records the pages of a document read at once in d, by a Recognizer that reads whole
// files: each page is given its share of the document's time.
func (s *Service) observeRead(pages []doc.Page, d time.Duration) {
	if len(pages) == 0 {
		return
	}
	each := d / time.Duration(len(pages))
	for _, p := range pages {
		s.observePage(p, each)
	}
}

// observePage records a page read in d.
func (s *Service) observePage(p doc.Page, d time.Duration) {
	reader, outcome := string(p.Source), "read"
	switch {
	case p.Error != "":
		outcome = "failed"
	case p.Blank:
		outcome = "blank"
	case p.Illegible:
		outcome = "illegible"
	}
	if reader == "" {
		reader = "none"
	}
	s.metrics().PageRead(reader, outcome, d)
}

// failureCause names why a document failed, for DocumentFailed.
func failureCause(err error) string {
	var fe *fileError
	switch {
	case errors.As(err, &fe):
		if l := strings.ToLower(fe.Error()); strings.Contains(l, "encrypt") || strings.Contains(l, "password") {
			return "encrypted"
		}
		return "file"
	case err != nil && strings.HasPrefix(err.Error(), "extract:"):
		return "extract"
	}
	return "service"
}

// metricsScan bounds how many applications DocumentCounts reads.
const metricsScan = 20000

// DocumentCounts counts the documents in each status: the processing queue's depth (received and
// processing) and what has become of the rest. It reads every application's documents, so callers
// that ask often should keep the answer for a while.
func (s *Service) DocumentCounts(ctx context.Context) (map[Status]int, error) {
	apps, err := s.allApplications(ctx, ApplicationQuery{}, metricsScan)
	if err != nil {
		return nil, err
	}
	out := map[Status]int{StatusReceived: 0, StatusProcessing: 0, StatusDone: 0, StatusFailed: 0}
	for _, a := range apps {
		docs, err := s.store.ListDocuments(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			out[d.Status]++
		}
	}
	return out, nil
}
