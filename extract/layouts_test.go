package extract

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"shenbao/doc"
	"shenbao/extract/normalize"
)

// Documents in layouts and wordings that the dev corpus does not have, one for each general rule:
// each would be read wrongly by a rule that fitted the corpus's own layouts.

// gridPage builds a page from rows of "x:text" cells placed at x (in pixels, 30 px per character
// row height), so that columns stand where a table prints them.
func gridPage(n int, rows ...string) doc.Page {
	p := doc.Page{Number: n, Width: 2400, Height: 3400, DPI: 300, Source: doc.SourceOCR}
	y := 50
	for _, r := range rows {
		var l doc.Line
		for _, c := range strings.Split(r, "|") {
			x, text, ok := strings.Cut(c, ":")
			if !ok {
				continue
			}
			x0, _ := strconv.Atoi(strings.TrimSpace(x))
			w := 0
			for _, r := range text {
				w += runeW(r)
			}
			b := doc.Box{X0: x0, Y0: y, X1: x0 + w, Y1: y + lineH}
			l.Words = append(l.Words, doc.Word{Text: text, Box: b, Confidence: 0.95})
			l.Box = l.Box.Union(b)
		}
		p.Lines = append(p.Lines, l)
		y += lineH + 3*lineGap
	}
	return p
}

// placed is a word at a place of its own choosing, for pages whose lines gridPage cannot lay out
// (labels set below their values, a word signed above its line).
func placed(text string, x0, y0, x1, h int) doc.Word {
	return doc.Word{Text: text, Box: doc.Box{X0: x0, Y0: y0, X1: x1, Y1: y0 + h}, Confidence: 0.97}
}

// wordsPage builds a page of w×h pixels from lines of placed words, each line's box their union.
func wordsPage(w, h int, lines ...[]doc.Word) doc.Page {
	p := doc.Page{Number: 1, Width: w, Height: h, Source: doc.SourceOCR}
	for _, ws := range lines {
		l := doc.Line{Words: ws}
		for _, x := range ws {
			l.Box = l.Box.Union(x.Box)
		}
		p.Lines = append(p.Lines, l)
	}
	return p
}

func fieldsOf(r Result) map[string]doc.Field {
	m := map[string]doc.Field{}
	for _, f := range r.Fields {
		m[f.Name] = f
	}
	return m
}

func TestBalanceSheetColumnsByHeader(t *testing.T) {
	// 行次 between the label and the amounts, 年初 before 期末, and a row whose amounts were lost.
	p := gridPage(1,
		"900:资产负债表",
		"50:编制单位：拉萨高原商贸有限公司|1500:2023年12月31日|2000:单位：元",
		"50:资 产|800:行次|1100:年初余额|1600:期末余额",
		"50:流动资产合计|800:10|1100:812,000.00|1600:905,300.50",
		"50:资产总计|800:11|1100:1,020,000.00|1600:1,105,800.50",
		"50:负债合计|800:20|1100:300,000.00|1600:400,000.00",
		"50:所有者权益合计|800:30|1100:720,000.00|1600:705,800.50",
	)
	got := fieldsOf(Extract([]doc.Page{textPage(1, "审计报告\n我们审计了拉萨高原商贸有限公司财务报表\n会计师事务所"), p}))
	if got["total_assets_yuan"].Value != "1105800.5" {
		t.Errorf("total assets = %q; want the 期末 column 1105800.5", got["total_assets_yuan"].Value)
	}
	if got["net_assets_yuan"].Value != "705800.5" || got["total_liabilities_yuan"].Value != "400000" {
		t.Errorf("liabilities, net = %q, %q", got["total_liabilities_yuan"].Value, got["net_assets_yuan"].Value)
	}
	for _, n := range []string{"total_assets_yuan", "total_liabilities_yuan", "net_assets_yuan"} {
		if len(got[n].Flags) > 0 {
			t.Errorf("%s flagged %v; the totals agree", n, got[n].Flags)
		}
	}

	// The amounts of 资产总计 were not read: its 行次 is no amount.
	lost := gridPage(2,
		"50:项目|800:行次|1100:期末数|1600:上年数",
		"50:资产总计|800:11",
		"50:负债合计|800:20|1100:300,000.00|1600:280,000.00",
	)
	got = fieldsOf(Extract([]doc.Page{textPage(1, "审计报告\n会计师事务所\n资产负债表"), lost}))
	if v, ok := got["total_assets_yuan"]; ok {
		t.Errorf("total assets read as %q from a row that holds only its 行次", v.Value)
	}
}

func TestValuesCheckedAgainstEachOther(t *testing.T) {
	p := gridPage(1,
		"50:资产负债表",
		"50:项目|1100:期末余额|1600:年初余额",
		"50:资产总计|1100:1,500,000.00|1600:1,000,000.00",
		"50:负债合计|1100:900,000.00|1600:300,000.00",
		"50:所有者权益合计|1100:200,000.00|1600:700,000.00", // 1,500,000 ≠ 900,000 + 200,000
	)
	got := fieldsOf(Extract([]doc.Page{textPage(1, "审计报告\n会计师事务所"), p}))
	for _, n := range []string{"total_assets_yuan", "total_liabilities_yuan", "net_assets_yuan"} {
		f := got[n]
		if f.Confidence > doubtfulConf || !strings.Contains(strings.Join(f.Flags, ","), "inconsistent") {
			t.Errorf("%s = %q confidence %.2f flags %v; want flagged inconsistent, confidence ≤ %.2f", n, f.Value, f.Confidence, f.Flags, doubtfulConf)
		}
	}
	fs := newFieldSet(nil)
	fs.set("total_assets_yuan", "11", evidence{conf: 0.99})
	checkValues(fs)
	if f := fs.m["total_assets_yuan"]; f.Confidence > doubtfulConf {
		t.Errorf("assets of 11 yuan shown at %.2f; want doubtful", f.Confidence)
	}
}

func TestRecommendationPlatformNameIsNotTheApplicant(t *testing.T) {
	text := `西藏自治区中小企业公共服务示范平台推荐表
平台名称 雪域中小企业服务云平台
运营单位 中山南路商贸有限公司
所在地 那曲市
推荐单位意见 同意推荐
推荐单位 那曲市经济和信
2024年4月2日`
	got := fieldsOf(Extract([]doc.Page{textPage(1, text)}))
	if got["org_name"].Value != "中山南路商贸有限公司" {
		t.Errorf("org_name = %q; want the 运营单位, not the platform's name", got["org_name"].Value)
	}
	if got["issuer"].Value != "那曲市经济和信息化局" {
		t.Errorf("issuer = %q; want the recommender's name completed", got["issuer"].Value)
	}
}

func TestCompleteRecommender(t *testing.T) {
	for in, want := range map[string]string{
		"那曲市经济和信":    "那曲市经济和信息化局",
		"山南市经济和信息化":  "山南市经济和信息化局",
		"拉萨高新区":      "拉萨高新区管理委员会",
		"达孜工业园区管理委":  "达孜工业园区管理委员会",
		"林芝市经济和信息化局": "林芝市经济和信息化局",
	} {
		if got, _ := completeRecommender(in); got != want {
			t.Errorf("completeRecommender(%s) = %s; want %s", in, got, want)
		}
	}
}

func TestLongTibetanNames(t *testing.T) {
	text := `营业执照
统一社会信用代码 91540100MA6T1XYZ2K
名称 北京那曲路科技有限公司
法定代表人 格桑次仁多吉
注册资本 伍佰万元整
成立日期 2019年3月5日`
	got := fieldsOf(Extract([]doc.Page{textPage(1, text)}))
	if got["legal_representative"].Value != "格桑次仁多吉" {
		t.Errorf("legal_representative = %q; want the six-character name", got["legal_representative"].Value)
	}
	if got["org_name"].Value != "北京那曲路科技有限公司" {
		t.Errorf("org_name = %q", got["org_name"].Value)
	}
	for _, s := range []string{"执行董事兼总经理", "有限公司", "身份证号码", "证书"} {
		if looksLikePerson(s) {
			t.Errorf("looksLikePerson(%s) = true", s)
		}
	}
}

func TestFunctionTableOtherLayouts(t *testing.T) {
	// Functions as rows after a 序号 and an ordinal, 是否具备 as 具备/不具备, the description first.
	rows := gridPage(1,
		"50:序号|200:服务内容|800:开展情况|1900:是否具备",
		"50:1|200:（一）信息服务|800:线下服务中小企业45家，举办政策宣讲会3场。|1900:具备",
		"50:2|200:（二）技术服务|800:无|1900:不具备",
		"50:3|200:（三）创业服务|800:举办创业项目路演4次。|1900:具备",
		"50:4|200:（四）培训服务|800:全年培训企业管理人员650人次。|1900:具备",
		"50:5|200:（五）融资服务|800:开展银企对接会2场，融资知识讲座3场。|1900:具备",
	)
	fs := newFieldSet(nil)
	if !readFunctionTable(newDocument([]doc.Page{rows}), fs) {
		t.Fatal("rows: no function table read")
	}
	want := map[string]string{"functions": "financing,information,startup,training", "information_offline_smes": "45",
		"information_events": "3", "startup_events": "4", "training_trainees": "650", "financing_matchmaking_events": "2",
		"financing_lectures": "3"}
	for n, v := range want {
		if fs.m[n].Value != v {
			t.Errorf("rows: %s = %q; want %q", n, fs.m[n].Value, v)
		}
	}
	// Functions as columns, a row of marks and a row of descriptions under them.
	cols := gridPage(1,
		"50:服务功能|400:信息服务|800:技术服务|1200:创业服务|1600:培训服务|2000:融资服务",
		"50:是否具备|400:√|800:√|1200:×|1600:×|2000:×",
		"50:开展情况|400:线下服务企业30家|800:技术对接活动5次|1200:—|1600:—|2000:—",
		"400:信息发布活动4次",
	)
	fs = newFieldSet(nil)
	if !readFunctionTable(newDocument([]doc.Page{cols}), fs) {
		t.Fatal("columns: no function table read")
	}
	want = map[string]string{"functions": "information,technology", "information_offline_smes": "30", "information_events": "4", "technology_events": "5"}
	for n, v := range want {
		if fs.m[n].Value != v {
			t.Errorf("columns: %s = %q; want %q", n, fs.m[n].Value, v)
		}
	}
}

func TestRecognitionKinds(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"high-tech certificate", "高新技术企业证书\n企业名称：西藏雪域数据科技有限公司\n证书编号：GR202354000012\n发证时间：2023年12月12日\n有效期：三年\n批准机关：西藏自治区科学技术厅 西藏自治区财政厅 国家税务总局西藏自治区税务局", "prior_recognition"},
		{"company red head", "西藏雪域数据科技有限公司文件\n雪科发〔2024〕3号\n关于表彰2023年度优秀员工的决定\n各部门：\n经公司研究，决定授予张三等5名同志“优秀员工”称号。\n西藏雪域数据科技有限公司\n2024年1月10日", ""},
		{"licence", "增值电信业务经营许可证\n经营许可证编号：藏B2-20230012\n公司名称：西藏雪域数据科技有限公司\n发证机关：西藏自治区通信管理局\n发证日期：2023年5月6日", "qualification"},
	} {
		kind, _ := Classify([]doc.Page{textPage(1, tc.text)})
		if tc.want == "" {
			if kind == "prior_recognition" {
				t.Errorf("%s: classified %s; a company's own notice is no recognition", tc.name, kind)
			}
			continue
		}
		if kind != tc.want {
			t.Errorf("%s: classified %s; want %s", tc.name, kind, tc.want)
		}
	}
}

func TestDesignationTitles(t *testing.T) {
	text := `那曲市经济和信息化局文件
关于认定2023年度那曲市中小企业公共服务示范平台的通知
为推动“一对一”精准服务，经评审，认定中山南路商贸有限公司为“那曲市中小企业公共服务示范平台”。
那曲市经济和信息化局
2023年9月1日`
	got := fieldsOf(ExtractWith([]doc.Page{textPage(1, text)}, Options{Applicant: []string{"中山南路商贸有限公司"}}))
	if got["title"].Value != "那曲市中小企业公共服务示范平台" {
		t.Errorf("title = %q; want the designation, not a slogan", got["title"].Value)
	}
	if got["issuer_level"].Value != "prefecture" || got["issuer"].Value != "那曲市经济和信息化局" {
		t.Errorf("issuer = %q (%q)", got["issuer"].Value, got["issuer_level"].Value)
	}
}

func TestAreaByLabel(t *testing.T) {
	p := gridPage(1,
		"900:房屋租赁合同",
		"50:出租方：拉萨城投置业有限公司",
		"50:承租方：中山南路商贸有限公司",
		"50:房屋坐落|600:拉萨市城关区江苏路18号2层",
		"50:建筑面积(㎡)|600:156.80",
		"50:租赁期限|600:2023年1月1日至2027年12月31日",
	)
	got := fieldsOf(Extract([]doc.Page{p}))
	if got["premises_area_m2"].Value != "156.8" {
		t.Errorf("area = %q; want 156.8 from the label's unit", got["premises_area_m2"].Value)
	}
	if got["lessee"].Value != "中山南路商贸有限公司" {
		t.Errorf("lessee = %q", got["lessee"].Value)
	}
}

func TestReportFiguresInOtherWords(t *testing.T) {
	text := `申请报告
申报单位：中山南路商贸有限公司
平台现有在职员工25人，其中本科及以上学历人员18人。
平台与8家金融、法律等服务机构签约合作。
全年举办讲座、对接会等活动32场，全年培训学员1020人次。
服务满意率达到92.5%。`
	got := fieldsOf(Extract([]doc.Page{textPage(1, text)}))
	for n, v := range map[string]string{"staff_total": "25", "staff_qualified": "18", "partner_institutions": "8",
		"service_events_last_year": "32", "trainees_last_year": "1020", "satisfaction_pct": "92.5"} {
		if got[n].Value != v {
			t.Errorf("%s = %q; want %q", n, got[n].Value, v)
		}
	}
}

func TestLocateDeclared(t *testing.T) {
	pages := []doc.Page{
		textPage(1, "房屋租赁合同\n承租方：中山南路商货有限公司\n"), // 贸 misread as 货
		textPage(2, "统一社会信用代码 91540100MA6T1XYZ2K\n"),
	}
	got := Locate(pages, []string{"中山南路商贸有限公司"}, "91540100MA6T1XYZ2X")
	if len(got) != 2 {
		t.Fatalf("Locate found %d sightings; want the name and the code: %+v", len(got), got)
	}
	if got[0].What != "org_name" || got[0].Page != 1 || got[0].Distance != 1 || got[0].Box.Empty() {
		t.Errorf("name sighting %+v; want page 1, one character misread, with a box", got[0])
	}
	if got[1].What != "credit_code" || got[1].Page != 2 || got[1].Distance != 1 {
		t.Errorf("code sighting %+v; want page 2, one character off", got[1])
	}
	if s := Locate(pages, []string{"拉萨雪域高原科技服务有限公司"}, ""); len(s) != 0 {
		t.Errorf("another name was found: %+v", s)
	}
}

func TestRecognitionCertificate(t *testing.T) {
	text := `高新技术企业证书
企业名称：西藏雪域数据科技有限公司
证书编号：GR202354000012
发证时间：2023年12月12日
有效期：三年
批准机关：西藏自治区科学技术厅 西藏自治区财政厅 国家税务总局西藏自治区税务局`
	r := ExtractWith([]doc.Page{textPage(1, text)}, Options{Applicant: []string{"西藏雪域数据科技有限公司"}})
	if r.Kind != "prior_recognition" {
		t.Fatalf("kind %s; want prior_recognition", r.Kind)
	}
	got := fieldsOf(r)
	for n, v := range map[string]string{"org_name": "西藏雪域数据科技有限公司", "title": "高新技术企业", "issuer": "西藏自治区科学技术厅",
		"issuer_level": "autonomous_region", "issue_date": "2023-12-12"} {
		if got[n].Value != v {
			t.Errorf("%s = %q; want %q", n, got[n].Value, v)
		}
	}
}

func TestSpecialAuditInWanAndBranchFirm(t *testing.T) {
	p := gridPage(1,
		"50:关于2024年度服务收支情况的专项审计报告",
		"50:西藏格桑数字科技股份有限公司：",
		"50:项 目|1200:金额（万元）",
		"50:服务收入合计|1200:590.72",
		"50:服务支出合计|1200:478.49",
		"50:信永中和会计师事务所（特殊普通合伙）拉萨分所",
	)
	got := fieldsOf(Extract([]doc.Page{p}))
	for n, v := range map[string]string{"service_revenue_yuan": "5907200", "service_expense_yuan": "4784900",
		"audit_firm": "信永中和会计师事务所（特殊普通合伙）拉萨分所"} {
		if got[n].Value != v {
			t.Errorf("%s = %q; want %q", n, got[n].Value, v)
		}
	}
}

