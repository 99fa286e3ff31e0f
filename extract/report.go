package extract

import (
	"regexp"
	"slices"
	"sort"
	"strings"

	"shenbao/doc"
	"shenbao/extract/normalize"
)

// ---- the application report ----

var (
	staffRE     = regexp.MustCompile(`(?:从事为?中小企业服务的?|服务)人员(?:总数)?(?:为|有|共|共有|达)?[ ]*(\d+)[ ]*(?:人|名)`)
	qualifiedRE = regexp.MustCompile(`(?:专业人员|专业技术人员|职称人员)(?:为|有|共|达)?[ ]*(\d+)[ ]*(?:人|名)`)
	yearSmesRE  = regexp.MustCompile(`((?:19|20)\d{2})[ ]*年(?:度)?[^。；\n\d]{0,10}?服务(?:中小企业|企业)(?:数量)?(?:为|达|达到|共)?[ ]*(\d+)[ ]*家`)
	yearCountRE = regexp.MustCompile(`((?:19|20)\d{2})[ ]*年(?:度)?(?:的|为|是|共)?[ ]*(\d+)[ ]*家`)
	yearRowRE   = regexp.MustCompile(`^((?:19|20)\d{2})[ ]*年?度?\s+(\d+)(?:\s|$)`)
	satisfyRE   = regexp.MustCompile(`满意度(?:为|达到|达|是)?[:：]?[ ]*(\d+(?:\.\d+)?)[ ]*%`)
	partnerRE   = regexp.MustCompile(`(?:集聚|聚集|整合|引进)[^。；\n]{0,60}?机构(?:数量)?(?:为|达|共)?[ ]*(\d+)[ ]*(?:家|个)`)
	shareRE     = regexp.MustCompile(`(?:公益性|低收费)[^。；\n]{0,40}?(?:占服务总量的?|占比|比例|比重|占)(?:为|达|达到|是)?[ ]*(\d+(?:\.\d+)?)[ ]*%`)
	eventsRE    = regexp.MustCompile(`(?:共|累计|全年)[^。；，,\n]{0,12}?(?:开展|组织|举办)[^。；，,\n]{0,10}?活动[ ]*(\d+)[ ]*(?:次|场)`)
	traineesRE  = regexp.MustCompile(`(?:累计|全年|共)[^。；，,\n]{0,10}?培训[^。；，,\n\d]{0,10}?(\d+)[ ]*人次`)
)

// flowInt reads group 1 of re as an integer field.
func (d *document) flowInt(fs *fieldSet, name string, re *regexp.Regexp) {
	if v, ev, ok := d.flowFind(re, 1); ok {
		if n, ok := normalize.Integer(v); ok {
			fs.set(name, itoa(n), ev)
		}
	}
}

// flowPct reads group 1 of re as a percentage field.
func (d *document) flowPct(fs *fieldSet, name string, re *regexp.Regexp) {
	if v, ev, ok := d.flowFind(re, 1); ok {
		if p, ok := normalize.Percent(v + "%"); ok && p >= 0 && p <= 100 {
			fs.set(name, normalize.FormatNumber(p), ev)
		}
	}
}

// headerValue reads a table printed as a row of headers over a row of values: the value under the
// header cell that holds kw.
func (d *document) headerValue(kw string, p parser) (string, evidence, bool) {
	for _, l := range d.lines {
		cells := strings.Fields(l.text)
		col := -1
		for i, c := range cells {
			if contains([]rune(c), kw) {
				col = i
				break
			}
		}
		if col < 0 {
			continue
		}
		ls := d.pageLines(l.page)
		for i, n := range ls {
			if n != l || i+1 >= len(ls) {
				continue
			}
			next := ls[i+1]
			vcells := strings.Fields(next.text)
			if len(vcells) != len(cells) {
				continue
			}
			// rune offset of cell col in next
			off := 0
			for j := 0; j < col; j++ {
				off += len([]rune(vcells[j])) + 1
			}
			if v, ev, ok := p(next, off, ""); ok {
				return v, ev, true
			}
		}
	}
	return "", evidence{}, false
}

func pInt(l *line, from int, _ string) (string, evidence, bool) {
	c, s, e := cell(l, from)
	if n, ok := normalize.Integer(c); ok && n >= 0 {
		return itoa(n), l.span(s, e), true
	}
	return "", evidence{}, false
}

func pPct(l *line, from int, _ string) (string, evidence, bool) {
	c, s, e := cell(l, from)
	if v, ok := normalize.Percent(c); ok && v >= 0 && v <= 100 {
		return normalize.FormatNumber(v), l.span(s, e), true
	}
	return "", evidence{}, false
}

