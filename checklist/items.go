package checklist

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"shenbao/doc"
)

// itemTitles are the materials of 第十七条, by item number.
var itemTitles = [9]string{
	"",
	"西藏自治区级中小企业公共服务示范平台申请报告（附件2）",
	"法人证书或营业执照副本（复印件）",
	"上一年度审计报告及服务收支情况的专项审计报告，或上一年度包含服务收支情况的审计报告",
	"固定的经营服务场所证明复印件（房产证或租赁合同）",
	"开展相关服务的证明材料（通知、照片、简报、总结等）",
	"地（市）级示范平台认定或地（市）级以上部门相关认定、表彰、资助的文件",
	"自治区级以上部门颁发的从业资格（资质）、网站备案、许可证等证明（复印件）",
	"对申报材料真实性的声明（加盖申报单位公章）",
}

const recommendTitle = "西藏自治区中小企业公共服务示范平台推荐表（附件1）"

// items lists 第十七条 items 1–8 and the 第十六条 推荐表 with the documents that serve them, and the
// documents that serve none. It raises, per document, blank_page, unreadable_page, missing_seal and
// misnamed_file, and per absent material missing_item:N and missing_recommendation_form.
//
// 第十七条: an item is present when at least one document of a kind that serves it (by content) is
// there, whatever its pages look like; its problems are reported beside it.
// 第十六条: the recommending 地（市）经信局 or 园区管委会 fills in the 推荐表.
func (f *facts) items(ws *warnings) ([]Item, []DocumentCheck) {
	checks := make([]DocumentCheck, len(f.docs))
	for i, d := range f.docs {
		checks[i] = f.documentCheck(d, ws)
	}
	var items []Item
	for n := 1; n <= 8; n++ {
		items = append(items, Item{Number: n, Article: article17(n), Title: itemTitles[n], Kinds: kindsOfItem(n)})
	}
	items = append(items, Item{Number: 0, Article: "第十六条", Title: recommendTitle, Kinds: []string{kindRecommend}})
	var others []DocumentCheck
	for i, d := range f.docs {
		placed := false
		for j := range items {
			if slices.Contains(items[j].Kinds, d.Kind) {
				items[j].Present = true
				items[j].Documents = append(items[j].Documents, checks[i])
				placed = true
			}
		}
		if !placed {
			others = append(others, checks[i])
		}
	}
	for _, it := range items {
		if it.Present {
			continue
		}
		if it.Number == 0 {
			ws.add(Warning{Code: CodeMissingRecommendation, Severity: Blocking, Article: it.Article,
				Message: "第十六条：缺少" + it.Title + "。"})
			continue
		}
		ws.add(Warning{Code: fmt.Sprintf("missing_item:%d", it.Number), Severity: Blocking, Article: it.Article,
			Message: it.Article + "：缺少" + it.Title + "。"})
	}
	return items, others
}

// kindsOfItem returns the kinds that serve 第十七条 item n, in doc.Kinds order.
func kindsOfItem(n int) []string {
	var out []string
	for _, k := range doc.Kinds {
		if k.Item == n {
			out = append(out, k.Name)
		}
	}
	return out
}

// sealArticle is the article that asks for a seal on a kind of document, for the kinds that need one.
var sealArticle = map[string]string{
	kindDeclaration: article17(8), // 加盖申报单位公章
	kindRecommend:   "第十六条",
	kindReport:      article17(1), // 附件2 申报单位（盖章）
}

// documentCheck finds a document's own problems and raises their warnings.
func (f *facts) documentCheck(d *docFacts, ws *warnings) DocumentCheck {
	c := DocumentCheck{ID: d.ID, FileName: d.FileName, Kind: d.Kind}
	name := docName(d)
	if len(d.blank) > 0 {
		p := Problem{Code: CodeBlankPage, Pages: d.blank,
			Message: fmt.Sprintf("%s第%s页为空白页。", name, pageList(d.blank))}
		c.Problems = append(c.Problems, p)
		ws.add(Warning{Code: p.Code, Severity: Note, Message: p.Message, Evidence: pageEvidence(d, d.blank)})
	}
	if len(d.illegible) > 0 {
		p := Problem{Code: CodeUnreadablePage, Pages: d.illegible,
			Message: fmt.Sprintf("%s第%s页无法辨认，其内容未计入，请重新扫描。", name, pageList(d.illegible))}
		c.Problems = append(c.Problems, p)
		ws.add(Warning{Code: p.Code, Severity: Attention, Message: p.Message, Evidence: pageEvidence(d, d.illegible)})
	}
	if art, ok := sealArticle[d.Kind]; ok {
		switch seal(d) {
		case Fail:
			p := Problem{Code: CodeMissingSeal, Message: fmt.Sprintf("%s：%s未加盖公章。", art, name)}
			c.Problems = append(c.Problems, p)
			ev := d.evidence(0)
			if v, ok := d.get("has_seal"); ok {
				ev = v.evidence()
			}
			ws.add(Warning{Code: p.Code, Severity: Attention, Article: art, Message: p.Message, Evidence: []Evidence{ev}})
		case Undeterminable:
			p := Problem{Code: CodeSealUnknown, Message: fmt.Sprintf("%s：无法从扫描件判断%s是否加盖公章（如黑白扫描），请人工核对。", art, name)}
			c.Problems = append(c.Problems, p)
			ws.add(Warning{Code: p.Code, Severity: Attention, Article: art, Message: p.Message, Evidence: []Evidence{d.evidence(0)}})
		}
	}
	if named := KindsNamed(d.FileName); len(named) > 0 && !slices.Contains(named, d.Kind) {
		zh := make([]string, len(named))
		for i, k := range named {
			zh[i] = doc.KindZh(k)
		}
		p := Problem{Code: CodeMisnamedFile, Kinds: named,
			Message: fmt.Sprintf("文件名“%s”像是%s，内容却是%s，请按内容重新命名。",
				d.FileName, strings.Join(zh, "或"), doc.KindZh(d.Kind))}
		c.Problems = append(c.Problems, p)
		ws.add(Warning{Code: p.Code, Severity: Note, Message: p.Message, Evidence: []Evidence{d.evidence(0)}})
	}
	return c
}

