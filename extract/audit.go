package extract

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"shenbao/doc"
	"shenbao/extract/normalize"
	"shenbao/internal/textdist"
)

// ---- audit reports ----

var (
	yearEndRE = regexp.MustCompile(`((?:19|20)\d{2})[ ]*(?:年[ ]*12[ ]*月[ ]*31[ ]*日|[-./]12[-./]31)`)
	fiscalRE  = regexp.MustCompile(`((?:19|20)\d{2})[ ]*年度`)
	// firmFormRE is a firm's partnership form after its name with its brackets lost or one of them
	// (…会计师事务所 普通合伙, …会计师事务所（特殊普通合伙 西藏分所): the form is the name's.
	firmFormRE  = regexp.MustCompile(`会计师事务所\s*[(（]?\s*((?:特殊)?普通合伙)\s*[)）]?\s*`)
	firmRE      = regexp.MustCompile(`([^\s:：，,。、“”"]{2,30}?会计师事务所(?:[ ]?\([^)]{2,12}\)|有限责任公司|有限公司)?(?:\p{Han}{2,8}?分所)?)`)
	addresseeRE = regexp.MustCompile(`^(.{4,40}?)(?:全体股东|全体出资人|全体投资者|董事会|理事会|全体会员)?:$`)
	auditedRE   = regexp.MustCompile(`我们审计了(.{4,40}?)(?:\(以下简称|财务报表|的财务)`)
)

// firmForms are the partnership forms a 会计师事务所 names in brackets after its name.
var firmForms = []string{"特殊普通合伙", "普通合伙"}

// fixFirmForm restores the bracketed form that ends a firm's name when it was read with a character
// or two wrong (（普道伙） for （普通合伙）): a misread form, not another one — the forms are few.
func fixFirmForm(v string) (string, bool) {
	i := strings.LastIndexAny(v, "(（")
	if i < 0 || !strings.HasSuffix(v, ")") && !strings.HasSuffix(v, "）") {
		return v, false
	}
	opening, closing := "(", ")"
	if strings.HasPrefix(v[i:], "（") {
		opening, closing = "（", "）"
	}
	inner := []rune(strings.TrimRight(v[i+len(opening):], ")）"))
	best, bestD := "", 3
	for _, f := range firmForms {
		fr := []rune(f)
		d := textdist.Levenshtein(inner, fr)
		if d == 0 {
			return v, false // a form read right
		}
		if d < bestD && len(inner) >= len(fr)-2 {
			best, bestD = f, d
		}
	}
	if best != "" {
		return v[:i] + opening + best + closing, true
	}
	return v, false
}

