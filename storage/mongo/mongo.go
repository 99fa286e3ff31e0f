// Package mongo is Shenbao's production metadata store: an intake.Store on MongoDB through
// go.mongodb.org/mongo-driver/v2, for several service and worker processes sharing one database.
//
// It needs no transactions, change streams, $lookup or multi-accumulator $group, so it runs on MongoDB 7
// and on FerretDB 1.x (on PostgreSQL), where the tests run; the one TTL index, on sessions, is left out
// where the server does not have them (FerretDB 1.x). What must be atomic rests on single inserts into
// unique indexes, which both enforce: AddDocument's (application, sha256) rule and the uniqueness of
// logins are unique indexes, ClaimDocument takes a document by inserting a claim keyed by its revision and
// AppendEvent takes a number by inserting the event under it (see below), because FerretDB 1.x runs
// findAndModify as a read and a separate write, so FindOneAndUpdate alone hands one document to several
// workers (measured: 6 workers claiming 40 documents got 38 of them more than once) and one $inc'ed counter
// value to several appends (measured: 20 concurrent $inc gave 10 distinct numbers). Time limits come from
// the caller's context, never from a client-wide timeout, which would make the driver send maxTimeMS that
// FerretDB refuses on some commands.
//
// # Collections and indexes
//
// The bson shapes are this package's record types (the domain types carry no tags). Times are BSON dates,
// so they keep milliseconds, and come back in UTC. Boxes are documents {x0, y0, x1, y1}, since FerretDB
// 1.x refuses arrays in arrays. An actor is {id, name, role}.
//
//	applications  {_id: id, owner_id, state, org_name, credit_code, region, year, functions, submitted_at,
//	              created_at, updated_at, item_reviews: [{item, decision, comment, by: actor, at}],
//	              acknowledged: [{code, reason, by, at}], returns: [{reasons, by, at}],
//	              recommendation: {opinion, operation, performance, satisfaction, by, at}, experts: [user id],
//	              expert_reviews: [{score, conclusion, comment, by, at}], decision: {outcome, comment, by, at},
//	              publicity: {start, end, by}, recognition: {certificate_no, date, valid_until, by},
//	              revocation: {reason, by, at}, evaluations: [{result, comment, by, at}]}
//	              index created: {created_at: -1, _id: -1}            ListApplications, newest first
//	              indexes owner, region, experts, state, year: {owner_id | region | experts | state | year: 1,
//	              created_at: -1, _id: -1}    ListApplications by each condition, in the list's order
//	documents     {_id: id, application_id, file_name, content_type, size, sha256, blob_key, status, reason,
//	              attempts, kind, kind_confidence, page_count, fields: [{name, value, text, confidence, page,
//	              box: {x0, y0, x1, y1}, flags}], page_summaries: [{number, blank, illegible, seals, error}],
//	              reviews: [{field, action, value, ocr_value, by: actor, at}],
//	              kind_review: {kind, ocr_kind, by: actor, at}, uploaded_at, updated_at, rev, owner, lease_until}
//	              index application_sha256: {application_id: 1, sha256: 1}, unique
//	              index queue: {status: 1, uploaded_at: 1, _id: 1}      ClaimDocument
//	              index application_uploaded: {application_id: 1, uploaded_at: 1, _id: 1}   ListDocuments
//	pages         {_id: document id "/" number, document_id, number, width, height, dpi, source, rotation,
//	              lines: [{words: [{text, box, confidence}], box}], blank, illegible, error, seals: [box],
//	              seal_unknown, mean_confidence}
//	              index document_number: {document_id: 1, number: 1}, unique
//	claims        {_id: document id "/" rev, claimed_at}   short-lived locks of ClaimDocument
//	users         {_id: id, login, name, role, region, password_hash, disabled, failed_logins, locked_until,
//	              created_at, updated_at}
//	              index login: {login: 1}, unique                       CreateUser, GetUserByLogin, ListUsers
//	sessions      {_id: the token's hash, user_id, kind, label, csrf, created_at, last_seen, expires_at}
//	              index user: {user_id: 1, kind: 1}                     DeleteUserSessions
//	              index expiry: {expires_at: 1}, TTL 0 where the server has TTL indexes: the server removes
//	              sessions past their expiry (within a minute or so); elsewhere they stay until deleted
//	events        {_id: seq, at, actor, action, application_id, object, from, to, comment}
//	              index application: {application_id: 1, _id: -1}      ListEvents of an application
//	counters      {_id: "events", seq}   the highest event number known to be taken
//	rounds        {_id: year, opens, closes, notice, opened_by: actor, created_at}
//
// Records written before applications had a state and reviews an actor still load: New gives applications
// without a state theirs (submitted if submitted_at is set, else draft), and a "by" that is a string
// decodes as the actor's name.
//
// # Claiming
//
// Every write of a document gives it a new random rev. A document is waiting when it is received, or
// processing under a lease (owner, lease_until) that has run out: the process reading it died or lost
// the database for longer than the lease, and its heartbeat (RenewLease) stopped. ClaimDocument finds the
// applications with a document under a running lease, then the oldest waiting documents of other
// applications (of any application if there are none), inserts the claim {_id: id/rev} for one of them (a
// duplicate key means another worker has it: it tries the next), moves that document to processing under
// the new owner and lease with FindOneAndUpdate on {_id, rev, still waiting}, setting a new rev, and
// deletes the claim. A claim left by a crashed worker is removed after claimTTL (a minute) by the next
// ClaimDocument that meets it, and by a sweep of the old ones once a claimTTL. UpdateDocument writes only
// where the owner is still the writer's, and RenewLease only where the document is processing under its
// owner, so a process that lost its lease can neither renew it nor overwrite the new holder's work. The
// hosts' clocks must agree to well within a lease.
//
// # Events
//
// AppendEvent reads the counter c and inserts the event with _id c+1; a duplicate key means another append
// took that number, and it tries the next. After the insert it raises the counter to its number with $max.
// The counter only ever holds numbers of stored events, so an insert never skips one: the numbers stay
// gapless even when an append fails or dies between its insert and the counter (the counter then lags,
// which costs the next append one more try). Concurrent appends retry against each other, which is cheap
// at the rate people act.
//
// SavePages deletes a document's pages and inserts the new ones: without transactions, a reader in between
// may see none.
package mongo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"shenbao/doc"
	"shenbao/intake"
)