// seal tells whether a document carries a seal (公章): its has_seal field if it has one (it reflects
// review), otherwise yes if a seal was found on any page, unknown if some page cannot tell (a scan
// without colour) or the pages are not known, and otherwise no.
func seal(d *docFacts) Outcome {
	if v, ok := d.get("has_seal"); ok {
		if b, ok := v.f.Typed().(bool); ok {
			if b {
				return Pass
			}
			return Fail
		}
	}
	if slices.ContainsFunc(d.Pages, func(p PageInfo) bool { return p.HasSeal }) {
		return Pass
	}
	if len(d.Pages) == 0 || slices.ContainsFunc(d.Pages, func(p PageInfo) bool { return p.SealUnknown }) {
		return Undeterminable
	}
	return Fail
}

func pageList(pages []int) string {
	s := make([]string, len(pages))
	for i, p := range pages {
		s[i] = fmt.Sprint(p)
	}
	return strings.Join(s, "、")
}

func pageEvidence(d *docFacts, pages []int) []Evidence {
	out := make([]Evidence, len(pages))
	for i, p := range pages {
		out[i] = d.evidence(p)
	}
	return out
}

// fileKeywords maps words of file names to the kinds they name. Where keywords overlap, the longest
// one starting first wins ("资质认定证书" is a qualification, not a recognition).
var fileKeywords = map[string]string{
	"申请报告": kindReport, "申报报告": kindReport, "申请书": kindReport,

	"营业执照": kindLicence, "执照": kindLicence, "LICENCE": kindLicence, "LICENSE": kindLicence,

	"法人证书": kindCertificate, "法人登记证书": kindCertificate, "登记证书": kindCertificate,
	"事业单位法人": kindCertificate, "社会团体法人": kindCertificate, "民办非企业": kindCertificate,

	"审计": kindAudit, "AUDIT": kindAudit,

	"租赁": kindLease, "租房": kindLease, "LEASE": kindLease,

	"房产证": kindProperty, "房屋所有权": kindProperty, "不动产": kindProperty, "产权证": kindProperty,

	"服务证明": kindEvidence, "简报": kindEvidence, "总结": kindEvidence, "签到": kindEvidence,
	"通知": kindEvidence, "照片": kindEvidence, "活动": kindEvidence,

	"认定": kindRecognition, "表彰": kindRecognition, "资助": kindRecognition, "荣誉": kindRecognition,
	"获奖": kindRecognition, "牌匾": kindRecognition, "奖牌": kindRecognition,

	"资质": kindQualification, "资质认定": kindQualification, "资格": kindQualification,
	"许可": kindQualification, "备案": kindQualification, "ICP": kindQualification,

	"声明": kindDeclaration, "真实性": kindDeclaration, "承诺书": kindDeclaration,

	"推荐表": kindRecommend, "推荐": kindRecommend,

	"发票": kindOther, "收据": kindOther,
}

var maxKeyword = func() int {
	n := 0
	for k := range fileKeywords {
		n = max(n, len([]rune(k)))
	}
	return n
}()

// KindsNamed returns the kinds a file name names, sorted (none for camera names such as
// IMG_20240412_101523.jpg or names such as 补充材料.pdf). The extension is ignored, letters are
// compared in upper case and full-width characters as half-width.
func KindsNamed(fileName string) []string {
	base := path.Base(strings.ReplaceAll(fileName, `\`, "/"))
	base = strings.TrimSuffix(base, path.Ext(base))
	r := []rune(strings.ToUpper(foldWidth(base)))
	var kinds []string
	for i := 0; i < len(r); {
		n := 0
		for l := min(maxKeyword, len(r)-i); l > 0; l-- {
			if k, ok := fileKeywords[string(r[i:i+l])]; ok {
				if !slices.Contains(kinds, k) {
					kinds = append(kinds, k)
				}
				n = l
				break
			}
		}
		i += max(n, 1)
	}
	slices.Sort(kinds)
	return kinds
}
