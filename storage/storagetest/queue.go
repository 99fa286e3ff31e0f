package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shenbao/intake"
)

// The queue's clock: claims are made at times the tests choose, so that a lease runs out without
// waiting for it.
var (
	now0  = t0.Add(time.Hour)
	lease = 3 * time.Second
)

// claim has owner claim a document at now, for a lease to now+lease, and checks it is want, which it
// updates to what the store must hold: processing under owner's lease, the attempt counted, updated at
// now.
func claim(t *testing.T, s intake.Store, owner string, now time.Time, want *intake.Document) {
	t.Helper()
	got, err := s.ClaimDocument(t.Context(), owner, now, now.Add(lease))
	if err != nil {
		t.Fatalf("ClaimDocument(%s at %s): %v; want %s", owner, now.Sub(now0), err, want.ID)
	}
	held(want, owner, now)
	if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
		t.Errorf("ClaimDocument(%s at %s) mismatch (-got +want):\n%s", owner, now.Sub(now0), diff)
	}
	if diff := cmp.Diff(getDocument(t, s, want.ID), want, cmpOpts); diff != "" {
		t.Errorf("GetDocument(%s) after its claim mismatch (-got +want):\n%s", want.ID, diff)
	}
}

// held makes d what a claim by owner at now makes of it: processing under owner's lease to now+lease,
// the attempt counted, updated at now.
func held(d *intake.Document, owner string, now time.Time) {
	d.Status, d.Owner, d.LeaseUntil, d.UpdatedAt = intake.StatusProcessing, owner, now.Add(lease), now
	d.Attempts++
}

func claimNone(t *testing.T, s intake.Store, now time.Time) {
	t.Helper()
	if d, err := s.ClaimDocument(t.Context(), "none", now, now.Add(lease)); !errors.Is(err, intake.ErrNotFound) {
		t.Fatalf("ClaimDocument at %s = %v, %v; want ErrNotFound", now.Sub(now0), d, err)
	}
}

func testClaimOldest(t *testing.T, s intake.Store) {
	newer := newDocument("doc-a-newer", "app-1", "newer", t0.Add(2*time.Minute))
	newer.Attempts = 2
	older := newDocument("doc-b-older", "app-2", "older", t0.Add(time.Minute))
	done := newDocument("doc-c-done", "app-1", "done", t0)
	read(done)
	for _, d := range []*intake.Document{newer, done, older} {
		addDocument(t, s, d)
	}
	claim(t, s, "p/1", now0, older)
	claim(t, s, "p/2", now0, newer)
	if newer.Attempts != 3 {
		t.Errorf("attempts of a document claimed the third time: %d; want 3", newer.Attempts)
	}
	claimNone(t, s, now0)
	checkDocument(t, s, done)
}

func testClaimNone(t *testing.T, s intake.Store) { claimNone(t, s, now0) }

func testQueueFollowsUpdates(t *testing.T, s intake.Store) {
	ctx := t.Context()
	d := newDocument("doc-1", "app-1", "content", t0)
	addDocument(t, s, d)

	d.Status, d.Reason = intake.StatusFailed, "人工标记"
	if err := s.UpdateDocument(ctx, d); err != nil {
		t.Fatalf("UpdateDocument: %v", err)
	}
	claimNone(t, s, now0)

	d.Status, d.Reason = intake.StatusReceived, ""
	if err := s.UpdateDocument(ctx, d); err != nil {
		t.Fatalf("UpdateDocument: %v", err)
	}
	claim(t, s, "p/1", now0, d)
	claimNone(t, s, now0)

	// Put back (a process shutting down): waiting again at once, its lease gone, its last claim kept.
	d.Status = intake.StatusReceived
	if err := s.UpdateDocument(ctx, d); err != nil {
		t.Fatalf("UpdateDocument back to received: %v", err)
	}
	d.LeaseUntil = time.Time{}
	checkDocument(t, s, d)
	claim(t, s, "q/1", now0, d)
}