var _ intake.Store = (*Store)(nil)

const (
	// defaultLimit is the page size of the lists when ListOptions.Limit is 0.
	defaultLimit = 50
	// claimCandidates is how many of the oldest received documents a claim tries before looking again.
	claimCandidates = 8
	// claimTTL is how old a claim must be before another worker may remove it as left by a crash.
	claimTTL = time.Minute
	// codeNotImplemented is the server's error code for a command or option it does not have.
	codeNotImplemented = 238
	// serverSelectionTimeout bounds the wait for a server that does not answer, unless the URI sets one.
	serverSelectionTimeout = 5 * time.Second
)

// Store is the metadata store in one MongoDB database. It is safe for concurrent use.
type Store struct {
	client                    *mongo.Client
	db                        *mongo.Database
	apps, docs, pages, claims *mongo.Collection
	users, sessions           *mongo.Collection
	events, counters, rounds  *mongo.Collection
	swept                     atomic.Int64 // when sweepClaims last ran, in Unix nanoseconds
}

// New connects to the server at uri (mongodb://host:port/?options, without timeoutMS: see the package
// doc), checks it answers and creates the indexes in database ("shenbao" if empty). It returns
// ErrUnavailable if the server does not answer within the server selection timeout (5s unless the URI
// sets serverSelectionTimeoutMS).
func New(ctx context.Context, uri, database string) (*Store, error) {
	opts := options.Client().ApplyURI(uri)
	if opts.ServerSelectionTimeout == nil {
		opts.SetServerSelectionTimeout(serverSelectionTimeout)
	}
	if opts.ConnectTimeout == nil {
		opts.SetConnectTimeout(serverSelectionTimeout)
	}
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("mongo connect: %w: %w", intake.ErrInvalid, err)
	}
	if database == "" {
		database = "shenbao"
	}
	db := client.Database(database)
	s := &Store{
		client: client, db: db,
		apps: db.Collection("applications"), docs: db.Collection("documents"),
		pages: db.Collection("pages"), claims: db.Collection("claims"),
		users: db.Collection("users"), sessions: db.Collection("sessions"),
		events: db.Collection("events"), counters: db.Collection("counters"), rounds: db.Collection("rounds"),
	}
	if err := s.Ping(ctx); err != nil {
		client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	if err := s.createIndexes(ctx); err != nil {
		client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	if err := s.giveStates(ctx); err != nil {
		client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	return s, nil
}

func (s *Store) createIndexes(ctx context.Context) error {
	newest := bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}
	by := func(field string) bson.D { return append(bson.D{{Key: field, Value: 1}}, newest...) }
	for _, ix := range []struct {
		coll   *mongo.Collection
		name   string
		keys   bson.D
		unique bool
		ttl    bool
	}{
		{coll: s.apps, name: "created", keys: newest},
		{coll: s.apps, name: "owner", keys: by("owner_id")},
		{coll: s.apps, name: "region", keys: by("region")},
		{coll: s.apps, name: "experts", keys: by("experts")},
		{coll: s.apps, name: "state", keys: by("state")},
		{coll: s.apps, name: "year", keys: by("year")},
		{coll: s.docs, name: "application_sha256", keys: bson.D{{Key: "application_id", Value: 1}, {Key: "sha256", Value: 1}}, unique: true},
		{coll: s.docs, name: "queue", keys: bson.D{{Key: "status", Value: 1}, {Key: "uploaded_at", Value: 1}, {Key: "_id", Value: 1}}},
		{coll: s.docs, name: "application_uploaded", keys: bson.D{{Key: "application_id", Value: 1}, {Key: "uploaded_at", Value: 1}, {Key: "_id", Value: 1}}},
		{coll: s.pages, name: "document_number", keys: bson.D{{Key: "document_id", Value: 1}, {Key: "number", Value: 1}}, unique: true},
		{coll: s.users, name: "login", keys: bson.D{{Key: "login", Value: 1}}, unique: true},
		{coll: s.sessions, name: "user", keys: bson.D{{Key: "user_id", Value: 1}, {Key: "kind", Value: 1}}},
		{coll: s.sessions, name: "expiry", keys: bson.D{{Key: "expires_at", Value: 1}}, ttl: true},
		{coll: s.events, name: "application", keys: bson.D{{Key: "application_id", Value: 1}, {Key: "_id", Value: -1}}},
		{coll: s.db.Collection("filings"), name: "year_at", keys: bson.D{{Key: "year", Value: 1}, {Key: "at", Value: 1}}},
	} {
		opts := options.Index().SetName(ix.name).SetUnique(ix.unique)
		if ix.ttl {
			opts.SetExpireAfterSeconds(0)
		}
		_, err := ix.coll.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: ix.keys, Options: opts})
		if ix.ttl && notImplemented(err) {
			continue // FerretDB 1.x: expired sessions stay until deleted
		}
		if err != nil {
			return wrap(err, "create index %s.%s", ix.coll.Name(), ix.name)
		}
	}
	return nil
}

