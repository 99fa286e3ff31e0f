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
	Distance int  // characters misread, dropped or added between Declared and Printed
	InSeal   bool // read round a seal (a declaration's 公章), not in the print
}

// Locate looks for the declared names and credit code on every page of a document, tolerating the
// errors a reader makes (about one character in four for names, two in eighteen for a code), and
// returns where each was found, best match first per value. A value not found has no sighting.
func Locate(pages []doc.Page, names []string, code string) []Sighting {
	d := newDocument(uprightPages(pages))
	var out []Sighting
	for _, n := range names {
		k := maxErrors(len([]rune(normalize.Key(n))))
		if s, ok := d.locate(n, "org_name", k); ok {
			out = append(out, s)
		}
		if s, ok := inSeal(pages, n, k+1); ok {
			out = append(out, s)
		}
	}
	if c := strings.ToUpper(strings.TrimSpace(code)); len(c) == 18 {
		if s, ok := d.locate(c, "credit_code", 2); ok {
			out = append(out, s)
		}
	}
	for i := range out {
		if out[i].Page >= 1 && out[i].Page <= len(pages) && !out[i].InSeal {
			out[i].Box = pageFrameBox(out[i].Box, pageNumbered(pages, out[i].Page))
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

// inSeal finds a declared name in the texts read round the pages' seals, which are read less
// surely than print (one error more is allowed).
func inSeal(pages []doc.Page, name string, k int) (Sighting, bool) {
	p := []rune(normalize.Key(name))
	best := Sighting{Distance: -1}
	for pi, pg := range pages {
		num := pg.Number
		if num == 0 {
			num = pi + 1
		}
		for _, st := range pg.SealTexts {
			for _, h := range approxFind([]rune(normalize.Key(st.Text)), p, k) {
				if best.Distance < 0 || h.dist < best.Distance {
					best = Sighting{What: "org_name", Declared: name, Printed: st.Text, Page: num, Box: st.Box, Distance: h.dist, InSeal: true}
				}
			}
		}
	}
	return best, best.Distance >= 0
}
