package main

import (
	"fmt"
	"strings"
)

// finRow is one line of a financial statement: its label and the two columns (year end, year
// start) in fen. A row without amounts is a heading.
type finRow struct {
	label    string
	end, beg int64
	heading  bool
}

// money prints fen in the statement's unit: 元 (1,234,567.89 or 1234567.89) or 万元 (1,234.57).
type money struct {
	wan, grouping bool
}

func (m money) s(fen int64) string {
	if m.wan {
		return wan(fen, m.grouping)
	}
	if m.grouping {
		return commas(fen)
	}
	return plain(fen)
}

// v is the value a printed amount stands for, in yuan.
func (m money) v(fen int64) float64 {
	if m.wan {
		return wanValue(fen)
	}
	return yuan(fen)
}

func (m money) unit() string {
	if m.wan {
		return "万元"
	}
	return "元"
}

// balanceRows draws the balance sheet of both year ends so that its totals are the truth.
func (a *application) balanceRows() (assets, liab []finRow) {
	g := a.g
	at := a.audit
	col := func(total int64) ([]int64, []int64) {
		cur := total * int64(g.between(50, 80)) / 100
		return splitFen(g, cur, 5), splitFen(g, total-cur, 3)
	}
	ce, ne := col(at.assets)
	cb, nb := col(at.prior[0])
	names := []string{"货币资金", "应收账款", "预付款项", "其他应收款", "存货"}
	for i, n := range names {
		assets = append(assets, finRow{label: n, end: ce[i], beg: cb[i]})
	}
	assets = append(assets, finRow{label: "流动资产合计", end: sum(ce), beg: sum(cb)})
	for i, n := range []string{"固定资产", "无形资产", "长期待摊费用"} {
		assets = append(assets, finRow{label: n, end: ne[i], beg: nb[i]})
	}
	assets = append(assets, finRow{label: "非流动资产合计", end: sum(ne), beg: sum(nb)})
	assets = append(assets, finRow{label: "资产总计", end: at.assets, beg: at.prior[0]})

	lcol := func(total int64) ([]int64, int64) {
		cur := total * int64(g.between(70, 95)) / 100
		return splitFen(g, cur, 6), total - cur
	}
	le, lle := lcol(at.liabilities)
	lb, llb := lcol(at.prior[1])
	for i, n := range []string{"短期借款", "应付账款", "预收款项", "应付职工薪酬", "应交税费", "其他应付款"} {
		liab = append(liab, finRow{label: n, end: le[i], beg: lb[i]})
	}
	liab = append(liab, finRow{label: "流动负债合计", end: sum(le), beg: sum(lb)},
		finRow{label: "长期借款", end: lle, beg: llb},
		finRow{label: "负债合计", end: at.liabilities, beg: at.prior[1]})
	eqE, eqB := at.assets-at.liabilities, at.prior[0]-at.prior[1]
	if a.typ == company {
		capF := min(a.capital*100, eqE*6/10)
		parts := func(eq int64) []int64 {
			c := capF
			r := eq - c
			s := r * int64(g.between(5, 20)) / 100
			su := r * int64(g.between(5, 15)) / 100
			return []int64{c, s, su, r - s - su}
		}
		pe, pb := parts(eqE), parts(eqB)
		for i, n := range []string{"实收资本", "资本公积", "盈余公积", "未分配利润"} {
			liab = append(liab, finRow{label: n, end: pe[i], beg: pb[i]})
		}
		liab = append(liab, finRow{label: "所有者权益合计", end: eqE, beg: eqB},
			finRow{label: "负债和所有者权益总计", end: at.assets, beg: at.prior[0]})
	} else {
		u := eqE * int64(g.between(60, 95)) / 100
		ub := eqB * int64(g.between(60, 95)) / 100
		liab = append(liab, finRow{label: "非限定性净资产", end: u, beg: ub},
			finRow{label: "限定性净资产", end: eqE - u, beg: eqB - ub},
			finRow{label: "净资产合计", end: eqE, beg: eqB},
			finRow{label: "负债和净资产总计", end: at.assets, beg: at.prior[0]})
	}
	return assets, liab
}

func sum(xs []int64) int64 {
	var s int64
	for _, x := range xs {
		s += x
	}
	return s
}

