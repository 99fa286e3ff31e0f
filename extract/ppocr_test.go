package extract

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"shenbao/doc"
)

// Layouts as PP-OCR gives them: one word per printed text box, rows grouped by vertical overlap,
// so that a table comes out as rows of cells, a wrapped cell as two lines, and a turned scan as
// cells that drift up or down across the page. Boxes are made by hand, not copied from a corpus page.

// wd is a word at x0,y0 as wide as its text (a CJK character 40 px, other runes 22 px), 44 px high.
func wd(text string, x0, y0 int, conf float64) doc.Word {
	w := 0
	for _, r := range text {
		if isWide(r) || r > 0x2000 {
			w += 40
		} else {
			w += 22
		}
	}
	return doc.Word{Text: text, Box: doc.Box{X0: x0, Y0: y0, X1: x0 + w, Y1: y0 + 44}, Confidence: conf}
}

// rows makes a page of lines, each line the words given.
func rows(ls ...[]doc.Word) doc.Page {
	p := doc.Page{Number: 1, Width: 1700, Height: 2400, DPI: 200, Source: doc.SourceOCR}
	for _, ws := range ls {
		l := doc.Line{Words: ws}
		for _, w := range ws {
			l.Box = l.Box.Union(w.Box)
		}
		p.Lines = append(p.Lines, l)
	}
	return p
}

func ln(ws ...doc.Word) []doc.Word { return ws }

func extracted(t *testing.T, pages ...doc.Page) map[string]string {
	t.Helper()
	return fieldMap(Extract(pages).Fields)
}

// The report's 服务功能 table: a description wrapped over two lines is read half above its
// function's name and half below; √ is read as V or <, — as 1 or I, or not at all.
func TestFunctionTableDescriptionsStraddleRows(t *testing.T) {
	p := rows(
		ln(wd("附件2", 200, 100, 1)),
		ln(wd("申请报告", 700, 160, 1)),
		ln(wd("四、服务功能（2023年度）", 200, 220, 1)),
		ln(wd("服务功能", 240, 290, 1), wd("是否具备", 420, 292, 1)),
		ln(wd("年度服务开展情况", 900, 300, 1)),
		// 信息服务: ticked, its description in two lines around the name
		ln(wd("建成线上信息服务平台，线下服务企业88家，组织政策宣讲、信息发", 560, 360, 0.99)),
		ln(wd("信息服务", 240, 384, 1)),
		ln(wd("布等服务活动3次。", 560, 410, 1)),
		// 技术服务: dashes read as - and 1
		ln(wd("技术服务", 238, 470, 1), wd("-", 440, 474, 0.41), wd("1", 560, 476, 0.86)),
		// 创业服务: the tick read as V on the row of the description's second line
		ln(wd("开展创业项目洽谈、推介活动5次，为23家初创企业提供创业辅导和政", 560, 535, 1)),
		ln(wd("创业服务", 236, 560, 1)),
		ln(wd("V", 440, 570, 0.64), wd("务代理服务。", 560, 588, 1)),
		// 培训服务: a dash read as I; 融资服务: ticked, read as <
		ln(wd("培训服务", 234, 650, 1)),
		ln(wd("I", 560, 660, 0.3)),
		ln(wd("融资服务", 232, 730, 1), wd("<", 440, 726, 0.55), wd("组织银企对接活动4次、融资知识讲座1次，服务企业38家。", 560, 712, 1)),
		ln(wd("2023年，平台共组织开展各类服务活动12次，累计培训305人次。", 260, 800, 1)),
	)
	got := extracted(t, p)
	want := map[string]string{
		"functions":                "financing,information,startup",
		"information_offline_smes": "88", "information_events": "3", "startup_events": "5",
		"financing_matchmaking_events": "4", "financing_lectures": "1",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q; want %q", k, got[k], v)
		}
	}
	for _, k := range []string{"technology_events", "training_trainees"} {
		if v, ok := got[k]; ok {
			t.Errorf("%s = %q for an unclaimed function; want none", k, v)
		}
	}
}

// A row of check boxes marks each function before its name: what follows a name is the next one's
// box, even when the box before a name was not read.
func TestCheckBoxRowMarksPrecedeNames(t *testing.T) {
	p := rows(
		ln(wd("西藏自治区中小企业公共服务示范平台推荐表", 400, 100, 1)),
		ln(wd("申报单位名称", 200, 200, 1), wd("西藏某某科技有限公司", 500, 200, 1)),
		ln(wd("平台服务功能", 200, 300, 1), wd("口信息服务", 500, 300, 1), wd("√技术服务", 720, 300, 1),
			wd("培训服务", 950, 300, 1), wd("√融资服务", 1130, 300, 1)),
	)
	if got := extracted(t, p)["functions"]; got != "financing,technology" {
		t.Errorf("functions = %q; want financing,technology", got)
	}
}

