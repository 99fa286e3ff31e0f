package extract

import (
	"sort"
	"strings"

	"shenbao/doc"
	"shenbao/extract/normalize"
)

// The application report's 服务功能 table (four columns: 服务功能 | 是否具备 | 年度服务开展情况) read
// from the words' geometry. A reader that gives one word per printed text box (PP-OCR) groups its
// rows by vertical overlap, so a description wrapped over two lines straddles its function's row:
// its first line is read above the function's name, its rest below. The table is therefore rebuilt
// from the page's words: the function names stand in a column at the left; each description
// paragraph and each mark belongs to the function whose name is nearest to it vertically.

// tableWord is a word of the page with its folded text.
type tableWord struct {
	doc.Word
	text []rune
}

func (w tableWord) cy() int { return (w.Box.Y0 + w.Box.Y1) / 2 }

// funcRow is one row of the table.
type funcRow struct {
	name  string // information, technology…
	cell  tableWord
	marks []tableWord
	desc  []descPara
}

// descPara is a paragraph of the description column: lines that wrap into each other.
type descPara struct {
	words []tableWord
	box   doc.Box
	text  string
}

// readFunctionTable reads the function table of a report: the functions claimed and, per claimed
// function, the figures its description gives. It reports whether a table was found.
func readFunctionTable(d *document, fs *fieldSet) bool {
	found := false
	claimed := map[string]bool{}
	var fev evidence
	for pi, p := range d.pages {
		if p.Blank || p.Illegible || p.Error != "" {
			continue
		}
		num := p.Number
		if num == 0 {
			num = pi + 1
		}
		rows := functionRows(p)
		if rows == nil {
			continue
		}
		found = true
		for _, r := range rows {
			text := r.text()
			if !r.claimed() {
				continue
			}
			claimed[r.name] = true
			ev := r.evidence(num)
			if fev.page == 0 || fev.page == ev.page {
				fev.page, fev.box = ev.page, fev.box.Union(r.cell.Box)
				fev.conf = max(fev.conf, r.cell.Confidence)
				fev.text = strings.TrimSpace(fev.text + " " + string(r.cell.text))
			}
			for _, fig := range functionFigures[r.name] {
				m := fig.re.FindStringSubmatchIndex(text)
				if m == nil {
					continue
				}
				if n, ok := normalize.Integer(text[m[2]:m[3]]); ok {
					fs.set(fig.field, itoa(n), evidence{text: text[m[0]:m[1]], page: num, box: ev.box, conf: ev.conf})
				}
			}
		}
	}
	if len(claimed) > 0 {
		fs.set("functions", strings.Join(sortedKeys(claimed), ","), fev)
	}
	return found
}

