// Package doc holds the vocabulary that every stage of Shenbao shares: pages read from a document, the
// words on them with their geometry, and the extracted fields of ../shared/FIELDS.md. It is a leaf: it
// imports nothing of the project, so ocr, extract, checklist and intake can all speak it.
package doc

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Box is an axis-aligned rectangle in a page's pixel coordinates (origin top left, X1/Y1 exclusive).
type Box struct {
	X0, Y0, X1, Y1 int
}

// Empty reports whether b has no area.
func (b Box) Empty() bool { return b.X1 <= b.X0 || b.Y1 <= b.Y0 }

// Union returns the smallest box that holds b and o; an empty box is ignored.
func (b Box) Union(o Box) Box {
	if b.Empty() {
		return o
	}
	if o.Empty() {
		return b
	}
	return Box{min(b.X0, o.X0), min(b.Y0, o.Y0), max(b.X1, o.X1), max(b.Y1, o.Y1)}
}

// W and H are the box's width and height.
func (b Box) W() int { return b.X1 - b.X0 }
func (b Box) H() int { return b.Y1 - b.Y0 }

// Word is one recognised word (for Chinese, usually a run of characters) with its box and the
// recogniser's confidence in 0..1.
type Word struct {
	Text       string
	Box        Box
	Confidence float64
}

// Line is a run of words read as one line of text, in reading order.
type Line struct {
	Words []Word
	Box   Box
}

// Text joins the line's words; CJK neighbours are joined without a space, others with one.
func (l Line) Text() string {
	var sb strings.Builder
	for i, w := range l.Words {
		if i > 0 && needsSpace(l.Words[i-1].Text, w.Text) {
			sb.WriteByte(' ')
		}
		sb.WriteString(w.Text)
	}
	return sb.String()
}

func needsSpace(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	ra := []rune(a)
	rb := []rune(b)
	return !isCJK(ra[len(ra)-1]) || !isCJK(rb[0])
}

func isCJK(r rune) bool {
	return (r >= 0x2E80 && r <= 0x9FFF) || (r >= 0xF900 && r <= 0xFAFF) || (r >= 0xFF00 && r <= 0xFFEF) || (r >= 0x3000 && r <= 0x303F)
}

// Source tells how a page's text was obtained.
type Source string

const (
	SourceTextLayer Source = "text_layer" // the PDF's own text
	SourceOCR       Source = "ocr"        // recognised from pixels
)

// Page is one page of a document after reading. Number counts from 1. Width and Height are the pixel
// size of the image the boxes refer to, at DPI dots per inch.
type Page struct {
	Number         int
	Width, Height  int
	DPI            int
	Source         Source
	Rotation       int // degrees clockwise the page was turned before reading (0, 90, 180, 270)
	Lines          []Line
	Blank          bool       // nothing printed on the page
	Illegible      bool       // something printed, but too little could be read
	Error          string     // why the page could not be read at all, if it could not
	Seals          []Box      // official seals (公章) found on the page: red stamps, or round ones on a page without colour
	SealTexts      []SealText // what was read round the seals that could be read, in the order of Seals
	SealUnknown    bool       // the page has no colour and no seal was found on it, so whether it bears one cannot be told
	MeanConfidence float64
}

// SealText is the text read round the ring of a round seal: its characters, clockwise from the lower
// left round the top, which on an official seal name the organisation that owns it. The reading is
// rougher than the page's print (a stamp's ink is speckled and print runs over it): compare it with
// names loosely, and trust it by Confidence.
type SealText struct {
	Box        Box     // the seal, as in Page.Seals
	Text       string  // the characters, without spaces or punctuation
	Confidence float64 // the recogniser's mean character confidence, 0..1
}

// Text is the page's text, one line per Line.
func (p Page) Text() string {
	var sb strings.Builder
	for _, l := range p.Lines {
		sb.WriteString(l.Text())
		sb.WriteByte('\n')
	}
	return sb.String()
}

// SureConfidence is the confidence at and above which an extracted value is shown as certain and
// may decide a warning on its own; below it a person checks it. Fields at or above it were right
// 98% of the time on the dev corpus (bench/calibration.py).
const SureConfidence = 0.85

// Field is one extracted value with its evidence. Value is canonical text in the unit of FIELDS.md:
// numbers in plain decimal ("1000000", "93.5"), dates "YYYY-MM-DD" (or "长期"), booleans "true"/"false",
// lists comma-separated and sorted. Typed views come from Typed.
type Field struct {
	Name       string
	Value      string
	Text       string  // the printed text the value was read from
	Confidence float64 // 0..1
	Page       int     // 1-based page number; 0 when the value is not tied to a page
	Box        Box
	Flags      []string // e.g. "check_failed", "corrected"
}

// Type is the type of a field's value.
type Type int

const (
	String Type = iota
	Number
	Integer
	Date
	Enum
	List
	Bool
)