// The signing body's name runs under the red seal: its end is lost, or read with a wrong glyph.
func TestRecommenderNameUnderSeal(t *testing.T) {
	for _, tc := range []struct{ signed, want string }{
		{"推荐单位（盖章）：某某市经济和信", "某某市经济和信息化局"},
		{"推荐单位（盖章）：某某市经济和信息花局", "某某市经济和信息化局"},
		{"推荐单位（盖章）：西藏某某工业园区", "西藏某某工业园区管理委员会"},
		{"推荐单位（盖章）：西藏自治区经济和信息化厅", "西藏自治区经济和信息化厅"},
	} {
		p := rows(
			ln(wd("西藏自治区中小企业公共服务示范平台推荐表", 400, 100, 1)),
			ln(wd("申报单位名称", 200, 200, 1), wd("西藏某某科技有限公司", 500, 200, 1)),
			ln(wd("推荐单位意见", 200, 600, 1)),
			ln(wd(tc.signed, 900, 700, 0.97)),
			ln(wd("二〇二四年五月八百", 1000, 860, 0.93)),
		)
		got := extracted(t, p)
		if got["issuer"] != tc.want {
			t.Errorf("%s: issuer = %q; want %q", tc.signed, got["issuer"], tc.want)
		}
		if got["issue_date"] != "2024-05-08" {
			t.Errorf("%s: issue_date = %q; want 2024-05-08 (日 misread as 百)", tc.signed, got["issue_date"])
		}
	}
}

// A name wrapped under its label, with a glyph of the seal nearer than the name's rest.
func TestWrappedNameUnderLabel(t *testing.T) {
	p := rows(
		ln(wd("申报材料真实性声明", 600, 300, 1)),
		ln(wd("特此声明。", 370, 1300, 1)),
		ln(wd("申报单位", 880, 1620, 1), wd("（公章）：", 1050, 1614, 0.9), wd("西藏某某信息技术有", 1240, 1600, 0.99)),
		ln(wd("路", 1180, 1650, 1)),
		ln(wd("限公司", 884, 1690, 1)),
		ln(wd("统一社会信用代码：", 884, 1820, 1)),
		ln(wd("91540102MA6TKJPG5T", 884, 1880, 1)),
		ln(wd("日期：2024年5月16日", 884, 1960, 1)),
	)
	if got := extracted(t, p)["org_name"]; got != "西藏某某信息技术有限公司" {
		t.Errorf("org_name = %q; want 西藏某某信息技术有限公司", got)
	}
}

// A licence: the address's rest stands below it in a row that OCR joined with the next column's
// text; a 证照编号 printed near the 统一社会信用代码 is not the code.
func TestLicenceWrappedAddressAndCertificateNumber(t *testing.T) {
	p := rows(
		ln(wd("统一社会信用代码", 200, 110, 1)),
		ln(wd("证照编号：540102134049073561", 1860, 150, 1)),
		ln(wd("91540102MA6TKJPG5T", 200, 162, 0.99)),
		ln(wd("营业执照", 920, 320, 0.94)),
		ln(wd("名称", 480, 560, 1), wd("西藏某某检测技术有限公司", 680, 566, 1)),
		ln(wd("成立日期", 1420, 680, 1), wd("2017年2月22日", 1610, 686, 1)),
		ln(wd("让、技术推广；检验检测服务；知识", 670, 850, 1), wd("住所", 1410, 836, 1), wd("西藏自治区拉萨市城关区某某北路", 1600, 846, 0.99)),
		ln(wd("计服务；科技中介服务；信息系统", 670, 894, 1), wd("163号", 1604, 900, 1)),
		ln(wd("登记机关", 1530, 1370, 1)),
	)
	got := extracted(t, p)
	if got["credit_code"] != "91540102MA6TKJPG5T" {
		t.Errorf("credit_code = %q; want 91540102MA6TKJPG5T", got["credit_code"])
	}
	if got["premises_address"] != "西藏自治区拉萨市城关区某某北路163号" {
		t.Errorf("premises_address = %q; want 西藏自治区拉萨市城关区某某北路163号", got["premises_address"])
	}
}

// slanted lays out rows of (text, x) cells on a page turned by slope s (about its top left corner):
// a cell printed at x, y is read at x − s·y, y + s·x, and a turned word's box is as tall as its
// text plus its width times the slope.
func slanted(s float64, y0, pitch int, cells ...[]struct {
	text string
	x    int
}) []doc.Line {
	var out []doc.Line
	for i, row := range cells {
		for _, c := range row {
			y := y0 + i*pitch
			w := wd(c.text, c.x-int(s*float64(y)), y+int(s*float64(c.x)), 0.98)
			if d := int(s * float64(w.Box.W())); d > 0 {
				w.Box.Y1 += d
			} else {
				w.Box.Y0 += d
			}
			out = append(out, doc.Line{Words: []doc.Word{w}, Box: w.Box})
		}
	}
	return out
}

