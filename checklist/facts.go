package checklist

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"shenbao/doc"
)

// Kind names of doc.Kinds used by the rules.
const (
	kindReport        = "application_report"
	kindLicence       = "business_licence"
	kindCertificate   = "legal_person_certificate"
	kindAudit         = "audit_report"
	kindLease         = "premises_lease"
	kindProperty      = "property_certificate"
	kindEvidence      = "service_evidence"
	kindRecognition   = "prior_recognition"
	kindQualification = "qualification"
	kindDeclaration   = "authenticity_declaration"
	kindRecommend     = "recommendation_form"
	kindOther         = "other"
)

// facts is an application's documents prepared for the rules.
type facts struct {
	app  Application
	asOf time.Time
	year int
	docs []*docFacts
}

// docFacts is one document with its usable fields.
type docFacts struct {
	Document
	fields    map[string]doc.Field // first usable field of each name
	blank     []int
	illegible []int
	readable  bool // some page is neither blank nor illegible (or pages are unknown)
}

func newFacts(app Application, docs []Document, asOf time.Time, year int) *facts {
	f := &facts{app: app, asOf: asOf, year: year}
	for _, d := range docs {
		if !knownKind(d.Kind) {
			d.Kind = kindOther
		}
		df := &docFacts{Document: d, fields: map[string]doc.Field{}}
		unusable := map[int]bool{}
		for i, p := range d.Pages {
			n := pageNumber(p, i)
			switch {
			case p.Blank:
				df.blank = append(df.blank, n)
				unusable[n] = true
			case p.Illegible:
				df.illegible = append(df.illegible, n)
				unusable[n] = true
			default:
				df.readable = true
			}
		}
		if len(d.Pages) == 0 {
			df.readable = true
		}
		for _, fl := range d.Fields {
			empty := strings.TrimSpace(fl.Value) == "" && doc.FieldTypes[fl.Name] != doc.List // "" is the empty list
			if unusable[fl.Page] || empty {
				continue
			}
			if _, ok := df.fields[fl.Name]; !ok {
				df.fields[fl.Name] = fl
			}
		}
		f.docs = append(f.docs, df)
	}
	return f
}

func pageNumber(p PageInfo, i int) int {
	if p.Number > 0 {
		return p.Number
	}
	return i + 1
}

func knownKind(kind string) bool {
	for _, k := range doc.Kinds {
		if k.Name == kind {
			return true
		}
	}
	return false
}

// ofKind returns the documents of the given kinds, in input order.
func (f *facts) ofKind(kinds ...string) []*docFacts {
	var out []*docFacts
	for _, d := range f.docs {
		if slices.Contains(kinds, d.Kind) {
			out = append(out, d)
		}
	}
	return out
}

// reports returns the application reports that can be read at all.
func (f *facts) reports() []*docFacts {
	var out []*docFacts
	for _, d := range f.ofKind(kindReport) {
		if d.readable {
			out = append(out, d)
		}
	}
	return out
}

// value is a field found on a document.
type value struct {
	d *docFacts
	f doc.Field
}

func (v value) evidence() Evidence {
	return Evidence{DocumentID: v.d.ID, FileName: v.d.FileName, Kind: v.d.Kind, Field: v.f.Name,
		Page: v.f.Page, Box: v.f.Box, Text: v.f.Text}
}

func (v value) figure() Figure {
	return Figure{Name: v.f.Name, Value: v.f.Value, Evidence: v.evidence()}
}

// see is the Chinese reference to where the value was read: "见 审计报告（a.pdf）第3页。"
func (v value) see() string { return see(v.evidence()) }

// onPage is "见第3页。" when the value's page is known, for messages that already name the document.
func (v value) onPage() string {
	if v.f.Page > 0 {
		return fmt.Sprintf("见第%d页。", v.f.Page)
	}
	return ""
}

// number parses the value as a number.
func (v value) number() (float64, bool) {
	x, err := v.f.Float()
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}

// date parses the value as YYYY-MM-DD; "长期" and anything else is not a date.
func (v value) date() (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(v.f.Value))
	return t, err == nil
}

// list returns a List value's elements.
func (v value) list() []string {
	var out []string
	for _, s := range strings.Split(v.f.Value, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (d *docFacts) get(name string) (value, bool) {
	fl, ok := d.fields[name]
	return value{d, fl}, ok
}

// first returns the first usable field called name among docs, in input order.
func first(docs []*docFacts, name string) (value, bool) {
	for _, d := range docs {
		if v, ok := d.get(name); ok {
			return v, true
		}
	}
	return value{}, false
}

// firstNumber is first for a field that parses as a number.
func firstNumber(docs []*docFacts, name string) (value, float64, bool) {
	for _, d := range docs {
		if v, ok := d.get(name); ok {
			if x, ok := v.number(); ok {
				return v, x, true
			}
		}
	}
	return value{}, 0, false
}

// firstDate is first for a field that parses as a date.
func firstDate(docs []*docFacts, name string) (value, time.Time, bool) {
	for _, d := range docs {
		if v, ok := d.get(name); ok {
			if t, ok := v.date(); ok {
				return v, t, true
			}
		}
	}
	return value{}, time.Time{}, false
}

func (d *docFacts) evidence(page int) Evidence {
	return Evidence{DocumentID: d.ID, FileName: d.FileName, Kind: d.Kind, Page: page}
}

// combine decides a verdict from its sub-conditions: fail if any fails, otherwise undeterminable if
// any is, otherwise pass.
func combine(checks []Check) Outcome {
	out := Pass
	for _, c := range checks {
		switch c.Outcome {
		case Fail:
			return Fail
		case Undeterminable:
			out = Undeterminable
		}
	}
	if len(checks) == 0 {
		return Undeterminable
	}
	return out
}

// warnings collects warnings in rule order.
type warnings []Warning

func (ws *warnings) add(w Warning) { *ws = append(*ws, w) }

func (ws warnings) sorted() []Warning {
	out := slices.Clone(ws)
	rank := map[Severity]int{Blocking: 0, Attention: 1, Note: 2}
	slices.SortStableFunc(out, func(a, b Warning) int { return rank[a.Severity] - rank[b.Severity] })
	if out == nil {
		out = []Warning{}
	}
	return out
}

// addYears adds n calendar years; a date that does not exist in the target year (29 February) becomes
// the last day of that month, as periods counted in years end (民法典 第二百零二条).
func addYears(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	last := time.Date(y+n, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(y+n, m, min(d, last), 0, 0, 0, 0, time.UTC)
}