func readReport(d *document, fs *fieldSet, _ Options) {
	if v, ev, ok := d.lookupOrg(lbOrgName, pOrgStrict); ok {
		fs.set("org_name", v, ev)
	}
	readCreditCode(d, fs)
	if v, ev, ok := d.lookup(lbLegalRep, pPerson); ok {
		fs.set("legal_representative", v, ev)
	}
	if v, ev, ok := d.lookup(lbEstablished, pDate); ok {
		fs.set("established_date", v, ev)
	}
	if v, ev, ok := d.lookup(lbTotalAssets, d.pAmountPaged); ok {
		fs.set("total_assets_yuan", v, ev)
	}
	// Each figure as the regulation's sentence gives it, else from a table of headers over values.
	for _, x := range reportSentences {
		if x.pct {
			d.flowPct(fs, x.field, x.re)
		} else {
			d.flowInt(fs, x.field, x.re)
		}
		if !fs.has(x.field) {
			if v, ev, ok := d.headerValue(x.head, x.p); ok {
				fs.set(x.field, v, ev)
			}
		}
	}
	readSmesByYear(d, fs)
	d.flowInt(fs, "service_events_last_year", eventsRE)
	d.flowInt(fs, "trainees_last_year", traineesRE)
	// The same phrases read approximately, for OCR that misread a character of them.
	d.intAfter(fs, "staff_total", []string{"为中小企业服务的人员", "服务人员"}, 4, "人", "名")
	d.intAfter(fs, "staff_qualified", []string{"技术职称专业人员", "专业技术人员", "专业人员"}, 3, "人", "名")
	d.pctAfter(fs, "satisfaction_pct", []string{"用户满意度", "满意度"}, 4)
	d.intAfter(fs, "partner_institutions", []string{"服务机构"}, 3, "家", "个")
	d.pctAfter(fs, "public_service_share_pct", []string{"服务总量", "公益性服务", "低收费服务"}, 6)
	// The counts in other words: a clause that names the thing counted and gives its number and
	// unit (在职员工25人, 合作金融机构6家, 全年举办讲座、对接会等活动32场, 全年培训学员1,020人次).
	f := d.flow()
	for _, fig := range reportFigures {
		if fs.has(fig.field) {
			continue
		}
		if n, from, to, ok := clauseFigure(f.text, fig); ok {
			fs.set(fig.field, itoa(n), f.evidence(d, from, to))
		}
	}
	for _, x := range reportLabels {
		if fs.has(x.field) {
			continue
		}
		if v, ev, ok := d.lookup(x.lb, x.p); ok {
			fs.set(x.field, v, ev)
		}
	}
	for _, x := range reportTerms {
		if fs.has(x.field) {
			continue
		}
		if v, ev, ok := d.lookupByTerms(x.terms, x.units, x.p); ok {
			fs.set(x.field, v, ev)
		}
	}
	table := readFunctionTable(d, fs)
	if !table {
		readFunctions(d, fs) // a row of check boxes (☑信息服务 □技术服务…), without figures
	}
	described, dev := readFunctionParagraphs(d, fs)
	if !table {
		preferDescribed(fs, described, dev)
	}
	readSeal(d, fs)
}

// readSmesByYear reads the SMEs served per year — from sentences, read exactly then
// approximately, and from the year rows of the table — and sets the latest year and the one before.
func readSmesByYear(d *document, fs *fieldSet) {
	byYear := map[int64]yearCount{}
	vs, evs := d.flowFindAll(yearSmesRE, 0)
	for i, v := range vs {
		m := yearSmesRE.FindStringSubmatch(v)
		y, _ := normalize.Integer(m[1])
		n, ok := normalize.Integer(m[2])
		if _, dup := byYear[y]; ok && !dup {
			byYear[y] = yearCount{n, evs[i]}
		}
	}
	// 较2022年的119家: a year and a count of 家 in a sentence about the SMEs served
	f := d.flow()
	for _, sent := range regexp.MustCompile(`[^。；;\n]+`).FindAllStringIndex(f.text, -1) {
		t := f.text[sent[0]:sent[1]]
		if !strings.Contains(t, "服务") || !strings.Contains(t, "企业") || strings.Contains(t, "机构") {
			continue
		}
		for _, m := range yearCountRE.FindAllStringSubmatchIndex(t, -1) {
			y, _ := normalize.Integer(t[m[2]:m[3]])
			n, ok := normalize.Integer(t[m[4]:m[5]])
			if _, dup := byYear[y]; ok && !dup {
				byYear[y] = yearCount{n, f.evidence(d, sent[0]+m[4], sent[0]+m[5])}
			}
		}
	}
	for y, c := range d.yearCounts() {
		if _, dup := byYear[y]; !dup {
			byYear[y] = c
		}
	}
	for _, l := range d.lines {
		if m := yearRowRE.FindStringSubmatchIndex(l.text); m != nil {
			y, _ := normalize.Integer(l.text[m[2]:m[3]])
			n, _ := normalize.Integer(l.text[m[4]:m[5]])
			if _, dup := byYear[y]; !dup {
				byYear[y] = yearCount{n, l.spanBytes(m[4], m[5])}
			}
		}
	}
	var last int64
	for y := range byYear {
		last = max(last, y)
	}
	if last == 0 {
		return
	}
	fs.set("smes_served_last_year", itoa(byYear[last].n), byYear[last].ev)
	if p, ok := byYear[last-1]; ok {
		fs.set("smes_served_prior_year", itoa(p.n), p.ev)
	}
}

