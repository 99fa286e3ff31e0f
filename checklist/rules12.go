package checklist

import (
	"fmt"
	"math"
	"shenbao/doc"
	"slices"
	"strings"
)

// Thresholds of 第十二条.
const (
	minTotalAssetsYuan  = 1_000_000 // 资产总额不低于100万元
	minOperatingYears   = 2         // 运营两年以上
	minSMEsServed       = 20        // 年服务中小企业20家以上
	minSatisfactionPct  = 80        // 用户满意度在80%以上
	minPartners         = 2         // 集聚服务机构2家以上
	minPublicServicePct = 20        // 公益性服务或低收费服务不少于总服务量的20%
	minStaff            = 10        // 从事为中小企业服务的人员不少于10人
	minQualifiedPct     = 60        // 专业人员的比例占60%以上
)

// c12_1 decides 第十二条（一）：运营两年以上，资产总额不低于100万元.
//
//   - operating_two_years: the established_date on the first 营业执照/法人证书 that states one, plus two
//     calendar years (29 February → 28 February), is on or before the date evaluated as of; otherwise
//     operating_under_two_years. The date in the 申请报告 does not count.
//   - total_assets_yuan: 资产总计 in the first audit report of the evaluation year that states it is at
//     least 1,000,000 yuan (compared to the cent); otherwise below_threshold:total_assets_yuan. The figure
//     in the 申请报告 and in audits of other years does not count.
//
// When there are audit reports and every one states a year other than the evaluation year,
// wrong_audit_year is raised (第十七条（三）上一年度审计报告) and the assets are undeterminable; an audit
// report that states no year is of no known year, so its figures do not count either.
func (f *facts) c12_1(ws *warnings) Verdict {
	v := Verdict{Key: C12_1, Article: article12(1), Title: "运营两年以上，资产总额不低于100万元"}

	op := Check{Name: "operating_two_years", Rule: fmt.Sprintf("established_date + %d years ≤ %s", minOperatingYears, day(f.asOf))}
	if est, t, ok := firstDate(f.ofKind(kindLicence, kindCertificate), "established_date"); ok {
		op.Figures = []Figure{est.figure()}
		due := addYears(t, minOperatingYears)
		if !due.After(f.asOf) {
			op.Outcome = Pass
			op.Reason = fmt.Sprintf("成立于 %s，至 %s 已运营两年以上。", day(t), day(f.asOf))
		} else {
			op.Outcome = Fail
			op.Reason = fmt.Sprintf("成立于 %s，至申报日 %s 运营不满两年（%s 方满两年）。", day(t), day(f.asOf), day(due))
			ws.add(Warning{Code: CodeOperatingUnderTwo, Severity: Blocking, Article: v.Article,
				Message: v.Article + "：" + op.Reason + est.see(), Evidence: []Evidence{est.evidence()}})
		}
	} else {
		op.Outcome = Undeterminable
		op.Reason = "营业执照或法人证书上未能读到成立日期。"
	}

	assets := Check{Name: "total_assets_yuan", Rule: fmt.Sprintf("≥ %d (audit_year %d)", minTotalAssetsYuan, f.year)}
	audits := f.ofKind(kindAudit)
	var ofYear []*docFacts
	var years []string
	allOther := len(audits) > 0
	for _, d := range audits {
		y, ok := d.get("audit_year")
		n, isNum := y.number()
		switch {
		case ok && isNum && int(n) == f.year:
			ofYear = append(ofYear, d)
			allOther = false
		case ok && isNum:
			years = append(years, fmt.Sprintf("%d 年", int(n)))
		default:
			allOther = false
		}
	}
	if allOther {
		ev := make([]Evidence, 0, len(audits))
		for _, d := range audits {
			y, _ := d.get("audit_year")
			ev = append(ev, y.evidence())
		}
		ws.add(Warning{Code: CodeWrongAuditYear, Severity: Blocking, Article: article17(3),
			Message: fmt.Sprintf("%s：审计报告所审年度为 %s，不是上一年度（%d 年），资产总额无法认定。",
				article17(3), strings.Join(sortedUnique(years), "、"), f.year),
			Evidence: ev})
	}
	if a, x, ok := firstNumber(ofYear, "total_assets_yuan"); ok {
		assets.Figures = []Figure{a.figure()}
		if math.Round(x*100) >= minTotalAssetsYuan*100 {
			assets.Outcome = Pass
			assets.Reason = fmt.Sprintf("经审计的资产总额为 %s，不低于 100 万元。", yuan(x))
		} else if r, rx, ok := firstNumber(f.reports(), "total_assets_yuan"); ok && doubtful(a) && rx >= minTotalAssetsYuan {
			// A doubtful reading that the application report contradicts does not block: it is
			// for a person to read on the page.
			assets.Outcome = Undeterminable
			assets.Figures = append(assets.Figures, r.figure())
			assets.Reason = fmt.Sprintf("审计报告上的资产总额读作 %s，识别把握不足，且与申请报告所填 %s 不符，请人工核对原件。", yuan(x), yuan(rx))
			ws.add(Warning{Code: CodeFigureDoubtful, Severity: Attention, Article: v.Article,
				Message: v.Article + "：" + assets.Reason + a.see(), Evidence: []Evidence{a.evidence(), r.evidence()}})
		} else {
			assets.Outcome = Fail
			assets.Reason = fmt.Sprintf("经审计的资产总额为 %s，低于 100 万元。", yuan(x))
			ws.add(Warning{Code: PrefixBelowThreshold + "total_assets_yuan", Severity: Blocking, Article: v.Article,
				Message: v.Article + "：" + assets.Reason + a.see(), Evidence: []Evidence{a.evidence()}})
		}
	} else {
		assets.Outcome = Undeterminable
		switch {
		case len(audits) == 0:
			assets.Reason = "未提交审计报告。"
		case len(ofYear) == 0:
			assets.Reason = fmt.Sprintf("没有 %d 年度的审计报告。", f.year)
		default:
			assets.Reason = fmt.Sprintf("%d 年度审计报告中未能读到资产总额。", f.year)
		}
	}
	v.Checks = []Check{op, assets}
	v.Outcome = combine(v.Checks)
	return v
}

