package intake

import (
	"context"
	"io"
	"time"

	"shenbao/doc"
)

// BlobStore keeps original files, content-addressed. A key once written is never overwritten with
// other bytes.
type BlobStore interface {
	// Put stores size bytes from r under key. sha256 is the hex SHA-256 of those bytes; the store may
	// verify it. Putting a key that already exists succeeds without rewriting it.
	Put(ctx context.Context, key string, r io.Reader, size int64, sha256 string) error
	// Get opens the blob. Returns ErrNotFound if there is none under key.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Stat returns the blob's size. Returns ErrNotFound if there is none under key.
	Stat(ctx context.Context, key string) (int64, error)
	// Ping reports whether the store answers.
	Ping(ctx context.Context) error
}

// ApplicationStore keeps applications.
type ApplicationStore interface {
	// CreateApplication stores a new application; a.ID must be set and unused (else ErrConflict).
	CreateApplication(ctx context.Context, a *Application) error
	// GetApplication returns ErrNotFound if there is no application with that id.
	GetApplication(ctx context.Context, id string) (*Application, error)
	// ListApplications returns the applications the query selects, newest first, and their total count.
	ListApplications(ctx context.Context, q ApplicationQuery) ([]*Application, int, error)
	// UpdateApplication replaces a stored application. Returns ErrNotFound if it does not exist.
	UpdateApplication(ctx context.Context, a *Application) error
}

// DocumentStore keeps documents and is the work queue of the processing workers.
type DocumentStore interface {
	// AddDocument stores a new document. Returns ErrConflict, and the document already stored, if the
	// application already has a document with the same SHA256.
	AddDocument(ctx context.Context, d *Document) (*Document, error)
	// GetDocument returns ErrNotFound if there is no document with that id.
	GetDocument(ctx context.Context, id string) (*Document, error)
	// ListDocuments returns an application's documents in upload order.
	ListDocuments(ctx context.Context, applicationID string) ([]*Document, error)
	// UpdateDocument replaces a stored document. Returns ErrNotFound if it does not exist, and
	// ErrConflict if d.Owner is not the stored document's Owner: only ClaimDocument changes who holds a
	// document, so a process whose claim was taken over (its lease ran out) cannot overwrite the new
	// holder's work, and a write based on a reading from before a claim does not undo it. The lease's
	// end is ClaimDocument's and RenewLease's: UpdateDocument keeps the stored LeaseUntil while the
	// document stays processing, and clears it when the document leaves processing.
	UpdateDocument(ctx context.Context, d *Document) error
	// ClaimDocument atomically takes a document to read for owner, until the lease's end until: a
	// received one, or a processing one whose lease ended at or before now (its process died: the
	// attempt is counted again, so that MaxAttempts ends a loop). It moves the document to processing,
	// sets Owner and LeaseUntil, counts the attempt, sets UpdatedAt to now and returns it. It prefers a
	// document of an application none of whose documents is held under a running lease, then the
	// oldest (by UploadedAt, then ID), so that the documents of different applications take turns.
	// Returns ErrNotFound when none is waiting.
	ClaimDocument(ctx context.Context, owner string, now, until time.Time) (*Document, error)
	// RenewLease moves the end of owner's lease on a processing document to until (the heartbeat of the
	// process reading it). Returns ErrNotFound if there is no such document, and ErrConflict if it is
	// not processing under owner any more (its lease ran out and another process took it, or it was put
	// back): the owner must stop reading it and store nothing of it.
	RenewLease(ctx context.Context, id, owner string, until time.Time) error
}

// PageStore keeps the pages read from documents.
type PageStore interface {
	// SavePages replaces the stored pages of a document.
	SavePages(ctx context.Context, documentID string, pages []doc.Page) error
	// Pages returns a document's pages in order (none if it has not been read).
	Pages(ctx context.Context, documentID string) ([]doc.Page, error)
}

// Retainer is a BlobStore that can keep objects from being deleted or overwritten (MinIO object lock,
// COMPLIANCE mode): an optional capability, found by type assertion.
type Retainer interface {
	// Retain keeps the object under key until until; a retention is only ever extended.
	Retain(ctx context.Context, key string, until time.Time) error
	// SetLegalHold sets or lifts a legal hold on the object (kept whatever its retention).
	SetLegalHold(ctx context.Context, key string, on bool) error
	// Retention returns until when the object is retained (zero: not) and whether it is held.
	Retention(ctx context.Context, key string) (until time.Time, hold bool, err error)
}

