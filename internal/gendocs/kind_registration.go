package main

import (
	"fmt"
	"strings"
	"time"
)

var companyTypes = []string{"有限责任公司（自然人投资或控股）", "有限责任公司（自然人独资）", "其他有限责任公司",
	"股份有限公司（非上市、自然人投资或控股）", "有限责任公司（非自然人投资或控股的法人独资）"}

// licence builds the 营业执照 (副本): a 三证合一 licence with the credit code, or an old licence with a
// 15-digit 注册号 and no credit code.
func (a *application) licence() *document {
	g := a.g
	layout := a.licenceLayout
	d := newDoc("business_licence", layout)
	old := strings.Contains(layout, "old-regno")
	if old && a.established.After(ymd(2015, 9, 30)) {
		// A young organisation (a defect) cannot hold an old licence.
		layout = pick(g, []string{"licence.3in1.side-by-side", "licence.3in1.grid4"})
		d.layouts[0], old = layout, false
	}
	capS := fmtCapital(a.capital, g.intn(nCapStyles))
	estS := fmtDate(a.established, g.intn(nDateStyles))
	endT := a.termEnd
	termStyle := g.intn(nDateStyles)
	startS := fmtDate(a.established, termStyle)
	endS := "长期"
	if endT != "长期" {
		t, _ := time.Parse(time.DateOnly, endT)
		endS = fmtDate(t, termStyle)
	}
	termS := startS + pick(g, []string{" 至 ", "至", "——"}) + endS
	d.set("org_name", a.org, "")
	if !old {
		d.set("credit_code", a.code, "")
	}
	d.set("legal_representative", a.legalRep, "")
	d.set("registered_capital_yuan", float64(a.capital), capS)
	d.set("established_date", iso(a.established), estS)
	d.set("operating_term_end", endT, termS)
	d.set("premises_address", a.address, "")
	typ := pick(g, companyTypes)
	issued := g.date(a.established, a.submission.AddDate(0, -1, 0))
	issuedS := fmtDate(issued, g.intn(nDateStyles))
	authSeal := g.seal(a.regAuth)
	authSeal.under = pick(g, []string{"", "登记专用章"})

	p := d.newPage()
	p.bodyStyle = "border:10px double #b8892f;"
	switch layout {
	case "licence.3in1.side-by-side", "licence.3in1.grid4", "licence.3in1.header-row":
		top := []cell{c("统一社会信用代码 " + a.code), c(""), c(pick(g, []string{"证照编号：", "编号："}) + fmt.Sprintf("%s%09d", a.cty.code, g.intn(1e9)))}
		p.table("plain", []int{45, 15, 40}, [][]cell{top})
		p.div("big", "营业执照")
		p.div("center", "（副　本）")
		left := []entry{e("名　　称", a.org), e("类　　型", typ), e("法定代表人", a.legalRep), wideE("经营范围", a.scope)}
		right := []entry{e("注册资本", capS), e(g.label("established"), estS), e("营业期限", termS), wideE("住　　所", a.address)}
		switch layout {
		case "licence.3in1.side-by-side":
			var l, r page
			arrange(&l, arrSpaced, left, "")
			arrange(&r, arrSpaced, right, "")
			p.add(`<div style="display:flex;gap:2em"><div style="flex:1">`+l.body.String()+`</div><div style="flex:1">`+r.body.String()+`</div></div>`,
				append(l.lines, r.lines...)...)
		case "licence.3in1.grid4":
			es := []entry{e("名称", a.org), e("类型", typ), e("法定代表人", a.legalRep), e("注册资本", capS),
				e(g.label("established"), estS), e("营业期限", termS), wideE("住所", a.address), wideE("经营范围", a.scope)}
			arrange(p, arrTable4, es, "")
		default:
			es := []entry{e("名称", a.org), e("类型", typ), e("法定代表人", a.legalRep), e("注册资本", capS),
				e(g.label("established"), estS), e("营业期限", termS), wideE("住所", a.address), wideE("经营范围", a.scope)}
			arrange(p, arrHeaderRow, es, "")
		}
	default:
		p.div("big", "企业法人营业执照")
		p.div("center", "（副　本）")
		p.div("right", "注册号："+a.regNo)
		if layout == "licence.old-regno.prose" {
			es := []entry{e("名　　称", a.org), e("住　　所", a.address), e("法定代表人姓名", a.legalRep),
				e("注册资本", capS), e("实收资本", capS), e("公司类型", typ), wideE("经营范围", a.scope),
				e("成立日期", estS), e("营业期限", termS)}
			arrange(p, arrProse, es, "：")
		} else {
			es := []entry{e("名称", a.org), e("成立日期", estS), e("住所", a.address), e("法定代表人", a.legalRep),
				e("注册资本", capS), e("公司类型", typ), e("营业期限", termS), wideE("经营范围", a.scope)}
			arrange(p, arrSpaced, es, "")
		}
	}
	p.gap(1.5)
	p.paraHTML("right", "登记机关"+authSeal.anchor(), "登记机关")
	p.div("right", issuedS)
	if !old {
		p.div("center small", "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn")
	}
	return d
}

