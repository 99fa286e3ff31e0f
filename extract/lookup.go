package extract

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"shenbao/doc"
	"shenbao/extract/normalize"
)

// label is a printed field label in its usual forms, best first.
type label struct {
	alts []string
	// notAfter rejects an occurrence right after one of these (流动 before 负债合计).
	notAfter []string
	// skip rejects lines that hold one of these exactly (营业外收入 for 营业收入).
	skip []string
	// atStart asks every occurrence, exact or not, to begin a cell (甲方 as a label, not in 就乙方承租甲方).
	atStart bool
}

func lbl(alts ...string) label { return label{alts: alts} }

// labelHit is an occurrence of a label: runes [start, end) of its line's text.
type labelHit struct {
	l          *line
	start, end int
	dist       int
	alt        int
}

// findLabel returns the label's occurrences in d: exact ones first (by alternative, then reading
// order), then approximate ones.
func (d *document) findLabel(lb label) []labelHit {
	var exact, fuzzy []labelHit
	seen := map[[2]int]bool{}
	for pass := 0; pass < 2; pass++ {
		for ai, alt := range lb.alts {
			p := []rune(alt)
			k := 0
			if pass == 1 {
				k = maxErrors(len(p))
			}
			for _, l := range d.lines {
				if skipLine(l, lb.skip) {
					continue
				}
				hits := approxFind(l.dense, p, k)
				if pass == 1 && k == 0 && len(p) >= 2 && len(l.dense) == len(p) && hamming(l.dense, p) == 1 {
					// A short label alone on its line (名 称) may carry one wrong character.
					hits = []hit{{0, len(p), 1}}
				}
				for _, h := range hits {
					if (pass == 1 && h.dist == 0) || after(l.dense[:h.start], lb.notAfter) {
						continue
					}
					if h.dist > 0 {
						h = trimValue(l.dense, p, h)
					}
					key := [2]int{l.index, l.denseAt[h.start]}
					if seen[key] {
						continue
					}
					lh := labelHit{l: l, start: l.denseAt[h.start], end: l.denseAt[h.end-1] + 1, dist: h.dist, alt: ai}
					if (h.dist > 0 || lb.atStart) && !cellStart(l.runes, lh.start) {
						continue // an approximate label must begin a cell, not end a longer one
					}
					if h.dist > 0 && lh.start == 0 && len(lb.notAfter) > 0 {
						// an approximate label at a line's start may be a wrapped cell's middle
						// (非流动 / 资产合 / 计): what the cell began with above counts as before it
						if after(d.cellAbove(l, l.span(lh.start, lh.end).box), lb.notAfter) {
							continue
						}
					}
					seen[key] = true
					if h.dist == 0 {
						exact = append(exact, lh)
					} else {
						fuzzy = append(fuzzy, lh)
					}
				}
			}
		}
	}
	sort.SliceStable(fuzzy, func(i, j int) bool {
		if fuzzy[i].dist != fuzzy[j].dist {
			return fuzzy[i].dist < fuzzy[j].dist
		}
		return fuzzy[i].l.index < fuzzy[j].l.index
	})
	return append(append(exact, fuzzy...), d.wrappedLabel(lb, seen)...)
}

// wrappedLabel finds the label where its cell wrapped it onto two lines (上年末资产 over 总额, or
// 上年末资产总 over 额, in a narrow cell of a form): a cell that ends with the label's first part and, just under that part,
// a line that is nothing but the rest. The hit is the first part, so that the value is read right
// of it or under it as for a label on one line.
func (d *document) wrappedLabel(lb label, seen map[[2]int]bool) []labelHit {
	var out []labelHit
	for ai, alt := range lb.alts {
		p := []rune(alt)
		if len(p) < 4 {
			continue
		}
		for _, l := range d.lines {
			if skipLine(l, lb.skip) {
				continue
			}
			for _, c := range lineCells(l) {
				cr := []rune(c.text)
				for k := 2; k <= len(p)-1; k++ {
					// the first part ends the cell's words: the cell ends, or its value or a colon
					// follows (上年末资产902.38万元)
					i := strings.Index(c.text, string(p[:k]))
					if i < 0 {
						continue
					}
					at := len([]rune(c.text[:i]))
					if e := at + k; e < len(cr) && !unicode.IsDigit(cr[e]) && cr[e] != ':' && cr[e] != '：' {
						continue
					}
					start, end := c.from+at, c.from+at+k
					if key := [2]int{l.index, start}; seen[key] || after(l.runes[:start], lb.notAfter) ||
						(lb.atStart && !cellStart(l.runes, start)) {
						continue
					}
					// a cell wrapped over three lines (非流动 / 资产合 / 计): what it began with above
					// counts as before the label
					if above := d.cellAbove(l, l.span(start, end).box); at == 0 && after(above, lb.notAfter) {
						continue
					}
					if d.restUnder(l, l.span(start, end).box, p[k:]) {
						seen[[2]int{l.index, start}] = true
						out = append(out, labelHit{l: l, start: start, end: end, alt: ai})
					}
				}
			}
		}
	}
	return out
}

// cellAbove returns the text of the cell just above box (within a line's height) that begins where
// box does (within a line's height sideways): the start of the cell box goes on, when the cell
// wrapped. Other cells of that line are not part of it.
func (d *document) cellAbove(l *line, box doc.Box) []rune {
	if box.Empty() {
		return nil
	}
	for _, idx := range d.byPage[l.page] {
		o := d.lines[idx]
		if o == l || o.box.Empty() || o.box.Y1 > box.Y0+box.H()/2 || box.Y0-o.box.Y1 >= box.H() {
			continue
		}
		for _, c := range lineCells(o) {
			if cb := o.span(c.from, c.to).box; !cb.Empty() && abs(cb.X0-box.X0) < box.H() {
				return []rune(c.text)
			}
		}
	}
	return nil
}

// restUnder reports whether a line just under box (within a line's height), overlapping it
// sideways, reads rest and nothing more.
func (d *document) restUnder(l *line, box doc.Box, rest []rune) bool {
	if box.Empty() {
		return false
	}
	for _, idx := range d.byPage[l.page] {
		o := d.lines[idx]
		if o == l || o.box.Empty() || string(o.dense) != string(rest) {
			continue
		}
		if o.box.Y0 >= box.Y0+box.H()/2 && o.box.Y0-box.Y1 < box.H() && o.box.X0 < box.X1 && o.box.X1 > box.X0 {
			return true
		}
	}
	return false
}

// cellStart reports whether rune i of rs begins a cell: the line's start, or after a space or a
// character that is not Chinese (a colon, a bracket, an ordinal's 、).
func cellStart(rs []rune, i int) bool {
	return i == 0 || rs[i-1] == ' ' || !normalize.IsHan(rs[i-1])
}

func skipLine(l *line, skip []string) bool {
	for _, s := range skip {
		if containsExact(l.dense, s) {
			return true
		}
	}
	return false
}

func after(prefix []rune, words []string) bool {
	for _, w := range words {
		// the prefix's end only: a long line's whole prefix would be copied for every word
		if n := utf8.RuneCountInString(w); n <= len(prefix) && string(prefix[len(prefix)-n:]) == w {
			return true
		}
	}
	return false
}

