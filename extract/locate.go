package extract

import (
	"strings"

	"shenbao/doc"
	"shenbao/extract/normalize"
)

// Sighting is where a value the application declares — the applicant's name or its credit code —
// was found printed on a document, allowing for misread characters.
type Sighting struct {
	What     string // "org_name" or "credit_code"
	Declared string // the value as the application states it
	Printed  string // the text as read
	Page     int
	Box      doc.Box
	Distance int // characters misread, dropped or added between Declared and Printed
}

// Locate looks for the declared names and credit code on every page of a document, tolerating the
// errors a reader makes (about one character in four for names, two in eighteen for a code), and
// returns where each was found, best match first per value. A value not found has no sighting.
func Locate(pages []doc.Page, names []string, code string) []Sighting {
	d := newDocument(pages)
	var out []Sighting
	for _, n := range names {
		if s, ok := d.locate(n, "org_name", maxErrors(len([]rune(normalize.Key(n))))); ok {
			out = append(out, s)
		}
	}
	if c := strings.ToUpper(strings.TrimSpace(code)); len(c) == 18 {
		if s, ok := d.locate(c, "credit_code", 2); ok {
			out = append(out, s)
		}
	}
	return out
}

// locate finds the best printing of value in d with at most k errors.
func (d *document) locate(value, what string, k int) (Sighting, bool) {
	p := []rune(normalize.Key(value))
	if len(p) < 4 {
		return Sighting{}, false
	}
	best := Sighting{Distance: -1}
	for _, l := range d.lines {
		for _, h := range approxFind(l.dense, p, k) {
			if best.Distance >= 0 && h.dist >= best.Distance {
				continue
			}
			s, e := l.denseAt[h.start], l.denseAt[h.end-1]+1
			ev := l.span(s, e)
			best = Sighting{What: what, Declared: value, Printed: ev.text, Page: ev.page, Box: ev.pageBox(), Distance: h.dist}
		}
	}
	return best, best.Distance >= 0
}
