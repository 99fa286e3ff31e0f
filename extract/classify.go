package extract

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"

	"shenbao/doc"
	"shenbao/extract/normalize"
)

// keyword is a phrase that speaks for a kind, and how strongly.
type keyword struct {
	text   string
	weight float64
}

// kindKeywords are the phrases that real documents of each kind print: titles, the labels of
// their forms, the formulae of their prose. A phrase in a title line counts titleFactor times.
var kindKeywords = map[string][]keyword{
	"business_licence": {
		{"营业执照", 6}, {"营业期限", 3}, {"经营范围", 2}, {"注册资本", 2}, {"登记机关", 2},
		{"国家企业信用信息公示系统", 2}, {"市场主体", 1}, {"成立日期", 1.5}, {"住所", 1}, {"副本", 1},
		{"经营者", 1}, {"组成形式", 1}, {"执行事务合伙人", 1}, {"注册日期", 1}, {"类型", 0.5},
	},
	"legal_person_certificate": {
		{"法人证书", 6}, {"事业单位法人", 5}, {"社会团体法人", 5}, {"民办非企业单位登记证书", 6},
		{"登记证书", 3}, {"开办资金", 3}, {"业务主管单位", 2}, {"登记管理机关", 3}, {"宗旨和业务范围", 3},
		{"举办单位", 2}, {"经费来源", 2}, {"有效期限", 1}, {"业务范围", 1}, {"民办非企业", 2},
	},
	"audit_report": {
		{"审计报告", 6}, {"会计师事务所", 3}, {"资产负债表", 3}, {"利润表", 2}, {"注册会计师", 3},
		{"审计意见", 3}, {"财务报表", 2}, {"审字", 3}, {"专项审计", 3}, {"现金流量表", 2}, {"业务活动表", 2},
		{"编制单位", 1.5}, {"资产总计", 1.5}, {"负债合计", 1}, {"期末余额", 1}, {"保留意见", 2}, {"收支", 1},
	},
	"premises_lease": {
		{"租赁合同", 6}, {"房屋租赁", 4}, {"出租方", 3}, {"承租方", 3}, {"出租人", 3}, {"承租人", 3},
		{"租赁期限", 3}, {"租金", 2}, {"押金", 1.5}, {"租赁", 1}, {"甲方", 0.5}, {"乙方", 0.5}, {"租期", 2},
	},
	"property_certificate": {
		{"不动产权证书", 6}, {"不动产权", 4}, {"房屋所有权证", 6}, {"权利人", 3}, {"不动产单元号", 4},
		{"权利类型", 3}, {"权利性质", 3}, {"坐落", 2}, {"共有情况", 3}, {"房屋所有权人", 4}, {"登簿", 2},
		{"不动产登记", 3}, {"使用期限", 1}, {"土地使用权", 2}, {"权利其他状况", 3},
	},
	"application_report": {
		{"申请报告", 6}, {"附件2", 2}, {"申报单位", 2}, {"服务能力", 2}, {"服务业绩", 2}, {"服务功能", 1.5},
		{"申报单位基本情况", 3}, {"集聚服务机构", 1.5}, {"用户满意度", 1.5}, {"承诺", 1}, {"资产总额", 1},
		{"示范平台", 0.5}, {"申报日期", 2}, {"是否具备", 2}, {"年度服务开展情况", 2},
	},
	"recommendation_form": {
		{"推荐表", 6}, {"附件1", 2}, {"推荐单位意见", 4}, {"平台服务功能", 2}, {"申报单位名称", 2},
		{"所在地", 1}, {"同意推荐", 3}, {"推荐单位", 2}, {"平台简介", 2}, {"推荐意见", 3},
	},
	"authenticity_declaration": {
		{"真实性声明", 6}, {"声明", 2}, {"特此声明", 3}, {"郑重声明", 3}, {"真实准确完整", 2},
		{"虚假记载", 2}, {"法律责任", 1.5}, {"真实性", 1.5}, {"承诺书", 3}, {"郑重承诺", 3}, {"诚信承诺", 4},
		{"承诺单位", 2},
	},
	"prior_recognition": {
		{"认定", 2}, {"示范平台", 1.5}, {"名单", 2}, {"表彰", 3}, {"授予", 2}, {"称号", 2}, {"荣誉", 1.5},
		{"通知", 1}, {"文件", 1}, {"公布", 2}, {"示范基地", 2}, {"孵化器", 1.5}, {"资助", 1.5},
		{"专精特新", 2}, {"命名", 2}, {"被认定单位", 3}, {"荣誉证书", 4}, {"奖牌", 2}, {"决定", 1},
		{"予以公布", 2}, {"专家评审", 1},
		// certificates of a recognised status, whatever body grants it
		{"高新技术企业", 5}, {"科技型中小企业", 4}, {"小巨人", 3}, {"众创空间", 3}, {"示范企业", 3},
		{"认定为", 3}, {"被评为", 3}, {"获评", 2}, {"荣获", 2}, {"认定机构", 3}, {"入库", 1.5},
		{"创新型中小企业", 4}, {"技术创新示范", 3}, {"星创天地", 3}, {"重点实验室", 3}, {"技术中心", 2},
	},
	"qualification": {
		{"资质", 3}, {"许可证", 4}, {"备案", 1.5}, {"ICP备案", 4}, {"资质认定证书", 5}, {"发证机关", 3},
		{"发证日期", 2}, {"有效期至", 1.5}, {"经营许可证", 4}, {"证书编号", 1}, {"ICP/IP", 3},
		{"主办单位名称", 2}, {"网站名称", 2}, {"审核日期", 2}, {"服务备案号", 3}, {"网站首页网址", 2},
		{"业务种类", 2}, {"许可范围", 2}, {"资格证书", 4},
	},
	"service_evidence": {
		{"工作简报", 6}, {"简报", 3}, {"签到表", 5}, {"举办", 2}, {"培训", 1.5}, {"总结", 2}, {"照片", 2},
		{"活动", 1}, {"参训", 2}, {"参会", 1.5}, {"会议纪要", 4}, {"服务台账", 4}, {"服务协议", 2},
		{"现场", 1}, {"报送", 1.5}, {"印发", 1}, {"参加对象", 2}, {"服务工作", 1}, {"签到", 2}, {"汇报", 2},
	},
	"other": {
		{"发票", 5}, {"纳税人识别号", 3}, {"价税合计", 4}, {"开票日期", 3}, {"收据", 4}, {"校验码", 2},
		{"开户行", 1}, {"税额", 2}, {"回单", 3}, {"收款人", 1},
	},
}

