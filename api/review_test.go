package api

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"shenbao/doc"
	"shenbao/intake"
)

// TestCorrectionMark: a correction may say where the value is printed (人工标注): the page and the box
// are stored, returned with the field, and written in the audit event; a box outside the page, a page
// the document does not have, an empty box or a mark on a confirmation is refused with 400 and a
// Chinese message, and leaves the stored review as it was. A later correction without a mark clears
// it, and the log says so.
func TestCorrectionMark(t *testing.T) {
	tb := newTestbed(t)
	appID, docID := tb.fixture(t, intake.StateUnderReview) // one page, 100×100 pixels
	field := "/api/v1/documents/" + docID + "/fields/org_name"
	type reviewed struct {
		Fields map[string]struct {
			Value  any `json:"value"`
			Review *struct {
				Action string  `json:"action"`
				Page   int     `json:"page"`
				BBox   *[4]int `json:"bbox"`
			} `json:"review"`
		} `json:"fields"`
	}
	mark := func(what string, code int, body string) (int, *[4]int) {
		t.Helper()
		if code != 200 {
			t.Fatalf("%s: %d %s", what, code, body)
		}
		var d reviewed
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		r := d.Fields["org_name"].Review
		if r == nil || r.Action != "correct" || d.Fields["org_name"].Value != "西藏某某科技有限公司" {
			t.Fatalf("%s: org_name = %+v; want the correction", what, d.Fields["org_name"])
		}
		return r.Page, r.BBox
	}

	code, body := tb.do(t, "staff", "POST", field, `{"action":"correct","value":"西藏某某科技有限公司","page":1,"bbox":[10,20,90,35]}`)
	want := [4]int{10, 20, 90, 35}
	if page, box := mark("correction with a mark", code, body); page != 1 || box == nil || *box != want {
		t.Errorf("correction answered page %d box %v; want page 1 box %v", page, box, want)
	}
	code, body = tb.do(t, "expert", "GET", "/api/v1/documents/"+docID, "")
	if page, box := mark("the document read back", code, body); page != 1 || box == nil || *box != want {
		t.Errorf("stored mark: page %d box %v; want page 1 box %v", page, box, want)
	}

	for _, tc := range []struct {
		what, body, msg string
	}{
		{"a box past the page's right edge", `{"action":"correct","value":"西藏某某科技有限公司","page":1,"bbox":[10,20,120,35]}`, "标注的框超出了第 1 页的范围（宽 100、高 100 像素）"},
		{"a box above the page", `{"action":"correct","value":"西藏某某科技有限公司","page":1,"bbox":[10,-5,90,35]}`, "超出了第 1 页的范围"},
		{"a page the document does not have", `{"action":"correct","value":"西藏某某科技有限公司","page":2,"bbox":[10,20,90,35]}`, "标注的页码 2 不在本文件中（共 1 页）"},
		{"a box with no page", `{"action":"correct","value":"西藏某某科技有限公司","bbox":[10,20,90,35]}`, "标注的页码 0 不在本文件中"},
		{"an empty box", `{"action":"correct","value":"西藏某某科技有限公司","page":1,"bbox":[10,20,10,35]}`, "标注的框是空的"},
		{"a page with no box", `{"action":"correct","value":"西藏某某科技有限公司","page":1}`, "标注的框是空的"},
		{"a mark on a confirmation", `{"action":"confirm","page":1,"bbox":[10,20,90,35]}`, "只有更正字段时才能在页面上标注位置"},
	} {
		path := field
		if strings.Contains(tc.body, "confirm") {
			path = "/api/v1/documents/" + docID + "/fields/established_date"
		}
		code, body := tb.do(t, "staff", "POST", path, tc.body)
		var e errorBody
		json.Unmarshal([]byte(body), &e)
		if code != 400 || e.Error.Code != "invalid_box" || !strings.Contains(e.Error.Message, tc.msg) {
			t.Errorf("%s: %d %s; want 400 invalid_box saying %q", tc.what, code, body, tc.msg)
		}
	}
	code, body = tb.do(t, "staff", "GET", "/api/v1/documents/"+docID, "")
	if page, box := mark("the document after the refusals", code, body); page != 1 || box == nil || *box != want {
		t.Errorf("after refused marks the stored mark is page %d box %v; want page 1 box %v", page, box, want)
	}

	code, body = tb.do(t, "staff", "POST", field, `{"action":"correct","value":"西藏某某科技有限公司"}`)
	if page, box := mark("a correction without a mark", code, body); page != 0 || box != nil {
		t.Errorf("a correction without a mark answered page %d box %v; want none", page, box)
	}
	var comments []string
	for _, e := range tb.events(t, "staff", "/api/v1/applications/"+appID+"/events?action=document.review_field").Items {
		comments = append([]string{e.Comment}, comments...) // oldest first
	}
	wantComments := []string{"org_name correct 位置 第1页 [10,20,90,35]", "org_name correct 清除位置标注"}
	if strings.Join(comments, "\n") != strings.Join(wantComments, "\n") {
		t.Errorf("review events say %q; want %q", comments, wantComments)
	}
}

