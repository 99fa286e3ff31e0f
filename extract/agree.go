package extract

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"shenbao/doc"
	"shenbao/extract/normalize"
)

// Checks of one application's documents against each other. The documents of an application state
// some facts more than once — the 申请报告 its total assets, which the audit states too; the licence
// its legal representative and date of establishment, which the report repeats. Where two of them
// disagree, at least one was misread (or misprinted), and neither is shown as certain until a person
// has looked: both are flagged "contradicted" and held at doubtfulConf. One disagreement explains
// itself: a figure printed without a decimal point whose digits, with the point put back, are the
// other document's figure lost its point to the reader (a point is a dot of a few pixels); it is
// restored, below certainty.

// agreeing are the fields that mean the same on every document of an application that states them;
// amounts agree within rounding (a report states 1,911.61万元 of an audit's 19,116,123.45 元).
var agreeing = map[string]bool{
	"credit_code": true, "legal_representative": true, "established_date": true,
	"registered_capital_yuan": true, "total_assets_yuan": true, "total_liabilities_yuan": true,
	"net_assets_yuan": true, "revenue_yuan": true,
}

// ofYear are the fields that are an audit year's: two documents that state different audit_years
// are not held to the same figure.
var ofYear = map[string]bool{
	"total_assets_yuan": true, "total_liabilities_yuan": true, "net_assets_yuan": true, "revenue_yuan": true,
}

// Flags that Agree sets, and the ones of a person's review that it respects.
const (
	FlagContradicted = "contradicted"   // another document of the application states another value
	FlagPointLost    = "point_restored" // the value's decimal point, lost in reading, was put back
	FlagNameRestored = "name_restored"  // a person's name read cut short, or with a character doubled
)

// Agree holds the fields of an application's documents (one slice a document) against each other
// and returns them, each slice a copy, with every contradicted value flagged and below certainty and
// every lost decimal point restored. A value a person confirmed or corrected is never changed, and
// it contradicts the values that disagree with it. A document of another organisation than the
// applicant that opt declares (its name or credit code read with certainty, and not the applicant's)
// states another organisation's facts: it is held against no other, nor they against it.
func Agree(docs [][]doc.Field, opt Options) [][]doc.Field {
	out, _ := AgreeWith(docs, opt)
	return out
}

// AgreeWith is Agree that also tells, for each document, which documents (by their index in docs)
// contradict each of its flagged fields.
func AgreeWith(docs [][]doc.Field, opt Options) ([][]doc.Field, []map[string][]int) {
	against := make([]map[string][]int, len(docs))
	out := make([][]doc.Field, len(docs))
	other := make([]bool, len(docs))
	for i, fs := range docs {
		out[i] = slices.Clone(fs)
		other[i] = otherOrganisation(fs, opt)
	}
	year := make([]string, len(docs)) // each document's audit_year, or ""
	for i, fs := range docs {
		for _, f := range fs {
			if f.Name == "audit_year" {
				year[i] = f.Value
			}
		}
	}
	type at struct{ doc, idx int }
	byName := map[string][]at{}
	for i, fs := range out {
		for j, f := range fs {
			if agreeing[f.Name] && f.Value != "" {
				byName[f.Name] = append(byName[f.Name], at{i, j})
			}
		}
	}
	for name, ats := range byName {
		if len(ats) < 2 {
			continue
		}
		comparable := func(a, b at) bool {
			if a.doc == b.doc || other[a.doc] || other[b.doc] {
				return false
			}
			ya, yb := year[a.doc], year[b.doc]
			return !ofYear[name] || ya == "" || yb == "" || ya == yb
		}
		// Restore lost points first: the restored value may then agree.
		for _, a := range ats {
			fa := &out[a.doc][a.idx]
			if reviewed(*fa) {
				continue
			}
			for _, b := range ats {
				if comparable(a, b) {
					if v, ok := pointLost(*fa, out[b.doc][b.idx]); ok {
						fa.Value = v
						fa.Confidence = math.Min(fa.Confidence, restoredConf)
						fa.Flags = addFlag(fa.Flags, FlagPointLost)
						break
					}
					if v, ok := nameCut(*fa, out[b.doc][b.idx]); ok {
						fa.Value = v
						fa.Confidence = math.Min(fa.Confidence, restoredConf)
						fa.Flags = addFlag(fa.Flags, FlagNameRestored)
						break
					}
				}
			}
		}
		for _, a := range ats {
			fa := &out[a.doc][a.idx]
			if reviewed(*fa) {
				continue
			}
			for _, b := range ats {
				if comparable(a, b) && !sameValue(name, fa.Value, out[b.doc][b.idx].Value) {
					fa.Confidence = math.Min(fa.Confidence, doubtfulConf)
					fa.Flags = addFlag(fa.Flags, FlagContradicted)
					if against[a.doc] == nil {
						against[a.doc] = map[string][]int{}
					}
					against[a.doc][name] = append(against[a.doc][name], b.doc)
				}
			}
		}
	}
	return out, against
}

