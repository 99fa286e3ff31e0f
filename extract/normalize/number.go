package normalize

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

var cnDigit = map[rune]int{
	'零': 0, '〇': 0, '○': 0,
	'一': 1, '壹': 1, '幺': 1,
	'二': 2, '贰': 2, '貳': 2, '两': 2, '兩': 2,
	'三': 3, '叁': 3, '參': 3, '参': 3,
	'四': 4, '肆': 4,
	'五': 5, '伍': 5,
	'六': 6, '陆': 6, '陸': 6,
	'七': 7, '柒': 7,
	'八': 8, '捌': 8,
	'九': 9, '玖': 9,
}

var cnUnit = map[rune]int{'十': 10, '拾': 10, '百': 100, '佰': 100, '千': 1000, '仟': 1000}

var cnBig = map[rune]int{'万': 10000, '萬': 10000, '亿': 100000000, '億': 100000000}

// ChineseInt parses a Chinese numeral in lower case (一百二十三, 十二) or financial upper case
// (壹佰贰拾叁), with 零 as a filler and 万/亿 groups. ok is false when s holds anything else or
// no digit at all.
func ChineseInt(s string) (n int64, ok bool) {
	var total, section, num int64
	seen := false
	for _, r := range s {
		if d, isDigit := cnDigit[r]; isDigit {
			num = int64(d)
			seen = true
			continue
		}
		if u, isUnit := cnUnit[r]; isUnit {
			if num == 0 {
				num = 1
			}
			section += num * int64(u)
			num = 0
			seen = true
			continue
		}
		if b, isBig := cnBig[r]; isBig {
			if !seen {
				return 0, false
			}
			if b == 100000000 {
				total = (total + section + num) * int64(b)
			} else {
				total += (section + num) * int64(b)
			}
			section, num = 0, 0
			if total > 1e15 {
				return 0, false
			}
			continue
		}
		return 0, false
	}
	if !seen {
		return 0, false
	}
	return total + section + num, true
}

// isCNNumeral reports whether r can be part of a Chinese money expression.
func isCNNumeral(r rune) bool {
	if _, ok := cnDigit[r]; ok {
		return true
	}
	if _, ok := cnUnit[r]; ok {
		return true
	}
	if _, ok := cnBig[r]; ok {
		return true
	}
	switch r {
	case '元', '圆', '角', '分', '整', '正':
		return true
	}
	return false
}

func isCNValueRune(r rune) bool {
	_, d := cnDigit[r]
	_, u := cnUnit[r]
	return d || u
}

// chineseMoney parses 壹万肆仟壹佰捌拾贰元柒角贰分, 伍拾万元整, 一百万 into yuan.
func chineseMoney(s string) (float64, bool) {
	s = strings.TrimRight(s, "整正")
	var yuanPart, rest string
	if i := strings.IndexAny(s, "元圆"); i >= 0 {
		yuanPart, rest = s[:i], s[i+len("元"):]
	} else {
		yuanPart = s
	}
	var v float64
	if yuanPart != "" {
		n, ok := ChineseInt(strings.TrimLeft(yuanPart, "零〇"))
		if !ok {
			if strings.Trim(yuanPart, "零〇") != "" {
				return 0, false
			}
			n = 0
		}
		v = float64(n)
	}
	// 角 and 分, each a single digit, possibly after 零.
	rest = strings.TrimLeft(rest, "零〇")
	for rest != "" {
		rs := []rune(rest)
		d, ok := cnDigit[rs[0]]
		if !ok || len(rs) < 2 {
			break
		}
		switch rs[1] {
		case '角':
			v += float64(d) / 10
		case '分':
			v += float64(d) / 100
		default:
			return round2(v), yuanPart != ""
		}
		rest = strings.TrimLeft(string(rs[2:]), "零〇")
	}
	if yuanPart == "" && v == 0 {
		return 0, false
	}
	return round2(v), true
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

var digitNumber = regexp.MustCompile(`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`)

// cleanNumberText folds widths, removes spaces and currency marks, and turns an OCR'd decimal
// comma or stray space inside a number into nothing.
func cleanNumberText(s string) string {
	s = Fold(s)
	s = strings.NewReplacer("，", ",", "。", ".", "¥", "", "￥", "", "人民币", "", "RMB", "", "rmb", "",
		"大写", "", "小写", "").Replace(s)
	s = StripSpace(s)
	return dottedThousands.ReplaceAllStringFunc(s, func(m string) string {
		// a number has one decimal point: in 3.000.000.00 (commas read as dots) the dots before
		// the last group of two are thousands separators, and with no such group, all of them
		parts := strings.Split(m, ".")
		if n := len(parts); len(parts[n-1]) != 3 {
			return strings.Join(parts[:n-1], ",") + "." + parts[n-1]
		}
		return strings.Join(parts, ",")
	})
}

// dottedThousands is a number with two dots or more between groups of three digits.
var dottedThousands = regexp.MustCompile(`\d{1,3}(?:\.\d{3}){2,}(?:\.\d{1,2})?|\d{1,3}\.\d{3}\.\d{1,2}`)

// firstDigitNumber finds the first decimal number in s (already cleaned), with its byte span.
func firstDigitNumber(s string) (v float64, start, end int, ok bool) {
	loc := digitNumber.FindStringIndex(s)
	if loc == nil {
		return 0, 0, 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s[loc[0]:loc[1]], ",", ""), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, 0, 0, false
	}
	if loc[0] > 0 && s[loc[0]-1] == '-' {
		f = -f
	}
	return f, loc[0], loc[1], true
}