// giveStates gives the applications stored before applications had a state theirs: submitted if they
// were submitted, else draft, as applicationRecord.application reads them, so that queries by state find
// them. Running it again, or in several processes at once, changes nothing more.
func (s *Store) giveStates(ctx context.Context) error {
	for _, st := range []struct {
		state  intake.State
		filter bson.D
	}{
		{intake.StateSubmitted, bson.D{
			{Key: "state", Value: bson.D{{Key: "$exists", Value: false}}},
			{Key: "submitted_at", Value: bson.D{{Key: "$gt", Value: time.Time{}}}},
		}},
		{intake.StateDraft, bson.D{{Key: "state", Value: bson.D{{Key: "$exists", Value: false}}}}},
	} {
		set := bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: string(st.state)}}}}
		if _, err := s.apps.UpdateMany(ctx, st.filter, set); err != nil {
			return wrap(err, "give applications without state the state %s", st.state)
		}
	}
	return nil
}

// Close disconnects from the server.
func (s *Store) Close(ctx context.Context) error {
	return wrap(s.client.Disconnect(ctx), "close")
}

// Ping reports whether the server answers. It returns ErrUnavailable if not.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx, readpref.Primary()); err != nil {
		if sentinel(err) == nil {
			return fmt.Errorf("mongo ping: %w: %w", intake.ErrUnavailable, err)
		}
		return wrap(err, "ping")
	}
	return nil
}

// CreateApplication stores a new application. It returns ErrInvalid without an id and ErrConflict if the
// id is used.
func (s *Store) CreateApplication(ctx context.Context, a *intake.Application) error {
	if a.ID == "" {
		return fmt.Errorf("mongo create application: no id: %w", intake.ErrInvalid)
	}
	_, err := s.apps.InsertOne(ctx, applicationRecordOf(a))
	return wrap(err, "create application %s", a.ID)
}

// GetApplication returns ErrNotFound if there is no application with that id.
func (s *Store) GetApplication(ctx context.Context, id string) (*intake.Application, error) {
	var r applicationRecord
	if err := s.apps.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r); err != nil {
		return nil, wrap(err, "get application %s", id)
	}
	return r.application(), nil
}

// ListApplications returns the applications q selects, newest created first (ties: greater id first), and
// their count. The conditions are the query's filter; each has an index that ends in the list's order.
func (s *Store) ListApplications(ctx context.Context, q intake.ApplicationQuery) ([]*intake.Application, int, error) {
	limit, offset := page(q.ListOptions)
	filter := applicationFilter(q)
	total, err := s.apps.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, wrap(err, "count applications")
	}
	find := options.Find().
		SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}).
		SetSkip(int64(offset)).SetLimit(int64(limit))
	cur, err := s.apps.Find(ctx, filter, find)
	if err != nil {
		return nil, 0, wrap(err, "list applications")
	}
	var rs []applicationRecord
	if err := cur.All(ctx, &rs); err != nil {
		return nil, 0, wrap(err, "list applications")
	}
	list := make([]*intake.Application, len(rs))
	for i, r := range rs {
		list[i] = r.application()
	}
	return list, int(total), nil
}

