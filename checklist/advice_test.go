package checklist

import (
	"strings"
	"testing"
	"time"
)

// TestAdvice: every warning of an application with something wrong in most places, and of an empty
// draft, tells the applicant what to do, in words rather than article numbers; the missing items say
// what to upload, and the 推荐表 that it comes from the prefecture's department.
func TestAdvice(t *testing.T) {
	reports := []Report{
		failing().evaluate(),
		Evaluate(Application{ID: "draft", OrgName: testName}, nil, time.Date(2025, 1, 15, 9, 30, 0, 0, time.UTC)),
	}
	f := clean()
	f.set(kindLease, "lease_end", "2024-01-28")
	f.set(kindDeclaration, "has_seal", "false")
	f.doc(kindReport).Pages[1].Illegible = true
	reports = append(reports, f.evaluate())
	seen := map[string]bool{}
	for _, r := range reports {
		for _, w := range r.Warnings {
			seen[w.Code] = true
			switch {
			case w.Advice == "":
				t.Errorf("%s (%s) has no advice", w.Code, w.Message)
			case strings.HasPrefix(w.Advice, "第") || strings.Contains(w.Advice, "人工核对"):
				t.Errorf("%s advice %q: starts with an article or asks for a manual check", w.Code, w.Advice)
			}
		}
	}
	for _, code := range []string{"missing_item:1", CodeMissingRecommendation, CodeExpiredLease, CodeMissingSeal, CodeUnreadablePage} {
		if !seen[code] {
			t.Errorf("no %s raised by the cases; the test does not see its advice", code)
		}
	}
	r := reports[2]
	for _, w := range r.Warnings {
		if w.Code == CodeExpiredLease && !strings.Contains(w.Advice, "2024-05-26") && !strings.Contains(w.Advice, "续租") {
			t.Errorf("expired lease advice %q; want a lease covering 2024-05-26 or a renewal", w.Advice)
		}
	}
	d := reports[1]
	if got := d.ItemAdvice(3); !strings.Contains(got, "2024 年度的审计报告") {
		t.Errorf("item 3 advice of a 2025 draft = %q; want the 2024 audit", got)
	}
	if got := d.ItemAdvice(0); !strings.Contains(got, "经济和信息化局") || !strings.Contains(got, "无需上传") {
		t.Errorf("推荐表 advice = %q; want it to come from the 经信局, not the applicant", got)
	}
}
