package main

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// page is one printed page, built block by block: each block adds its HTML and the lines of text it
// prints, in reading order (the sidecar's pages[].text: one line per block, table cells separated by
// a space; seals and pictures are not text).
type page struct {
	body  strings.Builder
	lines []string
	blank bool

	// screen pages (web screenshots) have their own size and no paper.
	screen        bool
	width, height int    // CSS px; 0 means A4 (794×1123)
	css           string // extra style for this page
	bodyStyle     string // style of the page element (a plaque's brass, a screen's grey)
}

func (p *page) add(htmlText string, lines ...string) {
	p.body.WriteString(htmlText)
	p.body.WriteByte('\n')
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			p.lines = append(p.lines, l)
		}
	}
}

func esc(s string) string { return html.EscapeString(s) }

// div adds a block of one line of text.
func (p *page) div(class, text string) {
	p.add(fmt.Sprintf(`<div class="%s">%s</div>`, class, esc(text)), text)
}

func (p *page) h1(text string) { p.div("h1", text) }
func (p *page) h2(text string) { p.div("h2", text) }
func (p *page) para(text string) {
	p.add(`<p>`+esc(text)+`</p>`, text)
}

// paraHTML adds a paragraph whose HTML carries marks (a seal, a signature) beside its text.
func (p *page) paraHTML(class, htmlText, text string) {
	p.add(fmt.Sprintf(`<div class="%s">%s</div>`, class, htmlText), text)
}

// kv adds "label：value" on one line.
func (p *page) kv(label, sep, value string) {
	p.add(fmt.Sprintf(`<div class="kv"><span class="k">%s</span>%s<span class="v">%s</span></div>`, esc(label), esc(sep), esc(value)),
		label+sep+value)
}

// cell is one table cell. A vertical cell prints its text top to bottom, one character a line.
type cell struct {
	text     string
	html     string // overrides text in the HTML (marks, seals)
	colspan  int
	rowspan  int
	class    string
	vertical bool
	head     bool
}

func c(text string) cell            { return cell{text: text} }
func hc(text string) cell           { return cell{text: text, head: true} }
func span(text string, n int) cell  { return cell{text: text, colspan: n} }
func vcell(text string, n int) cell { return cell{text: text, rowspan: n, vertical: true, head: true} }

// table adds a table; its text is one line per row (cells joined by a space), with a vertical
// cell's characters on lines of their own before its row.
func (p *page) table(class string, widths []int, rows [][]cell) {
	var sb strings.Builder
	fmt.Fprintf(&sb, `<table class="%s">`, class)
	if len(widths) > 0 {
		sb.WriteString("<colgroup>")
		for _, w := range widths {
			fmt.Fprintf(&sb, `<col style="width:%d%%">`, w)
		}
		sb.WriteString("</colgroup>")
	}
	var lines []string
	for _, row := range rows {
		sb.WriteString("<tr>")
		var texts []string
		for _, cl := range row {
			tag := "td"
			if cl.head {
				tag = "th"
			}
			attrs := ""
			if cl.colspan > 1 {
				attrs += fmt.Sprintf(` colspan="%d"`, cl.colspan)
			}
			if cl.rowspan > 1 {
				attrs += fmt.Sprintf(` rowspan="%d"`, cl.rowspan)
			}
			cls := cl.class
			if cl.vertical {
				cls += " vert"
			}
			if cls != "" {
				attrs += fmt.Sprintf(` class="%s"`, strings.TrimSpace(cls))
			}
			h := cl.html
			if h == "" {
				h = esc(cl.text)
			}
			fmt.Fprintf(&sb, "<%s%s>%s</%s>", tag, attrs, h, tag)
			switch {
			case cl.vertical:
				for _, r := range cl.text {
					if r != ' ' && r != '　' {
						lines = append(lines, string(r))
					}
				}
			case strings.TrimSpace(cl.text) != "":
				texts = append(texts, strings.TrimSpace(cl.text))
			}
		}
		sb.WriteString("</tr>")
		if len(texts) > 0 {
			lines = append(lines, strings.Join(texts, " "))
		}
	}
	sb.WriteString("</table>")
	p.add(sb.String(), lines...)
}

// gap adds vertical space.
func (p *page) gap(em float64) { p.add(fmt.Sprintf(`<div style="height:%.1fem"></div>`, em)) }

// text returns the page's text.
func (p *page) text() string { return strings.Join(p.lines, "\n") }

