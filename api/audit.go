package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"shenbao/intake"
)

// The auditor's endpoints (第二十四条): the log of actions, filterable, and the archive's checks.

type eventJSON struct {
	Seq           int64     `json:"seq"`
	At            time.Time `json:"at"`
	Actor         actorJSON `json:"actor"`
	Action        string    `json:"action"`
	ApplicationID string    `json:"application_id,omitempty"`
	Object        string    `json:"object,omitempty"`
	From          string    `json:"from,omitempty"`
	To            string    `json:"to,omitempty"`
	Comment       string    `json:"comment,omitempty"`
	Digest        string    `json:"digest,omitempty"`
	Prev          string    `json:"prev,omitempty"`
	Hash          string    `json:"hash,omitempty"`
}

// listEvents answers GET /api/v1/applications/:id/events and GET /api/v1/events: the log, newest
// first, paged (limit, offset), filtered by
//
//	action=application.submit   an action, or a family ending in "." (application.)
//	actor=usr_…|卓玛             the actor's user id, or a part of their name
//	application=app_…           of one application (GET /events only; the path's id otherwise)
//	object=doc_…                what the event acted on: a document, user, round or package
//	from=2026-12-01, to=…       days in China time, both included; or RFC 3339 instants (to excluded)
//
// It answers {"items", "total", "limit", "offset"}: total counts every event the filters select.
func (s *Server) listEvents(c *gin.Context) error {
	q := intake.EventQuery{ApplicationID: c.Param("id"), ListOptions: listOptions(c)}
	if q.ApplicationID == "" {
		q.ApplicationID = strings.TrimSpace(c.Query("application"))
	}
	f := intake.EventFilter{
		Action: strings.TrimSpace(c.Query("action")),
		Actor:  strings.TrimSpace(c.Query("actor")),
		Object: strings.TrimSpace(c.Query("object")),
	}
	var err error
	if f.From, err = parseBound(c.Query("from"), false); err != nil {
		return err
	}
	if f.To, err = parseBound(c.Query("to"), true); err != nil {
		return err
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return &intake.Error{Code: "invalid_range", Message: "起始时间应早于截止时间。", Err: intake.ErrInvalid}
	}
	evs, total, err := s.svc.SearchEvents(c.Request.Context(), principal(c), q, f)
	if err != nil {
		return err
	}
	items := make([]eventJSON, 0, len(evs))
	for _, e := range evs {
		items = append(items, eventJSON{e.Seq, e.At, toActor(e.Actor), e.Action, e.ApplicationID, e.Object, string(e.From), string(e.To), e.Comment, e.Digest, e.Prev, e.Hash})
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": total, "limit": q.Limit, "offset": q.Offset})
	return nil
}

// parseBound reads a bound of a time range: a day (YYYY-MM-DD, China time: its start, or for the
// end of a range the start of the next day, so that the day is included) or an RFC 3339 instant.
func parseBound(s string, end bool) (time.Time, error) {
	if s = strings.TrimSpace(s); s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, chinaTime)
	if err != nil {
		return time.Time{}, &intake.Error{Code: "invalid_date", Message: "时间格式应为 YYYY-MM-DD 或 RFC 3339（如 2026-12-01T08:00:00+08:00）。", Err: intake.ErrInvalid}
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

// VerifyJSON is the wire form of a verify report, the same for GET /api/v1/verify and
// `shenbao verify --json`.
type VerifyJSON struct {
	OK           bool          `json:"ok"`
	Scope        string        `json:"scope"` // "all", or "log" for the log's chain and anchors alone
	Events       int           `json:"events"`
	Anchors      int           `json:"anchors"`
	Originals    int           `json:"originals"`
	Rendered     int           `json:"rendered"`
	Packages     int           `json:"packages"`
	Compilations int           `json:"compilations"`
	Failures     []FindingJSON `json:"failures"`
	Notes        []string      `json:"notes"`
}

// FindingJSON is one failed check: which check, of which object, what is wrong.
type FindingJSON struct {
	Check   string `json:"check"`
	Object  string `json:"object"`
	Problem string `json:"problem"`
}

// ToVerifyJSON turns a report into its wire form.
func ToVerifyJSON(r *intake.VerifyReport, scope string) VerifyJSON {
	j := VerifyJSON{OK: r.OK(), Scope: scope, Events: r.Events, Anchors: r.Anchors, Originals: r.Originals, Rendered: r.Rendered,
		Packages: r.Packages, Compilations: r.Compilations, Failures: []FindingJSON{}, Notes: append([]string{}, r.Notes...)}
	for _, f := range r.Failures {
		j.Failures = append(j.Failures, FindingJSON{f.Check, f.Object, f.Problem})
	}
	return j
}

// getVerify answers GET /api/v1/verify[?application=][&scope=log] (staff and auditors): the archive's
// checks, as `shenbao verify --json` prints them; with scope=log only the log's chain and anchors
// (the chain's status beside the log, quick: no original or package is read).
func (s *Server) getVerify(c *gin.Context) error {
	var r *intake.VerifyReport
	var err error
	scope := c.DefaultQuery("scope", "all")
	switch scope {
	case "all":
		r, err = s.svc.Verify(c.Request.Context(), principal(c), c.Query("application"))
	case "log":
		r, err = s.svc.VerifyLog(c.Request.Context(), principal(c))
	default:
		return &intake.Error{Code: "invalid_scope", Message: "核验范围只能是 all 或 log。", Err: intake.ErrInvalid}
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, ToVerifyJSON(r, scope))
	return nil
}