func readAudit(d *document, fs *fieldSet, _ Options) {
	if v, ev, ok := d.lookupOrg(lbl("编制单位", "被审计单位"), pOrg); ok {
		fs.set("org_name", v, ev)
	}
	if !fs.has("org_name") {
		for _, l := range d.lines {
			if m := addresseeRE.FindStringSubmatchIndex(l.text); m != nil {
				if v := normalize.Name(l.text[m[2]:m[3]]); looksLikeOrg(v, true) && !strings.Contains(v, "会计师事务所") {
					fs.set("org_name", v, l.spanBytes(m[2], m[3]))
					break
				}
			}
		}
	}
	if !fs.has("org_name") {
		if v, ev, ok := d.flowFind(auditedRE, 1); ok && looksLikeOrg(normalize.Name(v), true) {
			fs.set("org_name", normalize.Name(v), ev)
		}
	}
	if !fs.has("org_name") {
		for _, l := range d.lines {
			if v := normalize.Name(l.text); looksLikeOrg(v, true) && !strings.Contains(v, "事务所") && !looksLikeAuthority(v) {
				fs.set("org_name", v, l.span(0, len(l.runes)))
				break
			}
		}
	}
	// The firm: a line that is nothing but its name (cover, signature), else any mention.
	for pass := 0; pass < 2 && !fs.has("audit_firm"); pass++ {
		for _, l := range d.lines {
			t := firmFormRE.ReplaceAllString(l.text, "会计师事务所($1)")
			m := firmRE.FindStringSubmatchIndex(t)
			if m == nil {
				continue
			}
			v := normalize.Name(t[m[2]:m[3]])
			if pass == 0 && normalize.Key(v) != normalize.Key(l.text) {
				continue
			}
			ev := l.span(0, len(l.runes))
			if t == l.text {
				ev = l.spanBytes(m[2], m[3])
			}
			if f, fixed := fixFirmForm(v); fixed {
				v, ev.conf = f, ev.conf*0.95
			}
			fs.set("audit_firm", v, ev)
			break
		}
	}
	if v, ev, ok := d.flowFind(yearEndRE, 1); ok {
		fs.set("audit_year", v, ev)
	} else if v, ev, ok := d.flowFind(fiscalRE, 1); ok {
		fs.set("audit_year", v, ev)
	}
	readOpinion(d, fs)

	if v, ev, ok := d.statementValue(label{alts: []string{"资产总计", "资产合计", "资产总额"}, notAfter: []string{"流动", "动", "净"}}); ok {
		fs.set("total_assets_yuan", v, ev)
	}
	if v, ev, ok := d.statementValue(label{alts: []string{"负债合计", "负债总计", "负债总额"}, notAfter: []string{"流动", "动"}}); ok {
		fs.set("total_liabilities_yuan", v, ev)
	}
	if v, ev, ok := d.statementValue(label{alts: []string{"所有者权益合计", "所有者权益(或股东权益)合计", "股东权益合计", "净资产合计"},
		notAfter: []string{"负债和", "负债及", "和"}, skip: []string{"负债和所有者权益", "负债和净资产", "负债及所有者权益"}}); ok {
		fs.set("net_assets_yuan", v, ev)
	}
	if v, ev, ok := d.statementValue(label{alts: []string{"营业总收入", "营业收入", "收入合计", "收入总计", "主营业务收入"},
		notAfter: []string{"服务", "其他", "外"}, skip: []string{"营业外收入"}}); ok {
		fs.set("revenue_yuan", v, ev)
	}
	// The special audit of service income and spending: a table of 项目 and 金额, or a sentence.
	if v, ev, ok := d.statementValue(lbl("服务收入合计", "服务收入总计", "服务收入总额", "服务总收入")); ok {
		fs.set("service_revenue_yuan", v, ev)
	} else if v, ev, ok := d.lookup(lbl("服务收入合计", "服务收入总计", "服务收入总额"), pAmount); ok {
		fs.set("service_revenue_yuan", v, ev)
	}
	if v, ev, ok := d.statementValue(lbl("服务支出合计", "服务支出总计", "服务支出总额", "服务总支出", "服务成本合计")); ok {
		fs.set("service_expense_yuan", v, ev)
	} else if v, ev, ok := d.lookup(lbl("服务支出合计", "服务支出总计", "服务支出总额"), pAmount); ok {
		fs.set("service_expense_yuan", v, ev)
	}
	// …or told in a sentence of a note (取得服务收入349.82万元，发生服务支出202.90万元)
	defer serviceBalance(d, fs)
	for field, re := range map[string]*regexp.Regexp{"service_revenue_yuan": serviceIncomeRE, "service_expense_yuan": serviceSpendingRE} {
		if fs.has(field) {
			continue
		}
		if t, ev, ok := d.flowFind(re, 1); ok {
			if v, ok := normalize.Amount(t); ok && v > 0 {
				fs.set(field, normalize.FormatNumber(v), ev)
			}
		}
	}
}

// serviceIncomeRE and serviceSpendingRE are a special audit's totals told in a sentence: the
// amount right after 服务收入/服务支出 (and a word such as 合计 or 为), with its unit.
var (
	serviceIncomeRE   = regexp.MustCompile(`服务(?:总)?收入(?:合计|总计|总额|共计|累计)?(?:为|是|达)?[:：]?[ ]*(\d[\d,]*(?:\.\d+)?[ ]*万?元)`)
	serviceSpendingRE = regexp.MustCompile(`服务(?:总)?(?:支出|成本)(?:合计|总计|总额|共计|累计)?(?:为|是|达)?[:：]?[ ]*(\d[\d,]*(?:\.\d+)?[ ]*万?元)`)
)

