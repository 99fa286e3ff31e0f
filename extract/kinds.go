package extract

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"shenbao/extract/normalize"
)

// ---- audit reports ----

var (
	yearEndRE   = regexp.MustCompile(`((?:19|20)\d{2})[ ]*(?:年[ ]*12[ ]*月[ ]*31[ ]*日|[-./]12[-./]31)`)
	fiscalRE    = regexp.MustCompile(`((?:19|20)\d{2})[ ]*年度`)
	firmRE      = regexp.MustCompile(`([^\s:：，,。、“”"]{2,30}?会计师事务所(?:[ ]?\([^)]{2,12}\)|有限责任公司|有限公司)?)`)
	addresseeRE = regexp.MustCompile(`^(.{4,40}?)(?:全体股东|全体出资人|全体投资者|董事会|理事会|全体会员)?:$`)
	auditedRE   = regexp.MustCompile(`我们审计了(.{4,40}?)(?:\(以下简称|财务报表|的财务)`)
)

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
			m := firmRE.FindStringSubmatchIndex(l.text)
			if m == nil {
				continue
			}
			v := normalize.Name(l.text[m[2]:m[3]])
			if pass == 0 && normalize.Key(v) != normalize.Key(l.text) {
				continue
			}
			fs.set("audit_firm", v, l.spanBytes(m[2], m[3]))
			break
		}
	}
	if v, ev, ok := d.flowFind(yearEndRE, 1); ok {
		fs.set("audit_year", v, ev)
	} else if v, ev, ok := d.flowFind(fiscalRE, 1); ok {
		fs.set("audit_year", v, ev)
	}
	readOpinion(d, fs)

	if v, ev, ok := d.statementValue(lbl("资产总计", "资产合计", "资产总额")); ok {
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
}

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
		if !amountTokenRE.MatchString(t) {
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

// currentColumn finds the header above l on its page and returns which amount column holds the
// current period (期末余额 / 本期金额 / 本年累计数) and whether the header has a 行次 column.
func (d *document) currentColumn(l *line) (col int, lineNo bool) {
	ls := d.pageLines(l.page)
	for i := len(ls) - 1; i >= 0; i-- {
		h := ls[i]
		if h.index >= l.index {
			continue
		}
		var kinds []string
		for _, c := range strings.Fields(h.text) {
			k := columnKind(c)
			if k == "" {
				if strings.Contains(c, "行次") {
					lineNo = true
				}
				continue
			}
			if len(kinds) > 0 && k == kinds[0] {
				break // the right half of a two-sided statement repeats the columns
			}
			kinds = append(kinds, k)
		}
		if len(kinds) == 0 {
			continue
		}
		for j, k := range kinds {
			if k == "current" {
				return j, lineNo
			}
		}
		return 0, lineNo
	}
	return 0, false
}

var unitWanRE = regexp.MustCompile(`单位[:：(（]?(?:人民币)?万元`)

// pageUnit is 10000 when the page says its amounts are in 万元 (单位：万元).
func (d *document) pageUnit(page int) float64 {
	for _, l := range d.pageLines(page) {
		if unitWanRE.MatchString(string(l.dense)) {
			return 10000
		}
	}
	return 1
}

var smallIntRE = regexp.MustCompile(`^\d{1,3}$`)

// statementValue reads a financial statement row: the label, then (after its 行次) its amounts, of
// which it takes the current-period column.
func (d *document) statementValue(lb label) (string, evidence, bool) {
	for _, h := range d.findLabel(lb) {
		from, _ := h.valueStart()
		l := h.l
		toks := rowNumbers(l, from)
		if len(toks) == 0 {
			for _, n := range d.rightOf(h) { // a row's amounts are on its row
				if toks = rowNumbers(n, 0); len(toks) > 0 {
					l = n
					break
				}
			}
		}
		col, lineNo := d.currentColumn(h.l)
		if len(toks) >= 2 && smallIntRE.MatchString(toks[0].text) && (lineNo || len(toks) >= 3) {
			toks = toks[1:]
		}
		if len(toks) == 0 {
			continue
		}
		t := toks[min(col, len(toks)-1)]
		if strings.Contains(t.text, ",") && !groupedRE.MatchString(fixThousands(t.text)) {
			continue // a digit lost or a group cut short (1,626,8.80, 3,162,): a misread, not a value
		}
		v, ok := normalize.AmountIn(fixThousands(t.text), d.pageUnit(l.page))
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

// ---- leases and property certificates ----

var (
	situatedRE = regexp.MustCompile(`(?:坐落于|坐落在|位于)([^，。；,;:：\n]{4,80}?)(?:的房屋|的房产|的商铺|的写字楼|的办公|的厂房|的房|房屋|\(以下|，|。)`)
	areaRE     = regexp.MustCompile(`(宗地|土地|占地|分摊|套内|建筑|使用|租赁|出租|房屋)?面积(?:为|是|共|约|合计|共计)?[:：]?[ ]*(\d[\d,]*(?:\.\d+)?)[ ]*(?:平方米|平米|平方|㎡|m2|m²|M2)`)
)

// findArea returns the building area in text: 建筑面积 before 使用/租赁面积 before a bare 面积;
// land areas (宗地, 土地, 占地, 分摊) are not premises.
func (d *document) findArea() (string, evidence, bool) {
	f := d.flow()
	best, bestScore := -1, 0
	ms := areaRE.FindAllStringSubmatchIndex(f.text, -1)
	for i, m := range ms {
		score := 1
		if m[2] >= 0 {
			switch f.text[m[2]:m[3]] {
			case "建筑":
				score = 3
			case "宗地", "土地", "占地", "分摊":
				score = 0
			default:
				score = 2
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return "", evidence{}, false
	}
	m := ms[best]
	v, ok := normalize.Area(f.text[m[4]:m[5]])
	if !ok {
		return "", evidence{}, false
	}
	return normalize.FormatNumber(v), f.evidence(d, m[4], m[1]), true
}

func readLease(d *document, fs *fieldSet, _ Options) {
	// The parties as introduced at the head of the contract, else as they sign at its foot.
	lessor := label{alts: []string{"出租方", "出租人", "甲方"}, skip: []string{"盖章", "签字", "签章"}, atStart: true}
	lessee := label{alts: []string{"承租方", "承租人", "乙方"}, skip: []string{"盖章", "签字", "签章"}, atStart: true}
	for pass := 0; pass < 2; pass++ {
		if v, ev, ok := d.lookupOrg(lessor, pParty); ok {
			fs.set("lessor", v, ev)
		}
		if v, ev, ok := d.lookupOrg(lessee, pParty); ok {
			fs.set("lessee", v, ev)
			fs.set("org_name", v, ev)
		}
		lessor.skip, lessee.skip = nil, nil
	}
	if v, ev, ok := d.flowFind(situatedRE, 1); ok && hanShare(v) > 0.5 {
		fs.set("premises_address", normalize.Name(v), ev)
	} else if v, ev, ok := d.lookupAddress(lbl("房屋坐落", "坐落地址", "房屋地址", "租赁地址", "坐落", "地址")); ok {
		fs.set("premises_address", v, ev)
	}
	if v, ev, ok := d.findArea(); ok {
		fs.set("premises_area_m2", v, ev)
	}
	// The term: the first two dates after 租赁期限 (read approximately), joined by 至.
	f := d.flow()
	rs, bo := f.runes()
	var starts []int
	for _, kw := range []string{"租赁期限", "租赁期间", "租期", "期限"} {
		p := []rune(kw)
		for _, h := range approxFind(rs, p, maxErrors(len(p))) {
			starts = append(starts, h.end)
		}
	}
	sort.Ints(starts)
	for _, st := range starts {
		from := bo[st]
		end := min(len(f.text), from+240)
		seg := f.text[from:end]
		var ds []normalize.DateMatch
		for _, m := range normalize.FindDates(seg) {
			if m.Value != normalize.LongTerm {
				ds = append(ds, m)
			}
		}
		if len(ds) < 2 || !strings.ContainsAny(seg[ds[0].End:ds[1].Start], "至到-~—～") {
			continue
		}
		fs.set("lease_start", ds[0].Value, f.evidence(d, from+ds[0].Start, from+ds[0].End))
		fs.set("lease_end", ds[1].Value, f.evidence(d, from+ds[1].Start, from+ds[1].End))
		break
	}
}

func readProperty(d *document, fs *fieldSet, _ Options) {
	if v, ev, ok := d.lookupOrg(lbl("权利人", "房屋所有权人", "所有权人", "产权人", "土地使用权人"), pParty); ok {
		fs.set("org_name", v, ev)
		fs.set("lessee", v, ev)
	}
	if v, ev, ok := d.lookupAddress(lbl("坐落", "房屋坐落", "坐落地址", "房地坐落")); ok {
		fs.set("premises_address", v, ev)
	}
	if v, ev, ok := d.findArea(); ok {
		fs.set("premises_area_m2", v, ev)
	} else if v, ev, ok := d.headerValue("建筑面积", pArea); ok {
		fs.set("premises_area_m2", v, ev) // 房屋所有权证: a table, 建筑面积(㎡) over its value
	}
}

func pArea(l *line, from int, _ string) (string, evidence, bool) {
	c, s, e := cell(l, from)
	if v, ok := normalize.Area(c); ok && v > 0 {
		return normalize.FormatNumber(v), l.span(s, e), true
	}
	return "", evidence{}, false
}

// ---- the application report ----

var (
	staffRE     = regexp.MustCompile(`(?:从事为?中小企业服务的?|服务)人员(?:总数)?(?:为|有|共|共有|达)?[ ]*(\d+)[ ]*(?:人|名)`)
	qualifiedRE = regexp.MustCompile(`(?:专业人员|专业技术人员|职称人员)(?:为|有|共|达)?[ ]*(\d+)[ ]*(?:人|名)`)
	yearSmesRE  = regexp.MustCompile(`((?:19|20)\d{2})[ ]*年(?:度)?[^。；\n\d]{0,10}?服务(?:中小企业|企业)(?:数量)?(?:为|达|达到|共)?[ ]*(\d+)[ ]*家`)
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

var lbApplicant = lbl("单位名称", "申报单位名称", "申报单位", "企业名称", "机构名称")

func readReport(d *document, fs *fieldSet, _ Options) {
	if v, ev, ok := d.lookupOrg(lbApplicant, pOrgStrict); ok {
		fs.set("org_name", v, ev)
	}
	readCreditCode(d, fs)
	if v, ev, ok := d.lookup(lbLegalRep, pPerson); ok {
		fs.set("legal_representative", v, ev)
	}
	if v, ev, ok := d.lookup(lbEstablished, pDate); ok {
		fs.set("established_date", v, ev)
	}
	if v, ev, ok := d.lookup(lbl("资产总额", "资产总计", "总资产"), d.pAmountPaged); ok {
		fs.set("total_assets_yuan", v, ev)
	}
	d.flowInt(fs, "staff_total", staffRE)
	if !fs.has("staff_total") {
		if v, ev, ok := d.headerValue("人员总数", pInt); ok {
			fs.set("staff_total", v, ev)
		}
	}
	d.flowInt(fs, "staff_qualified", qualifiedRE)
	if !fs.has("staff_qualified") {
		if v, ev, ok := d.headerValue("专业人员", pInt); ok {
			fs.set("staff_qualified", v, ev)
		}
	}
	readSmesByYear(d, fs)
	d.flowPct(fs, "satisfaction_pct", satisfyRE)
	if !fs.has("satisfaction_pct") {
		if v, ev, ok := d.headerValue("满意度", pPct); ok {
			fs.set("satisfaction_pct", v, ev)
		}
	}
	d.flowInt(fs, "partner_institutions", partnerRE)
	if !fs.has("partner_institutions") {
		if v, ev, ok := d.headerValue("集聚服务机构", pInt); ok {
			fs.set("partner_institutions", v, ev)
		}
	}
	d.flowPct(fs, "public_service_share_pct", shareRE)
	if !fs.has("public_service_share_pct") {
		if v, ev, ok := d.headerValue("公益性服务", pPct); ok {
			fs.set("public_service_share_pct", v, ev)
		}
	}
	d.flowInt(fs, "service_events_last_year", eventsRE)
	d.flowInt(fs, "trainees_last_year", traineesRE)
	// The same phrases read approximately, for OCR that misread a character of them.
	d.intAfter(fs, "staff_total", []string{"为中小企业服务的人员", "服务人员"}, 4, "人", "名")
	d.intAfter(fs, "staff_qualified", []string{"技术职称专业人员", "专业技术人员", "专业人员"}, 3, "人", "名")
	d.pctAfter(fs, "satisfaction_pct", []string{"用户满意度", "满意度"}, 4)
	d.intAfter(fs, "partner_institutions", []string{"等服务机构", "集聚服务机构"}, 3, "家", "个")
	d.pctAfter(fs, "public_service_share_pct", []string{"占服务总量的", "占服务总量比例"}, 3)
	d.intAfter(fs, "service_events_last_year", []string{"开展各类服务活动", "各类服务活动"}, 2, "次", "场")
	d.intAfter(fs, "trainees_last_year", []string{"累计培训"}, 3, "人次")
	if !readFunctionTable(d, fs) {
		readFunctions(d, fs)
		readFunctionFigures(d, fs)
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

// functionNames are the five 第十三条 functions as printed.
var functionNames = []struct{ zh, name string }{
	{"信息服务", "information"}, {"技术服务", "technology"}, {"创业服务", "startup"},
	{"培训服务", "training"}, {"融资服务", "financing"},
}

const (
	tickRunes   = "√✓✔☑■●◼▇☒▪"
	boxRunes    = "□☐口○◯▢"
	noMarkRunes = "—-–―×✗✘无否/"
)

// readFunctions reads the functions ticked in a function table (信息服务 √ …) or a row of check
// boxes (□信息服务 √创业服务).
func readFunctions(d *document, fs *fieldSet) {
	ticked := map[string]bool{}
	marked := false
	var ev evidence
	for _, l := range d.lines {
		// A row of check boxes marks each function before its name (□信息服务 √创业服务): there,
		// what follows a name is the next one's box, not a mark of its own.
		prefixed := 0
		for _, fn := range functionNames {
			for _, h := range approxFind(l.dense, []rune(fn.zh), 1) {
				if b := prevRune(l.runes, l.denseAt[h.start]); strings.ContainsRune(tickRunes+boxRunes, b) || b == 'V' || b == 'v' {
					prefixed++
				}
			}
		}
		for _, fn := range functionNames {
			for _, h := range approxFind(l.dense, []rune(fn.zh), 1) {
				s, e := l.denseAt[h.start], l.denseAt[h.end-1]+1
				before, afterR := prevRune(l.runes, s), nextRune(l.runes, e)
				if prefixed >= 2 {
					afterR = 0
				}
				switch {
				case strings.ContainsRune(tickRunes, before) || before == 'V' || before == 'v':
					ticked[fn.name] = true
				case strings.ContainsRune(boxRunes, before):
				case strings.ContainsRune(tickRunes, afterR) || afterR == '是' || afterR == '有' || afterR == 'V' || afterR == 'v':
					ticked[fn.name] = true
				case strings.ContainsRune(noMarkRunes, afterR) || strings.ContainsRune(boxRunes, afterR):
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
	fs.set("functions", strings.Join(sortedKeys(ticked), ","), ev)
}

// functionFigures are the figures each row of the report's 服务功能 table states (doc.Extra fields
// that the 第十三条 checks need): what to look for in the row's description, and its unit.
var functionFigures = map[string][]struct {
	field string
	re    *regexp.Regexp
}{
	"information": {
		{"information_offline_smes", regexp.MustCompile(`线下[^，。；,;\d]{0,8}?(\d+)[ ]*家`)},
		{"information_events", regexp.MustCompile(`活动[ ]*(\d+)[ ]*(?:次|场)`)},
	},
	"technology": {{"technology_events", regexp.MustCompile(`活动[ ]*(\d+)[ ]*(?:次|场)`)}},
	"startup":    {{"startup_events", regexp.MustCompile(`(?:洽谈|推介|路演)[^，。；,;\d]{0,8}?(\d+)[ ]*(?:次|场)`)}},
	"training":   {{"training_trainees", regexp.MustCompile(`培训[^，。；,;\d]{0,6}?(\d+)[ ]*人次`)}},
	"financing": {
		{"financing_matchmaking_events", regexp.MustCompile(`对接[^，。；,;\d]{0,6}?(\d+)[ ]*(?:次|场)`)},
		{"financing_lectures", regexp.MustCompile(`讲座[^，。；,;\d]{0,4}?(\d+)[ ]*(?:次|场)`)},
	},
}

// readFunctionFigures reads the rows of the report's function table whose function is ticked
// (信息服务 √ 线下服务企业127家，…服务活动7次): each row's description, with the lines that continue
// it in the description column, gives the function's own figures.
func readFunctionFigures(d *document, fs *fieldSet) {
	for _, l := range d.lines {
		for _, fn := range functionNames {
			for _, h := range approxFind(l.dense, []rune(fn.zh), 1) {
				s, e := l.denseAt[h.start], l.denseAt[h.end-1]+1
				if s > 3 { // a row begins with its function
					continue
				}
				i := e
				for i < len(l.runes) && l.runes[i] == ' ' {
					i++
				}
				if i >= len(l.runes) || !(strings.ContainsRune(tickRunes, l.runes[i]) || l.runes[i] == '是' || l.runes[i] == 'V' || l.runes[i] == 'v') {
					continue
				}
				// the row's lines: this one from after the tick, then indented continuations
				type part struct {
					l    *line
					from int
				}
				parts := []part{{l, i + 1}}
				for _, idx := range d.byPage[l.page] {
					n := d.lines[idx]
					if n.index <= l.index {
						continue
					}
					if n.box.Empty() || l.box.Empty() || n.box.X0 <= l.box.X0+l.box.H() || startsWithFunction(n) {
						break
					}
					parts = append(parts, part{n, 0})
				}
				for _, fig := range functionFigures[fn.name] {
					for _, p := range parts {
						base := len(string(p.l.runes[:p.from]))
						m := fig.re.FindStringSubmatchIndex(p.l.text[base:])
						if m == nil {
							continue
						}
						if n, ok := normalize.Integer(p.l.text[base+m[2] : base+m[3]]); ok {
							fs.set(fig.field, itoa(n), p.l.spanBytes(base+m[2], base+m[3]))
						}
						break
					}
				}
			}
		}
	}
}

func startsWithFunction(l *line) bool {
	for _, fn := range functionNames {
		if hs := approxFind(l.dense, []rune(fn.zh), 1); len(hs) > 0 && hs[0].start <= 3 {
			return true
		}
	}
	return false
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

// ---- the recommendation form and the declaration ----

var lastGlyphDateRE = regexp.MustCompile(`^((?:\d{4}|[〇零一二三四五六七八九]{4})年(?:\d{1,2}|[一二三四五六七八九十]{1,2})月(?:\d{1,2}|[一二三四五六七八九十]{1,3}))[^日号\d一二三四五六七八九十]$`)

// lastDate returns the last full date printed in the document (a signature date).
func (d *document) lastDate() (string, evidence, bool) {
	for i := len(d.lines) - 1; i >= 0; i-- {
		l := d.lines[i]
		ms := normalize.FindDates(l.text)
		if len(ms) == 0 {
			// a date alone on its line whose 日 was misread (二〇二四年五月八百)
			if m := lastGlyphDateRE.FindStringSubmatch(string(l.dense)); m != nil {
				if v, ok := normalize.Date(m[1] + "日"); ok {
					ev := l.span(0, len(l.runes))
					ev.conf *= 0.8
					return v, ev, true
				}
			}
		}
		for j := len(ms) - 1; j >= 0; j-- {
			if ms[j].Value != normalize.LongTerm {
				return ms[j].Value, l.spanBytes(ms[j].Start, ms[j].End), true
			}
		}
	}
	return "", evidence{}, false
}

func readRecommendation(d *document, fs *fieldSet, _ Options) {
	if v, ev, ok := d.lookupOrg(lbl("申报单位名称", "申报单位", "单位名称", "平台名称"), pOrg); ok {
		fs.set("org_name", v, ev)
	}
	readFunctions(d, fs)
	if v, ev, ok := d.lookup(label{alts: []string{"推荐单位", "推荐部门", "推荐机关"}}, pAuthority); ok {
		fs.set("issuer", fixAuthority(v), ev)
	} else if v, ev, ok := d.lookup(label{alts: []string{"推荐单位", "推荐部门", "推荐机关"}}, pAuthorityStart); ok {
		// signed over the seal, the name wraps or loses its end under the stamp
		v, ev = d.continued(v, ev, looksLikeAuthority, looksLikeAuthority)
		if c, done := completeRecommender(v); done {
			ev.conf *= 0.8
			v = c
		}
		if v = fixAuthority(v); looksLikeAuthority(v) {
			fs.set("issuer", v, ev)
		}
	}
	if iss, iev, date, dev, ok := d.signature(); ok {
		fs.set("issuer", iss, iev) // signed below its opinion, without a label
		fs.set("issue_date", date, dev)
	}
	if v, ev, ok := d.lastDate(); ok {
		fs.set("issue_date", v, ev)
	}
	readSeal(d, fs)
}

// recommenderEndings are the names' endings of the bodies that recommend (第十六条: the 地(市)
// 经济和信息化局 or a park's 管理委员会), as far as the rest can be told from their start.
var recommenderEndings = []struct{ after, ending string }{
	{"经济和信息化", "局"}, {"经济和信息", "化局"}, {"经济和信", "息化局"},
	{"工业园区", "管理委员会"}, {"园区管理", "委员会"}, {"园区管理委", "员会"}, {"园区管理委员", "会"},
	{"开发区", "管理委员会"}, {"创意园区", "管理委员会"},
}

// pAuthorityStart reads what may be an authority's name or its start (a name cut short), not a date.
var pAuthorityStart = pName(func(s string) bool {
	return looksLikeOrg(s, false) && !dateStartRE.MatchString(s) && len(normalize.FindDates(s)) == 0
})

var dateStartRE = regexp.MustCompile(`^[0-9〇零一二三四五六七八九]{2,4}年`)

// authorityWords are the fixed parts of authorities' names; a copy with one misread character is
// read as the word (经济和信息花局 → 经济和信息化局).
var authorityWords = []string{"经济和信息化局", "经济和信息化厅", "经济和信息化委员会", "管理委员会", "市场监督管理局", "工业和信息化部"}

// fixAuthority restores the fixed words of an authority's name misread by one character.
func fixAuthority(v string) string {
	for _, w := range authorityWords {
		if strings.HasSuffix(v, w) {
			return v
		}
	}
	rs := []rune(v)
	for _, w := range authorityWords {
		p := []rune(w)
		// the same length, one character different, not the last (局 and 厅 are different bodies)
		if n := len(p); len(rs) > n && hamming(rs[len(rs)-n:], p) == 1 && rs[len(rs)-1] == p[n-1] {
			return string(rs[:len(rs)-n]) + w
		}
	}
	return v
}

// completeRecommender completes a recommending body's name cut short (日喀则市经济和信 →
// 日喀则市经济和信息化局) and reports whether it did.
func completeRecommender(v string) (string, bool) {
	if looksLikeAuthority(v) {
		return v, false
	}
	for _, e := range recommenderEndings {
		if strings.HasSuffix(v, e.after) && len([]rune(v)) > len([]rune(e.after))+1 {
			return v + e.ending, true
		}
	}
	return v, false
}

func readDeclaration(d *document, fs *fieldSet, _ Options) {
	if v, ev, ok := d.lookupOrg(lbl("申报单位", "声明单位", "承诺单位", "单位名称", "声明人"), pOrg); ok {
		fs.set("org_name", v, ev)
	}
	readCreditCode(d, fs)
	if v, ev, ok := d.lookup(lbl("日期", "声明日期", "签署日期"), pDate); ok {
		fs.set("issue_date", v, ev)
	} else if v, ev, ok := d.lastDate(); ok {
		fs.set("issue_date", v, ev)
	}
	readSeal(d, fs)
}

// ---- recognitions, qualifications and service evidence ----

var (
	redHeadRE = regexp.MustCompile(`^(.{2,30}?)文件$`)
	quotedRE  = regexp.MustCompile(`[“"「『]([^”"」』“]{4,40})[”"」』]`)
	noticeRE  = regexp.MustCompile(`关于(?:公布|认定|命名|授予|表彰|确定|公示)?(?:(?:19|20)\d{2}[ ]*年度?)?(.{4,40}?)(?:名单)?的(?:通知|决定|通报|批复|公告)`)
	grantRE   = regexp.MustCompile(`授予(.{4,40}?)(?:“|"|称号)`)
	icpRE     = regexp.MustCompile(`(\p{Han})[ ]*[I1l][ ]*C[ ]*P[ ]*(备|证)[ ]*(\d{5,12})[ ]*号`)
)

// applicantIn finds a name of opt.Applicant printed in d (allowing OCR errors; the closest
// printing wins, so a list's similarly named neighbour is not taken for it) and returns the name as
// printed.
func applicantIn(d *document, opt Options) (string, evidence, bool) {
	best := -1
	var bl *line
	var bh hit
	for _, a := range opt.Applicant {
		p := []rune(normalize.Key(a))
		if len(p) < 4 || len(p) > 60 {
			continue // not an organisation's name
		}
		for _, l := range d.lines {
			for _, h := range approxFind(l.dense, p, maxErrors(len(p))) {
				if best < 0 || h.dist < best {
					best, bl, bh = h.dist, l, h
				}
			}
		}
	}
	if best < 0 {
		return "", evidence{}, false
	}
	s, e := bl.denseAt[bh.start], bl.denseAt[bh.end-1]+1
	return normalize.Name(string(bl.runes[s:e])), bl.span(s, e), true
}

// signature finds an authority's name alone on a line followed by a date line: who signed and when.
func (d *document) signature() (issuer string, iev evidence, date string, dev evidence, ok bool) {
	for i := len(d.lines) - 2; i >= 0; i-- {
		l, next := d.lines[i], d.lines[i+1]
		if l.page != next.page {
			continue
		}
		name := normalize.Name(l.text)
		if !looksLikeAuthority(name) || strings.ContainsAny(name, "：:") {
			continue
		}
		ms := normalize.FindDates(next.text)
		if len(ms) == 0 || ms[0].Value == normalize.LongTerm || len(next.dense) > 16 {
			continue
		}
		return name, l.span(0, len(l.runes)), ms[0].Value, next.spanBytes(ms[0].Start, ms[0].End), true
	}
	return "", evidence{}, "", evidence{}, false
}

func readRecognition(d *document, fs *fieldSet, opt Options) {
	if v, ev, ok := applicantIn(d, opt); ok {
		fs.set("org_name", v, ev)
	} else if v, ev, ok := d.flowFind(grantRE, 1); ok && looksLikeOrg(normalize.Name(v), true) {
		fs.set("org_name", normalize.Name(v), ev)
	}
	for _, l := range d.lines {
		if m := redHeadRE.FindStringSubmatchIndex(string(l.dense)); m != nil {
			if v := normalize.Name(string(l.dense)[m[2]:m[3]]); looksLikeAuthority(v) {
				fs.set("issuer", v, l.span(0, len(l.runes)))
				break
			}
		}
	}
	if iss, iev, date, dev, ok := d.signature(); ok {
		fs.set("issuer", iss, iev)
		fs.set("issue_date", date, dev)
	}
	if !fs.has("issuer") {
		if v, ev, ok := d.lookup(lbl("发文机关", "发布机构", "主办单位", "来源"), pAuthority); ok {
			fs.set("issuer", v, ev)
		}
	}
	if !fs.has("issuer") {
		for _, l := range d.lines {
			if v := normalize.Name(l.text); looksLikeAuthority(v) {
				fs.set("issuer", v, l.span(0, len(l.runes)))
				break
			}
		}
	}
	if f, ok := fs.m["issuer"]; ok {
		if lv := issuerLevel(f.Value); lv != "" {
			fs.set("issuer_level", lv, evidence{text: f.Text, page: f.Page, box: f.Box, conf: f.Confidence})
		}
	}
	if !fs.has("issue_date") {
		if v, ev, ok := d.lookup(lbl("发布时间", "发布日期", "发文日期", "成文日期", "印发日期"), pDate); ok {
			fs.set("issue_date", v, ev)
		} else if v, ev, ok := d.lastDate(); ok {
			fs.set("issue_date", v, ev)
		}
	}
	vs, evs := d.flowFindAll(quotedRE, 1)
	for i, v := range vs {
		v = normalize.Name(v)
		if hanShare(v) < 0.8 || strings.HasSuffix(v, "办法") || strings.Contains(v, "一对一") {
			continue
		}
		fs.set("title", v, evs[i])
		break
	}
	if !fs.has("title") {
		if v, ev, ok := d.flowFind(noticeRE, 1); ok {
			fs.set("title", normalize.Name(v), ev)
		}
	}
}

func readQualification(d *document, fs *fieldSet, opt Options) {
	if v, ev, ok := d.lookupOrg(lbl("单位名称", "主办单位名称", "持证单位", "机构名称", "企业名称", "公司名称", "申请单位", "名称", "证书持有人"), pOrgStrict); ok {
		fs.set("org_name", v, ev)
	} else if v, ev, ok := applicantIn(d, opt); ok {
		fs.set("org_name", v, ev)
	}
	// An ICP record: its number (without the per-site suffix) and its 审核日期; the screenshot names
	// no issuing authority.
	// The record number: the one after its own label (ICP备案/许可证号, 备案号) if printed, else the
	// first; a page footer's number (网站 ICP备 of a government site) is not the applicant's.
	icp := ""
	var icpEv evidence
	for _, l := range d.lines {
		m := icpRE.FindStringSubmatchIndex(l.text)
		if m == nil {
			continue
		}
		v := l.text[m[2]:m[3]] + "ICP" + l.text[m[4]:m[5]] + l.text[m[6]:m[7]] + "号"
		labelled := containsExact(l.dense, "许可证号") || (containsExact(l.dense, "备案号") && !containsExact(l.dense, "服务备案号"))
		if icp == "" || labelled {
			icp, icpEv = v, l.spanBytes(m[0], m[1])
		}
		if labelled {
			break
		}
	}
	if icp != "" {
		fs.set("icp_record", icp, icpEv)
		if v, ev, ok := d.lookup(lbl("审核日期", "审核通过日期", "备案日期"), pDate); ok {
			fs.set("issue_date", v, ev)
		}
		return
	}
	for rank, l := range d.lines {
		if rank >= 5 {
			break
		}
		t := normalize.Name(l.text)
		if len([]rune(t)) <= 30 && hanShare(t) > 0.8 && strings.ContainsAny(t, "证照") || strings.Contains(t, "资质") {
			fs.set("title", t, l.span(0, len(l.runes)))
			break
		}
	}
	if v, ev, ok := d.lookup(lbl("发证机关", "发证单位", "颁发机关", "颁证机关", "批准机关", "签发机关", "发证部门", "颁发单位"), pAuthority); ok {
		fs.set("issuer", v, ev)
	}
	if v, ev, ok := d.lookup(lbl("发证日期", "颁发日期", "签发日期", "批准日期", "发证时间", "颁证日期", "认定日期"), pDate); ok {
		fs.set("issue_date", v, ev)
	}
	if !fs.has("issuer") || !fs.has("issue_date") {
		if iss, iev, date, dev, ok := d.signature(); ok {
			fs.set("issuer", iss, iev)
			fs.set("issue_date", date, dev)
		}
	}
	if f, ok := fs.m["issuer"]; ok {
		if lv := issuerLevel(f.Value); lv != "" {
			fs.set("issuer_level", lv, evidence{text: f.Text, page: f.Page, box: f.Box, conf: f.Confidence})
		}
	}
}

var (
	organiserRE = regexp.MustCompile(`([^\s，。：:、“”"]{4,40}?)(?:定于|拟于|将于|于\d)`)
	annualRE    = regexp.MustCompile(`全年|累计|年度`)
	servedRE    = regexp.MustCompile(`服务(?:中小企业|企业)[ ]*(\d+)[ ]*家`)
	activityRE  = regexp.MustCompile(`活动[ ]*(\d+)[ ]*(?:次|场)`)
	trainedRE   = regexp.MustCompile(`培训[^，。；,\n\d]{0,8}?(\d+)[ ]*人次`)
)

// firstOrgCell returns the first cell of l that is an organisation's name (not an authority's), with
// its rune span.
func firstOrgCell(l *line) (string, int, int) {
	if !strings.ContainsRune(l.text, ' ') {
		return "", 0, 0
	}
	for i := 0; i < len(l.runes); {
		j := i
		for j < len(l.runes) && l.runes[j] != ' ' {
			j++
		}
		if v := normalize.Name(string(l.runes[i:j])); looksLikeOrg(v, true) && !looksLikeAuthority(v) {
			return v, i, j
		}
		i = j + 1
	}
	return "", 0, 0
}

func readService(d *document, fs *fieldSet, opt Options) {
	if v, ev, ok := applicantIn(d, opt); ok {
		fs.set("org_name", v, ev)
	}
	if !fs.has("org_name") {
		for _, l := range d.lines {
			if len(l.runes) > 0 && unicode.IsDigit(l.runes[0]) {
				continue // a row of a sign-in sheet
			}
			if v := normalize.Name(l.text); looksLikeOrg(v, true) && !looksLikeAuthority(v) {
				fs.set("org_name", v, l.span(0, len(l.runes)))
				break
			}
			// a cell of a row: a brief's head puts its issuer and its date on one row
			if c, s, e := firstOrgCell(l); c != "" {
				fs.set("org_name", c, l.span(s, e))
				break
			}
		}
	}
	if !fs.has("org_name") {
		if v, ev, ok := d.flowFind(organiserRE, 1); ok && looksLikeOrg(normalize.Name(v), true) {
			fs.set("org_name", normalize.Name(v), ev)
		}
	}
	// Annual totals, only from a sentence that speaks of the whole year (全年, 累计, 年度).
	f := d.flow()
	for start := 0; start < len(f.text); {
		end := len(f.text)
		if i := strings.IndexAny(f.text[start:], "。；\n"); i >= 0 {
			end = start + i
		}
		if s := f.text[start:end]; annualRE.MatchString(s) {
			for _, x := range []struct {
				name string
				re   *regexp.Regexp
				kw   string // the phrase read approximately when re fails
				unit string
			}{{"smes_served_last_year", servedRE, "服务中小企业", "家"}, {"service_events_last_year", activityRE, "服务活动", "次"},
				{"trainees_last_year", trainedRE, "开展培训", "人次"}} {
				if m := x.re.FindStringSubmatchIndex(s); m != nil {
					if n, ok := normalize.Integer(s[m[2]:m[3]]); ok {
						fs.set(x.name, itoa(n), f.evidence(d, start+m[2], start+m[3]))
					}
					continue
				}
				rs := []rune(s)
				for _, h := range approxFind(rs, []rune(x.kw), maxErrors(len([]rune(x.kw)))) {
					if i, j, ok := numberAt(rs, h.end, 3, []string{x.unit}); ok {
						if n, ok := normalize.Integer(string(rs[i:j])); ok {
							b0, b1 := start+len(string(rs[:i])), start+len(string(rs[:j]))
							fs.set(x.name, itoa(n), f.evidence(d, b0, b1))
						}
						break
					}
				}
			}
		}
		if end == len(f.text) {
			break
		}
		_, size := utf8.DecodeRuneInString(f.text[end:])
		start = end + size
	}
}
