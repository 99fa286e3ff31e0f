package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"
)

// Originals are verified wherever they are read: every read of an original (served to people, fetched
// for reading or drawing) goes through openOriginal, which checks the bytes against the SHA-256 and
// size they were uploaded with as they stream, and a periodic scrub (Scrub, ScrubLoop) re-hashes every
// original in the blob store, so that one that went missing or changed is found without anyone asking
// for it.

// errCorruptOriginal is what a missing or changed original gives its reader.
var errCorruptOriginal = &Error{Code: "original_corrupt", Message: "该材料的原件缺失或与上传时不一致（校验失败），已记录，请联系经信厅。", Err: ErrCorrupt}

// openOriginal opens the original under key, which was uploaded with size bytes of SHA-256 sum, as a
// reader that checks them as it streams. A missing original is logged as an error and reported as
// ErrCorrupt at once; a changed one when its reader comes to the end (or past the size): its Read then
// returns ErrCorrupt instead of the last byte, so that whoever copies it never holds all of the bytes
// it claims to be. object names the original in the log (a document's or a filing's id).
func (s *Service) openOriginal(ctx context.Context, object, key string, size int64, sum string) (io.ReadCloser, error) {
	rc, err := s.blobs.Get(ctx, key)
	if errors.Is(err, ErrNotFound) {
		s.log.ErrorContext(ctx, "ORIGINAL MISSING: the blob store has no object for a stored record", "object", object, "key", key)
		return nil, errCorruptOriginal
	}
	if err != nil {
		return nil, fmt.Errorf("open original of %s: %w", object, err)
	}
	return &verifyingReader{rc: rc, h: sha256.New(), size: size, sum: sum, bad: func(problem string) {
		s.log.ErrorContext(ctx, "ORIGINAL CORRUPT: not served, the stored bytes differ from what was uploaded", "object", object, "key", key, "problem", problem)
	}}, nil
}

// verifyingReader passes an original through while hashing it, and holds back its last byte until the
// whole has been hashed and found to be what was uploaded.
type verifyingReader struct {
	rc   io.ReadCloser
	h    hash.Hash
	size int64  // bytes uploaded
	sum  string // their hex SHA-256
	n    int64  // bytes passed on
	err  error  // sticky: io.EOF once verified, or the error given
	bad  func(problem string)
}

func (v *verifyingReader) Read(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if left := v.size - v.n; left > 1 {
		// Pass on anything but the last byte.
		if int64(len(p)) > left-1 {
			p = p[:left-1]
		}
		n, err := v.rc.Read(p)
		v.h.Write(p[:n])
		v.n += int64(n)
		if err == io.EOF {
			return n, v.fail(fmt.Sprintf("shorter than uploaded: %d bytes of %d", v.n, v.size))
		}
		if err != nil {
			v.err = err
		}
		return n, err
	}
	// The last byte (if any), then the end: read both before passing the byte on.
	var last [1]byte
	got := 0
	if v.size > v.n {
		n, err := io.ReadFull(v.rc, last[:])
		got = n
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return 0, v.fail(fmt.Sprintf("shorter than uploaded: %d bytes of %d", v.n, v.size))
		}
		if err != nil {
			v.err = err
			return 0, err
		}
		v.h.Write(last[:])
	}
	var more [1]byte
	switch n, err := io.ReadFull(v.rc, more[:]); {
	case n > 0:
		return 0, v.fail(fmt.Sprintf("longer than the %d bytes uploaded", v.size))
	case err != io.EOF:
		v.err = err
		return 0, err
	}
	if got := hex.EncodeToString(v.h.Sum(nil)); got != v.sum {
		return 0, v.fail("SHA-256 " + got + ", uploaded with " + v.sum)
	}
	v.err = io.EOF
	if got == 0 {
		return 0, io.EOF
	}
	p[0] = last[0]
	v.n++
	return 1, nil
}

func (v *verifyingReader) fail(problem string) error {
	v.bad(problem)
	v.err = errCorruptOriginal
	return v.err
}

func (v *verifyingReader) Close() error { return v.rc.Close() }

// ScrubReport is what a scrub of the blob store found.
type ScrubReport struct {
	Start    time.Time
	Duration time.Duration
	// Documents is how many documents' originals were checked, Filings how many filings' files (the
	// yearly duties handed in), Objects how many distinct objects were re-hashed for them (documents
	// and filings with the same bytes share one object).
	Documents, Filings, Objects int
	// Missing and Corrupt are the ids of the documents and filings (fil_…) whose original is missing
	// from the blob store, or no longer the bytes uploaded (SHA-256 or size changed).
	Missing, Corrupt []string
	// Orphans are the keys of originals in the blob store that no document or filing names (an
	// upload that stored its original and could not record its document, in a process that stopped
	// before removing it; or an object put there by hand). They are reported, never removed: nothing
	// is lost, but someone should look. Listed is false when the blob store cannot list its objects
	// (no BlobLister): orphans were then not looked for.
	Orphans []string
	Listed  bool
	// Err is why the scrub stopped before the end (a store that did not answer), "" if it went through.
	Err string
}

