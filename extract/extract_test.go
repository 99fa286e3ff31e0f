package extract

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"shenbao/doc"
)

// textPage builds a page from text: one line per line, one word per space-separated token.
func textPage(n int, text string) doc.Page {
	p := doc.Page{Number: n, Width: 2400, Height: 3000, DPI: 300, Source: doc.SourceOCR}
	y := 50
	for _, ln := range strings.Split(text, "\n") {
		toks := strings.Fields(ln)
		if len(toks) == 0 {
			continue
		}
		p.Lines = append(p.Lines, synthLine(toks, y, 0.9))
		y += lineH + lineGap
	}
	return p
}

func fieldMap(fs []doc.Field) map[string]string {
	m := map[string]string{}
	for _, f := range fs {
		m[f.Name] = f.Value
	}
	return m
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"licence", "营业执照\n统一社会信用代码 91540102MA6TKJPG5T\n名称 西藏某某科技有限公司\n注册资本 500万元\n成立日期 2020年1月1日\n营业期限 长期", "business_licence"},
		{"certificate", "事业单位法人证书\n名称：某某服务中心\n开办资金：伍拾万元\n举办单位：某某局", "legal_person_certificate"},
		{"invoice", "西藏增值税电子普通发票\n开票日期：2023年09月20日\n纳税人识别号：91540325MA6TMQYU7K\n价税合计（大写） 壹万元整", "other"},
		{"declaration naming other documents", "申报材料真实性声明\n本次提交的申请报告、营业执照（法人证书）、审计报告均真实、准确、完整。\n特此声明。\n申报单位（公章）：某某有限公司", "authenticity_declaration"},
		{"event notice", "关于举办融资知识讲座的通知\n各有关企业：\n某某公司定于2023年7月9日举办“融资知识讲座”。\n参训企业签到表\n序号 企业名称 姓名", "service_evidence"},
		{"recognition list", "关于公布2023年度拉萨市中小企业公共服务示范平台名单的通知\n现将“拉萨市中小企业公共服务示范平台”名单予以公布\n拉萨市经济和信息化局", "prior_recognition"},
		{"ICP record", "ICP/IP地址/域名信息备案管理系统\nICP备案查询\n主办单位名称\n某某有限公司\nICP备案/许可证号\n藏ICP备20251918号\n审核日期\n2020-05-29", "qualification"},
		{"lease", "房屋租赁合同\n出租方（甲方）：某某公司\n承租方（乙方）：某某中心\n租赁期限自2021年12月04日起至2024年12月03日止", "premises_lease"},
		{"property", "藏（2020）拉萨市不动产权第0045734号\n权 利 人 某某公司\n共有情况 单独所有\n坐 落 西藏自治区拉萨市某路45号\n不动产单元号 540172", "property_certificate"},
		{"nothing", "", "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, conf := Classify([]doc.Page{textPage(1, tt.text)})
			if kind != tt.want {
				t.Errorf("Classify = %s (%.2f); want %s", kind, conf, tt.want)
			}
			if conf < 0 || conf > 1 {
				t.Errorf("confidence %v outside 0..1", conf)
			}
		})
	}
}

func TestClassifyToleratesSpacedAndMisreadTitles(t *testing.T) {
	// 营 业 执 照 with a wrong character, spaced out as OCR prints it.
	p := textPage(1, "营 业 执 熙\n名 称 西藏某某科技有限公司\n注 册 资 本 500万元\n营 业 期 限 长期\n登 记 机 关")
	if kind, _ := Classify([]doc.Page{p}); kind != "business_licence" {
		t.Errorf("Classify = %s; want business_licence", kind)
	}
}

