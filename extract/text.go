package extract

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"shenbao/doc"
	"shenbao/extract/normalize"
)

// line is one doc.Line prepared for matching. Its text is folded (full-width ASCII → ASCII), OCR's
// spaces between Chinese characters are gone, and a single space stands where the words are far
// apart (a table cell boundary) or between two non-Chinese words. at maps every rune of text to the
// word it came from (-1 for an inserted space).
type line struct {
	page  int // 1-based
	index int // position in the document's line list
	words []doc.Word
	box   doc.Box
	text  string
	runes []rune
	at    []int
	// dense is text without spaces, for label matching; denseAt maps it back to runes.
	dense   []rune
	denseAt []int
	// skew and skewX are the page's slant and the column it was levelled around (see pageSkew):
	// the boxes of words and of the line are levelled ones.
	skew  float64
	skewX int
}

// document is the text of the pages extract works on.
type document struct {
	pages []doc.Page
	lines []*line
	// byPage holds the indices of each page's lines (key: 1-based page number).
	byPage    map[int][]int
	flowCache *flow
	// offsetRows holds each page's labels paired with their amounts at the page's row offset (see
	// amountAtOffset), by page and line height; nil where the page has none.
	offsetRows map[[2]int]map[*line]*line
}

func isWide(r rune) bool {
	return normalize.IsHan(r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) ||
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…' || r == '·'
}

// cleanWord folds a word's text and drops spaces inside it next to Chinese characters.
func cleanWord(s string) []rune {
	rs := []rune(normalize.Fold(s))
	out := rs[:0:0]
	for i, r := range rs {
		if unicode.IsSpace(r) {
			if len(out) == 0 || i == len(rs)-1 || isWide(out[len(out)-1]) || isWide(rs[i+1]) || unicode.IsSpace(out[len(out)-1]) {
				continue
			}
			r = ' '
		}
		out = append(out, r)
	}
	return out
}

func median(v []int) int {
	if len(v) == 0 {
		return 0
	}
	s := append([]int(nil), v...)
	sort.Ints(s)
	return s[len(s)/2]
}

// newLine joins a doc.Line's words. Two words are joined without a space when both sides are
// Chinese and they are close (under 0.8 of the line's median word height apart); a wider gap is a
// cell boundary and becomes one space. Two non-Chinese words (numbers, codes) always keep a space.
func newLine(page, index int, dl doc.Line) *line {
	l := &line{page: page, index: index, words: dl.Words, box: dl.Box}
	var hs []int
	for _, w := range dl.Words {
		if h := w.Box.H(); h > 0 {
			hs = append(hs, h)
		}
	}
	h := median(hs)
	var prev *doc.Word
	for wi := range dl.Words {
		w := &dl.Words[wi]
		rs := cleanWord(w.Text)
		if len(rs) == 0 {
			continue
		}
		if l.box.Empty() {
			l.box = l.box.Union(w.Box)
		}
		if prev != nil && len(l.runes) > 0 {
			last := l.runes[len(l.runes)-1]
			gap := w.Box.X0 - prev.Box.X1
			far := h > 0 && float64(gap) >= 0.8*float64(h)
			bothNarrow := !isWide(last) && !isWide(rs[0])
			if far || (bothNarrow && !(h > 0 && gap < h/4) && !splitNumber(l.runes, rs)) {
				l.runes = append(l.runes, ' ')
				l.at = append(l.at, -1)
			}
		}
		border := len(rs) == 1 && rs[0] == '丨' // a ruled line read as a character
		for _, r := range rs {
			if border || strings.ContainsRune("|│┃┆╎", r) {
				// A table's ruled line separates cells.
				if n := len(l.runes); n > 0 && l.runes[n-1] != ' ' {
					l.runes = append(l.runes, ' ')
					l.at = append(l.at, -1)
				}
				continue
			}
			l.runes = append(l.runes, r)
			l.at = append(l.at, wi)
		}
		prev = w
	}
	for len(l.runes) > 0 && l.runes[len(l.runes)-1] == ' ' {
		l.runes, l.at = l.runes[:len(l.runes)-1], l.at[:len(l.at)-1]
	}
	l.text = string(l.runes)
	for i, r := range l.runes {
		if r != ' ' {
			l.dense = append(l.dense, r)
			l.denseAt = append(l.denseAt, i)
		}
	}
	return l
}