// readOpinion tells the auditor's opinion from its wording (中国注册会计师审计准则第1502号):
// 无法表示意见, 否定意见, 保留意见, else 无保留意见 when an opinion is given at all.
func readOpinion(d *document, fs *fieldSet) {
	// find returns the evidence of the first occurrence of kw that passes ok.
	find := func(kw string, ok func(l *line, h hit) bool) (evidence, bool) {
		p := []rune(kw)
		for _, l := range d.lines {
			for _, h := range approxFind(l.dense, p, maxErrors(len(p))) {
				if ok == nil || ok(l, h) {
					ev := l.span(l.denseAt[h.start], l.denseAt[h.end-1]+1)
					if h.dist > 0 {
						ev.conf *= 0.9
					}
					return ev, true
				}
			}
		}
		return evidence{}, false
	}
	notAfterWu := func(l *line, h hit) bool { return h.start == 0 || l.dense[h.start-1] != '无' }
	for _, o := range []struct {
		kw, value string
		ok        func(*line, hit) bool
	}{
		{"无法表示意见", "disclaimer", nil},
		{"否定意见", "adverse", nil},
		{"保留意见", "qualified", notAfterWu},
		{"无保留意见", "unqualified", nil},
		{"审计意见", "unqualified", nil},
		{"公允反映", "unqualified", nil},
	} {
		if ev, ok := find(o.kw, o.ok); ok {
			fs.set("audit_opinion", o.value, ev)
			return
		}
	}
}

// token is a cell of a table row: its text and rune span.
type token struct {
	text     string
	from, to int
}

var amountTokenRE = regexp.MustCompile(`^\(?-?[\d,.]*\d[\d,.]*\)?$|^[-—–]+$`)

var (
	// semicolonCentsRE is an amount whose decimal point was read as ; or : (9.018,286;27).
	semicolonCentsRE = regexp.MustCompile(`^(\d[\d,.]*\d)[;；:：](\d{2})$`)
	// misgroupedRE is one amount whose thousands commas were read, some of them, as dots.
	misgroupedRE = regexp.MustCompile(`^\d{1,3}(?:[.,]\d{3})+\.\d{2}$`)
)

// onePeriodMisgrouped reports whether t, which reads as two amounts side by side (mergedRE: first and
// second), is rather one amount with a comma read as a dot (4,795.532.88 is 4,795,532.88, not
// 4,795.53 and 2.88): its digits fall in groups of three, and the two amounts are no row's two
// periods — those are of one size, not a hundred times apart.
func onePeriodMisgrouped(t, first, second string) bool {
	if !misgroupedRE.MatchString(t) {
		return false
	}
	a, okA := normalize.Amount(fixThousands(first))
	b, okB := normalize.Amount(fixThousands(second))
	return okA && okB && (a*100 < b || b*100 < a)
}

// mergedRE is two amounts with two decimals each, printed side by side and read as one, perhaps
// with the next block's label run on (23892725.2823175943.52资本公积); a thousands separator read as
// a dot (10.743,931.8710,330,703.73) is still part of its amount (groups of three after it).
var mergedRE = regexp.MustCompile(`^(-?\d(?:\d{0,2}(?:[,.]\d{3})+|[\d,]*)\.\d{2})(\d(?:\d{0,2}(?:[,.]\d{3})+|[\d,]*)\.\d{2})(\p{Han}.*)?$`)

// lineNoRE is a statement's 行次 as a reader may misread it (ii, l1, 1O).
var lineNoRE = regexp.MustCompile(`^[0-9iIl|oO]{1,3}$`)

