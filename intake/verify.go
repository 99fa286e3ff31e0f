package intake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"shenbao/internal/bagit"
)

// The log is a hash chain (EventHash): each event holds the hash of the one before. A rewrite of the
// metadata store can recompute the whole chain, so its head is also written, once a day, as an
// object of the blob store (AnchorKey), whose objects are never rewritten (and kept under retention on
// MinIO): verify checks the chain against every anchor it finds.

// AnchorKey is the blob key of the log's anchored head of a day: "audit/heads/2026-12-02.json".
func AnchorKey(day time.Time) string {
	return "audit/heads/" + day.In(chinaTime).Format(time.DateOnly) + ".json"
}

// Anchor is an anchored head of the log.
type Anchor struct {
	Seq  int64     `json:"seq"`
	Hash string    `json:"hash"`
	At   time.Time `json:"at"`
}

// AnchorLog writes the log's current head as today's anchor, if today has none yet, and returns it.
// Run calls it hourly; archiving calls it too.
func (s *Service) AnchorLog(ctx context.Context) (*Anchor, error) {
	evs, _, err := s.store.ListEvents(ctx, EventQuery{ListOptions: ListOptions{Limit: 1}})
	if err != nil || len(evs) == 0 {
		return nil, err
	}
	a := &Anchor{Seq: evs[0].Seq, Hash: evs[0].Hash, At: s.now().UTC()}
	b, _ := json.Marshal(a)
	sum := sha256.Sum256(b)
	key := AnchorKey(s.now())
	if _, err := s.blobs.Stat(ctx, key); err == nil {
		return nil, nil // today's head is anchored already; objects are never rewritten
	}
	if err := s.blobs.Put(ctx, key, bytes.NewReader(b), int64(len(b)), hex.EncodeToString(sum[:])); err != nil {
		return nil, fmt.Errorf("anchor the log: %w", err)
	}
	if r, ok := s.blobs.(Retainer); ok {
		if err := r.Retain(ctx, key, s.now().AddDate(s.cfg.RetentionYears, 0, 0)); err != nil {
			return nil, fmt.Errorf("retain the anchor: %w", err)
		}
	}
	return a, nil
}

// Finding is one check of Verify: what was checked, of which object, and what was wrong ("" if
// nothing).
type Finding struct {
	Check   string // "chain", "anchor", "original"
	Object  string // an event's number, an anchor's key, a document's id
	Problem string // "" when the check passed
}

// VerifyReport is what Verify found.
type VerifyReport struct {
	Events, Anchors, Originals, Packages int
	Failures                             []Finding
	Notes                                []string // what could not be checked, and why
}

// OK reports whether every check passed.
func (r *VerifyReport) OK() bool { return len(r.Failures) == 0 }