type cl = struct {
	text string
	x    int
}

// The special audit's table on a page turned by 2.6°: each amount stands nearer the next row's label
// than its own.
func TestSlantedTableRowsLevelled(t *testing.T) {
	for _, s := range []float64{0.045, -0.045} {
		p := doc.Page{Number: 1, Width: 1700, Height: 2400, Source: doc.SourceOCR}
		p.Lines = append(p.Lines, slanted(s, 200, 80,
			[]cl{{"服务收支情况专项审计报告", 500}},
			[]cl{{"我们接受委托，对西藏某某科技有限公司2023年度服务收支情况进行", 200}},
			[]cl{{"了专项审计。按照《认定管理办法》的要求，现将服务收支情况报告如下：", 200}},
			[]cl{{"项目", 200}, {"金额（元）", 1300}},
			[]cl{{"一、服务收入", 200}},
			[]cl{{"信息咨询服务收入", 200}, {"668,293.85", 1300}},
			[]cl{{"培训服务收入", 200}, {"708,785.90", 1300}},
			[]cl{{"服务收入合计", 200}, {"1,377,079.75", 1300}},
			[]cl{{"二、服务支出", 200}},
			[]cl{{"人员费用", 200}, {"603,796.30", 1300}},
			[]cl{{"活动组织费用", 200}, {"638,710.23", 1300}},
			[]cl{{"服务支出合计", 200}, {"1,242,506.53", 1300}},
			[]cl{{"三、服务收支结余", 200}, {"134,573.22", 1300}},
			[]cl{{"西藏某某会计师事务所（特殊普通合伙）", 200}},
		)...)
		cover := rows(ln(wd("审计报告", 700, 300, 1)), ln(wd("西藏某某会计师事务所（特殊普通合伙）", 500, 900, 1)))
		cover.Number, p.Number = 1, 2
		got := extracted(t, cover, p)
		if got["service_revenue_yuan"] != "1377079.75" || got["service_expense_yuan"] != "1242506.53" {
			t.Errorf("slope %.3f: service revenue, expense = %q, %q; want 1377079.75, 1242506.53",
				s, got["service_revenue_yuan"], got["service_expense_yuan"])
		}
	}
}

func TestPageSkew(t *testing.T) {
	for _, s := range []float64{0, 0.03, -0.05} {
		p := doc.Page{Width: 1700}
		p.Lines = slanted(s, 300, 60,
			[]cl{{"货币资金", 130}, {"1", 390}, {"2,035,830.52", 480}, {"1,679,098.28", 680}, {"短期借款", 830}, {"41", 1150}, {"184,386.76", 1260}},
			[]cl{{"应收账款", 130}, {"2", 390}, {"707,144.22", 480}, {"878,637.59", 680}, {"应付账款", 830}, {"42", 1150}, {"529,173.27", 1260}},
			[]cl{{"预付款项", 130}, {"3", 390}, {"181,263.06", 480}, {"161,851.23", 680}, {"预收款项", 830}, {"43", 1150}, {"324,852.67", 1260}},
			[]cl{{"存货", 130}, {"4", 390}, {"242,980.81", 480}, {"167,931.74", 680}, {"应交税费", 830}, {"44", 1150}, {"133,613.74", 1260}},
		)
		if got := pageSkew(p); got < s-0.006 || got > s+0.006 {
			t.Errorf("pageSkew of a table turned by slope %.3f = %.3f", s, got)
		}
	}
}

// Numbers cut in two boxes inside a sentence; an amount with a digit lost is not read at all.
func TestNumbersAcrossBoxes(t *testing.T) {
	p := rows(
		ln(wd("附件2", 200, 100, 1)),
		ln(wd("申请报告", 700, 160, 1)),
		ln(wd("申报单位基本情况", 200, 240, 1)),
		ln(wd("2022年服务中小企业80家，2023年服务中小企业94家，服务企业数量稳步增长，用户", 200, 400, 1)),
		ln(wd("满意度为9", 200, 460, 1), wd("4．2", 382+26, 462, 0.82), wd("%。", 408+84+22, 462, 0.81)),
	)
	if got := extracted(t, p)["satisfaction_pct"]; got != "94.2" {
		t.Errorf("satisfaction_pct = %q; want 94.2", got)
	}
	audit := rows(
		ln(wd("服务收支情况专项审计报告", 500, 100, 1)),
		ln(wd("西藏某某会计师事务所", 500, 160, 1)),
		ln(wd("服务收入合计", 200, 300, 1), wd("3,540,471.78", 1300, 300, 0.97)),
		ln(wd("服务支出合计", 200, 380, 1), wd("1,626,8.80", 1300, 380, 0.79)),
	)
	got := extracted(t, audit)
	if got["service_revenue_yuan"] != "3540471.78" {
		t.Errorf("service_revenue_yuan = %q; want 3540471.78", got["service_revenue_yuan"])
	}
	if v, ok := got["service_expense_yuan"]; ok {
		t.Errorf("service_expense_yuan = %q from 1,626,8.80; want none", v)
	}
}