// applicationFilter is the filter of the applications q selects.
func applicationFilter(q intake.ApplicationQuery) bson.D {
	f := bson.D{}
	if q.Owner != "" {
		f = append(f, bson.E{Key: "owner_id", Value: q.Owner})
	}
	if q.Region != "" {
		f = append(f, bson.E{Key: "region", Value: q.Region})
	}
	if q.Expert != "" {
		f = append(f, bson.E{Key: "experts", Value: q.Expert}) // an element of the array
	}
	if q.Year != 0 {
		f = append(f, bson.E{Key: "year", Value: q.Year})
	}
	var state bson.D
	if len(q.States) > 0 {
		in := make(bson.A, len(q.States))
		for i, st := range q.States {
			in[i] = string(st)
		}
		state = append(state, bson.E{Key: "$in", Value: in})
	}
	if q.NotDraft {
		state = append(state, bson.E{Key: "$ne", Value: string(intake.StateDraft)})
	}
	if state != nil {
		f = append(f, bson.E{Key: "state", Value: state})
	}
	return f
}

// page returns the limit and offset of opt: limit 0 (or below) is the default, an offset below 0 is 0.
func page(opt intake.ListOptions) (limit, offset int) {
	limit, offset = opt.Limit, max(opt.Offset, 0)
	if limit <= 0 {
		limit = defaultLimit
	}
	return limit, offset
}

// UpdateApplication replaces a stored application. It returns ErrNotFound if it does not exist.
func (s *Store) UpdateApplication(ctx context.Context, a *intake.Application) error {
	res, err := s.apps.ReplaceOne(ctx, bson.D{{Key: "_id", Value: a.ID}}, applicationRecordOf(a))
	if err != nil {
		return wrap(err, "update application %s", a.ID)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("mongo update application %s: %w", a.ID, intake.ErrNotFound)
	}
	return nil
}

// AddDocument stores a new document. It returns ErrConflict, and the stored document, if the application
// already has one with the same SHA256; ErrConflict alone if the id is used; ErrInvalid without ids.
func (s *Store) AddDocument(ctx context.Context, d *intake.Document) (*intake.Document, error) {
	if d.ID == "" || d.ApplicationID == "" {
		return nil, fmt.Errorf("mongo add document: no id or application id: %w", intake.ErrInvalid)
	}
	_, err := s.docs.InsertOne(ctx, documentRecordOf(d, newRev()))
	if err == nil {
		return d, nil
	}
	err = wrap(err, "add document %s", d.ID)
	if !errors.Is(err, intake.ErrConflict) {
		return nil, err
	}
	var r documentRecord
	filter := bson.D{{Key: "application_id", Value: d.ApplicationID}, {Key: "sha256", Value: d.SHA256}}
	switch ferr := s.docs.FindOne(ctx, filter).Decode(&r); {
	case errors.Is(ferr, mongo.ErrNoDocuments):
		return nil, err // the id was taken, not the sha256
	case ferr != nil:
		return nil, wrap(ferr, "add document %s: find the document with its sha256", d.ID)
	}
	return r.document(), err
}

// GetDocument returns ErrNotFound if there is no document with that id.
func (s *Store) GetDocument(ctx context.Context, id string) (*intake.Document, error) {
	var r documentRecord
	if err := s.docs.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r); err != nil {
		return nil, wrap(err, "get document %s", id)
	}
	return r.document(), nil
}

// ListDocuments returns an application's documents in upload order (ties: by id).
func (s *Store) ListDocuments(ctx context.Context, applicationID string) ([]*intake.Document, error) {
	find := options.Find().SetSort(bson.D{{Key: "uploaded_at", Value: 1}, {Key: "_id", Value: 1}})
	cur, err := s.docs.Find(ctx, bson.D{{Key: "application_id", Value: applicationID}}, find)
	if err != nil {
		return nil, wrap(err, "list documents of %s", applicationID)
	}
	var rs []documentRecord
	if err := cur.All(ctx, &rs); err != nil {
		return nil, wrap(err, "list documents of %s", applicationID)
	}
	list := make([]*intake.Document, len(rs))
	for i, r := range rs {
		list[i] = r.document()
	}
	return list, nil
}

