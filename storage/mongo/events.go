package mongo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"shenbao/intake"
)

// eventsCounter is the _id of the counters document that holds the highest event number known stored.
const eventsCounter = "events"

// AppendEvent stores e with the next sequence number, which it sets in e.Seq. See Events in the package
// doc: the number is claimed by inserting the event under it, so no two appends get the same one and a
// failed append uses none.
func (s *Store) AppendEvent(ctx context.Context, e *intake.Event) error {
	var tried int64
	for {
		last, err := s.lastSeq(ctx)
		if err != nil {
			return err
		}
		seq := max(last, tried) + 1
		e.Seq, e.Prev = seq, ""
		if seq > 1 {
			var prev eventRecord
			if err := s.events.FindOne(ctx, bson.D{{Key: "_id", Value: seq - 1}}).Decode(&prev); err != nil {
				return wrap(err, "append event %s: read event %d", e.Action, seq-1)
			}
			e.Prev = prev.Hash
		}
		e.Hash = intake.EventHash(e)
		r := eventRecordOf(e)
		_, err = s.events.InsertOne(ctx, r)
		if mongo.IsDuplicateKeyError(err) { // another append took seq
			tried = seq
			continue
		}
		if err != nil {
			return wrap(err, "append event %s", e.Action)
		}
		// Stored: a counter left behind, by a failure here or by a slower append setting its lower
		// number, only costs the next append a collision.
		s.counters.UpdateOne(context.WithoutCancel(ctx), bson.D{{Key: "_id", Value: eventsCounter}},
			bson.D{{Key: "$max", Value: bson.D{{Key: "seq", Value: seq}}}}, options.UpdateOne().SetUpsert(true))
		e.Seq = seq
		return nil
	}
}

// lastSeq returns the number in the events counter, 0 before the first event.
func (s *Store) lastSeq(ctx context.Context) (int64, error) {
	var c struct {
		Seq int64 `bson:"seq"`
	}
	err := s.counters.FindOne(ctx, bson.D{{Key: "_id", Value: eventsCounter}}).Decode(&c)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	if err != nil {
		return 0, wrap(err, "append event: read the counter")
	}
	return c.Seq, nil
}

// ListEvents returns the events q selects, newest (highest Seq) first, and their total count.
func (s *Store) ListEvents(ctx context.Context, q intake.EventQuery) ([]*intake.Event, int, error) {
	limit, offset := page(q.ListOptions)
	filter := bson.D{}
	if q.ApplicationID != "" {
		filter = append(filter, bson.E{Key: "application_id", Value: q.ApplicationID})
	}
	total, err := s.events.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, wrap(err, "count events")
	}
	find := options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetSkip(int64(offset)).SetLimit(int64(limit))
	cur, err := s.events.Find(ctx, filter, find)
	if err != nil {
		return nil, 0, wrap(err, "list events")
	}
	var rs []eventRecord
	if err := cur.All(ctx, &rs); err != nil {
		return nil, 0, wrap(err, "list events")
	}
	list := make([]*intake.Event, len(rs))
	for i, r := range rs {
		list[i] = r.event()
	}
	return list, int(total), nil
}

// PutRound stores a round, replacing the round of the same year. It returns ErrInvalid for a year
// below 1.
func (s *Store) PutRound(ctx context.Context, r *intake.Round) error {
	if r.Year < 1 {
		return fmt.Errorf("mongo put round: year %d: %w", r.Year, intake.ErrInvalid)
	}
	_, err := s.rounds.ReplaceOne(ctx, bson.D{{Key: "_id", Value: r.Year}}, roundRecordOf(r), options.Replace().SetUpsert(true))
	return wrap(err, "put round %d", r.Year)
}

// GetRound returns ErrNotFound if there is no round for that year.
func (s *Store) GetRound(ctx context.Context, year int) (*intake.Round, error) {
	var r roundRecord
	if err := s.rounds.FindOne(ctx, bson.D{{Key: "_id", Value: year}}).Decode(&r); err != nil {
		return nil, wrap(err, "get round %d", year)
	}
	return r.round(), nil
}

// ListRounds returns every round, latest year first.
func (s *Store) ListRounds(ctx context.Context) ([]*intake.Round, error) {
	cur, err := s.rounds.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}))
	if err != nil {
		return nil, wrap(err, "list rounds")
	}
	var rs []roundRecord
	if err := cur.All(ctx, &rs); err != nil {
		return nil, wrap(err, "list rounds")
	}
	list := make([]*intake.Round, len(rs))
	for i, r := range rs {
		list[i] = r.round()
	}
	return list, nil
}

type eventRecord struct {
	Seq           int64       `bson:"_id"`
	At            time.Time   `bson:"at"`
	Actor         actorRecord `bson:"actor"`
	Action        string      `bson:"action"`
	ApplicationID string      `bson:"application_id"`
	Object        string      `bson:"object"`
	From          string      `bson:"from"`
	To            string      `bson:"to"`
	Comment       string      `bson:"comment"`
	Digest        string      `bson:"digest,omitempty"`
	Prev          string      `bson:"prev,omitempty"`
	Hash          string      `bson:"hash,omitempty"`
}

func eventRecordOf(e *intake.Event) eventRecord {
	return eventRecord{
		Seq: e.Seq, At: e.At, Actor: actorRecordOf(e.Actor), Action: e.Action, ApplicationID: e.ApplicationID,
		Object: e.Object, From: string(e.From), To: string(e.To), Comment: e.Comment, Digest: e.Digest, Prev: e.Prev, Hash: e.Hash,
	}
}

func (r eventRecord) event() *intake.Event {
	return &intake.Event{
		Seq: r.Seq, At: utc(r.At), Actor: r.Actor.actor(), Action: r.Action, ApplicationID: r.ApplicationID,
		Object: r.Object, From: intake.State(r.From), To: intake.State(r.To), Comment: r.Comment,
		Digest: r.Digest, Prev: r.Prev, Hash: r.Hash,
	}
}

type roundRecord struct {
	Year      int         `bson:"_id"`
	Opens     time.Time   `bson:"opens"`
	Closes    time.Time   `bson:"closes"`
	Notice    string      `bson:"notice"`
	OpenedBy  actorRecord `bson:"opened_by"`
	CreatedAt time.Time   `bson:"created_at"`
}

func roundRecordOf(r *intake.Round) roundRecord {
	return roundRecord{Year: r.Year, Opens: r.Opens, Closes: r.Closes, Notice: r.Notice,
		OpenedBy: actorRecordOf(r.OpenedBy), CreatedAt: r.CreatedAt}
}

func (r roundRecord) round() *intake.Round {
	return &intake.Round{Year: r.Year, Opens: utc(r.Opens), Closes: utc(r.Closes), Notice: r.Notice,
		OpenedBy: r.OpenedBy.actor(), CreatedAt: utc(r.CreatedAt)}
}
