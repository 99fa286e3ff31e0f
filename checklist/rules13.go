package checklist

import (
	"fmt"
	"slices"
	"strings"
)

// Per-function figures of the 申请报告's 服务功能 table (第十三条（一）–（五）). FIELDS.md has only the
// year's totals (service_events_last_year, trainees_last_year, smes_served_last_year), which cannot
// tell the functions apart; these names are proposed for doc.FieldTypes (all Integer).
const (
	FieldInformationOfflineSMEs = "information_offline_smes"     // 信息服务：线下服务企业 家
	FieldInformationEvents      = "information_events"           // 信息服务：服务活动 次
	FieldTechnologyEvents       = "technology_events"            // 技术服务：服务活动 次
	FieldStartupEvents          = "startup_events"               // 创业服务：创业项目洽谈、推介活动 次
	FieldTrainingTrainees       = "training_trainees"            // 培训服务：培训 人次
	FieldFinancingMatchmaking   = "financing_matchmaking_events" // 融资服务：银企对接活动 次
	FieldFinancingLectures      = "financing_lectures"           // 融资服务：融资知识讲座 次
)

// need is one threshold of a function.
type need struct {
	field  string // the per-function figure
	min    float64
	label  string // Chinese
	unit   string
	direct string // a FIELDS.md field that is the same figure, used when field is absent
	bound  string // a FIELDS.md total that the figure cannot exceed
}

// function is one 第十三条 function and its thresholds.
type function struct {
	key   string
	name  string // the value in the functions list
	n     int    // 第十三条（n）
	needs []need
}

var functions = []function{
	{C13Information, "information", 1, []need{
		{FieldInformationOfflineSMEs, 20, "线下服务企业", "家", "", "smes_served_last_year"},
		{FieldInformationEvents, 2, "信息服务活动", "次", "", "service_events_last_year"},
	}},
	{C13Technology, "technology", 2, []need{
		{FieldTechnologyEvents, 3, "技术服务活动", "次", "", "service_events_last_year"},
	}},
	{C13Startup, "startup", 3, []need{
		{FieldStartupEvents, 2, "创业项目洽谈、推介活动", "次", "", "service_events_last_year"},
	}},
	{C13Training, "training", 4, []need{
		{FieldTrainingTrainees, 600, "培训", "人次", "trainees_last_year", ""},
	}},
	{C13Financing, "financing", 5, []need{
		{FieldFinancingMatchmaking, 2, "银企对接活动", "次", "", "service_events_last_year"},
		{FieldFinancingLectures, 2, "融资知识讲座", "次", "", "service_events_last_year"},
	}},
}

// c13 decides the functions of 第十三条 from the 申请报告's 服务功能 table, and c13_any.
//
//   - （一）information: 线下年服务企业 ≥ 20 and 服务活动 ≥ 2; （二）technology: 活动 ≥ 3;
//     （三）startup: 洽谈、推介活动 ≥ 2; （四）training: 年培训 ≥ 600 人次; （五）financing: 银企对接 ≥ 2 and
//     融资知识讲座 ≥ 2 (the per-function fields above; training falls back on trainees_last_year,
//     which FIELDS.md defines as the same 年培训人次).
//   - A function the report does not claim (functions) fails. Without a readable 申请报告, or one
//     whose functions cannot be read, every function is undeterminable.
//   - A missing per-function figure is undeterminable, unless the year's total it is part of
//     (service_events_last_year, smes_served_last_year) is already too small for it: then it fails.
//   - c13_any (第十三条 满足以下至少一项): pass if one function passes, fail if all fail (no_function_met),
//     otherwise undeterminable.
func (f *facts) c13(ws *warnings) []Verdict {
	reports := f.reports()
	fv, hasFunctions := first(reports, "functions")
	var claimed []string
	if hasFunctions {
		claimed = fv.list()
	}
	var out []Verdict
	anyV := Verdict{Key: C13Any, Article: "第十三条", Title: "至少满足一项功能要求"}
	for _, fn := range functions {
		v := Verdict{Key: fn.key, Article: article13(fn.n), Title: functionZh[fn.name]}
		switch {
		case len(reports) == 0:
			v.Checks = []Check{{Name: "claimed", Outcome: Undeterminable, Reason: "没有可辨认的申请报告。"}}
		case !hasFunctions:
			v.Checks = []Check{{Name: "claimed", Outcome: Undeterminable, Reason: "申请报告中未能读到所具备的服务功能。"}}
		case !slices.Contains(claimed, fn.name):
			v.Checks = []Check{{Name: "claimed", Rule: "functions ∋ " + fn.name, Outcome: Fail,
				Figures: []Figure{fv.figure()}, Reason: "申请报告未申报" + functionZh[fn.name] + "功能。"}}
		default:
			v.Checks = append([]Check{{Name: "claimed", Rule: "functions ∋ " + fn.name, Outcome: Pass,
				Figures: []Figure{fv.figure()}, Reason: "申请报告申报了" + functionZh[fn.name] + "功能。"}},
				f.functionChecks(reports, fn)...)
		}
		v.Outcome = combine(v.Checks)
		out = append(out, v)
		anyV.Checks = append(anyV.Checks, Check{Name: fn.key, Outcome: v.Outcome,
			Reason: functionZh[fn.name] + "：" + outcomeZh[v.Outcome] + "。"})
	}
	anyV.Outcome = Undeterminable
	switch {
	case slices.ContainsFunc(out, func(v Verdict) bool { return v.Outcome == Pass }):
		anyV.Outcome = Pass
	case !slices.ContainsFunc(out, func(v Verdict) bool { return v.Outcome != Fail }):
		anyV.Outcome = Fail
		var ev []Evidence
		if hasFunctions {
			ev = []Evidence{fv.evidence()}
		}
		var names []string
		for _, fn := range functions {
			if slices.Contains(claimed, fn.name) {
				names = append(names, functionZh[fn.name])
			}
		}
		msg := "第十三条：申请报告未申报任何服务功能。"
		if len(names) > 0 {
			msg = fmt.Sprintf("第十三条：申请报告申报的服务功能（%s）均未达到第十三条的要求。", strings.Join(names, "、"))
		}
		ws.add(Warning{Code: CodeNoFunctionMet, Severity: Blocking, Article: "第十三条", Message: msg, Evidence: ev})
	}
	out = append(out, anyV)
	return out
}