// functionRows finds the function table on a page: at least three of the five function names,
// each beginning its own word, standing in one column. It returns nil when there is none.
func functionRows(p doc.Page) []funcRow {
	var words []tableWord
	for _, l := range p.Lines {
		for _, w := range l.Words {
			rs := []rune(strings.Join(strings.Fields(normalize.Fold(w.Text)), ""))
			if len(rs) == 0 || w.Box.Empty() {
				continue
			}
			words = append(words, tableWord{w, rs})
		}
	}
	// The names: a word that is a function's name, perhaps with a mark read into it (创业服务√).
	var rows []funcRow
	isName := map[int]bool{}
	for i, w := range words {
		if len(w.text) > 6 {
			continue
		}
		for _, fn := range functionNames {
			pat := []rune(fn.zh)
			if hs := approxFind(w.text, pat, 1); len(hs) > 0 && hs[0].start == 0 {
				r := funcRow{name: fn.name, cell: w}
				if rest := w.text[hs[0].end:]; len(rest) > 0 {
					r.marks = append(r.marks, tableWord{w.Word, rest})
				}
				rows = append(rows, r)
				isName[i] = true
				break
			}
		}
	}
	if len(rows) < 3 {
		return nil
	}
	// One column: the names' left edges agree within a name's height, each name once.
	sort.Slice(rows, func(i, j int) bool { return rows[i].cell.cy() < rows[j].cell.cy() })
	var hs, x0s []int
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.name] {
			return nil
		}
		seen[r.name] = true
		hs = append(hs, r.cell.Box.H())
		x0s = append(x0s, r.cell.Box.X0)
	}
	h := max(median(hs), 1)
	x0 := median(x0s)
	nameX1 := 0
	for _, r := range rows {
		if abs(r.cell.Box.X0-x0) > h*3/2 {
			return nil
		}
		nameX1 = max(nameX1, r.cell.Box.X1)
	}
	// The table's top: the header row above the first name (服务功能, 是否具备, 年度服务开展情况);
	// its bottom: the first word below the last name that begins in the names' column (a
	// sentence after the table) or a row pitch and a half below it.
	first, last := rows[0].cell, rows[len(rows)-1].cell
	pitch := (last.cy() - first.cy()) / max(len(rows)-1, 1)
	top := first.Box.Y0 - pitch*3/2
	tickCol := doc.Box{}
	for _, w := range words {
		if w.cy() >= first.Box.Y0 || w.cy() < first.Box.Y0-pitch*3 {
			continue
		}
		t := string(w.text)
		if strings.Contains(t, "是否") || strings.Contains(t, "具备") {
			tickCol = w.Box
		}
		if strings.Contains(t, "是否") || strings.Contains(t, "具备") || strings.Contains(t, "开展情况") || strings.Contains(t, "服务功能") {
			top = max(top, min(w.Box.Y1, first.Box.Y0))
		}
	}
	bottom := last.Box.Y1 + pitch
	for i, w := range words {
		if !isName[i] && w.cy() > last.cy() && w.Box.X0 < nameX1 && w.cy() < bottom {
			bottom = w.cy()
		}
	}
	// The cells right of the names, within the table.
	var cells []tableWord
	for i, w := range words {
		if isName[i] || w.cy() <= top || w.cy() >= bottom || w.Box.X0 < nameX1-h/2 {
			continue
		}
		cells = append(cells, w)
	}
	// The description column begins where its text does: the leftmost word of four Chinese
	// characters or more. Shorter words left of it are marks; without such text, marks are what
	// stands under the 是否具备 header, or the first cell of a row.
	descX := -1
	for _, w := range cells {
		if hanCount(w.text) >= 4 && (descX < 0 || w.Box.X0 < descX) {
			descX = w.Box.X0
		}
	}
	var desc []tableWord
	for _, w := range cells {
		inTicks := false
		switch {
		case descX >= 0:
			inTicks = w.Box.X0 < descX-h/2
		case !tickCol.Empty():
			inTicks = w.Box.X0 < tickCol.X1 && w.Box.X1 > tickCol.X0
		default:
			inTicks = true
		}
		if !inTicks {
			desc = append(desc, w)
			continue
		}
		r := nearestRow(rows, w.cy())
		switch {
		case len(w.text) < 3:
			rows[r].marks = append(rows[r].marks, w)
		case strings.ContainsRune(tickLike+dashLike+refusal, w.text[0]):
			// a mark read together with the description's start (V务代理服务)
			rows[r].marks = append(rows[r].marks, tableWord{w.Word, w.text[:1]})
			desc = append(desc, tableWord{w.Word, w.text[1:]})
		default:
			desc = append(desc, w)
		}
	}
	for _, para := range paragraphs(desc, h) {
		r := nearestRow(rows, (para.box.Y0+para.box.Y1)/2)
		rows[r].desc = append(rows[r].desc, para)
	}
	return rows
}

// nearestRow returns the row whose name is vertically nearest to y.
func nearestRow(rows []funcRow, y int) int {
	best := 0
	for i, r := range rows {
		if abs(r.cell.cy()-y) < abs(rows[best].cell.cy()-y) {
			best = i
		}
	}
	return best
}