// Verify checks the archive (staff and auditors): the log's chain (numbers 1…n without a gap, each
// event's hash of its content, each link to the event before), the chain against every anchored head,
// and, of every application (or of one, when applicationID is set), each document's original against
// its SHA-256.
func (s *Service) Verify(ctx context.Context, p Principal, applicationID string) (*VerifyReport, error) {
	if p.Role != RoleStaff && p.Role != RoleAuditor {
		return nil, forbidden("只有经信厅工作人员和审计人员可以核验档案。")
	}
	r := &VerifyReport{}
	fail := func(check, object, format string, args ...any) {
		r.Failures = append(r.Failures, Finding{check, object, fmt.Sprintf(format, args...)})
	}
	// The whole log, oldest first.
	evs, err := s.allEvents(ctx, "")
	if err != nil {
		return nil, err
	}
	r.Events = len(evs)
	// The packages: each archived one is there, with the SHA-256 its event holds, and a valid bag.
	for _, e := range evs {
		if e.Action != "application.archive" || (applicationID != "" && e.ApplicationID != applicationID) {
			continue
		}
		r.Packages++
		if problem := s.checkPackage(ctx, e.Object, e.Digest); problem != "" {
			fail("package", e.Object, "%s", problem)
		}
	}
	bySeq := map[int64]*Event{}
	prev := ""
	for i, e := range evs {
		bySeq[e.Seq] = e
		if want := int64(i + 1); e.Seq != want {
			fail("chain", fmt.Sprint(want), "event %d is missing (the next is %d)", want, e.Seq)
			prev = e.Prev // go on from here
		}
		if e.Hash != EventHash(e) {
			fail("chain", fmt.Sprint(e.Seq), "event %d was altered: its content does not hash to the hash it holds", e.Seq)
		}
		if e.Prev != prev {
			fail("chain", fmt.Sprint(e.Seq), "event %d does not link to event %d", e.Seq, e.Seq-1)
		}
		prev = e.Hash
	}
	// The anchors: one per day from the first event's day to today.
	if len(evs) > 0 {
		for d := dateOf(evs[0].At); !d.After(dateOf(s.now())); d = d.AddDate(0, 0, 1) {
			key := AnchorKey(d)
			rc, err := s.blobs.Get(ctx, key)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			var a Anchor
			err = json.NewDecoder(io.LimitReader(rc, 4096)).Decode(&a)
			rc.Close()
			r.Anchors++
			switch e := bySeq[a.Seq]; {
			case err != nil:
				fail("anchor", key, "unreadable: %v", err)
			case e == nil:
				fail("anchor", key, "anchors event %d, which the log no longer has", a.Seq)
			case e.Hash != a.Hash:
				fail("anchor", key, "anchors event %d with another hash: the log was rewritten after %s", a.Seq, a.At.Format(time.RFC3339))
			}
		}
	}
	if a, ok := s.blobs.(StoreAuditor); ok {
		for _, p := range a.AuditStore(ctx) {
			fail("store", "blobs", "%s", p)
		}
	}
	if _, ok := s.blobs.(Retainer); !ok {
		r.Notes = append(r.Notes, "the blob store (local disk) keeps no retention: originals are read-only files, which an administrator of the machine can still change; verify's SHA-256 checks would show it")
	}
	// The originals: of one application, or of all.
	var apps []*Application
	if applicationID != "" {
		a, err := s.application(ctx, p, applicationID)
		if err != nil {
			return nil, err
		}
		apps = []*Application{a}
	} else if apps, err = s.allApplications(ctx, ApplicationQuery{}, 0); err != nil {
		return nil, err
	}
	for _, a := range apps {
		docs, err := s.store.ListDocuments(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			r.Originals++
			if ret, ok := s.blobs.(Retainer); ok && (decided(a.State) || a.State == StateRevoked || a.State == StateExpired) {
				until, _, err := ret.Retention(ctx, d.BlobKey)
				if err != nil {
					fail("retention", d.ID, "retention unknown: %v", err)
				} else if !until.After(s.now()) {
					fail("retention", d.ID, "%s of a decided application (%s) is not under retention", d.FileName, a.ID)
				}
			}
			if problem, err := s.originalProblem(ctx, d); err != nil {
				fail("original", d.ID, "cannot be read: %v", err)
			} else if problem != "" {
				fail("original", d.ID, "%s (%s) %s", d.FileName, a.ID, problem)
			}
		}
	}
	return r, nil
}

// checkPackage says what is wrong with the package under key, or "".
func (s *Service) checkPackage(ctx context.Context, key, sum string) string {
	rc, err := s.blobs.Get(ctx, key)
	if err != nil {
		return fmt.Sprintf("cannot be opened: %v", err)
	}
	defer rc.Close()
	h := sha256.New()
	rep, err := bagit.Validate(io.TeeReader(rc, h))
	if err != nil {
		return fmt.Sprintf("unreadable: %v", err)
	}
	io.Copy(h, rc)
	if hex.EncodeToString(h.Sum(nil)) != sum {
		return "differs from what was archived: SHA-256 changed"
	}
	if !rep.Valid() {
		return fmt.Sprintf("not a valid bag: %v", rep.Problems)
	}
	return ""
}
