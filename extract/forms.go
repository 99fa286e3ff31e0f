package extract

import (
	"regexp"
	"strings"

	"shenbao/doc"
	"shenbao/extract/normalize"
	"shenbao/internal/textdist"
)

// ---- the recommendation form and the declaration ----

var lastGlyphDateRE = regexp.MustCompile(`^((?:\d{4}|[〇零一二三四五六七八九]{4})年(?:\d{1,2}|[一二三四五六七八九十]{1,2})月(?:\d{1,2}|[一二三四五六七八九十]{1,3}))[^日号\d一二三四五六七八九十]$`)

// inkedDateRE is a date alone on its line whose 年, 月 and 日 a seal's ink hid, leaving its figures
// in two or three groups (2024 0410, 2024 04 10) and perhaps a residue of 日.
var inkedDateRE = regexp.MustCompile(`^((?:19|20)\d{2}) +(\d{2}) ?(\d{2}) ?\S?$`)

// lostYearRE is a date whose year lost a numeral or a digit or two under a seal or to a doubled 年
// (二二年三月九日, 221年11月20日, 二〇二年年十二月十四日).
var lostYearRE = regexp.MustCompile(`^([〇零一二三四五六七八九]{2,3}|\d{3})年年?((?:[一二三四五六七八九十]{1,2}|\d{1,2})月(?:[一二三四五六七八九十]{1,3}|\d{1,2})日)$`)

// printedYearRE is a year of this century as a document prints it in digits (2022年度, 〔2023〕).
var printedYearRE = regexp.MustCompile(`(?:^|\D)(20\d{2})(?:\D|$)`)

// restoredYear returns the one year the document prints whose digits hold read's (a year that lost
// some) in their order: a notice dated 二二年三月九日 under the seal that lists the platforms of
// 2022年度 is dated in 2022. Two such years, or none, restore nothing.
func (d *document) restoredYear(read string) (string, bool) {
	read = strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		if ds := digitsOf(string(r)); ds != "" {
			return rune(ds[0])
		}
		return -1
	}, read)
	found := ""
	for _, l := range d.lines {
		for _, m := range printedYearRE.FindAllStringSubmatch(normalize.Fold(l.text), -1) {
			if y := m[1]; y != found && subsequence(read, y) {
				if found != "" {
					return "", false
				}
				found = y
			}
		}
	}
	return found, found != ""
}

// subsequence reports whether the bytes of a stand in b in their order.
func subsequence(a, b string) bool {
	i := 0
	for j := 0; j < len(b) && i < len(a); j++ {
		if a[i] == b[j] {
			i++
		}
	}
	return i == len(a)
}

// digitsOf writes numerals (二〇二) as digits (202).
func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if i := strings.IndexRune("〇一二三四五六七八九", r); i >= 0 {
			return rune('0' + len([]rune("〇一二三四五六七八九"[:i])))
		}
		if r == '零' {
			return '0'
		}
		return -1
	}, s)
}

// numeralsOf writes digits (2023) as numerals (二〇二三).
func numeralsOf(s string) string {
	ns := []rune("〇一二三四五六七八九")
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return ns[r-'0']
		}
		return r
	}, s)
}

// lastDate returns the last full date printed in the document (a signature date).
func (d *document) lastDate() (string, evidence, bool) {
	for i := len(d.lines) - 1; i >= 0; i-- {
		l := d.lines[i]
		ms := normalize.FindDates(l.text)
		if len(ms) == 0 {
			// a date alone on its line whose 日 was misread (二〇二四年五月八百)
			if m := lastGlyphDateRE.FindStringSubmatch(string(l.dense)); m != nil {
				if v, ok := normalize.Date(m[1] + "日"); ok {
					ev := l.span(0, len(l.runes))
					ev.conf *= 0.8
					return v, ev, true
				}
			}
			// its 年 and 月 under the seal (2024 0410): the figures of a date in their order
			if m := inkedDateRE.FindStringSubmatch(strings.TrimSpace(l.text)); m != nil {
				if v, ok := normalize.Date(m[1] + "年" + m[2] + "月" + m[3] + "日"); ok {
					ev := l.span(0, len(l.runes))
					ev.conf *= 0.7
					return v, ev, true
				}
			}
			// its year lost a numeral or two (to a doubled 年, under the seal): the year the
			// document prints that holds the rest (藏经信发〔2023〕117号 … 二〇二年年十二月十四日)
			if m := lostYearRE.FindStringSubmatch(string(l.dense)); m != nil {
				if y, ok := d.restoredYear(m[1]); ok {
					if !strings.ContainsAny(m[2], "0123456789") {
						y = numeralsOf(y) // in numerals as the rest of the date
					}
					if v, ok := normalize.Date(y + "年" + m[2]); ok {
						ev := l.span(0, len(l.runes))
						ev.conf *= 0.7
						return v, ev, true
					}
				}
			}
		}
		for j := len(ms) - 1; j >= 0; j-- {
			if ms[j].Value != normalize.LongTerm {
				return ms[j].Value, l.spanBytes(ms[j].Start, ms[j].End), true
			}
		}
	}
	return "", evidence{}, false
}

