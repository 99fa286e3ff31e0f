package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shenbao/intake"
)

// The conformance tests of the application's cycle: queries by owner, region, expert, year and state;
// the event log; the yearly rounds.

// checkQuery checks that q lists the applications want, in that order, and counts total.
func checkQuery(t *testing.T, s intake.Store, q intake.ApplicationQuery, want []string, total int) {
	t.Helper()
	got, n, err := s.ListApplications(t.Context(), q)
	if err != nil {
		t.Errorf("ListApplications(%+v): %v", q, err)
		return
	}
	if diff := cmp.Diff(appIDs(got), want, cmpOpts); diff != "" {
		t.Errorf("ListApplications(%+v) ids mismatch (-got +want):\n%s", q, diff)
	}
	if n != total {
		t.Errorf("ListApplications(%+v) total = %d; want %d", q, n, total)
	}
}

// testApplicationWithoutState checks the rule for applications stored before they had a state: draft if
// never submitted, else submitted, when read and when queried.
func testApplicationWithoutState(t *testing.T, s intake.Store) {
	draft := &intake.Application{ID: "app-1", OrgName: "机构一", Region: "南京市", Year: 2025,
		CreatedAt: t0, UpdatedAt: t0}
	submitted := &intake.Application{ID: "app-2", OrgName: "机构二", Region: "南京市", Year: 2025,
		SubmittedAt: t0.Add(time.Hour), CreatedAt: t0.Add(time.Minute), UpdatedAt: t0.Add(time.Hour)}
	createApplication(t, s, draft)
	createApplication(t, s, submitted)
	for id, want := range map[string]intake.State{"app-1": intake.StateDraft, "app-2": intake.StateSubmitted} {
		got, err := s.GetApplication(t.Context(), id)
		if err != nil {
			t.Fatalf("GetApplication(%s): %v", id, err)
		}
		if got.State != want {
			t.Errorf("GetApplication(%s).State of an application stored without state = %q; want %q", id, got.State, want)
		}
	}
	checkQuery(t, s, intake.ApplicationQuery{States: []intake.State{intake.StateDraft}}, []string{"app-1"}, 1)
	checkQuery(t, s, intake.ApplicationQuery{States: []intake.State{intake.StateSubmitted}}, []string{"app-2"}, 1)
	checkQuery(t, s, intake.ApplicationQuery{NotDraft: true}, []string{"app-2"}, 1)
}

// queryFixture stores six applications, app-0 oldest to app-5 newest, that differ in every condition of
// a query.
func queryFixture(t *testing.T, s intake.Store) {
	for i, f := range []struct {
		owner, region string
		year          int
		state         intake.State
		experts       []string
	}{
		{"usr-1", "南京市", 2025, intake.StateDraft, nil},
		{"usr-1", "南京市", 2025, intake.StateSubmitted, nil},
		{"usr-2", "苏州市", 2025, intake.StateUnderReview, []string{"usr-e1", "usr-e2"}},
		{"usr-2", "南京市", 2026, intake.StateUnderReview, []string{"usr-e2"}},
		{"usr-3", "苏州市", 2026, intake.StateRecognised, []string{"usr-e1"}},
		{"usr-3", "南京市", 2026, intake.StateDraft, nil},
	} {
		a := newApplication(fmt.Sprintf("app-%d", i), t0.Add(time.Duration(i)*time.Minute))
		a.OwnerID, a.Region, a.Year, a.State, a.Experts = f.owner, f.region, f.year, f.state, f.experts
		createApplication(t, s, a)
	}
}