func TestHeaderRowOverValues(t *testing.T) {
	// 申请报告 in a form grid: a row of labels, the row of their values under it.
	p := gridPage(1,
		"800:申 请 报 告",
		"50:机构名称|900:社会信用代码|1600:单位类型",
		"50:西藏雅砻创业服务中心|900:52540326586191531C|1600:民办非企业单位",
		"50:法定代表人（负责人）|900:设立日期|1600:上年末资产总额",
		"50:格桑德吉益西|900:2010年12月05日|1600:1542.70万元",
	)
	got := fieldsOf(Extract([]doc.Page{p}))
	for n, v := range map[string]string{"org_name": "西藏雅砻创业服务中心", "legal_representative": "格桑德吉益西",
		"established_date": "2010-12-05", "total_assets_yuan": "15427000"} {
		if got[n].Value != v {
			t.Errorf("%s = %q; want %q", n, got[n].Value, v)
		}
	}
}

func TestDeclaredNameMisread(t *testing.T) {
	declared := []string{"西藏雅砻创业服务中心"}
	for in, want := range map[string]string{
		"西藏雅奢创业服务中心":   "西藏雅砻创业服务中心", // the rare 砻 misread
		"西藏雅创业服务中心":    "西藏雅砻创业服务中心", // dropped
		"西藏雅砻科技服务中心":   "",           // two characters: another name
		"西藏雅砻创业服务有限公司": "",
	} {
		got, ok := misreadDeclared(in, declared)
		if ok != (want != "") || got != want {
			t.Errorf("misreadDeclared(%s) = %q, %v; want %q", in, got, ok, want)
		}
	}
	fs := newFieldSet(declared)
	fs.set("org_name", "西藏雅奢创业服务中心", evidence{conf: 0.97})
	if f := fs.m["org_name"]; f.Value != declared[0] || f.Confidence >= doc.SureConfidence {
		t.Errorf("org_name %q at %.2f; want the declared name below the threshold of certainty", f.Value, f.Confidence)
	}
	if n := labelHead("申报单位名昌都藏热路商贸有限公司"); n != 5 {
		t.Errorf("labelHead = %d; want 5 (申报单位名)", n)
	}
	if looksLikeOrg("平台运营单位", true) || looksLikeOrg("申报单位情况", false) {
		t.Error("a form's label taken for a name")
	}
}

func TestSideBySideStatementJoinedHeader(t *testing.T) {
	// A two-sided balance sheet whose header the reader joined into one cell per side, and whose
	// amounts it boxed apart from the label; 单位：万元.
	p := gridPage(1,
		"50:资产负债表",
		"50:单位：万元",
		"50:资产|500:行次|700:年初余额期末余额|1300:负债和所有者权益|1800:行次|2000:年初余额期末余额",
		"50:资产总计|500:11 2,385.62 2,593.06|1300:资本公积|1800:41 53.69 84.09",
		"50:负债合计|500:39|700:1,190.73 1,452.12",
		"50:非流动负债|500:4,479,044.923,999,147.25",
	)
	got := fieldsOf(Extract([]doc.Page{textPage(1, "审计报告\n会计师事务所"), p}))
	if got["total_assets_yuan"].Value != "25930600" {
		t.Errorf("total assets = %q; want the 期末 column 2,593.06万元", got["total_assets_yuan"].Value)
	}
	if got["total_liabilities_yuan"].Value != "14521200" {
		t.Errorf("liabilities = %q; want 1,452.12万元 after its 行次", got["total_liabilities_yuan"].Value)
	}
	toks := rowNumbers(newLine(1, 0, synthLine([]string{"4,479,044.92", "3,999,147.25"}, 0, 1)), 0)
	merged := rowNumbers(newLine(1, 0, synthLine([]string{"4,479,044.923,999,147.25"}, 0, 1)), 0)
	if len(merged) != 2 || merged[0].text != toks[0].text || merged[1].text != toks[1].text {
		t.Errorf("merged amounts read as %+v; want %+v", merged, toks)
	}
	if !notAnAmount("0891-6294636", 0, 4) || !notAnAmount("电话0892", 6, 10) || notAnAmount("2302.88万元", 0, 7) {
		t.Error("telephone numbers taken for amounts, or an amount refused")
	}
}

func TestLicenceLetterSpacedLabelsReadApart(t *testing.T) {
	// A 营业执照 whose letter-spaced labels (名　称, 类　型, 住　所) the reader took as a column of their
	// own: the values stand alone or behind a stray character of their label.
	text := `营业执照
统一社会信用代码 91441900756494645B
称东莞市飞宇快递有限公司
名类住型所有限责任公司（自然人投资或控股）
东莞市塘厦镇花园北街5路13号国U
法定代表人
肖国政
营业期限 2003年11月28日至`
	got := fieldsOf(Extract([]doc.Page{textPage(1, text)}))
	for n, v := range map[string]string{"org_name": "东莞市飞宇快递有限公司", "premises_address": "东莞市塘厦镇花园北街5路13号",
		"legal_representative": "肖国政"} {
		if got[n].Value != v {
			t.Errorf("%s = %q; want %q", n, got[n].Value, v)
		}
	}
	if v, ok := got["operating_term_end"]; ok {
		t.Errorf("operating_term_end = %q from a term whose end is blank", v.Value)
	}
	if registeredName("铜山县马坡镇前八段村所") || !registeredName("深圳市开元达电子科技有限公司") {
		t.Error("registeredName: an address taken for a name, or a name refused")
	}
}

func TestFunctionHeadingsAndDroppedTicks(t *testing.T) {
	// Each function a heading, its description under it; a refusal in words.
	p := gridPage(1,
		"50:四、服务功能",
		"50:（一）信息服务",
		"100:具备。线下服务企业27家，开展政策宣讲、信息发布等服务活动4次。",
		"50:（二）技术服务",
		"100:暂不具备该项服务功能。",
		"50:（三）创业服务",
		"100:具备。举办创业项目路演3次。",
	)
	fs := newFieldSet(nil)
	if !readFunctionTable(newDocument([]doc.Page{p}), fs) {
		t.Fatal("no function table read")
	}
	for n, v := range map[string]string{"functions": "information,startup", "information_offline_smes": "27", "information_events": "4", "startup_events": "3"} {
		if fs.m[n].Value != v {
			t.Errorf("headings: %s = %q; want %q", n, fs.m[n].Value, v)
		}
	}
	// A check-box row whose ticked boxes the reader dropped and whose empty ones it read as 口.
	fs = newFieldSet(nil)
	readFunctions(newDocument([]doc.Page{textPage(1, "平台服务功能口信息服务技术服务创业服务口培训服务口融资服务")}), fs)
	if f := fs.m["functions"]; f.Value != "startup,technology" || f.Confidence >= doc.SureConfidence {
		t.Errorf("dropped ticks: functions = %q at %.2f; want startup,technology below the threshold", f.Value, f.Confidence)
	}
}

func TestRecognitionListAndSignedCertificate(t *testing.T) {
	list := `附件
2022年度昌都市中小企业公共服务示范平台名单
序号 平台运营单位 所在地 类别
1 西藏雅砻创业服务中心 昌都市 专业类
昌都市经济和信息化局
2022年2月15日`
	got := fieldsOf(ExtractWith([]doc.Page{textPage(1, list)}, Options{Applicant: []string{"西藏雅砻创业服务中心"}}))
	if got["title"].Value != "昌都市中小企业公共服务示范平台" {
		t.Errorf("list title = %q", got["title"].Value)
	}
	cert := `证书
天津日喀则路产业发展服务有限公司：
经企业申报、专家评审和社会公示，你单位被认定为“西藏自治区专精特新中小企业”。
特发此证
西藏自治区经济和信息化厅 R
2021年01月08日`
	got = fieldsOf(Extract([]doc.Page{textPage(1, cert)}))
	if got["issuer"].Value != "西藏自治区经济和信息化厅" || got["issue_date"].Value != "2021-01-08" {
		t.Errorf("signed certificate: issuer %q, date %q", got["issuer"].Value, got["issue_date"].Value)
	}
	for in, want := range map[string]string{"西藏自治区通信管理局局": "西藏自治区通信管理局", "中华人民共和国工业和信息化部化部": "中华人民共和国工业和信息化部", "格桑娜娜": "格桑娜娜"} {
		if got := dropRepeatedEnd(in); got != want {
			t.Errorf("dropRepeatedEnd(%s) = %s; want %s", in, got, want)
		}
	}
}

func TestSmesPriorYearInOtherWords(t *testing.T) {
	text := `申请报告
上一年度（2023年）服务中小企业141家，较2022年的119家有所增长；平台集聚服务机构12家。`
	got := fieldsOf(Extract([]doc.Page{textPage(1, text)}))
	if got["smes_served_last_year"].Value != "141" || got["smes_served_prior_year"].Value != "119" {
		t.Errorf("SMEs served: last %q, prior %q; want 141, 119", got["smes_served_last_year"].Value, got["smes_served_prior_year"].Value)
	}
}

func TestIssuerFromSealText(t *testing.T) {
	p := textPage(1, "荣誉证书\n西藏格桑数字科技股份有限公司：\n被评为“林芝市科技企业孵化器”。\n二〇二二年十月")
	p.Seals = []doc.Box{{X0: 1500, Y0: 200, X1: 1800, Y1: 500}}
	p.SealTexts = []doc.SealText{{Box: p.Seals[0], Text: "林芝市科学技术局", Confidence: 0.8}}
	got := fieldsOf(Extract([]doc.Page{p}))
	if f := got["issuer"]; f.Value != "林芝市科学技术局" || f.Confidence >= doc.SureConfidence {
		t.Errorf("issuer %q at %.2f; want the seal's authority below the threshold", f.Value, f.Confidence)
	}
	if got["issuer_level"].Value != "prefecture" {
		t.Errorf("issuer_level = %q", got["issuer_level"].Value)
	}
}

func TestLocateDeclaredInSeal(t *testing.T) {
	p := textPage(1, "申报材料真实性声明\n本单位郑重声明……\n2024年5月16日")
	p.Seals = []doc.Box{{X0: 1500, Y0: 200, X1: 1800, Y1: 500}}
	p.SealTexts = []doc.SealText{{Box: p.Seals[0], Text: "西藏雅砻创业服务中心", Confidence: 0.6}}
	got := Locate([]doc.Page{p}, []string{"西藏雅砻创业服务中心"}, "")
	if len(got) != 1 || !got[0].InSeal || got[0].Page != 1 {
		t.Errorf("sightings %+v; want the name found in the seal", got)
	}
}

func TestDeclarationSignedOnlyBySeal(t *testing.T) {
	p := textPage(1, "诚信承诺书\n本单位郑重承诺：所提交的全部申报材料真实、准确、完整。\n承诺单位（盖章）\n承诺日期\n2025.06.24")
	p.Seals = []doc.Box{{X0: 1500, Y0: 200, X1: 1800, Y1: 500}}
	p.SealTexts = []doc.SealText{{Box: p.Seals[0], Text: "西藏格桑数字科技股份有限公", Confidence: 0.6}}
	got := fieldsOf(ExtractWith([]doc.Page{p}, Options{Applicant: []string{"西藏格桑数字科技股份有限公司"}}))
	if f := got["org_name"]; f.Value != "西藏格桑数字科技股份有限公司" || f.Confidence >= doc.SureConfidence {
		t.Errorf("org_name %q at %.2f; want the declared name from the seal, below the threshold", f.Value, f.Confidence)
	}
	if got["issue_date"].Value != "2025-06-24" {
		t.Errorf("issue_date = %q", got["issue_date"].Value)
	}
	rec := textPage(1, "推荐表\n平台运营单位名\n天津日喀则路产业发展服务有限公司\n称")
	if got := fieldsOf(Extract([]doc.Page{rec})); got["org_name"].Value != "天津日喀则路产业发展服务有限公司" {
		t.Errorf("平台运营单位名称 wrapped: org_name = %q", got["org_name"].Value)
	}
}

func TestPlaqueIsARecognition(t *testing.T) {
	text := "西藏格桑数字科技股份有限公司\n林芝市科技企业孵化\n器\n林芝市科学技术局\n2022年10月"
	if kind, _ := Classify([]doc.Page{textPage(1, text)}); kind != "prior_recognition" {
		t.Errorf("plaque classified %s; want prior_recognition", kind)
	}
	// a short notice of an activity is no plaque
	notice := "关于举办中小企业政策宣讲会的通知\n各有关企业：\n定于2024年5月5日举办政策宣讲会。\n拉萨市经济和信息化局\n2024年4月28日"
	if kind, _ := Classify([]doc.Page{textPage(1, notice)}); kind == "prior_recognition" {
		t.Errorf("a notice of an activity classified %s", kind)
	}
}

func TestAddressNotAName(t *testing.T) {
	text := `营业执照
名称 上海荆戈工业控制设备有限公司
住所
上海荆戈工业控制设备有限公司
浦东新区万祥镇宏祥北路83弄1-42号20幢118室`
	got := fieldsOf(Extract([]doc.Page{textPage(1, text)}))
	if got["premises_address"].Value == "上海荆戈工业控制设备有限公司" {
		t.Errorf("premises_address is the organisation's name")
	}
	for in, want := range map[string]string{
		"深圳市宝安区西乡街道62区安圣大厦二层A214室国市U告": "深圳市宝安区西乡街道62区安圣大厦二层A214室",
		"珠海市吉大景园路6号5楼V2":               "珠海市吉大景园路6号5楼V2",
		"拉萨市城关区北京中路88号院内":              "拉萨市城关区北京中路88号院内",
	} {
		if got := trimAddressTail(in); got != want {
			t.Errorf("trimAddressTail(%s) = %s; want %s", in, got, want)
		}
	}
}

// TestTurnedPageReadUpright: a licence the reader turned a quarter to read (Rotation 90, boxes in
// the page's own pixels, rows running down the page) is read as the upright one, and each field's
// box comes back in the page's own pixels.
func TestTurnedPageReadUpright(t *testing.T) {
	text := "营业执照\n统一社会信用代码 91540100MA6T1XYZ2K\n名称 天津中兆通科技有限公司\n注册资本 贰佰万元人民币\n成立日期 2015年11月06日\n营业期限 2015年11月06日至2035年11月05日"
	up := textPage(1, text)
	want := fieldsOf(Extract([]doc.Page{up}))
	for _, deg := range []int{90, 180, 270} {
		turned := up
		turned.Rotation = deg
		if deg != 180 {
			turned.Width, turned.Height = up.Height, up.Width
		}
		// the page as it is: the upright frame mapped back as the reader does
		turned.Lines = nil
		for _, l := range up.Lines {
			nl := doc.Line{Box: pageFrameBox(l.Box, turned)}
			for _, w := range l.Words {
				w.Box = pageFrameBox(w.Box, turned)
				nl.Words = append(nl.Words, w)
			}
			turned.Lines = append(turned.Lines, nl)
		}
		got := fieldsOf(Extract([]doc.Page{turned}))
		for _, n := range []string{"org_name", "registered_capital_yuan", "operating_term_end", "established_date", "credit_code"} {
			if got[n].Value != want[n].Value {
				t.Errorf("turned %d°: %s = %q; want %q", deg, n, got[n].Value, want[n].Value)
			}
			if wb := pageFrameBox(want[n].Box, turned); got[n].Box != wb {
				t.Errorf("turned %d°: %s box %v; want %v", deg, n, got[n].Box, wb)
			}
		}
	}
}

func TestCentredHeadsOverLeftAlignedValues(t *testing.T) {
	// A 社会团体法人登记证书 whose heads are centred over wide cells and whose values start at the
	// cells' left edges: no head's box overlaps its value's, and the reader joined the values of a row
	// into one line with the usual word gaps. 注册时间 for the founding date.
	p := gridPage(1,
		"700:社会团体法人登记证书",
		"420:单位名称|1180:业务主管单位|1800:负责人",
		"60:那曲市双湖县畜牧产业协会|820:那曲市农业农村局|1640:次仁多布杰",
		"350:注册时间|1250:注册资金",
		"60:2016年4月18日|800:叁万元整",
		"60:住所|400:西藏自治区那曲市双湖县措折罗玛镇团结路6号",
	)
	got := fieldsOf(Extract([]doc.Page{p}))
	for n, v := range map[string]string{"org_name": "那曲市双湖县畜牧产业协会", "legal_representative": "次仁多布杰",
		"established_date": "2016-04-18", "registered_capital_yuan": "30000"} {
		if got[n].Value != v {
			t.Errorf("%s = %q; want %q", n, got[n].Value, v)
		}
	}
}