func testClaimConcurrent(t *testing.T, s intake.Store) {
	const docs, workers = 12, 4
	for i := range docs {
		addDocument(t, s, newDocument(fmt.Sprintf("doc-%02d", i), fmt.Sprintf("app-%d", i%3), fmt.Sprint(i), t0.Add(time.Duration(i)*time.Second)))
	}
	var (
		mu      sync.Mutex
		claimed = map[string]int{}
		wg      sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			for n := 1; ; n++ {
				owner := fmt.Sprintf("w%d/%d", w, n)
				d, err := s.ClaimDocument(t.Context(), owner, now0, now0.Add(lease))
				if errors.Is(err, intake.ErrNotFound) {
					return
				}
				if err != nil {
					t.Errorf("ClaimDocument: %v", err)
					return
				}
				mu.Lock()
				claimed[d.ID]++
				mu.Unlock()
				if d.Status != intake.StatusProcessing || d.Attempts != 1 || d.Owner != owner {
					t.Errorf("ClaimDocument gave %s with status %s, attempts %d, owner %q; want processing, 1, %q", d.ID, d.Status, d.Attempts, d.Owner, owner)
				}
			}
		})
	}
	wg.Wait()
	for id, n := range claimed {
		if n != 1 {
			t.Errorf("%s was claimed %d times; want once", id, n)
		}
	}
	if len(claimed) != docs {
		t.Errorf("%d documents were claimed; want %d", len(claimed), docs)
	}
}

// A document whose lease ran out (its process died) is claimed again, by another process, counting the
// attempt; one whose lease runs is not, however many claims come.
func testLeaseExpiry(t *testing.T, s intake.Store) {
	d1 := newDocument("doc-1", "app-1", "1", t0)
	d2 := newDocument("doc-2", "app-1", "2", t0.Add(time.Minute))
	d3 := newDocument("doc-3", "app-1", "3", t0.Add(2*time.Minute))
	done := newDocument("doc-4", "app-1", "4", t0.Add(3*time.Minute))
	read(done)
	for _, d := range []*intake.Document{d1, d2, d3, done} {
		addDocument(t, s, d)
	}
	claim(t, s, "dead/1", now0, d1)
	claim(t, s, "dead/2", now0, d2)

	// Within the lease, only the third is waiting.
	claim(t, s, "live/1", now0.Add(lease-time.Second), d3)
	claimNone(t, s, now0.Add(lease-time.Second))

	// Past it, the dead process's two come back, oldest first; the live one's lease (to 2×lease-1s)
	// still runs.
	after := now0.Add(lease + time.Second)
	claim(t, s, "live/2", after, d1)
	claim(t, s, "live/3", after, d2)
	if d1.Attempts != 2 || d2.Attempts != 2 {
		t.Errorf("attempts after a reclaim: %d, %d; want 2, 2", d1.Attempts, d2.Attempts)
	}
	claimNone(t, s, after)
	checkDocument(t, s, done)
}

// A heartbeat keeps a document its process's past the lease it was claimed with.
func testRenewalKeepsLease(t *testing.T, s intake.Store) {
	ctx := t.Context()
	d := newDocument("doc-1", "app-1", "1", t0)
	addDocument(t, s, d)
	claim(t, s, "p/1", now0, d)
	for i := 1; i <= 3; i++ {
		until := now0.Add(time.Duration(i)*lease/2 + lease)
		if err := s.RenewLease(ctx, d.ID, "p/1", until); err != nil {
			t.Fatalf("RenewLease %d: %v", i, err)
		}
		d.LeaseUntil = until
	}
	claimNone(t, s, now0.Add(2*lease)) // the first lease's end long past
	checkDocument(t, s, d)

	// Writes of the holder (progress) keep the lease, whatever lease its copy has.
	mine := *d
	mine.PagesDone, mine.LeaseUntil = 1, time.Time{}
	if err := s.UpdateDocument(ctx, &mine); err != nil {
		t.Fatalf("UpdateDocument by the holder: %v", err)
	}
	mine.LeaseUntil = d.LeaseUntil
	checkDocument(t, s, &mine)
	claimNone(t, s, now0.Add(2*lease))

	// Once the renewals stop, the last lease runs out.
	claim(t, s, "q/1", d.LeaseUntil.Add(time.Millisecond), &mine)

	if err := s.RenewLease(ctx, "doc-none", "q/1", now0); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("RenewLease of no document: %v; want ErrNotFound", err)
	}
}