// c12_2 decides 第十二条（二）服务业绩突出, from the 申请报告: 上一年度服务中小企业 20 家以上
// (smes_served_last_year), 用户满意度 80% 以上 (satisfaction_pct), and 近两年服务企业数量稳步增长:
// last year strictly more than the year before (smes_served_prior_year; otherwise no_growth).
func (f *facts) c12_2(ws *warnings) Verdict {
	v := Verdict{Key: C12_2, Article: article12(2), Title: "服务业绩突出"}
	reports := f.reports()
	smes := f.reportAtLeast(ws, v.Article, "smes_served_last_year", minSMEsServed, "上一年度服务中小企业", "家", "少于")
	sat := f.reportAtLeast(ws, v.Article, "satisfaction_pct", minSatisfactionPct, "用户满意度", "%", "低于")

	growth := Check{Name: "growth", Rule: "smes_served_last_year > smes_served_prior_year"}
	last, l, okL := firstNumber(reports, "smes_served_last_year")
	prior, p, okP := firstNumber(reports, "smes_served_prior_year")
	if okL {
		growth.Figures = append(growth.Figures, last.figure())
	}
	if okP {
		growth.Figures = append(growth.Figures, prior.figure())
	}
	switch {
	case !okL || !okP:
		growth.Outcome = Undeterminable
		growth.Reason = "申请报告中未能读到近两年的服务企业数量。"
	case l > p:
		growth.Outcome = Pass
		growth.Reason = fmt.Sprintf("服务中小企业由 %s 家增至 %s 家。", num(p), num(l))
	default:
		growth.Outcome = Fail
		growth.Reason = fmt.Sprintf("上一年度服务中小企业 %s 家，未高于前一年的 %s 家，未稳步增长。", num(l), num(p))
		ws.add(Warning{Code: CodeNoGrowth, Severity: Blocking, Article: v.Article,
			Message: v.Article + "：" + growth.Reason + last.see(), Evidence: []Evidence{last.evidence(), prior.evidence()}})
	}
	v.Checks = []Check{smes, sat, growth}
	v.Outcome = combine(v.Checks)
	return v
}