const (
	titleFactor = 3.0 // a keyword in a title line
	minScore    = 4.0 // below this nothing is recognised: other
)

// kindOrder is the order of doc.Kinds, for deterministic ties.
var kindOrder = func() map[string]int {
	m := map[string]int{}
	for i, k := range doc.Kinds {
		m[k.Name] = i
	}
	return m
}()

// isTitle reports whether l reads as a title: short, and among the first lines of its page or
// printed taller than the page's text.
func isTitle(l *line, rank int, medianH int) bool {
	// a sentence (…本单位郑重承诺：, …名单；) is no title, however early or short
	if len(l.dense) > 30 || strings.ContainsAny(string(l.dense), "，。；：,;") {
		return false
	}
	if rank < 8 {
		return true
	}
	return medianH > 0 && float64(l.box.H()) >= 1.3*float64(medianH)
}

// scores are the kinds' evidence in some pages.
type scores map[string]float64

// scorePages sums, for each kind, the weight of each of its keywords found in the pages (once per
// keyword: its best occurrence), a title occurrence counting titleFactor times.
func (d *document) scorePages(pages []int) scores {
	best := map[string]map[string]float64{} // kind → keyword → best weight
	for _, pn := range pages {
		ls := d.pageLines(pn)
		var hs []int
		for _, l := range ls {
			if h := l.box.H(); h > 0 {
				hs = append(hs, h)
			}
		}
		mh := median(hs)
		for rank, l := range ls {
			factor := 1.0
			text := l.dense
			if isTitle(l, rank, mh) {
				factor = titleFactor
				if rank+1 < len(ls) && len(ls[rank+1].dense) <= 3 {
					// a title wrapped before its last character or two (…工作总 | 结)
					text = append(slices.Clone(text), ls[rank+1].dense...)
				}
			}
			for kind, kws := range kindKeywords {
				for _, kw := range kws {
					if !contains(text, kw.text) {
						continue
					}
					if best[kind] == nil {
						best[kind] = map[string]float64{}
					}
					if w := kw.weight * factor; w > best[kind][kw.text] {
						best[kind][kw.text] = w
					}
				}
			}
		}
	}
	s := scores{}
	for kind, kws := range best {
		for _, w := range kws {
			s[kind] += w
		}
	}
	for _, pn := range pages {
		if d.isPlaque(pn) {
			s["prior_recognition"] += plaqueScore
		} else if d.isSignedPlaque(pn) {
			s["prior_recognition"] += plaqueScore / 2
		}
	}
	return s
}

