package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Date styles of the corpus README: 2023年3月5日, 2023年03月05日, 2023-03-05, 2023.03.05,
// 二〇二三年三月五日.
const (
	dateCN = iota
	dateCN0
	dateISO
	dateDot
	dateHan
	nDateStyles
)

func fmtDate(t time.Time, style int) string {
	y, m, d := t.Date()
	switch style {
	case dateCN0:
		return fmt.Sprintf("%d年%02d月%02d日", y, m, d)
	case dateISO:
		return fmt.Sprintf("%d-%02d-%02d", y, m, d)
	case dateDot:
		return fmt.Sprintf("%d.%02d.%02d", y, m, d)
	case dateHan:
		return hanYear(y) + "年" + hanNumber(int(m)) + "月" + hanNumber(d) + "日"
	}
	return fmt.Sprintf("%d年%d月%d日", y, m, d)
}

// fmtMonth prints a year and month only (plaques, some certificates).
func fmtMonth(t time.Time, han bool) string {
	if han {
		return hanYear(t.Year()) + "年" + hanNumber(int(t.Month())) + "月"
	}
	return fmt.Sprintf("%d年%d月", t.Year(), t.Month())
}

func iso(t time.Time) string { return t.Format(time.DateOnly) }

var hanDigits = []rune("〇一二三四五六七八九")

// hanYear writes a year digit by digit: 二〇二三.
func hanYear(y int) string {
	var sb strings.Builder
	for _, c := range strconv.Itoa(y) {
		sb.WriteRune(hanDigits[c-'0'])
	}
	return sb.String()
}

// hanNumber writes 1–99 as 一, 十, 十五, 二十, 二十一.
func hanNumber(n int) string {
	switch {
	case n < 10:
		return string(hanDigits[n])
	case n == 10:
		return "十"
	case n < 20:
		return "十" + string(hanDigits[n-10])
	case n%10 == 0:
		return string(hanDigits[n/10]) + "十"
	}
	return string(hanDigits[n/10]) + "十" + string(hanDigits[n%10])
}

// hanOrdinal is 一、二… for section numbers (1–99).
func hanOrdinal(n int) string { return hanNumber(n) }

var (
	upperDigits = []string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}
	upperUnits  = []string{"", "拾", "佰", "仟"}
	upperGroups = []string{"", "万", "亿"}
)

// upperInt writes a non-negative integer in financial capitals: 5000000 → 伍佰万, 120000 → 壹拾贰万,
// 10050 → 壹万零伍拾.
func upperInt(n int64) string {
	if n == 0 {
		return "零"
	}
	var groups []int64
	for n > 0 {
		groups = append(groups, n%10000)
		n /= 10000
	}
	var sb strings.Builder
	zero := false
	for i := len(groups) - 1; i >= 0; i-- {
		g := groups[i]
		if g == 0 {
			zero = sb.Len() > 0
			continue
		}
		if sb.Len() > 0 && (zero || g < 1000) {
			sb.WriteString("零")
		}
		sb.WriteString(upperGroup(g))
		sb.WriteString(upperGroups[i])
		zero = false
	}
	return sb.String()
}

func upperGroup(g int64) string {
	var sb strings.Builder
	pending := false
	for pos := 3; pos >= 0; pos-- {
		d := (g / int64(math.Pow10(pos))) % 10
		if d == 0 {
			pending = sb.Len() > 0
			continue
		}
		if pending {
			sb.WriteString("零")
			pending = false
		}
		sb.WriteString(upperDigits[d])
		sb.WriteString(upperUnits[pos])
	}
	return sb.String()
}

// upperYuan writes an amount in fen as 壹万肆仟壹佰捌拾贰元柒角贰分, or …元整 when whole.
func upperYuan(fen int64) string {
	yuan, jiao, f := fen/100, (fen/10)%10, fen%10
	s := upperInt(yuan) + "元"
	switch {
	case jiao == 0 && f == 0:
		return s + "整"
	case f == 0:
		return s + upperDigits[jiao] + "角整"
	case jiao == 0:
		return s + "零" + upperDigits[f] + "分"
	}
	return s + upperDigits[jiao] + "角" + upperDigits[f] + "分"
}

// fullWidth turns ASCII digits and the decimal point into their full-width forms.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '.' || r == ',' {
			return r - 0x21 + 0xFF01
		}
		return r
	}, s)
}

// commas writes fen as 1,234,567.89.
func commas(fen int64) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	s := strconv.FormatInt(fen/100, 10)
	var sb strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			sb.WriteByte(',')
		}
		sb.WriteRune(c)
	}
	out := fmt.Sprintf("%s.%02d", sb.String(), fen%100)
	if neg {
		return "-" + out
	}
	return out
}

// plain writes fen as 1234567.89.
func plain(fen int64) string {
	neg := ""
	if fen < 0 {
		neg, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", neg, fen/100, fen%100)
}

// wan writes fen in 万元 with two decimals (rounded): 10102709.34 元 → "1,010.27" with comma
// grouping, or "1010.27" without; the value it stands for is wanValue.
func wan(fen int64, grouping bool) string {
	w := roundDiv(fen, 100*100) // hundreds of yuan = 0.01 万元
	if grouping {
		return commas(w)
	}
	return plain(w)
}

// wanValue is the amount in yuan that a figure printed with wan stands for.
func wanValue(fen int64) float64 { return float64(roundDiv(fen, 100*100)) * 100 }

func roundDiv(a, b int64) int64 {
	if a < 0 {
		return -roundDiv(-a, b)
	}
	return (a + b/2) / b
}

func yuan(fen int64) float64 { return float64(fen) / 100 }

// capital styles for a registered capital (whole 万元 amounts).
const (
	capUpper      = iota // 人民币伍佰万元整
	capUpperPlain        // 伍佰万元整
	capWan               // 500万元
	capWanRMB            // 500万元人民币
	capWanFull           // ５００万元
	capYuan              // 5,000,000.00元
	nCapStyles
)

func fmtCapital(yuanAmt int64, style int) string {
	w := strconv.FormatInt(yuanAmt/10000, 10)
	if yuanAmt%10000 != 0 {
		w = strconv.FormatFloat(float64(yuanAmt)/10000, 'f', -1, 64)
	}
	switch style {
	case capUpper:
		return "人民币" + upperInt(yuanAmt) + "元整"
	case capUpperPlain:
		return upperInt(yuanAmt) + "元整"
	case capWan:
		return w + "万元"
	case capWanRMB:
		return w + "万元人民币"
	case capWanFull:
		return fullWidth(w) + "万元"
	}
	return commas(yuanAmt*100) + "元"
}

// pct prints a percentage with at most one decimal.
func pct(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) + "%" }

func itoa(n int) string { return strconv.Itoa(n) }
