package extract

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"shenbao/doc"
	"shenbao/extract/normalize"
)

// ---- recognitions, qualifications and service evidence ----

var (
	redHeadRE = regexp.MustCompile(`^(.{2,30}?)文件$`)
	quotedRE  = regexp.MustCompile(`[“"「『]([^”"」』“]{4,40})[”"」』]`)
	noticeRE  = regexp.MustCompile(`关于(?:公布|认定|命名|授予|表彰|确定|公示)?(?:(?:19|20)\d{2}[ ]*年度?)?(.{4,40}?)(?:名单)?的(?:通知|决定|通报|批复|公告)`)
	grantRE   = regexp.MustCompile(`授予(.{4,40}?)(?:“|"|称号)`)
	listRE    = regexp.MustCompile(`^(?:(?:19|20)\d{2}年度?)?(.{4,40}?)(?:认定)?名单$`)
	statusRE  = regexp.MustCompile(`(?:认定为|被评为|评为|确定为|命名为)[“"]?([^，。；“”"]{4,30}?)[”"]?(?:[，。；]|称号|$)`)
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
		name := normalize.Name(trimStray(l.text))
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
	} else if v, ev, ok := d.holderLabelled(); ok {
		fs.set("org_name", v, ev)
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
		if v, ev, ok := d.lookup(lbl("发文机关", "发布机构", "颁发单位", "授予单位", "认定单位", "认定机构", "批准机关",
			"发证机关", "发证单位", "颁发机关", "主办单位", "来源"), pAuthority); ok {
			fs.set("issuer", v, ev)
		}
	}
	if !fs.has("issuer") {
		for _, l := range d.lines {
			if v, ev, ok := authorityOn(l); ok {
				fs.set("issuer", v, ev)
				break
			}
		}
	}
	sealIssuer(d, fs)
	if f, ok := fs.m["issuer"]; ok {
		if lv := issuerLevel(f.Value); lv != "" {
			fs.set("issuer_level", lv, evidence{text: f.Text, page: f.Page, box: f.Box, conf: f.Confidence})
		}
	}
	if !fs.has("issue_date") {
		if v, ev, ok := d.lookup(lbl("发布时间", "发布日期", "发文日期", "成文日期", "印发日期", "发证日期", "发证时间",
			"颁发日期", "认定日期", "认定时间", "授予日期", "批准日期"), pDate); ok {
			fs.set("issue_date", v, ev)
		} else if v, ev, ok := d.lastDate(); ok {
			fs.set("issue_date", v, ev)
		}
	}
	vs, evs := d.flowFindAll(quotedRE, 1)
	for i, v := range vs {
		v = normalize.Name(v)
		if hanShare(v) < 0.8 || !isDesignation(v) {
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
	if !fs.has("title") {
		// a list's heading: 2022年度昌都市中小企业公共服务示范平台名单
		for rank, l := range d.lines {
			if rank >= 8 {
				break
			}
			t := string(l.dense)
			if n := rank + 1; n < len(d.lines) && d.lines[n].page == l.page && len(d.lines[n].dense) <= 8 &&
				!listRE.MatchString(t) && listRE.MatchString(t+string(d.lines[n].dense)) {
				t += string(d.lines[n].dense) // the heading wrapped: …示范平台名 / 单, …示范 / 基地名单
			}
			if m := listRE.FindStringSubmatch(t); m != nil && isDesignation(normalize.Name(m[1])) {
				fs.set("title", normalize.Name(m[1]), l.span(0, len(l.runes)))
				break
			}
		}
	}
	if !fs.has("title") {
		if v, ev, ok := d.flowFind(statusRE, 1); ok && isDesignation(normalize.Name(v)) {
			fs.set("title", normalize.Name(v), ev) // 认定为高新技术企业, 被评为…示范基地
		}
	}
	if !fs.has("title") {
		// a certificate of a status: its heading, the status and 证书 (高新技术企业证书)
		for rank, l := range d.lines {
			if rank >= 6 {
				break
			}
			t := normalize.Name(l.text)
			if st, ok := strings.CutSuffix(t, "证书"); ok && hanShare(t) > 0.8 && isDesignation(st) {
				fs.set("title", st, l.span(0, len(l.runes)))
				break
			}
		}
	}
	if !fs.has("title") {
		// a plaque (牌匾): the holder, the designation alone on its line, the authority, the date.
		// The designation is a line that is neither an authority's name nor a legal entity's
		// (…公司, …商会); where two such lines stand (a holder named …服务中心 above a designation
		// …示范平台), the holder comes first.
		holder := ""
		if f, ok := fs.m["org_name"]; ok {
			holder = f.Value
		}
		type cand struct {
			text string
			ev   evidence
		}
		var cands []cand
		for rank, l := range d.lines {
			if rank >= 6 {
				break
			}
			t := normalize.Name(l.text)
			ev := l.span(0, len(l.runes))
			// a designation wrapped onto a short line of its own (…孵化示范 / 基地)
			if n := rank + 1; n < len(d.lines) && d.lines[n].page == l.page && len(d.lines[n].dense) <= 4 && hanShare(d.lines[n].text) == 1 {
				if j := t + normalize.Name(d.lines[n].text); isDesignation(j) && !looksLikeAuthority(j) {
					t = j
					ev.box = ev.box.Union(d.lines[n].box)
				}
			}
			if len([]rune(t)) <= 30 && hanShare(t) > 0.8 && isDesignation(t) && t != holder && !yearHeadRE.MatchString(t) &&
				!looksLikeAuthority(t) && !isLegalEntity(t) {
				cands = append(cands, cand{t, ev})
			}
		}
		if len(cands) > 0 {
			c := cands[min(1, len(cands)-1)]
			fs.set("title", c.text, c.ev)
		}
	}
}

func readQualification(d *document, fs *fieldSet, opt Options) {
	if v, ev, ok := d.lookupOrg(label{alts: append([]string{"主办单位名称", "持证单位", "证书持有人", "获证单位", "被许可人", "许可证持有人"}, lbOrgName.alts...), notAfter: notOrgLabel, atStart: true}, pOrgStrict); ok {
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
		// the heading is a cell of its own: a row may join it with the heading of the notes
		// printed beside it (食品流通许可证 … 说明); a sentence that names the licence is no heading
		title := ""
		var tev evidence
		cells := lineCells(l)
		if len(cells) > 1 {
			cells = append([]token{{l.text, 0, len(l.runes)}}, cells...) // the whole line first (营 业 执 照)
		}
		for _, c := range cells {
			t := normalize.Name(c.text)
			if len([]rune(t)) <= 30 && hanShare(t) > 0.8 && (strings.ContainsAny(t, "证照") || strings.Contains(t, "资质")) &&
				!isNotesHeading(t) && !strings.ContainsAny(c.text, "《》，。；") {
				title, tev = t, l.span(c.from, c.to)
				break
			}
		}
		if title != "" {
			// a heading that wrapped its last character onto the next line, alone under it
			// (…机构备案证 / 书): the word is 证书
			if strings.HasSuffix(title, "证") && rank+1 < len(d.lines) {
				if n := d.lines[rank+1]; n.page == l.page && string(n.dense) == "书" && n.box.Y0 < l.box.Y1+2*l.box.H() &&
					n.box.X0 >= l.box.X0 && n.box.X1 <= l.box.X1+l.box.H() {
					title += "书"
				}
			}
			fs.set("title", title, tev)
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
	if !fs.has("issue_date") {
		if v, ev, ok := d.closingDate(); ok {
			fs.set("issue_date", v, ev)
		}
	}
	sealIssuer(d, fs)
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

// designationEnds are the endings of the names of recognitions, awards and the titles they grant
// (示范平台, 高新技术企业, 众创空间, 先进单位, 专精特新中小企业…): a quoted phrase that ends otherwise
// is a slogan, a method (一对一), or a rule's title (…办法), not the recognition.
var designationEnds = []string{"平台", "基地", "中心", "企业", "单位", "空间", "孵化器", "示范", "称号", "奖",
	"园区", "机构", "集体", "个人", "品牌", "工作站", "站", "园", "基地", "企业家", "项目", "服务商", "标杆", "小巨人"}

// isDesignation reports whether s reads as the name of a recognition or the title it grants.
func isDesignation(s string) bool {
	for _, e := range designationEnds {
		if strings.HasSuffix(s, e) && len([]rune(s)) > len([]rune(e)) {
			return true
		}
	}
	return false
}

// trimStray drops from the end of a line the short tokens of no Chinese that a reader makes of a
// seal's or a signature's strokes (西藏自治区经济和信息化厅 R).
func trimStray(s string) string {
	fs := strings.Fields(s)
	for len(fs) > 1 {
		last := fs[len(fs)-1]
		if len([]rune(last)) > 2 || hanShare(last) > 0 {
			break
		}
		fs = fs[:len(fs)-1]
	}
	return strings.Join(fs, " ")
}

// sealIssuer takes the issuer from the text round a seal when the page prints it nowhere else (a
// certificate signed only by its seal): the first seal text, in reading order, that reads as an
// authority's name — of seals side by side (a certificate issued jointly), the leftmost is the lead
// authority's. Seal texts are read less surely than print, so the issuer stays below the threshold
// of certainty.
func sealIssuer(d *document, fs *fieldSet) {
	if fs.has("issuer") {
		return
	}
	for pi, p := range d.pages {
		num := p.Number
		if num == 0 {
			num = pi + 1
		}
		sts := slices.Clone(p.SealTexts)
		slices.SortStableFunc(sts, func(a, b doc.SealText) int {
			ay, by := (a.Box.Y0+a.Box.Y1)/2, (b.Box.Y0+b.Box.Y1)/2
			if abs(ay-by) > max(a.Box.H(), b.Box.H())/2 { // another row of seals
				return ay - by
			}
			return a.Box.X0 - b.Box.X0
		})
		for _, st := range sts {
			v := normalize.Name(st.Text)
			if st.Confidence < 0.5 || !looksLikeAuthority(v) {
				continue
			}
			fs.set("issuer", v, evidence{text: st.Text, page: num, box: st.Box, conf: min(st.Confidence, doc.SureConfidence-0.1)})
			return
		}
	}
}

// closingDate is the date a certificate closes with, under its issuer's seal, when no label names
// it: the last date alone on its line (a line of little more than the date), not a validity's end
// (有效期至, 截止, 到期) — the date of issue.
func (d *document) closingDate() (string, evidence, bool) {
	for i := len(d.lines) - 1; i >= 0; i-- {
		l := d.lines[i]
		t := string(l.dense)
		if strings.Contains(t, "有效") || strings.Contains(t, "至") || strings.Contains(t, "截止") || strings.Contains(t, "到期") {
			continue
		}
		ms := normalize.FindDates(l.text)
		if len(ms) != 1 || ms[0].Value == normalize.LongTerm || len(l.dense) > len([]rune(l.text[ms[0].Start:ms[0].End]))+3 {
			continue
		}
		return ms[0].Value, l.spanBytes(ms[0].Start, ms[0].End), true
	}
	return "", evidence{}, false
}

// yearHeadRE begins a heading dated by its year (2024年度…名单): a list's or a notice's, not a plaque's.
var yearHeadRE = regexp.MustCompile(`^(?:19|20)\d{2}年`)

// legalEntityEnds end the names of legal persons that are never a designation.
var legalEntityEnds = []string{"公司", "集团", "协会", "商会", "联合会", "促进会", "学会", "研究会", "基金会", "合作社", "事务所", "合伙）", "合伙)", "研究院", "研究所"}

// isLegalEntity reports whether s is the name of a company, association or other legal person by
// its ending.
func isLegalEntity(s string) bool {
	for _, e := range legalEntityEnds {
		if strings.HasSuffix(s, e) && len([]rune(s)) > len([]rune(e))+1 {
			return true
		}
	}
	return false
}

// holderRE is a certificate's holder after its label on the same line (企业名称：…有限公司).
var holderRE = regexp.MustCompile(`^(?:企业名称|单位名称|机构名称|获证单位|获奖单位|证书持有人|持证单位)[:：]?(.+)$`)

// holderLabelled reads the holder a certificate names after its label, on the label's own line
// only: a list's 单位名称 heads a column of many organisations, none of which is the holder.
func (d *document) holderLabelled() (string, evidence, bool) {
	for _, l := range d.lines {
		t := string(l.dense)
		m := holderRE.FindStringSubmatchIndex(t)
		if m == nil {
			continue
		}
		from := l.denseAt[len([]rune(t[:m[2]]))]
		c, cs, ce := cell(l, from)
		if rs := []rune(c); stopAt(rs) < len(rs) {
			c = string(rs[:stopAt(rs)]) // the next label read into the cell (…有限公司证书编号：GR…)
			ce = cs + len([]rune(c))
		}
		v := normalize.Name(c)
		if !looksLikeOrg(v, true) {
			continue
		}
		return v, l.span(cs, ce), true
	}
	return "", evidence{}, false
}

// isNotesHeading reports whether a heading is of a certificate's notes, not of the certificate
// (许可证说明, 持证须知, 注意事项 — printed on its back).
func isNotesHeading(t string) bool {
	for _, e := range []string{"说明", "须知", "注意事项", "使用规定"} {
		if strings.HasSuffix(t, e) {
			return true
		}
	}
	return false
}
