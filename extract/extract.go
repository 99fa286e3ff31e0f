// Package extract reads text with geometry (doc.Page) and tells what document it is — one of the
// kinds of ../shared/FIELDS.md — and the fields that kind carries, each with its canonical value,
// the printed text it came from, a confidence, its page and its box.
//
// It is pure and deterministic: no I/O, no clock, no cgo. It expects OCR text (Tesseract chi_sim on
// scans): wrong characters, spaces between Chinese characters, lines broken or merged. Labels and
// keywords are matched with a tolerance of about one edit in four characters, values are read to
// the right of their label or on the line below it, and amounts, dates, percentages and credit
// codes are normalised by package normalize. Blank, illegible and unreadable pages are skipped:
// what they print does not count.
//
// Besides the FIELDS.md fields, application reports give the per-function figures of their
// 服务功能 table (doc.Extra: information_offline_smes, startup_events…), which 第十三条 needs.
// has_seal comes only from doc.Page.Seals: true when a page of the document bears one, false when
// none does, absent when a page without colour (SealUnknown) leaves it open. A credit code that
// fails its check is kept as printed with the flag "check_failed", or fixed with the flag
// "corrected" when the reading was doubtful and exactly one OCR confusion explains it.
package extract

import (
	"sort"

	"shenbao/doc"
)

// Segment is a run of pages that reads as one document. A PDF may hold several (a licence, then a
// lease); From and To are 1-based and inclusive.
type Segment struct {
	From, To   int
	Kind       string
	Confidence float64
	// Fields are the fields of this segment's kind read from its pages.
	Fields []doc.Field
}

// Result is what Extract reads from a document.
type Result struct {
	// Kind is the kind of the main segment: the first that is not other.
	Kind           string
	KindConfidence float64
	// Fields are the main segment's fields, in FIELDS.md order (doc.Extra fields last).
	Fields []doc.Field
	// Segments are all the documents found in the pages, in page order (one for most files).
	Segments []Segment
}

// Options give Extract what the caller already knows about the application.
type Options struct {
	// Applicant lists names the applicant is known by (from its licence or application report).
	// On documents that name many organisations — a recognition list, a sign-in sheet — org_name
	// is the one that matches an applicant name; without it such documents give their most
	// prominent organisation, or none.
	Applicant []string
	// Codes lists the credit codes the applicant declared: a code read in part (its print lost under
	// a seal or at a crease) is taken for the declared one it is part of, below certainty.
	Codes []string
	// Region is the prefecture (地市) or park through which the applicant applies (第十五、十六条):
	// an authority's name that begins with it misread by one character (那由市 for 那曲市) is given
	// with the region's name.
	Region string
}

// Declared is the Options of an application that declares the name and credit code given (either
// may be empty: not declared).
func Declared(name, code string) Options {
	var opt Options
	if name != "" {
		opt.Applicant = []string{name}
	}
	if code != "" {
		opt.Codes = []string{code}
	}
	return opt
}

// Extract classifies the document and reads its fields.
func Extract(pages []doc.Page) Result {
	return ExtractWith(pages, Options{})
}

// ExtractWith is Extract with what the caller knows of the applicant.
func ExtractWith(pages []doc.Page, opt Options) Result {
	d := newDocument(uprightPages(pages))
	segs := d.segments()
	if len(segs) == 0 {
		return Result{Kind: "other", KindConfidence: 0}
	}
	for i := range segs {
		sd := d.sub(segs[i].From, segs[i].To)
		segs[i].Fields = readFields(segs[i].Kind, sd, opt)
		fieldsBack(segs[i].Fields, pages)
	}
	m := mainSegment(segs)
	return Result{Kind: m.Kind, KindConfidence: m.Confidence, Fields: m.Fields, Segments: segs}
}

// fieldOrder is the order of FIELDS.md.
var fieldOrder = map[string]int{}

func init() {
	for i, n := range []string{"org_name", "credit_code", "legal_representative", "registered_capital_yuan",
		"established_date", "operating_term_end", "total_assets_yuan", "total_liabilities_yuan",
		"net_assets_yuan", "revenue_yuan", "service_revenue_yuan", "service_expense_yuan", "audit_year",
		"audit_firm", "audit_opinion", "lessor", "lessee", "premises_address", "premises_area_m2",
		"lease_start", "lease_end", "staff_total", "staff_qualified", "smes_served_last_year",
		"smes_served_prior_year", "satisfaction_pct", "partner_institutions", "public_service_share_pct",
		"trainees_last_year", "service_events_last_year", "functions", "issuer", "issuer_level",
		"issue_date", "title", "icp_record", "has_seal"} {
		fieldOrder[n] = i
	}
}

// sortFields orders fields as FIELDS.md lists them, the fields it does not list (doc.Extra) after
// them by name.
func sortFields(fs []doc.Field) {
	rank := func(n string) int {
		if r, ok := fieldOrder[n]; ok {
			return r
		}
		return len(fieldOrder)
	}
	sort.Slice(fs, func(i, j int) bool {
		if ri, rj := rank(fs[i].Name), rank(fs[j].Name); ri != rj {
			return ri < rj
		}
		return fs[i].Name < fs[j].Name
	})
}
