package api

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"shenbao/intake"
)

type eventsPage struct {
	Items  []eventJSON `json:"items"`
	Total  int         `json:"total"`
	Limit  int         `json:"limit"`
	Offset int         `json:"offset"`
}

func (tb *testbed) events(t *testing.T, col, path string) eventsPage {
	t.Helper()
	code, body := tb.do(t, col, "GET", path, "")
	if code != 200 {
		t.Fatalf("GET %s as %s: %d %s", path, col, code, body)
	}
	var p eventsPage
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return p
}

func seqs(evs []eventJSON) string {
	s := make([]string, len(evs))
	for i, e := range evs {
		s[i] = fmt.Sprint(e.Seq)
	}
	return strings.Join(s, " ")
}

// TestEventFilters: the log's endpoints select by action (or a family of actions), actor (id or part
// of the name), application, object and time range, and page what they select, newest first, with the
// total of all it selects.
func TestEventFilters(t *testing.T) {
	tb := newTestbed(t)
	appA, _ := tb.fixture(t, intake.StateDraft)
	appB, _ := tb.fixture(t, intake.StateDraft)
	all := tb.events(t, "staff", "/api/v1/events?limit=200")
	if all.Total != len(all.Items) || all.Total < 10 {
		t.Fatalf("the whole log: %d of %d events; want it all on one page, at least 10", len(all.Items), all.Total)
	}
	// want is what a filter should select, by the same rule spelled out here.
	want := func(keep func(e eventJSON) bool) []eventJSON {
		var out []eventJSON
		for _, e := range all.Items {
			if keep(e) {
				out = append(out, e)
			}
		}
		return out
	}
	owner := tb.users["owner"]
	middle := all.Items[len(all.Items)/2].At
	cases := []struct {
		name, query string
		keep        func(e eventJSON) bool
	}{
		{"action", "action=application.create", func(e eventJSON) bool { return e.Action == "application.create" }},
		{"family of actions", "action=user.", func(e eventJSON) bool { return strings.HasPrefix(e.Action, "user.") }},
		{"actor by id", "actor=" + owner.ID, func(e eventJSON) bool { return e.Actor.ID == owner.ID }},
		{"actor by part of the name", "actor=" + url.QueryEscape("owner 名"), func(e eventJSON) bool { return e.Actor.ID == owner.ID }},
		{"application", "application=" + appB, func(e eventJSON) bool { return e.ApplicationID == appB }},
		{"object", "object=" + owner.ID, func(e eventJSON) bool { return e.Object == owner.ID }},
		{"action and actor", "action=application.&actor=" + owner.ID, func(e eventJSON) bool {
			return strings.HasPrefix(e.Action, "application.") && e.Actor.ID == owner.ID
		}},
		{"from an instant", "from=" + url.QueryEscape(middle.Format(time.RFC3339Nano)), func(e eventJSON) bool { return !e.At.Before(middle) }},
		{"until an instant", "to=" + url.QueryEscape(middle.Format(time.RFC3339Nano)), func(e eventJSON) bool { return e.At.Before(middle) }},
		{"today, both days included", "from=" + day(time.Now()) + "&to=" + day(time.Now()), func(eventJSON) bool { return true }},
		{"from tomorrow", "from=" + day(time.Now().AddDate(0, 0, 1)), func(eventJSON) bool { return false }},
		{"until yesterday", "to=" + day(time.Now().AddDate(0, 0, -1)), func(eventJSON) bool { return false }},
		{"nothing of that action", "action=application.grant", func(eventJSON) bool { return false }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := want(c.keep)
			got := tb.events(t, "auditor", "/api/v1/events?limit=200&"+c.query)
			if got.Total != len(w) || seqs(got.Items) != seqs(w) {
				t.Errorf("?%s: %d events [%s]; want %d [%s]", c.query, got.Total, seqs(got.Items), len(w), seqs(w))
			}
		})
	}
	if n := len(want(func(e eventJSON) bool { return e.Action == "application.create" })); n != 2 {
		t.Errorf("%d application.create events in the log; want 2 (the filters above would prove little)", n)
	}

	t.Run("paged", func(t *testing.T) {
		w := want(func(e eventJSON) bool { return strings.HasPrefix(e.Action, "user.") })
		if len(w) < 4 {
			t.Fatalf("%d user events; want at least 4 to page through", len(w))
		}
		got := tb.events(t, "staff", "/api/v1/events?action=user.&limit=2&offset=1")
		if got.Total != len(w) || seqs(got.Items) != seqs(w[1:3]) || got.Limit != 2 || got.Offset != 1 {
			t.Errorf("page 2 of 2: total %d [%s] limit %d offset %d; want total %d [%s]", got.Total, seqs(got.Items), got.Limit, got.Offset, len(w), seqs(w[1:3]))
		}
	})
	t.Run("of an application", func(t *testing.T) {
		got := tb.events(t, "owner", "/api/v1/applications/"+appA+"/events?action=application.create&actor="+owner.ID)
		if got.Total != 1 || len(got.Items) != 1 || got.Items[0].ApplicationID != appA {
			t.Errorf("the owner's filtered view of %s: %+v; want its one application.create", appA, got)
		}
		// The path's application wins over a query's.
		got = tb.events(t, "staff", "/api/v1/applications/"+appA+"/events?application="+appB)
		for _, e := range got.Items {
			if e.ApplicationID != appA {
				t.Errorf("events of %s answered event %d of %s", appA, e.Seq, e.ApplicationID)
			}
		}
	})
	t.Run("who may", func(t *testing.T) {
		for _, c := range []struct {
			col, path string
			want      int
		}{
			{"owner", "/api/v1/events?actor=" + owner.ID, 403},
			{"other", "/api/v1/applications/" + appA + "/events?action=application.", 404},
			{"anon", "/api/v1/events?action=user.", 401},
		} {
			if code, body := tb.do(t, c.col, "GET", c.path, ""); code != c.want {
				t.Errorf("GET %s as %s: %d %s; want %d", c.path, c.col, code, truncate(body, 200), c.want)
			}
		}
	})
	t.Run("bad ranges", func(t *testing.T) {
		for _, q := range []string{"from=2026-13-01", "to=yesterday", "from=2026-12-02&to=2026-12-01"} {
			code, body := tb.do(t, "staff", "GET", "/api/v1/events?"+q, "")
			if code != 400 || !strings.Contains(body, "时间") {
				t.Errorf("?%s: %d %s; want 400 saying what is wrong with the time", q, code, body)
			}
		}
	})
}

