package normalize

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// LongTerm is the canonical value of an open-ended term (长期, 永久, 长期有效, 无固定期限).
const LongTerm = "长期"

var (
	// 2023年3月5日, 2023-03-05, 2023.03.05, 2023/3/5, with stray spaces.
	numDateRE = regexp.MustCompile(`((?:19|20)\d{2})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*[日号]?`)
	// 二〇二三年三月五日, with 〇 possibly read as O, o, 0 or 零.
	cnDateRE = regexp.MustCompile(`([〇零○Oo0一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十廿卅]{1,3})\s*[日号]`)
)

var longTermWords = []string{"长期有效", "无固定期限", "长期", "永久", "不约定期限"}

// DateMatch is a date found in a text: its canonical value and the byte span it was read from.
type DateMatch struct {
	Value      string // YYYY-MM-DD or 长期
	Start, End int
}

// spacedDateRE is a date whose fields a form or a screenshot prints in cells of their own, or
// whose separators were lost: 2020 05 04, month and day of two figures each.
var spacedDateRE = regexp.MustCompile(`^[\s:：]*((?:19|20)\d{2})\s+(0[1-9]|1[0-2])\s+(0[1-9]|[12]\d|3[01])(?:\D|$)`)

// SpacedDate reads a date at the start of s whose year, month and day are apart (2020 05 04): for
// a value after its label only, where nothing else can stand; in running text three such numbers
// may be anything. The span is in Fold(s).
func SpacedDate(s string) (DateMatch, bool) {
	f := Fold(s)
	m := spacedDateRE.FindStringSubmatchIndex(f)
	if m == nil {
		return DateMatch{}, false
	}
	y, _ := strconv.Atoi(f[m[2]:m[3]])
	mo, _ := strconv.Atoi(f[m[4]:m[5]])
	d, _ := strconv.Atoi(f[m[6]:m[7]])
	v, ok := ymd(y, mo, d)
	return DateMatch{v, m[2], m[7]}, ok
}

// FindDates returns every well-formed date in s in order of appearance, 长期 included. Spans are
// byte offsets in Fold(s).
func FindDates(s string) []DateMatch {
	f := Fold(s)
	var out []DateMatch
	for _, m := range numDateRE.FindAllStringSubmatchIndex(f, -1) {
		y, _ := strconv.Atoi(f[m[2]:m[3]])
		mo, _ := strconv.Atoi(f[m[4]:m[5]])
		d, _ := strconv.Atoi(f[m[6]:m[7]])
		if cutDay(f, m) {
			continue
		}
		if v, ok := ymd(y, mo, d); ok {
			out = append(out, DateMatch{v, m[0], m[1]})
		}
	}
	for _, m := range cnDateRE.FindAllStringSubmatchIndex(f, -1) {
		ys := f[m[2]:m[3]]
		y := 0
		good := true
		for _, r := range ys {
			switch r {
			case '〇', '零', '○', 'O', 'o', '0':
				y = y * 10
			default:
				d, ok := cnDigit[r]
				if !ok {
					good = false
				}
				y = y*10 + d
			}
		}
		mo, ok1 := ChineseInt(f[m[4]:m[5]])
		// 廿 is twenty and 卅 thirty in a date's day (三月廿二日)
		d, ok2 := ChineseInt(strings.NewReplacer("廿", "二十", "卅", "三十").Replace(f[m[6]:m[7]]))
		if !good || !ok1 || !ok2 {
			continue
		}
		if v, ok := ymd(y, int(mo), int(d)); ok {
			out = append(out, DateMatch{v, m[0], m[1]})
		}
	}
	for _, w := range longTermWords {
		for off := 0; ; {
			i := strings.Index(f[off:], w)
			if i < 0 {
				break
			}
			out = append(out, DateMatch{LongTerm, off + i, off + i + len(w)})
			off += i + len(w)
		}
	}
	// Order by position, dropping matches inside an earlier one (长期 inside 长期有效).
	sortMatches(out)
	var kept []DateMatch
	for _, m := range out {
		if len(kept) > 0 && m.Start < kept[len(kept)-1].End {
			continue
		}
		kept = append(kept, m)
	}
	return kept
}

// cutDay reports whether numDateRE match m of f is a date whose day lost its last figure (to a
// seal, to the page's edge): printed with a month of two figures (2024.06.) and no 日 after it, a
// day of one figure (2024.06.2 for 2024.06.21) is the start of a day of two.
func cutDay(f string, m []int) bool {
	month, day := f[m[4]:m[5]], f[m[6]:m[7]]
	return len(month) == 2 && month[0] == '0' && len(day) == 1 && !strings.ContainsAny(f[m[6]:m[1]], "日号")
}

func sortMatches(m []DateMatch) {
	for i := 1; i < len(m); i++ {
		for j := i; j > 0 && (m[j].Start < m[j-1].Start || (m[j].Start == m[j-1].Start && m[j].End > m[j-1].End)); j-- {
			m[j], m[j-1] = m[j-1], m[j]
		}
	}
}

func ymd(y, mo, d int) (string, bool) {
	if y < 1900 || y > 2199 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return "", false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, mo, d), true
}

// Date returns the first date in s as YYYY-MM-DD, or 长期 for an open-ended term.
func Date(s string) (string, bool) {
	m := FindDates(s)
	if len(m) == 0 {
		return "", false
	}
	return m[0].Value, true
}

// TermEnd returns the end of a term written as "2017年2月22日 至 2047年2月21日", "自…至长期",
// "有效期至2028年2月11日" or a lone end date: the date after 至 (or 到, ~, －), else the last date.
func TermEnd(s string) (string, bool) {
	f := Fold(s)
	for _, sep := range []string{"至", "到", "~", "～", "—", "－"} {
		if i := strings.LastIndex(f, sep); i >= 0 {
			if d, ok := Date(f[i+len(sep):]); ok {
				return d, true
			}
		}
	}
	m := FindDates(f)
	if len(m) == 0 {
		return "", false
	}
	return m[len(m)-1].Value, true
}
