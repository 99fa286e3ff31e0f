// Package bolt is Shenbao's embedded default metadata store: an intake.Store in one file on local disk,
// on go.etcd.io/bbolt.
//
// Why bbolt: it is pure Go (only ocr needs cgo), one small dependency that builds fast, and its ACID
// transactions, serialised for writers, make the two rules that must be atomic simple: AddDocument checks
// the (application, sha256) uniqueness and stores the document in one transaction, and ClaimDocument picks
// a waiting document and marks it processing under its claimant's lease in one, so no two workers get the
// same document.
// The file is locked by one process at a time; run several processes or hosts on the mongo backend.
//
// # Buckets and keys
//
// Records are JSON of this package's record types (the domain types carry no tags). In keys, T(t) is the
// time t in UTC as the 30 bytes "2006-01-02T15:04:05.000000000Z", so byte order is time order; NUL (0x00)
// separates the parts of a key, so ids may not contain it; n32 and n64 are numbers as 4 or 8 bytes big
// endian, so byte order is number order.
//
//	applications          id                              → application record
//	applications_created  T(created) id                   → id     ListApplications walks it from the end;
//	                                                               with conditions it reads and filters
//	                                                               every application, a scan the embedded
//	                                                               default affords (mongo uses indexes)
//	documents             id                              → document record
//	documents_app         application NUL T(uploaded) id  → id     ListDocuments, in upload order
//	documents_sha         application NUL sha256          → id     AddDocument's uniqueness
//	documents_status      status NUL T(uploaded) id       → id     the queue: ClaimDocument walks the
//	                                                               "received" keys and the "processing"
//	                                                               ones whose lease ran out
//	pages                 document NUL n32(number)        → page record
//	users                 id                              → user record
//	users_login           login                           → id     CreateUser's uniqueness, GetUserByLogin,
//	                                                               ListUsers in login order
//	sessions              id (the token's hash)           → session record
//	sessions_user         user NUL id                     → kind   DeleteUserSessions
//	events                n64(seq)                        → event record; seq is the bucket's sequence,
//	                                                               taken in the appending transaction
//	events_app            application NUL n64(seq)        → n64(seq)   ListEvents of an application
//	rounds                n32(year)                       → round record
//
// Every write keeps the records and their index entries in the same transaction, so the uniqueness of
// logins and the gapless numbering of events hold under concurrent writers (bbolt runs one at a time).
//
// Records written before applications had a state (no "state") load as draft, or submitted if they were
// submitted; reviews written when "by" was a name load with that name as the actor's.
package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	bbolt "go.etcd.io/bbolt"

	"shenbao/doc"
	"shenbao/intake"
)

var _ intake.Store = (*Store)(nil)

// defaultLimit is the page size of the lists when ListOptions.Limit is 0.
const defaultLimit = 50

var (
	bucketApps        = []byte("applications")
	bucketAppsCreated = []byte("applications_created")
	bucketDocs        = []byte("documents")
	bucketDocsApp     = []byte("documents_app")
	bucketDocsSHA     = []byte("documents_sha")
	bucketDocsStatus  = []byte("documents_status")
	bucketPages       = []byte("pages")
	bucketUsers       = []byte("users")
	bucketUsersLogin  = []byte("users_login")
	bucketSessions    = []byte("sessions")
	bucketSessionsUsr = []byte("sessions_user")
	bucketEvents      = []byte("events")
	bucketEventsApp   = []byte("events_app")
	bucketRounds      = []byte("rounds")
	allBuckets        = [][]byte{bucketApps, bucketAppsCreated, bucketDocs, bucketDocsApp, bucketDocsSHA, bucketDocsStatus,
		bucketPages, bucketUsers, bucketUsersLogin, bucketSessions, bucketSessionsUsr, bucketEvents, bucketEventsApp, bucketRounds}
)

// Store is the metadata store in one bbolt file. It is safe for concurrent use.
type Store struct {
	db *bbolt.DB
}