// StoreAuditor is a BlobStore that can check its own protection (a bucket's versioning and object
// lock): an optional capability, used by Verify.
type StoreAuditor interface {
	AuditStore(ctx context.Context) []string // what is wrong, in words; none when all is well
}

// UserStore keeps local accounts.
type UserStore interface {
	// CreateUser stores a new user; u.ID must be set and unused, and u.Login unused (else ErrConflict).
	CreateUser(ctx context.Context, u *User) error
	// GetUser returns ErrNotFound if there is no user with that id.
	GetUser(ctx context.Context, id string) (*User, error)
	// GetUserByLogin returns ErrNotFound if no user has that login (compared exactly; logins are stored
	// lower case).
	GetUserByLogin(ctx context.Context, login string) (*User, error)
	// ListUsers returns users ordered by login, and the total count.
	ListUsers(ctx context.Context, opt ListOptions) ([]*User, int, error)
	// UpdateUser replaces a stored user (its login may not change). Returns ErrNotFound if it does not
	// exist.
	UpdateUser(ctx context.Context, u *User) error
}

// SessionStore keeps sessions and API tokens, by the hash of their token.
type SessionStore interface {
	// CreateSession stores a new session (ErrConflict if its ID exists).
	CreateSession(ctx context.Context, s *Session) error
	// GetSession returns ErrNotFound if there is no session with that id.
	GetSession(ctx context.Context, id string) (*Session, error)
	// TouchSession sets a session's LastSeen. Returns ErrNotFound if it does not exist.
	TouchSession(ctx context.Context, id string, at time.Time) error
	// DeleteSession removes a session; removing one that does not exist is not an error.
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions removes every session of a user, of the given kind ("" for all) except the one
	// with id keep, and returns how many it removed.
	DeleteUserSessions(ctx context.Context, userID string, kind SessionKind, keep string) (int, error)
}

// EventStore keeps the record of actions. Events are only appended.
type EventStore interface {
	// AppendEvent stores e with the next sequence number (1 for the first event), which it sets in
	// e.Seq; concurrent appends get distinct, gapless numbers. In the same step it sets e.Prev to the
	// Hash of event Seq-1 ("" for the first) and e.Hash to EventHash(e): the chain.
	AppendEvent(ctx context.Context, e *Event) error
	// ListEvents returns the events the query selects, newest (highest Seq) first, and their total count.
	ListEvents(ctx context.Context, q EventQuery) ([]*Event, int, error)
}

// RoundStore keeps the yearly rounds.
type RoundStore interface {
	// PutRound stores a round, replacing the round of the same year.
	PutRound(ctx context.Context, r *Round) error
	// GetRound returns ErrNotFound if there is no round for that year.
	GetRound(ctx context.Context, year int) (*Round, error)
	// ListRounds returns every round, latest year first.
	ListRounds(ctx context.Context) ([]*Round, error)
}

// Store is the metadata store: everything but the original bytes.
type Store interface {
	ApplicationStore
	DocumentStore
	PageStore
	UserStore
	SessionStore
	EventStore
	RoundStore
	FilingStore
	// Ping reports whether the store answers.
	Ping(ctx context.Context) error
	Close(ctx context.Context) error
}

// Recognizer reads the pages of a file on local disk. contentType is one of the accepted types.
// A page that cannot be read is returned with its Error set; an error is returned only when the file
// as a whole cannot be read.
type Recognizer interface {
	Recognize(ctx context.Context, path, contentType string) ([]doc.Page, error)
}

// PageRenderer is a Recognizer that can also draw a page for people to look at: a JPEG whose longer
// side is at most maxSide pixels. The Service caches what it draws in the BlobStore.
type PageRenderer interface {
	RenderPage(ctx context.Context, path, contentType string, page, maxSide int) ([]byte, error)
}

// RegionReader is a Recognizer that can read a box of a page again, constrained: one line of only the
// whitelisted characters. Extraction asks it for a second reading of a field that failed its check.
type RegionReader interface {
	ReadRegion(ctx context.Context, path, contentType string, page int, box doc.Box, rotation int, whitelist string) (string, float64, error)
}