// splitNumber reports whether a number runs on from the text before into word rs, as a reader
// that cut a sentence's number in two boxes leaves it (满意度为9 | 4.2 | %。, 94. | 2%): rs begins
// with its decimal point or per cent sign, the text ends with a decimal point, or a number that
// begins right after Chinese text goes on in rs.
func splitNumber(before, rs []rune) bool {
	n := len(before)
	if n == 0 || len(rs) == 0 {
		return false
	}
	last := before[n-1]
	switch {
	case rs[0] == '.' || rs[0] == '%':
		return unicode.IsDigit(last)
	case last == '.':
		return n >= 2 && unicode.IsDigit(before[n-2]) && unicode.IsDigit(rs[0])
	case unicode.IsDigit(last) && unicode.IsDigit(rs[0]):
		if groupedAmountRE.MatchString(string(rs)) {
			return false // a whole amount after a row's number (所有者权益合计 44 2,580,328.91)
		}
		i := n - 1
		for i > 0 && unicode.IsDigit(before[i-1]) {
			i--
		}
		return i > 0 && n-i <= 2 && normalize.IsHan(before[i-1])
	}
	return false
}

// groupedAmountRE is an amount printed whole, grouped by thousands with its decimals.
var groupedAmountRE = regexp.MustCompile(`^\d{1,3}(?:,\d{3})+\.\d{2}`)

// newDocument prepares the legible, non-blank pages for matching.
func newDocument(pages []doc.Page) *document {
	d := &document{pages: pages, byPage: map[int][]int{}}
	for pi, p := range pages {
		num := p.Number
		if num == 0 {
			num = pi + 1
		}
		if p.Blank || p.Illegible || p.Error != "" {
			continue
		}
		ls := dropSpecks(p.Lines)
		s, cx := pageSkew(doc.Page{Lines: ls}), p.Width/2
		if s != 0 {
			ls = shearLines(ls, s, cx)
		}
		for _, dl := range joinStackedLabels(unstackLabels(mergeRows(ls))) {
			l := newLine(num, len(d.lines), dl)
			l.skew, l.skewX = s, cx
			if len(l.runes) == 0 {
				continue
			}
			d.byPage[num] = append(d.byPage[num], len(d.lines))
			d.lines = append(d.lines, l)
		}
	}
	return d
}

// sub returns the document restricted to pages from..to (1-based, inclusive).
func (d *document) sub(from, to int) *document {
	var ps []doc.Page
	for pi, p := range d.pages {
		num := p.Number
		if num == 0 {
			num = pi + 1
		}
		if num >= from && num <= to {
			q := p
			q.Number = num
			ps = append(ps, q)
		}
	}
	return newDocument(ps)
}