// rowNumbers returns the amount cells that follow rune from on l, up to the next text cell.
func rowNumbers(l *line, from int) []token {
	var out []token
	i := from
	rs := l.runes
	for i < len(rs) {
		for i < len(rs) && rs[i] == ' ' {
			i++
		}
		j := i
		for j < len(rs) && rs[j] != ' ' {
			j++
		}
		if i >= j {
			break
		}
		t := string(rs[i:j])
		if m := semicolonCentsRE.FindStringSubmatch(t); m != nil {
			t = m[1] + "." + m[2] // 9.018,286;27: the decimal point read as ; or :
		}
		if m := mergedRE.FindStringSubmatch(t); m != nil && !onePeriodMisgrouped(t, m[1], m[2]) {
			// two amounts read as one box (4,479,044.923,999,147.25): the cells side by side
			k := i + len([]rune(m[1]))
			out = append(out, token{m[1], i, k}, token{m[2], k, k + len([]rune(m[2]))})
			if m[3] != "" {
				break // the amounts end this row's cells
			}
			i = j
			continue
		}
		if !amountTokenRE.MatchString(t) {
			if m := leadAmountRE.FindStringSubmatch(t); m != nil {
				// the amount and the next block's label read as one box (1470.22资本公积): the
				// amount ends this row's cells
				out = append(out, token{m[1], i, i + len([]rune(m[1]))})
				break
			}
			if len(out) > 0 || !lineNoRE.MatchString(t) {
				break
			}
			t = strings.NewReplacer("i", "1", "I", "1", "l", "1", "|", "1", "o", "0", "O", "0").Replace(t) // 行次 11 read as ii
		}
		out = append(out, token{t, i, j})
		i = j
	}
	return out
}

// leadAmountRE is an amount with its cents run into the label after it (1470.22资本公积).
var leadAmountRE = regexp.MustCompile(`^(-?\d[\d,]*\.\d{2})\p{Han}`)

// columnKind classifies a header cell of a financial statement.
func columnKind(c string) string {
	switch {
	case strings.Contains(c, "上年"), strings.Contains(c, "年初"), strings.Contains(c, "期初"), strings.Contains(c, "上期"), strings.Contains(c, "上月"):
		return "prior"
	case strings.Contains(c, "本月"):
		return "month"
	case strings.Contains(c, "期末"), strings.Contains(c, "期未"), strings.Contains(c, "本期"), strings.Contains(c, "本年"),
		strings.Contains(c, "年末"), strings.Contains(c, "金额"), strings.Contains(c, "余额"), strings.Contains(c, "累计"):
		return "current"
	}
	return ""
}

// headCell is a cell of a statement's header row: what its column holds and where it stands.
type headCell struct {
	kind string // "current", "prior", "month", "index" (行次, 序号, 附注) or ""
	box  doc.Box
	wan  bool // the column's amounts are in 万元 (金额（万元）)
}

// columnHead classifies a header cell, including the columns that hold no amount: 行次, 序号, 附注.
func columnHead(c string) string {
	if k := columnKind(c); k != "" {
		return k
	}
	for _, w := range []string{"行次", "行号", "序号", "附注", "注释", "编号"} {
		if strings.Contains(c, w) {
			return "index"
		}
	}
	return ""
}

// statementHeader finds the header above l on its page — the nearest line above that names an
// amount column — and returns its cells with their boxes.
func (d *document) statementHeader(l *line) []headCell {
	ls := d.pageLines(l.page)
	for i := len(ls) - 1; i >= 0; i-- {
		h := ls[i]
		if h.index >= l.index {
			continue
		}
		var cells []headCell
		amounts := 0
		for _, t := range lineCells(h) {
			for _, c := range splitHead(h, t) {
				if c.kind != "" && c.kind != "index" {
					amounts++
				}
				cells = append(cells, c)
			}
		}
		if amounts > 0 {
			return cells
		}
	}
	return nil
}

// lineCells splits a line into its space-separated cells.
func lineCells(l *line) []token {
	var out []token
	rs := l.runes
	for i := 0; i < len(rs); {
		for i < len(rs) && rs[i] == ' ' {
			i++
		}
		j := i
		for j < len(rs) && rs[j] != ' ' {
			j++
		}
		if j > i {
			out = append(out, token{string(rs[i:j]), i, j})
		}
		i = j
	}
	return out
}