// UpdateDocument replaces a stored document. It returns ErrNotFound if it does not exist, and ErrConflict
// if d.Owner is not the stored owner (see intake.DocumentStore). (A change of sha256 to one its
// application already has is refused by the unique index: ErrConflict on MongoDB, an internal error on
// FerretDB.) It sets every field but the lease's end, which it keeps while the document stays
// processing and clears otherwise.
func (s *Store) UpdateDocument(ctx context.Context, d *intake.Document) error {
	raw, err := bson.Marshal(documentRecordOf(d, newRev()))
	if err != nil {
		return fmt.Errorf("mongo update document %s: %w", d.ID, err)
	}
	var all, set bson.D
	if err := bson.Unmarshal(raw, &all); err != nil {
		return fmt.Errorf("mongo update document %s: %w", d.ID, err)
	}
	for _, e := range all {
		switch {
		case e.Key == "_id":
		case e.Key == "lease_until" && d.Status == intake.StatusProcessing:
		case e.Key == "lease_until":
			set = append(set, bson.E{Key: e.Key, Value: time.Time{}})
		default:
			set = append(set, e)
		}
	}
	filter := bson.D{{Key: "_id", Value: d.ID}, ownerIs(d.Owner)}
	res, err := s.docs.UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return wrap(err, "update document %s", d.ID)
	}
	if res.MatchedCount == 0 {
		n, err := s.docs.CountDocuments(ctx, bson.D{{Key: "_id", Value: d.ID}})
		switch {
		case err != nil:
			return wrap(err, "update document %s", d.ID)
		case n == 0:
			return fmt.Errorf("mongo update document %s: %w", d.ID, intake.ErrNotFound)
		}
		return fmt.Errorf("mongo update document %s: not held by %q: %w", d.ID, d.Owner, intake.ErrConflict)
	}
	return nil
}

// ownerIs is the condition that a document's owner is owner; no owner also matches records written
// before documents had one.
func ownerIs(owner string) bson.E {
	if owner == "" {
		return bson.E{Key: "owner", Value: bson.D{{Key: "$in", Value: bson.A{"", nil}}}}
	}
	return bson.E{Key: "owner", Value: owner}
}

// ClaimDocument takes a received document, or a processing one whose lease ended before now, for owner
// until until, counts the attempt and returns it. It prefers a document of an application without a
// document under a running lease, then the oldest (ties: by id). It returns ErrNotFound when none is
// waiting, or when every one it found is being claimed by another worker at that moment. See Claiming in
// the package doc.
func (s *Store) ClaimDocument(ctx context.Context, owner string, now, until time.Time) (*intake.Document, error) {
	s.sweepClaims(ctx)
	for {
		busy, err := s.busyApplications(ctx, now)
		if err != nil {
			return nil, err
		}
		var candidates []candidate
		if len(busy) > 0 {
			candidates, err = s.waiting(ctx, now, busy)
			if err != nil {
				return nil, err
			}
		}
		if len(candidates) == 0 {
			if candidates, err = s.waiting(ctx, now, nil); err != nil {
				return nil, err
			}
		}
		changed := false
		for _, c := range candidates {
			d, taken, err := s.claim(ctx, c.ID, c.Rev, owner, now, until)
			if d != nil || err != nil {
				return d, err
			}
			changed = changed || !taken
		}
		if !changed { // none found, or all being claimed by others
			return nil, fmt.Errorf("mongo claim document: none waiting: %w", intake.ErrNotFound)
		}
	}
}

type candidate struct {
	ID  string `bson:"_id"`
	Rev string `bson:"rev"`
}

// busyApplications returns the applications that have a document under a lease running at now.
func (s *Store) busyApplications(ctx context.Context, now time.Time) ([]string, error) {
	filter := bson.D{{Key: "status", Value: string(intake.StatusProcessing)}, {Key: "lease_until", Value: bson.D{{Key: "$gt", Value: now}}}}
	cur, err := s.docs.Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: "application_id", Value: 1}}))
	if err != nil {
		return nil, wrap(err, "claim document: find those being read")
	}
	var rs []struct {
		ApplicationID string `bson:"application_id"`
	}
	if err := cur.All(ctx, &rs); err != nil {
		return nil, wrap(err, "claim document: find those being read")
	}
	apps := make([]string, 0, len(rs))
	for _, r := range rs {
		if !slices.Contains(apps, r.ApplicationID) {
			apps = append(apps, r.ApplicationID)
		}
	}
	return apps, nil
}

// waitingFilter selects the documents waiting to be read at now: received, or processing under a lease
// that has run out (or that was claimed before documents had leases).
func waitingFilter(now time.Time) bson.D {
	processing := bson.E{Key: "status", Value: string(intake.StatusProcessing)}
	return bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "status", Value: string(intake.StatusReceived)}},
		bson.D{processing, {Key: "lease_until", Value: bson.D{{Key: "$lte", Value: now}}}},
		bson.D{processing, {Key: "lease_until", Value: nil}},
	}}}
}

// waiting returns the ids and revisions of the oldest documents waiting at now, except those of the
// applications not.
func (s *Store) waiting(ctx context.Context, now time.Time, not []string) ([]candidate, error) {
	find := options.Find().
		SetSort(bson.D{{Key: "uploaded_at", Value: 1}, {Key: "_id", Value: 1}}).
		SetLimit(claimCandidates).
		SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "rev", Value: 1}})
	filter := waitingFilter(now)
	if len(not) > 0 {
		filter = append(filter, bson.E{Key: "application_id", Value: bson.D{{Key: "$nin", Value: not}}})
	}
	cur, err := s.docs.Find(ctx, filter, find)
	if err != nil {
		return nil, wrap(err, "claim document: find waiting")
	}
	var cs []candidate
	if err := cur.All(ctx, &cs); err != nil {
		return nil, wrap(err, "claim document: find waiting")
	}
	return cs, nil
}

