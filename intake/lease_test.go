package intake_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"shenbao/doc"
	"shenbao/intake"
)

// gateReader reads a file as one page once its gate opens, or gives up when its context ends; it
// says when a reading starts and how it ended.
type gateReader struct {
	started chan struct{}
	gate    chan struct{}
	ended   chan error
}

func (r *gateReader) Recognize(ctx context.Context, path, contentType string) ([]doc.Page, error) {
	r.started <- struct{}{}
	select {
	case <-r.gate:
		r.ended <- nil
		return []doc.Page{{Number: 1, Width: 1000, Height: 1400}}, nil
	case <-ctx.Done():
		r.ended <- context.Cause(ctx)
		return nil, ctx.Err()
	}
}

// While a process reads a document it renews its lease; once another process has taken the document
// over (the lease ran out, as far as the store could tell), the first stops reading it and stores
// nothing over the new holder's claim.
func TestLeaseRenewedAndLost(t *testing.T) {
	ctx := context.Background()
	dir, blobs, store := embeddedStores(t)
	rec := &gateReader{started: make(chan struct{}, 1), gate: make(chan struct{}), ended: make(chan error, 1)}
	const lease = 300 * time.Millisecond
	svc := intake.NewService(blobs, store, rec, slog.New(slog.DiscardHandler), time.Now, intake.Config{TempDir: dir, PollEvery: 20 * time.Millisecond, Documents: 1, Lease: lease})
	a := createApp(t, svc)
	d, _, err := svc.Upload(ctx, applicant, a.ID, "a.jpg", strings.NewReader(jpeg))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- svc.Run(runCtx) }()
	halt := sync.OnceFunc(func() {
		stop()
		<-done
	})
	defer halt()
	wait := func(what string, ch <-chan struct{}) {
		t.Helper()
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: not within 10 s", what)
		}
	}
	wait("the reading starts", rec.started)
	first := document(t, svc, d.ID)
	if first.Status != intake.StatusProcessing || first.Owner == "" || first.LeaseUntil.IsZero() {
		t.Fatalf("claimed: %s, owner %q, lease %v; want processing under a lease", first.Status, first.Owner, first.LeaseUntil)
	}

	// The heartbeat moves the lease's end on.
	renewed := make(chan struct{})
	go func() {
		for document(t, svc, d.ID).LeaseUntil.Sub(first.LeaseUntil) < lease {
			time.Sleep(20 * time.Millisecond)
		}
		close(renewed)
	}()
	wait("the lease renewed past its first end by a lease", renewed)

	// Another process finds the lease run out (a pause longer than the lease, say) and claims it.
	held := document(t, svc, d.ID)
	at := held.LeaseUntil.Add(time.Millisecond)
	thief, err := store.ClaimDocument(ctx, "other/1", at, at.Add(time.Hour))
	if err != nil || thief.ID != d.ID || thief.Attempts != 2 {
		t.Fatalf("claim by another process: %v, %v; want %s at its second attempt", thief, err, d.ID)
	}
	select {
	case err := <-rec.ended:
		if err == nil || !strings.Contains(err.Error(), "lease lost") {
			t.Errorf("the first reading ended with %v; want the lease lost", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the first process still reads the document 10 s after losing it")
	}
	close(rec.gate)
	halt()
	got := document(t, svc, d.ID)
	if got.Status != intake.StatusProcessing || got.Owner != "other/1" || got.Attempts != 2 || !got.LeaseUntil.Equal(at.Add(time.Hour)) {
		t.Errorf("after the first process gave up: %s, owner %q, attempts %d, lease %v; want processing, other/1, 2, %v",
			got.Status, got.Owner, got.Attempts, got.LeaseUntil, at.Add(time.Hour))
	}
	if pages, err := store.Pages(ctx, d.ID); err != nil || len(pages) != 0 {
		t.Errorf("pages stored by the process that lost the lease: %d, %v; want none", len(pages), err)
	}
}

// Claims take turns across applications too: with two documents in progress at once, one applicant's
// four waiting documents take one of the two and another applicant's document, uploaded last, the
// other, instead of waiting until one of the four is done.
func TestClaimsFairAcrossApplications(t *testing.T) {
	ctx := context.Background()
	rec := &pageReader{slow: 10 * time.Millisecond}
	svc := faultService(t, rec, intake.Config{Workers: 1, Documents: 2})
	a := createApp(t, svc)
	other := intake.Principal{UserID: "usr_other", Name: "林芝市创业服务中心", Role: intake.RoleApplicant}
	b, err := svc.CreateApplication(ctx, other, intake.NewApplication{OrgName: "林芝市创业服务中心", Region: "林芝市", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if _, _, err := svc.Upload(ctx, applicant, a.ID, fmt.Sprintf("审计报告%d.pdf", i), strings.NewReader(pdfWith(fmt.Sprintf("long%d", i), 5))); err != nil {
			t.Fatal(err)
		}
	}
	small, _, err := svc.Upload(ctx, other, b.ID, "执照.pdf", strings.NewReader(pdfWith("small", 1)))
	if err != nil {
		t.Fatal(err)
	}
	runUntil(t, svc, func() bool { return status(t, svc, small.ID) == intake.StatusDone })
	rec.mu.Lock()
	log := slices.Clone(rec.log)
	rec.mu.Unlock()
	t.Logf("reader's log: %v", log)
	for _, e := range log {
		if e == "start small" {
			break
		}
		if e != "start long0" && strings.HasPrefix(e, "start long") {
			t.Fatalf("the applicant's %s began before the other applicant's document (reader's log %v); want the other's document claimed second", strings.TrimPrefix(e, "start "), log)
		}
	}
}