// valueStart skips, after a label, spaces, colons, and one bracketed qualifier such as （甲方）,
// （盖章） or （万元）, which it returns.
func (h labelHit) valueStart() (int, string) {
	rs := h.l.runes
	i := h.end
	qual := ""
	// a sentence's copula right after the label (法定代表人为朗杰罗布拉姆, 注册资本是500万元) is no
	// part of the value
	if i+1 < len(rs) && (rs[i] == '为' || rs[i] == '是') && (normalize.IsHan(rs[i+1]) || unicode.IsDigit(rs[i+1])) {
		i++
	}
	for i < len(rs) {
		switch rs[i] {
		case ' ', ':', '：', '.', '·', '-', '_', '=':
			i++
			continue
		case '(', '（', '[', '【':
			j := i + 1
			for j < len(rs) && j-i < 16 && rs[j] != ')' && rs[j] != '）' && rs[j] != ']' && rs[j] != '】' {
				j++
			}
			if j < len(rs) && j-i < 16 {
				qual += string(rs[i+1 : j])
				i = j + 1
				continue
			}
			// the closing bracket lost: （盖章：西藏… reads to the colon
			for j = i + 1; j < len(rs) && j-i < 8; j++ {
				if rs[j] == ':' || rs[j] == '：' {
					qual += string(rs[i+1 : j])
					i = j + 1
					break
				}
			}
			if j < len(rs) && j-i < 8 {
				continue
			}
		}
		break
	}
	return i, qual
}

// parser reads a value from runes [from:] of a line; qual is the label's bracketed qualifier.
type parser func(l *line, from int, qual string) (string, evidence, bool)

// rightOf returns the lines on the label's row to its right, nearest first; with near, then those
// half a line above or below the row, the nearest first (a value cell of two lines beside a label
// centred on them).
func (d *document) rightOf(h labelHit, near bool) []*line {
	var right []*line
	lb := h.l.span(h.start, h.end).box
	if lb.Empty() {
		return nil
	}
	var off []*line
	cy := func(l *line) int { return (l.box.Y0 + l.box.Y1) / 2 }
	lcy, lh := (lb.Y0+lb.Y1)/2, lb.H()
	for _, idx := range d.byPage[h.l.page] {
		o := d.lines[idx]
		if o == h.l || o.box.Empty() || o.box.X0 < lb.X1-2 {
			continue
		}
		if c := cy(o); c > lb.Y0 && c < lb.Y1 {
			right = append(right, o)
		} else if near && c > lb.Y0-lh/2 && c < lb.Y1+lh/2 {
			off = append(off, o)
		}
	}
	sort.Slice(right, func(i, j int) bool { return right[i].box.X0 < right[j].box.X0 })
	sort.SliceStable(off, func(i, j int) bool { return abs(cy(off[i])-lcy) < abs(cy(off[j])-lcy) })
	return append(right, off...)
}

// cellAround returns, as one line, the two lines right of label h that one value cell wrapped, the
// label centred between them: the first ends above the label's middle and the second begins below
// it, both start at one left edge, a line's height apart at most, and neither is a value alone
// (parser p), while both together are.
func (d *document) cellAround(h labelHit, p parser, qual string) (*line, bool) {
	lb := h.l.span(h.start, h.end).box
	if lb.Empty() {
		return nil, false
	}
	mid, lh := (lb.Y0+lb.Y1)/2, lb.H()
	var above, below []*line
	for _, idx := range d.byPage[h.l.page] {
		o := d.lines[idx]
		if o == h.l || o.box.Empty() || o.box.X0 < lb.X1-2 || o.box.X0 > lb.X1+8*lh {
			continue
		}
		if c := (o.box.Y0 + o.box.Y1) / 2; c < mid && c > lb.Y0-lh {
			above = append(above, o)
		} else if c > mid && c < lb.Y1+lh {
			below = append(below, o)
		}
	}
	for _, a := range above {
		for _, b := range below {
			hh := max(a.box.H(), b.box.H())
			if abs(a.box.X0-b.box.X0) > hh || b.box.Y0-a.box.Y1 > hh || b.box.Y0 < a.box.Y0+a.box.H()/2 {
				continue
			}
			if _, _, ok := p(a, 0, qual); ok {
				continue
			}
			if _, _, ok := p(b, 0, qual); ok {
				continue
			}
			ws := append(append([]doc.Word(nil), a.words...), b.words...)
			c := newLine(a.page, a.index, doc.Line{Words: ws, Box: a.box.Union(b.box)})
			c.skew, c.skewX = a.skew, a.skewX
			if _, _, ok := p(c, 0, qual); ok {
				return c, true
			}
		}
	}
	return nil, false
}

// besideOtherLabel reports whether line n stands in the row of another label than the one on line
// self: a line left of n, on n's row, that is a label alone (its value is n).
func (d *document) besideOtherLabel(n, self *line) bool {
	if n.box.Empty() {
		return false
	}
	cy, h := (n.box.Y0+n.box.Y1)/2, max(n.box.H(), 1)
	for _, idx := range d.byPage[n.page] {
		m := d.lines[idx]
		if m == n || m == self || m.box.Empty() || m.box.X1 > n.box.X0 || abs((m.box.Y0+m.box.Y1)/2-cy) > h {
			continue
		}
		if t := strings.Trim(string(m.dense), ":：()（）盖章签字"); isLabelText(t) || labelish(t) {
			return true
		}
	}
	return false
}

// otherLabelRE is a line that begins with a label of its own and a colon.
var otherLabelRE = regexp.MustCompile(`^\p{Han}{2,10}[:：]`)

// below returns the next two lines below the label's line; lines that stand under the label come
// before lines elsewhere on the page (a number printed in another corner of a licence).
func (d *document) below(h labelHit) []*line {
	var under, other []*line
	lb := h.l.span(h.start, h.end).box
	for _, idx := range d.byPage[h.l.page] {
		o := d.lines[idx]
		if o.index <= h.l.index || len(under)+len(other) >= 4 {
			continue
		}
		if !lb.Empty() && !o.box.Empty() && o.box.Y1 <= lb.Y1 {
			continue // not below
		}
		if !lb.Empty() && !o.box.Empty() && (o.box.X1 <= lb.X0 || o.box.X0 >= lb.X1+lb.W()) {
			other = append(other, o)
			continue
		}
		under = append(under, o)
	}
	below := append(under, other...)
	return below[:min(len(below), 2)]
}