// currentColumn returns which of the row's amount columns holds the current period (期末余额 /
// 本期金额 / 本年累计数), counting only amount columns, and whether the header has an index column
// (行次) whose number the row prints before its amounts.
func currentColumn(head []headCell) (col int, lineNo bool) {
	var kinds []string
	for _, c := range head {
		switch c.kind {
		case "":
			continue
		case "index":
			lineNo = true
			continue
		}
		if len(kinds) > 0 && c.kind == kinds[0] {
			break // the right half of a two-sided statement repeats the columns
		}
		kinds = append(kinds, c.kind)
	}
	for j, k := range kinds {
		if k == "current" {
			return j, lineNo
		}
	}
	return 0, lineNo
}

// underHeadIndex returns the header cell that stands over box b: the one its horizontal extent
// overlaps most, or -1 when none does.
func underHeadIndex(head []headCell, b doc.Box) int {
	best, idx := 0, -1
	for i, c := range head {
		if c.box.Empty() || b.Empty() {
			continue
		}
		if ov := min(c.box.X1, b.X1) - max(c.box.X0, b.X0); ov > best {
			best, idx = ov, i
		}
	}
	return idx
}

var (
	unitWanRE = regexp.MustCompile(`单位[:：(（]?(?:人民币)?万(?:元|$)`)
	// unitOpenRE is a unit label whose unit wrapped to the next line (金额单位：人民币 / 万元).
	// Not 编制单位：, whose name may wrap.
	unitOpenRE = regexp.MustCompile(`(?:^|金额|货币|计量)单位[:：(（]?(?:人民币)?$`)
)

// pageUnit is 10000 when the page says its amounts are in 万元 (单位：万元; 单位：万, or 万 at the end
// of a line whose 元 wrapped to the next; or 单位：人民币 at the end of a line whose 万元 wrapped to
// the line under it).
func (d *document) pageUnit(page int) float64 {
	lines := d.pageLines(page)
	for i, l := range lines {
		if unitWanRE.MatchString(string(l.dense)) {
			return 10000
		}
		if unitOpenRE.MatchString(string(l.dense)) && wrapsToWan(l, lines[i+1:]) {
			return 10000
		}
	}
	return 1
}

// wrapsToWan reports whether the word that stands under the end of unit label l (its last word),
// within two line heights, begins with 万.
func wrapsToWan(l *line, rest []*line) bool {
	if len(l.words) == 0 {
		return false
	}
	end := l.words[len(l.words)-1].Box
	lh := l.box.H()
	for _, n := range rest {
		for _, w := range n.words {
			b := w.Box
			if b.Empty() || end.Empty() || b.Y0 < end.Y1-lh/2 || b.Y0 > end.Y1+2*lh || b.X1 <= end.X0 || b.X0 >= end.X1+lh {
				continue
			}
			return strings.HasPrefix(strings.TrimSpace(w.Text), "万")
		}
	}
	return false
}

var smallIntRE = regexp.MustCompile(`^\d{1,3}$`)

// amountAtOffset finds the amount of label h's row on a page whose amount column stands lower or
// higher than its labels by about one offset, as a page photographed at an angle (a keystone: the
// far column drifts off the near one, so no single slant levels the rows) or printed out of
// register does. The offset is the page's own: the vertical distance from a label's middle to its
// amount's that three lines of amounts or more agree on within a sixth of a line. An offset of
// about half a row fits the row above as well as the row below; the rows' sums then decide: the
// offset under which a 合计 row's amount is the sum of the rows above it is the page's. Without one
// offset that fits, nothing is found.
func (d *document) amountAtOffset(h labelHit) *line {
	lh := h.l.box.H()
	if lh <= 0 {
		return nil
	}
	key := [2]int{h.l.page, lh}
	pr, done := d.offsetRows[key]
	if !done {
		pr = d.rowsAtOffset(h.l.page, lh)
		if d.offsetRows == nil {
			d.offsetRows = map[[2]int]map[*line]*line{}
		}
		d.offsetRows[key] = pr
	}
	return pr[h.l]
}