// TestVerifyLogScope: GET /verify?scope=log answers the chain's status alone — every event checked,
// no original read — and an unknown scope is refused.
func TestVerifyLogScope(t *testing.T) {
	tb := newTestbed(t)
	tb.fixture(t, intake.StateDraft)
	code, body := tb.do(t, "auditor", "GET", "/api/v1/verify?scope=log", "")
	var r VerifyJSON
	if code != 200 || json.Unmarshal([]byte(body), &r) != nil {
		t.Fatalf("GET /verify?scope=log: %d %s", code, body)
	}
	all := tb.events(t, "auditor", "/api/v1/events?limit=1")
	if !r.OK || r.Scope != "log" || r.Events != all.Total || r.Originals != 0 || r.Failures == nil {
		t.Errorf("scope=log: %+v; want ok, scope log, %d events, no original read, failures []", r, all.Total)
	}
	code, body = tb.do(t, "staff", "GET", "/api/v1/verify", "")
	if code != 200 || json.Unmarshal([]byte(body), &r) != nil || r.Scope != "all" || r.Originals != 1 {
		t.Errorf("GET /verify: %d %s; want scope all with the fixture's original", code, body)
	}
	if code, body := tb.do(t, "staff", "GET", "/api/v1/verify?scope=originals", ""); code != 400 {
		t.Errorf("scope=originals: %d %s; want 400", code, body)
	}
	if code, _ := tb.do(t, "owner", "GET", "/api/v1/verify?scope=log", ""); code != 403 {
		t.Errorf("an applicant asking for the chain's status: %d; want 403", code)
	}
}
