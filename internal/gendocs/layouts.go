package main

import (
	"fmt"
	"hash/fnv"
	"io"
	"sort"
	"strings"
)

// layoutInfo is one way of printing a kind of document. Every document names its layout in its
// sidecar ("layout"), and a run prints how many documents of each layout it made, so a score can be
// read per layout. Within a layout, label wordings, date and amount styles, column orders and marks
// vary further; those choices are listed in the sidecar's "variant".
type layoutInfo struct {
	id, kind, desc string
	weight         float64
}

// layoutTable lists every layout the generator knows.
var layoutTable = []layoutInfo{
	{"report.classic-sections", "application_report", "附件2 cover, 一、基本情况 as a label/value arrangement, figures in prose, function table", 1},
	{"report.form-grid", "application_report", "one big form: basic facts in a 4-column grid, figures as header-row tables, functions after", 1},
	{"report.prose-only", "application_report", "a letter-style report: every figure stated in sentences, functions as （一）信息服务 headings", 1},

	{"functions.rows-numbered", "application_report", "function table: 序号 | 服务功能 | 是否具备 | 开展情况", 1},
	{"functions.mark-before-name", "application_report", "function table: ☑信息服务 | 开展情况 (the mark before the name)", 1},
	{"functions.as-columns", "application_report", "function table turned: functions as columns, rows 是否具备 / 开展情况", 1},
	{"functions.checkbox-line", "application_report", "a line ☑信息服务 □技术服务 … then a paragraph per claimed function", 1},
	{"functions.ordinal-headings", "application_report", "（一）信息服务 headings each with 具备/不具备 and a paragraph", 1},

	{"licence.3in1.side-by-side", "business_licence", "三证合一 副本: two columns of label+value side by side", 1},
	{"licence.3in1.grid4", "business_licence", "三证合一 as a 4-column grid, code in the first row", 1},
	{"licence.3in1.header-row", "business_licence", "三证合一 with labels in a row over their values", 0.6},
	{"licence.old-regno.prose", "business_licence", "old 企业法人营业执照 with a 15-digit 注册号, 名　　称：… lines in the old order", 1},
	{"licence.old-regno.spaced", "business_licence", "old 营业执照 with 注册号, spaced labels without colons, 成立日期 before 住所", 0.8},

	{"certificate.prose", "legal_person_certificate", "法人证书 as label：value lines, 有效期 自…至…", 1},
	{"certificate.table2", "legal_person_certificate", "法人证书 as a two-column ruled table", 1},
	{"certificate.vertical", "legal_person_certificate", "法人证书 with labels written vertically", 0.8},

	{"audit.side-by-side", "audit_report", "opinion page, 资产负债表 with assets left and liabilities right, 利润表", 1},
	{"audit.stacked", "audit_report", "opinion page, 资产负债表 with assets then liabilities in one 4-column table, 利润表", 1},
	{"audit.cover-notes", "audit_report", "cover, opinion, balance sheet, income statement and a 服务收支 note in prose", 1},

	{"lease.jiayi-clauses", "premises_lease", "房屋租赁合同 with 甲方/乙方 and numbered clauses (第一条…)", 1},
	{"lease.chuzu-table", "premises_lease", "出租人/承租人 with a summary table of the premises and term", 1},
	{"lease.short-agreement", "premises_lease", "a one-page 房屋租赁协议 with 出租方/承租方 and terms in prose", 1},

	{"property.bdc-table", "property_certificate", "不动产权证书 page: 权利人 … 面积 as a ruled two-column table", 1},
	{"property.old-fcz", "property_certificate", "old 房屋所有权证: owner lines, then a header row over a value row of 幢号/结构/建筑面积", 1},

	{"evidence.summary", "service_evidence", "年度工作总结 stating the year's totals", 1},
	{"evidence.brief", "service_evidence", "工作简报 with a year overview paragraph", 1},
	{"evidence.notice-signin", "service_evidence", "a notice of an event with a sign-in sheet", 1},
	{"evidence.photo-captions", "service_evidence", "photo page: captioned grey photo frames of events", 0.7},

	{"recognition.redhead", "prior_recognition", "红头文件 notice: red header, 文号, body naming the platforms, issuer seal", 1},
	{"recognition.list", "prior_recognition", "附件 list of recognised units as a table, issuer and date at the foot", 1},
	{"recognition.hightech", "prior_recognition", "高新技术企业证书 issued by three bodies", 1},
	{"recognition.specialised", "prior_recognition", "专精特新 certificate", 1},
	{"recognition.plaque", "prior_recognition", "photo of a 孵化器/众创空间 plaque (year and month only)", 0.8},
	{"recognition.county", "prior_recognition", "a county-level 表彰 notice", 0},

	{"qualification.licence", "qualification", "许可证 (增值电信、人力资源服务…) with a framed border", 1},
	{"qualification.certificate", "qualification", "资质证书 in a two-column table", 1},
	{"qualification.icp-desktop", "qualification", "ICP 备案 query, desktop browser screenshot with a result table", 1},
	{"qualification.icp-mobile", "qualification", "ICP 备案 query on a phone (narrow screen, one field a line)", 1},

	{"declaration.letter", "authenticity_declaration", "申报材料真实性声明 as a letter with the signature block", 1},
	{"declaration.pledge", "authenticity_declaration", "诚信承诺书 with numbered pledges and a table-like signature block", 1},

	{"recommendation.big-table", "recommendation_form", "推荐表 as one ruled table with 平台名称 and 申报单位名称 rows", 1},
	{"recommendation.vertical-groups", "recommendation_form", "推荐表 with vertical group labels (申报单位情况, 推荐意见)", 1},
	{"recommendation.labels-below", "recommendation_form", "推荐表 whose top block prints values over their labels", 0.8},

	{"other.invoice-digital", "other", "数电发票 (电子发票（普通发票）) with 购买方信息/销售方信息", 1},
	{"other.bank-receipt", "other", "bank 电子回单 of a rent payment", 1},
}