// readSeal records has_seal from the seals the reader found; when a page could not show a seal
// (no colour) and none was found, whether there is one is unknown and nothing is recorded.
func readSeal(d *document, fs *fieldSet) {
	unknown := false
	for pi, p := range d.pages {
		num := p.Number
		if num == 0 {
			num = pi + 1
		}
		if len(p.Seals) > 0 {
			fs.set("has_seal", "true", evidence{page: num, box: p.Seals[0], conf: 0.9, text: "公章"})
			return
		}
		if p.SealUnknown {
			unknown = true
		}
	}
	if !unknown && len(d.pages) > 0 {
		fs.set("has_seal", "false", evidence{conf: 0.7})
	}
}

// reportFigures are the application report's counts as its sentences give them, in other words
// than the regulation's (see figure).
var reportFigures = []figure{
	{field: "staff_total", keys: []string{"服务人员", "从业人员", "工作人员", "员工", "职工", "专职人员", "服务团队"}, units: []string{"人", "名"}},
	{field: "staff_qualified", keys: []string{"专业人员", "专业技术人员", "中级及以上", "大专及以上", "本科及以上", "职称"}, units: []string{"人", "名"}},
	{field: "partner_institutions", keys: []string{"机构"}, units: []string{"家", "个"},
		ctx: []string{"集聚", "聚集", "整合", "引进", "合作", "签约", "入驻", "联合"}},
	{field: "service_events_last_year", keys: []string{"活动", "讲座", "对接会", "培训班", "论坛"}, units: []string{"次", "场"},
		ctx: []string{"全年", "累计", "共", "年度", "合计"}},
	{field: "trainees_last_year", keys: []string{"培训"}, units: []string{"人次"}, ctx: []string{"全年", "累计", "共", "年度", "合计"}},
}

// reportLabels are the report's figures as a form prints them: a label, its value beside or under it.
var reportLabels = []struct {
	field string
	lb    label
	p     parser
}{
	{"staff_total", lbl("服务人员数", "从业人员数", "从业人数", "服务人员总数", "员工总数", "职工人数", "人员总数"), pInt},
	{"staff_qualified", lbl("专业人员数", "专业技术人员数", "专业人员"), pInt},
	{"partner_institutions", lbl("集聚服务机构数", "集聚服务机构", "合作服务机构数", "合作机构数"), pInt},
	{"satisfaction_pct", lbl("用户满意度", "服务满意度", "满意度", "满意率"), pPct},
	{"public_service_share_pct", lbl("公益性服务占比", "低收费服务占比", "公益性或低收费服务占比", "公益性服务比例"), pPct},
	{"service_events_last_year", lbl("服务活动次数", "年服务活动", "活动场次"), pInt},
	{"trainees_last_year", lbl("培训人次", "年培训人次", "培训人数"), pInt},
}

// reportTerms name the report's figures by what their labels speak of, for the labels the lexicon
// lacks (合作服务机构（家）, 集聚各类服务机构（家）, 组织服务活动（次）, 公益性（低收费）服务比例): a
// form's label cell that holds one of the terms and says its unit or that it is a count or a share.
var reportTerms = []struct {
	field string
	terms []string
	units []string
	p     parser
}{
	{"partner_institutions", []string{"机构"}, []string{"家", "个"}, pInt},
	{"service_events_last_year", []string{"活动"}, []string{"次", "场"}, pInt},
	{"trainees_last_year", []string{"培训", "参训", "学员"}, []string{"人次"}, pInt},
	{"public_service_share_pct", []string{"公益", "低收费"}, []string{"%"}, pPct},
}