// c12_3 decides 第十二条（三）: 有固定的经营服务场所 — a readable 不动产权证书/房产证, or a 租赁合同 whose
// lease_end is on or after the date evaluated as of; only expired leases fail, and each raises
// expired_lease (also when other premises are proven) — and 集聚服务机构2家以上 (partner_institutions in
// the 申请报告). Without any proof of premises, or with a lease whose end cannot be read, the premises
// are undeterminable.
func (f *facts) c12_3(ws *warnings) Verdict {
	v := Verdict{Key: C12_3, Article: article12(3), Title: "有固定的经营服务场所，集聚服务机构2家以上"}
	prem := Check{Name: "premises", Rule: fmt.Sprintf("property certificate, or lease_end ≥ %s", day(f.asOf))}
	var proven, expired, unknown bool
	for _, d := range f.ofKind(kindProperty) {
		if !d.readable {
			unknown = true
			continue
		}
		fig := Figure{Name: "kind", Value: d.Kind, Evidence: d.evidence(0)}
		if a, ok := d.get("premises_address"); ok {
			fig = a.figure()
		}
		prem.Figures = append(prem.Figures, fig)
		if !proven {
			prem.Reason = fmt.Sprintf("提交了%s。", docName(d))
		}
		proven = true
	}
	for _, d := range f.ofKind(kindLease) {
		end, ok := d.get("lease_end")
		t, isDate := end.date()
		if !ok || !isDate {
			unknown = true
			continue
		}
		prem.Figures = append(prem.Figures, end.figure())
		if !t.Before(f.asOf) {
			if !proven {
				prem.Reason = fmt.Sprintf("租赁合同至 %s 到期，申报日 %s 仍在租期内。", day(t), day(f.asOf))
			}
			proven = true
			continue
		}
		expired = true
		msg := fmt.Sprintf("租赁合同已于 %s 到期，早于申报日 %s。", day(t), day(f.asOf))
		ws.add(Warning{Code: CodeExpiredLease, Severity: Blocking, Article: v.Article,
			Message: v.Article + "：" + msg + end.see(), Evidence: []Evidence{end.evidence()}})
		if !proven && !unknown {
			prem.Reason = msg
		}
	}
	switch {
	case proven:
		prem.Outcome = Pass
	case unknown:
		prem.Outcome = Undeterminable
		prem.Reason = "未能读到房产证明或租赁合同的到期日。"
	case expired:
		prem.Outcome = Fail
		if len(f.ofKind(kindLease)) > 1 {
			prem.Reason = "提交的租赁合同均已到期。"
		}
	default:
		prem.Outcome = Undeterminable
		prem.Reason = "未提交房产证或租赁合同。"
	}
	partners := f.reportAtLeast(ws, v.Article, "partner_institutions", minPartners, "集聚服务机构", "家", "少于")
	v.Checks = []Check{prem, partners}
	v.Outcome = combine(v.Checks)
	return v
}

// c12_4 decides 第十二条（四）获得地（市）级（含）以上部门相关认定、表彰、资助: a prior_recognition whose
// issuer_level is prefecture, autonomous_region or national passes; recognitions that are all
// county-level fail (recognition_level_too_low); no recognition, or one whose level cannot be read
// (and none that passes), is undeterminable. Qualifications (第十七条（七）) do not count.
func (f *facts) c12_4(ws *warnings) Verdict {
	v := Verdict{Key: C12_4, Article: article12(4), Title: "获得地（市）级（含）以上部门相关认定、表彰、资助"}
	c := Check{Name: "recognition_level", Rule: "issuer_level ∈ {prefecture, autonomous_region, national}"}
	recs := f.ofKind(kindRecognition)
	var county []value
	unknown := false
	for _, d := range recs {
		lv, ok := d.get("issuer_level")
		switch {
		case ok && slices.Contains([]string{"prefecture", "autonomous_region", "national"}, lv.f.Value):
			if c.Outcome != Pass {
				c.Outcome = Pass
				c.Figures = []Figure{lv.figure()}
				c.Reason = fmt.Sprintf("%s颁发的认定文件：%s。", levelZh[lv.f.Value], issuerTitle(d))
			}
		case ok && lv.f.Value == "county":
			county = append(county, lv)
		default:
			unknown = true
		}
	}
	switch {
	case c.Outcome == Pass:
	case len(recs) == 0:
		c.Outcome = Undeterminable
		c.Reason = "未提交认定、表彰、资助文件。"
	case unknown:
		c.Outcome = Undeterminable
		c.Reason = "未能读到认定、表彰、资助文件的颁发部门级别。"
	default:
		c.Outcome = Fail
		var ev []Evidence
		var who []string
		for _, lv := range county {
			c.Figures = append(c.Figures, lv.figure())
			ev = append(ev, lv.evidence())
			who = append(who, issuerTitle(lv.d))
		}
		c.Reason = fmt.Sprintf("认定、表彰、资助文件均为县级部门颁发（%s），未达到地（市）级以上。", strings.Join(who, "；"))
		ws.add(Warning{Code: CodeRecognitionTooLow, Severity: Blocking, Article: v.Article,
			Message: v.Article + "：" + c.Reason + county[0].see(), Evidence: ev})
	}
	v.Checks = []Check{c}
	v.Outcome = combine(v.Checks)
	return v
}

// issuerTitle is "issuer《title》" of a recognition, as far as it can be read.
func issuerTitle(d *docFacts) string {
	s := ""
	if is, ok := d.get("issuer"); ok {
		s = is.f.Value
	}
	if t, ok := d.get("title"); ok {
		s += "“" + t.f.Value + "”"
	}
	if s == "" {
		s = d.FileName
	}
	return s
}