func TestSegments(t *testing.T) {
	licence := textPage(1, "营业执照\n名称 西藏某某科技有限公司\n统一社会信用代码 91540102MA6TKJPG5T\n注册资本 500万元\n成立日期 2020年1月1日")
	lease1 := textPage(2, "房屋租赁合同\n出租方（甲方）：拉萨某某商贸有限公司\n承租方（乙方）：西藏某某科技有限公司\n租赁期限自2021年12月04日起至2024年12月03日止")
	lease2 := textPage(3, "第六条 费用承担。租赁期间水电费由乙方承担。\n甲方（盖章）：拉萨某某商贸有限公司\n乙方（盖章）：西藏某某科技有限公司")
	blank := doc.Page{Number: 4, Blank: true}
	r := Extract([]doc.Page{licence, lease1, lease2, blank})
	var got []Segment
	for _, s := range r.Segments {
		got = append(got, Segment{From: s.From, To: s.To, Kind: s.Kind})
	}
	want := []Segment{{From: 1, To: 1, Kind: "business_licence"}, {From: 2, To: 4, Kind: "premises_lease"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("segments (-want +got):\n%s", d)
	}
	if r.Kind != "business_licence" {
		t.Errorf("Kind = %s; want business_licence", r.Kind)
	}
	if m := fieldMap(r.Segments[1].Fields); m["lessee"] != "西藏某某科技有限公司" || m["lease_end"] != "2024-12-03" {
		t.Errorf("lease segment fields = %v", m)
	}
	if m := fieldMap(r.Fields); m["credit_code"] != "91540102MA6TKJPG5T" || m["lessee"] != "" {
		t.Errorf("main fields = %v; want the licence's only", m)
	}
}

func TestIssuerLevel(t *testing.T) {
	for name, want := range map[string]string{
		"工业和信息化部":       "national",
		"国家市场监督管理总局":    "national",
		"西藏自治区经济和信息化厅":  "autonomous_region",
		"西藏自治区市场监督管理局":  "autonomous_region",
		"西藏自治区通信管理局":    "autonomous_region",
		"拉萨市经济和信息化局":    "prefecture",
		"昌都市经济和信息化局":    "prefecture",
		"阿里地区经济和信息化局":   "prefecture",
		"那曲市色尼区经济和信息化局": "county",
		"拉萨市城关区人民政府":    "county",
		"色尼区经济和信息化局":    "county",
		"江孜县工业和信息化局":    "county",
		"西藏自治区拉萨市科学技术局": "prefecture",
		"某某协会":          "",
	} {
		if got := issuerLevel(name); got != want {
			t.Errorf("issuerLevel(%s) = %q; want %q", name, got, want)
		}
	}
}

func TestFunctions(t *testing.T) {
	tests := []struct{ text, want string }{
		{"平台服务功能 □信息服务 □技术服务 √创业服务 □培训服务 √融资服务", "financing,startup"},
		{"平台服务功能 口信息服务 V技术服务 口创业服务 ☑培训服务 口融资服务", "technology,training"},
		{"服务功能 是否具备 年度服务开展情况\n信息服务 √ 线下服务企业127家\n技术服务 — —\n创业服务 — —\n培训服务 √ 培训1442人次\n融资服务 — —", "information,training"},
		{"在创业服务、融资服务等方面形成了特色", ""},
	}
	for _, tt := range tests {
		fs := newFieldSet(nil)
		readFunctions(newDocument([]doc.Page{textPage(1, tt.text)}), fs)
		if got := fs.m["functions"].Value; got != tt.want {
			t.Errorf("functions of %q = %q; want %q", tt.text, got, tt.want)
		}
	}
}

func TestHasSeal(t *testing.T) {
	text := "申报材料真实性声明\n特此声明。\n申报单位（公章）：西藏某某科技有限公司\n日期：2024年5月16日"
	sealed := textPage(1, text)
	sealed.Seals = []doc.Box{{X0: 10, Y0: 10, X1: 100, Y1: 100}}
	grey := textPage(1, text)
	grey.SealUnknown = true
	for _, tt := range []struct {
		name string
		page doc.Page
		want string
	}{{"seal", sealed, "true"}, {"no seal", textPage(1, text), "false"}, {"no colour", grey, ""}} {
		r := Extract([]doc.Page{tt.page})
		if got := fieldMap(r.Fields)["has_seal"]; got != tt.want {
			t.Errorf("%s: has_seal = %q; want %q", tt.name, got, tt.want)
		}
	}
}

func TestCreditCodeChecks(t *testing.T) {
	page := func(code string, conf float64) doc.Page {
		p := textPage(1, "申报材料真实性声明\n特此声明。\n申报单位（公章）：西藏某某科技有限公司\n统一社会信用代码： "+code)
		for i := range p.Lines[3].Words {
			if p.Lines[3].Words[i].Text == code {
				p.Lines[3].Words[i].Confidence = conf
			}
		}
		return p
	}
	for _, tt := range []struct {
		name, code string
		conf       float64
		want, flag string
	}{
		{"valid", "91540102MA6TKJPG5T", 0.9, "91540102MA6TKJPG5T", ""},
		{"O among the division digits", "9154O102MA6TKJPG5T", 0.9, "91540102MA6TKJPG5T", "corrected"},
		{"printed with a wrong check character", "91540236MA6TPYYW1R", 0.95, "91540236MA6TPYYW1R", "check_failed"},
	} {
		r := Extract([]doc.Page{page(tt.code, tt.conf)})
		var f doc.Field
		for _, x := range r.Fields {
			if x.Name == "credit_code" {
				f = x
			}
		}
		flag := strings.Join(f.Flags, ",")
		if f.Value != tt.want || flag != tt.flag {
			t.Errorf("%s: credit_code = %q %v; want %q [%s]", tt.name, f.Value, f.Flags, tt.want, tt.flag)
		}
	}
}

// A value printed in its own column (another OCR line on the same row) or under its label.
func TestValueRightAndBelow(t *testing.T) {
	labels := doc.Line{Words: []doc.Word{
		{Text: "成立日期", Box: doc.Box{X0: 50, Y0: 100, X1: 170, Y1: 130}, Confidence: 0.9},
	}}
	labels.Box = labels.Words[0].Box
	value := doc.Line{Words: []doc.Word{
		{Text: "2019年3月15日", Box: doc.Box{X0: 400, Y0: 102, X1: 600, Y1: 132}, Confidence: 0.8},
	}}
	value.Box = value.Words[0].Box
	title := synthLine([]string{"营业执照"}, 20, 0.9)
	nameLabel := synthLine([]string{"名称"}, 200, 0.9)
	nameValue := synthLine([]string{"西藏某某科技有限公司"}, 240, 0.9)
	p := doc.Page{Number: 1, Lines: []doc.Line{title, labels, nameLabel, nameValue, value}}
	r := Extract([]doc.Page{p})
	m := fieldMap(r.Fields)
	if m["established_date"] != "2019-03-15" || m["org_name"] != "西藏某某科技有限公司" {
		t.Errorf("fields = %v", m)
	}
	for _, f := range r.Fields {
		if f.Name == "established_date" && (f.Box != value.Box || f.Confidence != 0.8 || f.Page != 1) {
			t.Errorf("established_date evidence = %+v; want the value's box, confidence 0.8, page 1", f)
		}
	}
}

func TestDeterministic(t *testing.T) {
	p := fixturePages(t, "testdata/licence_two_column.txt")
	a, b := Extract(p), Extract(p)
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("two runs differ:\n%s", d)
	}
}

