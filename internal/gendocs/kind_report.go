package main

import (
	"fmt"
	"strings"
)

// report builds the 申请报告 (附件2): the applicant's basic facts, its service capacity and record,
// the 第十三条 function table in one of several forms, and the pledge with the applicant's seal.
func (a *application) report() *document {
	g := a.g
	layout := a.pickLayout("report.")
	fnLayout := a.pickLayout("functions.")
	d := newDoc("application_report", layout, fnLayout)
	sealed := !a.has("report_unsealed")
	if !sealed {
		a.note("the application report carries no seal")
	}
	d.set("has_seal", sealed, "")
	signed := a.submission.AddDate(0, 0, -g.between(2, 25))
	dateStyle := g.intn(nDateStyles)
	signedS := fmtDate(signed, dateStyle)

	// Figures as printed.
	assetsWan := g.chance(0.65)
	var assetsS string
	if assetsWan {
		assetsS = wan(a.audit.assets, false) + "万元"
		d.set("total_assets_yuan", wanValue(a.audit.assets), assetsS)
	} else {
		assetsS = commas(a.audit.assets) + "元"
		d.set("total_assets_yuan", yuan(a.audit.assets), assetsS)
	}
	estS := fmtDate(a.established, g.intn(nDateStyles))
	d.set("org_name", a.org, "")
	d.set("credit_code", a.code, "")
	d.set("legal_representative", a.legalRep, "")
	d.set("established_date", iso(a.established), estS)
	d.set("staff_total", a.staffTotal, "")
	d.set("staff_qualified", a.staffQualified, "")
	d.set("smes_served_last_year", a.smesLast, "")
	d.set("smes_served_prior_year", a.smesPrior, "")
	d.set("satisfaction_pct", a.satisfaction, pct(a.satisfaction))
	d.set("partner_institutions", a.partners, "")
	d.set("public_service_share_pct", a.publicShare, pct(a.publicShare))
	d.set("service_events_last_year", a.events, "")
	d.set("trainees_last_year", a.trainees, "")
	d.set("functions", append([]string{}, a.functions...), "")
	d.perFunction = a.perFunctionFields()

	sealHTML := func() string {
		if !sealed {
			return ""
		}
		s := g.seal(a.org)
		return s.anchor()
	}
	y, py := a.evalYear, a.evalYear-1

	// The cover and the basic facts.
	p := d.newPage()
	if g.chance(0.7) {
		p.div("", pick(g, []string{"附件2", "附件 2", "附件二"}))
	}
	if g.chance(0.5) {
		p.div("h1", "西藏自治区中小企业公共服务示范平台")
		p.div("h1", pick(g, []string{"申请报告", "申 请 报 告", "申报报告"}))
	} else {
		p.div("h1", "西藏自治区中小企业公共服务示范平台申请报告")
	}
	p.gap(0.6)
	coverLabel := pick(g, []string{"申报单位（盖章）", "申报单位(公章)", "申请单位（盖章）"})
	coverSeal := sealed && g.chance(0.6)
	sh := ""
	if coverSeal {
		sh = sealHTML()
	}
	p.paraHTML("kv", esc(coverLabel+"：")+esc(a.org)+sh, coverLabel+"："+a.org)
	p.kv(pick(g, []string{"推荐单位", "推 荐 单 位", "推荐部门"}), "：", a.recommender)
	p.kv(pick(g, []string{"申报日期", "申 报 日 期", "填报日期"}), "：", signedS)
	p.gap(0.5)

	basic := []entry{
		e(g.label("org_name"), a.org),
		e(pick(g, labels["credit_code"][:2]), a.code),
		e(g.label("nature"), a.typ.nature()),
		e(g.label("legal_rep"), a.legalRep),
		e(g.label("established"), estS),
		e(g.label("total_assets"), assetsS),
		e(g.label("contact"), a.contact),
		e(g.label("phone"), a.phone),
		wideE(pick(g, []string{"通讯地址", "办公地址", "地址"}), a.address),
	}
	if g.chance(0.4) {
		basic[0], basic[1] = basic[1], basic[0]
	}
	how := pick(g, []string{arrTable4, arrTable2, arrProse, arrHeaderRow, arrLabelsBelow})
	if layout == "report.form-grid" {
		how = pick(g, []string{arrTable4, arrHeaderRow})
	}
	d.vary("basic=" + how)
	p.h2(pick(g, []string{"一、申报单位基本情况", "一、基本情况", "一、单位概况"}))
	arrange(p, how, basic, "：")
	if layout == "report.prose-only" {
		p.para(fmt.Sprintf("%s成立于%s，%s为%s，统一社会信用代码%s。", a.org, estS, pick(g, []string{"法定代表人", "负责人"}), a.legalRep, a.code))
	}

	// Capacity and record.
	p = d.newPage()
	qualPct := fmt.Sprintf("%.1f%%", float64(a.staffQualified)*100/float64(a.staffTotal))
	p.h2(pick(g, []string{"二、服务能力", "二、服务能力情况", "二、人员及服务条件"}))
	staffSentence := pick(g, []string{
		fmt.Sprintf("本单位现有从事为中小企业服务的人员%d人，其中大专及以上学历和中级及以上技术职称专业人员%d人，占%s。", a.staffTotal, a.staffQualified, qualPct),
		fmt.Sprintf("平台服务团队共有%d人，其中具有大专及以上学历和中级及以上技术职称的专业人员%d人，占比%s。", a.staffTotal, a.staffQualified, qualPct),
		fmt.Sprintf("截至%d年底，平台从事中小企业服务的人员为%d人，大专及以上学历和中级及以上职称人员%d人。", y, a.staffTotal, a.staffQualified),
	})
	p.para(staffSentence + pick(g, []string{"设有洽谈室、多功能培训厅等服务设施。", "拥有固定的服务场所和必要的服务设施。", ""}))
	if layout != "report.prose-only" {
		how := pick(g, []string{arrHeaderRow, arrLabelsBelow, arrTable2})
		d.vary("staff=" + how)
		arrange(p, how, []entry{
			e(g.label("staff_total")+"（人）", itoa(a.staffTotal)),
			e(pick(g, labels["staff_qual"])+"（人）", itoa(a.staffQualified)),
			e("占比", qualPct),
		}, "：")
	}
	p.h2(pick(g, []string{"三、服务业绩", "三、近两年服务业绩", "三、服务开展情况"}))
	growth := fmt.Sprintf("%+.1f%%", float64(a.smesLast-a.smesPrior)*100/float64(a.smesPrior))
	if layout != "report.prose-only" && g.chance(0.75) {
		if g.chance(0.5) {
			p.table("grid", nil, [][]cell{
				{hc("年度"), hc(pick(g, labels["smes_last"]) + "（家）"), hc("同比增长")},
				{c(itoa(py) + "年"), c(itoa(a.smesPrior)), c("—")},
				{c(itoa(y) + "年"), c(itoa(a.smesLast)), c(growth)},
			})
			d.vary("smes=rows")
		} else {
			p.table("grid", nil, [][]cell{
				{hc("项目"), hc(itoa(py) + "年"), hc(itoa(y) + "年")},
				{c(pick(g, labels["smes_last"]) + "（家）"), c(itoa(a.smesPrior)), c(itoa(a.smesLast))},
			})
			d.vary("smes=years-as-columns")
		}
	}
	p.para(pick(g, []string{
		fmt.Sprintf("%d年服务中小企业%d家，%d年服务中小企业%d家，服务企业数量稳步增长，用户满意度为%s。", py, a.smesPrior, y, a.smesLast, pct(a.satisfaction)),
		fmt.Sprintf("%d年平台共服务中小企业%d家（%d年为%d家），经第三方测评，用户满意度达%s。", y, a.smesLast, py, a.smesPrior, pct(a.satisfaction)),
		fmt.Sprintf("上一年度（%d年）服务中小企业%d家，较%d年的%d家有所变化；%s为%s。", y, a.smesLast, py, a.smesPrior, g.label("satisfaction"), pct(a.satisfaction)),
	}))
	partnersList := strings.Join(a.partnerNames[:min(3, len(a.partnerNames))], "、")
	if layout == "report.prose-only" || g.chance(0.4) {
		p.para(fmt.Sprintf("平台集聚%s等服务机构%d家，提供的公益性服务或低收费服务占服务总量的%s。%d年共组织开展各类服务活动%d次，累计培训%d人次。",
			partnersList, a.partners, pct(a.publicShare), y, a.events, a.trainees))
	} else {
		how := pick(g, []string{arrHeaderRow, arrLabelsBelow, arrTable4, arrTable2})
		d.vary("figures=" + how)
		es := []entry{
			e(g.label("satisfaction"), pct(a.satisfaction)),
			e(g.label("partners")+"（家）", itoa(a.partners)),
			e(g.label("public_share"), pct(a.publicShare)),
			e(g.label("events")+"（次）", itoa(a.events)),
			e(g.label("trainees")+"（人次）", itoa(a.trainees)),
		}
		shuffle(g, es)
		arrange(p, how, es, "：")
		p.para(fmt.Sprintf("平台集聚%s等服务机构，为中小企业提供政策、融资、法律、财务等服务。", partnersList))
	}

	// Functions and the pledge.
	if g.chance(0.5) {
		p = d.newPage()
	}
	p.h2(pick(g, []string{fmt.Sprintf("四、服务功能（%d年度）", y), "四、服务功能开展情况", fmt.Sprintf("四、平台服务功能（%d年）", y)}))
	a.functionTable(p, d, fnLayout)
	if layout != "report.prose-only" && !strings.Contains(fnLayout, "checkbox") && g.chance(0.5) {
		p.para(fmt.Sprintf("%d年，平台共组织开展各类服务活动%d次，累计培训%d人次。", y, a.events, a.trainees))
	}
	p.h2(pick(g, []string{"五、申报单位承诺", "五、承诺", "五、真实性承诺"}))
	p.para("我单位保证所填信息及附件材料准确无误，如有不实，愿承担一切后果。")
	p.gap(1)
	lastSeal := ""
	if sealed && (!coverSeal || g.chance(0.5)) {
		lastSeal = sealHTML()
	}
	p.paraHTML("right", esc(coverLabel+"：")+esc(a.org)+lastSeal, coverLabel+"："+a.org)
	p.paraHTML("right", esc(pick(g, []string{"法定代表人（签字）：", "负责人（签字）：", "法定代表人签字："}))+sig(a.legalRep),
		"法定代表人（签字）："+a.legalRep)
	p.div("right", signedS)
	return d
}