// Open opens the store in the file path (made private to the service's user: 0600), creating it and
// its buckets if needed. It returns ErrUnavailable
// if another process holds the file for more than a second.
func Open(path string) (*Store, error) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, bbolt.ErrTimeout) {
			return nil, fmt.Errorf("bolt open %s: locked by another process: %w: %w", path, intake.ErrUnavailable, err)
		}
		return nil, fmt.Errorf("bolt open %s: %w", path, err)
	}
	// Private to the service's user, also when an older version made the file readable by others.
	if err := os.Chmod(path, 0o600); err != nil {
		db.Close()
		return nil, fmt.Errorf("bolt open %s: %w", path, err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("bucket %s: %w", name, err)
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("bolt open %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the file.
func (s *Store) Close(ctx context.Context) error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("bolt close: %w", err)
	}
	return nil
}

// Ping reports whether the file is open. It returns ErrUnavailable after Close.
func (s *Store) Ping(ctx context.Context) error {
	return s.view(ctx, "ping", func(tx *bbolt.Tx) error { return nil })
}

// view and update run f in a read or read-write transaction after checking ctx, and wrap its error.
func (s *Store) view(ctx context.Context, op string, f func(*bbolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("bolt %s: %w", op, err)
	}
	return wrap(op, s.db.View(f))
}

func (s *Store) update(ctx context.Context, op string, f func(*bbolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("bolt %s: %w", op, err)
	}
	return wrap(op, s.db.Update(f))
}

func wrap(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bbolt.ErrDatabaseNotOpen):
		return fmt.Errorf("bolt %s: %w: %w", op, intake.ErrUnavailable, err)
	}
	return fmt.Errorf("bolt %s: %w", op, err)
}

// CreateApplication stores a new application. It returns ErrInvalid without an id and ErrConflict if the
// id is used.
func (s *Store) CreateApplication(ctx context.Context, a *intake.Application) error {
	if err := checkID("application", a.ID); err != nil {
		return err
	}
	return s.update(ctx, "create application "+a.ID, func(tx *bbolt.Tx) error {
		apps := tx.Bucket(bucketApps)
		if apps.Get([]byte(a.ID)) != nil {
			return fmt.Errorf("application id is used: %w", intake.ErrConflict)
		}
		return putApplication(tx, a)
	})
}

// GetApplication returns ErrNotFound if there is no application with that id.
func (s *Store) GetApplication(ctx context.Context, id string) (*intake.Application, error) {
	var a *intake.Application
	err := s.view(ctx, "get application "+id, func(tx *bbolt.Tx) (err error) {
		a, err = getApplication(tx, id)
		return err
	})
	return a, err
}

// ListApplications returns the applications q selects, newest created first (ties: greater id first), and
// their count. Without conditions it reads only the page; with conditions it reads every application.
func (s *Store) ListApplications(ctx context.Context, q intake.ApplicationQuery) ([]*intake.Application, int, error) {
	limit, offset := page(q.ListOptions)
	all := !filtered(q)
	var (
		list []*intake.Application
		n    int // applications selected so far
	)
	err := s.view(ctx, "list applications", func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketAppsCreated).Cursor()
		for k, id := c.Last(); k != nil; k, id = c.Prev() {
			if all && n >= offset+limit {
				break
			}
			if all && n < offset {
				n++
				continue
			}
			a, err := getApplication(tx, string(id))
			if err != nil {
				return err
			}
			if !all && !selects(q, a) {
				continue
			}
			if n >= offset && n < offset+limit {
				list = append(list, a)
			}
			n++
		}
		if all {
			n = tx.Bucket(bucketApps).Stats().KeyN
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return list, n, nil
}

// filtered reports whether q has a condition.
func filtered(q intake.ApplicationQuery) bool {
	return q.Owner != "" || q.Region != "" || q.Expert != "" || q.Year != 0 || len(q.States) > 0 || q.NotDraft
}

// selects reports whether a meets every condition of q.
func selects(q intake.ApplicationQuery, a *intake.Application) bool {
	switch {
	case q.Owner != "" && a.OwnerID != q.Owner,
		q.Region != "" && a.Region != q.Region,
		q.Expert != "" && !slices.Contains(a.Experts, q.Expert),
		q.Year != 0 && a.Year != q.Year,
		len(q.States) > 0 && !slices.Contains(q.States, a.State),
		q.NotDraft && a.State == intake.StateDraft:
		return false
	}
	return true
}

// UpdateApplication replaces a stored application. It returns ErrNotFound if it does not exist.
func (s *Store) UpdateApplication(ctx context.Context, a *intake.Application) error {
	return s.update(ctx, "update application "+a.ID, func(tx *bbolt.Tx) error {
		old, err := getApplication(tx, a.ID)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketAppsCreated).Delete(createdKey(old)); err != nil {
			return err
		}
		return putApplication(tx, a)
	})
}

func getApplication(tx *bbolt.Tx, id string) (*intake.Application, error) {
	v := tx.Bucket(bucketApps).Get([]byte(id))
	if v == nil {
		return nil, intake.ErrNotFound
	}
	var r applicationRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("decode application %s: %w", id, err)
	}
	return r.application(), nil
}