// lookup finds the first occurrence of the label whose value parses: after the label on its line,
// else to its right or below. The evidence confidence is lowered for an approximate label.
func (d *document) lookup(lb label, p parser) (string, evidence, bool) {
	for _, h := range d.findLabel(lb) {
		from, qual := h.valueStart()
		// Nothing (or a stub such as 至, or more labels: a header row) after the label: the value
		// is in another line. A label before more labels is no value (单位名称 业务主管单位).
		rest := strings.TrimSpace(string(h.l.runes[min(from, len(h.l.runes)):]))
		header := onlyLabels(h.l, from)
		var v string
		var ev evidence
		ok := false
		if !header || rest == "" {
			if v, ev, ok = p(h.l, from, qual); ok {
				ev.label = h.l.span(h.start, h.end).box
			}
		}
		// Another label's cell right after the label (名称 类型 …, the value wrapped around the
		// row): the value is elsewhere too.
		nextLabel := false
		if cells := strings.Fields(rest); len(cells) > 1 && isLabelText(cells[0]) {
			nextLabel = true
		}
		if !ok && (len([]rune(rest)) <= 4 || header || nextLabel || strings.HasSuffix(rest, "至") || strings.HasSuffix(rest, "到")) {
			for _, n := range d.rightOf(h, nextLabel) {
				if otherLabelRE.MatchString(n.text) {
					continue // the value of another label (证照编号：…)
				}
				if v, ev, ok = p(n, 0, qual); ok {
					ev.label = h.l.span(h.start, h.end).box
					break
				}
			}
			// A value cell of two lines beside the label, centred on them, split where neither
			// line is a value alone (2014年5月29日至2036年5 / 月28日).
			if !ok {
				if c, found := d.cellAround(h, p, qual); found {
					v, ev, ok = p(c, 0, qual)
				}
			}
			// A grid whose rows of labels stand under their rows of values: the cell above first.
			if !ok && header && d.labelsUnderValues(h.l) {
				if _, left, right, col := headColumn(h); col {
					if sub, in := inColumn(d.rowAbove(h.l), left, right); in {
						v, ev, ok = p(sub, 0, qual)
					}
				}
			}
			// Below the label: in a table whose labels head its columns, the cell under the label.
			if !ok && header {
				if sub, found := d.underHead(h); found {
					v, ev, ok = p(sub, 0, qual)
				}
			}
			for _, n := range d.below(h) {
				if ok {
					break
				}
				if otherLabelRE.MatchString(n.text) {
					continue
				}
				if headingRE.MatchString(n.text) || (!header && startsWithLabel(n)) {
					break // a heading or the next row's label: nothing further down is this label's
				}
				if header && startsWithLabel(n) {
					continue // another row of labels, not the values of this one
				}
				if !header && d.besideOtherLabel(n, h.l) {
					break // the value of the label at its left (法定代表人（签字） 加措卓玛), and all below it
				}
				if v, ev, ok = p(n, d.columnFrom(h, n), qual); ok {
					ev.label = h.l.span(h.start, h.end).box
				}
			}
			// Above it, where a row of labels stands under the row of values (labels below a form's
			// blanks). A label alone on its line heads no such row: the line above is another row.
			if !ok && header && len(lineCells(h.l)) >= 2 {
				if n := d.above(h); n != nil {
					if from, in := d.cellOver(h, n); in {
						v, ev, ok = p(n, from, qual)
					}
				}
			}
		}
		if ok {
			if h.dist > 0 {
				ev.conf *= 0.9
			}
			return v, ev, true
		}
	}
	return "", evidence{}, false
}

// trimValue gives back to the value the ASCII letters and digits that an approximate match of a
// Chinese label swallowed at its end: 统一社会信用代91540236… matches 统一社会信用代码 by taking the 9
// for the missing 码 as cheaply as by leaving 码 out, and the code must keep its 9.
func trimValue(text, pat []rune, h hit) hit {
	if len(pat) == 0 || pat[len(pat)-1] <= unicode.MaxASCII {
		return h
	}
	for h.end > h.start+1 && text[h.end-1] <= unicode.MaxASCII && (unicode.IsDigit(text[h.end-1]) || unicode.IsLetter(text[h.end-1])) {
		h.end--
	}
	return h
}

// onlyLabels reports whether the rest of the line from rune from is made of labels (a header
// row): known labels, or cells that read as labels (设立日期, 上年末资产总额).
func onlyLabels(l *line, from int) bool {
	rest := strings.Fields(string(l.runes[min(from, len(l.runes)):]))
	if len(rest) == 0 {
		return true
	}
	for _, c := range rest {
		rc := []rune(c)
		if len(rc) == 1 && !unicode.IsDigit(rc[0]) {
			continue // a speck or a seal's glyph between the heads
		}
		if stopAt(rc) != 0 && !labelish(c) && !labelish(string(rc[:max(0, len(rc)-2)])) {
			// a head whose bracketed unit was misread (套内建筑面积城）) is still a head
			return false
		}
		if _, after, ok := strings.Cut(strings.ReplaceAll(c, "：", ":"), ":"); ok && after != "" {
			return false // a label with its value (签字:袁娜磊)
		}
	}
	return true
}

// labelEnds end the labels of forms and table heads: what a cell names, not a value.
var labelEnds = []string{"日期", "时间", "名称", "代码", "类型", "性质", "地址", "电话", "人数", "总额", "金额", "面积",
	"期限", "人员", "数量", "情况", "编号", "号码", "单位", "所在地", "功能", "简介", "意见", "(人)", "(家)", "(万元)", "(元)", "(㎡)", "(%)", "占比",
	"(次)", "(人次)", "(个)", "比例", "满意度", "满意率", "资产", "总计", "合计"}

// labelish reports whether a cell reads as a label: Chinese, short, ending as labels end, and no
// digit in it.
func labelish(c string) bool {
	rs := []rune(normalize.Fold(c))
	if labelRunes(rs) {
		return true
	}
	// A column head's unit in brackets (建筑面积（m²）, 金额(元)) is part of the label.
	if n := len(rs); n > 3 && rs[n-1] == ')' {
		if i := slices.Index(rs, '('); i >= 2 && n-i <= 8 {
			unit := strings.NewReplacer("m2", "㎡", "M2", "㎡").Replace(string(rs[i:]))
			if !strings.ContainsAny(unit, "0123456789") {
				return labelRunes(rs[:i])
			}
		}
	}
	return false
}

func labelRunes(rs []rune) bool {
	if len(rs) < 2 || len(rs) > 16 || hanShare(string(rs)) < 0.6 || strings.ContainsAny(string(rs), "0123456789") {
		return false
	}
	for _, e := range labelEnds {
		if strings.HasSuffix(string(rs), e) && len(rs) > len([]rune(e)) {
			return true
		}
	}
	return false
}

// stopLabels end a value that runs into the next label on the same line.
var stopLabels = []string{
	"统一社会信用代码", "社会信用代码", "法定代表人", "负责人", "单位性质", "成立时间", "成立日期", "注册资本",
	"注册资金", "开办资金", "资产总额", "联系人", "联系电话", "电话", "所在地", "住所", "地址", "类型",
	"经营范围", "营业期限", "登记机关", "身份证号", "证件号码", "业务范围", "有效期", "发证机关", "发证日期",
	"主办单位性质", "服务备案号", "网站名称", "服务名称", "是否限制接入", "首页网址", "网站域名", "审核日期", "邮编", "邮政编码", "传真", "手机", "职务",
	"签字", "签章", "盖章", "日期", "共有情况", "坐落", "不动产单元号", "权利类型", "业务种类", "编号",
	"证号", "证照编号", "注册号", "法人代表", "委托代理人", "开户行", "账号", "单位名称", "统一代码", "出租方", "承租方", "出租人",
	"承租人",
}

