package intake

import (
	"context"
	"slices"
	"testing"
	"time"
)

// A free slot goes to the application served least recently; a page that stops waiting (its context
// ended) gives up its place, and no slot is lost.
func TestTurns(t *testing.T) {
	tr := newTurns(1)
	waits := make(chan string, 4) // the application of each page that waits for the slot
	tr.testHookWait = func(app string) { waits <- app }
	ctx := context.Background()
	release, err := tr.acquire(ctx, "a", 0)
	if err != nil {
		t.Fatal(err)
	}
	order := make(chan string, 4)
	wait := func(app string) {
		r, err := tr.acquire(ctx, app, 0)
		if err != nil {
			t.Error(err)
			return
		}
		order <- app
		r()
	}
	waiting := func(want string) {
		t.Helper()
		select {
		case app := <-waits:
			if app != want {
				t.Fatalf("%s waits for the slot; want %s", app, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s not waiting for the slot within 10 s", want)
		}
	}
	go wait("a") // a's second page asks first…
	waiting("a")
	cctx, cancel := context.WithCancel(ctx)
	gaveUp := make(chan error, 1)
	go func() {
		_, err := tr.acquire(cctx, "c", 0)
		gaveUp <- err
	}()
	waiting("c")
	go wait("b") // …but b has not been served yet
	waiting("b")
	cancel()
	if err := <-gaveUp; err == nil {
		t.Fatal("c's wait with its context ended: got a slot; want the context's error")
	}
	release()
	if first, second := <-order, <-order; first != "b" || second != "a" {
		t.Errorf("served %s then %s; want b (never served) before a", first, second)
	}
	r, err := tr.acquire(ctx, "d", 0)
	if err != nil || tr.free != 0 {
		t.Fatalf("after all: %v, %d free; want the one slot taken", err, tr.free)
	}
	r()
	if tr.free != 1 || len(tr.queue) != 0 {
		t.Errorf("%d free, %d applications waiting; want 1 and none", tr.free, len(tr.queue))
	}
}

// Within an application, the pages of the document uploaded first are served first, whatever order
// its pages and a later document's asked in: the first document's result comes after its own pages.
func TestTurnsRankWithinApplication(t *testing.T) {
	tr := newTurns(1)
	waiting := make(chan struct{}, 1)
	tr.testHookWait = func(string) { waiting <- struct{}{} }
	ctx := context.Background()
	release, err := tr.acquire(ctx, "a", 0)
	if err != nil {
		t.Fatal(err)
	}
	order := make(chan int64, 5)
	for _, rank := range []int64{20, 20, 10, 30, 10} { // pages of the documents uploaded at 10, 20, 30
		go func() {
			r, err := tr.acquire(ctx, "a", rank)
			if err != nil {
				t.Error(err)
				return
			}
			order <- rank
			r()
		}()
		select {
		case <-waiting:
		case <-time.After(10 * time.Second):
			t.Fatalf("rank %d not waiting within 10 s", rank)
		}
	}
	release()
	var got []int64
	for range 5 {
		got = append(got, <-order)
	}
	if want := []int64{10, 10, 20, 20, 30}; !slices.Equal(got, want) {
		t.Errorf("served ranks %v; want %v", got, want)
	}
}

// SetTestHookWait has f told of each page of s that has to wait for a reading slot, with its
// application, once it waits (for the tests of package intake_test). Call it before s runs.
func SetTestHookWait(s *Service, f func(applicationID string)) { s.turns.testHookWait = f }
