package normalize

import (
	"math"
	"testing"
)

func TestAmount(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"500万元", 5000000, true},
		{"５００万元", 5000000, true},
		{"1010.27万元", 10102700, true},
		{"1,234,567.89", 1234567.89, true},
		{"10,102,709.34元", 10102709.34, true},
		{"3.000.000.00元", 3000000, true}, // commas read as dots
		{"12.500.000元", 12500000, true},
		{"1.234.56元", 1234.56, true},
		{"2021.03.30", 2021.03, true}, // not a dotted number: the first number as before
		{"7,974,256.52元", 7974256.52, true},
		{"7.95811459", 7958114.59, true},       // separators misread: no amount in yuan has 5 decimals
		{"支出合计 18.6420030元", 1864200.30, true}, // the same in a sentence
		{"3.1415", 3.14, true},                 // four decimals: left as read
		{"人民币伍拾万元整", 500000, true},
		{"伍佰万元整", 5000000, true},
		{"人民币壹佰贰拾万元整", 1200000, true},
		{"壹仟万元整", 10000000, true},
		{"人民币叁万元整", 30000, true},
		{"壹拾贰万元整", 120000, true},
		{"壹仟零伍拾万元整", 10500000, true},
		{"壹万肆仟壹佰捌拾贰元柒角贰分", 14182.72, true},
		{"贰佰元零伍分", 200.05, true},
		{"一百万", 1000000, true},
		{"一百万元", 1000000, true},
		{"拾万元", 100000, true},
		{"¥14182.72", 14182.72, true},
		{"人民币 500 万元", 5000000, true},
		{"1.5亿元", 150000000, true},
		{"120,000.00元（大写：壹拾贰万元整）", 120000, true},
		{"（大写：壹拾贰万元整）120,000.00元", 120000, true},
		{"单位：元", 0, false},
		{"", 0, false},
		{"整", 0, false},
		{"万元", 0, false},
	}
	for _, tt := range tests {
		got, ok := Amount(tt.in)
		if ok != tt.ok || math.Abs(got-tt.want) > 1e-6 {
			t.Errorf("Amount(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSpacedDate(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"2020 05 04", "2020-05-04"},
		{"：2019  11 30 有效", "2019-11-30"},
		{"2020 5 4", ""},     // figures that need not be a date
		{"共 2020 05 04", ""}, // not at the value's start
		{"2020 13 04", ""},   // no thirteenth month
		{"2020 02 30", ""},   // nor such a day
	} {
		m, ok := SpacedDate(tc.in)
		if got := map[bool]string{true: m.Value}[ok]; got != tc.want {
			t.Errorf("SpacedDate(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestAmountIn(t *testing.T) {
	if got, _ := AmountIn("1010.27", 10000); got != 10102700 {
		t.Errorf("AmountIn(1010.27, 万) = %v; want 10102700", got)
	}
	if got, _ := AmountIn("500元", 10000); got != 500 {
		t.Errorf("AmountIn(500元, 万) = %v; want 500", got)
	}
}

func TestChineseInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"十", 10, true}, {"十二", 12, true}, {"二十一", 21, true}, {"一百零五", 105, true},
		{"壹佰贰拾", 120, true}, {"两千", 2000, true}, {"三万五千", 35000, true},
		{"一亿二千万", 120000000, true}, {"零", 0, true}, {"", 0, false}, {"万", 0, false}, {"abc", 0, false},
	}
	for _, tt := range tests {
		got, ok := ChineseInt(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ChineseInt(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestPercentAreaInteger(t *testing.T) {
	pct := []struct {
		in   string
		want float64
	}{
		{"93%", 93}, {"９４．２％", 94.2}, {"87.00%", 87}, {"占比39.4%", 39.4}, {"百分之八十", 80}, {"百分之九十三点五", 93.5},
	}
	for _, tt := range pct {
		if got, ok := Percent(tt.in); !ok || got != tt.want {
			t.Errorf("Percent(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
	for _, in := range []string{"%06", "％5"} { // the sign before the digits: a misreading
		if got, ok := Percent(in); ok {
			t.Errorf("Percent(%q) = %v; want no share", in, got)
		}
	}
	area := []struct {
		in   string
		want float64
	}{
		{"305.75平方米", 305.75}, {"房屋建筑面积295.72㎡", 295.72}, {"1,187.16 m²", 1187.16}, {"185.30平米", 185.3}, {"576.40", 576.4},
	}
	for _, tt := range area {
		if got, ok := Area(tt.in); !ok || got != tt.want {
			t.Errorf("Area(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
	ints := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"19人", 19, true}, {"１１２家", 112, true}, {"十二次", 12, true}, {"1,442人次", 1442, true}, {"3.5", 0, false}, {"无", 0, false},
	}
	for _, tt := range ints {
		if got, ok := Integer(tt.in); ok != tt.ok || got != tt.want {
			t.Errorf("Integer(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for in, want := range map[float64]string{1000000: "1000000", 93.5: "93.5", 10102709.34: "10102709.34", 0.1 + 0.2: "0.3"} {
		if got := FormatNumber(in); got != want {
			t.Errorf("FormatNumber(%v) = %q; want %q", in, got, want)
		}
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"2023年3月5日", "2023-03-05", true},
		{"2023年03月05日", "2023-03-05", true},
		{"2023-03-05", "2023-03-05", true},
		{"2023.03.05", "2023-03-05", true},
		{"2023/3/5", "2023-03-05", true},
		{"２０２３年３月５日", "2023-03-05", true},
		{"2023 年 3 月 5 日", "2023-03-05", true},
		{"二〇二三年三月五日", "2023-03-05", true},
		{"二〇一三年三月廿二日", "2013-03-22", true}, {"二〇一九年十月卅日", "2019-10-30", true},
		{"二O二四年五月二十六日", "2024-05-26", true},
		{"二零二一年十月三十一日", "2021-10-31", true},
		{"日期：二〇二四年四月三十日", "2024-04-30", true},
		{"长期", "长期", true},
		{"2016年10月20日至长期", "2016-10-20", true},
		{"2023年2月30日", "", false},
		{"2023年13月1日", "", false},
		{"2023年度", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := Date(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("Date(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestTermEnd(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2017年2月22日 至 2047年2月21日", "2047-02-21"},
		{"2016年10月20日至长期", "长期"},
		{"长期", "长期"},
		{"自2020年11月15日至2025年11月14日", "2025-11-14"},
		{"有效期至：二〇二八年五月十三日", "2028-05-13"},
	}
	for _, tt := range tests {
		if got, ok := TermEnd(tt.in); !ok || got != tt.want {
			t.Errorf("TermEnd(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"西藏天诚会计师事务所(特殊普通合伙)", "西藏天诚会计师事务所（特殊普通合伙）"},
		{" 西 藏 帕 里 信 息 技 术 有 限 公 司 ", "西藏帕里信息技术有限公司"},
		{"：西藏帕里信息技术有限公司。", "西藏帕里信息技术有限公司"},
		{"ＡＢＣ科技有限公司", "ABC科技有限公司"},
		{"有限公司）", "有限公司"},
	}
	for _, tt := range tests {
		if got := Name(tt.in); got != tt.want {
			t.Errorf("Name(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	if Key("西藏天诚会计师事务所(特殊普通合伙)") != Key("西藏天诚会计师事务所（特殊普通合伙）") {
		t.Error("Key differs across bracket widths")
	}
}

func TestCreditCode(t *testing.T) {
	valid := []string{"91540102MA6TKJPG5T", "1254022268233375XD", "525425216291013279", "51540521715020793B", "91540402490305447K"}
	for _, c := range valid {
		if !ValidCreditCode(c) {
			t.Errorf("ValidCreditCode(%q) = false; want true", c)
		}
		if got, st := CorrectCreditCode(c); got != c || st != CodeValid {
			t.Errorf("CorrectCreditCode(%q) = %q, %v; want unchanged, valid", c, got, st)
		}
	}
	tests := []struct {
		in, want string
		st       CodeStatus
	}{
		{"9154O102MA6TKJPG5T", "91540102MA6TKJPG5T", CodeCorrected}, // O among the division digits
		{"91540102MA6TKJPG5t", "91540102MA6TKJPG5T", CodeValid},     // lower case is not an error
		{"９１５４０１０２ＭＡ６ＴＫＪＰＧ５Ｔ", "91540102MA6TKJPG5T", CodeValid},
		{"9154 0102 MA6T KJPG 5T", "91540102MA6TKJPG5T", CodeValid},
		{"91540236MA6TPYYW1R", "91540236MA6TPYYW1R", CodeInvalid}, // a printed typo stays as read
		{"91540102MA6TKJPG5", "91540102MA6TKJPG5", CodeInvalid},
		{"5254252I6291013279", "525425216291013279", CodeCorrected}, // I is outside the alphabet
	}
	for _, tt := range tests {
		got, st := CorrectCreditCode(tt.in)
		if got != tt.want || st != tt.st {
			t.Errorf("CorrectCreditCode(%q) = %q, %v; want %q, %v", tt.in, got, st, tt.want, tt.st)
		}
	}
}

// A single OCR confusion in a valid code is either fixed to the original or left flagged, never
// "fixed" to another valid code... unless that code is the only candidate, which the check cannot
// tell apart; count how often that happens.
func TestCorrectCreditCodeSingleConfusions(t *testing.T) {
	codes := []string{"91540102MA6TKJPG5T", "1254022268233375XD", "525425216291013279", "51540521715020793B",
		"91540402490305447K", "91540325MA6TMQYU7K", "91540629MA6TAE8592", "52540621556077695Y"}
	fixed, flagged, wrong := 0, 0, 0
	for _, c := range codes {
		for i := 0; i < 18; i++ {
			for _, r := range []byte(confusions[c[i]]) {
				bad := []byte(c)
				bad[i] = r
				got, st := CorrectCreditCode(string(bad))
				switch {
				case st == CodeValid && got != c:
					// The confusion produced another valid code: undetectable.
				case got == c:
					fixed++
				case st == CodeInvalid:
					flagged++
				default:
					wrong++
				}
			}
		}
	}
	t.Logf("single confusions: fixed %d, flagged %d, wrongly fixed %d", fixed, flagged, wrong)
	if wrong > (fixed+flagged+wrong)/20 {
		t.Errorf("wrongly fixed %d of %d", wrong, fixed+flagged+wrong)
	}
}

func TestCorrectCreditCodeRepairsImpossibleCharacters(t *testing.T) {
	// A wrong check character as printed, and a G read for the 6 among the division digits: the G
	// is repaired, the code stays invalid.
	got, st := CorrectCreditCode("9154023GMA6TPYYW1R")
	if got != "91540236MA6TPYYW1R" || st != CodeInvalid {
		t.Errorf("CorrectCreditCode = %q, %v; want 91540236MA6TPYYW1R, invalid", got, st)
	}
}

func TestNameDropsDefinedTerm(t *testing.T) {
	for in, want := range map[string]string{
		"成都林芝路商贸有限责任公司(以下简称乙方)": "成都林芝路商贸有限责任公司",
		"黄红（以下简称甲方）":            "黄红",
		"中审众环会计师事务所（特殊普通合伙）":    "中审众环会计师事务所（特殊普通合伙）",
	} {
		if got := Name(in); got != want {
			t.Errorf("Name(%s) = %s; want %s", in, got, want)
		}
	}
}

func TestFindDatesCutDay(t *testing.T) {
	// A day of one figure after a month of two, with no 日 to close it, lost its second figure.
	for _, tc := range []struct{ in, want string }{
		{"推荐单位（盖章） 2024.06.2", ""},
		{"2024-05-3", ""},
		{"2024.6.2", "2024-06-02"},
		{"2024.06.02", "2024-06-02"},
		{"2024年06月2日", "2024-06-02"},
		{"2024.10.2", "2024-10-02"}, // a month of two figures that needs them: no sign of padding
	} {
		got := ""
		if ms := FindDates(tc.in); len(ms) > 0 {
			got = ms[0].Value
		}
		if got != tc.want {
			t.Errorf("FindDates(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}