// OK reports whether the scrub went through and found every original as uploaded. Orphans do not
// make it fail: nothing of anyone's is missing or changed.
func (r *ScrubReport) OK() bool { return r.Err == "" && len(r.Missing) == 0 && len(r.Corrupt) == 0 }

// BlobLister is a BlobStore that can list its keys: an optional capability, used by the scrub to find
// originals that no document or filing names.
type BlobLister interface {
	// List calls fn with each key under prefix ("" for all) and its size until fn returns an error,
	// which List returns.
	List(ctx context.Context, prefix string, fn func(key string, size int64) error) error
}

// originalsPrefix is the part of the blob key that every original's key begins with (BlobKey).
const originalsPrefix = "originals/"

// Scrub re-hashes the original of every document and every filing in the blob store (with Verify's
// check of an original) and reports the ones missing or changed, each also logged as an error; and,
// when the blob store can list its objects, the originals that nothing names (orphans), each logged
// as a warning. It removes nothing. An error of the stores stops it: the report then says how far it
// came, and the error is returned too.
func (s *Service) Scrub(ctx context.Context) (*ScrubReport, error) {
	r := &ScrubReport{Start: s.now()}
	start := time.Now()
	defer func() { r.Duration = time.Since(start) }()
	stop := func(err error) (*ScrubReport, error) {
		r.Err = err.Error()
		return r, fmt.Errorf("scrub: %w", err)
	}
	// The originals in the store are listed before the records are read, so that an upload under way
	// (its original stored, its document recorded a moment later) is not taken for an orphan.
	stored := map[string]bool{}
	if l, ok := s.blobs.(BlobLister); ok {
		err := l.List(ctx, originalsPrefix, func(key string, _ int64) error {
			stored[key] = true
			return nil
		})
		if err != nil {
			return stop(fmt.Errorf("list originals: %w", err))
		}
		r.Listed = true
	}
	named := map[string]bool{}
	seen := map[string]string{} // the problem of each key checked ("" if none)
	check := func(d *Document, applicationID string) error {
		named[d.BlobKey] = true
		key := d.BlobKey + "\x00" + d.SHA256 + fmt.Sprint(d.Size)
		problem, done := seen[key]
		if !done {
			r.Objects++
			var err error
			if _, problem, err = s.verifyOriginal(ctx, d, nil); err != nil {
				return err
			}
			seen[key] = problem
		}
		if problem == "" {
			return nil
		}
		s.log.ErrorContext(ctx, "SCRUB: original missing or corrupt", "object", d.ID, "application", applicationID, "key", d.BlobKey, "problem", problem)
		if _, err := s.blobs.Stat(ctx, d.BlobKey); errors.Is(err, ErrNotFound) {
			r.Missing = append(r.Missing, d.ID)
		} else {
			r.Corrupt = append(r.Corrupt, d.ID)
		}
		return nil
	}
	apps, err := s.allApplications(ctx, ApplicationQuery{}, 0)
	if err != nil {
		return stop(fmt.Errorf("list applications: %w", err))
	}
	for _, a := range apps {
		docs, err := s.store.ListDocuments(ctx, a.ID)
		if err != nil {
			return stop(fmt.Errorf("list documents of %s: %w", a.ID, err))
		}
		for _, d := range docs {
			r.Documents++
			if err := check(d, a.ID); err != nil {
				return stop(err)
			}
		}
	}
	// Filings report on a year from 2000 to this one (HandIn refuses others).
	for year := 2000; year <= s.now().Year()+1; year++ {
		filings, err := s.store.ListFilings(ctx, year)
		if err != nil {
			return stop(fmt.Errorf("list filings of %d: %w", year, err))
		}
		for _, f := range filings {
			r.Filings++
			if err := check(&Document{ID: f.ID, BlobKey: f.BlobKey, Size: f.Size, SHA256: f.SHA256}, f.ApplicationID); err != nil {
				return stop(err)
			}
		}
	}
	s.orphans.mu.Lock()
	using := maps.Clone(s.orphans.using)
	s.orphans.mu.Unlock()
	for key := range stored {
		if named[key] || using[key] > 0 {
			continue
		}
		r.Orphans = append(r.Orphans, key)
		s.log.WarnContext(ctx, "SCRUB: an original that no document or filing names (kept; look into it)", "key", key)
	}
	slices.Sort(r.Orphans)
	return r, nil
}

// ScrubLoop runs Scrub every Every (none when Every is 0) and keeps the last report for /readyz.
type ScrubLoop struct {
	svc   *Service
	every time.Duration
	log   *slog.Logger

	mu   sync.Mutex
	last *ScrubReport
}

// NewScrubLoop scrubs svc's blob store every every; 0 turns the scrub off.
func NewScrubLoop(svc *Service, every time.Duration) *ScrubLoop {
	return &ScrubLoop{svc: svc, every: every, log: svc.log}
}

// Every is the interval of the scrub (0: off).
func (l *ScrubLoop) Every() time.Duration { return l.every }

// Last returns the report of the last scrub, nil before the first has ended.
func (l *ScrubLoop) Last() *ScrubReport {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last
}