// paragraphs groups the description column's words into visual lines (vertical overlap), and lines
// into paragraphs: a line that runs to the column's right edge without ending its sentence
// continues on the next line.
func paragraphs(ws []tableWord, h int) []descPara {
	sort.Slice(ws, func(i, j int) bool { return ws[i].cy() < ws[j].cy() })
	var lines [][]tableWord
	for _, w := range ws {
		if n := len(lines); n > 0 {
			prev := lines[n-1][len(lines[n-1])-1]
			ov := min(prev.Box.Y1, w.Box.Y1) - max(prev.Box.Y0, w.Box.Y0)
			if float64(ov) >= 0.6*float64(min(prev.Box.H(), w.Box.H())) && (w.Box.X0 >= prev.Box.X1-2 || prev.Box.X0 >= w.Box.X1-2) {
				lines[n-1] = append(lines[n-1], w)
				continue
			}
		}
		lines = append(lines, []tableWord{w})
	}
	right := 0
	for _, w := range ws {
		right = max(right, w.Box.X1)
	}
	var out []descPara
	open := false
	for _, ln := range lines {
		sort.Slice(ln, func(i, j int) bool { return ln[i].Box.X0 < ln[j].Box.X0 })
		var box doc.Box
		var sb strings.Builder
		for _, w := range ln {
			box = box.Union(w.Box)
			sb.WriteString(string(w.text))
		}
		text := sb.String()
		if open && len(out) > 0 && box.Y0 < out[len(out)-1].box.Y1+h {
			p := &out[len(out)-1]
			p.words = append(p.words, ln...)
			p.box = p.box.Union(box)
			p.text += text
		} else {
			out = append(out, descPara{words: ln, box: box, text: text})
		}
		rs := []rune(text)
		open = len(rs) > 0 && !strings.ContainsRune("。.!！;；", rs[len(rs)-1]) && box.X1 >= right-2*h
	}
	return out
}

func hanCount(rs []rune) int {
	n := 0
	for _, r := range rs {
		if normalize.IsHan(r) {
			n++
		}
	}
	return n
}

const (
	// ticks read from a printed √: as itself, as V or v, as < or { (its strokes), as Y.
	tickLike = "√✓✔☑■●VvY<{是有"
	// a printed — read as itself or as 1, I, l, i, 一 or a bar.
	dashLike = "—-–―一1Il|i丨_~"
	refusal  = "×✗✘否无"
)

// isDash reports whether rs is nothing but dash-like marks.
func isDash(rs []rune) bool {
	if len(rs) == 0 {
		return false
	}
	for _, r := range rs {
		if !strings.ContainsRune(dashLike, r) {
			return false
		}
	}
	return true
}

// text is the row's description, its paragraphs joined.
func (r funcRow) text() string {
	var parts []string
	for _, p := range r.desc {
		parts = append(parts, p.text)
	}
	return strings.Join(parts, "")
}

// claimed tells whether the row claims its function: a description that says what was done, or a
// tick, and no refusal (否, ×). A dash in the description column says there is nothing.
func (r funcRow) claimed() bool {
	tick, refused := false, false
	for _, m := range r.marks {
		for _, c := range m.text {
			switch {
			case strings.ContainsRune(refusal, c):
				refused = true
			case strings.ContainsRune(tickLike, c):
				tick = true
			}
		}
	}
	if refused {
		return false
	}
	described, dashed := false, false
	for _, p := range r.desc {
		rs := []rune(p.text)
		switch {
		case hanCount(rs) >= 4:
			described = true
		case isDash(rs):
			dashed = true
		}
	}
	if described {
		return true
	}
	if !tick {
		return false
	}
	// a √ reads as itself or a letter; < and { may be other strokes, so they need no dash beside
	for _, m := range r.marks {
		for _, c := range m.text {
			if strings.ContainsRune("√✓✔☑VvY是有", c) {
				return true
			}
		}
	}
	return !dashed
}

// evidence is where the row's description was read.
func (r funcRow) evidence(page int) evidence {
	ev := evidence{page: page, box: r.cell.Box}
	sum, n := 0.0, 0
	for _, p := range r.desc {
		ev.box = ev.box.Union(p.box)
		for _, w := range p.words {
			sum += w.Confidence
			n++
		}
	}
	ev.text = r.text()
	if n > 0 {
		ev.conf = sum / float64(n)
	} else {
		ev.conf = r.cell.Confidence
	}
	return ev
}
