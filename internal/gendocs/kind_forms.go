package main

import (
	"fmt"
	"strings"
)

// declaration builds the 申报材料真实性声明 (第十七条（八）), sealed unless the folder's defect says
// otherwise.
func (a *application) declaration() *document {
	g := a.g
	layout := a.pickLayout("declaration.")
	d := newDoc("authenticity_declaration", layout)
	sealed := !a.has("declaration_unsealed")
	if !sealed {
		a.note("the authenticity declaration carries no seal")
	}
	name := a.org
	if a.has("name_mismatch") && a.lease == nil {
		name = variantName(a.org)
		a.note("the declaration names %s, not %s", name, a.org)
	}
	code := a.code
	if a.has("bad_credit_code") {
		code = badCode(g, a.code)
		a.note("the declaration prints credit code %s, whose check character is wrong", code)
	}
	printCode := g.chance(0.7) || a.has("bad_credit_code")
	signed := a.submission.AddDate(0, 0, -g.between(1, 15))
	dateS := d.date(g, "issue_date", signed)
	d.set("org_name", name, "")
	if printCode {
		d.set("credit_code", code, "")
	}
	d.set("has_seal", sealed, "")
	sealHTML := ""
	if sealed {
		sealHTML = g.seal(name).anchor()
	}
	p := d.newPage()
	switch layout {
	case "declaration.letter":
		p.div("h1", pick(g, []string{"申报材料真实性声明", "关于申报材料真实性的声明", "真实性声明"}))
		p.div("", "西藏自治区经济和信息化厅：")
		p.para("我单位申请认定西藏自治区中小企业公共服务示范平台，特作如下声明：所报送的全部材料（含申请报告、登记证照、审计报告、场所证明及服务证明）内容属实、数据准确，复印件与原件一致，我单位对材料的真实性负责。")
		p.para("如存在弄虚作假，我单位自愿接受取消资格、撤销认定等处理，并依法承担相应责任。")
		p.para("特此声明。")
		p.gap(2)
		lab := pick(g, []string{"申报单位（公章）：", "声明单位（盖章）：", "单位名称（盖章）："})
		p.paraHTML("right", esc(lab+name)+sealHTML, lab+name)
		if printCode {
			p.div("right", pick(g, []string{"统一社会信用代码：", "社会信用代码："})+code)
		}
		p.paraHTML("right", esc("法定代表人（签字）：")+sig(a.legalRep), "法定代表人（签字）："+a.legalRep)
		p.div("right", pick(g, []string{"日　　期：", "日期：", ""})+dateS)
	default:
		p.div("h1", pick(g, []string{"诚信承诺书", "申报材料真实性承诺书"}))
		p.para("为申报西藏自治区中小企业公共服务示范平台，本单位郑重承诺：")
		for i, s := range []string{"所提交的全部申报材料真实、准确、完整，复印件与原件一致；",
			"近三年无严重违法失信行为，未被列入经营异常名录或严重违法失信名单；",
			"严格遵守示范平台认定管理的各项规定，接受主管部门的监督检查；",
			"如有虚假，自愿承担相应法律责任，并接受取消认定资格等处理。"} {
			p.para(fmt.Sprintf("%d. %s", i+1, s))
		}
		p.gap(2)
		rows := [][]cell{
			{hc("承诺单位（盖章）"), {text: name, html: esc(name) + sealHTML}},
		}
		if printCode {
			rows = append(rows, []cell{hc("统一社会信用代码"), c(code)})
		}
		rows = append(rows, []cell{hc("法定代表人（签字）"), {text: a.legalRep, html: sig(a.legalRep)}},
			[]cell{hc("承诺日期"), c(dateS)})
		p.table("plain", []int{35, 65}, rows)
	}
	return d
}

