package intake

import (
	"context"
	"strings"
	"time"
)

// EventFilter narrows the auditor's view of the log. Every field that is set must hold.
type EventFilter struct {
	// Action is an action ("application.submit"), or a family of them when it ends in "."
	// ("application." for every action on applications).
	Action string
	// Actor is the id of the user who acted ("usr_…"), or a part of their name.
	Actor string
	// Object is what the event acted on other than the application itself: a document, user, round
	// or package (its id or key, exactly).
	Object string
	// From and To bound the event's time: From ≤ At < To; zero leaves that side open.
	From, To time.Time
}

// IsZero reports whether f selects every event.
func (f EventFilter) IsZero() bool { return f == EventFilter{} }

// Match reports whether f selects e.
func (f EventFilter) Match(e *Event) bool {
	switch {
	case f.Action != "" && e.Action != f.Action && !(strings.HasSuffix(f.Action, ".") && strings.HasPrefix(e.Action, f.Action)):
		return false
	case f.Actor != "" && e.Actor.ID != f.Actor && !strings.Contains(e.Actor.Name, f.Actor):
		return false
	case f.Object != "" && e.Object != f.Object:
		return false
	case !f.From.IsZero() && e.At.Before(f.From):
		return false
	case !f.To.IsZero() && !e.At.Before(f.To):
		return false
	}
	return true
}

// SearchEvents lists the events of q (of one application if p may see it or, for staff and
// auditors, of the whole system) that f selects, newest first, paged by q, and how many f selects in
// all. With a zero f it is Events. The stores index events by number and application only, so a
// filter reads through the events of q, a page at a time.
func (s *Service) SearchEvents(ctx context.Context, p Principal, q EventQuery, f EventFilter) ([]*Event, int, error) {
	q.ListOptions = clampList(q.ListOptions)
	if f.IsZero() {
		return s.Events(ctx, p, q)
	}
	// Events decides who may see what.
	if _, _, err := s.Events(ctx, p, EventQuery{ApplicationID: q.ApplicationID, ListOptions: ListOptions{Limit: 1}}); err != nil {
		return nil, 0, err
	}
	const pageSize = 200
	var out []*Event
	total := 0
	for off := 0; ; off += pageSize {
		page, n, err := s.store.ListEvents(ctx, EventQuery{ApplicationID: q.ApplicationID, ListOptions: ListOptions{Limit: pageSize, Offset: off}})
		if err != nil {
			return nil, 0, err
		}
		for _, e := range page {
			if !f.Match(e) {
				continue
			}
			if total >= q.Offset && len(out) < q.Limit {
				out = append(out, e)
			}
			total++
		}
		if len(page) == 0 || off+len(page) >= n {
			break
		}
	}
	return out, total, nil
}
