package main

import (
	"fmt"
	"strings"
)

// recognitionDoc builds a prior_recognition document from its truth.
func (a *application) recognitionDoc(r recognitionTruth) *document {
	g := a.g
	layout := "recognition." + r.form
	if r.form == "notice" {
		layout = "recognition.redhead"
	}
	d := newDoc("prior_recognition", layout)
	dateS := fmtDate(r.date, pick(g, []int{dateHan, dateCN, dateCN0, dateHan}))
	d.set("org_name", a.org, "")
	d.set("issuer", r.issuer, "")
	d.set("issuer_level", r.level, "")
	d.set("title", r.title, "")
	y := r.date.Year()
	names := []string{a.org}
	for i := 0; i < g.between(3, 7); i++ {
		names = append(names, g.neighbour(a.pref))
	}
	shuffle(g, names)
	p := d.newPage()
	issuerSeal := func() (string, string) {
		s := g.seal(r.issuer)
		return esc(r.issuer) + s.anchor(), r.issuer
	}
	switch r.form {
	case "notice", "county":
		d.set("issue_date", iso(r.date), dateS)
		p.div("redhead", r.issuer+"文件")
		if r.docNo == "" {
			r.docNo = fmt.Sprintf("%s发〔%d〕%d号", strings.TrimSuffix(r.issuer, "局"), y, g.between(3, 90))
		}
		p.div("center", r.docNo)
		p.add(`<div class="redline"></div>`)
		verb := pick(g, []string{"认定", "公布"})
		p.div("h1", fmt.Sprintf("关于%s%d年度%s%s的通知", verb, y, r.title, map[string]string{"认定": "", "公布": "名单"}[verb]))
		p.div("", pick(g, []string{"各有关单位：", "各县（区）经济和信息化局，各有关单位：", "各乡（镇）、各有关单位："}))
		p.para(fmt.Sprintf("根据有关规定，经单位申报、主管部门推荐、专家评审和网上公示，现%s%s等%d家单位为%d年度“%s”。名单如下：",
			pick(g, []string{"认定", "确定"}), names[0], len(names), y, r.title))
		if g.chance(0.5) {
			for _, n := range names {
				p.div("center", n)
			}
		} else {
			rows := [][]cell{{hc("序号"), hc("单位名称")}}
			for i, n := range names {
				rows = append(rows, []cell{c(itoa(i + 1)), c(n)})
			}
			p.table("grid", []int{12, 88}, rows)
		}
		p.para("请各平台持续提升服务质量，切实发挥引领作用。")
		p.gap(1)
		h, t := issuerSeal()
		p.paraHTML("right", h, t)
		p.div("right", dateS)
	case "list":
		d.set("issue_date", iso(r.date), dateS)
		p.div("", "附件")
		p.div("h1", fmt.Sprintf("%d年度%s名单", y, r.title))
		rows := [][]cell{{hc("序号"), hc(pick(g, []string{"单位名称", "平台运营单位", "企业名称"})), hc("所在地"), hc("类别")}}
		for i, n := range names {
			rows = append(rows, []cell{c(itoa(i + 1)), c(n), c(a.pref.name), c(pick(g, []string{"综合类", "专业类"}))})
		}
		p.table("grid", []int{10, 55, 17, 18}, rows)
		p.gap(2)
		h, t := issuerSeal()
		p.paraHTML("right", h, t)
		p.div("right", dateS)
	case "hightech":
		d.set("issue_date", iso(r.date), dateS)
		p.bodyStyle = "border:14px solid #b58b2a;"
		p.div("big", "高新技术企业证书")
		p.gap(2)
		p.kv("企业名称", "：", a.org)
		p.kv("证书编号", "：", r.docNo)
		p.kv("发证时间", "：", dateS)
		p.kv("有效期", "：", pick(g, []string{"三年", "叁年"}))
		p.gap(4)
		bodies := []string{"西藏自治区科学技术厅", "西藏自治区财政厅", "国家税务总局西藏自治区税务局"}
		var row []cell
		for _, b := range bodies {
			s := g.seal(b)
			s.dx, s.dy = g.between(-10, 30), g.between(-120, -90)
			row = append(row, cell{text: b, html: s.anchor() + esc(b), class: "center"})
		}
		p.table("plain", []int{33, 33, 34}, [][]cell{row})
		d.vary("issuer=first of three bodies")
	case "specialised":
		d.set("issue_date", iso(r.date), dateS)
		p.bodyStyle = "border:12px double #a0262c;"
		p.gap(3)
		p.div("big", "证　书")
		p.gap(1)
		p.para(fmt.Sprintf("%s：", a.org))
		p.para(fmt.Sprintf("经企业申报、专家评审和社会公示，你单位被认定为“%s”。", r.title))
		p.div("center", "特发此证")
		p.kv("证书编号", "：", r.docNo)
		p.kv("有效期", "：", fmt.Sprintf("%d年%d月至%d年%d月", y, int(r.date.Month()), y+3, int(r.date.Month())))
		p.gap(2)
		h, t := issuerSeal()
		p.paraHTML("right", h, t)
		p.div("right", dateS)
	case "plaque":
		// A photographed plaque shows the year and month only: no issue_date.
		p.bodyStyle = "background:radial-gradient(circle at 35% 30%,#f2d48a,#c99a3c 55%,#8f6a24);border:18px solid #6e4f18;"
		p.css = `#pg .big{color:#7a1010;font-size:3.1em;line-height:1.3;margin-top:1.2em}#pg .center{color:#3d2a08;font-size:1.6em}`
		if g.chance(0.5) {
			p.div("center", a.org)
		} else {
			delete(d.fields, "org_name")
		}
		p.gap(2)
		p.div("big", r.title)
		p.gap(4)
		p.div("center", r.issuer)
		p.div("center", fmtMonth(r.date, g.chance(0.6)))
	}
	return d
}