// putApplication writes a's record and index entry.
func putApplication(tx *bbolt.Tx, a *intake.Application) error {
	v, err := json.Marshal(applicationRecordOf(a))
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketApps).Put([]byte(a.ID), v); err != nil {
		return err
	}
	return tx.Bucket(bucketAppsCreated).Put(createdKey(a), []byte(a.ID))
}

// AddDocument stores a new document. It returns ErrConflict, and the stored document, if the application
// already has one with the same SHA256; ErrConflict alone if the id is used; ErrInvalid without ids.
func (s *Store) AddDocument(ctx context.Context, d *intake.Document) (*intake.Document, error) {
	if err := checkDocument(d); err != nil {
		return nil, err
	}
	var existing *intake.Document
	err := s.update(ctx, "add document "+d.ID, func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketDocs).Get([]byte(d.ID)) != nil {
			return fmt.Errorf("document id is used: %w", intake.ErrConflict)
		}
		if id := tx.Bucket(bucketDocsSHA).Get(shaKey(d)); id != nil {
			var err error
			if existing, err = getDocument(tx, string(id)); err != nil {
				return err
			}
			return fmt.Errorf("application has document %s with sha256 %s: %w", id, d.SHA256, intake.ErrConflict)
		}
		return putDocument(tx, d)
	})
	if err != nil {
		return existing, err
	}
	return d, nil
}

// GetDocument returns ErrNotFound if there is no document with that id.
func (s *Store) GetDocument(ctx context.Context, id string) (*intake.Document, error) {
	var d *intake.Document
	err := s.view(ctx, "get document "+id, func(tx *bbolt.Tx) (err error) {
		d, err = getDocument(tx, id)
		return err
	})
	return d, err
}

// ListDocuments returns an application's documents in upload order (ties: by id).
func (s *Store) ListDocuments(ctx context.Context, applicationID string) ([]*intake.Document, error) {
	var list []*intake.Document
	err := s.view(ctx, "list documents of "+applicationID, func(tx *bbolt.Tx) error {
		ids := scan(tx.Bucket(bucketDocsApp), prefix(applicationID))
		for _, id := range ids {
			d, err := getDocument(tx, id)
			if err != nil {
				return err
			}
			list = append(list, d)
		}
		return nil
	})
	return list, err
}

// UpdateDocument replaces a stored document. It returns ErrNotFound if it does not exist, ErrConflict if
// it would take a sha256 another document of its application has, and ErrConflict if d.Owner is not the
// stored Owner (see intake.DocumentStore). It keeps the stored lease while the document stays processing
// and clears it otherwise.
func (s *Store) UpdateDocument(ctx context.Context, d *intake.Document) error {
	if err := checkDocument(d); err != nil {
		return err
	}
	return s.update(ctx, "update document "+d.ID, func(tx *bbolt.Tx) error {
		old, err := getDocument(tx, d.ID)
		if err != nil {
			return err
		}
		if old.Owner != d.Owner {
			return fmt.Errorf("held by %q, not %q: %w", old.Owner, d.Owner, intake.ErrConflict)
		}
		if id := tx.Bucket(bucketDocsSHA).Get(shaKey(d)); id != nil && string(id) != d.ID {
			return fmt.Errorf("application has document %s with sha256 %s: %w", id, d.SHA256, intake.ErrConflict)
		}
		nd := *d
		nd.LeaseUntil = time.Time{}
		if nd.Status == intake.StatusProcessing {
			nd.LeaseUntil = old.LeaseUntil
		}
		if err := deleteDocumentIndex(tx, old); err != nil {
			return err
		}
		return putDocument(tx, &nd)
	})
}