// rowsAtOffset pairs the labels of a page with their amounts at the page's row offset (see
// amountAtOffset), lines lh high; nil when the page has no one offset that fits.
func (d *document) rowsAtOffset(page, lh int) map[*line]*line {
	cy := func(l *line) int { return (l.box.Y0 + l.box.Y1) / 2 }
	var amounts, labels []*line
	for _, i := range d.byPage[page] {
		n := d.lines[i]
		if ts := rowNumbers(n, 0); len(ts) > 0 && !onlyIndexes(ts) && len(ts) == len(strings.Fields(n.text)) {
			amounts = append(amounts, n) // a line of amounts and nothing else
		} else if hanCount(n.runes) >= 2 {
			labels = append(labels, n)
		}
	}
	left := func(m, n *line) bool { return m.box.X1 <= n.box.X0 }
	// candidate offsets, each with the lines of amounts that fit it
	var offs []int
	for _, n := range amounts {
		for _, m := range labels {
			if left(m, n) && abs(cy(n)-cy(m)) <= 3*lh/2 {
				offs = append(offs, cy(n)-cy(m))
			}
		}
	}
	pairing := func(off int) map[*line]*line {
		out := map[*line]*line{}
		for _, m := range labels {
			var best *line
			for _, n := range amounts {
				if left(m, n) && abs(cy(n)-cy(m)-off) <= lh/6 && (best == nil || abs(cy(n)-cy(m)-off) < abs(cy(best)-cy(m)-off)) {
					best = n
				}
			}
			if best != nil {
				out[m] = best
			}
		}
		return out
	}
	type cand struct {
		off int
		pr  map[*line]*line
	}
	var cands []cand
	sort.Ints(offs)
	for _, o := range offs {
		if abs(o) <= lh/6 {
			continue // the rows line up: the usual readings found what there is
		}
		if len(cands) > 0 && o-cands[len(cands)-1].off <= lh/3 {
			continue // the offsets are sorted: one near the last candidate is the same offset
		}
		if pr := pairing(o); len(pr) >= 3 {
			cands = append(cands, cand{o, pr})
		}
	}
	var pick *cand
	switch {
	case len(cands) == 1:
		pick = &cands[0]
	case len(cands) > 1:
		for i := range cands {
			if sumsHold(labels, cands[i].pr) {
				if pick != nil {
					return nil // two offsets whose sums hold: the page does not tell
				}
				pick = &cands[i]
			}
		}
	}
	if pick == nil {
		return nil
	}
	return pick.pr
}

// sumsHold reports whether, with the amounts paired to the labels, some row of a total (合计, 总计)
// is the sum of the two rows or more right above it (up to a row without an amount or another
// total), to the fen of each row.
func sumsHold(labels []*line, pr map[*line]*line) bool {
	ls := slices.Clone(labels)
	sort.Slice(ls, func(i, j int) bool { return ls[i].box.Y0 < ls[j].box.Y0 })
	amount := func(l *line) (float64, bool) {
		n, ok := pr[l]
		if !ok {
			return 0, false
		}
		return normalize.AmountIn(fixThousands(strings.TrimSpace(n.text)), 1)
	}
	for i, l := range ls {
		if !strings.Contains(l.text, "合计") && !strings.Contains(l.text, "总计") {
			continue
		}
		total, ok := amount(l)
		if !ok {
			continue
		}
		sum, k := 0.0, 0
		for j := i - 1; j >= 0; j-- {
			v, ok := amount(ls[j])
			if !ok || strings.Contains(ls[j].text, "合计") || strings.Contains(ls[j].text, "总计") {
				break
			}
			sum += v
			k++
		}
		if k >= 2 && math.Abs(sum-total) <= 0.01*float64(k)+0.01 {
			return true
		}
	}
	return false
}