// incomeRows draws the income statement (利润表, or for non-profit bodies the 业务活动表).
func (a *application) incomeRows() (title string, rows []finRow) {
	g := a.g
	at := a.audit
	r, rb := at.revenue, at.prior[2]
	if a.typ != company {
		split := func(total int64) []int64 { return splitFen(g, total, 3) }
		se, sb := split(r), split(rb)
		ee, eb := r*int64(g.between(80, 98))/100, rb*int64(g.between(80, 98))/100
		rows = []finRow{{label: "一、收入", heading: true}}
		for i, n := range []string{"提供服务收入", "政府补助收入", "其他收入"} {
			rows = append(rows, finRow{label: "其中：" + n, end: se[i], beg: sb[i]})
			if i == 0 {
				continue
			}
			rows[len(rows)-1].label = n
		}
		rows = append(rows, finRow{label: "收入合计", end: r, beg: rb},
			finRow{label: "二、费用", heading: true},
			finRow{label: "业务活动成本", end: ee * 7 / 10, beg: eb * 7 / 10},
			finRow{label: "管理费用", end: ee - ee*7/10, beg: eb - eb*7/10},
			finRow{label: "费用合计", end: ee, beg: eb},
			finRow{label: "三、净资产变动额", end: r - ee, beg: rb - eb})
		return "业务活动表", rows
	}
	line := func(total int64, pc int) int64 { return total * int64(pc) / 100 }
	mk := func(rev int64) []int64 {
		cost := line(rev, g.between(45, 70))
		tax := line(rev, 1)
		sell := line(rev, g.between(2, 8))
		adm := line(rev, g.between(8, 18))
		fin := line(rev, 1)
		op := rev - cost - tax - sell - adm - fin
		inc := line(rev, g.between(0, 3))
		exp := line(rev, g.between(0, 1))
		tot := op + inc - exp
		it := tot * int64(g.between(5, 15)) / 100
		return []int64{rev, cost, tax, sell, adm, fin, op, inc, exp, tot, it, tot - it}
	}
	e, b := mk(r), mk(rb)
	names := []string{"一、营业收入", "减：营业成本", "税金及附加", "销售费用", "管理费用", "财务费用", "二、营业利润",
		"加：营业外收入", "减：营业外支出", "三、利润总额", "减：所得税费用", "四、净利润"}
	for i, n := range names {
		rows = append(rows, finRow{label: n, end: e[i], beg: b[i]})
	}
	return "利润表", rows
}