// stopAt returns where in rs the first stop label begins (its rune index), or len(rs). A label at
// index 0 returns 0.
func stopAt(rs []rune) int {
	best := len(rs)
	for _, s := range stopLabels {
		for _, h := range approxFind(rs, []rune(s), 0) {
			if h.start < best {
				best = h.start
			}
			break
		}
	}
	return best
}

// cell returns the text of the cell that starts at rune from: up to the next cell boundary (a
// space), a stop label, or sentence punctuation; with its rune span.
func cell(l *line, from int) (string, int, int) {
	rs := l.runes
	for from < len(rs) && (rs[from] == ' ' || rs[from] == ':' || rs[from] == '：') {
		from++
	}
	to := from
	for to < len(rs) && rs[to] != ' ' && !strings.ContainsRune("，。；,;、", rs[to]) {
		to++
	}
	// a stop label inside the cell ends it (OCR may have merged two cells)
	if s := stopAt(rs[from:to]); s > 0 {
		to = from + s
	} else if s == 0 {
		return "", from, from
	}
	return string(rs[from:to]), from, to
}

var orgSuffixes = []string{
	"有限责任公司", "股份有限公司", "有限公司", "分公司", "公司", "集团", "中心", "协会", "商会", "联合会", "促进会",
	"研究院", "研究所", "研究会", "学会", "基金会", "合作社", "事务所", "合伙）", "合伙)", "委员会", "管委会",
	"局", "厅", "办公室", "政府", "院", "所", "站", "社", "部", "厂", "店", "行", "馆", "校", "学校",
	"大学", "学院", "医院", "银行", "基地", "园", "孵化器", "平台", "工作室", "队", "处", "署", "会",
}

var authoritySuffixes = []string{"局", "厅", "委员会", "管委会", "委", "政府", "部", "办公室", "办公厅", "署", "总局", "管理处"}