// claim tries to move document id at revision rev to processing under owner's lease. Without it and
// without error, taken reports whether another worker is claiming it; if not, it changed since it was
// read.
func (s *Store) claim(ctx context.Context, id, rev, owner string, now, until time.Time) (d *intake.Document, taken bool, err error) {
	lock := id + "/" + rev
	if ok, err := s.lock(ctx, lock); !ok || err != nil {
		return nil, true, err
	}
	defer s.claims.DeleteOne(context.WithoutCancel(ctx), bson.D{{Key: "_id", Value: lock}})

	var revValue any = rev
	if rev == "" {
		revValue = nil // written without a rev: matches a missing field
	}
	// The revision is the one read as waiting: every write (RenewLease too) gives a new one.
	filter := append(bson.D{{Key: "_id", Value: id}, {Key: "rev", Value: revValue}}, waitingFilter(now)...)
	update := bson.D{
		{Key: "$set", Value: bson.D{
			{Key: "status", Value: string(intake.StatusProcessing)},
			{Key: "owner", Value: owner},
			{Key: "lease_until", Value: until},
			{Key: "updated_at", Value: now},
			{Key: "rev", Value: newRev()},
		}},
		{Key: "$inc", Value: bson.D{{Key: "attempts", Value: 1}}},
	}
	var r documentRecord
	err = s.docs.FindOneAndUpdate(ctx, filter, update, options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&r)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return nil, false, nil
	case err != nil:
		return nil, false, wrap(err, "claim document %s", id)
	}
	return r.document(), false, nil
}

// lock inserts the claim lock. It reports false if another worker holds it, after removing it if it is
// older than claimTTL, so that the next look finds the document free again.
func (s *Store) lock(ctx context.Context, lock string) (bool, error) {
	_, err := s.claims.InsertOne(ctx, bson.D{{Key: "_id", Value: lock}, {Key: "claimed_at", Value: time.Now()}})
	if err == nil {
		return true, nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return false, wrap(err, "claim lock %s", lock)
	}
	stale := bson.D{{Key: "_id", Value: lock}, {Key: "claimed_at", Value: bson.D{{Key: "$lt", Value: time.Now().Add(-claimTTL)}}}}
	if _, err := s.claims.DeleteOne(ctx, stale); err != nil {
		return false, wrap(err, "remove stale claim lock %s", lock)
	}
	return false, nil
}

// sweepClaims removes, at most once every claimTTL, the claim locks older than claimTTL: left by a
// worker that died between taking one and deleting it, of a revision no claim will meet again.
func (s *Store) sweepClaims(ctx context.Context) {
	last := s.swept.Load()
	if time.Since(time.Unix(0, last)) < claimTTL || !s.swept.CompareAndSwap(last, time.Now().UnixNano()) {
		return
	}
	stale := bson.D{{Key: "claimed_at", Value: bson.D{{Key: "$lt", Value: time.Now().Add(-claimTTL)}}}}
	s.claims.DeleteMany(ctx, stale) // garbage only: the next sweep tries again
}

// RenewLease moves the end of owner's lease on the processing document id to until. It returns
// ErrNotFound if there is no such document and ErrConflict if it is not processing under owner.
func (s *Store) RenewLease(ctx context.Context, id, owner string, until time.Time) error {
	filter := bson.D{{Key: "_id", Value: id}, {Key: "owner", Value: owner}, {Key: "status", Value: string(intake.StatusProcessing)}}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "lease_until", Value: until}, {Key: "rev", Value: newRev()}}}}
	res, err := s.docs.UpdateOne(ctx, filter, update)
	if err != nil {
		return wrap(err, "renew lease of %s", id)
	}
	if res.MatchedCount == 0 {
		n, err := s.docs.CountDocuments(ctx, bson.D{{Key: "_id", Value: id}})
		switch {
		case err != nil:
			return wrap(err, "renew lease of %s", id)
		case n == 0:
			return fmt.Errorf("mongo renew lease of %s: %w", id, intake.ErrNotFound)
		}
		return fmt.Errorf("mongo renew lease of %s: not processing under %q: %w", id, owner, intake.ErrConflict)
	}
	return nil
}