var outcomeZh = map[Outcome]string{Pass: "满足", Fail: "不满足", Undeterminable: "无法认定"}

// functionChecks checks a claimed function's thresholds.
func (f *facts) functionChecks(reports []*docFacts, fn function) []Check {
	var checks []Check
	known := map[string]float64{} // per bound, the sum of this function's known figures under it
	var missing []need
	for _, nd := range fn.needs {
		c := Check{Name: nd.field, Rule: "≥ " + num(nd.min)}
		v, x, ok := firstNumber(reports, nd.field)
		if !ok && nd.direct != "" {
			v, x, ok = firstNumber(reports, nd.direct)
		}
		if !ok {
			missing = append(missing, nd)
			continue
		}
		known[nd.bound] += x
		c.Figures = []Figure{v.figure()}
		if x >= nd.min {
			c.Outcome = Pass
			c.Reason = fmt.Sprintf("%s %s %s，不少于 %s %s。", nd.label, num(x), nd.unit, num(nd.min), nd.unit)
		} else {
			c.Outcome = Fail
			c.Reason = fmt.Sprintf("%s %s %s，少于 %s %s。", nd.label, num(x), nd.unit, num(nd.min), nd.unit)
		}
		checks = append(checks, c)
	}
	// A missing figure that its total leaves too little room for fails; several missing figures under
	// one total fail together when the total cannot hold all their minimums.
	byBound := map[string][]need{}
	var bounds []string
	for _, nd := range missing {
		if _, seen := byBound[nd.bound]; !seen {
			bounds = append(bounds, nd.bound)
		}
		byBound[nd.bound] = append(byBound[nd.bound], nd)
	}
	for _, b := range bounds {
		nds := byBound[b]
		fields := make([]string, len(nds))
		labels := make([]string, len(nds))
		sum := 0.0
		for i, nd := range nds {
			fields[i], labels[i] = nd.field, nd.label
			sum += nd.min
		}
		rules := make([]string, len(nds))
		for i, nd := range nds {
			rules[i] = nd.field + " ≥ " + num(nd.min)
		}
		c := Check{Name: strings.Join(fields, "+"), Rule: strings.Join(rules, ", ") + " (" + b + " is their upper bound)"}
		tv, total, ok := value{}, 0.0, false
		if b != "" {
			tv, total, ok = firstNumber(reports, b)
		}
		room := total - known[b]
		switch {
		case ok && room < sum:
			c.Outcome = Fail
			c.Figures = []Figure{tv.figure()}
			c.Reason = fmt.Sprintf("申请报告未分列%s，其全年合计仅 %s，不足以达到要求。",
				strings.Join(labels, "、"), num(total))
		default:
			c.Outcome = Undeterminable
			if ok {
				c.Figures = []Figure{tv.figure()}
			}
			c.Reason = fmt.Sprintf("申请报告中未能读到%s的%s数。", functionZh[fn.name], strings.Join(labels, "、"))
		}
		checks = append(checks, c)
	}
	return checks
}