// hanShare is the share of Chinese characters in s.
func hanShare(s string) float64 {
	n, h := 0, 0
	for _, r := range s {
		n++
		if normalize.IsHan(r) {
			h++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(h) / float64(n)
}

// isLabelText reports whether s is (or starts with) a known label rather than a value.
func isLabelText(s string) bool {
	rs := []rune(s)
	if stopAt(rs) == 0 {
		return true
	}
	for _, w := range []string{"名称", "单位名称", "企业名称", "主办单位名称", "意见", "推荐单位", "申报单位", "序号"} {
		if s == w {
			return true
		}
	}
	return false
}

// looksLikeOrg reports whether s reads as an organisation's name; strict asks for a known ending.
func looksLikeOrg(s string, strict bool) bool {
	rs := []rune(s)
	if len(rs) < 4 || len(rs) > 60 || hanShare(s) < 0.6 || isLabelText(s) || strings.ContainsAny(s, ",，。:：;；、!！?？“”\"") {
		return false
	}
	// a label of a form (平台运营单位, 申报单位情况), not a name
	for _, w := range []string{"运营单位", "申报单位", "申请单位", "单位名称", "企业名称", "机构名称", "单位情况", "基本情况", "营业执照", "证书", "类型"} {
		if strings.Contains(s, w) {
			return false
		}
	}
	if _, _, _, fn := functionName(rs); fn || functionsNamed(s) >= 2 {
		return false // 第十三条 functions with their check boxes (口创业服务口培训服务), not a name
	}
	if !strict {
		return true
	}
	// a name, not its ending alone (有限公司 printed apart, as on a stamp): something before the
	// longest ending it has
	longest := -1
	for _, suf := range orgSuffixes {
		if strings.HasSuffix(s, suf) {
			longest = max(longest, len([]rune(suf)))
		}
	}
	if longest == 1 && len(rs) >= 2 && strings.ContainsRune("村镇乡号路街室层楼", rs[len(rs)-2]) {
		return false // an address with a label's remnant after it (…前八段村 所 of 住所), not a 所
	}
	return longest >= 0 && len(rs)-longest >= 2
}

// looksLikeAuthority reports whether s is a government body's name.
func looksLikeAuthority(s string) bool {
	if !looksLikeOrg(s, false) {
		return false
	}
	for _, suf := range authoritySuffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

func looksLikePerson(s string) bool {
	rs := []rune(s)
	// Han names run 2–4 characters, Tibetan names written in Chinese 2–8 (扎西, 格桑次仁多吉,
	// 丹增格列朗杰); transliterated names joined by a dot run longer.
	maxLen := 8
	if strings.ContainsAny(s, "·•") {
		maxLen = 16
	}
	if len(rs) < 2 || len(rs) > maxLen || isLabelText(s) {
		return false
	}
	for _, r := range rs {
		if !normalize.IsHan(r) && r != '·' && r != '•' {
			return false
		}
	}
	for _, suf := range orgSuffixes {
		if (len([]rune(suf)) >= 2 || strings.Contains("局厅院处所", suf)) && strings.HasSuffix(s, suf) {
			return false
		}
	}
	// words of roles, organisations and forms, which no personal name contains
	for _, w := range notInPersonNames {
		if strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// clauseWords reports whether s holds words of a contract's sentence rather than a party's name:
// 甲方将其合法拥有的…房屋出租给乙方 read after the label 甲方 is no lessor.
func clauseWords(s string) bool {
	for _, w := range []string{"将其", "拥有", "合法", "租给"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// notInPersonNames are words of roles, places of work and forms that a longer run of characters
// read where a person's name is expected may hold; no personal name contains them.
var notInPersonNames = []string{
	"经理", "董事", "主任", "局长", "厂长", "院长", "会长", "理事", "代表", "负责", "先生", "女士", "同志",
	"签字", "签章", "盖章", "签名", "有限", "公司", "中心", "服务", "科技", "管理", "委员", "单位", "机构",
	"电话", "地址", "日期", "年月", "身份", "证件", "号码", "执行", "事务", "合伙", "股东", "法人", "本人",
	"证书", "执照", "登记", "类型", "性质", "资本", "资金", "期限", "范围", "住所", "成立", "姓名",
	"的", "将其", "拥有", "合法", "出租", "承租", "租赁", "房屋", "坐落", "位于",
	// a 事业单位's 经费来源 (经费自理, 全额拨款, 自收自支, 财政补助)
	"经费", "自理", "拨款", "自收", "自支", "财政", "补助",
}

// pName reads a name from the cell at from, checked by ok.
func pName(ok func(string) bool) parser {
	return func(l *line, from int, _ string) (string, evidence, bool) {
		// a leading row number (1 西藏…) is not part of a name
		for from < len(l.runes) && (unicode.IsDigit(l.runes[from]) || l.runes[from] == ' ') && hasHanAfter(l.runes[from:]) {
			from++
		}
		c, s, e := cell(l, from)
		if n := labelHead(c); n > 0 {
			s += n // the rest of a label read together with its value (申报单位名|昌都…有限公司)
			c = string([]rune(c)[n:])
		}
		if tokenAt(l, s) != c && labelish(tokenAt(l, s)) {
			return "", evidence{}, false // a fragment of the next label (设立 of 设立日期)
		}
		if ds := normalize.FindDates(c); len(ds) > 0 && ds[0].Start > 0 {
			// a date read together with the name (…服务有限2024年12月31日): no name holds one
			c = c[:ds[0].Start]
			e = s + len([]rune(c))
		}
		v := normalize.Name(c)
		if (v == "" || !ok(v)) && len([]rune(c)) <= 2 && e < len(l.runes) {
			// a remnant of the label (名称 read as 名 各) stands before the value
			c, s, e = cell(l, e)
			v = normalize.Name(c)
		}
		if rs := []rune(v); v != "" && !ok(v) {
			// a stray Latin letter or two after a Chinese name (…信息化局 R, a seal's stroke read
			// beside it): a mark, not the name, when the name is whole without it
			k := 0
			for k < 2 && k < len(rs) && rs[len(rs)-1-k] < unicode.MaxASCII && unicode.IsLetter(rs[len(rs)-1-k]) {
				k++
			}
			if w := string(rs[:len(rs)-k]); k > 0 && len(rs)-k > 3 && normalize.IsHan(rs[len(rs)-k-1]) && ok(w) &&
				(looksLikeOrg(w, true) || looksLikeAuthority(w)) {
				v, e = w, max(s, e-k)
			}
		}
		if v == "" || !ok(v) {
			return "", evidence{}, false
		}
		if rs := []rune(v); len(rs) > 3 && rs[0] < unicode.MaxASCII && unicode.IsLetter(rs[0]) && normalize.IsHan(rs[1]) &&
			ok(string(rs[1:])) && (looksLikeOrg(string(rs[1:]), true) || looksLikePerson(string(rs[1:]))) {
			// a stray Latin letter before a Chinese name (S天津中兆通科技有限公司): a mark, not the name
			v = string(rs[1:])
			s++
		}
		return v, l.span(s, e), true
	}
}

func hasHanAfter(rs []rune) bool {
	for _, r := range rs {
		if normalize.IsHan(r) {
			return true
		}
	}
	return false
}

var (
	pOrg = pName(func(s string) bool {
		// an address beside a label set off from its value is no name, nor a person's short name
		// without an organisation's ending (the signatory under a 承诺单位 left blank)
		return looksLikeOrg(s, false) && !looksLikeAddress(s) && !(len([]rune(s)) <= 4 && looksLikePerson(s) && !looksLikeOrg(s, true))
	})
	pOrgStrict = pName(func(s string) bool { return looksLikeOrg(s, true) })
	pAuthority = pName(looksLikeAuthority)
	pPerson    = pName(looksLikePerson)
	pParty     = pName(func(s string) bool { return looksLikeOrg(s, false) && !clauseWords(s) || looksLikePerson(s) })
	pAddress   = pName(func(s string) bool {
		// an organisation's name standing where the address is expected is not one
		return len([]rune(s)) >= 5 && hanShare(s) >= 0.5 && !isLabelText(s) && !(looksLikeOrg(s, true) && addressMarkCount(s) < 2)
	})
)

// pDate reads the first date after from.
func pDate(l *line, from int, _ string) (string, evidence, bool) {
	rest := string(l.runes[min(from, len(l.runes)):])
	ms := normalize.FindDates(rest)
	base := len(string(l.runes[:min(from, len(l.runes))]))
	for _, m := range ms {
		if m.Value == normalize.LongTerm {
			continue
		}
		return m.Value, l.spanBytes(base+m.Start, base+m.End), true
	}
	if m, ok := normalize.SpacedDate(rest); len(ms) == 0 && ok {
		return m.Value, l.spanBytes(base+m.Start, base+m.End), true
	}
	return "", evidence{}, false
}

// pTermEnd reads the end of a term: the date (or 长期) after 至, else the last date. A term that
// stops at 至, or at a dash and an end date cut short, continues on another line.
func pTermEnd(l *line, from int, _ string) (string, evidence, bool) {
	rest := string(l.runes[min(from, len(l.runes)):])
	ms := normalize.FindDates(rest)
	if len(ms) == 0 {
		return "", evidence{}, false
	}
	m := ms[len(ms)-1]
	tail := strings.TrimSpace(rest[m.End:])
	if strings.HasPrefix(tail, "至") || strings.HasPrefix(tail, "到") || strings.HasPrefix(tail, "起") {
		return "", evidence{}, false // the term's start: its end was not read (or left blank)
	}
	if t := strings.TrimLeft(tail, "-—－–~～ "); t != tail && strings.ContainsAny(t, "0123456789") {
		return "", evidence{}, false // the start, a dash and an end cut short (…—2036年5): the end wrapped
	}
	base := len(string(l.runes[:min(from, len(l.runes))]))
	return m.Value, l.spanBytes(base+m.Start, base+m.End), true
}

// moneyRE is a printed amount: digits with an optional 万/亿 and 元, or Chinese numerals.
var moneyRE = regexp.MustCompile(`(?:人民币|¥|￥)?\s*-?\d[\d,]*(?:(?:\.\d{3})+\.\d{1,2}\b|(?:\.\d{3}){2,}\b|\.\d+)?\s*(?:万元|万|亿元|亿|元)?|(?:人民币)?[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟元圆角分整]{2,}`)

// pAmount reads the first amount after from; a qualifier 万元 scales bare digits.
func pAmount(l *line, from int, qual string) (string, evidence, bool) {
	base := len(string(l.runes[:min(from, len(l.runes))]))
	rest := l.text[base:]
	unit := 1.0
	if strings.Contains(qual, "万元") || strings.Contains(qual, "万") {
		unit = 10000
	}
	for _, loc := range moneyRE.FindAllStringIndex(rest, -1) {
		if misgrouped(rest, loc[0], loc[1]) || notAnAmount(rest, loc[0], loc[1]) {
			continue
		}
		printed := rest[loc[0]:loc[1]]
		v, ok := normalize.AmountIn(printed, unit)
		if !ok {
			continue
		}
		ev := l.spanBytes(base+loc[0], base+loc[1])
		if roundedWan(printed, unit) {
			ev.conf *= 0.8
		}
		return normalize.FormatNumber(v), ev, true
	}
	return "", evidence{}, false
}

// roundedWan reports whether a printed amount is 万元 with a fractional part (1010.27万元): a yuan
// figure rounded to the hundred, whose exact value in yuan is known only to within ±50 — so less sure.
func roundedWan(printed string, unit float64) bool {
	return strings.Contains(printed, ".") && (unit == 10000 || strings.Contains(printed, "万"))
}

// misgrouped reports whether the digits of s[from:to], with any digits, commas and points right
// after, are grouped by thousands wrongly (1,626,8.80): a digit was lost in reading.
func misgrouped(s string, from, to int) bool {
	for to < len(s) && strings.IndexByte("0123456789,.", s[to]) >= 0 {
		to++
	}
	run := strings.TrimFunc(s[from:to], func(r rune) bool { return !unicode.IsDigit(r) && r != ',' && r != '.' })
	if i := strings.IndexFunc(run, func(r rune) bool { return !unicode.IsDigit(r) && r != ',' && r != '.' }); i >= 0 {
		run = run[:i]
	}
	return strings.Contains(run, ",") && !groupedRE.MatchString(fixThousands(run))
}

// pAmountPaged is pAmount for a page that may state its unit once (单位：万元): bare digits are
// read in that unit.
func (d *document) pAmountPaged(l *line, from int, qual string) (string, evidence, bool) {
	if !strings.Contains(qual, "元") && d.pageUnit(l.page) == 10000 {
		qual += "万元"
	}
	return pAmount(l, from, qual)
}

// codeRE finds a run that may be a credit code (18 characters) or what is left of one (14 or more),
// spaces allowed inside.
var codeRE = regexp.MustCompile(`[0-9A-Za-z](?:[ ]?[0-9A-Za-z]){13,19}`)

// codeRun is a run of code characters read after a credit code's label, cleaned.
type codeRun struct {
	code string
	ev   evidence
}

// codeRuns lists the runs of 14 to 20 code characters after from on l, not past another label
// (统一社会信用代码 证照编号：5401…).
func codeRuns(l *line, from int) []codeRun {
	base := len(string(l.runes[:min(from, len(l.runes))]))
	rest := l.text[base:]
	if s := stopAt([]rune(rest)); s < len([]rune(rest)) {
		rest = string([]rune(rest)[:s])
	}
	var out []codeRun
	for _, loc := range codeRE.FindAllStringIndex(rest, -1) {
		out = append(out, codeRun{normalize.CleanCreditCode(rest[loc[0]:loc[1]]), l.spanBytes(base+loc[0], base+loc[1])})
	}
	return out
}

// pCodePart reads what is left of a credit code after from when part of it was lost: a run of 14
// to 17 of its characters (see partOfDeclared).
func pCodePart(l *line, from int, _ string) (string, evidence, bool) {
	for _, r := range codeRuns(l, from) {
		if len(r.code) >= 14 && len(r.code) < 18 {
			return r.code, r.ev, true
		}
	}
	return "", evidence{}, false
}

// pCode reads a credit code after from.
func pCode(l *line, from int, _ string) (string, evidence, bool) {
	for _, r := range codeRuns(l, from) {
		c := r.code
		if len(c) == 18 {
			return c, r.ev, true
		}
		// a stray letter or digit read beside the code (91310113768783356P L): the eighteen that
		// pass the check
		for i := 0; len(c) > 18 && i+18 <= len(c); i++ {
			if normalize.ValidCreditCode(c[i : i+18]) {
				return c[i : i+18], r.ev, true
			}
		}
	}
	return "", evidence{}, false
}

// continued extends a name or address that runs off the end of its line with the next line, when
// that line sits under the value's start and reads as its rest (no cells, no label, no date).
// complete tells a value that needs no rest; valid checks the joined value.
func (d *document) continued(v string, ev evidence, complete, valid func(string) bool) (string, evidence) {
	l := ev.ln
	if l == nil || complete(v) || ev.box.Empty() || l.box.Empty() {
		return v, ev
	}
	if ev.box.X1 >= l.box.X1-2 {
		if v2, ev2, ok := d.continuedLine(v, ev, valid); ok {
			return v2, ev2
		}
	}
	return d.continuedWord(v, ev, complete)
}

// continuedLine is continued for a value that ends its line: the next line, starting under the
// value, is its rest.
func (d *document) continuedLine(v string, ev evidence, valid func(string) bool) (string, evidence, bool) {
	l := ev.ln
	h := max(l.box.H(), 1)
	for _, idx := range d.byPage[l.page] {
		n := d.lines[idx]
		// below the line: its top under the line's middle, its middle under the line's (a slanted
		// photo makes a line's box tall, and the next one's top enter it)
		if n.index <= l.index || n.box.Y0 < l.box.Y0+l.box.H()/2 || n.box.Y0+n.box.Y1 <= l.box.Y0+l.box.Y1 {
			continue
		}
		if n.box.Y0 > l.box.Y1+2*h {
			break
		}
		if abs(n.box.X0-ev.box.X0) > h*3/2 {
			continue
		}
		t := string(n.dense)
		if strings.ContainsRune(n.text, ' ') || stopAt(n.dense) == 0 || hanShare(t) < 0.5 || len(n.dense) > 25 ||
			len(normalize.FindDates(t)) > 0 {
			return v, ev, false
		}
		joined := normalize.Name(v + t)
		if !valid(joined) {
			return v, ev, false
		}
		ev.text += t
		ev.box = ev.box.Union(n.box)
		return joined, ev, true
	}
	return v, ev, false
}

// continuedWord is continued for a reader that gives one word per printed text box (PP-OCR): the
// rest of a wrapped value is a word of its own just below the value and within its width, even
// when its row was joined with other text or a stray glyph of a seal stands nearer. The joined
// value must be complete.
func (d *document) continuedWord(v string, ev evidence, complete func(string) bool) (string, evidence) {
	l := ev.ln
	if len([]rune(v)) < 6 {
		return v, ev // too short to have been wrapped
	}
	var hs []int
	for _, w := range l.words {
		hs = append(hs, w.Box.H())
	}
	h := max(median(hs), 1)
	// The rest may stand under the value or under its label (申报单位（公章）：西藏…有限 / 公司): the
	// left edge of the run of words the value ends.
	left := ev.box.X0
	ws := append([]doc.Word(nil), l.words...)
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].Box.X0 > ws[j].Box.X0 })
	for _, w := range ws {
		if w.Box.X0 < left && w.Box.X1 > left-h*3/2 {
			left = w.Box.X0
		}
	}
	var cands []doc.Word
	for _, idx := range d.byPage[l.page] {
		for _, w := range d.lines[idx].words {
			b := w.Box
			if b.Empty() || b.Y0 < ev.box.Y0+ev.box.H()/2 || 2*(b.Y0-ev.box.Y1) > 3*h || b.X0 < left-h*3/2 || b.X0 >= ev.box.X1-h {
				continue
			}
			cands = append(cands, w)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].Box.Y0 < cands[j].Box.Y0 })
	for _, w := range cands {
		rs := cleanWord(w.Text)
		t := strings.Join(strings.Fields(string(rs)), "")
		if t == "" || len([]rune(t)) > 25 || stopAt([]rune(t)) == 0 || len(normalize.FindDates(t)) > 0 || strings.ContainsAny(t, "：:") {
			continue
		}
		joined := normalize.Name(v + t)
		if !complete(joined) {
			// a glyph of the seal read after the rest (园区管理委员会员): the rest without it
			rt := []rune(t)
			if len(rt) < 4 || !complete(normalize.Name(v+string(rt[:len(rt)-1]))) {
				continue
			}
			t = string(rt[:len(rt)-1])
			joined = normalize.Name(v + t)
			ev.conf *= 0.9
		}
		ev.text += t
		ev.box = ev.box.Union(w.Box)
		return joined, ev
	}
	return v, ev
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// addressComplete reports whether an address ends as addresses do (号, 室, 层…).
func addressComplete(s string) bool {
	for _, suf := range []string{"号", "室", "房", "层", "楼", "栋", "幢", "座", "单元", "院", "铺", "号楼", "号院"} {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

func orgComplete(s string) bool { return looksLikeOrg(s, true) }

// lookupAddress is lookup for an address, joined with its wrapped rest.
func (d *document) lookupAddress(lb label) (string, evidence, bool) {
	v, ev, ok := d.lookup(lb, pAddress)
	if !ok {
		return "", evidence{}, false
	}
	v, ev = d.continued(v, ev, addressComplete, func(s string) bool { return hanShare(s) >= 0.5 })
	if addressComplete(v) && ev.ln != nil && !ev.box.Empty() && ev.box.X1 >= ev.ln.box.X1-2 {
		// An address that reads as complete may still go on in the line below, in its column:
		// the building, floor and room after the street number (…75号 / 六栋105房).
		v, ev = d.addressTail(v, ev)
	}
	return trimAddressTail(v), ev, true
}

// addressTail joins to an address the word right under its end, in its column, when that word is
// the rest of an address (see isAddressTail) — the lines of the other column may stand between, or
// be joined with it in one row.
func (d *document) addressTail(v string, ev evidence) (string, evidence) {
	var hs []int
	for _, w := range ev.ln.words {
		hs = append(hs, w.Box.H())
	}
	h := max(median(hs), 1)
	var best *doc.Word
	for _, idx := range d.byPage[ev.ln.page] {
		for i, w := range d.lines[idx].words {
			b := w.Box
			if b.Empty() || b.Y0 < ev.box.Y1-h/2 || 2*(b.Y0-ev.box.Y1) > 3*h || b.X0 < ev.box.X0-h*3/2 || b.X0 >= ev.box.X1-h {
				continue // not under the address (a word of its own lines is in its box)
			}
			if best == nil || b.Y0 < best.Box.Y0 {
				best = &d.lines[idx].words[i]
			}
		}
	}
	if best == nil {
		return v, ev
	}
	t := []rune(strings.Join(strings.Fields(string(cleanWord(best.Text))), ""))
	if len(t) == 0 || len(t) > 14 || !isAddressTail(t) || stopAt(t) == 0 || len(normalize.FindDates(string(t))) > 0 {
		return v, ev
	}
	ev.text += string(t)
	ev.box = ev.box.Union(best.Box)
	return normalize.Name(v + string(t)), ev
}

// isAddressTail reports whether rs reads as the rest of an address after its street number: a
// building, floor, room or unit (六栋105房, C503, 2幢403号房, 首层之七, （住所申报）).
func isAddressTail(rs []rune) bool {
	for _, m := range []string{"栋", "楼", "幢", "座", "室", "房", "层", "单元", "铺"} {
		if strings.Contains(string(rs), m) {
			return true
		}
	}
	// a unit's letter and number (C503, B2-301); digits alone are a postcode or another figure
	return len(rs) >= 2 && len(rs) <= 8 && rs[0] < 0x80 && unicode.IsLetter(rs[0]) && unicode.IsDigit(rs[1])
}

// lookupOrg is lookup for an organisation's name, joined with its wrapped rest.
func (d *document) lookupOrg(lb label, p parser) (string, evidence, bool) {
	v, ev, ok := d.lookup(lb, p)
	if !ok {
		return "", evidence{}, false
	}
	v, ev = d.startedAbove(v, ev, orgComplete)
	v, ev = d.continued(v, ev, orgComplete, orgComplete)
	return v, ev, true
}

// startedAbove joins to a name read on a line right of its label the cell just above it that is the
// name's beginning: a cell that wrapped its value over two lines, beside a label centred between them
// (名称 beside 西藏念青知识产权服务有限 / 责任公司), is read at the label's height from its second line.
// The cell above must start where the value does, be no narrower, reach down into the label's
// height, have no label, colon or figure (a certificate's number: 阿里房权证普兰字第605541号), be no
// name by itself, and make a complete one with the value.
func (d *document) startedAbove(v string, ev evidence, complete func(string) bool) (string, evidence) {
	l := ev.ln
	if l == nil || ev.box.Empty() || ev.label.Empty() {
		return v, ev
	}
	if ev.box.Y0 < ev.label.Y1 && ev.box.Y1 > ev.label.Y0 && ev.box.X0 < ev.label.X1-2 {
		return v, ev // read in one word with its label: where the value's print begins is not known
	}
	h := max(ev.box.H(), 1)
	for _, idx := range d.byPage[l.page] {
		n := d.lines[idx]
		if n == l || n.box.Empty() || n.box.Y1 > ev.box.Y0+h/2 || ev.box.Y0-n.box.Y1 > h {
			continue
		}
		for _, c := range lineCells(n) {
			cb := n.span(c.from, c.to).box
			// the first line of a wrapped cell fills the cell: no narrower than the rest
			if cb.Empty() || abs(cb.X0-ev.box.X0) > h || cb.W() < ev.box.W() || cb.Y1 < ev.label.Y0-h/2 || cb.Y0 >= (ev.label.Y0+ev.label.Y1)/2 {
				continue
			}
			t := strings.TrimSpace(c.text)
			if n := len([]rune(t)); n < 4 || n > 25 || stopAt([]rune(t)) == 0 || isLabelText(t) || labelish(t) || hanShare(t) < 0.6 ||
				strings.ContainsAny(t, ":：0123456789") || len(normalize.FindDates(t)) > 0 || complete(t) {
				continue
			}
			joined := normalize.Name(t + v)
			if !complete(joined) {
				continue
			}
			ev.text = t + ev.text
			ev.box = ev.box.Union(cb)
			ev.conf *= 0.95
			return joined, ev
		}
	}
	return v, ev
}

// hamming counts the positions where two equally long rune slices differ.
func hamming(a, b []rune) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// headColumn returns the box of the label cell h stands in, in a row of labels, and the horizontal
// extent of its column: halfway to the centres of the labels beside it.
func headColumn(h labelHit) (lb doc.Box, left, right int, ok bool) {
	cells := lineCells(h.l)
	if len(cells) < 2 {
		return lb, 0, 0, false
	}
	i := slices.IndexFunc(cells, func(c token) bool { return c.from <= h.start && h.start < c.to })
	if i < 0 {
		return lb, 0, 0, false
	}
	boxOf := func(c token) doc.Box { return h.l.span(c.from, c.to).box }
	centre := func(b doc.Box) int { return (b.X0 + b.X1) / 2 }
	lb = boxOf(cells[i])
	if lb.Empty() {
		return lb, 0, 0, false
	}
	left, right = math.MinInt, math.MaxInt
	if b := boxOf(cells[max(i-1, 0)]); i > 0 && !b.Empty() {
		left = (centre(b) + centre(lb)) / 2
	}
	if i+1 < len(cells) {
		if b := boxOf(cells[i+1]); !b.Empty() {
			right = (centre(lb) + centre(b)) / 2
		}
	}
	return lb, left, right, true
}

// inColumn returns the words of line n whose centres stand between left and right, as a line of
// their own, or false if there are none.
func inColumn(n *line, left, right int) (*line, bool) {
	var ws []doc.Word
	var box doc.Box
	for _, w := range n.words {
		if c := (w.Box.X0 + w.Box.X1) / 2; !w.Box.Empty() && c >= left && c < right {
			ws = append(ws, w)
			box = box.Union(w.Box)
		}
	}
	if len(ws) == 0 {
		return nil, false
	}
	sub := newLine(n.page, n.index, doc.Line{Words: ws, Box: box})
	sub.skew, sub.skewX = n.skew, n.skewX
	return sub, true
}

// underHead returns, for a label in a row of labels that head a table's columns, the words of the
// next row that stand in its column, as a line of their own. The column reaches halfway to the
// centres of the labels beside it, and a word belongs to the column its centre falls in: a label
// centred over a wide cell and a value written from the cell's left edge pair so, though their
// boxes do not overlap, and two values the reader joined into one line part again.
func (d *document) underHead(h labelHit) (*line, bool) {
	lb, left, right, ok := headColumn(h)
	if !ok {
		return nil, false
	}
	// The next row: the nearest line below whose words stand in the column (judged by the words'
	// boxes, not the line's, which a slant of the page makes tall).
	var next, sub *line
	for _, idx := range d.byPage[h.l.page] {
		o := d.lines[idx]
		if o == h.l {
			continue
		}
		in, ok := inColumn(o, left, right)
		if !ok || in.box.Y0 < lb.Y1-lb.H()/3 || in.box.Y0-lb.Y1 > 3*lb.H() {
			continue
		}
		if sub == nil || in.box.Y0 < sub.box.Y0 {
			next, sub = o, in
		}
	}
	if next == nil || len(sub.words) == len(next.words) {
		return nil, false // nothing in the column, or the whole row: the usual reading does as well
	}
	// The cell is empty when another row stands between the heads and those words (a row of
	// labels below a row of values, the form's next block).
	head := h.l.box
	for _, idx := range d.byPage[h.l.page] {
		o := d.lines[idx]
		if o == h.l || o == next {
			continue
		}
		for _, w := range o.words {
			b := w.Box
			if !b.Empty() && b.Y0 >= lb.Y1-lb.H()/3 && b.Y1 <= sub.box.Y0+lb.H()/3 && b.X1 > head.X0 && b.X0 < head.X1 {
				return nil, false
			}
		}
	}
	return sub, true
}

// cellOver returns where on line n the cell that stands in the label's column begins (the first
// cell whose horizontal extent overlaps the label's), and whether there is one.
func (d *document) cellOver(h labelHit, n *line) (int, bool) {
	lb := h.l.span(h.start, h.end).box
	if lb.Empty() {
		return 0, false
	}
	for _, t := range lineCells(n) {
		b := n.span(t.from, t.to).box
		if !b.Empty() && min(b.X1, lb.X1)-max(b.X0, lb.X0) > 0 {
			return t.from, true
		}
	}
	return 0, false
}

// columnFrom is where to read a value on line n below a label: the cell in the label's column when
// n is a row of cells that has one, else the line's start.
func (d *document) columnFrom(h labelHit, n *line) int {
	if from, ok := d.cellOver(h, n); ok && len(lineCells(n)) > 1 {
		return from
	}
	return 0
}

// labelsUnderValues reports whether the row of labels l belongs to a grid whose labels stand under
// their values: going up from l, rows of values and rows of labels alternate, and the top row of the
// run is a row of values (a row of labels tops a grid whose values stand under them).
func (d *document) labelsUnderValues(l *line) bool {
	// cells counts a row's cells of two characters or more (a letter-spaced 营 业 期 限 is one label)
	cells := func(o *line) int {
		n := 0
		for _, c := range lineCells(o) {
			if len([]rune(c.text)) >= 2 {
				n++
			}
		}
		return n
	}
	if cells(l) < 2 {
		return false // a label alone on its line heads no row
	}
	// in a grid, a row of labels has no figures and no sentence; a row of values has a figure
	isLabels := func(o *line) bool {
		return cells(o) >= 2 && !strings.ContainsAny(o.text, "0123456789，。；;") && hanShare(o.text) >= 0.6 &&
			!slices.ContainsFunc(lineCells(o), func(c token) bool { return len([]rune(c.text)) > 20 })
	}
	isValues := func(o *line) bool { // short cells, one with a figure: no sentence
		if isLabels(o) || !strings.ContainsAny(o.text, "0123456789") || strings.ContainsAny(o.text, "，。；;") {
			return false
		}
		cs := lineCells(o)
		return len(cs) >= 2 && !slices.ContainsFunc(cs, func(c token) bool { return len([]rune(c.text)) > 25 })
	}
	wantLabels := false // the row above l should be one of values
	top := l
	for o := d.rowAbove(l); o != nil; o = d.rowAbove(o) {
		if (wantLabels && !isLabels(o)) || (!wantLabels && !isValues(o)) {
			break
		}
		top, wantLabels = o, !wantLabels
	}
	return top != l && !isLabels(top)
}

// rowAbove returns the nearest line above l on its page whose bottom is within two of l's heights.
func (d *document) rowAbove(l *line) *line {
	var best *line
	for _, idx := range d.byPage[l.page] {
		o := d.lines[idx]
		if o == l || o.box.Empty() || l.box.Empty() || o.box.Y1 > l.box.Y0+l.box.H()/3 || l.box.Y0-o.box.Y1 > 2*l.box.H() {
			continue
		}
		if best == nil || o.box.Y1 > best.box.Y1 {
			best = o
		}
	}
	return best
}

// above returns the line right above the label's line on its page, if it is near (within two of
// the label's heights).
func (d *document) above(h labelHit) *line {
	var best *line
	lb := h.l.box
	for _, idx := range d.byPage[h.l.page] {
		o := d.lines[idx]
		if o == h.l || o.box.Empty() || lb.Empty() || o.box.Y1 > lb.Y0+lb.H()/3 {
			continue
		}
		if lb.Y0-o.box.Y1 > 2*lb.H() {
			continue
		}
		if best == nil || o.box.Y1 > best.box.Y1 {
			best = o
		}
	}
	return best
}

// tokenAt returns the space-delimited token of l that begins at rune i.
func tokenAt(l *line, i int) string {
	j := i
	for j < len(l.runes) && l.runes[j] != ' ' {
		j++
	}
	return string(l.runes[min(i, j):j])
}

// startsWithLabel reports whether a line begins with a label (联系人 …, 服务功能 …).
func startsWithLabel(l *line) bool {
	cs := lineCells(l)
	return len(cs) > 0 && (stopAt([]rune(cs[0].text)) == 0 || labelish(cs[0].text))
}

// labelHead returns how many runes at the start of c are the head of an organisation label (four
// characters or more of 申报单位名称, 单位名称…) read together with the name after it, or 0.
func labelHead(c string) int {
	rs := []rune(c)
	best := 0
	for _, a := range lbOrgName.alts {
		ar := []rune(a)
		for k := len(ar); k >= 4; k-- {
			if k > best && len(rs) >= k+4 && string(rs[:k]) == string(ar[:k]) {
				best = k
				break
			}
		}
	}
	return best
}

// notAnAmount reports whether the digits at s[from:to] are a telephone number, a code or a date's
// part rather than an amount: joined to other digits by a dash (0891-6294636, 2015-02-26), or an
// integer with a leading zero (0892).
func notAnAmount(s string, from, to int) bool {
	t := strings.TrimSpace(s[from:to])
	if (to < len(s) && s[to] == '-' && to+1 < len(s) && s[to+1] >= '0' && s[to+1] <= '9') ||
		(from > 0 && s[from-1] == '-') {
		return true
	}
	return len(t) > 1 && t[0] == '0' && t[1] >= '0' && t[1] <= '9'
}