// SavePages replaces the stored pages of a document. It returns ErrInvalid for a page number below 1 or
// given twice.
func (s *Store) SavePages(ctx context.Context, documentID string, pages []doc.Page) error {
	seen := make(map[int]bool, len(pages))
	recs := make([]any, len(pages))
	for i, p := range pages {
		if p.Number < 1 || seen[p.Number] {
			return fmt.Errorf("mongo save pages of %s: page number %d below 1 or given twice: %w", documentID, p.Number, intake.ErrInvalid)
		}
		seen[p.Number] = true
		recs[i] = pageRecordOf(documentID, p)
	}
	if _, err := s.pages.DeleteMany(ctx, bson.D{{Key: "document_id", Value: documentID}}); err != nil {
		return wrap(err, "save pages of %s: delete", documentID)
	}
	if len(recs) == 0 {
		return nil
	}
	if _, err := s.pages.InsertMany(ctx, recs); err != nil {
		return wrap(err, "save pages of %s", documentID)
	}
	return nil
}

// Pages returns a document's pages by number, none if it has not been read.
func (s *Store) Pages(ctx context.Context, documentID string) ([]doc.Page, error) {
	find := options.Find().SetSort(bson.D{{Key: "number", Value: 1}})
	cur, err := s.pages.Find(ctx, bson.D{{Key: "document_id", Value: documentID}}, find)
	if err != nil {
		return nil, wrap(err, "pages of %s", documentID)
	}
	var rs []pageRecord
	if err := cur.All(ctx, &rs); err != nil {
		return nil, wrap(err, "pages of %s", documentID)
	}
	pages := make([]doc.Page, len(rs))
	for i, r := range rs {
		pages[i] = r.page()
	}
	return pages, nil
}

// newRev returns a new random document revision.
func newRev() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// wrap adds "mongo " and the operation to err, and the intake sentinel it means, if any; nil stays nil.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	msg := "mongo " + fmt.Sprintf(format, args...)
	if s := sentinel(err); s != nil {
		return fmt.Errorf("%s: %w: %w", msg, s, err)
	}
	return fmt.Errorf("%s: %w", msg, err)
}

// notImplemented reports whether err is the server's NotImplemented (FerretDB's answer to what it lacks).
func notImplemented(err error) bool {
	var se mongo.ServerError
	return errors.As(err, &se) && se.HasErrorCode(codeNotImplemented)
}

// sentinel returns the intake error that a driver error means, or nil.
func sentinel(err error) error {
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return intake.ErrNotFound
	case mongo.IsDuplicateKeyError(err):
		return intake.ErrConflict
	case errors.Is(err, context.Canceled):
		return nil
	case mongo.IsNetworkError(err), mongo.IsTimeout(err), errors.Is(err, mongo.ErrClientDisconnected),
		errors.As(err, new(topology.ServerSelectionError)):
		return intake.ErrUnavailable
	}
	return nil
}

// The records: bson shapes of the domain types.

type applicationRecord struct {
	ID             string                  `bson:"_id"`
	OwnerID        string                  `bson:"owner_id"`
	State          string                  `bson:"state"` // absent in records older than states
	OrgName        string                  `bson:"org_name"`
	CreditCode     string                  `bson:"credit_code"`
	Region         string                  `bson:"region"`
	Year           int                     `bson:"year"`
	Functions      []string                `bson:"functions"`
	SubmittedAt    time.Time               `bson:"submitted_at"`
	CreatedAt      time.Time               `bson:"created_at"`
	UpdatedAt      time.Time               `bson:"updated_at"`
	ItemReviews    []itemReviewRecord      `bson:"item_reviews"`
	Acknowledged   []acknowledgementRecord `bson:"acknowledged"`
	Returns        []returnRecord          `bson:"returns"`
	Recommendation *recommendationRecord   `bson:"recommendation"`
	Experts        []string                `bson:"experts"`
	ExpertReviews  []expertReviewRecord    `bson:"expert_reviews"`
	Decision       *decisionRecord         `bson:"decision"`
	Publicity      *publicityRecord        `bson:"publicity"`
	Recognition    *recognitionRecord      `bson:"recognition"`
	Revocation     *revocationRecord       `bson:"revocation"`
	Evaluations    []evaluationRecord      `bson:"evaluations"`
}

type itemReviewRecord struct {
	Item     int         `bson:"item"`
	Decision string      `bson:"decision"`
	Comment  string      `bson:"comment"`
	By       actorRecord `bson:"by"`
	At       time.Time   `bson:"at"`
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
	ID             string              `bson:"_id"`
	ApplicationID  string              `bson:"application_id"`
	FileName       string              `bson:"file_name"`
	ContentType    string              `bson:"content_type"`
	Size           int64               `bson:"size"`
	SHA256         string              `bson:"sha256"`
	BlobKey        string              `bson:"blob_key"`
	Status         string              `bson:"status"`
	Reason         string              `bson:"reason"`
	Attempts       int                 `bson:"attempts"`
	Kind           string              `bson:"kind"`
	KindConfidence float64             `bson:"kind_confidence"`
	PageCount      int                 `bson:"page_count"`
	PagesDone      int                 `bson:"pages_done"`
	ReplacedBy     string              `bson:"replaced_by"`
	Fields         []fieldRecord       `bson:"fields"`
	PageSummaries  []pageSummaryRecord `bson:"page_summaries"`
	Reviews        []fieldReviewRecord `bson:"reviews"`
	KindReview     *kindReviewRecord   `bson:"kind_review"`
	UploadedAt     time.Time           `bson:"uploaded_at"`
	UpdatedAt      time.Time           `bson:"updated_at"`
	Rev            string              `bson:"rev"` // new on every write; see Claiming in the package doc
	Owner          string              `bson:"owner"`
	LeaseUntil     time.Time           `bson:"lease_until"`
}