// statementValue reads a financial statement row: the label, then (after its 行次) its amounts, of
// which it takes the current-period column. Where the header's cells stand over the row's, the
// column is chosen by geometry (any column order; a 行次 or 附注 column is never an amount);
// otherwise by the order of the header's amount columns. A lone small number where an amount is
// due is a 行次 whose amounts were not read, not an amount.
func (d *document) statementValue(lb label) (string, evidence, bool) {
	for _, h := range d.findLabel(lb) {
		from, _ := h.valueStart()
		l := h.l
		toks := rowNumbers(l, from)
		if onlyIndexes(toks) {
			// a row's amounts are on its row, further right, when the reader boxed them apart
			for _, n := range d.rightOf(h, false) {
				if ts := rowNumbers(n, 0); !onlyIndexes(ts) {
					toks, l = ts, n
					break
				}
			}
		}
		if len(toks) == 0 {
			// the row wrapped: its amounts begin the line below (资产总计 | 23892725.28 23175943.52)
			if bl := d.below(h); len(bl) > 0 {
				if ts := rowNumbers(bl[0], 0); len(ts) > 0 && !onlyIndexes(ts) && bl[0].box.Y0-h.l.box.Y1 < 2*h.l.box.H() {
					toks, l = ts, bl[0]
				}
			}
		}
		if len(toks) == 0 {
			// a photo taken at an angle: the amount column sits lower or higher than its labels
			if n := d.amountAtOffset(h); n != nil {
				toks, l = rowNumbers(n, 0), n
			}
		}
		if len(toks) == 0 || onlyIndexes(toks) {
			continue // 行次 alone: the amounts were not read
		}
		head := d.statementHeader(h.l)
		t, ok := byHead(l, toks, head)
		if !ok {
			col, lineNo := currentColumn(head)
			if len(toks) >= 2 && smallIntRE.MatchString(toks[0].text) && (lineNo || len(toks) >= 3) {
				toks = toks[1:]
			}
			t = toks[min(col, len(toks)-1)]
		}
		if strings.Contains(t.text, ",") && !groupedRE.MatchString(fixThousands(t.text)) {
			continue // a digit lost or a group cut short (1,626,8.80, 3,162,): a misread, not a value
		}
		unit := d.pageUnit(l.page)
		for _, c := range head {
			if c.wan && c.kind == "current" {
				unit = 10000 // the amount column's head gives the unit
			}
		}
		v, ok := normalize.AmountIn(fixThousands(t.text), unit)
		if !ok && strings.Trim(t.text, "-—–") == "" {
			v, ok = 0, true // a dash: nothing, in a statement
		}
		if !ok {
			continue
		}
		if strings.HasPrefix(t.text, "(") {
			v = -v
		}
		ev := l.span(t.from, t.to)
		if h.dist > 0 {
			ev.conf *= 0.9
		}
		return normalize.FormatNumber(v), ev, true
	}
	return "", evidence{}, false
}

// byHead picks the row's amount that stands under the header's current-period cell. It reports
// false when the header does not tell: no header, no current column, or no amount under it.
func byHead(l *line, toks []token, head []headCell) (token, bool) {
	hasCurrent := false
	for _, c := range head {
		hasCurrent = hasCurrent || (c.kind == "current" && !c.box.Empty())
	}
	if !hasCurrent {
		return token{}, false
	}
	// The geometry tells only when every amount stands under a cell of its own that names a column.
	var cur []token
	used := map[int]bool{}
	for _, t := range toks {
		i := underHeadIndex(head, l.span(t.from, t.to).box)
		if i < 0 || head[i].kind == "" || used[i] {
			return token{}, false
		}
		used[i] = true
		if head[i].kind == "current" {
			cur = append(cur, t)
		}
	}
	if len(cur) == 0 {
		return token{}, false
	}
	return cur[0], true
}

// groupedRE is an amount whose digits are grouped by thousands as printed.
var groupedRE = regexp.MustCompile(`^-?\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?$`)

// fixThousands reads "10.102.709.34" (dots misread for commas) as 10,102,709.34.
func fixThousands(s string) string {
	s = strings.Trim(s, "()")
	if strings.Count(s, ".") > 1 {
		i := strings.LastIndex(s, ".")
		s = strings.ReplaceAll(s[:i], ".", ",") + s[i:]
	}
	return s
}