func testQueryApplications(t *testing.T, s intake.Store) {
	queryFixture(t, s)
	type states = []intake.State
	for _, tt := range []struct {
		q    intake.ApplicationQuery
		want []string
	}{
		{intake.ApplicationQuery{}, []string{"app-5", "app-4", "app-3", "app-2", "app-1", "app-0"}},
		{intake.ApplicationQuery{States: states{}}, []string{"app-5", "app-4", "app-3", "app-2", "app-1", "app-0"}},
		{intake.ApplicationQuery{Owner: "usr-1"}, []string{"app-1", "app-0"}},
		{intake.ApplicationQuery{Owner: "usr-none"}, []string{}},
		{intake.ApplicationQuery{Region: "南京市"}, []string{"app-5", "app-3", "app-1", "app-0"}},
		{intake.ApplicationQuery{Region: "南京"}, []string{}},
		{intake.ApplicationQuery{Expert: "usr-e1"}, []string{"app-4", "app-2"}},
		{intake.ApplicationQuery{Expert: "usr-e2"}, []string{"app-3", "app-2"}},
		{intake.ApplicationQuery{Expert: "usr-e"}, []string{}},
		{intake.ApplicationQuery{Year: 2026}, []string{"app-5", "app-4", "app-3"}},
		{intake.ApplicationQuery{Year: 2024}, []string{}},
		{intake.ApplicationQuery{States: states{intake.StateUnderReview}}, []string{"app-3", "app-2"}},
		{intake.ApplicationQuery{States: states{intake.StateDraft, intake.StateRecognised}}, []string{"app-5", "app-4", "app-0"}},
		{intake.ApplicationQuery{States: states{intake.StateRevoked}}, []string{}},
		{intake.ApplicationQuery{NotDraft: true}, []string{"app-4", "app-3", "app-2", "app-1"}},
		// Combinations: every condition must hold.
		{intake.ApplicationQuery{NotDraft: true, States: states{intake.StateDraft, intake.StateSubmitted}}, []string{"app-1"}},
		{intake.ApplicationQuery{Region: "南京市", Year: 2026}, []string{"app-5", "app-3"}},
		{intake.ApplicationQuery{Owner: "usr-2", Expert: "usr-e2", Year: 2025}, []string{"app-2"}},
		{intake.ApplicationQuery{Region: "苏州市", Expert: "usr-e2", NotDraft: true}, []string{"app-2"}},
		{intake.ApplicationQuery{Region: "苏州市", States: states{intake.StateRecognised}, Year: 2025}, []string{}},
		{intake.ApplicationQuery{Owner: "usr-3", Region: "南京市", Year: 2026, States: states{intake.StateDraft}}, []string{"app-5"}},
		{intake.ApplicationQuery{Owner: "usr-3", Region: "南京市", Year: 2026, States: states{intake.StateDraft}, NotDraft: true}, []string{}},
		{intake.ApplicationQuery{Owner: "usr-2", Region: "南京市", Expert: "usr-e2", Year: 2026,
			States: states{intake.StateUnderReview, intake.StateReviewed}, NotDraft: true}, []string{"app-3"}},
		{intake.ApplicationQuery{Owner: "usr-2", Region: "南京市", Expert: "usr-e1", Year: 2026}, []string{}},
	} {
		checkQuery(t, s, tt.q, tt.want, len(tt.want))
	}
}

func testQueryApplicationsPaging(t *testing.T, s intake.Store) {
	queryFixture(t, s)
	page := func(limit, offset int) intake.ListOptions { return intake.ListOptions{Limit: limit, Offset: offset} }
	for _, tt := range []struct {
		q     intake.ApplicationQuery
		want  []string
		total int
	}{
		{intake.ApplicationQuery{Region: "南京市", ListOptions: page(2, 0)}, []string{"app-5", "app-3"}, 4},
		{intake.ApplicationQuery{Region: "南京市", ListOptions: page(2, 2)}, []string{"app-1", "app-0"}, 4},
		{intake.ApplicationQuery{Region: "南京市", ListOptions: page(0, 3)}, []string{"app-0"}, 4},
		{intake.ApplicationQuery{Region: "南京市", ListOptions: page(0, 4)}, []string{}, 4},
		{intake.ApplicationQuery{Region: "南京市", ListOptions: page(10, 100)}, []string{}, 4},
		{intake.ApplicationQuery{NotDraft: true, ListOptions: page(1, 1)}, []string{"app-3"}, 4},
		{intake.ApplicationQuery{NotDraft: true, ListOptions: page(2, 3)}, []string{"app-1"}, 4},
		{intake.ApplicationQuery{Expert: "usr-e1", Year: 2026, ListOptions: page(1, 0)}, []string{"app-4"}, 1},
		{intake.ApplicationQuery{Owner: "usr-none", ListOptions: page(5, 0)}, []string{}, 0},
		{intake.ApplicationQuery{ListOptions: page(2, 1)}, []string{"app-4", "app-3"}, 6},
	} {
		checkQuery(t, s, tt.q, tt.want, tt.total)
	}
}

// newEvent returns the event of the ith action on app ("" for none), every field set but Seq.
func newEvent(app string, i int) *intake.Event {
	return &intake.Event{
		At:            t0.Add(time.Duration(i) * time.Minute),
		Actor:         recommender,
		Action:        "application.return",
		ApplicationID: app,
		Object:        fmt.Sprintf("doc-%d", i),
		From:          intake.StateSubmitted,
		To:            intake.StateReturned,
		Comment:       fmt.Sprintf("第 %d 次退回：审计报告缺少盖章页", i),
		Digest:        fmt.Sprintf("%064x", i),
	}
}

func appendEvent(t *testing.T, s intake.Store, e *intake.Event) {
	t.Helper()
	if err := s.AppendEvent(t.Context(), e); err != nil {
		t.Fatalf("AppendEvent(%s): %v", e.Comment, err)
	}
}

