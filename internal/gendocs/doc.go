package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"shenbao/checklist"
)

// document is one uploaded file: its kind and fields (the sidecar's ground truth), its pages, and how
// it is printed and degraded.
type document struct {
	file    string
	kind    string
	layouts []string
	variant []string
	fields  map[string]any
	surface map[string]string
	pages   []*page
	look    look
	// perFunction holds the 第十三条 per-function figures of an application report, which FIELDS.md
	// lacks but the checklist needs (see expected.go).
	perFunction map[string]string
}

func newDoc(kind string, layouts ...string) *document {
	return &document{kind: kind, layouts: layouts, fields: map[string]any{}, surface: map[string]string{}}
}

func (d *document) newPage() *page {
	p := &page{}
	d.pages = append(d.pages, p)
	return p
}

// set records a field's value, and how it is printed when that differs.
func (d *document) set(field string, value any, printed string) {
	d.fields[field] = value
	if printed != "" && printed != valueText(value) {
		d.surface[field] = printed
	}
}

func valueText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return itoa(x)
	}
	return ""
}

func (d *document) vary(s string) { d.variant = append(d.variant, s) }

// date sets a date field printed in a random style and returns the printed form.
func (d *document) date(g *rng, field string, t time.Time) string {
	s := fmtDate(t, g.intn(nDateStyles))
	d.set(field, iso(t), s)
	return s
}

// File names. An application names its files in one style; phone photos keep camera names.
type naming struct {
	style int
	n     int
}

var itemWords = map[string][]string{
	"application_report":       {"申请报告", "附件2-申请报告", "示范平台申请报告", "申报报告"},
	"business_licence":         {"营业执照", "营业执照副本", "营业执照复印件"},
	"legal_person_certificate": {"法人证书", "法人登记证书", "事业单位法人证书"},
	"audit_report":             {"审计报告", "年度审计报告", "审计报告及专项审计"},
	"premises_lease":           {"房屋租赁合同", "租赁合同", "经营场所租赁协议"},
	"property_certificate":     {"不动产权证书", "房产证", "产权证明"},
	"service_evidence":         {"服务证明", "工作简报", "年度工作总结", "活动通知", "活动照片"},
	"prior_recognition":        {"认定文件", "示范平台认定文件", "荣誉证书", "认定及表彰材料"},
	"qualification":            {"资质证书", "许可证", "ICP备案截图", "资质证明"},
	"authenticity_declaration": {"真实性声明", "申报材料真实性声明", "诚信承诺书"},
	"recommendation_form":      {"推荐表", "附件1-推荐表"},
	"other":                    {"补充材料", "其他材料", "发票"},
}

// layoutWords name files after what they show, where the kind's words would not fit.
var layoutWords = map[string][]string{
	"evidence.summary":          {"年度工作总结", "服务证明-工作总结", "服务总结"},
	"evidence.brief":            {"工作简报", "服务证明-简报"},
	"evidence.notice-signin":    {"服务证明-活动通知及签到表", "培训通知及签到表", "活动通知"},
	"evidence.photo-captions":   {"活动照片", "服务证明-照片"},
	"recognition.hightech":      {"高新技术企业证书", "荣誉证书"},
	"recognition.plaque":        {"牌匾照片", "荣誉牌匾"},
	"recognition.specialised":   {"专精特新认定证书", "认定证书"},
	"qualification.icp-desktop": {"ICP备案截图", "网站备案"},
	"qualification.licence":     {"许可证", "经营许可证", "资质证明"},
	"qualification.certificate": {"资质证书", "资质证明"},
	"qualification.icp-mobile":  {"ICP备案截图", "网站备案查询"},
	"other.invoice-digital":     {"发票", "补充材料"},
	"other.bank-receipt":        {"补充材料", "其他材料"},
}

var itemNumber = map[string]int{"application_report": 1, "business_licence": 2, "legal_person_certificate": 2,
	"audit_report": 3, "premises_lease": 4, "property_certificate": 4, "service_evidence": 5, "prior_recognition": 6,
	"qualification": 7, "authenticity_declaration": 8, "recommendation_form": 0, "other": 9}

// fileName names a document as an applicant would: numbered in the folder's style, or a camera or
// scanner name. A name never names another kind than the content (checklist.KindsNamed), except
// when wrongKind asks for a misleading name.
func (a *application) fileName(d *document, ext, wrongKind string) string {
	g := a.g
	kind := d.kind
	if wrongKind != "" {
		kind = wrongKind
	}
	word := pick(g, itemWords[kind])
	if w, ok := layoutWords[d.layouts[0]]; ok && wrongKind == "" {
		word = pick(g, w)
	}
	n := itemNumber[kind]
	var name string
	if wrongKind == "" && ext != ".pdf" && d.look.mode == "phone" && g.chance(0.7) {
		t := a.submission.AddDate(0, 0, -g.between(2, 60))
		clock := fmt.Sprintf("%02d%02d%02d", g.between(8, 21), g.intn(60), g.intn(60))
		name = "IMG_" + t.Format("20060102") + "_" + clock + ext
		if g.chance(0.3) {
			name = "微信图片_" + t.Format("20060102") + clock + ext
		}
	} else if wrongKind == "" && g.chance(0.08) {
		name = "扫描件" + itoa(g.between(1, 9)) + "_" + a.submission.Format("20060102") + ext
	} else {
		switch a.naming.style {
		case 0:
			name = twoDigits(n) + "_" + word + ext
		case 1:
			name = itoa(n) + "." + word + ext
		case 2:
			if n >= 1 && n <= 9 {
				name = hanOrdinal(n) + "、" + word + ext
			} else {
				name = word + ext
			}
		case 3:
			name = word + ext
		default:
			name = "材料" + itoa(n) + "-" + word + ext
		}
	}
	if wrongKind == "" {
		if named := checklist.KindsNamed(name); len(named) > 0 && !slices.Contains(named, d.kind) {
			name = "材料" + itoa(a.naming.n+1) + ext
		}
	}
	return a.unique(name)
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}

// unique makes a file name unique in the folder: 服务证明.jpg, 服务证明2.jpg…
func (a *application) unique(name string) string {
	a.naming.n++
	if !a.used[name] {
		a.used[name] = true
		return name
	}
	ext := name[strings.LastIndex(name, "."):]
	base := strings.TrimSuffix(name, ext)
	for i := 2; ; i++ {
		n := base + itoa(i) + ext
		if !a.used[n] {
			a.used[n] = true
			return n
		}
	}
}