// seal is a red round seal (公章): a ring, the owner's name along the top of the ring, a star in the
// middle and sometimes a line under the star. It is drawn over the text (multiply), a little turned,
// with uneven ink.
type seal struct {
	name  string
	under string // a line under the star (专用章), or ""
	size  int    // CSS px
	rot   float64
	dx    int // offset from the anchor
	dy    int
	seed  int
	oval  bool
}

// seal draws a seal for an anchor at the end of the owner's name: the seal covers the last
// characters of the name and does not reach far past it (right-aligned names end at the margin).
func (g *rng) seal(name string) seal {
	size := g.between(140, 176)
	return seal{name: name, size: size, rot: g.betweenF(-28, 28), dx: g.between(-size+5, -size*6/10),
		dy: g.between(-size*7/10, -size*4/10), seed: g.intn(1000)}
}

// svg draws the seal.
func (s seal) svg() string {
	const col = "#d7191f"
	size := float64(s.size)
	r := size / 2
	stroke := size * 0.035
	n := float64(len([]rune(s.name)))
	fs := math.Min(r*0.3, 0.92*(r*0.62)*4.36/math.Max(n, 1))
	rt := r - stroke - r*0.06 - fs*0.92
	a0, a1 := 215*math.Pi/180, -35*math.Pi/180
	x0, y0 := r+rt*math.Cos(a0), r-rt*math.Sin(a0)
	x1, y1 := r+rt*math.Cos(a1), r-rt*math.Sin(a1)
	arc := rt * 250 * math.Pi / 180
	id := fmt.Sprintf("s%d", s.seed)
	var star strings.Builder
	sr := r * 0.23
	for i := 0; i < 10; i++ {
		rr := sr
		if i%2 == 1 {
			rr = sr * 0.4
		}
		ang := -math.Pi/2 + float64(i)*math.Pi/5
		fmt.Fprintf(&star, "%.1f,%.1f ", r+rr*math.Cos(ang), r+rr*math.Sin(ang))
	}
	under := ""
	if s.under != "" {
		under = fmt.Sprintf(`<text x="%.1f" y="%.1f" font-size="%.1f" text-anchor="middle" fill="%s">%s</text>`,
			r, r+r*0.55, r*0.17, col, esc(s.under))
	}
	rx := r - stroke/2
	ry := rx
	if s.oval {
		ry = rx * 0.78
	}
	return fmt.Sprintf(`<svg class="seal" width="%d" height="%d" viewBox="0 0 %d %d" style="left:%dpx;top:%dpx;transform:rotate(%.1fdeg)">`+
		`<defs><path id="%sp" d="M %.1f %.1f A %.1f %.1f 0 1 1 %.1f %.1f"/>`+
		`<filter id="%sf"><feTurbulence type="fractalNoise" baseFrequency="0.7" numOctaves="2" seed="%d" result="n"/>`+
		`<feColorMatrix in="n" type="matrix" values="0 0 0 0 0  0 0 0 0 0  0 0 0 0 0  0 0 0 -2.6 2.1" result="m"/>`+
		`<feComposite in="SourceGraphic" in2="m" operator="in"/></filter></defs>`+
		`<g filter="url(#%sf)"><ellipse cx="%.1f" cy="%.1f" rx="%.1f" ry="%.1f" fill="none" stroke="%s" stroke-width="%.1f"/>`+
		`<text font-size="%.1f" fill="%s" font-family="'Noto Serif CJK SC','AR PL UMing CN',serif" font-weight="bold">`+
		`<textPath href="#%sp" textLength="%.1f" lengthAdjust="spacing">%s</textPath></text>`+
		`<polygon points="%s" fill="%s"/>%s</g></svg>`,
		s.size, s.size, s.size, s.size, s.dx, s.dy, s.rot,
		id, x0, y0, rt, rt, x1, y1,
		id, s.seed,
		id, r, r, rx, ry, col, stroke,
		fs, col, id, arc*0.97, esc(s.name),
		star.String(), col, under)
}

// anchor returns HTML that places the seal relative to where it stands in the text.
func (s seal) anchor() string { return `<span class="sa">` + s.svg() + `</span>` }

// sig is a handwritten signature in a brush font.
func sig(name string) string { return `<span class="sig">` + esc(name) + `</span>` }

// checkbox marks: the symbol printed before a function that is (or is not) claimed.
type marks struct{ yes, no string }

var markSets = []marks{{"☑", "□"}, {"√", "□"}, {"■", "□"}, {"✔", "□"}, {"☑", "☐"}}