// A process that lost its lease can neither renew it nor store anything over the new holder's work;
// the new holder can, and its outcome ends the lease.
func testStaleOwner(t *testing.T, s intake.Store) {
	ctx := t.Context()
	d := newDocument("doc-1", "app-1", "1", t0)
	addDocument(t, s, d)
	stale := *d
	claim(t, s, "old/1", now0, &stale)
	holder := *d
	holder.Attempts = stale.Attempts
	claim(t, s, "new/1", now0.Add(lease+time.Second), &holder)

	if err := s.RenewLease(ctx, d.ID, "old/1", now0.Add(10*lease)); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("RenewLease by the process that lost the lease: %v; want ErrConflict", err)
	}
	read(&stale)
	if err := s.UpdateDocument(ctx, &stale); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("UpdateDocument by the process that lost the lease: %v; want ErrConflict", err)
	}
	stale.Status, stale.PagesDone = intake.StatusProcessing, 1
	if err := s.UpdateDocument(ctx, &stale); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("UpdateDocument (progress) by the process that lost the lease: %v; want ErrConflict", err)
	}
	checkDocument(t, s, &holder)
	claimNone(t, s, now0.Add(lease+2*time.Second))

	// The holder's outcome: done, its lease over, who read it kept.
	done := holder
	read(&done)
	done.Attempts = holder.Attempts
	if err := s.UpdateDocument(ctx, &done); err != nil {
		t.Fatalf("UpdateDocument by the holder: %v", err)
	}
	done.LeaseUntil = time.Time{}
	checkDocument(t, s, &done)
	if err := s.RenewLease(ctx, d.ID, "new/1", now0.Add(10*lease)); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("RenewLease of a done document: %v; want ErrConflict", err)
	}
	read(&stale)
	if err := s.UpdateDocument(ctx, &stale); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("UpdateDocument by the process that lost the lease, after the holder's outcome: %v; want ErrConflict", err)
	}
	checkDocument(t, s, &done)
	claimNone(t, s, now0.Add(100*lease))
}

// Claims prefer an application none of whose documents is being read, then the oldest: one applicant's
// many documents do not keep another's waiting.
func testClaimFair(t *testing.T, s intake.Store) {
	var many []*intake.Document
	for i := range 4 {
		d := newDocument(fmt.Sprintf("doc-many-%d", i), "app-many", fmt.Sprint("many", i), t0.Add(time.Duration(i)*time.Minute))
		many = append(many, d)
		addDocument(t, s, d)
	}
	one := newDocument("doc-one", "app-one", "one", t0.Add(10*time.Minute))
	other := newDocument("doc-other", "app-other", "other", t0.Add(11*time.Minute))
	addDocument(t, s, one)
	addDocument(t, s, other)

	claim(t, s, "p/1", now0, many[0])
	claim(t, s, "p/2", now0, one)   // not many[1]: app-many is being read
	claim(t, s, "p/3", now0, other) // app-many and app-one are being read
	claim(t, s, "p/4", now0, many[1])

	// A lease run out does not count as being read: its application's documents are first again.
	later := newDocument("doc-later", "app-later", "later", t0.Add(20*time.Minute))
	addDocument(t, s, later)
	past := now0.Add(lease + time.Second)
	claim(t, s, "q/1", past, many[0]) // every lease has run out: the oldest waiting
	claim(t, s, "q/2", past, one)
	claim(t, s, "q/3", past, other)
	claim(t, s, "q/4", past, later)
	claim(t, s, "q/5", past, many[1])
	claim(t, s, "q/6", past, many[2])
}