// pageNumbers lists the numbers of pages that have text, in order.
func (d *document) pageNumbers() []int {
	var out []int
	for n := range d.byPage {
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

// evidence is where a value was read: the text, the page, the words' box and mean confidence.
type evidence struct {
	text string
	page int
	box  doc.Box
	conf float64
	ln   *line // the line the value starts on, when it is on one
	// label is the box of the label when the value was read on another line than the label's
	label doc.Box
	// skew and skewX: box is levelled by this slant (see pageSkew); page returns it as printed.
	skew  float64
	skewX int
}

// pageBox returns the evidence's box in the page's own coordinates.
func (e evidence) pageBox() doc.Box { return shear(e.box, e.skew, e.skewX, 1) }

// span returns the evidence of runes [from, to) of l.
func (l *line) span(from, to int) evidence {
	from = max(from, 0)
	to = min(to, len(l.runes))
	if from >= to {
		return evidence{page: l.page, ln: l}
	}
	e := evidence{text: strings.TrimSpace(string(l.runes[from:to])), page: l.page, ln: l, skew: l.skew, skewX: l.skewX}
	seen := map[int]bool{}
	sum, n := 0.0, 0
	for i := from; i < to; i++ {
		wi := l.at[i]
		if wi < 0 || seen[wi] {
			continue
		}
		seen[wi] = true
		w := l.words[wi]
		e.box = e.box.Union(w.Box)
		sum += w.Confidence
		n++
	}
	if n > 0 {
		e.conf = sum / float64(n)
	}
	return e
}

// byteToRune converts a byte offset in l.text to a rune offset.
func (l *line) byteToRune(b int) int {
	if b <= 0 {
		return 0
	}
	if b >= len(l.text) {
		return len(l.runes)
	}
	return utf8.RuneCountInString(l.text[:b])
}

// spanBytes is span for a byte range of l.text (as regexp returns).
func (l *line) spanBytes(from, to int) evidence {
	return l.span(l.byteToRune(from), l.byteToRune(to))
}

// pageLines returns the lines of page n.
func (d *document) pageLines(n int) []*line {
	var out []*line
	for _, i := range d.byPage[n] {
		out = append(out, d.lines[i])
	}
	return out
}

// flow is the text of consecutive lines joined without separators, so that sentences broken by
// line wraps read whole; pos maps each byte of text back to its line and rune.
type flow struct {
	rs     []rune // text as runes, and bo the byte offset of each (one past the end too)
	bo     []int
	text   string
	lineOf []int // per byte: index in d.lines, or -1
	runeOf []int // per byte: rune index in that line
}

// flow joins all lines of d, page by page. A prose line (no cell gaps, at least 12 characters)
// and the prose line after it are glued directly, as a wrapped sentence; any other pair of lines
// is separated by "\n", and so are pages.
func (d *document) flow() *flow {
	if d.flowCache != nil {
		return d.flowCache
	}
	f := &flow{}
	var sb strings.Builder
	sep := func() {
		sb.WriteByte('\n')
		f.lineOf = append(f.lineOf, -1)
		f.runeOf = append(f.runeOf, -1)
	}
	var prev *line
	for li, l := range d.lines {
		if prev != nil {
			prose := func(x *line) bool { return !strings.ContainsRune(x.text, ' ') }
			if l.page != prev.page || !prose(prev) || !prose(l) || len(prev.dense) < 12 || headingLine(prev) {
				sep()
			}
		}
		prev = l
		for ri, r := range l.runes {
			n := utf8.RuneLen(r)
			if n < 0 {
				n = 3
			}
			sb.WriteRune(r)
			for k := 0; k < n; k++ {
				f.lineOf = append(f.lineOf, li)
				f.runeOf = append(f.runeOf, ri)
			}
		}
	}
	f.text = sb.String()
	d.flowCache = f
	return f
}

// headingLine reports whether l is a heading of its own (四、服务功能（2024年度）): an ordinal, a
// short title and no sentence's punctuation. It ends its sentence however long it is.
func headingLine(l *line) bool {
	return headingRE.MatchString(l.text) && len(l.dense) <= 24 && !strings.ContainsAny(string(l.dense), "，。；,;：:") &&
		!decimalStartRE.MatchString(l.text)
}

// decimalStartRE is a line that begins with a decimal number (1186.56平方米), not an ordinal.
var decimalStartRE = regexp.MustCompile(`^\d+[.．]\d`)

// evidence returns the evidence for bytes [from, to) of the flow, across lines: the first line's
// page, the union of boxes on that page.
func (f *flow) evidence(d *document, from, to int) evidence {
	if from < 0 || to > len(f.text) || from >= to {
		return evidence{}
	}
	var e evidence
	e.text = f.text[from:to]
	sum, n := 0.0, 0
	for b := from; b < to; {
		li := f.lineOf[b]
		if li < 0 {
			b++
			continue
		}
		// the run of bytes on this line
		end := b
		for end < to && f.lineOf[end] == li {
			end++
		}
		l := d.lines[li]
		sp := l.span(f.runeOf[b], f.runeOf[end-1]+1)
		if e.page == 0 {
			e.page, e.skew, e.skewX = sp.page, sp.skew, sp.skewX
		}
		if sp.page == e.page {
			e.box = e.box.Union(sp.box)
		}
		if sp.conf > 0 {
			sum += sp.conf
			n++
		}
		b = end
	}
	if n > 0 {
		e.conf = sum / float64(n)
	}
	return e
}

// mergeRows joins lines that OCR split on one printed row: lines that share most of their height
// and do not overlap side by side become one line, words ordered left to right. This rebuilds table
// rows whose cells Tesseract put in separate blocks, and lines broken in two.
func mergeRows(ls []doc.Line) []doc.Line {
	used := make([]bool, len(ls))
	var out []doc.Line
	for i := range ls {
		if used[i] {
			continue
		}
		used[i] = true
		row := ls[i]
		if row.Box.Empty() {
			out = append(out, row)
			continue
		}
		if vertical(row) {
			out = append(out, row)
			continue
		}
		for j := i + 1; j < len(ls); j++ {
			if used[j] || ls[j].Box.Empty() || vertical(ls[j]) || !sameRow(row.Box, ls[j].Box) {
				continue
			}
			used[j] = true
			row = joinRow(row, ls[j])
		}
		out = append(out, row)
	}
	return out
}

// vertical reports whether a line is one word printed top to bottom (a stamp's or a margin's text):
// it belongs to no row.
func vertical(l doc.Line) bool {
	return len(l.Words) == 1 && utf8.RuneCountInString(strings.TrimSpace(l.Words[0].Text)) >= 2 && l.Box.H() > 2*l.Box.W()
}

// dropSpecks removes what a reader makes of a stamp's or a stain's fragments: a word of one or two
// characters read with a confidence under 0.3 (not a tick, which may be read as poorly). Words
// without a confidence (a PDF's text layer) are kept.
func dropSpecks(ls []doc.Line) []doc.Line {
	var out []doc.Line
	for _, l := range ls {
		keep := l.Words[:0:0]
		for _, w := range l.Words {
			t := strings.TrimSpace(w.Text)
			if w.Confidence > 0 && w.Confidence < 0.3 && utf8.RuneCountInString(t) <= 2 && !strings.ContainsAny(t, "√✓✔☑VvY") {
				continue
			}
			keep = append(keep, w)
		}
		switch {
		case len(keep) == len(l.Words):
			out = append(out, l)
		case len(keep) > 0:
			nl := doc.Line{Words: keep}
			for _, w := range keep {
				nl.Box = nl.Box.Union(w.Box)
			}
			out = append(out, nl)
		}
	}
	return out
}

// sameRow reports whether two boxes lie on one row: their vertical overlap is at least 60% of the
// lower one's height, and they do not overlap horizontally.
func sameRow(a, b doc.Box) bool {
	ov := min(a.Y1, b.Y1) - max(a.Y0, b.Y0)
	h := min(a.H(), b.H())
	if h <= 0 || float64(ov) < 0.6*float64(h) {
		return false
	}
	return a.X1 <= b.X0+2 || b.X1 <= a.X0+2
}

func joinRow(a, b doc.Line) doc.Line {
	ws := append(append([]doc.Word(nil), a.Words...), b.Words...)
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].Box.X0 < ws[j].Box.X0 })
	return doc.Line{Words: ws, Box: a.Box.Union(b.Box)}
}