// Run scrubs at once and then every interval until ctx ends. A scrub stopped by a store that does
// not answer is tried again after a tenth of the interval (at most an hour).
func (l *ScrubLoop) Run(ctx context.Context) {
	if l.every <= 0 {
		return
	}
	for {
		r, err := l.svc.Scrub(ctx)
		if ctx.Err() != nil {
			return
		}
		l.mu.Lock()
		l.last = r
		l.mu.Unlock()
		wait := l.every
		switch {
		case err != nil:
			l.log.WarnContext(ctx, "scrub stopped", "checked", r.Objects, "err", err)
			wait = min(l.every/10, time.Hour)
		case r.OK():
			l.log.InfoContext(ctx, "scrub: every original as uploaded", "documents", r.Documents, "filings", r.Filings, "objects", r.Objects, "orphans", len(r.Orphans), "ms", r.Duration.Milliseconds())
		default:
			l.log.ErrorContext(ctx, "SCRUB: originals missing or corrupt", "missing", len(r.Missing), "corrupt", len(r.Corrupt), "documents", r.Documents, "filings", r.Filings, "objects", r.Objects, "orphans", len(r.Orphans))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// Orphaned originals. An upload stores the original first and records its document second; when the
// metadata store does not answer in between, the upload is refused (503) and the original it stored
// is left without a record. Such an original is remembered, and removed by Run once the store answers
// again and shows no document of it — unless another upload or filing of the same bytes has come
// since (claim). Only originals that this upload was the first to store are remembered: bytes stored
// before belong to someone else. (A process that stops before the store answers forgets them.)

// BlobRemover is a BlobStore that can remove an object: an optional capability, used only to remove
// an original that an upload stored without its document.
type BlobRemover interface {
	// Remove removes the object under key; removing one that does not exist is not an error.
	Remove(ctx context.Context, key string) error
}

// orphanEvery is how often Run looks at the orphaned originals (when there are any).
const orphanEvery = 5 * time.Second

// orphans are the keys of originals stored by uploads whose document could not be recorded, and the
// uploads under way by key. The zero value is ready to use.
type orphans struct {
	mu      sync.Mutex
	pending map[string]bool
	using   map[string]int
}

// claim marks key as used by an upload or filing under way (until release) — and so no orphan — and
// reports whether the blob store has no object under key yet (the caller will store it first).
func (o *orphans) claim(ctx context.Context, blobs BlobStore, key string) (fresh bool, release func()) {
	o.mu.Lock()
	delete(o.pending, key)
	if o.using == nil {
		o.using = map[string]int{}
	}
	o.using[key]++
	o.mu.Unlock()
	_, err := blobs.Stat(ctx, key)
	return errors.Is(err, ErrNotFound), func() {
		o.mu.Lock()
		if o.using[key]--; o.using[key] <= 0 {
			delete(o.using, key)
		}
		o.mu.Unlock()
	}
}

// add remembers key as an original stored without its document.
func (o *orphans) add(key string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pending == nil {
		o.pending = map[string]bool{}
	}
	o.pending[key] = true
}

func (o *orphans) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.pending)
}

// removeOrphans removes orphaned originals every orphanEvery until ctx ends.
func (s *Service) removeOrphans(ctx context.Context) {
	tick := time.NewTicker(orphanEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if s.orphans.count() == 0 {
			continue
		}
		if err := s.RemoveOrphans(ctx); err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "originals stored without their document: not removed yet", "count", s.orphans.count(), "err", err)
		}
	}
}

// RemoveOrphans removes the originals that uploads stored without being able to record their document,
// unless a document of them exists after all (the record was written though its answer was lost) or
// an upload of the same bytes is under way. It returns an error of the stores (try again later).
func (s *Service) RemoveOrphans(ctx context.Context) error {
	if s.orphans.count() == 0 {
		return nil
	}
	recorded := map[string]bool{}
	apps, err := s.allApplications(ctx, ApplicationQuery{}, 0)
	if err != nil {
		return err
	}
	for _, a := range apps {
		docs, err := s.store.ListDocuments(ctx, a.ID)
		if err != nil {
			return err
		}
		for _, d := range docs {
			recorded[d.BlobKey] = true
		}
	}
	rm, canRemove := s.blobs.(BlobRemover)
	o := &s.orphans
	o.mu.Lock()
	defer o.mu.Unlock()
	for key := range o.pending {
		switch {
		case o.using[key] > 0:
			continue // an upload of the same bytes is under way: it will record it, or leave it pending
		case recorded[key]:
			s.log.InfoContext(ctx, "original recorded after all", "key", key)
		case !canRemove:
			s.log.WarnContext(ctx, "original stored without its document kept: the blob store cannot remove it", "key", key)
		default:
			if err := rm.Remove(ctx, key); err != nil {
				return fmt.Errorf("remove orphaned original: %w", err)
			}
			s.log.WarnContext(ctx, "removed an original stored without its document (the metadata store did not answer during its upload)", "key", key)
		}
		delete(o.pending, key)
	}
	return nil
}
