package main

import (
	"fmt"
	"time"
)

var eventNames = []string{"中小企业政策宣讲会", "“政银企”融资对接会", "创业项目路演", "中小企业经营管理培训班", "知识产权服务进园区",
	"电子商务技能培训", "创业导师“一对一”辅导活动", "产品质量检测技术交流会", "数字化转型诊断服务活动", "融资知识讲座"}

// evidence builds one 服务证明 document.
func (a *application) evidence(layout string) *document {
	g := a.g
	d := newDoc("service_evidence", layout)
	d.set("org_name", a.org, "")
	y := a.evalYear
	ev := pick(g, eventNames)
	when := g.date(ymd(y, 3, 1), ymd(y, 12, 10))
	style := g.intn(nDateStyles)
	p := d.newPage()
	totals := func() string {
		return pick(g, []string{
			fmt.Sprintf("%d年，%s全年累计服务中小企业%d家，组织开展各类服务活动%d次，开展培训%d人次，用户满意度达到%s。", y, pick(g, []string{"我单位", "平台", "本中心", "公司"}), a.smesLast, a.events, a.trainees, pct(a.satisfaction)),
			fmt.Sprintf("全年共组织服务活动%d次，培训%d人次，服务中小企业%d家。", a.events, a.trainees, a.smesLast),
			fmt.Sprintf("%d年度平台服务中小企业%d家，比上年增加%d家；举办各类活动%d次；培训%d人次。", y, a.smesLast, a.smesLast-a.smesPrior, a.events, a.trainees),
		})
	}
	setTotals := func() {
		d.set("smes_served_last_year", a.smesLast, "")
		d.set("service_events_last_year", a.events, "")
		d.set("trainees_last_year", a.trainees, "")
	}
	switch layout {
	case "evidence.summary":
		setTotals()
		p.div("h1", fmt.Sprintf("%s%d年度工作总结", a.org, y))
		p.h2("一、总体情况")
		p.para(totals())
		p.h2("二、主要工作")
		for i, f := range a.functions {
			p.para(fmt.Sprintf("（%s）%s。%s", hanOrdinal(i+1), functionZh(f), a.functionText(f)))
		}
		p.h2("三、下一步工作打算")
		p.para("继续聚焦中小企业需求，完善线上线下服务体系，提升服务质量和水平。")
		p.gap(1)
		p.div("right", a.org)
		p.div("right", fmtDate(ymd(y+1, time.Month(g.between(1, 2)), g.between(1, 28)), style))
	case "evidence.brief":
		p.div("redhead", "工作简报")
		p.div("center", fmt.Sprintf("%d年第%d期（总第%d期）", y, g.between(1, 12), g.between(20, 120)))
		p.table("plain", []int{50, 50}, [][]cell{{c(a.org), {text: fmtDate(when.AddDate(0, 0, 3), style), class: "right"}}})
		p.add(`<div class="redline"></div>`)
		if g.chance(0.5) {
			setTotals()
			p.div("h2", fmt.Sprintf("%d年度服务工作综述", y))
			p.para(totals())
		}
		p.div("h2", fmt.Sprintf("%s成功举办%s", a.org, ev))
		p.para(fmt.Sprintf("%s，%s在%s举办%s，共有%d家中小企业的%d名代表参加。活动围绕企业发展中的实际困难，开展了政策解读、现场咨询和交流对接。",
			fmtDate(when, style), a.org, a.pref.name, ev, g.between(12, 60), g.between(20, 120)))
		p.add(`<div class="photo"></div>`)
		p.div("center small", ev+"现场")
		p.div("small", "报送："+a.pref.bureau()+"，自治区经济和信息化厅中小企业处")
	case "evidence.notice-signin":
		p.div("h1", "关于举办"+ev+"的通知")
		p.div("", "各有关企业：")
		p.para(fmt.Sprintf("为帮助中小企业提升经营管理水平，%s定于%s举办%s，现将有关事项通知如下：", a.org, fmtDate(when, style), ev))
		p.para(fmt.Sprintf("一、时间地点：%s上午9:30，%s会议室。", fmtDate(when, style), a.address))
		p.para("二、参加对象：辖区内中小微企业负责人及相关业务人员。")
		p.div("right", a.org)
		p.div("right", fmtDate(when.AddDate(0, 0, -g.between(3, 10)), style))
		p.div("h2", pick(g, []string{"参会企业签到表", "签到表", "参训人员签到表"}))
		rows := [][]cell{{hc("序号"), hc("企业名称"), hc("姓名"), hc("职务"), hc("联系电话")}}
		for i := 0; i < g.between(6, 10); i++ {
			rows = append(rows, []cell{c(itoa(i + 1)), c(g.neighbour(a.pref)), c(g.person()), c(pick(g, []string{"总经理", "财务", "办公室主任", "负责人", "销售经理"})),
				c(pick(g, []string{"139", "189", "159", "136"}) + fmt.Sprintf("%08d", g.intn(1e8)))})
		}
		p.table("grid small", []int{7, 43, 18, 14, 18}, rows)
	default:
		p.div("h1", fmt.Sprintf("%s服务活动照片", a.org))
		for i := 0; i < 3; i++ {
			e := pick(g, eventNames)
			p.add(`<div class="photo" style="height:230px"></div>`)
			p.div("center", fmt.Sprintf("图%d　%s %s", i+1, fmtDate(g.date(ymd(y, 1, 10), ymd(y, 12, 20)), style), e))
		}
	}
	return d
}