// runes returns the flow's text as runes with the byte offset of each (and one past the end).
func (f *flow) runes() ([]rune, []int) {
	if f.rs == nil {
		for i, r := range f.text {
			f.rs = append(f.rs, r)
			f.bo = append(f.bo, i)
		}
		f.bo = append(f.bo, len(f.text))
	}
	return f.rs, f.bo
}

// A scan or photo turned by a degree or two puts a table's cells at a slant: across a wide table the
// cells of one row drift by more than a row's height, and rows no longer line up. pageSkew measures
// the slant from the cells themselves — pairs of words side by side on a row — and the page's lines
// are sheared level before they are read; evidence boxes are sheared back (unshear).

// pageSkew returns the slope (dy/dx) along which the page's rows run, or 0 when the rows are level
// or the page does not tell. Two kinds of evidence vote for a slope: words side by side on a row
// (their centres rise or fall by the slope) and words above one another in a column (their left
// or right edges, aligned as printed, move sideways by minus the slope) — the latter tells the
// slant of tables whose cells are too far apart to pair, such as a label at the left and its
// amount at the right.
func pageSkew(p doc.Page) float64 {
	type pt struct{ x0, x1, cx, cy, w int }
	var ws []pt
	var hs []int
	for _, l := range p.Lines {
		for _, w := range l.Words {
			if w.Box.Empty() || strings.TrimSpace(w.Text) == "" {
				continue
			}
			hs = append(hs, w.Box.H())
			b := w.Box
			ws = append(ws, pt{b.X0, b.X1, (b.X0 + b.X1) / 2, (b.Y0 + b.Y1) / 2, b.W()})
		}
	}
	if len(ws) < 6 || len(ws) > 3000 {
		return 0
	}
	h := median(hs)
	if h <= 0 {
		return 0
	}
	const step, nb = 0.002, 50
	// each pair votes for the slopes within its tolerance, a long pair (more precise) more
	var votes [2*nb + 1]float64
	vote := func(v, tol, weight float64) {
		lo := max(int(math.Ceil((v-tol)/step)), -nb)
		hi := min(int(math.Floor((v+tol)/step)), nb)
		for k := lo; k <= hi; k++ {
			votes[k+nb] += weight
		}
	}
	tolPx := float64(h) / 6
	// rows: short words side by side, near enough that a slant cannot take them a row apart
	sort.Slice(ws, func(i, j int) bool { return ws[i].cx < ws[j].cx })
	for i, a := range ws {
		if a.w > 10*h {
			continue
		}
		for _, b := range ws[i+1:] {
			dx := b.cx - a.cx
			if dx > 15*h {
				break
			}
			if dy := b.cy - a.cy; dx > h && b.w <= 10*h && abs(dy) < h {
				vote(float64(dy)/float64(dx), tolPx/float64(dx), float64(dx)/float64(h))
			}
		}
	}
	// columns: edges of words above one another
	sort.Slice(ws, func(i, j int) bool { return ws[i].cy < ws[j].cy })
	for i, a := range ws {
		for _, b := range ws[i+1:] {
			dy := b.cy - a.cy
			if dy > 25*h {
				break
			}
			if 2*dy < 3*h {
				continue
			}
			lim := 0.12 * float64(dy)
			if d := b.x0 - a.x0; math.Abs(float64(d)) <= lim {
				vote(-float64(d)/float64(dy), tolPx/float64(dy), float64(dy)/float64(h))
			}
			if d := b.x1 - a.x1; math.Abs(float64(d)) <= lim {
				vote(-float64(d)/float64(dy), tolPx/float64(dy), float64(dy)/float64(h))
			}
		}
	}
	// the middle of the best run of bins
	best := nb
	for k := range votes {
		if votes[k] > votes[best] {
			best = k
		}
	}
	end := best
	for end+1 < len(votes) && votes[end+1] == votes[best] {
		end++
	}
	s := float64((best+end)/2-nb) * step
	if math.Abs(s) < 0.006 || votes[best] < 12 || votes[best] < 1.3*votes[nb] {
		return 0
	}
	return s
}

// shearLines moves every word up or down by the slant at its centre (around column cx), so that the
// rows of a turned page run level. The lines' boxes follow their words.
func shearLines(ls []doc.Line, s float64, cx int) []doc.Line {
	out := make([]doc.Line, len(ls))
	for i, l := range ls {
		nl := doc.Line{Words: make([]doc.Word, len(l.Words))}
		for j, w := range l.Words {
			w.Box = shear(w.Box, s, cx, -1)
			nl.Words[j] = w
			nl.Box = nl.Box.Union(w.Box)
		}
		if len(l.Words) == 0 {
			nl.Box = l.Box
		}
		out[i] = nl
	}
	return out
}

// shear moves b vertically by dir times the slant at its centre.
func shear(b doc.Box, s float64, cx, dir int) doc.Box {
	if s == 0 || b.Empty() {
		return b
	}
	dy := dir * int(math.Round(s*float64((b.X0+b.X1)/2-cx)))
	b.Y0 += dy
	b.Y1 += dy
	return b
}