func seqs(es []*intake.Event) []int64 {
	out := make([]int64, len(es))
	for i, e := range es {
		out[i] = e.Seq
	}
	return out
}

func testAppendListEvents(t *testing.T, s intake.Store) {
	ctx := t.Context()
	if got, total, err := s.ListEvents(ctx, intake.EventQuery{}); err != nil || len(got) != 0 || total != 0 {
		t.Errorf("ListEvents on an empty store = %v, %d, %v; want none, 0, nil", seqs(got), total, err)
	}
	login := &intake.Event{At: t0, Actor: staff, Action: "user.login"}
	events := []*intake.Event{
		newEvent("app-1", 1), login, newEvent("app-10", 3), newEvent("app-1", 4), newEvent("app-1", 5), newEvent("app-2", 6),
	}
	for i, e := range events {
		appendEvent(t, s, e)
		if e.Seq != int64(i+1) {
			t.Errorf("AppendEvent #%d set Seq %d; want %d", i+1, e.Seq, i+1)
		}
	}
	got, total, err := s.ListEvents(ctx, intake.EventQuery{})
	if err != nil {
		t.Fatalf("ListEvents: %v", err)
	}
	want := []*intake.Event{events[5], events[4], events[3], events[2], events[1], events[0]}
	if diff := cmp.Diff(got, want, cmpOpts); diff != "" || total != 6 {
		t.Errorf("ListEvents({}): total %d, want 6; mismatch (-got +want):\n%s", total, diff)
	}
	for _, e := range got {
		checkUTC(t, "ListEvents", e)
	}
	// The chain: each event holds the hash of the one before, and its own hash is of what was stored.
	for i, e := range events {
		wantPrev := ""
		if i > 0 {
			wantPrev = events[i-1].Hash
		}
		if e.Prev != wantPrev || e.Hash == "" || e.Hash != intake.EventHash(e) {
			t.Errorf("event %d: prev %.8s hash %.8s; want prev %.8s and its EventHash", e.Seq, e.Prev, e.Hash, wantPrev)
		}
	}
	for _, e := range got {
		if e.Hash != intake.EventHash(e) {
			t.Errorf("event %d as listed: hash %.8s, but its content hashes to %.8s", e.Seq, e.Hash, intake.EventHash(e))
		}
	}

	page := func(app string, limit, offset int) intake.EventQuery {
		return intake.EventQuery{ApplicationID: app, ListOptions: intake.ListOptions{Limit: limit, Offset: offset}}
	}
	for _, tt := range []struct {
		q     intake.EventQuery
		want  []int64
		total int
	}{
		{page("", 2, 1), []int64{5, 4}, 6},
		{page("", 0, 5), []int64{1}, 6},
		{page("", 3, 6), []int64{}, 6},
		{page("app-1", 0, 0), []int64{5, 4, 1}, 3}, // not app-10's
		{page("app-1", 2, 0), []int64{5, 4}, 3},
		{page("app-1", 2, 2), []int64{1}, 3},
		{page("app-1", 0, 3), []int64{}, 3},
		{page("app-10", 0, 0), []int64{3}, 1},
		{page("app-2", 0, 0), []int64{6}, 1},
		{page("app", 0, 0), []int64{}, 0},
		{page("app-none", 5, 0), []int64{}, 0},
	} {
		got, total, err := s.ListEvents(ctx, tt.q)
		if err != nil {
			t.Errorf("ListEvents(%+v): %v", tt.q, err)
			continue
		}
		if diff := cmp.Diff(seqs(got), tt.want, cmpOpts); diff != "" || total != tt.total {
			t.Errorf("ListEvents(%+v): total %d, want %d; seqs mismatch (-got +want):\n%s", tt.q, total, tt.total, diff)
		}
		for _, e := range got {
			if e.ApplicationID != tt.q.ApplicationID && tt.q.ApplicationID != "" {
				t.Errorf("ListEvents(%+v) gave event %d of %q", tt.q, e.Seq, e.ApplicationID)
			}
		}
	}
}