// audit builds the 审计报告: an opinion page, the balance sheet (columns in varying order, with or
// without 行次, in 元 or 万元), the income statement and the 服务收支 figures.
func (a *application) auditReport() *document {
	g := a.g
	at := a.audit
	layout := a.pickLayout("audit.")
	d := newDoc("audit_report", layout)
	m := money{wan: g.chance(0.3), grouping: g.chance(0.75)}
	lineNo := g.chance(0.5)
	openingFirst := g.chance(0.4)
	cols := pick(g, [][2]string{{"期末余额", "年初余额"}, {"期末数", "期初数"}, {"年末数", "年初数"},
		{"期末余额", "上年年末余额"}, {"本年年末数", "上年年末数"}})
	d.vary(fmt.Sprintf("unit=%s rowno=%v opening-first=%v cols=%s/%s", m.unit(), lineNo, openingFirst, cols[0], cols[1]))
	assets, liab := a.balanceRows()
	net := at.assets - at.liabilities

	d.set("org_name", a.org, "")
	d.set("audit_firm", at.firm, "")
	d.set("audit_year", at.year, "")
	d.set("audit_opinion", at.opinion, "")
	d.set("total_assets_yuan", m.v(at.assets), m.s(at.assets))
	d.set("total_liabilities_yuan", m.v(at.liabilities), m.s(at.liabilities))
	d.set("net_assets_yuan", m.v(net), m.s(net))
	d.set("revenue_yuan", m.v(at.revenue), m.s(at.revenue))

	y := at.year
	firmShort := strings.TrimSuffix(strings.Split(at.firm, "会计师")[0], "西藏")
	docNo := fmt.Sprintf("藏%s审字〔%d〕第%04d号", string([]rune(firmShort)[:min(2, len([]rune(firmShort)))]), y+1, g.between(10, 999))
	issuedS := fmtDate(at.issued, pick(g, []int{dateHan, dateHan, dateCN, dateCN0}))
	entity := map[orgType]string{company: "贵公司", institution: "贵单位", association: "贵会", privateNonEn: "贵单位"}[a.typ]
	std := map[orgType]string{company: "企业会计准则", institution: "政府会计准则", association: "民间非营利组织会计制度",
		privateNonEn: "民间非营利组织会计制度"}[a.typ]
	incTitle, inc := a.incomeRows()

	if layout == "audit.cover-notes" {
		p := d.newPage()
		p.gap(6)
		p.div("h1", a.org)
		p.div("big", pick(g, []string{"审计报告", "审 计 报 告", "财务报表审计报告"}))
		p.div("center", docNo)
		p.gap(10)
		p.div("center", at.firm)
		p.div("center", issuedS)
	}
	if a.has("blank_page") && layout == "audit.cover-notes" {
		d.newPage().blank = true
		a.note("the audit report has a blank page after its cover")
	}

	// The opinion.
	p := d.newPage()
	p.div("h1", "审计报告")
	p.div("center", docNo)
	p.div("", a.org+pick(g, []string{"全体股东：", "：", "全体会员："}))
	p.h2("一、" + map[string]string{"unqualified": "审计意见", "qualified": "保留意见"}[at.opinion])
	p.para(fmt.Sprintf("我们审计了%s（以下简称“%s”）财务报表，包括%d年12月31日的资产负债表，%d年度的%s、现金流量表以及相关财务报表附注。",
		a.org, strings.TrimPrefix(entity, "贵"), y, y, incTitle))
	if at.opinion == "qualified" {
		p.para(fmt.Sprintf("我们认为，除“形成保留意见的基础”部分所述事项可能产生的影响外，后附的财务报表在所有重大方面按照%s的规定编制，公允反映了%s%d年12月31日的财务状况以及%d年度的经营成果。", std, entity, y, y))
		p.h2("二、形成保留意见的基础")
		p.para(fmt.Sprintf("如财务报表附注所述，%s部分往来款项未能取得函证回函，我们无法实施替代程序获取充分、适当的审计证据。", entity))
	} else {
		p.para(fmt.Sprintf("我们认为，后附的财务报表在所有重大方面按照%s的规定编制，公允反映了%s%d年12月31日的财务状况以及%d年度的经营成果和现金流量。", std, entity, y, y))
		p.h2("二、形成审计意见的基础")
		p.para("我们按照中国注册会计师审计准则的规定执行了审计工作。我们相信，我们获取的审计证据是充分、适当的，为发表审计意见提供了基础。")
	}
	p.h2("三、管理层对财务报表的责任")
	p.para(fmt.Sprintf("%s管理层负责按照%s的规定编制财务报表，使其实现公允反映，并设计、执行和维护必要的内部控制。", entity, std))
	p.gap(1)
	fs := g.seal(at.firm)
	p.paraHTML("right", esc(at.firm)+fs.anchor(), at.firm)
	p.div("right", "中国注册会计师："+at.accountant[0])
	p.div("right", "中国注册会计师："+at.accountant[1])
	p.div("right", "中国·"+pick(g, []string{"拉萨", "拉萨市", a.pref.name}))
	p.div("right", issuedS)
	if a.has("blank_page") && layout != "audit.cover-notes" {
		d.newPage().blank = true
		a.note("the audit report has a blank page after the opinion")
	}

	// The balance sheet.
	p = d.newPage()
	p.div("h1", "资产负债表")
	head := []cell{c("编制单位：" + a.org), c(fmt.Sprintf("%d年12月31日", y)), c("单位：" + m.unit())}
	if m.wan && g.chance(0.5) {
		head[2] = c("金额单位：人民币万元")
	}
	p.table("plain small", []int{50, 25, 25}, [][]cell{head})
	amounts := func(r finRow) []cell {
		if r.heading {
			return []cell{c(""), c("")}
		}
		a, b := cell{text: m.s(r.end), class: "n"}, cell{text: m.s(r.beg), class: "n"}
		if openingFirst {
			return []cell{b, a}
		}
		return []cell{a, b}
	}
	colHead := func() []cell {
		if openingFirst {
			return []cell{hc(cols[1]), hc(cols[0])}
		}
		return []cell{hc(cols[0]), hc(cols[1])}
	}
	rowCells := func(r finRow, n int) []cell {
		out := []cell{c(r.label)}
		if lineNo {
			out = append(out, c(itoa(n)))
		}
		return append(out, amounts(r)...)
	}
	blankCells := func() []cell {
		n := 3
		if lineNo {
			n = 4
		}
		return make([]cell, n)
	}
	var rows [][]cell
	if layout == "audit.stacked" {
		h := []cell{hc("项　目")}
		if lineNo {
			h = append(h, hc("行次"))
		}
		rows = append(rows, append(h, colHead()...))
		rows = append(rows, []cell{span("资产：", len(h)+2)})
		for i, r := range assets {
			rows = append(rows, rowCells(r, i+1))
		}
		rows = append(rows, []cell{span("负债和"+map[bool]string{true: "所有者权益", false: "净资产"}[a.typ == company]+"：", len(h)+2)})
		for i, r := range liab {
			rows = append(rows, rowCells(r, 31+i))
		}
	} else {
		h := []cell{hc("资　产")}
		h2 := []cell{hc("负债和" + map[bool]string{true: "所有者权益", false: "净资产"}[a.typ == company])}
		if lineNo {
			h = append(h, hc("行次"))
			h2 = append(h2, hc("行次"))
		}
		rows = append(rows, append(append(h, colHead()...), append(h2, colHead()...)...))
		for i := 0; i < max(len(assets), len(liab)); i++ {
			var row []cell
			if i < len(assets) {
				row = rowCells(assets[i], i+1)
			} else {
				row = blankCells()
			}
			if i < len(liab) {
				row = append(row, rowCells(liab[i], 31+i)...)
			} else {
				row = append(row, blankCells()...)
			}
			rows = append(rows, row)
		}
	}
	p.table("fin", nil, rows)
	p.div("small", fmt.Sprintf("单位负责人：%s　　主管会计工作负责人：%s　　会计机构负责人：%s", a.legalRep, a.contact, a.contact))

	// The income statement.
	p = d.newPage()
	p.div("h1", incTitle)
	p.table("plain small", []int{50, 25, 25}, [][]cell{{c("编制单位：" + a.org), c(fmt.Sprintf("%d年度", y)), c("单位：" + m.unit())}})
	icols := pick(g, [][2]string{{"本期金额", "上期金额"}, {"本年累计数", "上年同期数"}, {"本年金额", "上年金额"}})
	ih := []cell{hc("项　目")}
	if lineNo {
		ih = append(ih, hc("行次"))
	}
	if openingFirst && g.chance(0.5) {
		ih = append(ih, hc(icols[1]), hc(icols[0]))
	} else {
		ih = append(ih, hc(icols[0]), hc(icols[1]))
		openingFirst = false
	}
	irows := [][]cell{ih}
	for i, r := range inc {
		irows = append(irows, rowCells(r, i+1))
	}
	iw := []int{50, 25, 25}
	if lineNo {
		iw = []int{46, 8, 23, 23}
	}
	p.table("fin", iw, irows)

	// Service income and expense: a special report, a note, or nothing.
	switch k := pickW(g, 55, 30, 15); {
	case k == 0 || (k == 1 && layout != "audit.cover-notes"):
		d.set("service_revenue_yuan", m.v(at.serviceRev), m.s(at.serviceRev))
		d.set("service_expense_yuan", m.v(at.serviceExp), m.s(at.serviceExp))
		p = d.newPage()
		p.div("h1", fmt.Sprintf("关于%d年度服务收支情况的专项审计报告", y))
		p.div("center", strings.Replace(docNo, "审字", "专审字", 1))
		p.div("", a.org+"：")
		p.para(fmt.Sprintf("我们接受委托，对%s%d年度服务收支情况进行了专项审计，现将有关情况报告如下：", a.org, y))
		rev := splitFen(g, at.serviceRev, 4)
		exp := splitFen(g, at.serviceExp, 3)
		rows := [][]cell{{hc("项　目"), hc("金额（" + m.unit() + "）")}, {c("一、服务收入"), c("")}}
		for i, n := range []string{"信息咨询服务收入", "培训服务收入", "技术服务收入", "创业及融资服务收入"} {
			rows = append(rows, []cell{c(n), {text: m.s(rev[i]), class: "n"}})
		}
		rows = append(rows, []cell{c("服务收入合计"), {text: m.s(at.serviceRev), class: "n"}}, []cell{c("二、服务支出"), c("")})
		for i, n := range []string{"人员费用", "活动组织费用", "场地及设备费用"} {
			rows = append(rows, []cell{c(n), {text: m.s(exp[i]), class: "n"}})
		}
		rows = append(rows, []cell{c("服务支出合计"), {text: m.s(at.serviceExp), class: "n"}},
			[]cell{c("三、服务收支结余"), {text: m.s(at.serviceRev - at.serviceExp), class: "n"}})
		p.table("fin", []int{60, 40}, rows)
		p.paraHTML("right", esc(at.firm)+g.seal(at.firm).anchor(), at.firm)
		p.div("right", issuedS)
	case k == 1:
		d.set("service_revenue_yuan", m.v(at.serviceRev), m.s(at.serviceRev))
		d.set("service_expense_yuan", m.v(at.serviceExp), m.s(at.serviceExp))
		p.h2("附注：服务收支情况")
		p.para(fmt.Sprintf("%d年度，%s为中小企业提供服务取得服务收入%s%s，发生服务支出%s%s，服务收支结余%s%s。",
			y, a.org, m.s(at.serviceRev), m.unit(), m.s(at.serviceExp), m.unit(), m.s(at.serviceRev-at.serviceExp), m.unit()))
	default:
		d.vary("no-service-figures")
	}
	return d
}