func TestSideBySideSheetPriorYearEndFirst(t *testing.T) {
	// 上年年末数 before 本年年末数 (上年年末 is the end of last year, not this one), the unit 万 with its
	// 元 wrapped to the next line, the total's amounts wrapped below its label, amounts glued to the
	// label of the right half, and 流动资产合计 above the total.
	p := gridPage(2,
		"800:资产负债表",
		"50:编制单位：那曲高原牧业发展有限公司|1300:2025年12月31日|1800:金额单位：人民币万",
		"1800:元",
		"50:资产|500:上年年末数|750:本年年末数|1100:负债和所有者权益|1600:上年年末数|1850:本年年末数",
		"50:流动资产合计|560:812.40|810:905.35|1100:应付账款|1660:120.00|1910:98.50",
		"50:资产总计",
		"560:1,320.00|810:1,455.80资本公积|1660:40.00|1910:40.00",
		"1100:负债合计|1600:300.10|1850:355.80",
		"1100:所有者权益合计|1600:1019.90|1850:1100.00",
	)
	got := fieldsOf(Extract([]doc.Page{textPage(1, "审计报告\n我们审计了那曲高原牧业发展有限公司财务报表\n会计师事务所"), p}))
	for n, v := range map[string]string{"total_assets_yuan": "14558000", "total_liabilities_yuan": "3558000", "net_assets_yuan": "11000000"} {
		if got[n].Value != v {
			t.Errorf("%s = %q; want %q", n, got[n].Value, v)
		}
	}
}

func TestNameCutAtAGluedDate(t *testing.T) {
	// 编制单位 with the statement's date read into the same box as the name.
	p := gridPage(1,
		"800:利润表",
		"50:编制单位：阿里神山旅游服务有限公司2025年12月31日|1800:单位：元",
		"50:营业收入|800:1|1100:3,210,000.00|1600:2,980,000.00",
	)
	got := fieldsOf(Extract([]doc.Page{textPage(1, "审计报告\n会计师事务所"), p}))
	if v := got["org_name"].Value; v != "阿里神山旅游服务有限公司" {
		t.Errorf("org_name = %q; want the name without the date", v)
	}
}

func TestSentencesAreNoTitles(t *testing.T) {
	// A 信用承诺书 whose first lines are sentences naming 认定 and 名单: they are prose, not titles,
	// and do not make it a recognition.
	decl := textPage(1, "信用承诺书\n本机构申报自治区中小企业公共服务示范平台认定，现承诺：\n一、未被列入严重失信主体名单；\n"+
		"二、申报材料均真实有效，如有不实，愿承担法律责任并接受撤销认定的处理。\n承诺单位（盖章）：日喀则珠峰科技服务有限公司\n2025年3月2日")
	if k, _ := Classify([]doc.Page{decl}); k != "authenticity_declaration" {
		t.Errorf("信用承诺书 classified %s; want authenticity_declaration", k)
	}
	// A 服务情况汇报 whose title wrapped before its last character.
	summary := textPage(1, "拉萨净土农业服务中心2024年度服务情况汇\n报\n一、基本情况\n全年举办培训6期，参训320人次。\n拉萨净土农业服务中心")
	if k, _ := Classify([]doc.Page{summary}); k != "service_evidence" {
		t.Errorf("a service report with a wrapped title classified %s; want service_evidence", k)
	}
}

func TestFiguresNamedInOtherWordsUnderTheirValues(t *testing.T) {
	// A report's grid whose labels stand under their values, the values written from the cells' left
	// edges under centred labels, each label in words the lexicon does not list; and the same
	// figures in a grid whose labels stand over their values.
	under := gridPage(2,
		"50:三、服务成效",
		"50:2024年度平台服务企业情况如下表。",
		"50:9|410:455|770:37.5%",
		"115:入驻合作机构数|415:参训学员总人次（人次）|835:低收费服务占比",
		"50:31|410:6",
		"85:举办对接活动（场）|475:专职人员（人）",
	)
	over := gridPage(2,
		"50:三、服务成效",
		"115:入驻合作机构数|415:参训学员总人次（人次）|835:低收费服务占比",
		"50:9|410:455|770:37.5%",
		"85:举办对接活动（场）|475:专职人员（人）",
		"50:31|410:6",
	)
	for name, p := range map[string]doc.Page{"labels under values": under, "labels over values": over} {
		got := fieldsOf(Extract([]doc.Page{textPage(1, "西藏自治区中小企业公共服务示范平台申请报告\n申报单位：林芝尼洋河农业服务中心"), p}))
		for n, v := range map[string]string{"partner_institutions": "9", "trainees_last_year": "455",
			"public_service_share_pct": "37.5", "service_events_last_year": "31"} {
			if got[n].Value != v {
				t.Errorf("%s: %s = %q; want %q", name, n, got[n].Value, v)
			}
		}
	}
}

func TestFunctionParagraphsOnlyOfTheClaimed(t *testing.T) {
	// Only the two functions claimed, each a paragraph after its name and a colon, one wrapped onto
	// a second line; then the next section.
	d := newDocument([]doc.Page{textPage(1, "四、主要服务功能\n融资服务：全年举办银企对接会3场，\n金融知识讲座2次，服务企业40家。\n"+
		"培训服务：开设经营管理培训班，全年培训企业负责人720人次。\n五、真实性承诺\n本单位承诺所填内容真实。")})
	fs := newFieldSet(nil)
	readFunctionParagraphs(d, fs)
	for n, v := range map[string]string{"financing_matchmaking_events": "3", "financing_lectures": "2", "training_trainees": "720"} {
		if fs.m[n].Value != v {
			t.Errorf("%s = %q; want %q", n, fs.m[n].Value, v)
		}
	}
	// No box or table said which functions are claimed: the ones described are, but not as certain.
	if f := fs.m["functions"]; f.Value != "financing,training" || f.Confidence >= doc.SureConfidence {
		t.Errorf("functions = %q at %.2f; want financing,training below the threshold", f.Value, f.Confidence)
	}
	// A paragraph that says no claims nothing; functions read from boxes are not overridden.
	d = newDocument([]doc.Page{textPage(1, "（二）服务功能\n信息服务：暂未开展。\n技术服务：为企业提供检验检测服务15次。")})
	fs = newFieldSet(nil)
	readFunctionParagraphs(d, fs)
	if f := fs.m["functions"]; f.Value != "technology" {
		t.Errorf("a refusal: functions = %q; want technology", f.Value)
	}
	fs = newFieldSet(nil)
	fs.set("functions", "information,technology", evidence{page: 1, conf: 0.95})
	readFunctionParagraphs(d, fs)
	if f := fs.m["functions"]; f.Value != "information,technology" {
		t.Errorf("boxes read first: functions = %q; want them kept", f.Value)
	}
}

func TestFunctionTableWithMisreadBoxes(t *testing.T) {
	// Two columns, 服务内容 and 具体开展情况; the boxes read as 日 and 口 and one tick as 厂; only
	// the claimed row has a description; the next section follows the table.
	p := gridPage(1,
		"200:服务内容|900:具体开展情况",
		"200:日信息服务",
		"200:厂技术服务|900:为企业提供检验检测服务12次。",
		"200:口创业服务",
		"200:口培训服务",
		"200:日融资服务",
		"50:五、附件清单",
		"100:1.营业执照复印件；2.场所租赁合同。",
	)
	fs := newFieldSet(nil)
	if !readFunctionTable(newDocument([]doc.Page{p}), fs) {
		t.Fatal("no function table read")
	}
	if f := fs.m["functions"]; f.Value != "technology" {
		t.Errorf("functions = %q; want technology", f.Value)
	}
	if f := fs.m["technology_events"]; f.Value != "12" {
		t.Errorf("technology_events = %q; want 12", f.Value)
	}
	// Headings without text beside them: the last one's section ends at the next heading.
	p = gridPage(1,
		"50:（一）信息服务",
		"100:线下服务企业27家，开展政策宣讲活动4次。",
		"50:（二）技术服务",
		"100:开展技术诊断服务6次。",
		"50:（三）创业服务",
		"50:五、附件清单",
		"100:营业执照复印件、场所租赁合同。",
	)
	fs = newFieldSet(nil)
	if !readFunctionTable(newDocument([]doc.Page{p}), fs) {
		t.Fatal("headings: no function table read")
	}
	if f := fs.m["functions"]; f.Value != "information,technology" {
		t.Errorf("headings: functions = %q; want information,technology", f.Value)
	}
}

func TestStrayCharactersBesideCodeAndName(t *testing.T) {
	// A photographed 营业执照 where a frame's letter was read after the code and before the name.
	p := textPage(1, "营业执照\n统一社会信用代码92540102MA6T1X2Y3W\n名称 K拉萨雪域阳光餐饮有限公司\n成立日期 2019年5月6日")
	p.Lines[1].Words = append(p.Lines[1].Words, doc.Word{Text: "F", Box: doc.Box{X0: 900, Y0: p.Lines[1].Box.Y0, X1: 915, Y1: p.Lines[1].Box.Y1}, Confidence: 0.5})
	got := fieldsOf(Extract([]doc.Page{p}))
	if v := got["org_name"].Value; v != "拉萨雪域阳光餐饮有限公司" {
		t.Errorf("org_name = %q; want it without the stray K", v)
	}
	if code := "92540102MA6T1X2Y3W"; got["credit_code"].Value != code {
		t.Errorf("credit_code = %q; want %s without the stray F", got["credit_code"].Value, code)
	}
}

func TestWrappedAddressUnderASlantedLine(t *testing.T) {
	// A photographed 登记证书 turned a little: the address's line box is tall, and its rest, wrapped
	// under the value, begins inside it.
	p := doc.Page{Number: 1, Width: 1200, Height: 1600, Source: doc.SourceOCR, Lines: []doc.Line{
		{Words: []doc.Word{{Text: "营业执照", Box: doc.Box{X0: 400, Y0: 40, X1: 640, Y1: 100}, Confidence: 0.95}}},
		{Words: []doc.Word{{Text: "名称昌都康巴印象文化传播有限公司", Box: doc.Box{X0: 100, Y0: 150, X1: 600, Y1: 186}, Confidence: 0.95}}},
		{Words: []doc.Word{{Text: "住所", Box: doc.Box{X0: 100, Y0: 222, X1: 160, Y1: 258}, Confidence: 0.95},
			{Text: "西藏自治区昌都市卡若区茶马广场商业综合体3号楼（茶马", Box: doc.Box{X0: 170, Y0: 222, X1: 950, Y1: 298}, Confidence: 0.95}}},
		{Words: []doc.Word{{Text: "文化街区）", Box: doc.Box{X0: 172, Y0: 261, X1: 320, Y1: 293}, Confidence: 0.95}}},
		{Words: []doc.Word{{Text: "法定代表人扎西平措", Box: doc.Box{X0: 100, Y0: 330, X1: 420, Y1: 366}, Confidence: 0.95}}},
	}}
	for i := range p.Lines {
		for _, w := range p.Lines[i].Words {
			p.Lines[i].Box = p.Lines[i].Box.Union(w.Box)
		}
	}
	got := fieldsOf(Extract([]doc.Page{p}))
	if v := got["premises_address"].Value; v != "西藏自治区昌都市卡若区茶马广场商业综合体3号楼（茶马文化街区）" {
		t.Errorf("premises_address = %q; want it with its wrapped rest", v)
	}
}

func TestFormGridLabelsUnderValuesUnderAHeading(t *testing.T) {
	// A 申请报告's grid under a section heading: each row of values stands above its row of labels,
	// one value a credit code, one label 总资产; and a 推荐表 whose function boxes are no name.
	p := gridPage(1,
		"50:一、申报单位基本情况",
		"50:日喀则市珠峰物流行业协会|480:51540200MJY4617285|900:社会团体",
		"120:单位名称|500:统一社会信用代码|930:单位性质",
		"50:拉巴次仁|480:2016年7月9日|900:1530.20万元",
		"80:法定代表人（负责人）|520:设立日期|930:总资产",
	)
	got := fieldsOf(Extract([]doc.Page{textPage(2, "西藏自治区中小企业公共服务示范平台申请报告"), p}))
	for n, v := range map[string]string{"legal_representative": "拉巴次仁", "established_date": "2016-07-09", "total_assets_yuan": "15302000"} {
		if got[n].Value != v {
			t.Errorf("%s = %q; want %q", n, got[n].Value, v)
		}
	}
	if looksLikeOrg("口创业服务", false) || looksLikeOrg("☑技术服务", false) {
		t.Error("a function with its check box reads as an organisation")
	}
}

func TestHeadRowEndingInTotalsAndSignedName(t *testing.T) {
	// 单位负责人 heading a row that ends in 资产总计; and a signature line whose label and name share a
	// cell (法定代表人签字:…) is no row of labels.
	grid := gridPage(1,
		"50:单位负责人|500:设立日期|900:资产总计",
		"50:次仁旺姆卓嘎|500:二〇一一年六月二日|900:980.00万元",
	)
	if got := fieldsOf(Extract([]doc.Page{textPage(2, "西藏自治区中小企业公共服务示范平台申请报告"), grid})); got["legal_representative"].Value != "次仁旺姆卓嘎" {
		t.Errorf("under 单位负责人: legal_representative = %q; want 次仁旺姆卓嘎", got["legal_representative"].Value)
	}
	signed := textPage(1, "真实性声明\n本单位承诺所提交材料真实有效。\n法定代表人签字:多吉扎西\n二〇二四年三月七日")
	if got := fieldsOf(Extract([]doc.Page{signed})); got["legal_representative"].Value == "二〇二四年三月" {
		t.Error("the date under a signature line read as the legal representative")
	}
}

func TestLostAmountIsNotTakenFromTheNextOrPreviousRow(t *testing.T) {
	// A 专项审计 table whose 服务支出合计 amount was not read: neither the row above (场地费用) nor the
	// heading's row below (二、收支结余) is its amount.
	p := gridPage(2,
		"50:项目|1500:金额（元）",
		"50:服务收入合计|1500:2,755,100.00",
		"50:场地费用|1500:624,100.00",
		"50:服务支出合计",
		"50:二、服务收支结余|1500:633,000.00",
	)
	got := fieldsOf(Extract([]doc.Page{textPage(1, "专项审计报告\n会计师事务所\n我们审计了服务收支情况"), p}))
	// (the sum 收入 − 结余 gives it, reasoned and not as certain: see TestServiceTotalsHeldToTheirSum)
	if v, ok := got["service_expense_yuan"]; ok && (v.Value != "2122100" || !slices.Contains(v.Flags, "derived") || v.Confidence >= doc.SureConfidence) {
		t.Errorf("service_expense_yuan = %q %v at %.2f; want none (its amount was not read) or 2122100 derived", v.Value, v.Flags, v.Confidence)
	}
	if got["service_revenue_yuan"].Value != "2755100" {
		t.Errorf("service_revenue_yuan = %q; want 2755100", got["service_revenue_yuan"].Value)
	}
}