func testAppendConcurrentEvents(t *testing.T, s intake.Store) {
	const n = 50
	events := make([]*intake.Event, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		events[i] = newEvent([]string{"app-1", "app-2"}[i%2], i)
		wg.Go(func() { errs[i] = s.AppendEvent(t.Context(), events[i]) })
	}
	wg.Wait()
	bySeq := map[int64]*intake.Event{}
	for i, e := range events {
		if errs[i] != nil {
			t.Errorf("AppendEvent #%d: %v", i, errs[i])
			continue
		}
		if other := bySeq[e.Seq]; other != nil {
			t.Errorf("AppendEvent gave Seq %d to both %q and %q", e.Seq, other.Comment, e.Comment)
		}
		bySeq[e.Seq] = e
	}
	for seq := int64(1); seq <= n; seq++ {
		if bySeq[seq] == nil {
			t.Errorf("no append got Seq %d; want 1…%d each once", seq, n)
		}
	}
	got, total, err := s.ListEvents(t.Context(), intake.EventQuery{ListOptions: intake.ListOptions{Limit: 100}})
	if err != nil {
		t.Fatalf("ListEvents: %v", err)
	}
	if total != n || len(got) != n {
		t.Fatalf("ListEvents after %d appends: %d events, total %d; want %d", n, len(got), total, n)
	}
	for i, e := range got {
		if want := int64(n - i); e.Seq != want {
			t.Errorf("ListEvents[%d].Seq = %d; want %d (newest first)", i, e.Seq, want)
		} else if diff := cmp.Diff(e, bySeq[e.Seq], cmpOpts); diff != "" {
			t.Errorf("event %d is not the one appended with that Seq (-got +want):\n%s", e.Seq, diff)
		}
	}
	got, total, err = s.ListEvents(t.Context(), intake.EventQuery{ApplicationID: "app-2", ListOptions: intake.ListOptions{Limit: 100}})
	if err != nil || total != n/2 || len(got) != n/2 {
		t.Fatalf("ListEvents(app-2) = %d events, total %d, %v; want %d", len(got), total, err, n/2)
	}
	for i := 1; i < len(got); i++ {
		if got[i].ApplicationID != "app-2" || got[i].Seq >= got[i-1].Seq {
			t.Errorf("ListEvents(app-2)[%d] = %d of %s after %d; want app-2's, descending", i, got[i].Seq, got[i].ApplicationID, got[i-1].Seq)
		}
	}
}

func testListEventsDefaultLimit(t *testing.T, s intake.Store) {
	const n = 51
	for i := range n {
		appendEvent(t, s, newEvent("app-1", i))
	}
	for _, q := range []intake.EventQuery{{}, {ApplicationID: "app-1"}} {
		got, total, err := s.ListEvents(t.Context(), q)
		if err != nil {
			t.Fatalf("ListEvents(%+v): %v", q, err)
		}
		if len(got) != 50 || total != n || got[0].Seq != n || got[49].Seq != 2 {
			t.Errorf("ListEvents(%+v) = %d events from %d to %d, total %d; want 50 from %d to 2, total %d",
				q, len(got), got[0].Seq, got[len(got)-1].Seq, total, n, n)
		}
	}
}

// newRound returns the round of year, every field set.
func newRound(year int) *intake.Round {
	opens := time.Date(year, 3, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	return &intake.Round{
		Year:      year,
		Opens:     opens,
		Closes:    opens.AddDate(0, 1, 14),
		Notice:    fmt.Sprintf("藏经信发〔%d〕12号", year),
		OpenedBy:  staff,
		CreatedAt: opens.Add(-72*time.Hour + 123456789),
	}
}

func testRounds(t *testing.T, s intake.Store) {
	ctx := t.Context()
	if got, err := s.ListRounds(ctx); err != nil || len(got) != 0 {
		t.Errorf("ListRounds on an empty store = %d rounds, %v; want none", len(got), err)
	}
	rounds := map[int]*intake.Round{}
	for _, year := range []int{2025, 2027, 2026} {
		rounds[year] = newRound(year)
		if err := s.PutRound(ctx, rounds[year]); err != nil {
			t.Fatalf("PutRound(%d): %v", year, err)
		}
	}
	again := newRound(2026)
	again.Opens, again.Closes = again.Opens.AddDate(0, 1, 0), again.Closes.AddDate(0, 2, 0)
	again.Notice, again.OpenedBy = "藏经信发〔2026〕20号（延期）", staff2
	if err := s.PutRound(ctx, again); err != nil {
		t.Fatalf("PutRound(2026) again: %v", err)
	}
	rounds[2026] = again

	for year, want := range rounds {
		got, err := s.GetRound(ctx, year)
		if err != nil {
			t.Fatalf("GetRound(%d): %v", year, err)
		}
		if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
			t.Errorf("GetRound(%d) mismatch (-got +want):\n%s", year, diff)
		}
		checkUTC(t, fmt.Sprintf("GetRound(%d)", year), got)
	}
	if _, err := s.GetRound(ctx, 2024); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("GetRound(2024) error = %v; want ErrNotFound", err)
	}
	got, err := s.ListRounds(ctx)
	if err != nil {
		t.Fatalf("ListRounds: %v", err)
	}
	if diff := cmp.Diff(got, []*intake.Round{rounds[2027], again, rounds[2025]}, cmpOpts); diff != "" {
		t.Errorf("ListRounds mismatch (-got +want):\n%s", diff)
	}
}
