package main

import (
	"fmt"
	"strconv"
	"strings"
)

// variantName is another legal person's name that differs from org by words, not by a misread
// character (有限公司 for 有限责任公司, a 西藏自治区 prefix): what name_mismatch is about.
func variantName(org string) string {
	switch {
	case strings.HasSuffix(org, "有限责任公司"):
		return strings.TrimSuffix(org, "有限责任公司") + "有限公司"
	case strings.HasSuffix(org, "股份有限公司"):
		return strings.TrimSuffix(org, "股份有限公司") + "有限公司"
	case strings.HasSuffix(org, "有限公司"):
		return strings.TrimSuffix(org, "有限公司") + "有限责任公司"
	case strings.HasPrefix(org, "西藏"):
		return strings.Replace(org, "西藏", "西藏自治区", 1)
	}
	return "西藏自治区" + org
}

func area(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// lease builds a 房屋租赁合同 in one of its layouts.
func (a *application) leaseDoc() *document {
	g := a.g
	l := a.lease
	layout := a.pickLayout("lease.")
	d := newDoc("premises_lease", layout)
	lessee := a.org
	if a.has("name_mismatch") {
		lessee = variantName(a.org)
		a.note("the lease names the lessee %s, not %s", lessee, a.org)
	}
	style := g.intn(nDateStyles)
	startS, endS := fmtDate(l.start, style), fmtDate(l.end, style)
	d.set("lessor", l.lessor, "")
	d.set("lessee", lessee, "")
	d.set("org_name", lessee, "")
	d.set("premises_address", l.address, "")
	d.set("premises_area_m2", l.area, "")
	d.set("lease_start", iso(l.start), startS)
	d.set("lease_end", iso(l.end), endS)
	years := l.end.Year() - l.start.Year()
	if l.end.AddDate(0, 0, 1).Month() != l.start.Month() {
		years = 0
	}
	areaS := pick(g, []string{area(l.area) + "平方米", area(l.area) + "㎡", area(l.area) + "m²"})
	rentS := pick(g, []string{fmt.Sprintf("人民币%s元（大写：%s）", commas(l.rent*100), upperYuan(l.rent*100)),
		fmt.Sprintf("%s元/年", commas(l.rent*100)), fmt.Sprintf("%s万元", wan(l.rent*100, false))})
	lessorID := func() string {
		if l.lessorPerson {
			return fmt.Sprintf("身份证号码：54%04d%d%02d%02d%04d", g.intn(1e4), g.between(1960, 1995), g.between(1, 12), g.between(1, 28), g.intn(1e4))
		}
		return "统一社会信用代码：" + creditCode(g, company, pick(g, a.pref.counties).code)
	}
	signedS := fmtDate(l.signed, style)
	lessorSign := func(label string) (string, string) {
		if l.lessorPerson {
			return esc(label) + sig(l.lessor), label + l.lessor
		}
		s := g.seal(l.lessor)
		return esc(label+l.lessor) + s.anchor(), label + l.lessor
	}
	lesseeSign := func(label string) (string, string) {
		s := g.seal(lessee)
		return esc(label+lessee) + s.anchor(), label + lessee
	}
	term := func() string {
		if years > 0 && g.chance(0.6) {
			return fmt.Sprintf("租赁期限自%s起至%s止，共计%s年。", startS, endS, upperInt(int64(years)))
		}
		return fmt.Sprintf("租赁期限为%s至%s。", startS, endS)
	}

	switch layout {
	case "lease.jiayi-clauses":
		order := pick(g, [][2]string{{"出租方（甲方）", "承租方（乙方）"}, {"甲方（出租方）", "乙方（承租方）"}, {"甲方", "乙方"}})
		d.vary("parties=" + order[0] + "/" + order[1])
		p := d.newPage()
		p.div("h1", "房屋租赁合同")
		p.div("right", fmt.Sprintf("合同编号：ZL-%d-%03d", l.signed.Year(), g.intn(1000)))
		p.kv(order[0], "：", l.lessor)
		p.div("", lessorID())
		p.kv(order[1], "：", lessee)
		p.div("", "统一社会信用代码："+a.code)
		p.para("本合同依据《中华人民共和国民法典》订立。双方本着平等互利的原则，就房屋租赁事项约定如下。")
		p.para(fmt.Sprintf("第一条　房屋基本情况。甲方将其合法拥有的坐落于%s的房屋出租给乙方使用，该房屋%s为%s。", l.address,
			pick(g, []string{"建筑面积", "租赁面积", "使用面积"}), areaS))
		p.para("第二条　用途。租赁房屋仅作乙方办公及服务场所使用，改变用途须经甲方书面同意。")
		p.para("第三条　租赁期限。" + term() + "租赁期满，乙方需继续承租的，应于期满前三个月书面通知甲方。")
		p.para("第四条　租金及支付方式。该房屋年租金为" + rentS + "，租金按年度支付。")
		p = d.newPage()
		p.para("第五条　费用承担。租赁期间，该房屋的水费、电费、网络通讯费、物业管理费由乙方承担。")
		p.para("第六条　转租。未经甲方书面同意，乙方不得将该房屋全部或部分转租、转借他人。")
		p.para("第七条　违约责任。任何一方未按本合同约定履行义务的，应向守约方支付相当于一个月租金的违约金。")
		p.para("第八条　争议解决。本合同履行过程中发生争议的，双方协商解决；协商不成的，可向房屋所在地人民法院提起诉讼。")
		p.para("第九条　本合同一式肆份，甲乙双方各执贰份，自双方签字盖章之日起生效。")
		p.gap(1.5)
		h1, t1 := lessorSign("甲方（签章）：")
		h2, t2 := lesseeSign("乙方（盖章）：")
		p.table("plain", []int{50, 50}, [][]cell{
			{{text: t1, html: h1}, {text: t2, html: h2}},
			{c("日期：" + signedS), c("日期：" + signedS)},
		})
	case "lease.chuzu-table":
		p := d.newPage()
		p.div("h1", pick(g, []string{"房屋租赁合同", "经营场所租赁合同"}))
		p.kv("出租人", "：", l.lessor)
		p.kv("承租人", "：", lessee)
		p.para("出租人与承租人经协商一致，就房屋租赁事宜达成如下协议：")
		p.h2("一、租赁房屋基本情况")
		rows := [][]cell{
			{hc("房屋坐落"), c(l.address)},
			{hc(pick(g, []string{"建筑面积", "租赁面积"})), c(areaS)},
			{hc("租赁用途"), c("办公、培训及中小企业服务")},
			{hc("租赁期限"), c(startS + " 至 " + endS)},
			{hc("年租金"), c(rentS)},
		}
		if g.chance(0.5) {
			rows[3], rows[1] = rows[1], rows[3]
		}
		p.table("grid", []int{22, 78}, rows)
		p.h2("二、双方权利义务")
		p.para("出租人应保证房屋及附属设施处于正常可使用状态；承租人应按时支付租金，合理使用房屋，不得擅自改变房屋结构和用途。")
		p.h2("三、其他约定")
		p.para("租赁期满承租人如需续租，应提前一个月告知出租人。本合同未尽事宜，由双方另行协商。")
		p.gap(1)
		h1, t1 := lessorSign("出租人（签章）：")
		h2, t2 := lesseeSign("承租人（签章）：")
		p.paraHTML("", h1, t1)
		p.gap(1.2)
		p.paraHTML("", h2, t2)
		p.div("right", "签订日期："+signedS)
	default:
		p := d.newPage()
		p.div("h1", "房屋租赁协议")
		p.div("", "出租方："+l.lessor+"（以下简称甲方）")
		p.div("", "承租方："+lessee+"（以下简称乙方）")
		n := "租期" + upperInt(int64(max(years, 1))) + "年，"
		if years == 0 {
			n = ""
		}
		p.para(fmt.Sprintf("甲方同意将位于%s的房屋（面积%s）出租给乙方作为办公及服务场所使用，%s从%s至%s。年租金%s，于每年租期开始前一次性支付。",
			l.address, areaS, n, startS, endS, rentS))
		p.para("乙方应合理使用房屋，按时缴纳水电等费用；未经甲方同意不得转租。协议期满，乙方享有同等条件下的优先承租权。")
		p.para("本协议一式两份，双方各执一份，自签字盖章之日起生效。")
		p.gap(1.5)
		h1, t1 := lessorSign("甲方：")
		h2, t2 := lesseeSign("乙方：")
		p.table("plain", []int{50, 50}, [][]cell{
			{{text: t1, html: h1}, {text: t2, html: h2}},
			{c(signedS), c(signedS)},
		})
	}
	return d
}

// propertyDoc builds the 不动产权证书 page or an old 房屋所有权证.
func (a *application) propertyDoc() *document {
	g := a.g
	pt := a.property
	layout := a.pickLayout("property.")
	d := newDoc("property_certificate", layout)
	d.set("org_name", a.org, "")
	d.set("lessee", a.org, "")
	d.set("premises_address", pt.address, "")
	d.set("premises_area_m2", pt.area, "")
	regS := fmtDate(pt.reg, g.intn(nDateStyles))
	p := d.newPage()
	switch layout {
	case "property.bdc-table":
		p.div("", fmt.Sprintf("藏（%d）%s不动产权第%07d号", pt.reg.Year(), a.pref.name, g.intn(1e7)))
		p.table("grid", []int{22, 78}, [][]cell{
			{hc("权 利 人"), c(a.org)},
			{hc("共有情况"), c("单独所有")},
			{hc("坐　　落"), c(pt.address)},
			{hc("不动产单元号"), c(fmt.Sprintf("%s %06d GB%05d F%08d", a.cty.code, g.intn(1e6), g.intn(1e5), g.intn(1e8)))},
			{hc("权利类型"), c("国有建设用地使用权/房屋所有权")},
			{hc("权利性质"), c("出让/自建房")},
			{hc("用　　途"), c("商服用地/办公")},
			{hc("面　　积"), c(fmt.Sprintf("共有宗地面积%.2f㎡/房屋建筑面积%s㎡", pt.landArea, area(pt.area)))},
			{hc("使用期限"), c(fmt.Sprintf("国有建设用地使用权%d年%d月%d日止", pt.reg.Year()+40, 6, 30))},
			{hc("权利其他状况"), c(fmt.Sprintf("房屋结构：钢筋混凝土结构　房屋总层数：%d层，所在层：%d层", g.between(6, 18), g.between(1, 5)))},
		})
		p.gap(1)
		s := g.seal(a.pref.name + "不动产登记局")
		s.under = "不动产登记专用章"
		p.paraHTML("right", esc(a.pref.name+"不动产登记局")+s.anchor(), a.pref.name+"不动产登记局")
		p.div("right", "登簿日期："+regS)
	default:
		p.div("big", "房屋所有权证")
		p.div("center", fmt.Sprintf("%s房权证%s字第%06d号", a.pref.short, strings.TrimSuffix(strings.TrimSuffix(a.cty.name, "区"), "县"), g.intn(1e6)))
		p.table("grid", []int{24, 76}, [][]cell{
			{hc("房屋所有权人"), c(a.org)},
			{hc("共有情况"), c("单独所有")},
			{hc("房屋坐落"), c(pt.address)},
			{hc("登记时间"), c(regS)},
			{hc("房屋性质"), c("市场化商品房")},
			{hc("规划用途"), c("办公")},
		})
		p.table("grid", nil, [][]cell{
			{hc("幢号"), hc("房号"), hc("结构"), hc("房屋总层数"), hc("所在层数"), hc("建筑面积（㎡）"), hc("套内建筑面积（㎡）")},
			{c(itoa(g.between(1, 12))), c(itoa(g.between(101, 1508))), c("钢混"), c(itoa(g.between(6, 18))), c(itoa(g.between(1, 5))),
				c(area(pt.area)), c(fmt.Sprintf("%.2f", pt.area*0.82))},
		})
		p.gap(1)
		s := g.seal(a.pref.name + "住房和城乡建设局")
		p.paraHTML("right", esc("填发单位（盖章）")+s.anchor(), "填发单位（盖章）")
	}
	return d
}