// isSignedPlaque reports whether page pn reads as a plaque whose designation was not read (gold or
// raised lettering a reader misses): a few lines, an authority's name alone on its line and,
// below it, the date or the period the recognition runs (二〇二五年五月, 2023年11月—2026年11月,
// (2025-2028)), and no sentence.
func (d *document) isSignedPlaque(pn int) bool {
	ls := d.pageLines(pn)
	if len(ls) == 0 || len(ls) > 6 {
		return false
	}
	for _, l := range ls {
		if len(l.dense) > 25 || strings.ContainsAny(l.text, "，。：:；;、") {
			return false // a sentence: a notice or a letter, not a plaque's bare lines
		}
	}
	for i, l := range ls {
		if !looksLikeAuthority(normalize.Name(l.text)) {
			continue
		}
		for _, n := range ls[i+1:] {
			if t := string(n.dense); len(n.dense) <= 20 && (len(normalize.FindDates(t)) > 0 || periodRE.MatchString(t)) {
				return true
			}
		}
	}
	return false
}

// periodRE is a period of years or months (2023年11月—2026年11月, (2025-2028), 二〇二五年五月).
var periodRE = regexp.MustCompile(`(?:19|20)\d{2}\s*[-—–~至]\s*(?:19|20)\d{2}|(?:19|20)\d{2}年\d{1,2}月|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月`)

// plaqueScore is what a plaque's few lines — a designation granted by an authority — weigh for a
// recognition: as much as a title keyword.
const plaqueScore = 3 * titleFactor

// isPlaque reports whether page pn reads as a plaque (牌匾) or a certificate without a heading: a
// few lines, one of them (or two joined, a wrapped line) a designation (…科技企业孵化器, …示范基地)
// and another an authority's name.
func (d *document) isPlaque(pn int) bool {
	ls := d.pageLines(pn)
	if len(ls) == 0 || len(ls) > 10 {
		return false
	}
	designation, authority := false, false
	// a designation is a bare name: no punctuation, not an address to all (各有关企业：), at least
	// six characters
	bare := func(raw string) bool {
		t := normalize.Name(raw)
		return !strings.ContainsAny(raw, "：:，,。；;、") && !strings.HasPrefix(t, "各") && !strings.HasPrefix(t, "关于") &&
			len([]rune(t)) >= 6 && isDesignation(t)
	}
	for i, l := range ls {
		if looksLikeAuthority(normalize.Name(l.text)) {
			authority = true
			continue
		}
		if bare(l.text) || (i+1 < len(ls) && bare(l.text+ls[i+1].text)) {
			designation = true
		}
	}
	return designation && authority
}

// top returns the best kind, its score and the runner-up's.
func (s scores) top() (kind string, best, second float64) {
	var ks []string
	for k := range s {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		if s[ks[i]] != s[ks[j]] {
			return s[ks[i]] > s[ks[j]]
		}
		return kindOrder[ks[i]] < kindOrder[ks[j]]
	})
	if len(ks) == 0 {
		return "other", 0, 0
	}
	if len(ks) > 1 {
		second = s[ks[1]]
	}
	return ks[0], s[ks[0]], second
}

// decide turns scores into a kind and a confidence in 0..1: the share of the best score in the
// best two, damped when the evidence is thin.
func (s scores) decide() (string, float64) {
	kind, best, second := s.top()
	if best < minScore {
		if best == 0 {
			return "other", 0.2
		}
		return "other", 0.5*(1-best/minScore) + 0.2
	}
	conf := best / (best + second) * math.Min(1, best/15)
	return kind, math.Round(conf*1000) / 1000
}

