package ocr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"shenbao/doc"
)

// request and response are the worker protocol: one JSON object per line, the parent writing
// requests to the worker's fd 3 and reading responses from its fd 4 (stdout and stderr are left to
// Tesseract and Leptonica, which write to them at will).
type request struct {
	Op          string  `json:"op"` // "count", "read" or "render"
	Path        string  `json:"path"`
	ContentType string  `json:"content_type"`
	Page        int     `json:"page,omitempty"`
	MaxSide     int     `json:"max_side,omitempty"` // for "render"
	Region      *Region `json:"region,omitempty"`   // for "region"
}

type response struct {
	Count int       `json:"count,omitempty"`
	Page  *doc.Page `json:"page,omitempty"`
	Image []byte    `json:"image,omitempty"` // JPEG, for "render"
	Text  string    `json:"text,omitempty"`  // for "region"
	Conf  float64   `json:"conf,omitempty"`  // for "region"
	Error string    `json:"error,omitempty"`
}

// ServeWorker is the body of a worker process: it answers requests from in on out until in closes.
// A panic while reading one file is answered as an error for that request.
func ServeWorker(ctx context.Context, in io.Reader, out io.Writer, cfg EngineConfig) error {
	e, err := NewEngine(cfg)
	if err != nil {
		return err
	}
	defer e.Close()
	dec := json.NewDecoder(in)
	enc := json.NewEncoder(out)
	for {
		var req request
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("worker: read request: %w", err)
		}
		resp := e.serve(ctx, req)
		if err := enc.Encode(resp); err != nil {
			return fmt.Errorf("worker: write response: %w", err)
		}
		debug.FreeOSMemory() // pages are big and few: give the memory back between them
	}
}

func (e *Engine) serve(ctx context.Context, req request) (resp response) {
	defer func() {
		if r := recover(); r != nil {
			e.pdf = nil
			// the stack goes to the worker's stderr (the service's log), never to the user
			fmt.Fprintf(os.Stderr, "ocr worker: panic reading %s: %v\n%s", req.Path, r, debug.Stack())
			resp = response{Error: fmt.Sprintf("internal error reading the file: %v", r)}
		}
	}()
	switch req.Op {
	case "count":
		n, err := e.Count(req.Path, req.ContentType)
		if err != nil {
			return response{Error: err.Error()}
		}
		return response{Count: n}
	case "read":
		p, err := e.Read(ctx, req.Path, req.ContentType, req.Page)
		if err != nil {
			return response{Error: err.Error()}
		}
		return response{Page: &p}
	case "region":
		if req.Region == nil {
			return response{Error: "region: no region given"}
		}
		text, conf, err := e.ReadRegion(ctx, req.Path, req.ContentType, *req.Region)
		if err != nil {
			return response{Error: err.Error()}
		}
		return response{Text: text, Conf: conf}
	case "render":
		b, err := e.RenderPage(ctx, req.Path, req.ContentType, req.Page, req.MaxSide)
		if err != nil {
			return response{Error: err.Error()}
		}
		return response{Image: b}
	}
	return response{Error: fmt.Sprintf("unknown op %q", req.Op)}
}
