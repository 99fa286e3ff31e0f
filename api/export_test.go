package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"shenbao/intake"
)

// TestExportDashboard: staff export the dashboard list as .xlsx (the list and one row per warning)
// and as CSV (with a byte-order mark, for Excel), with the filters of the list; nobody else may.
func TestExportDashboard(t *testing.T) {
	tb := newTestbed(t)
	appID, _ := tb.fixture(t, intake.StateSubmitted)
	other, _ := tb.fixture(t, intake.StateSubmitted)
	ctx := context.Background()
	a, err := tb.store.GetApplication(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	a.OrgName, a.CreditCode = "=HYPERLINK(\"x\")", "91540102MA6TKJPG5T"
	if err := tb.store.UpdateApplication(ctx, a); err != nil {
		t.Fatal(err)
	}

	for i, col := range columns {
		want := map[string]int{"staff": 200, "anon": 401}[col]
		if want == 0 {
			want = 403
		}
		if status, body := tb.do(t, col, "GET", "/api/v1/dashboard/export?format=csv", ""); status != want {
			t.Errorf("export as %s (column %d): %d %.200s; want %d", col, i, status, body, want)
		}
	}
	if status, _ := tb.do(t, "staff", "GET", "/api/v1/dashboard/export?format=pdf", ""); status != 400 {
		t.Errorf("export as pdf: %d; want 400", status)
	}

	status, body := tb.do(t, "staff", "GET", "/api/v1/dashboard/export?format=csv", "")
	if status != 200 || !strings.HasPrefix(body, "\uFEFF申报单位,统一社会信用代码,") {
		t.Fatalf("csv: %d %.300q; want the header after a byte-order mark", status, body)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || len(recs[1]) != len(exportColumns) {
		t.Fatalf("csv has %d records of %d fields; want the header and 2 of %d", len(recs), len(recs[1]), len(exportColumns))
	}
	byID := map[string][]string{}
	for _, r := range recs[1:] {
		byID[r[len(r)-1]] = r
	}
	row := byID[appID]
	if row == nil || row[0] != "西藏某某科技有限公司" || !strings.HasPrefix(row[4], "已提交") || row[5] != "1/8" || !strings.Contains(row[6], "（一）") ||
		!strings.Contains(row[11], "【必须整改】") || row[12] != "1" {
		t.Errorf("csv row = %q; want the name, 已提交, 1/8 items, the missing ones, the warnings and the document", row)
	}
	if r := byID[other]; r == nil || r[0] != `'=HYPERLINK("x")` {
		t.Errorf("a name that looks like a formula is written %q; want it quoted with an apostrophe", r)
	}

	// The search of the list applies to the export.
	_, body = tb.do(t, "staff", "GET", "/api/v1/dashboard/export?format=csv&q=MA6TKJPG5T", "")
	if recs, _ := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll(); len(recs) != 2 || recs[1][len(recs[1])-1] != other {
		t.Errorf("export searched by credit code: %q; want the one application", recs)
	}

	status, body = tb.do(t, "staff", "GET", "/api/v1/dashboard/export?format=xlsx", "")
	if status != 200 {
		t.Fatalf("xlsx: %d %.200s", status, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("the .xlsx does not open: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "申报一览,问题明细" {
		t.Errorf("sheets = %v; want 申报一览, 问题明细", got)
	}
	rows, err := f.GetRows("申报一览")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "申报单位" {
		t.Errorf("申报一览 has %d rows, header %v; want the header and 2", len(rows), rows[0])
	}
	detail, _ := f.GetRows("问题明细")
	if len(detail) < 3 || detail[1][2] != "必须整改" || detail[1][6] == "" {
		t.Errorf("问题明细 = %v; want a row per warning with its severity and advice", detail)
	}
}

// TestDashboardSearchSortReviews: the dashboard finds an application by part of its name or credit
// code, sorts by a column either way, shows the reviewers' decisions, and does not count a replaced
// document as failed.
func TestDashboardSearchSortReviews(t *testing.T) {
	tb := newTestbed(t)
	first, _ := tb.fixture(t, intake.StateUnderReview)
	second, _ := tb.fixture(t, intake.StateSubmitted)
	ctx := context.Background()
	a, err := tb.store.GetApplication(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	a.OrgName, a.CreditCode = "西藏 雪域检测（拉萨）有限公司", "91540102MA6TKJPG5T"
	if err := tb.store.UpdateApplication(ctx, a); err != nil {
		t.Fatal(err)
	}
	a, _ = tb.store.GetApplication(ctx, first)
	a.ItemReviews = []intake.ItemReview{{Item: 2, Decision: "reject"}, {Item: 2, Decision: "accept"}, {Item: 3, Decision: "reject"}}
	a.ExpertReviews = []intake.ExpertReview{{Score: 86, Conclusion: "pass"}, {Score: 80, Conclusion: "fail"}}
	if err := tb.store.UpdateApplication(ctx, a); err != nil {
		t.Fatal(err)
	}
	// A failed document, replaced by the one of the fixture.
	docs, _ := tb.store.ListDocuments(ctx, first)
	bad := *docs[0]
	bad.ID, bad.Status, bad.ReplacedBy, bad.SHA256 = "doc_replaced", intake.StatusFailed, docs[0].ID, strings.Repeat("0", 64)
	if _, err := tb.store.AddDocument(ctx, &bad); err != nil {
		t.Fatal(err)
	}

	type row struct {
		Application struct {
			ID string `json:"id"`
		} `json:"application"`
		Summary summaryJSON `json:"summary"`
	}
	list := func(query string) []row {
		t.Helper()
		status, body := tb.do(t, "staff", "GET", "/api/v1/dashboard?"+query, "")
		var out struct{ Items []row }
		if status != 200 || json.Unmarshal([]byte(body), &out) != nil {
			t.Fatalf("dashboard?%s: %d %.200s", query, status, body)
		}
		return out.Items
	}
	ids := func(rows []row) string {
		var s []string
		for _, r := range rows {
			s = append(s, r.Application.ID)
		}
		return strings.Join(s, ",")
	}
	for q, want := range map[string]string{
		"q=雪域检测拉萨":        second, // spaces and brackets aside
		"q=ma6tkjpg":      second, // part of the code, any case
		"q=某某科技":          first,
		"q=无此单位":          "",
		"sort=org":        second + "," + first, // by code point: "西藏 雪域…" before "西藏某某…"
		"sort=org&desc=1": first + "," + second,
	} {
		if got := ids(list(q)); got != want {
			t.Errorf("dashboard?%s = %s; want %s", q, got, want)
		}
	}
	for _, r := range list("") {
		if r.Application.ID != first {
			continue
		}
		m := r.Summary
		if m.ItemsAccepted != 1 || m.ItemsRejected != 1 || m.ExpertsPass != 1 || m.ExpertsFail != 1 || m.ExpertScore != 83 {
			t.Errorf("reviews in the summary = %+v; want item 2 accepted (its latest), item 3 returned, one expert each way, mean 83", m)
		}
		if m.Failed != 0 || m.Documents != 1 {
			t.Errorf("documents %d, failed %d; want the replaced failure not counted", m.Documents, m.Failed)
		}
	}
}