// Classify tells the kind of a document from the text of its pages (never its file name) and how
// sure it is (0..1). A document whose pages hold several documents gets the kind of its first; see
// Extract for the segments.
func Classify(pages []doc.Page) (kind string, confidence float64) {
	d := newDocument(uprightPages(pages))
	segs := d.segments()
	if len(segs) == 0 {
		return "other", 0
	}
	m := mainSegment(segs)
	return m.Kind, m.Confidence
}

// segments splits the document where a page opens with the title of another kind than the pages
// before it, and classifies each run of pages.
func (d *document) segments() []Segment {
	pns := d.pageNumbers()
	if len(pns) == 0 {
		return nil
	}
	type cut struct{ from, to int }
	var cuts []cut
	cur := cut{pns[0], pns[0]}
	curKind := ""
	for i, pn := range pns {
		titleKind, titleScore := d.titleKind(pn)
		if i == 0 {
			curKind = titleKind
			if titleKind == "" {
				curKind, _ = d.scorePages([]int{pn}).decide()
			}
			continue
		}
		if titleKind != "" && titleKind != curKind && titleScore >= 4*titleFactor {
			// A new document begins only if this page does not read as a continuation.
			ps := d.scorePages([]int{pn})
			if ps[titleKind] > ps[curKind] {
				cuts = append(cuts, cur)
				cur = cut{pn, pn}
				curKind = titleKind
				continue
			}
		}
		cur.to = pn
	}
	cuts = append(cuts, cur)
	var segs []Segment
	for _, c := range cuts {
		var ps []int
		for _, pn := range pns {
			if pn >= c.from && pn <= c.to {
				ps = append(ps, pn)
			}
		}
		sc := d.scorePages(ps)
		if d.companyHead(c.from) {
			// A recognition is granted by an authority or an association; a company's own 红头文件
			// (XX有限公司文件) is its internal notice, whatever it speaks of.
			delete(sc, "prior_recognition")
		}
		kind, conf := sc.decide()
		segs = append(segs, Segment{From: c.from, To: c.to, Kind: kind, Confidence: conf})
	}
	// Neighbours of one kind are one document.
	var merged []Segment
	for _, s := range segs {
		if n := len(merged); n > 0 && merged[n-1].Kind == s.Kind {
			merged[n-1].To = s.To
			continue
		}
		merged = append(merged, s)
	}
	// Pages before the first text page and after the last belong to the ends.
	if len(d.pages) > 0 {
		merged[0].From = 1
		merged[len(merged)-1].To = max(merged[len(merged)-1].To, len(d.pages))
	}
	return merged
}

// titleKind returns the kind whose keywords the title lines of page pn carry most strongly, if a
// title keyword is there at all, with that score.
func (d *document) titleKind(pn int) (string, float64) {
	ls := d.pageLines(pn)
	var hs []int
	for _, l := range ls {
		if h := l.box.H(); h > 0 {
			hs = append(hs, h)
		}
	}
	mh := median(hs)
	s := scores{}
	for kind, kws := range kindKeywords {
		for _, kw := range kws {
			if kw.weight < 4 {
				continue
			}
			for rank, l := range ls {
				if isTitle(l, rank, mh) && contains(l.dense, kw.text) {
					s[kind] = math.Max(s[kind], kw.weight*titleFactor)
					break
				}
			}
		}
	}
	kind, best, _ := s.top()
	if best == 0 {
		return "", 0
	}
	return kind, best
}

// mainSegment is the first segment that is not other, or the first.
func mainSegment(segs []Segment) Segment {
	for _, s := range segs {
		if s.Kind != "other" {
			return s
		}
	}
	return segs[0]
}

// companyEnds end the names of businesses (not of authorities or associations).
var companyEnds = []string{"公司", "集团", "合作社", "厂", "事务所", "商行", "门市部"}

// companyHead reports whether page pn opens with a company's 红头 (西藏XX有限公司文件).
func (d *document) companyHead(pn int) bool {
	for rank, l := range d.pageLines(pn) {
		if rank >= 6 {
			break
		}
		m := redHeadRE.FindStringSubmatch(string(l.dense))
		if m == nil {
			continue
		}
		for _, e := range companyEnds {
			if strings.HasSuffix(m[1], e) && len([]rune(m[1])) > len([]rune(e))+1 {
				return true
			}
		}
	}
	return false
}