func TestTableRulesSeparateCells(t *testing.T) {
	p := textPage(1, "营业执照\n|名称|西藏某某科技有限公司|\n丨 法定代表人 丨 扎西 丨\n注册资本|500万元|成立日期|2020年1月1日")
	m := fieldMap(Extract([]doc.Page{p}).Fields)
	want := map[string]string{"org_name": "西藏某某科技有限公司", "legal_representative": "扎西", "registered_capital_yuan": "5000000", "established_date": "2020-01-01"}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %q; want %q", k, m[k], v)
		}
	}
}

func TestReportAmountInPageUnit(t *testing.T) {
	p := textPage(1, "附件2\n申请报告\n一、申报单位基本情况（单位：万元）\n单位名称 西藏某某科技有限公司\n成立时间 2017年2月22日 资产总额 1010.27")
	if got := fieldMap(Extract([]doc.Page{p}).Fields)["total_assets_yuan"]; got != "10102700" {
		t.Errorf("total_assets_yuan = %q; want 10102700", got)
	}
}

func TestApplicantHintPicksTheClosestListEntry(t *testing.T) {
	p := textPage(1, "关于公布2023年度拉萨市中小企业公共服务示范平台名单的通知\n序号 单位名称\n1 拉萨市圣地商贸服务有限公司\n2 拉萨市圣地食品服务有限公司\n拉萨市经济和信息化局\n2023年7月20日")
	r := ExtractWith([]doc.Page{p}, Options{Applicant: []string{"拉萨市圣地食品服务有限公司"}})
	if got := fieldMap(r.Fields)["org_name"]; got != "拉萨市圣地食品服务有限公司" {
		t.Errorf("org_name = %q; want 拉萨市圣地食品服务有限公司", got)
	}
	if r := Extract([]doc.Page{p}); fieldMap(r.Fields)["org_name"] != "" {
		t.Errorf("without a hint org_name = %q; want none (the list does not say which is the applicant)", fieldMap(r.Fields)["org_name"])
	}
}

func TestTermWrappedToNextLine(t *testing.T) {
	p := textPage(1, "营业执照\n名称 西藏某某科技有限公司\n营业期限 2017年02月22日至\n长期\n住所 西藏自治区拉萨市城关区某路1号")
	if got := fieldMap(Extract([]doc.Page{p}).Fields)["operating_term_end"]; got != "长期" {
		t.Errorf("operating_term_end = %q; want 长期", got)
	}
}

func TestFunctionFiguresFromRows(t *testing.T) {
	row := synthLine([]string{"信息服务", "√", "建成线上信息服务平台，线下服务企业127家，"}, 100, 0.9)
	wrapped := synthLine([]string{"组织政策宣讲、信息发布等服务活动7次。"}, 140, 0.9)
	for i := range wrapped.Words { // in the description column
		wrapped.Words[i].Box.X0 += 300
		wrapped.Words[i].Box.X1 += 300
	}
	wrapped.Box = wrapped.Words[0].Box
	p := doc.Page{Number: 1, Lines: []doc.Line{
		synthLine([]string{"申请报告"}, 20, 0.9),
		synthLine([]string{"服务功能", "是否具备", "年度服务开展情况"}, 60, 0.9),
		row, wrapped,
		synthLine([]string{"技术服务", "—", "—"}, 180, 0.9),
		synthLine([]string{"融资服务", "√", "组织银企对接活动5次、融资知识讲座2次，服务企业40家。"}, 220, 0.9),
		synthLine([]string{"2023年，平台共组织开展各类服务活动14次，累计培训80人次。"}, 260, 0.9),
	}}
	fs := newFieldSet(nil)
	d := newDocument([]doc.Page{p})
	if !readFunctionTable(d, fs) {
		t.Fatal("no function table read")
	}
	got := map[string]string{}
	for n, f := range fs.m {
		got[n] = f.Value
	}
	want := map[string]string{"functions": "financing,information", "information_offline_smes": "127", "information_events": "7",
		"financing_matchmaking_events": "5", "financing_lectures": "2"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("function figures (-want +got):\n%s", d)
	}
}