// A stamp's fragments read as low-confidence specks and vertical text do not join a row.
func TestSpecksAndVerticalTextStayOffRows(t *testing.T) {
	stamp := doc.Word{Text: "有限公司", Box: doc.Box{X0: 520, Y0: 760, X1: 571, Y1: 902}, Confidence: 1}
	p := rows(
		ln(wd("工作简报", 500, 100, 1)),
		ln(wd("S", 150, 300, 0.18), wd("西藏某某科技有限公司", 209, 300, 1)),
		ln(stamp),
		ln(wd("拉萨某某服务有限公司", 600, 800, 1)),
		ln(wd("2023年，我单位全年累计服务中小企业45家，组织开展各类服务活动7次。", 200, 1000, 1)),
	)
	d := newDocument([]doc.Page{p})
	for _, l := range d.lines {
		if l.text == "S 西藏某某科技有限公司" || l.text == "S西藏某某科技有限公司" || l.text == "有限公司拉萨某某服务有限公司" {
			t.Errorf("line %q joins a stamp's fragment", l.text)
		}
	}
	if got := extracted(t, p)["org_name"]; got != "西藏某某科技有限公司" {
		t.Errorf("org_name = %q; want 西藏某某科技有限公司", got)
	}
}

func TestSplitNumber(t *testing.T) {
	for _, tc := range []struct {
		before, word string
		want         bool
	}{
		{"满意度为9", "4.2", true},
		{"94.", "2%", true},
		{"9", "%", true},
		{"资产总计 11", "997,650.42", false}, // a line number before an amount
		{"10,820,346.45", "10,162.00", false},
		{"2023年", "12", false},
	} {
		if got := splitNumber([]rune(tc.before), []rune(tc.word)); got != tc.want {
			t.Errorf("splitNumber(%q, %q) = %v; want %v", tc.before, tc.word, got, tc.want)
		}
	}
	_ = cmp.Diff
}

// A label that wraps in its cell (统一社会信用代 / 码) and lands on one row with its value does not
// take the value's first digit for its missing last character.
func TestWrappedLabelKeepsValue(t *testing.T) {
	const code = "91540102MA6TKJPG5T"
	for _, text := range []string{"统一社会信用代" + code} { // matched on the line's text without spaces
		got := trimValue([]rune(text), []rune("统一社会信用代码"), hit{0, 8, 1})
		if got.end != 7 {
			t.Errorf("%s: label ends at %d; want 7", text, got.end)
		}
	}
	if got := trimValue([]rune("统一社会信用代码9"), []rune("统一社会信用代码"), hit{0, 8, 0}); got.end != 8 {
		t.Errorf("an exact label: ends at %d; want 8", got.end)
	}
}

// A 万元 amount with decimals is a rounded yuan figure; round 万元 and yuan amounts are not.
func TestRoundedWan(t *testing.T) {
	for _, tc := range []struct {
		printed string
		unit    float64
		want    bool
	}{
		{"1010.27万元", 1, true}, {"1010.27", 10000, true}, {"500万元", 1, false},
		{"1,234,567.89", 1, false}, {"1,234,567.89元", 1, false},
	} {
		if got := roundedWan(tc.printed, tc.unit); got != tc.want {
			t.Errorf("roundedWan(%q, %v) = %v; want %v", tc.printed, tc.unit, got, tc.want)
		}
	}
}

// TestStrayGlyph: a glyph read before or after the declared name is dropped; names that merely
// begin with a Tibetan place name, or differ otherwise, are kept as read.
func TestStrayGlyph(t *testing.T) {
	declared := []string{"西藏帕里信息技术有限公司", "中山南路商贸有限公司", "驻拉萨办事处"}
	for in, want := range map[string]string{
		"意西藏帕里信息技术有限公司":  "西藏帕里信息技术有限公司", // a seal's glyph before the name
		"西藏帕里信息技术有限公司章":  "西藏帕里信息技术有限公司", // and after it
		"中山南路商贸有限公司":     "",             // the declared name itself: nothing to drop
		"山南路商贸有限公司":      "",             // shorter: not a stray glyph
		"驻拉萨办事处":         "",
		"喀日喀则扎西财税服务有限公司": "", // not a declared name: left as read
		"西藏帕里信息技术有限责任公司": "", // a real difference, for the checklist
	} {
		got, ok := strayGlyph(in, declared)
		if ok != (want != "") || got != want {
			t.Errorf("strayGlyph(%s) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