// nameCut returns the person's name a was misread from, given b, the same person's name read on
// another document: a name cut short at a seal or the page's edge is the other's without its first
// or last characters (次仁加 of 次仁加措卓玛, 巴桑珠卓玛次旦 of 边巴桑珠卓玛次旦), and is the other; a
// name with one character doubled (高高强涛 of 高强涛) is the other. A reading does not add true
// characters, it loses or repeats them.
func nameCut(a, b doc.Field) (string, bool) {
	if a.Name != "legal_representative" {
		return "", false
	}
	ar, br := []rune(strings.Join(strings.Fields(a.Value), "")), []rune(strings.Join(strings.Fields(b.Value), ""))
	if len(ar) < 2 || len(br) < 2 || string(ar) == string(br) {
		return "", false
	}
	if doubled(ar, br) {
		return string(br), true
	}
	if len(ar) < len(br) && strings.Contains(string(br), string(ar)) && !doubled(br, ar) {
		return string(br), true
	}
	return "", false
}

// doubled reports whether long is short with one of its characters read twice.
func doubled(long, short []rune) bool {
	if len(long) != len(short)+1 {
		return false
	}
	for i := 1; i < len(long); i++ {
		if long[i] == long[i-1] && string(long[:i])+string(long[i+1:]) == string(short) {
			return true
		}
	}
	return false
}

// otherOrganisation reports whether the fields fs of a document are another organisation's than
// the applicant opt declares: a name or a credit code read with certainty that is none of the
// declared ones, nor one misread (misreadDeclared; a code differing in two characters at most).
func otherOrganisation(fs []doc.Field, opt Options) bool {
	for _, f := range fs {
		if f.Confidence < doc.SureConfidence && !reviewed(f) {
			continue
		}
		switch {
		case f.Name == "org_name" && len(opt.Applicant) > 0:
			if !slices.ContainsFunc(opt.Applicant, func(a string) bool { return normalize.Key(a) == normalize.Key(f.Value) }) {
				if _, misread := misreadDeclared(f.Value, opt.Applicant); !misread {
					return true
				}
			}
		case f.Name == "credit_code" && len(opt.Codes) > 0:
			if !slices.ContainsFunc(opt.Codes, func(c string) bool {
				a, b := []rune(strings.ToUpper(c)), []rune(strings.ToUpper(f.Value))
				return len(a) == len(b) && hamming(a, b) <= 2
			}) {
				return true
			}
		}
	}
	return false
}

// restoredConf is the confidence of a value whose decimal point was put back: the other document
// bears it out, but a person should see it.
const restoredConf = 0.8

// reviewed reports whether a person confirmed or corrected f.
func reviewed(f doc.Field) bool {
	return slices.Contains(f.Flags, "confirmed") || slices.Contains(f.Flags, "corrected")
}

func addFlag(flags []string, flag string) []string {
	if slices.Contains(flags, flag) {
		return flags
	}
	return append(slices.Clone(flags), flag)
}

// sameValue compares two values of field name: amounts within rounding (1%), names
// without spaces, other values exactly.
func sameValue(name, a, b string) bool {
	if doc.FieldTypes[name] == doc.Number {
		x, err1 := strconv.ParseFloat(a, 64)
		y, err2 := strconv.ParseFloat(b, 64)
		if err1 == nil && err2 == nil {
			return withinRounding(x, y)
		}
	}
	return strings.Join(strings.Fields(a), "") == strings.Join(strings.Fields(b), "")
}

func withinRounding(x, y float64) bool {
	return math.Abs(x-y) <= 0.01*math.Max(math.Abs(x), math.Abs(y))
}

// pointLost returns a's value with its decimal point put back when a was printed without one (its
// text has digits and neither a point nor a thousands separator, which a whole amount would have) and is 10, 100, 1000 or 10000 times b within rounding: the digits
// are b's, the point was lost.
func pointLost(a, b doc.Field) (string, bool) {
	if doc.FieldTypes[a.Name] != doc.Number || a.Text == "" || strings.ContainsAny(a.Text, ".．·,，") {
		return "", false
	}
	x, err1 := strconv.ParseFloat(a.Value, 64)
	y, err2 := strconv.ParseFloat(b.Value, 64)
	if err1 != nil || err2 != nil || y <= 0 || x <= y || withinRounding(x, y) {
		return "", false
	}
	digits := 0
	for _, r := range a.Text {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	for k, p := 1, 10.0; k <= 4; k, p = k+1, p*10 {
		if k < digits && withinRounding(x/p, y) {
			return strconv.FormatFloat(math.Round(x/p*100)/100, 'f', -1, 64), true
		}
	}
	return "", false
}