// perFunctionFields are the checklist's per-function figures of the claimed functions.
func (a *application) perFunctionFields() map[string]string {
	names := map[string][]string{
		"information": {"information_offline_smes", "information_events"},
		"technology":  {"technology_events"},
		"startup":     {"startup_events"},
		"training":    {"training_trainees"},
		"financing":   {"financing_matchmaking_events", "financing_lectures"},
	}
	out := map[string]string{}
	for f, v := range a.perFunction {
		for i, n := range names[f] {
			out[n] = itoa(v[i])
		}
	}
	return out
}

// functionText states what a claimed function did last year, in one of several wordings.
func (a *application) functionText(f string) string {
	g := a.g
	v := a.perFunction[f]
	switch f {
	case "information":
		return pick(g, []string{
			fmt.Sprintf("线下服务企业%d家，开展政策宣讲、信息发布等服务活动%d次。", v[0], v[1]),
			fmt.Sprintf("依托线上信息服务系统提供查询服务，线下年服务企业%d家，组织信息服务活动%d次。", v[0], v[1]),
			fmt.Sprintf("线下服务中小企业%d家；举办供需对接、信息发布活动%d次。", v[0], v[1]),
		})
	case "technology":
		return pick(g, []string{
			fmt.Sprintf("开展技术洽谈、产品检测、技术推广等服务活动%d次。", v[0]),
			fmt.Sprintf("组织技术对接及知识产权服务活动%d次，建有专家库和项目库。", v[0]),
		})
	case "startup":
		return pick(g, []string{
			fmt.Sprintf("开展创业项目洽谈、推介活动%d次，为%d家初创企业提供创业辅导和政务代理服务。", v[0], g.between(3, 30)),
			fmt.Sprintf("举办创业项目路演、推介活动%d次。", v[0]),
		})
	case "training":
		return pick(g, []string{
			fmt.Sprintf("开展经营管理、市场营销、风险防范等培训，全年培训%d人次。", v[0]),
			fmt.Sprintf("线上线下累计培训%d人次，建立培训评价机制。", v[0]),
		})
	case "financing":
		return pick(g, []string{
			fmt.Sprintf("组织银企对接活动%d次、融资知识讲座%d次，服务企业%d家。", v[0], v[1], g.between(10, 60)),
			fmt.Sprintf("年组织银企对接活动%d次，举办融资知识讲座%d次。", v[0], v[1]),
		})
	}
	return ""
}