// recommendation builds the 推荐表 (附件1, 第十六条), filled in and sealed by the recommender. Its
// 平台名称 is the platform's own name, not the applicant's.
func (a *application) recommendation() *document {
	g := a.g
	layout := a.pickLayout("recommendation.")
	d := newDoc("recommendation_form", layout)
	signed := a.submission.AddDate(0, 0, -g.between(0, 6))
	dateS := d.date(g, "issue_date", signed)
	d.set("org_name", a.org, "")
	d.set("functions", append([]string{}, a.functions...), "")
	d.set("issuer", a.recommender, "")
	d.set("has_seal", true, "")
	m := pick(g, markSets)
	var fn []string
	for _, f := range functionNames {
		mark := m.no
		for _, x := range a.functions {
			if x == f.key {
				mark = m.yes
			}
		}
		fn = append(fn, mark+f.zh)
	}
	fnS := strings.Join(fn, pick(g, []string{"　", " "}))
	intro := fmt.Sprintf("%s运营的“%s”成立于%d年，%d年服务中小企业%d家，集聚服务机构%d家。", a.org, a.platform,
		a.established.Year(), a.evalYear, a.smesLast, a.partners)
	opinion := pick(g, []string{"经认真审核，该单位材料齐全、情况属实，具备认定条件，我局同意推荐。",
		"该平台运营规范、服务成效明显，企业评价良好，推荐参加自治区级示范平台认定。"})
	s := g.seal(a.recommender)
	recHTML := esc(opinion) + `<br><br><div class="right">` + esc("推荐单位（盖章）："+a.recommender) + s.anchor() + `</div><div class="right">` + esc(dateS) + `</div>`
	recText := opinion + "\n推荐单位（盖章）：" + a.recommender + "\n" + dateS
	nameLabel := pick(g, labels["platform_name"])
	orgLabel := pick(g, []string{"申报单位名称", "运营单位", "申报单位", "平台运营单位名称"})
	d.vary("labels=" + nameLabel + "/" + orgLabel)

	p := d.newPage()
	p.div("", "附件1")
	p.div("h1", "西藏自治区中小企业公共服务示范平台推荐表")
	switch layout {
	case "recommendation.big-table":
		p.table("grid", []int{20, 30, 20, 30}, [][]cell{
			{hc(nameLabel), span(a.platform, 3)},
			{hc(orgLabel), span(a.org, 3)},
			{hc(pick(g, labels["nature"])), c(a.typ.nature()), hc("所在地（市）"), c(a.pref.name)},
			{hc("联系人"), c(a.contact), hc("联系电话"), c(a.phone)},
			{hc("平台服务功能"), span(fnS, 3)},
			{hc("平台简介"), span(intro, 3)},
			{hc("推荐单位意见"), {text: recText, html: recHTML, colspan: 3}},
		})
	case "recommendation.vertical-groups":
		p.table("grid", []int{8, 20, 72}, [][]cell{
			{vcell("申报单位情况", 5), hc(nameLabel), c(a.platform)},
			{hc(orgLabel), c(a.org)},
			{hc("所在地（市）"), c(a.pref.name)},
			{hc("联系人及电话"), c(a.contact + " " + a.phone)},
			{hc("服务功能"), c(fnS)},
			{vcell("推荐意见", 1), {text: recText, html: recHTML, colspan: 2}},
		})
	default:
		p.table("grid lb", nil, [][]cell{
			{c(a.platform), c(a.org), c(a.pref.name)},
			{hc(nameLabel), hc(orgLabel), hc("所在地（市）")},
		})
		p.table("grid", []int{22, 78}, [][]cell{
			{hc("联系人"), c(a.contact + "　" + a.phone)},
			{hc("服务功能"), c(fnS)},
			{hc("平台简介"), c(intro)},
			{hc("推荐单位意见"), {text: recText, html: recHTML}},
		})
	}
	return d
}

// otherDoc builds a document that serves no item: an invoice or a bank receipt.
func (a *application) otherDoc() *document {
	g := a.g
	layout := a.pickLayout("other.")
	d := newDoc("other", layout)
	p := d.newPage()
	when := g.date(ymd(a.evalYear, 2, 1), ymd(a.evalYear, 12, 20))
	seller := g.otherOrg(a.pref)
	switch layout {
	case "other.invoice-digital":
		amt := int64(g.between(200000, 3000000))
		tax := amt * 6 / 100
		p.div("redhead", "电子发票（普通发票）")
		p.table("plain small", []int{60, 40}, [][]cell{
			{c(""), c(fmt.Sprintf("发票号码：%d%018d", a.evalYear%100, g.r.Int64N(1e18)))},
			{c(""), c("开票日期：" + fmtDate(when, dateCN))},
		})
		p.table("grid", []int{6, 44, 6, 44}, [][]cell{
			{vcell("购买方信息", 1), {text: "名称：" + a.org + "\n统一社会信用代码/纳税人识别号：" + a.code,
				html: esc("名称："+a.org) + "<br>" + esc("统一社会信用代码/纳税人识别号："+a.code)},
				vcell("销售方信息", 1), {text: "名称：" + seller, html: esc("名称：" + seller)}},
		})
		p.table("grid small", nil, [][]cell{
			{hc("项目名称"), hc("单位"), hc("数量"), hc("单价"), hc("金额"), hc("税率/征收率"), hc("税额")},
			{c("*现代服务*会议服务费"), c("次"), c("1"), c(plain(amt)), c(plain(amt)), c("6%"), c(plain(tax))},
			{c("合　　计"), c(""), c(""), c(""), c("¥" + plain(amt)), c(""), c("¥" + plain(tax))},
			{c("价税合计（大写）"), span(upperYuan(amt+tax), 3), c("（小写）"), span("¥"+plain(amt+tax), 2)},
		})
		p.div("small", "开票人："+g.person())
	default:
		amt := int64(g.between(3000000, 40000000))
		bank := pick(g, banks)
		p.div("h1", bank+"电子回单")
		p.table("grid", []int{8, 18, 74}, [][]cell{
			{vcell("付款人", 3), hc("户名"), c(a.org)},
			{hc("账号"), c(fmt.Sprintf("%d", 6200000000000000000+g.r.Int64N(1e15)))},
			{hc("开户行"), c(bank + a.pref.short + "支行")},
			{vcell("收款人", 2), hc("户名"), c(seller)},
			{hc("账号"), c(fmt.Sprintf("%d", 6200000000000000000+g.r.Int64N(1e15)))},
		})
		p.table("grid", []int{26, 74}, [][]cell{
			{hc("金额（小写）"), c("¥" + commas(amt))},
			{hc("金额（大写）"), c(upperYuan(amt))},
			{hc("用途"), c(pick(g, []string{"房租", "物业费", "服务费", "会议费"}))},
			{hc("交易时间"), c(when.Format("2006-01-02") + fmt.Sprintf(" %02d:%02d:%02d", g.between(8, 18), g.intn(60), g.intn(60)))},
		})
		s := g.seal(bank)
		s.under = "电子回单专用章"
		s.oval = true
		p.paraHTML("right", "回单专用"+s.anchor(), "回单专用")
	}
	return d
}