// c12_5 decides 第十二条（五）: 提供的公益性服务或低收费服务要不少于总服务量的20%
// (public_service_share_pct in the 申请报告).
func (f *facts) c12_5(ws *warnings) Verdict {
	v := Verdict{Key: C12_5, Article: article12(5), Title: "公益性服务或低收费服务不少于总服务量的20%"}
	v.Checks = []Check{f.reportAtLeast(ws, v.Article, "public_service_share_pct", minPublicServicePct,
		"公益性服务或低收费服务占比", "%", "低于")}
	v.Outcome = combine(v.Checks)
	return v
}

// c12_6 decides 第十二条（六）: 从事为中小企业服务的人员不少于10人 (staff_total), 其中大专及以上学历和中级
// 及以上技术职称专业人员的比例占60%以上 (staff_qualified / staff_total ≥ 60%, 60% included), from the
// 申请报告. The ratio of a staff of 0 is undeterminable (the head count fails anyway).
func (f *facts) c12_6(ws *warnings) Verdict {
	v := Verdict{Key: C12_6, Article: article12(6), Title: "服务人员不少于10人，专业人员占60%以上"}
	staff := f.reportAtLeast(ws, v.Article, "staff_total", minStaff, "从事为中小企业服务的人员", "人", "少于")

	q := Check{Name: "staff_qualified", Rule: fmt.Sprintf("staff_qualified / staff_total ≥ %d%%", minQualifiedPct)}
	reports := f.reports()
	tv, total, okT := firstNumber(reports, "staff_total")
	qv, qual, okQ := firstNumber(reports, "staff_qualified")
	if okQ {
		q.Figures = append(q.Figures, qv.figure())
	}
	if okT {
		q.Figures = append(q.Figures, tv.figure())
	}
	switch {
	case !okT || !okQ:
		q.Outcome = Undeterminable
		q.Reason = "申请报告中未能读到专业人员人数或服务人员总数。"
	case total <= 0:
		q.Outcome = Undeterminable
		q.Reason = "服务人员总数为 0，无法计算专业人员比例。"
	case qual*100 >= minQualifiedPct*total:
		q.Outcome = Pass
		q.Reason = fmt.Sprintf("专业人员 %s 人，占 %s%%，不低于 60%%。", num(qual), pct(qual, total))
	default:
		q.Outcome = Fail
		q.Reason = fmt.Sprintf("大专及以上学历和中级及以上技术职称专业人员 %s 人，占 %s 人的 %s%%，低于 60%%。",
			num(qual), num(total), pct(qual, total))
		ws.add(Warning{Code: PrefixBelowThreshold + "staff_qualified", Severity: Blocking, Article: v.Article,
			Message: v.Article + "：" + q.Reason + qv.see(), Evidence: []Evidence{qv.evidence(), tv.evidence()}})
	}
	v.Checks = []Check{staff, q}
	v.Outcome = combine(v.Checks)
	return v
}

// pct is a/b in percent with at most two decimals.
func pct(a, b float64) string { return num(math.Round(a/b*10000) / 100) }

// reportAtLeast checks that the 申请报告's figure name is at least min, raising
// below_threshold:<name> when it is not. label, unit and less ("少于", "低于") word the reason.
func (f *facts) reportAtLeast(ws *warnings, article, name string, min float64, label, unit, less string) Check {
	c := Check{Name: name, Rule: "≥ " + num(min)}
	sp := " "
	if unit == "%" {
		sp = ""
	}
	v, x, ok := firstNumber(f.reports(), name)
	switch {
	case !ok:
		c.Outcome = Undeterminable
		c.Reason = "申请报告中未能读到" + label + "。"
		if len(f.ofKind(kindReport)) == 0 {
			c.Reason = "未提交申请报告，无法认定" + label + "。"
		}
		return c
	case x >= min:
		c.Outcome = Pass
		c.Reason = fmt.Sprintf("%s %s%s%s，不%s %s%s%s。", label, num(x), sp, unit, less, num(min), sp, unit)
	default:
		c.Outcome = Fail
		c.Reason = fmt.Sprintf("%s %s%s%s，%s %s%s%s。", label, num(x), sp, unit, less, num(min), sp, unit)
		ws.add(Warning{Code: PrefixBelowThreshold + name, Severity: Blocking, Article: article,
			Message: article + "：" + c.Reason + v.see(), Evidence: []Evidence{v.evidence()}})
	}
	c.Figures = []Figure{v.figure()}
	return c
}

func sortedUnique(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// doubtful reports whether an extracted value is not certain enough to decide a rule on its own: read
// with a confidence under doc.SureConfidence, or flagged by extraction's checks (implausible,
// inconsistent with the other figures of its document). A reviewed value is always certain.
func doubtful(v value) bool {
	if v.f.Confidence >= 1 {
		return false // a reviewer confirmed or corrected it
	}
	for _, fl := range v.f.Flags {
		if fl == "implausible" || fl == "inconsistent" {
			return true
		}
	}
	return v.f.Confidence > 0 && v.f.Confidence < doc.SureConfidence
}