// pickLayout deals a layout of a kind (those whose id starts with prefix and whose weight is not
// zero; weight 0 marks a layout used only when a defect needs it). Layouts are dealt, not drawn: each
// prefix has its own deck, shuffled by the seed, and application n takes the card at n−1 (then n+2,
// n+5… for further documents of the same prefix), so that a handful of applications already shows
// every layout, and application n is the same whatever the number of applications.
func (a *application) pickLayout(prefix string) string {
	var ids []string
	for _, l := range layoutTable {
		if strings.HasPrefix(l.id, prefix) && l.weight > 0 {
			ids = append(ids, l.id)
		}
	}
	if len(ids) == 0 {
		panic("no layout " + prefix)
	}
	return a.deal(prefix, ids)
}

// deal returns the card of application n (and of its j-th draw of this deck) from a deck of options
// shuffled by the seed.
func (a *application) deal(deck string, options []string) string {
	h := fnv.New64a()
	h.Write([]byte(deck))
	cards := append([]string(nil), options...)
	shuffle(newRNG(a.seed, h.Sum64()), cards)
	j := a.dealt[deck]
	a.dealt[deck] = j + 1
	return cards[(a.n-1+3*j)%len(cards)]
}

// printLayouts writes the layout table, with the count of each layout used when counts is given.
func printLayouts(w io.Writer, counts map[string]int) {
	for _, l := range layoutTable {
		if counts == nil {
			fmt.Fprintf(w, "%-34s %-26s %s\n", l.id, l.kind, l.desc)
			continue
		}
		fmt.Fprintf(w, "%4d  %-34s %s\n", counts[l.id], l.id, l.kind)
	}
	if counts != nil {
		var extra []string
		for id := range counts {
			found := false
			for _, l := range layoutTable {
				found = found || l.id == id
			}
			if !found {
				extra = append(extra, id)
			}
		}
		sort.Strings(extra)
		for _, id := range extra {
			fmt.Fprintf(w, "%4d  %s (not in the table)\n", counts[id], id)
		}
	}
}