// ClaimDocument takes a received document, or a processing one whose lease ended before now, for owner
// until until: it prefers one of an application without a document under a running lease, then the
// oldest (ties: by id). It returns ErrNotFound when none is waiting. The documents under lease are few
// (as many as the processes read at once); the waiting ones are walked in upload order until one of an
// application not being read is found, at worst all of them, which the embedded default affords.
func (s *Store) ClaimDocument(ctx context.Context, owner string, now, until time.Time) (*intake.Document, error) {
	var d *intake.Document
	err := s.update(ctx, "claim document", func(tx *bbolt.Tx) error {
		status := tx.Bucket(bucketDocsStatus)
		busy := map[string]bool{}      // applications with a document under a running lease
		var expired []*intake.Document // processing, their lease run out, oldest first
		for _, id := range scan(status, prefix(string(intake.StatusProcessing))) {
			p, err := getDocument(tx, id)
			if err != nil {
				return err
			}
			if p.LeaseUntil.After(now) {
				busy[p.ApplicationID] = true
			} else {
				expired = append(expired, p)
			}
		}
		// Walk the received documents and the expired ones together, in upload order.
		received := prefix(string(intake.StatusReceived))
		c := status.Cursor()
		k, v := c.Seek(received)
		var first *intake.Document
		for {
			var next *intake.Document
			if k != nil && bytes.HasPrefix(k, received) {
				r, err := getDocument(tx, string(v))
				if err != nil {
					return err
				}
				next = r
			}
			if len(expired) > 0 && (next == nil || older(expired[0], next)) {
				next, expired = expired[0], expired[1:]
			} else if next != nil {
				k, v = c.Next()
			}
			if next == nil {
				break
			}
			if first == nil {
				first = next
			}
			if !busy[next.ApplicationID] {
				d = next
				break
			}
		}
		if d == nil {
			d = first
		}
		if d == nil {
			return fmt.Errorf("no received document: %w", intake.ErrNotFound)
		}
		d.Status = intake.StatusProcessing
		d.Attempts++
		d.Owner, d.LeaseUntil = owner, until
		d.UpdatedAt = now
		return replaceDocument(tx, d.ID, d)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// older reports whether a was uploaded before b (ties: by id), the queue's order.
func older(a, b *intake.Document) bool {
	if !a.UploadedAt.Equal(b.UploadedAt) {
		return a.UploadedAt.Before(b.UploadedAt)
	}
	return a.ID < b.ID
}

// RenewLease moves the end of owner's lease on the processing document id to until. It returns
// ErrNotFound if there is no such document and ErrConflict if it is not processing under owner.
func (s *Store) RenewLease(ctx context.Context, id, owner string, until time.Time) error {
	return s.update(ctx, "renew lease of "+id, func(tx *bbolt.Tx) error {
		d, err := getDocument(tx, id)
		if err != nil {
			return err
		}
		if d.Status != intake.StatusProcessing || d.Owner != owner {
			return fmt.Errorf("%s, held by %q, not processing under %q: %w", d.Status, d.Owner, owner, intake.ErrConflict)
		}
		d.LeaseUntil = until
		return replaceDocument(tx, id, d)
	})
}

func getDocument(tx *bbolt.Tx, id string) (*intake.Document, error) {
	v := tx.Bucket(bucketDocs).Get([]byte(id))
	if v == nil {
		return nil, intake.ErrNotFound
	}
	var r documentRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("decode document %s: %w", id, err)
	}
	return r.document(), nil
}

// replaceDocument writes d over the stored document id, moving its index entries.
func replaceDocument(tx *bbolt.Tx, id string, d *intake.Document) error {
	old, err := getDocument(tx, id)
	if err != nil {
		return err
	}
	if err := deleteDocumentIndex(tx, old); err != nil {
		return err
	}
	return putDocument(tx, d)
}

// putDocument writes d's record and index entries.
func putDocument(tx *bbolt.Tx, d *intake.Document) error {
	v, err := json.Marshal(documentRecordOf(d))
	if err != nil {
		return err
	}
	id := []byte(d.ID)
	for _, e := range []struct {
		bucket, key []byte
	}{
		{bucketDocs, id},
		{bucketDocsApp, appKey(d)},
		{bucketDocsSHA, shaKey(d)},
		{bucketDocsStatus, statusKey(d)},
	} {
		val := id
		if bytes.Equal(e.bucket, bucketDocs) {
			val = v
		}
		if err := tx.Bucket(e.bucket).Put(e.key, val); err != nil {
			return err
		}
	}
	return nil
}

func deleteDocumentIndex(tx *bbolt.Tx, d *intake.Document) error {
	if err := tx.Bucket(bucketDocsApp).Delete(appKey(d)); err != nil {
		return err
	}
	if err := tx.Bucket(bucketDocsSHA).Delete(shaKey(d)); err != nil {
		return err
	}
	return tx.Bucket(bucketDocsStatus).Delete(statusKey(d))
}

// SavePages replaces the stored pages of a document. It returns ErrInvalid for a page number below 1 or
// given twice.
func (s *Store) SavePages(ctx context.Context, documentID string, pages []doc.Page) error {
	if err := checkID("document", documentID); err != nil {
		return err
	}
	if err := checkPages(pages); err != nil {
		return fmt.Errorf("bolt save pages of %s: %w", documentID, err)
	}
	return s.update(ctx, "save pages of "+documentID, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketPages)
		pre := prefix(documentID)
		var old [][]byte
		c := b.Cursor()
		for k, _ := c.Seek(pre); k != nil && bytes.HasPrefix(k, pre); k, _ = c.Next() {
			old = append(old, k)
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		for _, p := range pages {
			v, err := json.Marshal(pageRecordOf(p))
			if err != nil {
				return err
			}
			if err := b.Put(binary.BigEndian.AppendUint32(prefix(documentID), uint32(p.Number)), v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Pages returns a document's pages by number, none if it has not been read.
func (s *Store) Pages(ctx context.Context, documentID string) ([]doc.Page, error) {
	var pages []doc.Page
	err := s.view(ctx, "pages of "+documentID, func(tx *bbolt.Tx) error {
		pre := prefix(documentID)
		c := tx.Bucket(bucketPages).Cursor()
		for k, v := c.Seek(pre); k != nil && bytes.HasPrefix(k, pre); k, v = c.Next() {
			var r pageRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode page %x: %w", k, err)
			}
			pages = append(pages, r.page())
		}
		return nil
	})
	return pages, err
}

// prefix returns p and the NUL separator: the beginning of every key(p, …).
func prefix(p string) []byte { return append([]byte(p), 0) }

// key returns p NUL rest.
func key(p, rest string) []byte { return append(prefix(p), rest...) }

func timeKey(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

func createdKey(a *intake.Application) []byte { return []byte(timeKey(a.CreatedAt) + a.ID) }
func shaKey(d *intake.Document) []byte        { return key(d.ApplicationID, d.SHA256) }
func appKey(d *intake.Document) []byte        { return key(d.ApplicationID, timeKey(d.UploadedAt)+d.ID) }
func statusKey(d *intake.Document) []byte     { return key(string(d.Status), timeKey(d.UploadedAt)+d.ID) }

// scan returns the values of the keys of b that begin with pre, in key order.
func scan(b *bbolt.Bucket, pre []byte) []string {
	var vals []string
	c := b.Cursor()
	for k, v := c.Seek(pre); k != nil && bytes.HasPrefix(k, pre); k, v = c.Next() {
		vals = append(vals, string(v))
	}
	return vals
}

// page returns the limit and offset of opt: limit 0 (or below) is the default, an offset below 0 is 0.
func page(opt intake.ListOptions) (limit, offset int) {
	limit, offset = opt.Limit, max(opt.Offset, 0)
	if limit <= 0 {
		limit = defaultLimit
	}
	return limit, offset
}

func checkID(what, id string) error {
	if id == "" || strings.ContainsRune(id, 0) {
		return fmt.Errorf("bolt: %s id %q: %w", what, id, intake.ErrInvalid)
	}
	return nil
}

func checkDocument(d *intake.Document) error {
	if err := checkID("document", d.ID); err != nil {
		return err
	}
	return checkID("application", d.ApplicationID)
}

// checkPages refuses page numbers below 1 and numbers given twice.
func checkPages(pages []doc.Page) error {
	seen := make(map[int]bool, len(pages))
	for _, p := range pages {
		if p.Number < 1 || seen[p.Number] {
			return fmt.Errorf("page number %d below 1 or given twice: %w", p.Number, intake.ErrInvalid)
		}
		seen[p.Number] = true
	}
	return nil
}

// The records: JSON shapes of the domain types. Boxes are [x0, y0, x1, y1].

type applicationRecord struct {
	ID             string                  `json:"id"`
	OwnerID        string                  `json:"owner_id,omitempty"`
	State          string                  `json:"state,omitempty"` // absent in records older than states
	OrgName        string                  `json:"org_name"`
	CreditCode     string                  `json:"credit_code"`
	Region         string                  `json:"region"`
	Year           int                     `json:"year"`
	Functions      []string                `json:"functions,omitempty"`
	SubmittedAt    time.Time               `json:"submitted_at,omitzero"`
	CreatedAt      time.Time               `json:"created_at"`
	UpdatedAt      time.Time               `json:"updated_at"`
	ItemReviews    []itemReviewRecord      `json:"item_reviews,omitempty"`
	Acknowledged   []acknowledgementRecord `json:"acknowledged,omitempty"`
	Returns        []returnRecord          `json:"returns,omitempty"`
	Recommendation *recommendationRecord   `json:"recommendation,omitempty"`
	Experts        []string                `json:"experts,omitempty"`
	ExpertReviews  []expertReviewRecord    `json:"expert_reviews,omitempty"`
	Decision       *decisionRecord         `json:"decision,omitempty"`
	Publicity      *publicityRecord        `json:"publicity,omitempty"`
	Recognition    *recognitionRecord      `json:"recognition,omitempty"`
	Revocation     *revocationRecord       `json:"revocation,omitempty"`
	Evaluations    []evaluationRecord      `json:"evaluations,omitempty"`
}

type itemReviewRecord struct {
	Item     int         `json:"item"`
	Decision string      `json:"decision"`
	Comment  string      `json:"comment,omitempty"`
	By       actorRecord `json:"by"`
	At       time.Time   `json:"at"`
}

func applicationRecordOf(a *intake.Application) applicationRecord {
	return applicationRecord{
		ID: a.ID, OwnerID: a.OwnerID, State: string(stateOf(a.State, a.SubmittedAt)), OrgName: a.OrgName,
		CreditCode: a.CreditCode, Region: a.Region, Year: a.Year, Functions: a.Functions,
		SubmittedAt: a.SubmittedAt, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
		ItemReviews: mapSlice(a.ItemReviews, func(v intake.ItemReview) itemReviewRecord {
			return itemReviewRecord{Item: v.Item, Decision: v.Decision, Comment: v.Comment, By: actorRecordOf(v.By), At: v.At}
		}),
		Acknowledged:   mapSlice(a.Acknowledged, acknowledgementRecordOf),
		Returns:        mapSlice(a.Returns, returnRecordOf),
		Recommendation: mapPtr(a.Recommendation, recommendationRecordOf),
		Experts:        a.Experts,
		ExpertReviews:  mapSlice(a.ExpertReviews, expertReviewRecordOf),
		Decision:       mapPtr(a.Decision, decisionRecordOf),
		Publicity:      mapPtr(a.Publicity, publicityRecordOf),
		Recognition:    mapPtr(a.Recognition, recognitionRecordOf),
		Revocation:     mapPtr(a.Revocation, revocationRecordOf),
		Evaluations:    mapSlice(a.Evaluations, evaluationRecordOf),
	}
}

func (r applicationRecord) application() *intake.Application {
	return &intake.Application{
		ID: r.ID, OwnerID: r.OwnerID, State: stateOf(intake.State(r.State), r.SubmittedAt), OrgName: r.OrgName,
		CreditCode: r.CreditCode, Region: r.Region, Year: r.Year, Functions: r.Functions,
		SubmittedAt: utc(r.SubmittedAt), CreatedAt: utc(r.CreatedAt), UpdatedAt: utc(r.UpdatedAt),
		ItemReviews: mapSlice(r.ItemReviews, func(v itemReviewRecord) intake.ItemReview {
			return intake.ItemReview{Item: v.Item, Decision: v.Decision, Comment: v.Comment, By: v.By.actor(), At: utc(v.At)}
		}),
		Acknowledged:   mapSlice(r.Acknowledged, acknowledgementRecord.acknowledgement),
		Returns:        mapSlice(r.Returns, returnRecord.ret),
		Recommendation: mapPtr(r.Recommendation, recommendationRecord.recommendation),
		Experts:        r.Experts,
		ExpertReviews:  mapSlice(r.ExpertReviews, expertReviewRecord.expertReview),
		Decision:       mapPtr(r.Decision, decisionRecord.decision),
		Publicity:      mapPtr(r.Publicity, publicityRecord.publicity),
		Recognition:    mapPtr(r.Recognition, recognitionRecord.recognition),
		Revocation:     mapPtr(r.Revocation, revocationRecord.revocation),
		Evaluations:    mapSlice(r.Evaluations, evaluationRecord.evaluation),
	}
}

type documentRecord struct {
	ID             string              `json:"id"`
	ApplicationID  string              `json:"application_id"`
	FileName       string              `json:"file_name"`
	ContentType    string              `json:"content_type"`
	Size           int64               `json:"size"`
	SHA256         string              `json:"sha256"`
	BlobKey        string              `json:"blob_key"`
	Status         string              `json:"status"`
	Reason         string              `json:"reason,omitempty"`
	Attempts       int                 `json:"attempts"`
	Kind           string              `json:"kind,omitempty"`
	KindConfidence float64             `json:"kind_confidence,omitempty"`
	PageCount      int                 `json:"page_count,omitempty"`
	PagesDone      int                 `json:"pages_done,omitempty"`
	ReplacedBy     string              `json:"replaced_by,omitempty"`
	Fields         []fieldRecord       `json:"fields,omitempty"`
	PageSummaries  []pageSummaryRecord `json:"page_summaries,omitempty"`
	Reviews        []fieldReviewRecord `json:"reviews,omitempty"`
	KindReview     *kindReviewRecord   `json:"kind_review,omitempty"`
	UploadedAt     time.Time           `json:"uploaded_at"`
	UpdatedAt      time.Time           `json:"updated_at"`
	Owner          string              `json:"owner,omitempty"`
	LeaseUntil     time.Time           `json:"lease_until,omitzero"`
}

type pageSummaryRecord struct {
	Number    int    `json:"number"`
	Blank     bool   `json:"blank,omitempty"`
	Illegible bool   `json:"illegible,omitempty"`
	Seals     int    `json:"seals"`
	Error     string `json:"error,omitempty"`
}

type fieldReviewRecord struct {
	Field    string      `json:"field"`
	Action   string      `json:"action"`
	Value    string      `json:"value"`
	OCRValue string      `json:"ocr_value"`
	Page     int         `json:"page,omitempty"` // where the reviewer marked the value; 0: not marked
	Box      boxRecord   `json:"box,omitzero"`
	By       actorRecord `json:"by"`
	At       time.Time   `json:"at"`
}

type kindReviewRecord struct {
	Kind    string      `json:"kind"`
	OCRKind string      `json:"ocr_kind"`
	By      actorRecord `json:"by"`
	At      time.Time   `json:"at"`
}

type fieldRecord struct {
	Name       string    `json:"name"`
	Value      string    `json:"value"`
	Text       string    `json:"text,omitempty"`
	Confidence float64   `json:"confidence"`
	Page       int       `json:"page,omitempty"`
	Box        boxRecord `json:"box,omitzero"`
	Flags      []string  `json:"flags,omitempty"`
}

func documentRecordOf(d *intake.Document) documentRecord {
	r := documentRecord{
		ID: d.ID, ApplicationID: d.ApplicationID, FileName: d.FileName, ContentType: d.ContentType,
		Size: d.Size, SHA256: d.SHA256, BlobKey: d.BlobKey, Status: string(d.Status), Reason: d.Reason,
		Attempts: d.Attempts, Kind: d.Kind, KindConfidence: d.KindConfidence, PageCount: d.PageCount,
		PagesDone: d.PagesDone, ReplacedBy: d.ReplacedBy, UploadedAt: d.UploadedAt, UpdatedAt: d.UpdatedAt,
		Owner: d.Owner, LeaseUntil: d.LeaseUntil,
	}
	for _, f := range d.Fields {
		r.Fields = append(r.Fields, fieldRecord{
			Name: f.Name, Value: f.Value, Text: f.Text, Confidence: f.Confidence, Page: f.Page,
			Box: boxRecordOf(f.Box), Flags: f.Flags,
		})
	}
	for _, p := range d.Pages {
		r.PageSummaries = append(r.PageSummaries, pageSummaryRecord(p))
	}
	r.Reviews = mapSlice(d.Reviews, func(v intake.FieldReview) fieldReviewRecord {
		return fieldReviewRecord{Field: v.Field, Action: v.Action, Value: v.Value, OCRValue: v.OCRValue, Page: v.Page, Box: boxRecordOf(v.Box), By: actorRecordOf(v.By), At: v.At}
	})
	r.KindReview = mapPtr(d.KindReview, func(v intake.KindReview) kindReviewRecord {
		return kindReviewRecord{Kind: v.Kind, OCRKind: v.OCRKind, By: actorRecordOf(v.By), At: v.At}
	})
	return r
}

func (r documentRecord) document() *intake.Document {
	d := &intake.Document{
		ID: r.ID, ApplicationID: r.ApplicationID, FileName: r.FileName, ContentType: r.ContentType,
		Size: r.Size, SHA256: r.SHA256, BlobKey: r.BlobKey, Status: intake.Status(r.Status), Reason: r.Reason,
		Attempts: r.Attempts, Kind: r.Kind, KindConfidence: r.KindConfidence, PageCount: r.PageCount,
		PagesDone: r.PagesDone, ReplacedBy: r.ReplacedBy, UploadedAt: utc(r.UploadedAt), UpdatedAt: utc(r.UpdatedAt),
		Owner: r.Owner, LeaseUntil: utc(r.LeaseUntil),
	}
	for _, f := range r.Fields {
		d.Fields = append(d.Fields, doc.Field{
			Name: f.Name, Value: f.Value, Text: f.Text, Confidence: f.Confidence, Page: f.Page,
			Box: f.Box.box(), Flags: f.Flags,
		})
	}
	for _, p := range r.PageSummaries {
		d.Pages = append(d.Pages, intake.PageSummary(p))
	}
	d.Reviews = mapSlice(r.Reviews, func(v fieldReviewRecord) intake.FieldReview {
		return intake.FieldReview{Field: v.Field, Action: v.Action, Value: v.Value, OCRValue: v.OCRValue, Page: v.Page, Box: v.Box.box(), By: v.By.actor(), At: utc(v.At)}
	})
	d.KindReview = mapPtr(r.KindReview, func(v kindReviewRecord) intake.KindReview {
		return intake.KindReview{Kind: v.Kind, OCRKind: v.OCRKind, By: v.By.actor(), At: utc(v.At)}
	})
	return d
}

type pageRecord struct {
	Number         int          `json:"number"`
	Width          int          `json:"width"`
	Height         int          `json:"height"`
	DPI            int          `json:"dpi"`
	Source         string       `json:"source"`
	Rotation       int          `json:"rotation,omitempty"`
	Lines          []lineRecord `json:"lines,omitempty"`
	Blank          bool         `json:"blank,omitempty"`
	Illegible      bool         `json:"illegible,omitempty"`
	Error          string       `json:"error,omitempty"`
	Seals          []boxRecord  `json:"seals,omitempty"`
	SealUnknown    bool         `json:"seal_unknown,omitempty"`
	SealTexts      []sealRecord `json:"seal_texts,omitempty"`
	MeanConfidence float64      `json:"mean_confidence"`
}

// sealRecord is the text read round a seal.
type sealRecord struct {
	Box        boxRecord `json:"box"`
	Text       string    `json:"text"`
	Confidence float64   `json:"confidence"`
}

type lineRecord struct {
	Words []wordRecord `json:"words"`
	Box   boxRecord    `json:"box"`
}

type wordRecord struct {
	Text       string    `json:"text"`
	Box        boxRecord `json:"box"`
	Confidence float64   `json:"confidence"`
}

type boxRecord [4]int

func boxRecordOf(b doc.Box) boxRecord { return boxRecord{b.X0, b.Y0, b.X1, b.Y1} }
func (b boxRecord) box() doc.Box      { return doc.Box{X0: b[0], Y0: b[1], X1: b[2], Y1: b[3]} }

func pageRecordOf(p doc.Page) pageRecord {
	r := pageRecord{
		Number: p.Number, Width: p.Width, Height: p.Height, DPI: p.DPI, Source: string(p.Source),
		Rotation: p.Rotation, Blank: p.Blank, Illegible: p.Illegible, Error: p.Error,
		SealUnknown: p.SealUnknown, MeanConfidence: p.MeanConfidence,
	}
	for _, l := range p.Lines {
		lr := lineRecord{Box: boxRecordOf(l.Box), Words: make([]wordRecord, len(l.Words))}
		for i, w := range l.Words {
			lr.Words[i] = wordRecord{Text: w.Text, Box: boxRecordOf(w.Box), Confidence: w.Confidence}
		}
		r.Lines = append(r.Lines, lr)
	}
	for _, b := range p.Seals {
		r.Seals = append(r.Seals, boxRecordOf(b))
	}
	for _, st := range p.SealTexts {
		r.SealTexts = append(r.SealTexts, sealRecord{Box: boxRecordOf(st.Box), Text: st.Text, Confidence: st.Confidence})
	}
	return r
}

func (r pageRecord) page() doc.Page {
	p := doc.Page{
		Number: r.Number, Width: r.Width, Height: r.Height, DPI: r.DPI, Source: doc.Source(r.Source),
		Rotation: r.Rotation, Blank: r.Blank, Illegible: r.Illegible, Error: r.Error,
		SealUnknown: r.SealUnknown, MeanConfidence: r.MeanConfidence,
	}
	for _, l := range r.Lines {
		line := doc.Line{Box: l.Box.box(), Words: make([]doc.Word, len(l.Words))}
		for i, w := range l.Words {
			line.Words[i] = doc.Word{Text: w.Text, Box: w.Box.box(), Confidence: w.Confidence}
		}
		p.Lines = append(p.Lines, line)
	}
	for _, b := range r.Seals {
		p.Seals = append(p.Seals, b.box())
	}
	for _, st := range r.SealTexts {
		p.SealTexts = append(p.SealTexts, doc.SealText{Box: st.Box.box(), Text: st.Text, Confidence: st.Confidence})
	}
	return p
}