// qualificationDoc builds a qualification document.
func (a *application) qualificationDoc(q qualTruth) *document {
	g := a.g
	layout := "qualification." + q.form
	d := newDoc("qualification", layout)
	d.set("org_name", a.org, "")
	p := d.newPage()
	if strings.HasPrefix(q.form, "icp") {
		d.set("icp_record", q.icp, "")
		d.set("issue_date", iso(q.date), "")
		a.icpPage(p, q, layout == "qualification.icp-mobile", d)
		return d
	}
	dateS := fmtDate(q.date, g.intn(nDateStyles))
	d.set("title", q.title, "")
	d.set("issuer", q.issuer, "")
	d.set("issuer_level", q.level, "")
	d.set("issue_date", iso(q.date), dateS)
	until := fmtDate(q.date.AddDate(5, 0, 0), g.intn(nDateStyles))
	scope := map[bool]string{true: "第二类增值电信业务中的信息服务业务（仅限互联网信息服务）",
		false: "人力资源供求信息的收集和发布、就业和创业指导、人力资源管理咨询、人力资源培训"}[strings.Contains(q.title, "电信")]
	if q.form == "certificate" {
		scope = pick(g, []string{"建筑材料、食品及农产品检验检测", "施工劳务资质（不分等级）", "职业技能等级认定（电子商务师、创业指导师）"})
	}
	es := []entry{
		e(pick(g, []string{"单位名称", "公司名称", "机构名称"}), a.org),
		e(pick(g, []string{"法定代表人", "负责人"}), a.legalRep),
		e("统一社会信用代码", a.code),
		wideE(pick(g, []string{"业务种类", "许可范围", "资质类别及等级", "业务范围"}), scope),
		e("有效期至", until),
		e("发证机关", q.issuer),
		e("发证日期", dateS),
	}
	// The code is printed, but FIELDS.md reads credit_code from licences, certificates, reports and
	// declarations only (the dev sidecars leave it out elsewhere, as on leases), so it is not a field here.
	if layout == "qualification.licence" {
		p.bodyStyle = "border:16px solid #2f5f9e;outline:2px solid #2f5f9e;outline-offset:-26px;"
		p.gap(2)
		p.div("big", q.title)
		p.div("center", "编号："+q.number)
		p.gap(1.5)
		arrange(p, arrProse, es[:5], "：")
		p.gap(3)
		s := g.seal(q.issuer)
		p.paraHTML("right", esc(q.issuer)+s.anchor(), q.issuer)
		p.div("right", dateS)
		return d
	}
	p.div("big", q.title)
	p.div("center", "证书编号："+q.number)
	arrange(p, arrTable2, es, "")
	p.gap(1)
	s := g.seal(q.issuer)
	p.paraHTML("right", "（盖章）"+s.anchor(), "（盖章）")
	return d
}