type pageSummaryRecord struct {
	Number    int    `bson:"number"`
	Blank     bool   `bson:"blank"`
	Illegible bool   `bson:"illegible"`
	Seals     int    `bson:"seals"`
	Error     string `bson:"error"`
}

type fieldReviewRecord struct {
	Field    string      `bson:"field"`
	Action   string      `bson:"action"`
	Value    string      `bson:"value"`
	OCRValue string      `bson:"ocr_value"`
	Page     int         `bson:"page"` // where the reviewer marked the value; 0: not marked
	Box      boxRecord   `bson:"box"`
	By       actorRecord `bson:"by"`
	At       time.Time   `bson:"at"`
}

type kindReviewRecord struct {
	Kind    string      `bson:"kind"`
	OCRKind string      `bson:"ocr_kind"`
	By      actorRecord `bson:"by"`
	At      time.Time   `bson:"at"`
}

type fieldRecord struct {
	Name       string    `bson:"name"`
	Value      string    `bson:"value"`
	Text       string    `bson:"text"`
	Confidence float64   `bson:"confidence"`
	Page       int       `bson:"page"`
	Box        boxRecord `bson:"box"`
	Flags      []string  `bson:"flags"`
}

func documentRecordOf(d *intake.Document, rev string) documentRecord {
	r := documentRecord{
		ID: d.ID, ApplicationID: d.ApplicationID, FileName: d.FileName, ContentType: d.ContentType,
		Size: d.Size, SHA256: d.SHA256, BlobKey: d.BlobKey, Status: string(d.Status), Reason: d.Reason,
		Attempts: d.Attempts, Kind: d.Kind, KindConfidence: d.KindConfidence, PageCount: d.PageCount,
		PagesDone: d.PagesDone, ReplacedBy: d.ReplacedBy, UploadedAt: d.UploadedAt, UpdatedAt: d.UpdatedAt, Rev: rev,
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
		PagesDone: r.PagesDone, ReplacedBy: r.ReplacedBy, UploadedAt: r.UploadedAt, UpdatedAt: r.UpdatedAt,
		Owner: r.Owner, LeaseUntil: r.LeaseUntil,
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
	ID             string       `bson:"_id"`
	DocumentID     string       `bson:"document_id"`
	Number         int          `bson:"number"`
	Width          int          `bson:"width"`
	Height         int          `bson:"height"`
	DPI            int          `bson:"dpi"`
	Source         string       `bson:"source"`
	Rotation       int          `bson:"rotation"`
	Lines          []lineRecord `bson:"lines"`
	Blank          bool         `bson:"blank"`
	Illegible      bool         `bson:"illegible"`
	Error          string       `bson:"error"`
	Seals          []boxRecord  `bson:"seals"`
	SealUnknown    bool         `bson:"seal_unknown"`
	SealTexts      []sealRecord `bson:"seal_texts"`
	MeanConfidence float64      `bson:"mean_confidence"`
}

// sealRecord is the text read round a seal.
type sealRecord struct {
	Box        boxRecord `bson:"box"`
	Text       string    `bson:"text"`
	Confidence float64   `bson:"confidence"`
}

type lineRecord struct {
	Words []wordRecord `bson:"words"`
	Box   boxRecord    `bson:"box"`
}

type wordRecord struct {
	Text       string    `bson:"text"`
	Box        boxRecord `bson:"box"`
	Confidence float64   `bson:"confidence"`
}

// boxRecord is a document, not an array [x0, y0, x1, y1]: FerretDB 1.x refuses arrays in arrays (seals).
type boxRecord struct {
	X0 int `bson:"x0"`
	Y0 int `bson:"y0"`
	X1 int `bson:"x1"`
	Y1 int `bson:"y1"`
}

func boxRecordOf(b doc.Box) boxRecord { return boxRecord{b.X0, b.Y0, b.X1, b.Y1} }
func (b boxRecord) box() doc.Box      { return doc.Box{X0: b.X0, Y0: b.Y0, X1: b.X1, Y1: b.Y1} }

func pageRecordOf(documentID string, p doc.Page) pageRecord {
	r := pageRecord{
		ID: documentID + "/" + strconv.Itoa(p.Number), DocumentID: documentID,
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
