// Package checklist decides, from an application's documents as read and reviewed, what the
// 认定管理办法 (../shared/rules.md) asks of it: which materials of 第十七条 (and the 推荐表 of 第十六条)
// are there, whether each basic condition of 第十二条 and each function of 第十三条 is met, and what a
// reviewer should look at (warnings).
//
// It is pure and deterministic: no I/O, no clock (the date evaluated as of is the submission date, or
// the now passed in for a draft), and its output follows the order of the documents given.
//
// The rules are those of the shared checklist contract (../shared/corpus/README.md, "How the expected
// checklist was decided" and "Warning codes"):
//
//   - Only what documents legibly state counts: a field read from a blank or illegible page is ignored.
//   - A verdict is fail if any determinable sub-condition fails, otherwise undeterminable if a needed
//     value is missing, otherwise pass.
//   - Money is compared in yuan, percentages as 0–100, dates as calendar dates.
//   - Name mismatches, bad credit codes, missing seals and misnamed files give warnings only.
package checklist

import (
	"time"

	"shenbao/doc"
)

// Application is what the checklist needs to know of the application itself.
type Application struct {
	ID             string // the application's id (in the evaluation corpus, the folder name)
	OrgName        string
	CreditCode     string
	SubmissionDate time.Time // zero while a draft: the rules are then evaluated as of now
	EvaluationYear int       // 上一年度; zero means the year before the date evaluated as of
}

// Document is one uploaded document after reading and review. Kind is a doc.Kinds name (an unknown
// kind is treated as "other"). Fields already reflect reviewer corrections; a field whose Page is a
// blank or illegible page is ignored.
type Document struct {
	ID       string
	FileName string
	Kind     string
	Fields   []doc.Field
	Pages    []PageInfo
}

// PageInfo is what the checklist needs of a page. Number counts from 1 (0: the page's position).
type PageInfo struct {
	Number    int
	Blank     bool // nothing printed
	Illegible bool // printed, but cannot be read
	HasSeal   bool // a red round seal (公章) was found on it
	// SealUnknown: whether the page bears a seal cannot be told (a scan without colour).
	SealUnknown bool
}

// Outcome is a verdict or a sub-condition's result.
type Outcome string

const (
	Pass           Outcome = "pass"
	Fail           Outcome = "fail"
	Undeterminable Outcome = "undeterminable" // a needed value is missing
)

// Severity ranks a warning.
type Severity string

const (
	Blocking  Severity = "blocking"  // a condition fails or required material is missing
	Attention Severity = "attention" // a person must check the material
	Note      Severity = "note"      // worth knowing; does not affect the outcome
)

// Report is the checklist of one application.
type Report struct {
	Application    Application
	AsOf           time.Time // the calendar date evaluated as of (UTC midnight)
	EvaluationYear int       // 上一年度
	Items          []Item    // 第十七条 items 1–8, then the 第十六条 recommendation form
	Others         []DocumentCheck
	Verdicts       []Verdict // in the order of VerdictKeys
	Warnings       []Warning // blocking first, then attention, then notes; otherwise in rule order
}

// Item is one material the application must contain.
type Item struct {
	Number    int    // 第十七条 item 1–8; 0 for the 第十六条 推荐表
	Article   string // "第十七条（三）", "第十六条"
	Title     string // what the article asks for
	Kinds     []string
	Present   bool
	Documents []DocumentCheck // the documents that serve it, in input order
}

// DocumentCheck is a document with its own problems.
type DocumentCheck struct {
	ID       string
	FileName string
	Kind     string
	Problems []Problem
}

// Problem is something wrong with one document. Code is the warning code it also raises:
// blank_page, unreadable_page, missing_seal, seal_unknown or misnamed_file.
type Problem struct {
	Code    string
	Pages   []int    // the pages concerned (blank_page, unreadable_page)
	Kinds   []string // the kinds the file name names (misnamed_file)
	Message string   // Chinese, for people
}

// Verdict keys, in report order.
const (
	C12_1          = "c12_1"
	C12_2          = "c12_2"
	C12_3          = "c12_3"
	C12_4          = "c12_4"
	C12_5          = "c12_5"
	C12_6          = "c12_6"
	C13Information = "c13_information"
	C13Technology  = "c13_technology"
	C13Startup     = "c13_startup"
	C13Training    = "c13_training"
	C13Financing   = "c13_financing"
	C13Any         = "c13_any"
)

// VerdictKeys lists the verdicts in report order.
var VerdictKeys = []string{C12_1, C12_2, C12_3, C12_4, C12_5, C12_6,
	C13Information, C13Technology, C13Startup, C13Training, C13Financing, C13Any}

// Verdict is the outcome of one condition of 第十二条 or 第十三条, with the sub-conditions it was
// decided from.
type Verdict struct {
	Key     string
	Article string // "第十二条（一）"
	Title   string // the condition, in short
	Outcome Outcome
	Checks  []Check
}

// Check is one sub-condition of a verdict.
type Check struct {
	Name    string // e.g. "operating_two_years", "total_assets_yuan"
	Rule    string // the threshold, e.g. "≥ 1000000"
	Outcome Outcome
	Figures []Figure // the values used, with where they were read
	Reason  string   // Chinese, for people
}

// Figure is a value used by a check. Value is canonical (doc.Field); Evidence says where it was read.
type Figure struct {
	Name     string
	Value    string
	Evidence Evidence
}

// Evidence points at where something was read: a document, and if known a page and a box on it.
type Evidence struct {
	DocumentID string
	FileName   string
	Kind       string
	Field      string // the field, if the evidence is a field
	Page       int    // 1-based; 0 when not tied to a page
	Box        doc.Box
	Text       string // the printed text, if known
}

// Warning is something a reviewer should know. Code is stable: the codes of the shared checklist
// contract (see Scored), or this package's own notes (CodeCreditCodeType, …).
type Warning struct {
	Code     string
	Severity Severity
	Article  string // the article concerned, if any
	Message  string // Chinese, for people
	// Advice says what the applicant can do about it, in plain Chinese without article numbers
	// (upload a lease that covers the submission date, …); "" when there is nothing to say.
	Advice   string
	Evidence []Evidence
}

// Evaluate checks an application's documents, as of its submission date (or now, while it has none).
func Evaluate(app Application, docs []Document, now time.Time) Report {
	asOf := app.SubmissionDate
	if asOf.IsZero() {
		asOf = now
	}
	asOf = civil(asOf)
	year := app.EvaluationYear
	if year == 0 {
		year = asOf.Year() - 1
	}
	f := newFacts(app, docs, asOf, year)
	r := Report{Application: app, AsOf: asOf, EvaluationYear: year}
	var ws warnings

	r.Items, r.Others = f.items(&ws)
	for _, rule := range []func(*warnings) Verdict{
		f.c12_1, f.c12_2, f.c12_3, f.c12_4, f.c12_5, f.c12_6,
	} {
		r.Verdicts = append(r.Verdicts, rule(&ws))
	}
	r.Verdicts = append(r.Verdicts, f.c13(&ws)...)
	f.names(&ws)
	f.application(&ws)
	f.creditCodes(&ws)
	f.registration(&ws)
	f.auditOpinion(&ws)

	r.Warnings = ws.sorted()
	f.advise(&r)
	return r
}

// civil returns t's calendar date (in t's own location) as UTC midnight.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
