package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	bbolt "go.etcd.io/bbolt"

	"shenbao/intake"
)

// AppendEvent stores e with the next sequence number, which it sets in e.Seq. The number is the events
// bucket's sequence, taken in the transaction that stores the event, so a failed append uses none.
func (s *Store) AppendEvent(ctx context.Context, e *intake.Event) error {
	if e.ApplicationID != "" {
		if err := checkID("application", e.ApplicationID); err != nil {
			return err
		}
	}
	var seq uint64
	err := s.update(ctx, "append event "+e.Action, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketEvents)
		var err error
		if seq, err = b.NextSequence(); err != nil {
			return err
		}
		e.Seq, e.Prev = int64(seq), ""
		if seq > 1 {
			pv := b.Get(binary.BigEndian.AppendUint64(nil, seq-1))
			if pv == nil {
				return fmt.Errorf("event %d before %d is missing", seq-1, seq)
			}
			var prev eventRecord
			if err := json.Unmarshal(pv, &prev); err != nil {
				return fmt.Errorf("decode event %d: %w", seq-1, err)
			}
			e.Prev = prev.Hash
		}
		e.Hash = intake.EventHash(e)
		r := eventRecordOf(e)
		v, err := json.Marshal(r)
		if err != nil {
			return err
		}
		k := binary.BigEndian.AppendUint64(nil, seq)
		if err := b.Put(k, v); err != nil {
			return err
		}
		if e.ApplicationID == "" {
			return nil
		}
		return tx.Bucket(bucketEventsApp).Put(append(prefix(e.ApplicationID), k...), k)
	})
	if err != nil {
		return err
	}
	e.Seq = int64(seq)
	return nil
}

// ListEvents returns the events q selects, newest (highest Seq) first, and their total count.
func (s *Store) ListEvents(ctx context.Context, q intake.EventQuery) ([]*intake.Event, int, error) {
	limit, offset := page(q.ListOptions)
	var (
		list  []*intake.Event
		total int
	)
	err := s.view(ctx, "list events", func(tx *bbolt.Tx) error {
		events := tx.Bucket(bucketEvents)
		add := func(seq []byte) error {
			v := events.Get(seq)
			if v == nil {
				return fmt.Errorf("event %x of application %s is missing", seq, q.ApplicationID)
			}
			var r eventRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode event %x: %w", seq, err)
			}
			list = append(list, r.event())
			return nil
		}
		if q.ApplicationID == "" {
			total = int(events.Sequence()) // gapless: the last number is the count
			c := events.Cursor()
			n := 0
			for k, _ := c.Last(); k != nil && len(list) < limit; k, _ = c.Prev() {
				if n++; n <= offset {
					continue
				}
				if err := add(k); err != nil {
					return err
				}
			}
			return nil
		}
		pre := prefix(q.ApplicationID)
		c := tx.Bucket(bucketEventsApp).Cursor()
		for k, seq := lastWithPrefix(c, pre); k != nil && bytes.HasPrefix(k, pre); k, seq = c.Prev() {
			if total++; total <= offset || len(list) >= limit {
				continue
			}
			if err := add(seq); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// lastWithPrefix moves c to the last key that begins with pre, which ends with NUL, and returns it; a key
// outside pre if there is none.
func lastWithPrefix(c *bbolt.Cursor, pre []byte) (k, v []byte) {
	after := append(bytes.Clone(pre[:len(pre)-1]), 1) // the first key past every key with pre
	if k, _ = c.Seek(after); k == nil {
		return c.Last()
	}
	return c.Prev()
}

// PutRound stores a round, replacing the round of the same year. It returns ErrInvalid for a year
// below 1.
func (s *Store) PutRound(ctx context.Context, r *intake.Round) error {
	if r.Year < 1 {
		return fmt.Errorf("bolt put round: year %d: %w", r.Year, intake.ErrInvalid)
	}
	return s.update(ctx, "put round "+strconv.Itoa(r.Year), func(tx *bbolt.Tx) error {
		v, err := json.Marshal(roundRecordOf(r))
		if err != nil {
			return err
		}
		return tx.Bucket(bucketRounds).Put(yearKey(r.Year), v)
	})
}

// GetRound returns ErrNotFound if there is no round for that year.
func (s *Store) GetRound(ctx context.Context, year int) (*intake.Round, error) {
	var r *intake.Round
	err := s.view(ctx, "get round "+strconv.Itoa(year), func(tx *bbolt.Tx) error {
		if year < 1 {
			return intake.ErrNotFound
		}
		v := tx.Bucket(bucketRounds).Get(yearKey(year))
		if v == nil {
			return intake.ErrNotFound
		}
		var err error
		r, err = decodeRound(v)
		return err
	})
	return r, err
}

// ListRounds returns every round, latest year first.
func (s *Store) ListRounds(ctx context.Context) ([]*intake.Round, error) {
	var list []*intake.Round
	err := s.view(ctx, "list rounds", func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketRounds).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			r, err := decodeRound(v)
			if err != nil {
				return err
			}
			list = append(list, r)
		}
		return nil
	})
	return list, err
}

func yearKey(year int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(year)) }

func decodeRound(v []byte) (*intake.Round, error) {
	var r roundRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("decode round: %w", err)
	}
	return r.round(), nil
}

type eventRecord struct {
	Seq           int64       `json:"seq"`
	At            time.Time   `json:"at"`
	Actor         actorRecord `json:"actor"`
	Action        string      `json:"action"`
	ApplicationID string      `json:"application_id,omitempty"`
	Object        string      `json:"object,omitempty"`
	From          string      `json:"from,omitempty"`
	To            string      `json:"to,omitempty"`
	Comment       string      `json:"comment,omitempty"`
	Digest        string      `json:"digest,omitempty"`
	Prev          string      `json:"prev,omitempty"`
	Hash          string      `json:"hash,omitempty"`
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
	Year      int         `json:"year"`
	Opens     time.Time   `json:"opens"`
	Closes    time.Time   `json:"closes"`
	Notice    string      `json:"notice,omitempty"`
	OpenedBy  actorRecord `json:"opened_by"`
	CreatedAt time.Time   `json:"created_at"`
}

func roundRecordOf(r *intake.Round) roundRecord {
	return roundRecord{Year: r.Year, Opens: r.Opens, Closes: r.Closes, Notice: r.Notice,
		OpenedBy: actorRecordOf(r.OpenedBy), CreatedAt: r.CreatedAt}
}

func (r roundRecord) round() *intake.Round {
	return &intake.Round{Year: r.Year, Opens: utc(r.Opens), Closes: utc(r.Closes), Notice: r.Notice,
		OpenedBy: r.OpenedBy.actor(), CreatedAt: utc(r.CreatedAt)}
}