// certificate builds a 事业单位/社会团体/民办非企业单位 法人证书.
func (a *application) certificate() *document {
	g := a.g
	layout := a.pickLayout("certificate.")
	d := newDoc("legal_person_certificate", layout)
	capLabel := map[orgType]string{institution: "开办资金", association: "注册资金", privateNonEn: "开办资金"}[a.typ]
	title := map[orgType]string{institution: "事业单位法人证书", association: "社会团体法人登记证书",
		privateNonEn: "民办非企业单位登记证书（法人）"}[a.typ]
	capS := fmtCapital(a.capital, pick(g, []int{capUpper, capUpperPlain, capWan, capYuan}))
	style := g.intn(nDateStyles)
	estS := fmtDate(a.established, style)
	end, _ := time.Parse(time.DateOnly, a.termEnd)
	termS := "自" + fmtDate(a.termStart, style) + "至" + fmtDate(end, style)
	d.set("org_name", a.org, "")
	d.set("credit_code", a.code, "")
	d.set("legal_representative", a.legalRep, "")
	d.set("registered_capital_yuan", float64(a.capital), capS)
	d.set("established_date", iso(a.established), estS)
	d.set("operating_term_end", a.termEnd, termS)
	d.set("premises_address", a.address, "")
	es := []entry{
		e("名称", a.org),
		e(pick(g, []string{"统一社会信用代码", "社会信用代码"}), a.code),
		wideE(map[orgType]string{institution: "宗旨和业务范围", association: "业务范围", privateNonEn: "业务范围"}[a.typ], a.scope),
		wideE("住所", a.address),
		e(pick(g, []string{"法定代表人", "法定代表人（负责人）"}), a.legalRep),
		e(capLabel, capS),
		e(pick(g, []string{"成立日期", "成立时间", "设立日期"}), estS),
		e(map[orgType]string{institution: "举办单位", association: "业务主管单位", privateNonEn: "业务主管单位"}[a.typ], a.pref.name+pick(g, []string{"经济和信息化局", "人民政府", "科学技术局"})),
		e(pick(g, []string{"有效期", "有效期限"}), termS),
	}
	if a.typ == institution {
		es = append(es, e("经费来源", pick(g, []string{"财政补助", "经费自理", "财政全额拨款"})))
	}
	if a.typ == association {
		es = append(es, e("活动地域", a.pref.name))
	}
	shuffle(g, es[2:])
	p := d.newPage()
	p.bodyStyle = "border:8px solid #a33;outline:2px solid #a33;outline-offset:-18px;"
	p.div("big", title)
	p.div("center", fmt.Sprintf("证号：第%05d号", g.intn(1e5)))
	switch layout {
	case "certificate.prose":
		arrange(p, arrProse, es, pick(g, []string{"：", ":", "　"}))
	case "certificate.table2":
		arrange(p, arrTable2, es, "")
	default:
		arrange(p, arrVertical, es, "")
	}
	p.gap(1)
	s := g.seal(a.regAuth)
	p.paraHTML("right", esc("登记管理机关")+s.anchor(), "登记管理机关")
	p.div("right", fmtDate(a.termStart, style))
	return d
}
