package checklist

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"shenbao/doc"
)

var cnNumerals = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// article12 returns "第十二条（n）".
func article12(n int) string { return "第十二条（" + cnNumerals[n] + "）" }

// article13 returns "第十三条（n）".
func article13(n int) string { return "第十三条（" + cnNumerals[n] + "）" }

// article17 returns "第十七条（n）".
func article17(n int) string { return "第十七条（" + cnNumerals[n] + "）" }

// see is "见 审计报告（a.pdf）第3页。" for a piece of evidence.
func see(e Evidence) string {
	var sb strings.Builder
	sb.WriteString("见 ")
	sb.WriteString(doc.KindZh(e.Kind))
	if e.FileName != "" {
		sb.WriteString("（" + e.FileName + "）")
	}
	if e.Page > 0 {
		if e.FileName == "" {
			sb.WriteString(" ")
		}
		fmt.Fprintf(&sb, "第%d页", e.Page)
	}
	sb.WriteString("。")
	return sb.String()
}

// docName is "审计报告（a.pdf）".
func docName(d *docFacts) string {
	if d.FileName == "" {
		return doc.KindZh(d.Kind)
	}
	return doc.KindZh(d.Kind) + "（" + d.FileName + "）"
}

// num formats a number in plain decimal: 93, 77.3.
func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// yuan formats money for people: "997,650.42 元（约 99.77 万元）", "1,000,000 元（100 万元）".
func yuan(x float64) string {
	cents := int64(math.Round(x * 100))
	neg := cents < 0
	if neg {
		cents = -cents
	}
	s := groupThousands(strconv.FormatInt(cents/100, 10))
	if c := cents % 100; c != 0 {
		s += fmt.Sprintf(".%02d", c)
	}
	if neg {
		s = "-" + s
	}
	wan := x / 10000
	w := strconv.FormatFloat(math.Round(wan*100)/100, 'f', -1, 64)
	approx := ""
	if math.Round(wan*100) != wan*100 {
		approx = "约 "
	}
	return s + " 元（" + approx + w + " 万元）"
}

func groupThousands(s string) string {
	if len(s) <= 3 {
		return s
	}
	var sb strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		sb.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if sb.Len() > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(s[i : i+3])
	}
	return sb.String()
}

// day formats a calendar date as YYYY-MM-DD.
func day(t time.Time) string { return t.Format(time.DateOnly) }

// functionZh names the 第十三条 functions.
var functionZh = func() map[string]string {
	m := map[string]string{}
	for _, f := range doc.Functions {
		m[f.Name] = f.Zh
	}
	return m
}()

// levelZh names issuer levels.
var levelZh = map[string]string{
	"national": "国家级", "autonomous_region": "自治区级", "prefecture": "地（市）级", "county": "县级",
}