// icpPage draws an ICP 备案 query result as a browser would show it.
func (a *application) icpPage(p *page, q qualTruth, mobile bool, d *document) {
	g := a.g
	p.screen = true
	service := q.icp + "-" + itoa(g.between(1, 3))
	dateS := fmtDate(q.date, pick(g, []int{dateISO, dateISO, dateCN}))
	if dateS != iso(q.date) {
		d.surface["issue_date"] = dateS
	}
	nature := a.typ.nature()
	if a.typ == privateNonEn {
		nature = "社会团体"
	}
	if mobile {
		p.width, p.height = 390, 844
		p.bodyStyle = "background:#f4f5f7;font-size:15px;line-height:1.5;"
		p.css = `.bar{background:#fff;padding:8px 12px;color:#333;font-size:13px}.ttl{background:#2c62c9;color:#fff;padding:12px;font-size:17px}
.card{background:#fff;margin:10px;border-radius:8px;padding:6px 12px}.card .kv{border-bottom:1px solid #eee;padding:6px 0}.k{color:#888;display:block;font-size:13px}`
		clock := fmt.Sprintf("%02d:%02d", g.between(8, 22), g.between(0, 59))
		p.add(`<div class="bar">`+clock+`</div>`, clock)
		p.div("ttl", "ICP备案查询")
		p.div("bar", "beian.miit.gov.cn")
		var sb strings.Builder
		var lines []string
		sb.WriteString(`<div class="card">`)
		for _, kv := range [][2]string{{"主办单位名称", a.org}, {"主办单位性质", nature}, {"ICP备案/许可证号", q.icp},
			{"服务备案号", service}, {"服务名称", q.site}, {"服务首页地址", "www." + q.domain}, {"审核日期", dateS}, {"是否限制接入", "否"}} {
			fmt.Fprintf(&sb, `<div class="kv"><span class="k">%s</span>%s</div>`, esc(kv[0]), esc(kv[1]))
			lines = append(lines, kv[0], kv[1])
		}
		sb.WriteString(`</div>`)
		p.add(sb.String(), lines...)
		return
	}
	p.width, p.height = 1280, 860
	p.bodyStyle = "background:#eef1f6;font-size:15px;line-height:1.5;"
	p.css = `.chrome{background:#dfe3e8;padding:6px 10px;font-size:13px;color:#444}.url{background:#fff;border-radius:14px;padding:3px 14px;display:inline-block;width:70%}
.hdr{background:linear-gradient(#1d4fa0,#2a66c4);color:#fff;font-size:22px;padding:16px 30px}.main{margin:20px 30px;background:#fff;padding:16px 20px}
.main table{font-size:14px}.main th{background:#f0f3f8}.q{border:1px solid #aab;padding:5px 10px;width:300px;display:inline-block;margin-right:10px}`
	url := pick(g, []string{"https://beian.miit.gov.cn/#/Integrated/recordQuery", "https://beian.miit.gov.cn/#/Integrated/index"})
	p.add(`<div class="chrome"><span class="url">`+esc(url)+`</span></div>`, url)
	p.div("hdr", "ICP/IP地址/域名信息备案管理系统")
	cols := []struct{ h, v string }{{"主办单位名称", a.org}, {"主办单位性质", nature}, {"服务备案号", service},
		{"服务名称", q.site}, {"审核日期", dateS}, {"是否限制接入", "否"}}
	shuffle(g, cols[1:])
	head := []cell{hc("序号")}
	val := []cell{c("1")}
	for _, cl := range cols {
		head = append(head, hc(cl.h))
		val = append(val, c(cl.v))
	}
	var tb page
	tb.add(`<div><span class="q">`+esc(q.domain)+`</span>查询</div>`, q.domain+" 查询")
	tb.table("grid", nil, [][]cell{head, val})
	p.add(`<div class="main">`+tb.body.String()+`</div>`, tb.lines...)
	d.vary("columns=" + cols[1].h + "…")
}
