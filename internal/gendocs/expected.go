package main

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"shenbao/checklist"
	"shenbao/doc"
)

// expected computes the manifest's items_present, warnings and verdicts by running the project's own
// checklist on the ground truth, exactly as checklist/corpus_test.go feeds a corpus folder to it
// (every sidecar field as a canonical doc.Field with confidence 1, pages marked blank or illegible,
// documents in file-name order, evaluated as of the submission date) — the test that shows the
// ground truth reproduces every dev manifest. The only difference is where the application report's
// per-function figures of 第十三条 come from: corpus_test.go reads them back from the report's page
// text with patterns that fit the dev layouts; the generator knows them, so it passes them directly
// (for the claimed functions only, as the test's patterns only match ticked rows).
//
// The expectation is therefore what the rules say about what the documents state; a checklist that
// is wrong about the rules is not measured by it, only extraction and reading are.
func expected(a *application, docs []*document) checklist.ScoreLine {
	app := checklist.Application{ID: a.dir, OrgName: a.org, CreditCode: a.code,
		SubmissionDate: a.submission, EvaluationYear: a.evalYear}
	sorted := slices.Clone(docs)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].file < sorted[j].file })
	var cds []checklist.Document
	for _, d := range sorted {
		cd := checklist.Document{ID: d.file, FileName: d.file, Kind: d.kind}
		keys := make([]string, 0, len(d.fields))
		for k := range d.fields {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			cd.Fields = append(cd.Fields, doc.Field{Name: k, Value: canonical(d.fields[k]), Confidence: 1})
		}
		for i, p := range d.pages {
			cd.Pages = append(cd.Pages, checklist.PageInfo{Number: i + 1, Blank: p.blank})
		}
		if d.kind == "application_report" {
			keys := make([]string, 0, len(d.perFunction))
			for k := range d.perFunction {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				cd.Fields = append(cd.Fields, doc.Field{Name: k, Value: d.perFunction[k], Confidence: 1})
			}
		}
		cds = append(cds, cd)
	}
	return checklist.Evaluate(app, cds, a.submission).Score()
}

// canonical writes a sidecar value as doc.Field's canonical text (as corpus_test.go does).
func canonical(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []string:
		s := slices.Clone(x)
		slices.Sort(s)
		return strings.Join(s, ",")
	}
	panic("unexpected field value")
}