// FieldTypes is the vocabulary of FIELDS.md.
var FieldTypes = map[string]Type{
	"org_name": String, "credit_code": String, "legal_representative": String,
	"registered_capital_yuan": Number, "established_date": Date, "operating_term_end": Date,
	"total_assets_yuan": Number, "total_liabilities_yuan": Number, "net_assets_yuan": Number,
	"revenue_yuan": Number, "service_revenue_yuan": Number, "service_expense_yuan": Number,
	"audit_year": Integer, "audit_firm": String, "audit_opinion": Enum,
	"lessor": String, "lessee": String, "premises_address": String, "premises_area_m2": Number,
	"lease_start": Date, "lease_end": Date,
	"staff_total": Integer, "staff_qualified": Integer, "smes_served_last_year": Integer,
	"smes_served_prior_year": Integer, "satisfaction_pct": Number, "partner_institutions": Integer,
	"public_service_share_pct": Number, "trainees_last_year": Integer, "service_events_last_year": Integer,
	"functions": List, "issuer": String, "issuer_level": Enum, "issue_date": Date, "title": String,
	"icp_record": String, "has_seal": Bool,

	// Not in FIELDS.md: the application report's 第十三条 function table, per function. The checklist
	// needs them (a function's own figures decide it, not the year's totals); they are kept out of the
	// scorer's output (see Extra).
	"information_offline_smes": Integer, "information_events": Integer, "technology_events": Integer,
	"startup_events": Integer, "training_trainees": Integer, "financing_matchmaking_events": Integer,
	"financing_lectures": Integer,
}

// Extra are the fields of FieldTypes that FIELDS.md does not list.
var Extra = map[string]bool{
	"information_offline_smes": true, "information_events": true, "technology_events": true,
	"startup_events": true, "training_trainees": true, "financing_matchmaking_events": true,
	"financing_lectures": true,
}

// Typed returns the value as float64 (Number), int64 (Integer), bool (Bool), []string (List) or string.
// A value that does not parse as its type is returned as its text.
func (f Field) Typed() any {
	switch FieldTypes[f.Name] {
	case Number:
		if v, err := strconv.ParseFloat(f.Value, 64); err == nil {
			return v
		}
	case Integer:
		if v, err := strconv.ParseInt(f.Value, 10, 64); err == nil {
			return v
		}
	case Bool:
		if v, err := strconv.ParseBool(f.Value); err == nil {
			return v
		}
	case List:
		if f.Value == "" {
			return []string{}
		}
		l := strings.Split(f.Value, ",")
		sort.Strings(l)
		return l
	}
	return f.Value
}

// Float returns a Number or Integer field's value.
func (f Field) Float() (float64, error) {
	v, err := strconv.ParseFloat(f.Value, 64)
	if err != nil {
		return 0, fmt.Errorf("field %s: %q is not a number", f.Name, f.Value)
	}
	return v, nil
}

// Kinds are the document kinds of FIELDS.md, with the 第十七条 item each serves (0: none; the
// recommendation form serves 第十六条).
var Kinds = []struct {
	Name string
	Item int
	Zh   string
}{
	{"application_report", 1, "申请报告"},
	{"business_licence", 2, "营业执照"},
	{"legal_person_certificate", 2, "法人证书"},
	{"audit_report", 3, "审计报告"},
	{"premises_lease", 4, "房屋租赁合同"},
	{"property_certificate", 4, "不动产权证书"},
	{"service_evidence", 5, "服务证明材料"},
	{"prior_recognition", 6, "示范平台认定/表彰文件"},
	{"qualification", 7, "资质/许可/备案证明"},
	{"authenticity_declaration", 8, "真实性声明"},
	{"recommendation_form", 0, "推荐表"},
	{"other", 0, "其他材料"},
}

// ItemOf returns the 第十七条 item a kind serves, or 0.
func ItemOf(kind string) int {
	for _, k := range Kinds {
		if k.Name == kind {
			return k.Item
		}
	}
	return 0
}

// KindZh returns the Chinese name of a kind.
func KindZh(kind string) string {
	for _, k := range Kinds {
		if k.Name == kind {
			return k.Zh
		}
	}
	return kind
}

type progressKey struct{}

// WithProgress returns a context that carries fn: a reader calls it as it reads a file's pages (done of
// total). fn may be called from several goroutines at once.
func WithProgress(ctx context.Context, fn func(done, total int)) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

// ReportProgress calls the progress function ctx carries, if any.
func ReportProgress(ctx context.Context, done, total int) {
	if fn, ok := ctx.Value(progressKey{}).(func(done, total int)); ok {
		fn(done, total)
	}
}

// FromUpright maps a box of a page turned clockwise by deg degrees (0, 90, 180, 270) to read it back
// onto the page as it is, w×h pixels: what a reader does with the boxes it read upright.
func (b Box) FromUpright(deg, w, h int) Box {
	return b.turn(func(u, v int) (int, int) {
		switch deg {
		case 90:
			return v, h - u
		case 180:
			return w - u, h - v
		default: // 270
			return w - v, u
		}
	}, deg)
}

// ToUpright is the inverse of FromUpright: a box of the page as it is (w×h) in the frame of the page
// turned clockwise by deg to be read.
func (b Box) ToUpright(deg, w, h int) Box {
	return b.turn(func(x, y int) (int, int) {
		switch deg {
		case 90:
			return h - y, x
		case 180:
			return w - x, h - y
		default: // 270
			return y, w - x
		}
	}, deg)
}

func (b Box) turn(pt func(int, int) (int, int), deg int) Box {
	if deg%360 == 0 || b.Empty() {
		return b
	}
	x0, y0 := pt(b.X0, b.Y0)
	x1, y1 := pt(b.X1, b.Y1)
	return Box{X0: min(x0, x1), Y0: min(y0, y1), X1: max(x0, x1), Y1: max(y0, y1)}
}
