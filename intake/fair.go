package intake

import (
	"context"
	"errors"
	"sync"

	"shenbao/doc"
)

// PageReader is a Recognizer that reads a file a page at a time: the Service then counts a file's
// pages before reading them (to hold them to the page caps) and shares the readers out page by page,
// fairly across applications. Errors that have a Temporary method returning true are the reader's own
// faults (a worker died, timed out, ran out of memory): the page was not read, and reading it again
// later may succeed. Any other error is the file's: the page cannot be read.
type PageReader interface {
	CountPages(ctx context.Context, path, contentType string) (int, error)
	ReadPage(ctx context.Context, path, contentType string, n int) (doc.Page, error)
}

// temporary reports whether err is a reader's or a store's passing fault rather than the file's.
func temporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

// turns shares a number of reading slots (the OCR workers) among applications, one page at a time:
// a free slot goes to the application with a page waiting that was served least recently, and within
// an application to its pages in the order they asked. One applicant's 600-page file thus holds a slot
// for one page at a time while another applicant's one-page scan waits at most for the first slot to
// come free.
type turns struct {
	mu    sync.Mutex
	free  int
	seq   uint64                   // grants so far
	last  map[string]uint64        // application → seq of its latest grant
	queue map[string][]*turnWaiter // application → its waiting pages, oldest first

	// testHookWait, if set (by tests, before the first acquire), is called with the application of
	// each page that has to wait for a slot, once it is in the queue.
	testHookWait func(app string)
}

type turnWaiter struct {
	ready   chan struct{} // closed when granted
	granted bool
	rank    int64 // within its application, lower ranks are served first (the document's upload time)
}

func newTurns(slots int) *turns {
	return &turns{free: slots, last: map[string]uint64{}, queue: map[string][]*turnWaiter{}}
}

func (t *turns) acquire(ctx context.Context, app string, rank int64) (release func(), err error) {
	t.mu.Lock()
	if t.free > 0 && len(t.queue) == 0 {
		t.free--
		t.grantedTo(app)
		t.mu.Unlock()
		return t.release, nil
	}
	w := &turnWaiter{ready: make(chan struct{}), rank: rank}
	q := t.queue[app]
	i := len(q)
	for i > 0 && q[i-1].rank > rank {
		i--
	}
	t.queue[app] = append(q[:i:i], append([]*turnWaiter{w}, q[i:]...)...)
	t.dispatch()
	waits := !w.granted
	t.mu.Unlock()
	if waits && t.testHookWait != nil {
		t.testHookWait(app)
	}
	select {
	case <-w.ready:
		return t.release, nil
	case <-ctx.Done():
		t.mu.Lock()
		defer t.mu.Unlock()
		if w.granted {
			t.free++
			t.dispatch()
		} else {
			q := t.queue[app]
			for i, x := range q {
				if x == w {
					q = append(q[:i:i], q[i+1:]...)
					break
				}
			}
			if len(q) == 0 {
				delete(t.queue, app)
			} else {
				t.queue[app] = q
			}
		}
		return nil, ctx.Err()
	}
}

func (t *turns) release() {
	t.mu.Lock()
	t.free++
	t.dispatch()
	t.mu.Unlock()
}

// dispatch hands free slots to waiting pages, least recently served application first. t.mu is held.
func (t *turns) dispatch() {
	for t.free > 0 && len(t.queue) > 0 {
		app, first := "", true
		for a := range t.queue {
			if first || t.last[a] < t.last[app] || (t.last[a] == t.last[app] && a < app) {
				app, first = a, false
			}
		}
		q := t.queue[app]
		w := q[0]
		if len(q) == 1 {
			delete(t.queue, app)
		} else {
			t.queue[app] = q[1:]
		}
		t.free--
		w.granted = true
		close(w.ready)
		t.grantedTo(app)
	}
}

func (t *turns) grantedTo(app string) {
	t.seq++
	t.last[app] = t.seq
	if len(t.last) > 10_000 { // forget applications served long ago; they start again at 0 (first)
		for a, s := range t.last {
			if s+5_000 < t.seq {
				delete(t.last, a)
			}
		}
	}
}