// lookupByTerms is lookup for the first label cell of the document that holds one of terms and
// reads as a figure's label: with one of units in brackets, or ending in 数, 比例 or 占比.
func (d *document) lookupByTerms(terms, units []string, p parser) (string, evidence, bool) {
	isLabel := func(t string) bool {
		n := len([]rune(t))
		if n < 4 || n > 20 || hanShare(t) < 0.6 || strings.ContainsAny(t, "0123456789，。；,;") {
			return false
		}
		if !slices.ContainsFunc(terms, func(k string) bool { return strings.Contains(t, k) }) {
			return false
		}
		counted := strings.HasSuffix(t, "数") || strings.HasSuffix(t, "比例") || strings.HasSuffix(t, "占比")
		for _, u := range units {
			counted = counted || strings.HasSuffix(t, "("+u+")")
		}
		return counted
	}
	for _, l := range d.lines {
		for _, c := range lineCells(l) {
			t := normalize.Fold(c.text)
			if isLabel(t) {
				if v, ev, ok := d.lookup(lbl(c.text), p); ok {
					return v, ev, true
				}
				continue
			}
			// A label cell wrapped over two lines (集聚各类服务机构 / （家）), its value beside
			// them: the label is both lines, and its value the first figure right of them.
			cb := l.span(c.from, c.to).box
			if under, ub, ok := d.cellUnder(l, cb); ok && isLabel(t+normalize.Fold(under)) {
				if v, ev, ok := d.valueBeside(l.page, cb.Union(ub), p); ok {
					return v, ev, true
				}
			}
		}
	}
	return "", evidence{}, false
}

// cellUnder returns the short cell (eight characters at most, no digit) just under box b that
// begins at b's left edge or is centred under it: the rest of a label that its cell wrapped.
func (d *document) cellUnder(l *line, b doc.Box) (string, doc.Box, bool) {
	if b.Empty() {
		return "", doc.Box{}, false
	}
	h := b.H()
	for _, idx := range d.byPage[l.page] {
		o := d.lines[idx]
		if o == l || o.box.Empty() || o.box.Y0 < b.Y0+h/2 || o.box.Y0-b.Y1 > h {
			continue
		}
		for _, c := range lineCells(o) {
			ob := o.span(c.from, c.to).box
			if ob.Empty() || (abs(ob.X0-b.X0) > h && abs((ob.X0+ob.X1)-(b.X0+b.X1)) > 2*h) || ob.X0 < b.X0-h || ob.X1 > b.X1+h {
				continue
			}
			if rs := []rune(c.text); len(rs) <= 8 && !strings.ContainsAny(c.text, "0123456789") {
				return c.text, ob, true
			}
		}
	}
	return "", doc.Box{}, false
}

// valueBeside returns the value (parser p) of the first cell right of box b, on page, whose line
// stands at b's height: its middle between b's top and bottom.
func (d *document) valueBeside(page int, b doc.Box, p parser) (string, evidence, bool) {
	type at struct {
		l    *line
		from int
		x0   int
	}
	var cands []at
	for _, idx := range d.byPage[page] {
		o := d.lines[idx]
		if cy := (o.box.Y0 + o.box.Y1) / 2; o.box.Empty() || cy <= b.Y0 || cy >= b.Y1 {
			continue
		}
		for _, c := range lineCells(o) {
			if cb := o.span(c.from, c.to).box; !cb.Empty() && cb.X0 >= b.X1-2 {
				cands = append(cands, at{o, c.from, cb.X0})
				break
			}
		}
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].x0 < cands[j].x0 })
	for _, c := range cands {
		if v, ev, ok := p(c.l, c.from, ""); ok {
			return v, ev, true
		}
		break // the nearest cell is the value's, or there is none
	}
	return "", evidence{}, false
}

// reportSentences are the report's figures in the regulation's own words (第十二条), with the table
// header that gives each when a form prints them in a table instead.
var reportSentences = []struct {
	field string
	re    *regexp.Regexp
	pct   bool
	head  string
	p     parser
}{
	{"staff_total", staffRE, false, "人员总数", pInt},
	{"staff_qualified", qualifiedRE, false, "专业人员", pInt},
	{"satisfaction_pct", satisfyRE, true, "满意度", pPct},
	{"partner_institutions", partnerRE, false, "集聚服务机构", pInt},
	{"public_service_share_pct", shareRE, true, "公益性服务", pPct},
}