// TestContradictedFieldsShown: a figure that another document of the application contradicts is shown
// below certainty and flagged, in the document, its fields and the application's list of documents,
// and the checklist reads it so; once a reviewer confirms one value, that value is certain and only
// the other stays in doubt.
func TestContradictedFieldsShown(t *testing.T) {
	tb := newTestbed(t)
	appID, docID := tb.fixture(t, intake.StateUnderReview) // a licence: established 2017-02-22 at 0.9
	ctx := context.Background()
	now := time.Now()
	report := &intake.Document{ID: docID + "r", ApplicationID: appID, FileName: "申请报告.pdf", ContentType: "application/pdf",
		Status: intake.StatusDone, Kind: "application_report", PageCount: 1, PagesDone: 1, Pages: []intake.PageSummary{{Number: 1}},
		Fields: []doc.Field{{Name: "established_date", Value: "2017-02-27", Confidence: 0.95, Page: 1}}, UploadedAt: now, UpdatedAt: now}
	if _, err := tb.store.AddDocument(ctx, report); err != nil {
		t.Fatal(err)
	}
	type field struct {
		Value          any      `json:"value"`
		Confidence     float64  `json:"confidence"`
		Flags          []string `json:"flags"`
		ContradictedBy []struct {
			Document string `json:"document"`
			FileName string `json:"file_name"`
			Value    any    `json:"value"`
		} `json:"contradicted_by"`
	}
	get := func(col, path string, out any) {
		t.Helper()
		code, body := tb.do(t, col, "GET", path, "")
		if code != 200 {
			t.Fatalf("GET %s: %d %s", path, code, body)
		}
		if err := json.Unmarshal([]byte(body), out); err != nil {
			t.Fatal(err)
		}
	}
	doubted := func(f field) bool {
		return f.Confidence < doc.SureConfidence && slices.Contains(f.Flags, "contradicted")
	}
	var one struct {
		Fields map[string]field `json:"fields"`
	}
	for _, id := range []string{docID, report.ID} {
		get("expert", "/api/v1/documents/"+id, &one)
		if f := one.Fields["established_date"]; !doubted(f) {
			t.Errorf("document %s: established_date %+v; want it flagged contradicted below %.2f", id, f, doc.SureConfidence)
		}
		other, file, value := report.ID, "申请报告.pdf", "2017-02-27"
		if id == report.ID {
			other, file, value = docID, "营业执照.jpg", "2017-02-22"
		}
		if c := one.Fields["established_date"].ContradictedBy; len(c) != 1 || c[0].Document != other || c[0].FileName != file || c[0].Value != value {
			t.Errorf("document %s: contradicted_by %+v; want %s (%s) stating %s", id, c, other, file, value)
		}
		get("expert", "/api/v1/documents/"+id+"/fields", &one)
		if f := one.Fields["established_date"]; !doubted(f) {
			t.Errorf("fields of %s: established_date %+v; want it flagged contradicted", id, f)
		}
	}
	var list struct {
		Items []struct {
			ID     string           `json:"id"`
			Fields map[string]field `json:"fields"`
		} `json:"items"`
	}
	get("expert", "/api/v1/applications/"+appID+"/documents", &list)
	if len(list.Items) != 2 {
		t.Fatalf("%d documents listed; want 2", len(list.Items))
	}
	for _, d := range list.Items {
		if f := d.Fields["established_date"]; !doubted(f) {
			t.Errorf("listed %s: established_date %+v; want it flagged contradicted", d.ID, f)
		}
	}

	code, body := tb.do(t, "staff", "POST", "/api/v1/documents/"+docID+"/fields/established_date", `{"action":"confirm"}`)
	if code != 200 {
		t.Fatalf("confirm: %d %s", code, body)
	}
	json.Unmarshal([]byte(body), &one)
	if f := one.Fields["established_date"]; f.Confidence != 1 || slices.Contains(f.Flags, "contradicted") {
		t.Errorf("confirmed licence date answered as %+v; want it certain", f)
	}
	get("expert", "/api/v1/documents/"+report.ID, &one)
	if f := one.Fields["established_date"]; !doubted(f) {
		t.Errorf("report date after the licence's was confirmed: %+v; want it still contradicted", f)
	}
}