func readRecommendation(d *document, fs *fieldSet, _ Options) {
	if v, ev, ok := d.lookupOrg(lbOrgName, pOrg); ok {
		fs.set("org_name", v, ev)
	}
	readFunctions(d, fs)
	if v, ev, ok := d.lookup(label{alts: []string{"推荐单位", "推荐部门", "推荐机关"}}, pAuthority); ok {
		fs.set("issuer", fixAuthority(v), ev)
	} else if v, ev, ok := d.lookup(label{alts: []string{"推荐单位", "推荐部门", "推荐机关"}}, pAuthorityStart); ok {
		// signed over the seal, the name wraps or loses its end under the stamp
		v, ev = d.continued(v, ev, looksLikeAuthority, looksLikeAuthority)
		if c, done := completeRecommender(v); done {
			ev.conf *= 0.8
			v = c
		}
		if v = fixAuthority(v); looksLikeAuthority(v) {
			fs.set("issuer", v, ev)
		}
	}
	if iss, iev, date, dev, ok := d.signature(); ok {
		fs.set("issuer", iss, iev) // signed below its opinion, without a label
		fs.set("issue_date", date, dev)
	}
	if v, ev, ok := d.lastDate(); ok {
		fs.set("issue_date", v, ev)
	}
	sealIssuer(d, fs) // its name under the recommender's seal, read round the seal
	readSeal(d, fs)
}

// recommenderWords end the names of the bodies that recommend under 第十六条: a prefecture's
// 经济和信息化局, or a park's 管理委员会.
var recommenderWords = []string{"经济和信息化局", "管理委员会"}

// parkEnds end the names of parks, whose 管理委员会 recommends for them.
var parkEnds = []string{"园区", "开发区", "高新区", "产业园", "工业园", "新区", "试验区", "示范区"}

// pAuthorityStart reads what may be an authority's name or its start (a name cut short), not a date.
var pAuthorityStart = pName(func(s string) bool {
	return looksLikeOrg(s, false) && !dateStartRE.MatchString(s) && len(normalize.FindDates(s)) == 0 &&
		!strings.Contains(s, "同意") && !strings.Contains(s, "意见") // an opinion, not a body's name
})

var dateStartRE = regexp.MustCompile(`^[0-9〇零一二三四五六七八九]{2,4}年`)

// authorityWords are the fixed parts of authorities' names; a copy with one misread character is
// read as the word (经济和信息花局 → 经济和信息化局).
var authorityWords = []string{"经济和信息化局", "经济和信息化厅", "经济和信息化委员会", "管理委员会", "市场监督管理局", "工业和信息化部"}

// departmentWords are the names of the government departments that register, recognise and
// recommend (a place's name before them): the words a misread name is restored to when a character
// or two of a long one was read wrong (科学技术和王业信意化局, 经济信息化局).
var departmentWords = []string{
	"经济和信息化局", "经济和信息化厅", "经济和信息化委员会", "工业和信息化局", "工业和信息化厅", "工业和信息化部",
	"科学技术和工业信息化局", "科学技术局", "科学技术厅", "科学技术部", "发展和改革委员会", "商务局", "商务厅",
	"财政局", "财政厅", "人力资源和社会保障局", "人力资源和社会保障厅", "市场监督管理局", "住房和城乡建设局",
	"文化和旅游局", "农业农村局", "教育局", "税务局",
}

// parkWords end the names of the parks whose 管理委员会 recommends.
var parkWords = []string{"高新技术产业园区", "高新技术产业开发区", "经济技术开发区", "经济开发区", "工业园区", "产业园区"}