func TestAuthoritiesReadSlightlyWrong(t *testing.T) {
	// A recommendation whose seal left a letter after the recommender's name, in a form whose
	// recommender's label is 推荐部门（公章）.
	p := gridPage(1,
		"50:西藏自治区中小企业公共服务示范平台推荐表",
		"50:推荐意见|400:同意推荐。",
		"50:推荐部门（公章）：日喀则市经济和信息化局",
		"600:2024年6月3日",
	)
	l := &p.Lines[2]
	l.Words = append(l.Words, doc.Word{Text: "K", Box: doc.Box{X0: l.Box.X1 + 4, Y0: l.Box.Y0, X1: l.Box.X1 + 20, Y1: l.Box.Y1}, Confidence: 0.4})
	l.Box.X1 += 20
	got := fieldsOf(Extract([]doc.Page{p}))
	if v := got["issuer"].Value; v != "日喀则市经济和信息化局" {
		t.Errorf("recommender with a stray letter: issuer = %q", v)
	}
	for in, want := range map[string]string{
		"西城嘉治区经济和信息化厅":  "西藏自治区经济和信息化厅", // two characters of the region wrong
		"西藏治区科学技术厅":     "西藏自治区科学技术厅",   // one dropped
		"拉市经济和信息化局":     "拉萨市经济和信息化局",   // one dropped from a city
		"成都市经济和信息化局":    "成都市经济和信息化局",   // another city, not a misread
		"西城区市场监督管理局":    "西城区市场监督管理局",
		"那曲市色尼区经济和信息化局": "那曲市色尼区经济和信息化局",
		"陕西省科学技术厅":      "陕西省科学技术厅",
	} {
		if got := fixPlace(in); got != want {
			t.Errorf("fixPlace(%s) = %s; want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"西藏自治区科学技术厅厅西藏自治区财政厅": "西藏自治区科学技术厅",
		"广东省科学技术厅广东省财政厅":      "广东省科学技术厅",
		"国家税务总局西藏自治区税务局":      "国家税务总局西藏自治区税务局", // one body
		"拉萨市市场监督管理局":          "拉萨市市场监督管理局",
	} {
		if got := firstOfJoint(in); got != want {
			t.Errorf("firstOfJoint(%s) = %s; want %s", in, got, want)
		}
	}
	// A certificate issued jointly, its issuers printed side by side and the first split by the reader.
	w := func(text string, x0, y0, x1 int) doc.Word { return placed(text, x0, y0, x1, 40) }
	cert := wordsPage(1600, 1200,
		[]doc.Word{w("科技型中小企业入库证书", 500, 100, 1100)},
		[]doc.Word{w("企业名称：林芝雪域农牧科技有限公司", 200, 300, 900)},
		[]doc.Word{w("入库时间：2023年4月18日", 200, 380, 700)},
		[]doc.Word{w("广", 200, 900, 230), w("东省科学技术厅", 232, 900, 480), w("广东省财政厅", 700, 900, 900)},
	)
	d := newDocument([]doc.Page{cert})
	if v, _, ok := authorityOn(d.lines[3]); !ok || v != "广东省科学技术厅" {
		t.Errorf("authorityOn = %q %v; want 广东省科学技术厅", v, ok)
	}
}

func TestCertificateDatedOnlyUnderItsSeal(t *testing.T) {
	// A licence whose issuer is only in its seal and whose date of issue has no label: the date it
	// closes with, not its validity's end.
	p := gridPage(1,
		"300:道路运输经营许可证",
		"50:许可证号：藏交运管许可拉字540100001234号",
		"50:业户名称：拉萨高原物流有限公司",
		"50:经营范围：道路普通货物运输",
		"50:有效期：2023年9月1日至2027年8月31日",
		"700:2023年9月1日",
	)
	got := fieldsOf(Extract([]doc.Page{p}))
	if v := got["issue_date"].Value; v != "2023-09-01" {
		t.Errorf("issue_date = %q; want 2023-09-01", v)
	}
	p = gridPage(1,
		"300:食品经营许可证",
		"50:经营者名称：林芝雪域餐饮管理有限公司",
		"50:有效期至：2028年5月19日",
		"700:二〇二三年五月二十日",
	)
	got = fieldsOf(Extract([]doc.Page{p}))
	if v := got["issue_date"].Value; v != "2023-05-20" {
		t.Errorf("Chinese numerals: issue_date = %q; want 2023-05-20", v)
	}
}

func TestPlaqueAndWrappedListTitles(t *testing.T) {
	// A plaque: holder, designation, authority, month.
	p := gridPage(1,
		"400:林芝雪域农牧科技有限公司",
		"300:林芝市科技企业孵化器",
		"450:林芝市科学技术局",
		"480:二〇二二年十二月",
	)
	res := Extract([]doc.Page{p})
	if got := fieldsOf(res); got["title"].Value != "林芝市科技企业孵化器" {
		t.Errorf("plaque (%s): title = %q", res.Kind, got["title"].Value)
	}
	// A holder that is itself a …中心 above the designation.
	p = gridPage(1,
		"400:昌都市卡若区创业服务中心",
		"300:昌都市小型微型企业创业创新示范基地",
		"450:昌都市经济和信息化局",
		"480:2021年11月",
	)
	res = Extract([]doc.Page{p})
	if got := fieldsOf(res); got["title"].Value != "昌都市小型微型企业创业创新示范基地" {
		t.Errorf("plaque of a 中心 (%s): title = %q", res.Kind, got["title"].Value)
	}
	// A plaque whose designation wrapped its last character.
	p = gridPage(1,
		"400:山南雅砻电子商务有限公司",
		"300:山南市科技企业孵化",
		"560:器",
		"450:山南市科学技术局",
		"480:2020年6月",
	)
	res = Extract([]doc.Page{p})
	if got := fieldsOf(res); got["title"].Value != "山南市科技企业孵化器" {
		t.Errorf("wrapped plaque (%s): title = %q", res.Kind, got["title"].Value)
	}
	// A list's heading wrapped after its designation's first words.
	p = gridPage(1,
		"100:2022年度西藏自治区服务型制造示范",
		"500:平台名单",
		"50:序号|200:单位名称|900:所在地",
		"50:1|200:拉萨经济技术开发区工业设计中心|900:拉萨市",
	)
	res = Extract([]doc.Page{p})
	if got := fieldsOf(res); got["title"].Value != "西藏自治区服务型制造示范平台" {
		t.Errorf("list heading wrapped in its designation (%s): title = %q", res.Kind, got["title"].Value)
	}
	// A list whose heading wrapped its last character onto a line of its own.
	p = gridPage(1,
		"50:附件2",
		"100:2023年度山南市专精特新中小企业认定名",
		"500:单",
		"50:序号|200:企业名称|900:所在县区",
		"50:1|200:山南雅砻农产品开发有限公司|900:乃东区",
		"50:2|200:西藏琼结县民族手工业有限公司|900:琼结县",
	)
	res = Extract([]doc.Page{p})
	if got := fieldsOf(res); got["title"].Value != "山南市专精特新中小企业" {
		t.Errorf("wrapped list heading (%s): title = %q", res.Kind, got["title"].Value)
	}
}

func TestStackedCertificateLabels(t *testing.T) {
	// A 民办非企业单位登记证书 whose label column the reader took for a few words: 名 on one line
	// and 称 before the next labels, and two labels joined beside the first of their two values.
	word := func(text string, x0, y0, x1 int) doc.Word { return placed(text, x0, y0, x1, 40) }
	lines := [][]doc.Word{
		{word("民办非企业单位登记证书", 400, 80, 1100)},
		{word("名", 100, 200, 140), word("拉萨市格桑职业技能培训学校", 300, 200, 900)},
		{word("称法定代表人业务主管单位", 100, 280, 140), word("次仁旺堆", 300, 280, 460)},
		{word("拉萨市人力资源和社会保障局", 300, 360, 860)},
		{word("开办资金成立日期", 100, 440, 140), word("50.000.00元", 300, 440, 520)},
		{word("2018年7月9日", 300, 520, 560)},
		{word("住所", 100, 600, 180), word("西藏自治区拉萨市城关区江苏路16号", 300, 600, 960)},
	}
	p := wordsPage(1200, 1600, lines...)
	got := fieldsOf(Extract([]doc.Page{p}))
	for n, v := range map[string]string{"org_name": "拉萨市格桑职业技能培训学校", "legal_representative": "次仁旺堆",
		"established_date": "2018-07-09", "registered_capital_yuan": "50000", "premises_address": "西藏自治区拉萨市城关区江苏路16号"} {
		if got[n].Value != v {
			t.Errorf("%s = %q; want %q", n, got[n].Value, v)
		}
	}
	for in, want := range map[string][]string{"活动地域法定代表人": {"活动地域", "法定代表人"}, "称统一社会信用代码法定代表人": {"统一社会信用代码", "法定代表人"}} {
		if got, _, ok := splitLabels(in); !ok || strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("splitLabels(%s) = %v %v", in, got, ok)
		}
	}
	for in, want := range map[string]string{"人民币100.0000万元整": "1000000", "3.000.000.00元": "3000000", "50.000.00元": "50000", "1,234.5万元": "12345000"} {
		d := newDocument([]doc.Page{textPage(1, in)})
		if v, _, ok := pAmount(d.lines[0], 0, ""); !ok || v != want {
			t.Errorf("pAmount(%s) = %q %v; want %s", in, v, ok, want)
		}
	}
	if _, _, ok := splitLabels("法定代表人次仁"); ok {
		t.Error("a label with its value is not a column of labels")
	}
}

func TestJointCertificateIssuedUnderSeals(t *testing.T) {
	// A 专精特新 certificate: the holder and the number on one row, the approving bodies only in
	// their seals, which the reader listed out of their order on the page.
	p := gridPage(1,
		"500:专精特新中小企业",
		"560:证书",
		"100:企业名称：青海高原绿色食品有限公司|1100:证书编号：QH2024ZJTX0188",
		"100:认定时间：2024年8月26日|1100:有效期：三年",
		"100:认定机关：",
		"700:省|1000:财|1500:务总局", // glyphs of the seals' rings read as a row
	)
	p.SealTexts = []doc.SealText{
		{Box: doc.Box{X0: 1300, Y0: 700, X1: 1600, Y1: 1000}, Text: "青海省财政厅", Confidence: 0.95},
		{Box: doc.Box{X0: 300, Y0: 710, X1: 600, Y1: 1010}, Text: "青海省工业和信息化厅", Confidence: 0.93},
	}
	got := fieldsOf(Extract([]doc.Page{p}))
	for n, v := range map[string]string{"org_name": "青海高原绿色食品有限公司", "issuer": "青海省工业和信息化厅",
		"issuer_level": "autonomous_region", "issue_date": "2024-08-26"} {
		if got[n].Value != v {
			t.Errorf("%s = %q; want %q", n, got[n].Value, v)
		}
	}
	if f := got["issuer"]; f.Confidence >= doc.SureConfidence {
		t.Errorf("an issuer read from a seal at %.2f: never certain", f.Confidence)
	}
	for in, want := range map[string]string{"黑龙江省科学技术厅": "autonomous_region", "北京市经济和信息化局": "autonomous_region",
		"广西壮族自治区工业和信息化厅": "autonomous_region", "深圳市科技创新委员会": "prefecture", "国家税务总局": "national"} {
		if got := issuerLevel(in); got != want {
			t.Errorf("issuerLevel(%s) = %q; want %q", in, got, want)
		}
	}
}

func TestAddressGoesOnAfterItsNumber(t *testing.T) {
	// A licence in two columns: the address, complete-looking at its street number, goes on under
	// itself with the building and room, in a row shared with the business scope's next line.
	p := gridPage(1,
		"400:营业执照",
		"50:名称|200:拉萨净土云计算服务有限公司|900:注册资本|1100:伍佰万元整",
		"50:经营范围|200:软件开发、信息技术咨询服务；|900:住所|1100:西藏自治区拉萨市城关区金珠西路158号",
		"200:（依法须经批准的项目，经相关部门批准|1110:3栋2单元501室",
		"200:后方可开展经营活动）|900:登记机关|1100:拉萨市市场监督管理局",
	)
	got := fieldsOf(Extract([]doc.Page{p}))
	if v := got["premises_address"].Value; v != "西藏自治区拉萨市城关区金珠西路158号3栋2单元501室" {
		t.Errorf("premises_address = %q", v)
	}
	// An amount or a date under the address is not its rest.
	p = gridPage(1,
		"400:营业执照",
		"50:名称|200:林芝巴松措旅游开发有限公司",
		"50:住所|200:西藏自治区林芝市工布江达县错高乡88号",
		"50:注册资金|200:5万元",
		"200:2021年6月1日",
	)
	got = fieldsOf(Extract([]doc.Page{p}))
	if v := got["premises_address"].Value; v != "西藏自治区林芝市工布江达县错高乡88号" {
		t.Errorf("address above a date: premises_address = %q", v)
	}
}

func TestLicenceBesideItsNotesAndAnAddressCutShort(t *testing.T) {
	// A 副本 scanned open: the licence's heading shares its row with the heading of the notes
	// printed on the facing half; the address runs off under a stamp with a bracket left open.
	p := gridPage(1,
		"200:道路运输经营许可证|1700:说明",
		"1600:《道路运输经营许可证》是经营者取得道路运输经营许可的合法凭证。",
		"100:业户名称：那曲羌塘运输有限公司",
		"100:发证日期：2022年3月8日",
	)
	got := fieldsOf(Extract([]doc.Page{p}))
	if v := got["title"].Value; v != "道路运输经营许可证" {
		t.Errorf("title = %q", v)
	}
	p = gridPage(1,
		"400:营业执照",
		"100:名称|300:那曲羌塘运输有限公司",
		"100:住所|300:西藏自治区那曲市色尼区浙江中路12号（临时经营",
		"100:成立日期|300:2020年5月6日",
	)
	got = fieldsOf(Extract([]doc.Page{p}))
	if f := got["premises_address"]; f.Value == "" || f.Confidence >= doc.SureConfidence {
		t.Errorf("an address cut short (%q) given as certain (%.2f)", f.Value, f.Confidence)
	}
	for in, want := range map[string]bool{"广州市荔湾区花地大道南46号203房（临时经营": true, "冷库车间二": true,
		"佛山市顺德区容桂街道合祥路26号首层之七": false, "拉萨市城关区林廓北路163号": false, "当雄县公塘乡（临时）": false} {
		if got := unfinishedAddress(in); got != want {
			t.Errorf("unfinishedAddress(%s) = %v", in, got)
		}
	}
}

func TestLicenceLabelsSetBelowTheirValues(t *testing.T) {
	// An old 企业法人营业执照 photographed in its frame: the letter-spaced labels 名 称 and 住 所
	// print a little below their values, nearer to the next row's.
	word := func(text string, x0, y0, x1 int) doc.Word { return placed(text, x0, y0, x1, 22) }
	lines := [][]doc.Word{
		{word("企业法人营业执照", 380, 250, 640)},
		{word("注册号", 860, 360, 920), word("540100000012345", 950, 345, 1200)},
		{word("日喀则珠峰矿泉水有限公司", 378, 383, 700)},
		{word("名", 196, 403, 218), word("称", 337, 404, 359)},
		{word("日喀则市桑珠孜区东嘎乡东嘎村", 374, 421, 760)},
		{word("住", 189, 442, 211), word("所", 333, 442, 355)},
		{word("法定代表人姓名", 186, 469, 330), word("普布次仁", 370, 469, 470)},
	}
	p := wordsPage(1300, 900, lines...)
	got := fieldsOf(Extract([]doc.Page{p}))
	if v := got["org_name"].Value; v != "日喀则珠峰矿泉水有限公司" {
		t.Errorf("org_name = %q", v)
	}
	if looksLikeOrg("铜山县马坡镇前八段村所", true) {
		t.Error("an address with a label's remnant after it is no organisation")
	}
	if !looksLikeOrg("当雄县公塘乡卫生所", true) {
		t.Error("a 卫生所 is an organisation")
	}
}

func TestDeclarationSignedBelowABlankName(t *testing.T) {
	// A 承诺书 whose organisation is only in its seal: the signatory's name on the next row, beside
	// its own label, is not the organisation.
	word := func(text string, x0, y0, x1 int) []doc.Word { return []doc.Word{placed(text, x0, y0, x1, 32)} }
	p := wordsPage(1400, 1000,
		word("诚信申报承诺书", 500, 100, 800),
		word("本单位承诺所报材料真实有效，如有虚假愿承担全部责任。", 150, 200, 1100),
		word("声明单位（公章）", 150, 400, 420),
		word("负责人（签名）", 150, 480, 400),
		word("次仁央宗", 650, 458, 780), // signed a little above its line
		word("日期", 150, 560, 220),
		word("2024年5月20日", 650, 556, 880),
	)
	p.Seals = []doc.Box{{X0: 600, Y0: 150, X1: 900, Y1: 450}}
	p.SealTexts = []doc.SealText{{Box: p.Seals[0], Text: "拉萨德吉商贸有限公司", Confidence: 0.96}}
	res := ExtractWith([]doc.Page{p}, Options{Applicant: []string{"拉萨德吉商贸有限公司"}})
	got := fieldsOf(res)
	if v := got["org_name"].Value; v != "拉萨德吉商贸有限公司" {
		t.Errorf("%s: org_name = %q; want the declared name read in the seal", res.Kind, v)
	}
	res = Extract([]doc.Page{p})
	if v := fieldsOf(res)["org_name"].Value; v == "次仁央宗" {
		t.Errorf("without a declared name: the signatory %q taken for the organisation", v)
	}
}

func TestRowNumberBesideAGroupedAmount(t *testing.T) {
	// A balance sheet's row: its label, its 行次 and its amounts set close together. The row's
	// number is not the amount's first digits; a number the reader cut in two still joins.
	h := 30
	row := func(texts ...string) doc.Line {
		var l doc.Line
		x := 100
		for _, tx := range texts {
			w := doc.Word{Text: tx, Box: doc.Box{X0: x, Y0: 500, X1: x + 18*len([]rune(tx)), Y1: 500 + h}, Confidence: 0.97}
			l.Words = append(l.Words, w)
			l.Box = l.Box.Union(w.Box)
			x = w.Box.X1 + h/2 // closer than a column's gap
		}
		return l
	}
	d := newDocument([]doc.Page{{Number: 1, Width: 1400, Height: 1000, Source: doc.SourceOCR, Lines: []doc.Line{
		row("所有者权益合计", "44", "2,580,328.91", "2,923,457.75"),
	}}})
	if got := d.lines[0].text; !strings.Contains(got, "44 2,580,328.91") {
		t.Errorf("row read as %q; want 44 apart from 2,580,328.91", got)
	}
	d = newDocument([]doc.Page{{Number: 1, Width: 1400, Height: 1000, Source: doc.SourceOCR, Lines: []doc.Line{
		row("满意度为9", "4.2%"),
	}}})
	if got := d.lines[0].text; got != "满意度为94.2%" {
		t.Errorf("a cut number read as %q", got)
	}
}

func TestPlaqueWhoseDesignationWasNotRead(t *testing.T) {
	// A gilded plaque: the reader missed its raised designation and kept the authority and the
	// period it runs.
	p := gridPage(1,
		"900:Ko",
		"400:西藏自治区科学技术厅",
		"420:（2024—2027）",
	)
	res := Extract([]doc.Page{p})
	if res.Kind != "prior_recognition" {
		t.Errorf("kind = %s; want prior_recognition", res.Kind)
	}
	if got := fieldsOf(res); got["issuer"].Value != "西藏自治区科学技术厅" || got["issuer_level"].Value != "autonomous_region" {
		t.Errorf("issuer = %q (%q)", got["issuer"].Value, got["issuer_level"].Value)
	}
	// An envelope's few lines — an authority and its address — are no plaque.
	p = gridPage(1,
		"400:拉萨市经济和信息化局",
		"400:西藏自治区拉萨市城关区江苏路12号",
		"400:邮政编码850000",
	)
	if res := Extract([]doc.Page{p}); res.Kind == "prior_recognition" {
		t.Errorf("an envelope classed as %s", res.Kind)
	}
}

func TestDeclaredNameMisreadShapes(t *testing.T) {
	declared := []string{"昌都青年企业家协会", "山南羊卓雍措财税服务有限责任公司", "西藏念青唐古拉产业发展服务有限公司"}
	for in, want := range map[string]string{
		"都年企业家协会":             "昌都青年企业家协会",         // two glyphs of small print dropped, apart
		"昌都企业家协会":             "",                  // 青年 left out: a word
		"山南羊卓雍措财税服务有限责任":      "山南羊卓雍措财税服务有限责任公司",  // cut short by the seal
		"山南羊卓雍措财税服务有限":        "",                  // 责任公司: more than a cut edge
		"山南羊卓雍措财税服务":          "",                  // cut to a name that ends as names end
		"西藏念青唐古拉产业发展服务有限公司2行": "西藏念青唐古拉产业发展服务有限公司", // the next cell's figure run in
		"西藏念青唐古拉产业发展服务有限公司拉萨": "",                  // words after the name: another name
	} {
		got, ok := misreadDeclared(in, declared)
		if ok != (want != "") || got != want {
			t.Errorf("misreadDeclared(%s) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if got := dropStrayTail("西藏念青唐古拉产业发展服务有限公司2行"); got != "西藏念青唐古拉产业发展服务有限公司" {
		t.Errorf("dropStrayTail = %q", got)
	}
	if got := dropStrayTail("拉萨市第1中学"); got != "拉萨市第1中学" {
		t.Errorf("dropStrayTail(拉萨市第1中学) = %q; a digit inside a name is the name's", got)
	}
}

func TestNameConfirmedBySeal(t *testing.T) {
	// A 承诺书 (not the 声明 of the generator) whose signing line runs under the 公章: the print reads
	// two characters off, the seal's ring reads the declared name.
	declared := "拉萨市堆龙德庆区青年创业服务中心"
	page := func(read, seal string) doc.Page {
		p := wordsPage(1700, 2400,
			[]doc.Word{placed("申报材料真实性承诺书", 600, 150, 1100, 60)},
			[]doc.Word{placed("本单位承诺所提交的全部申报材料真实、准确、完整，如有虚假，愿承担一切后果。", 150, 300, 1550, 45)},
			[]doc.Word{placed("承诺单位：", 700, 1500, 900, 45), placed(read, 905, 1500, 1600, 45)},
			[]doc.Word{placed("2025年3月6日", 1100, 1600, 1500, 45)},
		)
		p.Seals = []doc.Box{{X0: 1150, Y0: 1300, X1: 1550, Y1: 1700}}
		p.SealTexts = []doc.SealText{{Box: p.Seals[0], Text: seal, Confidence: 0.88}}
		return p
	}
	for _, tc := range []struct{ read, seal, want string }{
		{"拉萨市堆龙德庆区青年中心创业服务中心", "拉萨市堆龙德庆区青年创业服务中心", declared},             // confirmed
		{"拉萨市堆龙德庆区青年中心创业服务中心", "拉萨布堆龙德庆区青牟创业服务中心", declared},             // the ring misread too
		{"拉萨市堆龙德庆区青年中心创业服务中心", "日喀则市桑珠孜区扶贫开发服务中心", "拉萨市堆龙德庆区青年中心创业服务中心"}, // another seal
		{"拉萨市堆龙德庆区青年创", "拉萨市堆龙德庆区青年创业服务中心", declared},                    // cut where the seal's ink begins
		{"拉萨市堆龙德庆区青年创", "日喀则市桑珠孜区扶贫开发服务中心", "拉萨市堆龙德庆区青年创"},               // cut, under another seal
		{"拉萨市堆龙", "拉萨市堆龙德庆区青年创业服务中心", "拉萨市堆龙"},                           // too little of it left to tell
	} {
		fs := newFieldSet([]string{declared})
		readDeclaration(newDocument([]doc.Page{page(tc.read, tc.seal)}), fs, Options{Applicant: []string{declared}})
		confirmBySeal(newDocument([]doc.Page{page(tc.read, tc.seal)}), fs)
		f := fs.m["org_name"]
		if f.Value != tc.want {
			t.Errorf("read %s under seal %s: org_name %q; want %q", tc.read, tc.seal, f.Value, tc.want)
		}
		if f.Value == declared && f.Confidence >= doc.SureConfidence {
			t.Errorf("confirmed name at %.2f; want below the threshold of certainty", f.Confidence)
		}
	}
	// Words of the legal form differ: another legal person, whatever the seal says.
	if !wordDifference([]rune("西藏珠峰财税服务有限责任公司"), []rune("西藏珠峰财税服务有限公司")) ||
		!wordDifference([]rune("西藏自治区珠峰财税服务有限公司"), []rune("西藏珠峰财税服务有限公司")) ||
		wordDifference([]rune("那曲市申扎中中心企业服务中心"), []rune("那曲市申扎中小企业服务中心")) {
		t.Error("wordDifference: legal form or place level not told from a misread")
	}
}

func TestLessorIsNoClause(t *testing.T) {
	// A lease whose party block was lost to the reader (出租方 read as 山租方), so that the first 甲方
	// left is in a clause: 甲方将其合法拥有的房屋出租给乙方 names no lessor, and none is read.
	p := wordsPage(1700, 2400,
		[]doc.Word{placed("商铺租赁协议", 600, 150, 1100, 60)},
		[]doc.Word{placed("山租方：林芝市巴宜区资产运营有限公司", 150, 260, 1100, 45)},
		[]doc.Word{placed("承租方：林芝雅鲁藏布农业科技有限公司", 150, 330, 1100, 45)},
		[]doc.Word{placed("第一条 房屋基本情况，甲方将其合法拥有的坐落于林芝市巴宜区八一大街18号的商铺出租给乙方使用。", 150, 420, 1650, 45)},
	)
	fs := newFieldSet(nil)
	readLease(newDocument([]doc.Page{p}), fs, Options{})
	if f, ok := fs.m["lessor"]; ok {
		t.Errorf("lessor = %q; want none (a clause after 甲方 is no party)", f.Value)
	}
	if f := fs.m["lessee"]; f.Value != "林芝雅鲁藏布农业科技有限公司" {
		t.Errorf("lessee = %q; want 林芝雅鲁藏布农业科技有限公司", f.Value)
	}
	// Nor is such a clause a person's name, where a person may let the premises; a Tibetan name
	// with 其 in it (其美多吉) still is one.
	for s, want := range map[string]bool{"将其合法拥有的": false, "出租房屋的": false, "其美多吉": true} {
		if looksLikePerson(s) != want {
			t.Errorf("looksLikePerson(%s) = %v; want %v", s, !want, want)
		}
	}
}

func TestUnfinishedNameIsNotCertain(t *testing.T) {
	// A lease's signing block (not a declaration): the lessee's name read with glyphs of the seal
	// and without its form is not another legal person for certain; a whole other name is.
	declared := "日喀则市珠峰农牧科技有限公司"
	for _, tc := range []struct {
		read string
		sure bool
	}{
		{"日喀则市珠峰农电国科", false},    // no form at its end: misread or cut short
		{"日喀则市雪莲农牧科技有限公司", true}, // another company's whole name
		{declared, true},
	} {
		p := wordsPage(1700, 2400,
			[]doc.Word{placed("房屋租赁合同", 600, 150, 1100, 60)},
			[]doc.Word{placed("出租方（甲方）：", 150, 300, 500, 45), placed("次仁多吉", 505, 300, 800, 45)},
			[]doc.Word{placed("承租方（乙方）：", 150, 380, 500, 45), placed(tc.read, 505, 380, 1300, 45)},
			[]doc.Word{placed("租赁期限自2024年1月1日至2026年12月31日止。", 150, 460, 1500, 45)},
		)
		fs := newFieldSet([]string{declared})
		d := newDocument([]doc.Page{p})
		readLease(d, fs, Options{Applicant: []string{declared}})
		doubtUnfinished(fs)
		f, ok := fs.m["lessee"]
		if !ok || f.Value != tc.read {
			t.Fatalf("read %s: lessee %q; want it as read", tc.read, f.Value)
		}
		if sure := f.Confidence >= doc.SureConfidence; sure != tc.sure {
			t.Errorf("read %s: lessee at %.2f, sure %v; want sure %v", tc.read, f.Confidence, sure, tc.sure)
		}
	}
}

func TestCreditCodeReadInPart(t *testing.T) {
	// A lease's signing block whose code lost characters under the seal: the declared code it is
	// part of, not for certain; a code of another body, or too little of one, is not taken.
	body := "92540102MA7Q5XKT3"
	c, _ := normalize.CreditCheckChar(body)
	declared := body + string(c)
	for _, tc := range []struct{ read, want string }{
		{declared[:17], declared},               // the check character lost
		{declared[:3] + declared[6:], declared}, // three lost inside
		{"91540102MA7Q5XKT3", ""},               // another body's code, in part
		{declared[:8] + declared[13:], ""},      // too little left to tell
	} {
		p := wordsPage(1700, 2400,
			[]doc.Word{placed("房屋租赁合同", 600, 150, 1100, 60)},
			[]doc.Word{placed("承租方（乙方）：", 150, 300, 500, 45), placed("拉萨雪域工贸有限公司", 505, 300, 1100, 45)},
			[]doc.Word{placed("统一社会信用代码：", 150, 380, 560, 45), placed(tc.read, 565, 380, 1200, 45)},
		)
		fs := newFieldSet(nil)
		fs.codes = []string{declared}
		readCreditCode(newDocument([]doc.Page{p}), fs)
		f, ok := fs.m["credit_code"]
		if tc.want == "" {
			if ok {
				t.Errorf("read %s: credit_code %q; want none", tc.read, f.Value)
			}
			continue
		}
		if f.Value != tc.want || f.Confidence >= doc.SureConfidence {
			t.Errorf("read %s: credit_code %q at %.2f; want %s below certainty", tc.read, f.Value, f.Confidence, tc.want)
		}
	}
}

func TestDateInCellsOfItsOwn(t *testing.T) {
	// A record screenshot laid out as a table whose header row holds the labels (the register's own
	// columns, 是否限制接入 among them) and whose date is printed in three cells (年 月 日 apart),
	// under its label.
	p := wordsPage(1900, 700,
		[]doc.Word{placed("ICP备案查询结果", 700, 40, 1200, 50)},
		[]doc.Word{placed("主办单位名称", 60, 150, 400, 40), placed("网站备案号", 600, 150, 850, 40), placed("审核日期", 1200, 150, 1400, 40),
			placed("是否限制接入", 1550, 150, 1800, 40)},
		[]doc.Word{placed("那曲高原物流有限公司", 60, 220, 500, 40), placed("藏ICP备2019000123号-1", 600, 220, 1050, 40),
			placed("2019", 1180, 220, 1260, 40), placed("11", 1280, 220, 1320, 40), placed("08", 1340, 220, 1380, 40),
			placed("否", 1600, 220, 1640, 40)},
	)
	fs := newFieldSet(nil)
	readQualification(newDocument([]doc.Page{p}), fs, Options{})
	if f := fs.m["issue_date"]; f.Value != "2019-11-08" {
		t.Errorf("issue_date = %q; want 2019-11-08", f.Value)
	}
}

func TestAreaColumnWithUnitHead(t *testing.T) {
	// A 不动产权证 (not the generator's 房屋所有权证) whose area columns carry their unit in the head and
	// where 套内建筑面积 stands beside 建筑面积: the building area is the one under 建筑面积.
	p := gridPage(1,
		"800:不动产权证书",
		"100:权利人|700:西藏雪域信息科技有限公司",
		"100:坐落|700:西藏自治区日喀则市桑珠孜区上海中路88号",
		"100:用途|700:商业服务",
		"100:层次|400:总层数|700:建筑面积（m²）|1200:套内建筑面积（m2）|1700:分摊面积（m²）",
		"100:3|400:6|700:846.20|1200:702.35|1700:143.85",
	)
	r := Extract([]doc.Page{p})
	got := fieldsOf(r)
	if got["premises_area_m2"].Value != "846.2" {
		t.Errorf("kind %s, premises_area_m2 = %q; want 846.2 (under 建筑面积, not 套内 or 分摊)", r.Kind, got["premises_area_m2"].Value)
	}
}

func TestClosingDateUnderSeal(t *testing.T) {
	// Dates at the foot of a letter that a seal's ink or a misread numeral spoilt: a 推荐意见 whose
	// 年 and 月 the seal hid, and a notice (红头文件) whose year lost a numeral to a doubled 年 —
	// dated, as notices are, in its file number's year.
	for _, tc := range []struct {
		rows []string
		want string
	}{
		{[]string{"100:推荐意见", "100:同意推荐。", "900:推荐单位（盖章）：日喀则市工业和信息化局", "1100:2025 0318 日"}, "2025-03-18"},
		{[]string{"100:推荐意见", "1100:2025 03 18"}, "2025-03-18"},
		{[]string{"100:推荐意见", "1100:2025 1318"}, ""}, // no 13th month
		{[]string{"500:日喀则市经济和信息化局文件", "700:日经信发〔2024〕23号", "200:关于公布2024年度中小企业服务机构名单的通知",
			"1100:二〇二年年三月五日"}, "2024-03-05"},
		{[]string{"700:日经信发〔2019〕23号", "1100:二〇二年年三月五日"}, ""}, // the number's year is not 202x
	} {
		d := newDocument([]doc.Page{gridPage(1, tc.rows...)})
		v, ev, ok := d.lastDate()
		if v != tc.want || ok != (tc.want != "") {
			t.Errorf("%v: lastDate = %q, %v; want %q", tc.rows, v, ok, tc.want)
		}
		if ok && ev.conf >= doc.SureConfidence {
			t.Errorf("%v: a repaired date at %.2f; want below the threshold of certainty", tc.rows, ev.conf)
		}
	}
}

func TestFunctionTableEnds(t *testing.T) {
	// Functions as columns with empty boxes where a function is not claimed, then the next section
	// and a seal's glyphs under the columns: nothing below the heading is a description.
	cols := gridPage(1,
		"50:四、服务功能",
		"50:功能|400:信息服务|800:技术服务|1200:创业服务|1600:培训服务|2000:融资服务",
		"50:是否具备|800:□|1200:□|1600:□",
		"50:开展情况|400:服务企业28家|2000:银企对接3场",
		"50:五、申报单位承诺",
		"1600:藏|2000:拉",
		"1500:负责人（签字）：",
	)
	fs := newFieldSet(nil)
	if !readFunctionTable(newDocument([]doc.Page{cols}), fs) {
		t.Fatal("columns: no function table read")
	}
	if f := fs.m["functions"]; f.Value != "financing,information" {
		t.Errorf("columns: functions = %q; want financing,information (a heading ends the table)", f.Value)
	}
	// Rows after a 序号 whose last number stands a little lower than the last name: it is in the
	// last row, and the last description is that row's.
	p := doc.Page{Number: 1, Width: 2400, Height: 3400, Source: doc.SourceOCR}
	add := func(x0, y0, x1 int, s string) {
		p.Lines = append(p.Lines, doc.Line{Box: doc.Box{X0: x0, Y0: y0, X1: x1, Y1: y0 + 36},
			Words: []doc.Word{{Text: s, Box: doc.Box{X0: x0, Y0: y0, X1: x1, Y1: y0 + 36}, Confidence: 0.97}}})
	}
	add(60, 100, 160, "序号")
	add(250, 100, 400, "服务功能")
	add(700, 100, 1000, "服务开展情况")
	for i, r := range []struct{ name, desc string }{{"信息服务", "发布政策信息20次。"}, {"技术服务", "无"},
		{"创业服务", "无"}, {"培训服务", "培训企业员工300人次。"}, {"融资服务", "组织银企对接会4场。"}} {
		y := 200 + i*80
		add(60, y+8, 90, strconv.Itoa(i+1))
		add(250, y, 400, r.name)
		add(700, y+10, 1300, r.desc) // boxed a little lower than the name, as readers box long lines
	}
	fs = newFieldSet(nil)
	if !readFunctionTable(newDocument([]doc.Page{p}), fs) {
		t.Fatal("rows: no function table read")
	}
	if f := fs.m["functions"]; f.Value != "financing,information,training" {
		t.Errorf("rows: functions = %q; want financing,information,training", f.Value)
	}
}

func TestFunctionTableMarksLostDescriptionWrapped(t *testing.T) {
	// Tall rows (服务内容 | 功能 | 具备情况), every mark lost to the reader, the one description wrapped
	// over two lines that straddle its name's row: the description stands right of the names, so it
	// is a table's column, not paragraphs under headings, and it is the row's it is nearest to.
	p := doc.Page{Number: 1, Width: 2400, Height: 3400, Source: doc.SourceOCR}
	add := func(x0, y0, x1 int, s string) {
		p.Lines = append(p.Lines, doc.Line{Box: doc.Box{X0: x0, Y0: y0, X1: x1, Y1: y0 + 50},
			Words: []doc.Word{{Text: s, Box: doc.Box{X0: x0, Y0: y0, X1: x1, Y1: y0 + 50}, Confidence: 0.97}}})
	}
	add(100, 100, 300, "服务功能")
	add(1100, 100, 1400, "具体开展情况")
	for i, name := range []string{"信息服务", "技术服务", "创业服务", "培训服务", "融资服务"} {
		add(100, 250+i*130, 260, name)
	}
	add(600, 440, 1900, "为园区企业提供创业辅导与工商代办服务共计") // nearer 技术服务 alone
	add(600, 520, 700, "26次。")
	fs := newFieldSet(nil)
	if !readFunctionTable(newDocument([]doc.Page{p}), fs) {
		t.Fatal("no function table read")
	}
	if f := fs.m["functions"]; f.Value != "startup" {
		t.Errorf("functions = %q; want startup (the wrapped description's nearest row)", f.Value)
	}
}

func TestFunctionsDescribedAgainstBoxes(t *testing.T) {
	// A row of check boxes read badly (a tick read after a name, another inside a name) above the
	// paragraphs that describe the functions claimed: the paragraphs tell.
	d := newDocument([]doc.Page{textPage(1, "四、服务功能\n平台功能：信息服务☑技术服务创业服务培训服务融☑资服务\n"+
		"技术服务：开展技术对接活动6次，服务企业18家。\n培训服务：全年培训企业员工850人次。\n融资服务：组织银企对接会3场。\n五、承诺")})
	fs := newFieldSet(nil)
	readReport(d, fs, Options{})
	if f := fs.m["functions"]; f.Value != "financing,technology,training" || f.Confidence >= doc.SureConfidence {
		t.Errorf("functions = %q at %.2f; want financing,technology,training below the threshold", f.Value, f.Confidence)
	}
	// Boxes that claim more than the paragraphs describe are kept.
	d = newDocument([]doc.Page{textPage(1, "四、服务功能\n☑信息服务 ☑技术服务 □创业服务 ☑培训服务 □融资服务\n"+
		"技术服务：开展技术对接活动6次。\n培训服务：全年培训企业员工850人次。\n五、承诺")})
	fs = newFieldSet(nil)
	readReport(d, fs, Options{})
	if f := fs.m["functions"]; f.Value != "information,technology,training" {
		t.Errorf("functions = %q; want the boxes' information,technology,training", f.Value)
	}
	// Only the functions claimed, each a heading with its ordinal over its paragraph.
	d = newDocument([]doc.Page{textPage(1, "四、服务功能情况\n（二）技术服务\n具备。为企业提供检验检测服务15次。\n"+
		"（四）培训服务\n具备。全年培训920人次。\n五、申报单位承诺\n我单位保证所填信息准确无误。")})
	fs = newFieldSet(nil)
	readReport(d, fs, Options{})
	if f := fs.m["functions"]; f.Value != "technology,training" || f.Confidence >= doc.SureConfidence {
		t.Errorf("headed: functions = %q at %.2f; want technology,training below the threshold", f.Value, f.Confidence)
	}
}

func TestAuthorityWordsRestored(t *testing.T) {
	// Departments and parks of other places than the generator's, misread by a character or two.
	for in, want := range map[string]string{
		"昌都市卡若区科学技术和王业信意化局": "昌都市卡若区科学技术和工业信息化局",
		"昌都市经济信息化局":         "昌都市经济和信息化局",
		"阿里地区餐济和信息化局":       "阿里地区经济和信息化局",
		"日喀则市人力资源和社会保摩局":    "日喀则市人力资源和社会保障局",
		"那曲高新技术商广业园区管理委员会":  "那曲高新技术产业园区管理委员会",
		"拉萨经济技术开发区管理委员会":    "拉萨经济技术开发区管理委员会",
		"林芝市财政厅":            "林芝市财政厅",    // a word read right stays
		"山南市商务局":            "山南市商务局",    // …as does one that is another department
		"阿里地区科学技术厅":         "阿里地区科学技术厅", // 厅 is not 局
		"成都市教育局":            "成都市教育局",
		"拉萨市体育局":            "拉萨市体育局", // a short name: 体育局 is no misread 教育局
	} {
		if got := fixAuthority(in); got != want {
			t.Errorf("fixAuthority(%s) = %s; want %s", in, got, want)
		}
	}
}

func TestServiceTotalsInASentence(t *testing.T) {
	// A special audit that gives its totals in a sentence, in 元 and in 万元, not in a table.
	for _, tc := range []struct{ text, revenue, expense string }{
		{"关于服务收支情况的专项审计报告\n经审计，贵单位2024年度服务总收入为1,286,500.00元，服务支出合计972,300.00元，收支基本平衡。", "1286500", "972300"},
		{"附注：服务收支情况\n2023年度，公司为中小企业提供服务取得服务收入349.82万元，发生服务支出202.90万元，服务收支结余146.92万元。", "3498200", "2029000"},
	} {
		fs := newFieldSet(nil)
		readAudit(newDocument([]doc.Page{textPage(1, tc.text)}), fs, Options{})
		if fs.m["service_revenue_yuan"].Value != tc.revenue || fs.m["service_expense_yuan"].Value != tc.expense {
			t.Errorf("%s: revenue %q, expense %q; want %s, %s", tc.text, fs.m["service_revenue_yuan"].Value,
				fs.m["service_expense_yuan"].Value, tc.revenue, tc.expense)
		}
	}
}

func TestServiceTotalsHeldToTheirSum(t *testing.T) {
	// A special audit in 元 whose 服务支出合计 lost its first digit, or was not read, or reads below
	// nothing: the sum 收入 − 支出 = 结余 gives it back, not as certain.
	for _, expense := range []string{"2,652,241.12", "", "-6", ",652,241"} {
		rows := []string{"300:关于2024年度服务收支情况的专项审计报告", "100:项目|900:金额（元）",
			"100:服务收入合计|900:14,216,001.26"}
		if expense != "" {
			rows = append(rows, "100:服务支出合计|900:"+expense)
		}
		rows = append(rows, "100:服务收支结余|900:1,563,760.14")
		fs := newFieldSet(nil)
		readAudit(newDocument([]doc.Page{gridPage(1, rows...)}), fs, Options{})
		if f := fs.m["service_expense_yuan"]; f.Value != "12652241.12" || f.Confidence >= doc.SureConfidence {
			t.Errorf("read %q: service_expense_yuan = %q at %.2f; want 12652241.12 below the threshold", expense, f.Value, f.Confidence)
		}
	}
	// Totals that break the sum otherwise are doubtful.
	fs := newFieldSet(nil)
	readAudit(newDocument([]doc.Page{gridPage(1, "100:项目|900:金额（元）", "100:服务收入合计|900:3,268,400.00",
		"100:服务支出合计|900:2,705,000.00", "100:服务收支结余|900:326,800.00")}), fs, Options{})
	if f := fs.m["service_expense_yuan"]; f.Value != "2705000" || f.Confidence >= doc.SureConfidence {
		t.Errorf("service_expense_yuan = %q at %.2f; want 2705000 flagged", f.Value, f.Confidence)
	}
}

func TestAmountColumnLowerThanItsLabels(t *testing.T) {
	// An income statement photographed at an angle: its amount column stands 24 px lower than its
	// labels (rows 60 px apart), which stay upright at the left; no amount is on its label's row.
	// Paired one row up instead (−36 px) the amounts fit as well, but then the total is not the sum
	// of the rows above it: the sums tell.
	statement := func(total string) doc.Page {
		var rows [][]doc.Word
		rows = append(rows, []doc.Word{placed("利润表", 600, 100, 800, 60)},
			[]doc.Word{placed("项目", 100, 200, 200, 45), placed("本期金额", 1200, 224, 1400, 45)})
		for i, r := range [][2]string{{"产品销售收入", "2,000,000.00"}, {"劳务收入", "1,215,400.00"}, {"营业收入合计", total},
			{"营业成本", "1,200,000.00"}, {"利润总额", "800,000.00"}} {
			y := 300 + 60*i
			rows = append(rows, []doc.Word{placed(r[0], 100, y, 300, 45)}, []doc.Word{placed(r[1], 1200, y+24, 1450, 45)})
		}
		return wordsPage(1700, 2400, rows...)
	}
	fs := newFieldSet(nil)
	readAudit(newDocument([]doc.Page{statement("3,215,400.00")}), fs, Options{})
	if f := fs.m["revenue_yuan"]; f.Value != "3215400" {
		t.Errorf("revenue_yuan = %q; want 3215400 (the amount at the page's offset)", f.Value)
	}
	// A total that is no sum: either offset may be the page's, so nothing is taken.
	fs = newFieldSet(nil)
	readAudit(newDocument([]doc.Page{statement("9,999,999.00")}), fs, Options{})
	if f, ok := fs.m["revenue_yuan"]; ok {
		t.Errorf("revenue_yuan = %q; want none (the rows' offset is in doubt)", f.Value)
	}
}

func TestTwoPeriodsRunTogetherWithADotForAComma(t *testing.T) {
	// An income statement (上年 first, 本年 second) whose two amounts of a row were read as one box,
	// a thousands comma of the first read as a dot: still two amounts, the second this year's.
	fs := newFieldSet(nil)
	readAudit(newDocument([]doc.Page{gridPage(1, "300:利润表", "100:项目|700:上年金额|1000:本年金额",
		"100:营业收入|700:3.021,446.185,310,662.40")}), fs, Options{})
	if f := fs.m["revenue_yuan"]; f.Value != "5310662.4" {
		t.Errorf("revenue_yuan = %q; want 5310662.4 (the current column of two amounts run together)", f.Value)
	}
}

func TestAmountsWithMisreadSeparators(t *testing.T) {
	// Amounts whose separators were misread: a comma read as a dot (4,795.532.88 is one amount, not
	// 4,795.53 and 2.88 side by side — a row's two periods are of one size) and a decimal point read
	// as a semicolon.
	fs := newFieldSet(nil)
	readAudit(newDocument([]doc.Page{gridPage(1, "100:项目|900:金额（元）", "100:服务支出合计|900:4,795.532.88",
		"100:服务收入合计|900:9.018,286;27")}), fs, Options{})
	if fs.m["service_expense_yuan"].Value != "4795532.88" || fs.m["service_revenue_yuan"].Value != "9018286.27" {
		t.Errorf("service expense, revenue = %q, %q; want 4795532.88, 9018286.27", fs.m["service_expense_yuan"].Value, fs.m["service_revenue_yuan"].Value)
	}
}

func TestBalanceSheetHeldToItsSum(t *testing.T) {
	// A one-column 资产负债表 in 元 (not the generator's two-period sheet) whose 所有者权益合计 was
	// not read, or whose 负债合计 lost all but its first digits: 资产 = 负债 + 所有者权益 gives them.
	for _, tc := range []struct {
		rows       []string
		name, want string
	}{
		{[]string{"100:项目|900:期末余额", "100:资产总计|900:12,450,300.00", "100:负债合计|900:3,120,000.00", "100:所有者权益合计"},
			"net_assets_yuan", "9330300"},
		{[]string{"100:项目|900:期末余额", "100:资产总计|900:12,450,300.00", "100:负债合计|900:31", "100:所有者权益合计|900:9,330,300.00"},
			"total_liabilities_yuan", "3120000"},
	} {
		// through readFields: the sum is held with the other checks of the values (checkValues)
		var f doc.Field
		for _, x := range readFields("audit_report", newDocument([]doc.Page{gridPage(1, append([]string{"300:资产负债表"}, tc.rows...)...)}), Options{}) {
			if x.Name == tc.name {
				f = x
			}
		}
		if f.Value != tc.want || f.Confidence >= doc.SureConfidence {
			t.Errorf("%v: %s = %q at %.2f; want %s below the threshold", tc.rows, tc.name, f.Value, f.Confidence, tc.want)
		}
	}
}

func TestLabelWrappedInItsCell(t *testing.T) {
	// A narrow form cell that wrapped its label over two lines (年末资产 over 总额), the value beside
	// the first: the label is read as one. (An 申请表 of another layout than the generator's.)
	p := wordsPage(1700, 2400,
		[]doc.Word{placed("单位名称", 100, 300, 300, 45), placed("西藏羌塘高原农牧科技有限公司", 350, 300, 1000, 45)},
		[]doc.Word{placed("职工人数", 100, 400, 300, 45), placed("36人", 350, 400, 450, 45),
			placed("年末资产1,205.6万元", 900, 400, 1300, 45)},
		[]doc.Word{placed("总额", 900, 455, 990, 45)},
	)
	fs := newFieldSet(nil)
	readReport(newDocument([]doc.Page{p}), fs, Options{})
	if f := fs.m["total_assets_yuan"]; f.Value != "12056000" {
		t.Errorf("total_assets_yuan = %q; want 12056000", f.Value)
	}
	// Wrapped before its last character (资产总 over 额), the value run into the label's line.
	p = wordsPage(1700, 2400,
		[]doc.Word{placed("机构性质", 100, 300, 300, 45), placed("企业", 350, 300, 450, 45)},
		[]doc.Word{placed("注册时间", 100, 400, 300, 45), placed("2016.03.02", 350, 400, 560, 45),
			placed("上年末资产总", 700, 400, 960, 45), placed("986.40万元", 980, 400, 1200, 45)},
		[]doc.Word{placed("额", 800, 452, 845, 45)},
	)
	fs = newFieldSet(nil)
	readReport(newDocument([]doc.Page{p}), fs, Options{})
	if f := fs.m["total_assets_yuan"]; f.Value != "9864000" {
		t.Errorf("total_assets_yuan wrapped before its last character = %q; want 9864000", f.Value)
	}
}

func TestLabelWrappedOverThreeLines(t *testing.T) {
	// A balance sheet in narrow cells: 非流动资产合计 wrapped over three lines (非流动 / 资产合 / 计)
	// is not 资产合计; the sheet's 资产总计, wrapped over two, is.
	p := wordsPage(1700, 2400,
		[]doc.Word{placed("资产负债表", 600, 100, 900, 60)},
		[]doc.Word{placed("资产", 100, 200, 200, 45), placed("期末余额", 400, 200, 600, 45)},
		[]doc.Word{placed("非流动", 100, 300, 240, 45)},
		[]doc.Word{placed("资产合", 100, 350, 240, 45), placed("2,318,400.00", 400, 350, 650, 45)},
		[]doc.Word{placed("计", 100, 400, 150, 45)},
		[]doc.Word{placed("资产总", 100, 480, 240, 45), placed("9,507,210.55", 400, 480, 650, 45)},
		[]doc.Word{placed("计", 100, 530, 150, 45)},
	)
	fs := newFieldSet(nil)
	readAudit(newDocument([]doc.Page{p}), fs, Options{})
	if f := fs.m["total_assets_yuan"]; f.Value != "9507210.55" {
		t.Errorf("total_assets_yuan = %q; want 9507210.55, not the non-current assets' total", f.Value)
	}
	// Wrapped the other way (非流动 / 资产 / 合计), the sheet's total not read: nothing.
	p = wordsPage(1700, 2400,
		[]doc.Word{placed("资产负债表", 600, 100, 900, 60)},
		[]doc.Word{placed("资产", 100, 200, 200, 45), placed("期末余额", 400, 200, 600, 45)},
		[]doc.Word{placed("非流动", 100, 300, 240, 45)},
		[]doc.Word{placed("资产", 100, 350, 190, 45), placed("2,318,400.00", 400, 350, 650, 45)},
		[]doc.Word{placed("合计", 100, 400, 190, 45)},
	)
	fs = newFieldSet(nil)
	readAudit(newDocument([]doc.Page{p}), fs, Options{})
	if f, ok := fs.m["total_assets_yuan"]; ok {
		t.Errorf("total_assets_yuan = %q; want none (the non-current assets' total is not the sheet's)", f.Value)
	}
}

func TestCopulaAfterLabel(t *testing.T) {
	// A report's sentence gives its figures after 为 or 是 (another wording than the generator's
	// form): the copula is no part of the value.
	d := newDocument([]doc.Page{textPage(1, "一、单位概况\n本公司成立于2016年，法定代表人为旦增曲珍拉姆，注册资本是500万元，现有员工28人。")})
	if v, _, ok := d.lookup(lbLegalRep, pPerson); !ok || v != "旦增曲珍拉姆" {
		t.Errorf("legal representative = %q, %v; want 旦增曲珍拉姆", v, ok)
	}
	if v, _, ok := d.lookup(lbCapital, pAmount); !ok || v != "5000000" {
		t.Errorf("registered capital = %q, %v; want 5000000", v, ok)
	}
}

func TestNameReadTwice(t *testing.T) {
	// A signing line whose name the reader gave twice, a seal's glyphs between (a 承诺书's layout).
	for in, want := range map[string]string{
		"日喀则市桑珠孜区农牧技术推广中心技能日喀则市桑珠孜区农牧技术推广中心": "日喀则市桑珠孜区农牧技术推广中心",
		"日喀则市桑珠孜区农牧技术推广中心日喀则市桑珠孜区农牧技术推广中心":   "日喀则市桑珠孜区农牧技术推广中心",
		"拉萨市城关区就业服务局局": "拉萨市城关区就业服务局",
		"西藏西藏文化传播有限公司": "西藏西藏文化传播有限公司", // a repeated start is the name's own
	} {
		if got := dropRepeatedEnd(in); got != want {
			t.Errorf("dropRepeatedEnd(%s) = %s; want %s", in, got, want)
		}
	}
}

func TestCertificateHeadingWrapped(t *testing.T) {
	// A certificate heading too long for its line, its last character alone on the next (a
	// 人力资源服务许可证书 of another wording than the generator's).
	p := wordsPage(1700, 2400,
		[]doc.Word{placed("人力资源服务机构备案证", 300, 200, 1300, 80)},
		[]doc.Word{placed("书", 760, 300, 840, 80)},
		[]doc.Word{placed("证书编号：WX2023-0715", 400, 420, 1200, 45)},
		[]doc.Word{placed("单位名称：西藏雪域人力资源服务有限公司", 200, 520, 1400, 45)},
	)
	fs := newFieldSet(nil)
	readQualification(newDocument([]doc.Page{p}), fs, Options{})
	if got := fs.m["title"].Value; got != "人力资源服务机构备案证书" {
		t.Errorf("title = %q; want 人力资源服务机构备案证书", got)
	}
}

func TestTermWrappedOrAlone(t *testing.T) {
	// A licence whose 营业期限 end date wrapped onto the next line of its cell, and a 社会团体法人登记
	// 证书 whose labels were lost, its period alone on a line.
	wrapped := wordsPage(1700, 2400,
		[]doc.Word{placed("营业执照", 650, 150, 1050, 90)},
		[]doc.Word{placed("名称西藏雅江物流有限公司", 150, 400, 800, 45), placed("营业期限2019年03月01日至2049年02", 900, 400, 1550, 45)},
		[]doc.Word{placed("月28日", 1060, 455, 1200, 45)},
	)
	alone := wordsPage(1700, 2400,
		[]doc.Word{placed("社会团体法人登记证书", 500, 150, 1200, 90)},
		[]doc.Word{placed("西藏日喀则青稞产业协会", 400, 400, 1000, 45)},
		[]doc.Word{placed("成立于2015.04.02", 400, 500, 800, 45)},
		[]doc.Word{placed("自2021.06.30至2026.06.29", 400, 600, 1000, 45)},
	)
	for name, tc := range map[string]struct {
		p    doc.Page
		want string
	}{"wrapped": {wrapped, "2049-02-28"}, "alone": {alone, "2026-06-29"}} {
		fs := newFieldSet(nil)
		readRegistration(newDocument([]doc.Page{tc.p}), fs, Options{})
		if f := fs.m["operating_term_end"]; f.Value != tc.want {
			t.Errorf("%s: operating_term_end = %q; want %s", name, f.Value, tc.want)
		}
	}
}

func TestFirmFormBracketsLost(t *testing.T) {
	// The audit firm's signature with the brackets of its partnership form lost, or the closing one.
	for line, want := range map[string]string{
		"西藏高原天信联合会计师事务所 普通合伙":  "西藏高原天信联合会计师事务所（普通合伙）",
		"立信会计师事务所（特殊普通合伙 拉萨分所": "立信会计师事务所（特殊普通合伙）拉萨分所",
		"立信会计师事务所（特殊普通合伙）拉萨分所": "立信会计师事务所（特殊普通合伙）拉萨分所",
	} {
		fs := newFieldSet(nil)
		readAudit(newDocument([]doc.Page{textPage(1, "审计报告\n我们审计了西藏雪域科技有限公司财务报表。\n"+line+"\n中国注册会计师：王强")}), fs, Options{})
		if got := fs.m["audit_firm"].Value; got != want {
			t.Errorf("%s: audit_firm = %q; want %q", line, got, want)
		}
	}
}

func TestUnitWrappedUnderItsLabel(t *testing.T) {
	// A one-column 资产负债表 whose 金额单位：人民币 wrapped its 万元 to the line under it; the 编制单位
	// of another sheet wrapped a name that begins with 万 and says nothing of the unit.
	for _, tc := range []struct {
		head []string
		want string
	}{
		{[]string{"1500:金额单位：人民币", "100:编制单位：拉萨某某科技有限公司|1500:万元"}, "12497200"},
		{[]string{"100:编制单位：", "100:万象城物业管理有限公司"}, "1249.72"},
	} {
		rows := append(append([]string{"300:资产负债表"}, tc.head...),
			"100:项目|900:期末余额", "100:资产总计|900:1,249.72", "100:负债合计|900:312.43")
		var v string
		for _, f := range readFields("audit_report", newDocument([]doc.Page{gridPage(1, rows...)}), Options{}) {
			if f.Name == "total_assets_yuan" {
				v = f.Value
			}
		}
		if v != tc.want {
			t.Errorf("%v: total assets = %q; want %s", tc.head, v, tc.want)
		}
	}
}

func TestLabelsStackedACharacterALine(t *testing.T) {
	// A 民办非企业单位登记证书 whose narrow label column prints every label a character or two a
	// line (单 / 位名 / 称, 法 / 定 / 代 / 表 / 人, 开 / 办资 / 金), the value beside one of the
	// label's lines, one character misread (住 / 所 read right, 开办资金 as 开办资全).
	col := func(text string, y int) doc.Word { return placed(text, 100, y, 100+40*len([]rune(text)), 40) }
	val := func(text string, y int) doc.Word { return placed(text, 400, y, 400+40*len([]rune(text)), 40) }
	p := wordsPage(1700, 2400,
		[]doc.Word{placed("民办非企业单位登记证书", 500, 100, 1200, 60)},
		[]doc.Word{col("单", 300)},
		[]doc.Word{col("位名", 350), val("拉萨市城关区雪域职业技能培训学校", 350)},
		[]doc.Word{col("称", 400)},
		[]doc.Word{col("法", 480)},
		[]doc.Word{col("定", 530)},
		[]doc.Word{col("代", 580), val("格桑次仁旺堆", 580)},
		[]doc.Word{col("表", 630)},
		[]doc.Word{col("人", 680)},
		[]doc.Word{col("开", 760)},
		[]doc.Word{col("办资", 810), val("人民币伍拾万元整", 810)},
		[]doc.Word{col("全", 860)},
		[]doc.Word{col("住", 940), val("西藏自治区拉萨市城关区金珠西路8号", 940)},
		[]doc.Word{col("所", 990)},
	)
	got := fieldsOf(Extract([]doc.Page{p}))
	for name, want := range map[string]string{
		"org_name": "拉萨市城关区雪域职业技能培训学校", "legal_representative": "格桑次仁旺堆",
		"registered_capital_yuan": "500000", "premises_address": "西藏自治区拉萨市城关区金珠西路8号",
	} {
		if v := got[name].Value; v != want {
			t.Errorf("%s = %q; want %q", name, v, want)
		}
	}
	// A balance sheet's column of short items joins into no label and stays as it was.
	ls := []doc.Line{
		{Words: []doc.Word{col("存货", 300), val("75.87", 300)}},
		{Words: []doc.Word{col("其他", 350), val("12.00", 350)}},
		{Words: []doc.Word{col("合计", 400), val("87.87", 400)}},
	}
	for i := range ls {
		ls[i].Box = ls[i].Words[0].Box.Union(ls[i].Words[1].Box)
	}
	if out := joinStackedLabels(ls); !slices.EqualFunc(out, ls, func(a, b doc.Line) bool { return len(a.Words) == len(b.Words) && a.Words[0].Text == b.Words[0].Text }) {
		t.Errorf("a sheet's items were joined: %+v", out)
	}
}

func TestNameWrappedAroundItsLabel(t *testing.T) {
	// A 民办非企业单位登记证书 whose 名称 cell wrapped the name over two lines, the label centred
	// between them: the name is both lines. A name under its label is not joined with the label.
	p := wordsPage(1700, 2400,
		[]doc.Word{placed("民办非企业单位登记证书", 500, 100, 1200, 60)},
		[]doc.Word{placed("拉萨市城关区雪域职业技能", 400, 300, 880, 45)},
		[]doc.Word{placed("名称", 150, 330, 230, 45)},
		[]doc.Word{placed("培训学校", 400, 365, 560, 45)},
		[]doc.Word{placed("法定代表人", 150, 460, 350, 45), placed("格桑次仁", 400, 460, 560, 45)},
	)
	if got := fieldsOf(Extract([]doc.Page{p}))["org_name"].Value; got != "拉萨市城关区雪域职业技能培训学校" {
		t.Errorf("org_name = %q; want both lines of the cell", got)
	}
	// The same cell in a licence's grid whose row goes on with another label (名称 … 类型 …): the
	// name's second line stands half a line below the label's row.
	p = wordsPage(1700, 2400,
		[]doc.Word{placed("营业执照", 500, 100, 800, 60)},
		[]doc.Word{placed("日喀则市桑珠孜区雪域高原农牧", 400, 300, 960, 45)},
		[]doc.Word{placed("名称", 150, 340, 230, 45), placed("类型", 1000, 340, 1080, 45), placed("有限责任公司(自然人独资)", 1150, 340, 1600, 45)},
		[]doc.Word{placed("科技有限公司", 400, 368, 640, 45)},
	)
	if got := fieldsOf(Extract([]doc.Page{p}))["org_name"].Value; got != "日喀则市桑珠孜区雪域高原农牧科技有限公司" {
		t.Errorf("org_name beside a row of labels = %q; want both lines of the cell", got)
	}
	p = wordsPage(1700, 2400,
		[]doc.Word{placed("营业执照", 500, 100, 800, 60)},
		[]doc.Word{placed("名称", 150, 300, 230, 45)},
		[]doc.Word{placed("西藏高原培训有限公司", 150, 360, 550, 45)},
	)
	if got := fieldsOf(Extract([]doc.Page{p}))["org_name"].Value; got != "西藏高原培训有限公司" {
		t.Errorf("org_name under its label = %q; want the name alone", got)
	}
}

func TestNetAssetsAreNotTotalAssets(t *testing.T) {
	// A 民间非营利组织's one-column 资产负债表 whose 资产总计 amount was not read: its 净资产合计 holds
	// 资产合计 in its words but is the net assets; the total is the liabilities and net assets.
	var got doc.Field
	for _, f := range readFields("audit_report", newDocument([]doc.Page{gridPage(1, "300:资产负债表",
		"100:项目|900:期末数", "100:资产总计", "100:负债合计|900:3,120,000.00", "100:净资产合计|900:9,330,300.00")}), Options{}) {
		if f.Name == "total_assets_yuan" {
			got = f
		}
	}
	if got.Value != "12450300" {
		t.Errorf("total assets = %q; want 12450300 (负债合计 + 净资产合计), not the net assets", got.Value)
	}
}

func TestTermWrappedAroundItsLabel(t *testing.T) {
	// A 民办非企业单位登记证书 whose 有效期限 cell wrapped its term mid-date over two lines, the
	// label centred between them; and a licence's 营业期限 with a dash between the dates.
	for _, tc := range []struct{ first, second, want string }{
		{"自2021年3月1日至2026年2", "月28日", "2026-02-28"},
		{"2019年07月15日—2039年07", "月14日", "2039-07-14"},
	} {
		p := wordsPage(1700, 2400,
			[]doc.Word{placed("民办非企业单位登记证书", 500, 100, 1200, 60)},
			[]doc.Word{placed("法定代表人", 150, 300, 350, 45), placed("次旦", 400, 300, 480, 45)},
			[]doc.Word{placed(tc.first, 900, 385, 1450, 45)},
			[]doc.Word{placed("开办资金", 150, 415, 310, 45), placed("50万元", 400, 415, 520, 45), placed("有效期限", 700, 415, 860, 45)},
			[]doc.Word{placed(tc.second, 905, 445, 1020, 45)},
		)
		if got := fieldsOf(Extract([]doc.Page{p}))["operating_term_end"].Value; got != tc.want {
			t.Errorf("%s / %s: operating_term_end = %q; want %s", tc.first, tc.second, got, tc.want)
		}
	}
}

func TestFunctionInAFirmsName(t *testing.T) {
	// A report that names a partner firm whose name holds a function's words and 有限公司 after them
	// (拉萨创新技术服务有限公司): the firm's 有 is no 有 of a function table.
	fs := newFieldSet(nil)
	readFunctions(newDocument([]doc.Page{textPage(1,
		"平台集聚拉萨创新技术服务有限公司、中国银行西藏分行等服务机构。\n平台具备的服务功能：□信息服务 □技术服务 √培训服务")}), fs)
	if got := fs.m["functions"].Value; got != "training" {
		t.Errorf("functions = %q; want training alone", got)
	}
}

func TestFunctionColumnsRowLabelTouchingItsText(t *testing.T) {
	// Functions as columns whose narrow first column wraps its description, one line of it read
	// together with the row's label at its left (开展情况 and 服务，线下年服 as one cell).
	p := wordsPage(2400, 3400,
		[]doc.Word{placed("功能", 100, 300, 180, 40), placed("信息服务", 300, 300, 460, 40), placed("技术服务", 600, 300, 760, 40),
			placed("创业服务", 900, 300, 1060, 40), placed("培训服务", 1200, 300, 1360, 40), placed("融资服务", 1500, 300, 1660, 40)},
		[]doc.Word{placed("是否具备", 80, 360, 240, 40), placed("√", 360, 360, 380, 40), placed("—", 660, 360, 690, 40),
			placed("—", 960, 360, 990, 40), placed("√", 1260, 360, 1280, 40), placed("—", 1560, 360, 1590, 40)},
		[]doc.Word{placed("发布政策信息", 290, 420, 470, 40), placed("年培训企业", 1190, 420, 1370, 40)},
		[]doc.Word{placed("开展情况", 100, 470, 280, 40), placed("服务,线下年服", 285, 470, 470, 40), placed("1020人次", 1190, 470, 1370, 40)},
		[]doc.Word{placed("务企业28家", 290, 520, 470, 40)},
	)
	fs := newFieldSet(nil)
	if !readFunctionTable(newDocument([]doc.Page{p}), fs) {
		t.Fatal("no function table read")
	}
	for n, v := range map[string]string{"functions": "information,training", "information_offline_smes": "28", "training_trainees": "1020"} {
		if fs.m[n].Value != v {
			t.Errorf("%s = %q; want %q", n, fs.m[n].Value, v)
		}
	}
}

func TestFigureLabelWrappedInItsCell(t *testing.T) {
	// A report's form whose narrow label cells wrapped (合作金融服务 / 机构（个）, 公益性（低收费）
	// 服务 / 比例), each value beside its label's two lines.
	p := wordsPage(1700, 2400,
		[]doc.Word{placed("二、服务能力", 100, 200, 400, 45)},
		[]doc.Word{placed("合作金融服务", 100, 300, 340, 40)},
		[]doc.Word{placed("6", 500, 325, 520, 40)},
		[]doc.Word{placed("机构(个)", 110, 350, 300, 40)},
		[]doc.Word{placed("公益性(低收费)服务", 100, 450, 440, 40)},
		[]doc.Word{placed("35.5%", 500, 475, 600, 40)},
		[]doc.Word{placed("比例", 230, 500, 310, 40)},
	)
	fs := newFieldSet(nil)
	readReport(newDocument([]doc.Page{p}), fs, Options{})
	for n, v := range map[string]string{"partner_institutions": "6", "public_service_share_pct": "35.5"} {
		if fs.m[n].Value != v {
			t.Errorf("%s = %q; want %q", n, fs.m[n].Value, v)
		}
	}
}

func TestFigureContextNearItsKey(t *testing.T) {
	// A function's own figure (融资服务：组织银企对接活动3次) after a heading that says the year
	// (四、服务功能（2024年度）) is not the platform's count of events for the year: the form's
	// 服务活动次数 is.
	fs := newFieldSet(nil)
	readReport(newDocument([]doc.Page{textPage(1, "三、服务业绩\n服务活动次数 12\n四、服务功能及开展情况（2024年度）\n"+
		"平台具备的服务功能：□信息服务□技术服务□创业服务□培训服务√融资服务\n融资服务：组织银企对接活动3次。")}), fs, Options{})
	if got := fs.m["service_events_last_year"].Value; got != "12" {
		t.Errorf("service_events_last_year = %q; want 12", got)
	}
}

func TestTickReadAsAnotherGlyph(t *testing.T) {
	// A 推荐表's row of check boxes whose empty boxes read as 口 and one ticked box as a stray
	// glyph (?, &) or as a box with something in it (回, 日): it holds a tick, not certainly. An
	// ordinal before a name is no tick.
	for _, tc := range []struct{ row, want string }{
		{"服务功能：口信息服务 ?技术服务 口创业服务 √培训服务 口融资服务", "technology,training"},
		{"服务功能：口信息服务 口技术服务 &创业服务 口培训服务 口融资服务", "startup"},
		{"服务功能：回信息服务 口技术服务 口创业服务 日培训服务 口融资服务", "information,training"},
		{"服务功能：1.信息服务 2.技术服务 口创业服务 口培训服务 √融资服务", "financing"},
	} {
		fs := newFieldSet(nil)
		readFunctions(newDocument([]doc.Page{textPage(1, "西藏自治区中小企业公共服务示范平台推荐表\n"+tc.row)}), fs)
		if got := fs.m["functions"].Value; got != tc.want {
			t.Errorf("%s: functions = %q; want %s", tc.row, got, tc.want)
		}
	}
}

func TestBoxRowWrappedOntoTheNextLine(t *testing.T) {
	// A 推荐表 whose row of check boxes wrapped inside its last name (…☑融 / 资服务, …☑融资 / 服务)
	// or before it (… / √融资服务) onto the line under the row, a label beside them.
	for _, tc := range []struct{ row, rest, want string }{
		{"口信息服务口技术服务☑创业服务口培训服务☑融", "资服务", "financing,startup"},
		{"☑信息服务口技术服务口创业服务口培训服务☑融资", "服务", "financing,information"},
		{"口信息服务口技术服务口创业服务☑培训服务", "√融资服务", "financing,training"},
	} {
		p := wordsPage(1700, 2400,
			[]doc.Word{placed("西藏自治区中小企业公共服务示范平台推荐表", 300, 100, 1300, 60)},
			[]doc.Word{placed(tc.row, 500, 400, 500+36*len([]rune(tc.row)), 36)},
			[]doc.Word{placed("服务功能", 250, 430, 400, 36)},
			[]doc.Word{placed(tc.rest, 505, 462, 505+36*len([]rune(tc.rest)), 36)},
		)
		fs := newFieldSet(nil)
		readFunctions(newDocument([]doc.Page{p}), fs)
		if got := fs.m["functions"].Value; got != tc.want {
			t.Errorf("%s / %s: functions = %q; want %s", tc.row, tc.rest, got, tc.want)
		}
	}
}

func TestDateWhoseYearLostNumerals(t *testing.T) {
	// A 表彰决定 signed under its seal, the date's year missing a numeral or a digit (二〇二三 read
	// 二三, 2023 read 223): the one year the document prints that holds what was read. With two
	// such years, nothing.
	for _, tc := range []struct{ body, date, want string }{
		{"关于表彰2023年度优秀中小企业服务机构的决定", "二三年十二月八日", "2023-12-08"},
		{"关于表彰2023年度优秀中小企业服务机构的决定", "223年12月8日", "2023-12-08"},
		{"根据2022年工作安排，现对2023年度优秀中小企业服务机构予以表彰", "二二年十二月八日", ""},
	} {
		d := newDocument([]doc.Page{gridPage(1, "300:"+tc.body, "200:一、拉萨高原商贸有限公司", "1100:拉萨市经济和信息化局", "1100:"+tc.date)})
		v, _, _ := d.lastDate()
		if v != tc.want {
			t.Errorf("%s / %s: lastDate = %q; want %q", tc.body, tc.date, v, tc.want)
		}
	}
}

func TestAuthorityNearTheRegion(t *testing.T) {
	// A 推荐表 of an application made through 山南市, its recommender's place read with a character
	// wrong (山雨市, 出南市): the region's name — the recommender is the region's. Without the region,
	// nothing is restored; on another kind of document, a first character wrong is another place.
	for _, tc := range []struct{ read, region, want string }{
		{"山雨市经济和信息化局", "山南市", "山南市经济和信息化局"},
		{"山雨市经济和信息化局", "", "山雨市经济和信息化局"},
		{"出南市经济和信息化局", "山南市", "山南市经济和信息化局"}, // the recommender is the region's
		{"山南市经济和信息化局", "山南市", "山南市经济和信息化局"},
	} {
		got := fieldsOf(ExtractWith([]doc.Page{textPage(1, "西藏自治区中小企业公共服务示范平台推荐表\n平台名称 山南雅砻中小企业服务平台\n推荐单位 "+tc.read+"\n2024年5月6日")}, Options{Region: tc.region}))
		if v := got["issuer"].Value; v != tc.want {
			t.Errorf("%s in %q: issuer = %q; want %q", tc.read, tc.region, v, tc.want)
		}
	}
}

func TestNameWrappedAboveItsLabelsRow(t *testing.T) {
	// A licence whose 名称 cell wrapped the name's beginning above the label's row, the rest beside
	// the label on its own row; a 不动产权证书 whose number stands above the owner's name, and is no
	// part of it.
	p := wordsPage(1700, 2400,
		[]doc.Word{placed("营业执照", 600, 100, 900, 60)},
		[]doc.Word{placed("山南雅砻河谷农牧科技有限", 500, 300, 980, 45)},
		[]doc.Word{placed("名称", 320, 335, 400, 45), placed("责任公司", 500, 335, 660, 45), placed("类型", 1020, 335, 1100, 45)},
	)
	if got := fieldsOf(Extract([]doc.Page{p}))["org_name"].Value; got != "山南雅砻河谷农牧科技有限责任公司" {
		t.Errorf("org_name = %q; want both lines of the cell", got)
	}
	p = wordsPage(1700, 2400,
		[]doc.Word{placed("不动产权证书", 600, 100, 900, 60)},
		[]doc.Word{placed("藏(2021)山南市不动产权第0012345号", 500, 300, 1200, 45)},
		[]doc.Word{placed("权利人", 300, 335, 420, 45), placed("山南雅砻河谷农牧科技有限公司", 500, 335, 1000, 45)},
	)
	if got := fieldsOf(Extract([]doc.Page{p}))["lessee"].Value; got != "山南雅砻河谷农牧科技有限公司" {
		t.Errorf("lessee = %q; want the owner's name alone", got)
	}
}

func TestDeclaredNameReadWellElsewhere(t *testing.T) {
	// A report whose 申请单位 line garbled the applicant's name (three characters in thirteen), which its
	// signature prints whole: the declared name, for a person to confirm.
	p := textPage(1, "西藏自治区中小企业公共服务示范平台申请报告\n申请单位：山南八所贸有限责任公司\n一、单位概况\n本单位成立于2018年。\n申请单位（盖章）：山南八廓街商贸有限责任公司")
	got := fieldsOf(ExtractWith([]doc.Page{p}, Declared("山南八廓街商贸有限责任公司", "")))["org_name"]
	if got.Value != "山南八廓街商贸有限责任公司" || got.Confidence >= doc.SureConfidence {
		t.Errorf("org_name = %q at %.2f; want the declared name below certainty", got.Value, got.Confidence)
	}
}

func TestCountGroupedByThousands(t *testing.T) {
	// A report that groups a count's thousands (1,020人次): the comma is no clause's end.
	fs := newFieldSet(nil)
	readReport(newDocument([]doc.Page{textPage(1, "三、服务业绩\n2024年全年累计培训企业员工1,020人次，全年组织对接活动12场。")}), fs, Options{})
	for n, v := range map[string]string{"trainees_last_year": "1020", "service_events_last_year": "12"} {
		if fs.m[n].Value != v {
			t.Errorf("%s = %q; want %s", n, fs.m[n].Value, v)
		}
	}
}

func TestServiceFigureOfAFewYuan(t *testing.T) {
	// A 专项审计 whose spending total lost all but its last digits (51 for 5,795,100.51): a platform's
	// year of service costs more than a thousand yuan, so the figure is not certain.
	fs := newFieldSet(nil)
	fs.set("service_expense_yuan", "51", evidence{conf: 0.99})
	fs.set("service_revenue_yuan", "6812400", evidence{conf: 0.99})
	checkValues(fs)
	if f := fs.m["service_expense_yuan"]; f.Confidence >= doc.SureConfidence || !slices.Contains(f.Flags, "implausible") {
		t.Errorf("service spending of 51 yuan at %.2f %v; want it implausible, below certainty", f.Confidence, f.Flags)
	}
	if f := fs.m["service_revenue_yuan"]; f.Confidence < doc.SureConfidence {
		t.Errorf("service income of 6,812,400 yuan at %.2f; want it kept", f.Confidence)
	}
}

func TestCertificateWhoseLabelsWereNotRead(t *testing.T) {
	// A 基金会法人登记证书 whose labels the reader turned to stray glyphs: each value by what it is.
	// The date under 登记管理机关 is the date of issue, the term's dates are the term's.
	rows := []string{"500:基金会法人登记证书", "700:证号：第01234号",
		"100:浪|400:西藏雪域公益助学基金会", "100:鄂|400:53540000MJ0012345X",
		"100:褥|400:人民币贰佰万元整", "100:晒|400:卓嘎央宗", "100:馨|400:西藏自治区拉萨市城关区北京中路8号",
		"100:珊|400:2012年06月18日", "100:囊|400:自2021年05月01日至2026年04月30日",
		"1200:登记管理机关", "1200:2021年05月01日"}
	want := map[string]string{"registered_capital_yuan": "2000000", "legal_representative": "卓嘎央宗", "established_date": "2012-06-18"}
	got := fieldsOf(Extract([]doc.Page{gridPage(1, rows...)}))
	for n, v := range want {
		if f := got[n]; f.Value != v || f.Confidence >= doc.SureConfidence {
			t.Errorf("%s = %q at %.2f; want %s below certainty", n, f.Value, f.Confidence, v)
		}
	}
	// Two names alone: which one is the legal representative is not known.
	rows = append(rows[:len(rows):len(rows)], "100:馥|400:格桑次仁")
	if f, ok := fieldsOf(Extract([]doc.Page{gridPage(1, rows...)}))["legal_representative"]; ok {
		t.Errorf("legal_representative = %q; want none of two names", f.Value)
	}
}

func TestAddressAfterALabelsGlyphs(t *testing.T) {
	// An address read with a few glyphs of the label column before its province (所, 期, 办一统佛囊):
	// the address begins with the province. A place before it that is part of it stays.
	for _, tc := range []struct{ read, want string }{
		{"所四川省成都市武侯区人民南路四段9号", "四川省成都市武侯区人民南路四段9号"},
		{"办一统佛囊西藏自治区林芝市巴宜区双拥路8号", "西藏自治区林芝市巴宜区双拥路8号"},
		{"西藏自治区拉萨市城关区北京中路8号", "西藏自治区拉萨市城关区北京中路8号"},
		{"中国西藏自治区拉萨市城关区北京中路8号", "西藏自治区拉萨市城关区北京中路8号"},
		{"拉萨市城关区西藏自治区人民医院内", "拉萨市城关区西藏自治区人民医院内"},
	} {
		if got := dropLeadBeforeProvince(tc.read); got != tc.want {
			t.Errorf("dropLeadBeforeProvince(%s) = %s; want %s", tc.read, got, tc.want)
		}
	}
}

func TestIssuerOfARecognitionNearTheRegion(t *testing.T) {
	// A recognition issued by an authority whose place differs from the region in its first
	// character is another place's (成都市 is not 昌都市); in an inner one, a misreading (昌部市).
	for _, tc := range []struct{ read, want string }{
		{"成都市经济和信息化局", "成都市经济和信息化局"},
		{"昌部市经济和信息化局", "昌都市经济和信息化局"},
	} {
		if got, _ := nearRegion(tc.read, "昌都市", false); got != tc.want {
			t.Errorf("nearRegion(%s) = %s; want %s", tc.read, got, tc.want)
		}
	}
}

func TestRecommenderOnlyInItsSeal(t *testing.T) {
	// A 推荐表 whose 推荐单位（盖章） line is blank but for the seal: the recommender is read round it.
	p := textPage(1, "西藏自治区中小企业公共服务示范平台推荐表\n服务平台名称 林芝雪域创业服务平台\n推荐单位意见\n同意推荐。\n推荐单位（盖章）：\n2024年5月6日")
	p.SealTexts = []doc.SealText{{Text: "林芝市经济和信息化局", Confidence: 0.95, Box: doc.Box{X0: 1200, Y0: 150, X1: 1500, Y1: 450}}}
	p.Seals = []doc.Box{{X0: 1200, Y0: 150, X1: 1500, Y1: 450}}
	f := fieldsOf(Extract([]doc.Page{p}))["issuer"]
	if f.Value != "林芝市经济和信息化局" || f.Confidence >= doc.SureConfidence {
		t.Errorf("issuer = %q at %.2f; want the seal's authority below certainty", f.Value, f.Confidence)
	}
}

func TestFirmFormMisread(t *testing.T) {
	// A firm's partnership form read with characters wrong or lost: the form. Another bracket stays.
	for _, tc := range []struct{ read, want string }{
		{"四川华信会计师事务所（普道伙）", "四川华信会计师事务所（普通合伙）"},
		{"中审众环会计师事务所(特殊普通合秋)", "中审众环会计师事务所(特殊普通合伙)"},
		{"西藏德信会计师事务所（普通合伙）", "西藏德信会计师事务所（普通合伙）"},
		{"西藏德信会计师事务所（拉萨分所）", "西藏德信会计师事务所（拉萨分所）"},
	} {
		if got, _ := fixFirmForm(tc.read); got != tc.want {
			t.Errorf("fixFirmForm(%s) = %s; want %s", tc.read, got, tc.want)
		}
	}
}
