package ocr

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"

	"shenbao/doc"
)

// NotReadError is a page (or a count of pages) the pool failed to read for a fault of its own, not of
// the file: its worker died or gave no answer within PageTimeout twice, or ran out of memory twice.
// Reading it again later may well succeed. Temporary reports true, so that callers that do not import
// this package (intake) can tell it from a file that cannot be read.
type NotReadError struct {
	Op   string // "count", "read", "render" or "region"
	Page int    // 0 for a count
	Err  error  // the last failure
}

func (e *NotReadError) Error() string {
	if e.Page > 0 {
		return fmt.Sprintf("ocr %s page %d: not read: %v", e.Op, e.Page, e.Err)
	}
	return fmt.Sprintf("ocr %s: not read: %v", e.Op, e.Err)
}

func (e *NotReadError) Unwrap() error   { return e.Err }
func (e *NotReadError) Temporary() bool { return true }

// errWorkerMemory is a worker's answer that it ran out of memory (an allocation failed in Tesseract,
// Leptonica or ONNX Runtime under the worker's address-space limit).
var errWorkerMemory = errors.New("ocr worker out of memory")

// poolFault reports whether a call failed for the pool's own reasons (the worker, not the file).
func poolFault(err error) bool {
	return errors.Is(err, errWorkerGone) || errors.Is(err, errWorkerMemory)
}

// outOfMemory reports whether a worker's error message is an allocation failure rather than a verdict
// on the file.
func outOfMemory(msg string) bool {
	l := strings.ToLower(msg)
	for _, s := range []string{"out of memory", "cannot allocate memory", "bad_alloc", "bad alloc", "failed to allocate", "allocation failed", "bfc_arena"} {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// CountPages returns the number of pages of the file at path. It fails with a *NotReadError when the
// pool could not count them, and with another error when the file cannot be read at all.
func (p *Pool) CountPages(ctx context.Context, path, contentType string) (int, error) {
	resp, err := p.callRetry(ctx, request{Op: "count", Path: path, ContentType: contentType})
	if err != nil {
		return 0, err
	}
	if resp.Count < 1 {
		return 0, fmt.Errorf("%w: the file has no pages", ErrPageFailed)
	}
	return resp.Count, nil
}

// ReadPage reads page n (1-based) of the file at path. It fails with a *NotReadError when the pool
// could not read it, and with ErrPageFailed (and the reader's reason) when the page cannot be read.
func (p *Pool) ReadPage(ctx context.Context, path, contentType string, n int) (doc.Page, error) {
	resp, err := p.callRetry(ctx, request{Op: "read", Path: path, ContentType: contentType, Page: n})
	if err != nil {
		return doc.Page{}, err
	}
	if resp.Page == nil {
		return doc.Page{}, fmt.Errorf("%w: page %d: no page in the answer", ErrPageFailed, n)
	}
	pg := *resp.Page
	pg.Number = n
	return pg, nil
}

// renice lowers the CPU priority of a worker's process group (the worker, each of its threads, and
// what it starts, such as pdftoppm) to cfg.Nice, so that reading never slows the API's answers. It is
// done on start and again on the worker's first answer, for threads the Go runtime started meanwhile.
func (p *Pool) renice(pid int) {
	// PRIO_PGRP reaches every thread of every process in the group; PRIO_PROCESS would reach one thread.
	if err := syscall.Setpriority(syscall.PRIO_PGRP, pid, p.cfg.Nice); err != nil {
		p.cfg.Logger.Warn("lower the ocr worker's priority", "pid", pid, "err", err)
	}
}