// functionTable prints the 第十三条 functions in the chosen form.
func (a *application) functionTable(p *page, d *document, layout string) {
	g := a.g
	m := pick(g, markSets)
	claimed := map[string]bool{}
	for _, f := range a.functions {
		claimed[f] = true
	}
	yesNo := pick(g, [][2]string{{m.yes, m.no}, {"是", "否"}, {"具备", "不具备"}, {m.yes, "—"}})
	d.vary("marks=" + yesNo[0] + "/" + yesNo[1])
	switch layout {
	case "functions.rows-numbered":
		rows := [][]cell{{hc("序号"), hc("服务功能"), hc("是否具备"), hc(pick(g, []string{"年度服务开展情况", "开展情况", "主要服务内容及成效"}))}}
		for i, f := range functionNames {
			if claimed[f.key] {
				rows = append(rows, []cell{c(itoa(i + 1)), c(f.zh), c(yesNo[0]), c(a.functionText(f.key))})
			} else {
				rows = append(rows, []cell{c(itoa(i + 1)), c(f.zh), c(yesNo[1]), c("—")})
			}
		}
		p.table("grid", []int{8, 16, 12, 64}, rows)
	case "functions.mark-before-name":
		rows := [][]cell{{hc("服务功能"), hc("服务开展情况")}}
		for _, f := range functionNames {
			if claimed[f.key] {
				rows = append(rows, []cell{c(m.yes + f.zh), c(a.functionText(f.key))})
			} else {
				rows = append(rows, []cell{c(m.no + f.zh), c("")})
			}
		}
		p.table("grid", []int{22, 78}, rows)
	case "functions.as-columns":
		head := []cell{hc("功能")}
		has := []cell{hc("是否具备")}
		what := []cell{hc("开展情况")}
		for _, f := range functionNames {
			head = append(head, hc(f.zh))
			if claimed[f.key] {
				has = append(has, c(yesNo[0]))
				what = append(what, cell{text: a.functionText(f.key), class: "small"})
			} else {
				has = append(has, c(yesNo[1]))
				what = append(what, c("—"))
			}
		}
		p.table("grid", []int{12, 17, 17, 18, 18, 18}, [][]cell{head, has, what})
	case "functions.checkbox-line":
		var parts []string
		for _, f := range functionNames {
			if claimed[f.key] {
				parts = append(parts, m.yes+f.zh)
			} else {
				parts = append(parts, m.no+f.zh)
			}
		}
		p.div("", pick(g, []string{"平台具备的服务功能：", "服务功能（请勾选）：", "具备功能："})+strings.Join(parts, pick(g, []string{"　", " ", "  "})))
		for _, f := range functionNames {
			if claimed[f.key] {
				p.para(f.zh + "：" + a.functionText(f.key))
			}
		}
	case "functions.ordinal-headings":
		omit := g.chance(0.5)
		d.vary(fmt.Sprintf("unclaimed-omitted=%v", omit))
		for i, f := range functionNames {
			h := "（" + hanOrdinal(i+1) + "）" + f.zh
			switch {
			case claimed[f.key]:
				p.div("h3", h)
				p.para(pick(g, []string{"具备。", "本平台具备该项功能。", ""}) + a.functionText(f.key))
			case !omit:
				p.div("h3", h)
				p.para(pick(g, []string{"不具备。", "暂不具备该项服务功能。"}))
			}
		}
	}
}
