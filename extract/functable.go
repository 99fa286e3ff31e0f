package extract

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"shenbao/doc"
	"shenbao/extract/normalize"
)

// The application report's 服务功能 table read from the geometry of the page's cells, whatever its
// layout: the five functions as rows (a column of names, with or without a 序号 before them, an
// ordinal such as （一） or a check box ☑/□ printed with the name) or as columns (a row of names
// with their marks and descriptions under them); the 是否具备 marks (√, 是, 有, 具备 against —, 否,
// ×, 无, 不具备) and the description in any column order. A reader that gives one word per printed
// text box (PP-OCR) groups its rows by vertical overlap, so a description wrapped over two lines
// straddles its function's row: each mark and description paragraph therefore belongs to the
// function whose name is nearest to it (vertically for rows, horizontally for columns).

// tableWord is a word of the page with its folded text.
type tableWord struct {
	doc.Word
	text []rune
	// parts are the words joined into this cell after its first, each by where its text begins
	// (a rune of text) and its box's left edge.
	parts []wordPart
}

type wordPart struct{ at, x0 int }

// from returns the part of cell w that begins at or right of x (a cell that joined a row's label
// with the first column's text: 开展情况服务，线下年服), or false when no part does.
func (w tableWord) from(x int) (tableWord, bool) {
	for _, p := range w.parts {
		if p.x0 >= x {
			out := tableWord{Word: w.Word, text: w.text[p.at:]}
			out.Box.X0 = p.x0
			for _, q := range w.parts {
				if q.at > p.at {
					out.parts = append(out.parts, wordPart{q.at - p.at, q.x0})
				}
			}
			return out, true
		}
	}
	return tableWord{}, false
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
				if n, from, to, ok := clauseFigure(text, fig); ok {
					fs.set(fig.field, itoa(n), evidence{text: text[from:to], page: num, box: ev.box, conf: ev.conf})
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
	words := pageCells(p)
	// The names: a cell that is a function's name, perhaps with an ordinal, a check box or a mark
	// printed with it (（一）信息服务, ☑创业服务, 创业服务√).
	var rows []funcRow
	isName := map[int]bool{}
	for i, w := range words {
		name, before, after, ok := functionName(w.text)
		if !ok {
			continue
		}
		r := funcRow{name: name, cell: w}
		if len(before)+len(after) > 0 {
			r.marks = append(r.marks, tableWord{Word: w.Word, text: append(append([]rune(nil), before...), after...)})
		}
		rows = append(rows, r)
		isName[i] = true
	}
	if cols := functionColumns(words, rows, isName); cols != nil {
		return cols
	}
	if len(rows) < 3 {
		return nil
	}
	// One column: the names whose left edges agree with most names' within a name's height (a
	// function named again elsewhere on the page is not a row), each name once.
	sort.Slice(rows, func(i, j int) bool { return rows[i].cell.cy() < rows[j].cell.cy() })
	var hs, x0s []int
	for _, r := range rows {
		hs = append(hs, r.cell.Box.H())
		x0s = append(x0s, r.cell.Box.X0)
	}
	{
		h, x0 := max(median(hs), 1), median(x0s)
		kept := rows[:0:0]
		seen := map[string]bool{}
		for _, r := range rows {
			if abs(r.cell.Box.X0-x0) > h*3/2 {
				continue
			}
			if seen[r.name] {
				return nil
			}
			seen[r.name] = true
			kept = append(kept, r)
		}
		if rows = kept; len(rows) < 3 {
			return nil
		}
		hs, x0s = hs[:0], x0s[:0]
		for _, r := range rows {
			hs = append(hs, r.cell.Box.H())
			x0s = append(x0s, r.cell.Box.X0)
		}
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
		if !isName[i] && w.cy() > last.Box.Y1 && w.Box.X0 < nameX1 && w.cy() < bottom {
			// (a 序号 beside the last name is in its row, not below it)
			bottom = w.cy()
		}
	}
	// Headings (（一）信息服务) with their paragraphs under them, nothing at their right: each
	// paragraph belongs to the heading above it.
	if under := headedParagraphs(words, rows, isName, nameX1, h); under {
		return rows
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
		if isMarkWord(w.text) {
			// a yes or a no, in whatever column the table gives them (是否具备 first or last)
			r := nearestRow(rows, w.cy())
			rows[r].marks = append(rows[r].marks, w)
			continue
		}
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
			rows[r].marks = append(rows[r].marks, tableWord{Word: w.Word, text: w.text[:1]})
			desc = append(desc, tableWord{Word: w.Word, text: w.text[1:]})
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
		switch t := strings.Trim(string(m.text), " ()（）"); {
		case strings.Contains(t, "不") || strings.Contains(t, "没有"):
			refused = true
		case t == "具备":
			tick = true
		}
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
	if len(r.desc) > 0 && saysNo(r.desc[0].text) {
		return false // the description begins by saying no
	}
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

// functionNames are the five 第十三条 functions as printed (doc.Functions).
var functionNames = func() []struct{ zh, name string } {
	var out []struct{ zh, name string }
	for _, f := range doc.Functions {
		out = append(out, struct{ zh, name string }{f.Zh, f.Name})
	}
	return out
}()

const (
	tickRunes   = "√✓✔☑■●◼▇☒▪"
	boxRunes    = "□☐口囗○◯▢"
	noMarkRunes = "—-–―×✗✘无否/"
)

// readFunctions reads the functions ticked in a function table (信息服务 √ …) or a row of check
// boxes (□信息服务 √创业服务).
func readFunctions(d *document, fs *fieldSet) {
	ticked := map[string]bool{}
	marked, lowConf := false, false
	var ev evidence
	for _, row := range boxRows(d) {
		l := row.l
		// A row of check boxes marks each function before its name (□信息服务 √创业服务): there,
		// what follows a name is the next one's box, not a mark of its own.
		prefixed, boxes, names, ticks := 0, 0, 0, 0
		for _, fn := range functionNames {
			for _, h := range approxFind(l.dense, []rune(fn.zh), 1) {
				if l.denseAt[h.start] >= row.rest {
					continue // the row's wrapped rest: its marks tell nothing of the row's own
				}
				names++
				b := prevRune(l.runes, l.denseAt[h.start])
				if strings.ContainsRune(tickRunes+boxRunes, b) || b == 'V' || b == 'v' {
					prefixed++
				}
				if strings.ContainsRune(boxRunes, b) {
					boxes++
				}
				a := nextRune(l.runes, l.denseAt[h.end-1]+1)
				if l.denseAt[h.end-1]+1 >= row.rest {
					a = 0 // the rest's first mark is its own name's
				}
				if strings.ContainsRune(tickRunes, b) || strings.ContainsRune(tickRunes, a) || b == 'V' || b == 'v' || a == 'V' || a == 'v' {
					ticks++
				}
			}
		}
		// A row of check boxes whose empty boxes were read (口) and whose ticked ones were not —
		// a ticked box read as no character at all, no tick read anywhere in the row: a name with
		// nothing before it, in a row of three names or more where others have their empty box, is
		// a ticked one.
		droppedTicks := names >= 3 && boxes >= 1 && boxes < names && ticks == 0
		for _, fn := range functionNames {
			for _, h := range approxFind(l.dense, []rune(fn.zh), 1) {
				s, e := l.denseAt[h.start], l.denseAt[h.end-1]+1
				before, afterR := prevRune(l.runes, s), nextRune(l.runes, e)
				if prefixed >= 2 || (s < row.rest && e >= row.rest) {
					afterR = 0
				}
				if afterR == '有' && strings.HasPrefix(strings.TrimLeft(string(l.runes[e:]), " "), "有限") {
					afterR = 0 // a firm's name (阿里藏源科技服务有限公司), not the table's 有
				}
				switch {
				case strings.ContainsRune(tickRunes, before) || before == 'V' || before == 'v':
					ticked[fn.name] = true
				case strings.ContainsRune(boxRunes, before):
				case strings.ContainsRune(tickRunes, afterR) || afterR == '是' || afterR == '有' || afterR == 'V' || afterR == 'v':
					ticked[fn.name] = true
				case strings.ContainsRune(noMarkRunes, afterR) || strings.ContainsRune(boxRunes, afterR):
				case droppedTicks && (before == 0 || before == '务' || before == ':' || before == '：' || before == '能'):
					ticked[fn.name] = true
					lowConf = true
				case prefixed >= 2 && misreadTick(before):
					// a row of boxes read as boxes and ticks: a box read as another glyph (?技术服务)
					// holds a tick
					ticked[fn.name] = true
					lowConf = true
				default:
					continue
				}
				marked = true
				if ticked[fn.name] {
					sp := l.span(max(s-1, 0), e+1)
					if ev.page == 0 || ev.page == sp.page {
						ev.page, ev.box, ev.skew, ev.skewX = sp.page, ev.box.Union(sp.box), sp.skew, sp.skewX
						ev.conf = max(ev.conf, sp.conf)
						ev.text = strings.TrimSpace(ev.text + " " + sp.text)
					}
				}
			}
		}
	}
	if !marked || len(ticked) == 0 {
		return
	}
	if lowConf {
		ev.conf = min(ev.conf, doc.SureConfidence-0.1) // inferred from the boxes left empty
	}
	fs.set("functions", strings.Join(sortedKeys(ticked), ","), ev)
}

// figure is a count that a row of the function table states: a number with its unit in a clause
// that speaks of one of keys, in whatever words the sentence is put (组织银企对接活动5次, 开展银企
// 对接会5场, 对接活动共5次).
type figure struct {
	field string
	keys  []string
	units []string
	// ctx, when given, must also stand in the clause (全年, 累计: a year's total, not a part).
	ctx []string
}

// functionFigures are the figures each row of the report's 服务功能 table states (doc.Extra fields
// that the 第十三条 checks need).
var functionFigures = map[string][]figure{
	"information": {
		{field: "information_offline_smes", keys: []string{"线下"}, units: []string{"家"}},
		{field: "information_events", keys: []string{"活动", "讲座", "宣讲", "发布会", "推介会", "交流会"}, units: []string{"次", "场"}},
	},
	"technology": {{field: "technology_events", keys: []string{"活动", "对接", "交流", "推广", "咨询", "检测", "诊断", "讲座"}, units: []string{"次", "场"}}},
	"startup":    {{field: "startup_events", keys: []string{"洽谈", "推介", "路演", "辅导", "对接", "活动", "大赛"}, units: []string{"次", "场"}}},
	"training":   {{field: "training_trainees", keys: []string{"培训", "参训", "学员"}, units: []string{"人次"}}},
	"financing": {
		{field: "financing_matchmaking_events", keys: []string{"对接"}, units: []string{"次", "场"}},
		{field: "financing_lectures", keys: []string{"讲座", "宣讲", "知识培训", "培训会"}, units: []string{"次", "场"}},
	},
}

// readFunctionParagraphs reads the figures of functions described one per paragraph that begins with
// the function's name and a colon (技术服务：开展技术洽谈…活动9次。) or stands under the name as a
// heading of its own ((一)信息服务), however few there are: a report
// that lists only the functions it claims has no table of all five. Each paragraph runs to the next
// such one or to a heading (五、, （三）). Figures already read are kept.
//
// When no table or check box has told which functions are claimed (the boxes read alike, or
// were not read at all), the functions described are the ones claimed: a paragraph that says
// what was done (four Chinese characters or more, not beginning with 无/未/暂无…) claims its
// function. Inferred, not read from a mark, so it is never given as certain.
func readFunctionParagraphs(d *document, fs *fieldSet) (described map[string]bool, dev evidence) {
	var name, text string
	var ev evidence
	described = map[string]bool{}
	flush := func() {
		if name == "" {
			return
		}
		if says(text) {
			described[name] = true
			if dev.page == 0 || dev.page == ev.page {
				dev.page, dev.box, dev.skew, dev.skewX = ev.page, dev.box.Union(ev.box), ev.skew, ev.skewX
				dev.conf = max(dev.conf, ev.conf)
				dev.text = strings.TrimSpace(dev.text + " " + ev.text)
			}
		}
		for _, fig := range functionFigures[name] {
			if n, from, to, ok := clauseFigure(text, fig); ok {
				e := ev
				e.text = text[from:to]
				fs.set(fig.field, itoa(n), e)
			}
		}
		name, text = "", ""
	}
	for _, l := range d.lines {
		t := strings.TrimSpace(l.text)
		head, rest, colon := strings.Cut(t, "：")
		if !colon {
			head, rest, colon = strings.Cut(t, ":")
		}
		if fn, _, after, ok := functionName([]rune(strings.TrimSpace(head))); colon && ok && len(after) == 0 {
			flush()
			name, text, ev = fn, rest, l.span(0, len(l.runes))
			continue
		}
		// a function as a heading of its own, with its ordinal ((一)信息服务), over its paragraph
		if fn, before, after, ok := functionName([]rune(t)); !colon && ok && len(before) == 0 && len(after) == 0 && headingRE.MatchString(t) {
			flush()
			name, text, ev = fn, "", l.span(0, len(l.runes))
			continue
		}
		if name != "" && (headingRE.MatchString(t) || len(t) == 0) {
			flush()
			continue
		}
		if name != "" {
			text += t
		}
	}
	flush()
	if !fs.has("functions") && len(described) > 0 {
		dev.conf = min(dev.conf, doc.SureConfidence-0.05)
		fs.set("functions", strings.Join(sortedKeys(described), ","), dev)
	}
	return described, dev
}

// preferDescribed settles a row of check boxes against the paragraphs that describe the functions
// (技术服务：组织技术对接…): where two or more functions are described and a described one's box
// was not read as ticked, the boxes were misread (a tick read inside the next name, 融☑资服务, or
// not at all), and the functions described are the ones claimed — not as certain. Boxes that claim
// more than the paragraphs describe are kept: a report need not describe every function it claims.
func preferDescribed(fs *fieldSet, described map[string]bool, dev evidence) {
	f, ok := fs.m["functions"]
	if !ok || len(described) < 2 {
		return
	}
	boxed := map[string]bool{}
	for _, n := range strings.Split(f.Value, ",") {
		boxed[n] = true
	}
	missed := false
	for n := range described {
		missed = missed || !boxed[n]
	}
	if !missed {
		return
	}
	delete(fs.m, "functions")
	dev.conf = min(dev.conf, f.Confidence, doc.SureConfidence-0.05)
	fs.set("functions", strings.Join(sortedKeys(described), ","), dev, "boxes_disagree")
}

// says reports whether a function's description says that something was done: four Chinese
// characters or more, not beginning with a no (无, 未开展, 暂无…).
func says(text string) bool {
	return !saysNo(text) && hanCount([]rune(strings.TrimSpace(text))) >= 4
}

// saysNo reports whether a description begins by saying no: 无, 否, 暂无…, or 不具备, 未开展, 暂不
// within its first eight characters.
func saysNo(text string) bool {
	t := strings.TrimSpace(text)
	for _, no := range []string{"无", "否", "没有", "暂无", "暂未", "未"} {
		if strings.HasPrefix(t, no) {
			return true
		}
	}
	head := string([]rune(t)[:min(len([]rune(t)), 8)])
	for _, no := range []string{"不具备", "未开展", "暂不"} {
		if strings.Contains(head, no) {
			return true
		}
	}
	return false
}

// headingRE begins a heading: 五、, （三）, 3.
var headingRE = regexp.MustCompile(`^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])`)

// clauseFigure finds fig in text: the first clause (between ，。；) that holds one of its keys and
// a number followed by one of its units; of several, the number nearest the key. It
// returns the number and its byte span in text.
func clauseFigure(text string, fig figure) (int64, int, int, bool) {
	start := 0
	for start < len(text) {
		end := clauseEnd(text, start)
		c := text[start:end]
		key := -1
		for _, k := range fig.keys {
			if i := strings.Index(c, k); i >= 0 && (key < 0 || i < key) {
				key = i
			}
		}
		inCtx := len(fig.ctx) == 0
		for _, w := range fig.ctx {
			inCtx = inCtx || strings.Contains(c, w)
		}
		if key >= 0 && inCtx {
			best, bs, be, bestDist := int64(0), -1, -1, 0
			for _, m := range countRE.FindAllStringSubmatchIndex(c, -1) {
				if !slices.Contains(fig.units, c[m[4]:m[5]]) {
					continue
				}
				n, ok := normalize.Integer(strings.ReplaceAll(c[m[2]:m[3]], ",", ""))
				if !ok {
					continue
				}
				if m[2] > 0 && (c[m[2]-1] == '.' || (c[m[2]-1] >= '0' && c[m[2]-1] <= '9')) {
					continue // the tail of a longer number
				}
				// nearest to the key, a number after it (活动5次) before one before it (8家…机构)
				dist := m[2] - key
				if m[2] < key {
					dist = 2 * (key - m[3])
				}
				if bs < 0 || dist < bestDist {
					best, bs, be, bestDist = n, m[2], m[3], dist
				}
			}
			if bs >= 0 {
				return best, start + bs, start + be, true
			}
		}
		if end == len(text) {
			break
		}
		_, size := utf8.DecodeRuneInString(text[end:])
		start = end + size
	}
	return 0, 0, 0, false
}

// countRE is a count with its unit: 5次, 12 场, 321人次, 40家, 19人, 1,020人次.
var countRE = regexp.MustCompile(`(\d{1,3}(?:,\d{3})+|\d+)[ ]*(人次|次|场|家|个|期|人|名)`)

// clauseEnd returns where the clause of text that begins at start ends: at a comma, a full stop, a
// semicolon or a line's end — not at a comma that groups a number's thousands (1,020人次).
func clauseEnd(text string, start int) int {
	for i := start; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if strings.ContainsRune("，。；;\n", r) {
			return i
		}
		if r == ',' && !(i > start && isDigit(text[i-1]) && i+3 < len(text) && isDigit(text[i+1]) && isDigit(text[i+2]) && isDigit(text[i+3]) &&
			(i+4 == len(text) || !isDigit(text[i+4]))) {
			return i
		}
		i += size
	}
	return len(text)
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// boxRows returns the document's lines for reading check boxes, a row of boxes that wrapped its
// last names onto the line under it (…☑融资 / 服务, …口培训服务 / 融资服务) joined with that line,
// which is then not given on its own.
func boxRows(d *document) []boxRow {
	var out []boxRow
	used := map[*line]bool{}
	for _, l := range d.lines {
		if used[l] {
			continue
		}
		names := 0
		for _, fn := range functionNames {
			names += len(approxFind(l.dense, []rune(fn.zh), 1))
		}
		row := boxRow{l, len(l.runes)}
		if n := d.rowRest(l); names >= 2 && n != nil {
			used[n] = true
			ws := append(append([]doc.Word(nil), l.words...), n.words...)
			j := newLine(l.page, l.index, doc.Line{Words: ws, Box: l.box.Union(n.box)})
			j.skew, j.skewX = l.skew, l.skewX
			row = boxRow{j, len(j.runes) - len(n.runes)}
		}
		out = append(out, row)
	}
	return out
}

// boxRow is a row of check boxes; from rune rest on, its line is the row's wrapped rest.
type boxRow struct {
	l    *line
	rest int
}

// rowRest returns the line under row l, starting at its left edge (within two line heights), that is
// the rest of its function names: a short line of marks and the end of a name or whole names.
func (d *document) rowRest(l *line) *line {
	h := max(l.box.H(), 1)
	for _, idx := range d.byPage[l.page] {
		n := d.lines[idx]
		if n == l || n.box.Empty() || n.box.Y0 < l.box.Y0+h/2 || n.box.Y0-l.box.Y1 > 2*h || abs(n.box.X0-l.box.X0) > 2*h {
			continue
		}
		rs := []rune(strings.Trim(string(n.dense), tickRunes+boxRunes+"Vv"))
		if len(rs) == 0 || len(rs) > 12 {
			continue
		}
		// the end of a name (服务, 资服务), then whole names, each after its mark
		rest := string(rs)
		for _, fn := range functionNames {
			for k := 1; k < len([]rune(fn.zh)); k++ {
				if tail := string([]rune(fn.zh)[k:]); strings.HasPrefix(rest, tail) && utf8.RuneCountInString(tail) >= 2 {
					rest = strings.TrimPrefix(rest, tail)
					break
				}
			}
		}
		for rest != "" {
			rest = strings.TrimLeft(rest, tickRunes+boxRunes+"Vv")
			found := false
			for _, fn := range functionNames {
				if strings.HasPrefix(rest, fn.zh) {
					rest, found = strings.TrimPrefix(rest, fn.zh), true
				}
			}
			if !found {
				break
			}
		}
		if rest == "" {
			return n
		}
	}
	return nil
}

// markedBoxRunes are the Chinese characters a reader makes of a box with a mark in it (回, 日).
const markedBoxRunes = "回日田曰目"

// misreadTick reports whether r, read where a check box stands, is a ticked box read as some other
// glyph: a box with something in it (markedBoxRunes), a symbol or a Latin letter — not an empty box,
// a refusal, an ordinal's punctuation, a digit or other Chinese.
func misreadTick(r rune) bool {
	if strings.ContainsRune(markedBoxRunes, r) {
		return true
	}
	if r == 0 || r == ' ' || normalize.IsHan(r) || unicode.IsDigit(r) || strings.ContainsRune(boxRunes+noMarkRunes+ordinalRunes, r) {
		return false
	}
	return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsLetter(r) && r < 0x250
}

func prevRune(rs []rune, i int) rune {
	for i--; i >= 0; i-- {
		if rs[i] != ' ' {
			return rs[i]
		}
	}
	return 0
}

func nextRune(rs []rune, i int) rune {
	for ; i < len(rs); i++ {
		if rs[i] != ' ' {
			return rs[i]
		}
	}
	return 0
}

// pageCells returns the page's cells: the words of each line, neighbours closer than a third of
// their height joined (a reader that splits a cell's text into several words gives it back whole).
func pageCells(p doc.Page) []tableWord {
	var out []tableWord
	for _, l := range p.Lines {
		var hs []int
		for _, w := range l.Words {
			hs = append(hs, w.Box.H())
		}
		h := max(median(hs), 1)
		ws := append([]doc.Word(nil), l.Words...)
		sort.SliceStable(ws, func(i, j int) bool { return ws[i].Box.X0 < ws[j].Box.X0 })
		var cur *tableWord
		for _, w := range ws {
			rs := []rune(strings.Join(strings.Fields(normalize.Fold(w.Text)), ""))
			if len(rs) == 0 || w.Box.Empty() {
				continue
			}
			if cur != nil && w.Box.X0-cur.Box.X1 < h/3 && sameRow(cur.Box, w.Box) {
				cur.parts = append(cur.parts, wordPart{len(cur.text), w.Box.X0})
				cur.text = append(cur.text, rs...)
				cur.Box = cur.Box.Union(w.Box)
				cur.Confidence = min(cur.Confidence, w.Confidence)
				continue
			}
			if cur != nil {
				out = append(out, *cur)
			}
			cur = &tableWord{Word: w, text: rs}
		}
		if cur != nil {
			out = append(out, *cur)
		}
	}
	return out
}

// ordinalRunes may stand before a row's name: 序号, （一）, 一、, 1., ①.
const ordinalRunes = "0123456789一二三四五六七八九十()（）、.．:：,，①②③④⑤⑥⑦⑧⑨⑩ "

// functionName reads a cell as one of the five functions' names: an ordinal and a check box or
// mark may stand before it, a mark or 功能 after it (nothing longer: a sentence that mentions a
// function is not its name). It returns the function, and the marks before and after the name.
func functionName(rs []rune) (name string, before, after []rune, ok bool) {
	i := 0
	for i < len(rs) && i < 6 {
		switch r := rs[i]; {
		case strings.ContainsRune(tickRunes+boxRunes+tickLike+refusal, r) && r != '是' && r != '有' && r != '否' && r != '无':
			before = append(before, r)
		case strings.ContainsRune(ordinalRunes, r):
		default:
			goto name
		}
		i++
	}
name:
	rest := rs[i:]
	if len(rest) > 10 {
		return "", nil, nil, false
	}
	// A check box misread as a character (厂创业服务, 口 read as 日): one character before a name
	// that is exactly the whole rest of the cell is the box, not part of the name.
	if len(before) == 0 && len(rest) == 5 {
		for _, fn := range functionNames {
			if string(rest[1:]) == fn.zh {
				return fn.name, rest[:1], nil, true
			}
		}
	}
	for _, fn := range functionNames {
		pat := []rune(fn.zh)
		hs := approxFind(rest, pat, 1)
		if len(hs) == 0 || hs[0].start != 0 {
			continue
		}
		tail := rest[hs[0].end:]
		if len(tail) >= 2 && string(tail[:2]) == "功能" {
			tail = tail[2:]
		}
		if hanCount(tail) > 2 && !isMarkWord(tail) {
			return "", nil, nil, false
		}
		return fn.name, before, tail, true
	}
	return "", nil, nil, false
}

// functionsNamed counts the different 第十三条 functions whose names stand in s.
func functionsNamed(s string) int {
	n := 0
	for _, fn := range functionNames {
		if strings.Contains(s, fn.zh) {
			n++
		}
	}
	return n
}

// isMarkWord reports whether a short cell says yes or no: 是, 有, 具备, 否, 无, 不具备, a tick or
// a cross.
func isMarkWord(rs []rune) bool {
	s := strings.Trim(string(rs), " ()（）")
	switch s {
	case "是", "有", "具备", "否", "无", "不具备", "没有", "不":
		return true
	}
	return len(rs) > 0 && len(rs) <= 2 && strings.ContainsRune(tickLike+tickRunes+refusal+dashLike, rs[0])
}

// functionColumns reads a table whose functions stand side by side as column heads: at least three
// names on one row, with their marks and descriptions in the cells below each name, down to the
// first row that has no cell under a name. It returns nil when the names do not stand in a row.
func functionColumns(words []tableWord, names []funcRow, isName map[int]bool) []funcRow {
	if len(names) < 3 {
		return nil
	}
	// the largest set of names on one row
	var best []funcRow
	for _, a := range names {
		var row []funcRow
		seen := map[string]bool{}
		for _, b := range names {
			if abs(a.cell.cy()-b.cell.cy()) <= max(a.cell.Box.H(), 1)/2 && !seen[b.name] {
				seen[b.name] = true
				row = append(row, b)
			}
		}
		if len(row) > len(best) {
			best = row
		}
	}
	if len(best) < 3 {
		return nil
	}
	sort.Slice(best, func(i, j int) bool { return best[i].cell.Box.X0 < best[j].cell.Box.X0 })
	var hs []int
	for _, r := range best {
		hs = append(hs, r.cell.Box.H())
	}
	h := max(median(hs), 1)
	top := best[0].cell.Box.Y1
	// each column spans from halfway to its left neighbour to halfway to its right one
	bounds := make([][2]int, len(best))
	for i, r := range best {
		lo, hi := 0, 0
		if i+1 < len(best) {
			half := max((best[i+1].cell.Box.X0-r.cell.Box.X1)/2, h)
			lo, hi = r.cell.Box.X0-half, r.cell.Box.X1+half
		} else {
			half := max((r.cell.Box.X0-best[i-1].cell.Box.X1)/2, h)
			lo, hi = r.cell.Box.X0-half, r.cell.Box.X1+half
		}
		if i > 0 {
			lo = (best[i-1].cell.Box.X1 + r.cell.Box.X0) / 2
		}
		if i+1 < len(best) {
			hi = (r.cell.Box.X1 + best[i+1].cell.Box.X0) / 2
		}
		bounds[i] = [2]int{lo, hi}
	}
	col := func(w tableWord) int {
		cx := (w.Box.X0 + w.Box.X1) / 2
		for i, b := range bounds {
			if cx >= b[0] && cx < b[1] {
				return i
			}
		}
		return -1
	}
	var below []tableWord
	for i, w := range words {
		if !isName[i] && w.Box.Y0 >= top-h/4 {
			below = append(below, w)
		}
	}
	sort.Slice(below, func(i, j int) bool { return below[i].Box.Y0 < below[j].Box.Y0 })
	bottom := top
	var descs = make([][]tableWord, len(best))
	colW := max(bounds[0][1]-bounds[0][0], 1)
	for _, w := range below {
		if w.Box.Y0 > top+h && ((headingRE.MatchString(string(w.text)) && w.Box.X0 < bounds[0][0]) || w.Box.W() > 2*colW) {
			// a heading at the margin (五、申报单位承诺) or a sentence across the columns: the
			// table has ended
			break
		}
		if w.Box.X0 < bounds[0][0] && w.Box.X1 > bounds[0][0]+h {
			if part, ok := w.from(bounds[0][0]); ok {
				w = part // the row's label joined with the first column's text
			}
		}
		c := col(w)
		if c < 0 || w.Box.Y0 > bottom+3*h || w.Box.X0 < bounds[0][0] || w.Box.X1 > bounds[len(bounds)-1][1] {
			if w.Box.Y0 > bottom+3*h {
				break // the table has ended
			}
			continue
		}
		bottom = max(bottom, w.Box.Y1)
		if isMarkWord(w.text) {
			best[c].marks = append(best[c].marks, w)
			continue
		}
		descs[c] = append(descs[c], w)
	}
	for i := range best {
		best[i].desc = paragraphs(descs[i], h)
	}
	return best
}

// headedParagraphs reads the layout where each function is a heading and its description the text
// under it, up to the next heading: when no cell stands right of any name, it gives each row the
// words between its name and the next (the last row's, up to a row pitch and a half), and reports
// true.
func headedParagraphs(words []tableWord, rows []funcRow, isName map[int]bool, nameX1, h int) bool {
	for i, w := range words {
		if isName[i] || w.Box.X0 < nameX1-h/2 {
			continue
		}
		for _, r := range rows {
			if abs(w.cy()-r.cell.cy()) < h/2 {
				return false // a cell beside a name: a table
			}
		}
	}
	pitch := (rows[len(rows)-1].cell.cy() - rows[0].cell.cy()) / max(len(rows)-1, 1)
	// Text under a heading begins under it; text that all begins right of the names is a table's
	// column whose marks were not read and whose wrapped lines fall between the names' rows.
	right, under := false, false
	for i, w := range words {
		if isName[i] || hanCount(w.text) < 2 || w.cy() <= rows[0].cell.Box.Y1 || w.cy() >= rows[len(rows)-1].cell.cy()+pitch {
			continue
		}
		if w.Box.X0 >= nameX1 {
			right = true
		} else if w.Box.X0 >= rows[0].cell.Box.X0-2*h {
			under = true
		}
	}
	if right && !under {
		return false
	}
	for k := range rows {
		top := rows[k].cell.Box.Y1
		bottom := rows[k].cell.cy() + pitch*3/2
		if k+1 < len(rows) {
			bottom = rows[k+1].cell.Box.Y0
		} else {
			// the last section ends at the next heading of the document (五、真实性承诺)
			for i, w := range words {
				if !isName[i] && w.cy() > top && w.cy() < bottom && headingRE.MatchString(string(w.text)) {
					bottom = w.Box.Y0
				}
			}
		}
		var ws []tableWord
		for i, w := range words {
			if isName[i] || w.cy() <= top || w.cy() >= bottom || w.Box.X0 < rows[k].cell.Box.X0-2*h {
				continue
			}
			if isMarkWord(w.text) {
				rows[k].marks = append(rows[k].marks, w)
				continue
			}
			ws = append(ws, w)
		}
		rows[k].desc = paragraphs(ws, h)
	}
	return true
}