// onlyIndexes reports whether a row's number cells are all 行次-like small integers (or none).
func onlyIndexes(toks []token) bool {
	for _, t := range toks {
		if !smallIntRE.MatchString(t.text) {
			return false
		}
	}
	return true
}

// headWords are the words that name a statement's columns, for splitting a header cell that a
// reader joined (年初余额期末余额): each starts a column of its own.
var headWords = []string{"期末", "期初", "年初", "年末", "本期", "上期", "本年", "上年", "本月", "行次", "附注"}

// periodWords name a period, periodEnds its end or start (上年年末 is the end of last year).
var (
	periodWords = []string{"上年", "本年", "上期", "本期"}
	periodEnds  = []string{"年末", "年初", "期末", "期初"}
)

// splitHead returns the header cell t of line h as one or more headCells: a cell that names
// several columns is split where each name begins, its box divided in proportion.
func splitHead(h *line, t token) []headCell {
	rs := []rune(t.text)
	var starts []int
	for i := range rs {
		for _, w := range headWords {
			if strings.HasPrefix(string(rs[i:]), w) {
				// 上年年末, 本期期末: a period's end or start qualifies the period before it; it
				// starts no column of its own.
				if n := len(starts); n > 0 && starts[n-1] == i-2 && slices.Contains(periodWords, string(rs[i-2:i])) && slices.Contains(periodEnds, w) {
					break
				}
				starts = append(starts, i)
				break
			}
		}
	}
	box := h.span(t.from, t.to).box
	if len(starts) <= 1 || box.Empty() {
		return []headCell{{kind: columnHead(t.text), box: box, wan: strings.Contains(t.text, "万元")}}
	}
	starts[0] = 0
	var out []headCell
	for k, s := range starts {
		e := len(rs)
		if k+1 < len(starts) {
			e = starts[k+1]
		}
		part := string(rs[s:e])
		b := box
		b.X0 = box.X0 + box.W()*s/len(rs)
		b.X1 = box.X0 + box.W()*e/len(rs)
		out = append(out, headCell{kind: columnHead(part), box: b, wan: strings.Contains(part, "万元")})
	}
	return out
}

// serviceBalanceRE is the balance of a special audit told in a sentence (服务收支结余146.93万元).
var serviceBalanceRE = regexp.MustCompile(`收支结余(?:为|是)?[:：]?[ ]*(-?\d[\d,]*(?:\.\d+)?[ ]*万?元)`)

// serviceBalance holds a special audit's totals to its sum, 服务收入 − 服务支出 = 服务收支结余: a
// total that was not read is the other and the balance's difference; a total read with digits lost
// at its start (2652241.12 for 12652241.12) is that difference, when the difference ends in the
// digits read, and so is one read below nothing or at a thousandth of it (a figure lost but a digit). Either is reasoned, not read, so below the threshold of certainty. Totals that
// break the sum otherwise are flagged inconsistent.
func serviceBalance(d *document, fs *fieldSet) {
	bal, ev, ok := d.statementValue(lbl("服务收支结余", "收支结余", "服务结余"))
	if !ok {
		t, tev, found := d.flowFind(serviceBalanceRE, 1)
		v, vok := normalize.Amount(t)
		if !found || !vok {
			return
		}
		bal, ev = normalize.FormatNumber(v), tev
		if strings.HasPrefix(strings.TrimSpace(t), "-") {
			bal = "-" + bal
		}
	}
	b, err := strconv.ParseFloat(bal, 64)
	if err != nil {
		return
	}
	rev, okR := fs.number("service_revenue_yuan")
	exp, okE := fs.number("service_expense_yuan")
	fs.holdToSum(sumTerm{name: "service_revenue_yuan", v: rev, ok: okR}, sumTerm{name: "service_expense_yuan", v: exp, ok: okE},
		sumTerm{v: b, ok: true, ev: ev})
}