// fixAuthority restores the fixed words of an authority's name misread by a character or two: its
// department (科学技术和王业信意化局 → 科学技术和工业信息化局), or its park before 管理委员会
// (高新技术商广业园区 → 高新技术产业园区). A word of five or six characters may have one wrong, a
// longer one two, a shorter one none; and the last character must be read (局, 厅 and 委员会 are different bodies); a
// place must stand before it.
func fixAuthority(v string) string {
	for _, w := range authorityWords {
		if strings.HasSuffix(v, w) {
			if w == "管理委员会" {
				return fixWordBefore(v, len([]rune(w)), parkWords)
			}
			return v
		}
	}
	return fixWordBefore(v, 0, departmentWords)
}

// fixWordBefore restores, in v less its last keep runes, a misread word of words at the end.
func fixWordBefore(v string, keep int, words []string) string {
	rs := []rune(v)
	head, tail := rs[:len(rs)-keep], string(rs[len(rs)-keep:])
	for _, w := range words {
		if strings.HasSuffix(string(head), w) {
			return v
		}
	}
	// the longest word that fits: 高新技术商广业园区 is 高新技术产业园区, not …商广工业园区
	best, bestD, bestN, bestOff := "", 3, 0, 0
	for _, w := range words {
		p := []rune(w)
		allowed := 1
		switch {
		case len(p) <= 4:
			continue // 体育局 is no misread 教育局: short names differ by a character
		case len(p) > 6:
			allowed = 2
		}
		for k := len(p) - allowed; k <= len(p)+allowed; k++ {
			if k < 2 || k > len(head)-2 || head[len(head)-1] != p[len(p)-1] {
				continue
			}
			// the longest word, then the fewest errors, then the span nearest the word's length
			// (餐济和信息化局 is 经济和信息化局 misread, not 济和信息化局 with 经 dropped)
			d, off := textdist.Levenshtein(head[len(head)-k:], p), abs(k-len(p))
			if d <= allowed && (len(p) > bestN || (len(p) == bestN && (d < bestD || (d == bestD && off < bestOff)))) {
				best, bestD, bestN, bestOff = string(head[:len(head)-k])+w, d, len(p), off
			}
		}
	}
	if best == "" {
		return v
	}
	return best + tail
}

// completeRecommender completes a recommending body's name cut short — under a seal, or at the
// edge of its cell — when what is left is a recommender's name up to part of its fixed ending
// (日喀则市经济和信 → 日喀则市经济和信息化局) or a park's name without its 管理委员会; it reports
// whether it did.
func completeRecommender(v string) (string, bool) {
	for _, w := range recommenderWords {
		if strings.HasSuffix(v, w) {
			return v, false
		}
	}
	rs := []rune(v)
	for _, w := range recommenderWords {
		p := []rune(w)
		for k := len(p) - 1; k >= 2; k-- {
			if len(rs) > k+1 && string(rs[len(rs)-k:]) == string(p[:k]) {
				return v + string(p[k:]), true
			}
		}
	}
	if looksLikeAuthority(v) {
		return v, false
	}
	for _, e := range parkEnds {
		if strings.HasSuffix(v, e) && len(rs) > len([]rune(e))+1 {
			return v + "管理委员会", true
		}
	}
	return v, false
}

func readDeclaration(d *document, fs *fieldSet, opt Options) {
	if v, ev, ok := d.lookupOrg(label{alts: append([]string{"声明单位", "承诺单位", "声明人"}, lbOrgName.alts...), notAfter: notOrgLabel, atStart: true}, pOrg); ok {
		fs.set("org_name", v, ev)
	}
	if !fs.has("org_name") {
		// signed only with its 公章: the declared name read round the seal
		for _, a := range opt.Applicant {
			if s, ok := inSeal(d.pages, a, maxErrors(len([]rune(normalize.Key(a))))+1); ok {
				fs.set("org_name", normalize.Name(a), evidence{text: s.Printed, page: s.Page, box: s.Box,
					conf: doc.SureConfidence - 0.1}, "from_seal")
				break
			}
		}
	}
	readCreditCode(d, fs)
	if v, ev, ok := d.lookup(lbl("日期", "声明日期", "签署日期", "承诺日期"), pDate); ok {
		fs.set("issue_date", v, ev)
	} else if v, ev, ok := d.lastDate(); ok {
		fs.set("issue_date", v, ev)
	}
	readSeal(d, fs)
}