// firstChineseRun finds the first run of Chinese money characters holding a digit or a unit.
func firstChineseRun(s string) (run string, start int, ok bool) {
	rs := []rune(s)
	byteAt := 0
	for i := 0; i < len(rs); {
		if !isCNNumeral(rs[i]) {
			byteAt += len(string(rs[i]))
			i++
			continue
		}
		j := i
		has := false
		for j < len(rs) && isCNNumeral(rs[j]) {
			if isCNValueRune(rs[j]) {
				has = true
			}
			j++
		}
		if has {
			return string(rs[i:j]), byteAt, true
		}
		byteAt += len(string(rs[i:j]))
		i = j
	}
	return "", 0, false
}

// Amount parses a sum of money into yuan: 1,234,567.89 / 1234567.89元 / 500万元 / ５００万元 /
// 1010.27万元 / 人民币伍拾万元整 / 壹佰贰拾万元整 / 一百万 / ¥14182.72. The first amount in s is
// taken; a 万 or 亿 right after digits multiplies them.
func Amount(s string) (yuan float64, ok bool) {
	return AmountIn(s, 1)
}

// AmountIn is Amount for text whose digits are in unit yuan when the text itself names no unit
// (a column headed 万元 has unit 10000). Chinese numerals always carry their own unit.
func AmountIn(s string, unit float64) (yuan float64, ok bool) {
	s = cleanNumberText(s)
	v, start, end, dok := firstDigitNumber(s)
	run, cstart, cok := firstChineseRun(s)
	if dok && (!cok || start <= cstart) {
		after := s[end:]
		switch {
		case strings.HasPrefix(after, "万"), strings.HasPrefix(after, "萬"):
			v *= 10000
		case strings.HasPrefix(after, "亿"), strings.HasPrefix(after, "億"):
			v *= 100000000
		case strings.HasPrefix(after, "元"), strings.HasPrefix(after, "圆"):
			v = separatorsLost(s[start:end], v, unit)
		default:
			v = separatorsLost(s[start:end], v, unit) * unit
		}
		return round2(v), true
	}
	if cok {
		return chineseMoney(run)
	}
	return 0, false
}

// separatorsLost reads an amount in yuan whose separators were misread (7,958,114.59 as 7.95811459):
// no sum of money in yuan has five figures or more after its point, so its figures are the amount
// with the last two its fen. An amount in a larger unit (万元 columns) is left as read.
func separatorsLost(num string, v, unit float64) float64 {
	i := strings.IndexByte(num, '.')
	if unit != 1 || i < 0 || strings.ContainsRune(num, ',') || len(num)-i-1 < 5 {
		return v
	}
	f, err := strconv.ParseFloat(num[:i]+num[i+1:], 64)
	if err != nil {
		return v
	}
	return f / 100
}

// Number returns the first decimal number in s (thousands separators and full-width digits
// allowed), or a Chinese numeral when s has no digits.
func Number(s string) (float64, bool) {
	s = cleanNumberText(s)
	if v, _, _, ok := firstDigitNumber(s); ok {
		return v, true
	}
	if run, _, ok := firstChineseRun(s); ok {
		if n, ok := ChineseInt(strings.TrimRight(run, "元圆角分整正")); ok {
			return float64(n), true
		}
	}
	return 0, false
}

// Integer returns the first whole number in s: 19人 → 19, １１２家 → 112, 十二次 → 12.
func Integer(s string) (int64, bool) {
	v, ok := Number(s)
	if !ok || v != math.Trunc(v) || math.Abs(v) > 1e15 {
		return 0, false
	}
	return int64(v), true
}

var percentRE = regexp.MustCompile(`(\d+(?:\.\d+)?)%`)

// Percent parses a percentage into 0..100 units: 93% → 93, ９４．２％ → 94.2, 百分之八十 → 80.
// A number without a % sign is taken as already in percent.
func Percent(s string) (float64, bool) {
	c := cleanNumberText(s)
	if m := percentRE.FindStringSubmatch(c); m != nil {
		v, err := strconv.ParseFloat(m[1], 64)
		return v, err == nil
	}
	if i := strings.Index(c, "百分之"); i >= 0 {
		rest := []rune(c[i+len("百分之"):])
		j := 0
		for j < len(rest) && (isCNValueRune(rest[j]) || rest[j] == '点') {
			j++
		}
		parts := strings.SplitN(string(rest[:j]), "点", 2)
		n, ok := ChineseInt(parts[0])
		if !ok {
			return 0, false
		}
		v := float64(n)
		if len(parts) == 2 {
			frac := ""
			for _, r := range parts[1] {
				d, ok := cnDigit[r]
				if !ok {
					break
				}
				frac += strconv.Itoa(d)
			}
			if frac != "" {
				f, _ := strconv.ParseFloat("0."+frac, 64)
				v += f
			}
		}
		return v, true
	}
	if strings.ContainsAny(c, "%％") {
		return 0, false // a per cent sign, but no number before it (%06): a misreading, not a share
	}
	v, _, _, ok := firstDigitNumber(c)
	return v, ok
}

var areaRE = regexp.MustCompile(`(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:平方米|平米|平方|㎡|m2|m²|M2|㎡)`)

// Area parses an area in square metres: 305.75平方米, 295.72㎡, 1,187.16 m². Without a unit the
// first number is taken.
func Area(s string) (float64, bool) {
	// m2 is the unit's square, not a number: 套内建筑面积(m2) holds no area.
	c := strings.NewReplacer("m2", "㎡", "M2", "㎡").Replace(cleanNumberText(s))
	if m := areaRE.FindStringSubmatch(c); m != nil {
		v, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
		return v, err == nil
	}
	v, _, _, ok := firstDigitNumber(c)
	return v, ok
}

// FormatNumber writes v in plain decimal with at most two decimals and no trailing zeros:
// 1000000, 93.5, 10102709.34.
func FormatNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	return strconv.FormatFloat(round2(v), 'f', -1, 64)
}
