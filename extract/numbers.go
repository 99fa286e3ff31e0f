package extract

import (
	"regexp"
	"strings"
	"unicode"

	"shenbao/extract/normalize"
)

// numberAfter finds one of kws in the flowing text (approximately, best keyword first) and the
// number that follows it within gap runes on the same line, which must be followed by one of units
// when units are given. It is the OCR-tolerant way to read "服务人员19人" when a character of the
// phrase is misread.
func (d *document) numberAfter(kws []string, gap int, units ...string) (string, evidence, bool) {
	f := d.flow()
	rs, bo := f.runes()
	for _, kw := range kws {
		p := []rune(kw)
		for _, h := range approxFind(rs, p, maxErrors(len(p))) {
			if i, j, ok := numberAt(rs, h.end, gap, units); ok {
				return string(rs[i:j]), f.evidence(d, bo[i], bo[j]), true
			}
		}
	}
	return "", evidence{}, false
}

// numberAt finds the first number starting within gap runes of from (not crossing a line break or
// a sentence end), followed by one of units if any are given.
func numberAt(rs []rune, from, gap int, units []string) (int, int, bool) {
	i := from
	for i < len(rs) && i-from <= gap && !unicode.IsDigit(rs[i]) {
		if rs[i] == '\n' || rs[i] == '。' || rs[i] == ';' || rs[i] == '；' {
			return 0, 0, false
		}
		i++
	}
	if i >= len(rs) || i-from > gap || !unicode.IsDigit(rs[i]) {
		return 0, 0, false
	}
	j := i
	for j < len(rs) && (unicode.IsDigit(rs[j]) || rs[j] == '.' || rs[j] == ',') {
		j++
	}
	for j > i && (rs[j-1] == '.' || rs[j-1] == ',') {
		j--
	}
	if len(units) == 0 {
		return i, j, true
	}
	rest := strings.TrimLeft(string(rs[j:min(len(rs), j+4)]), " ")
	for _, u := range units {
		if strings.HasPrefix(rest, u) {
			return i, j, true
		}
	}
	return 0, 0, false
}

// intAfter sets an integer field from numberAfter.
func (d *document) intAfter(fs *fieldSet, name string, kws []string, gap int, units ...string) {
	if fs.has(name) {
		return
	}
	if v, ev, ok := d.numberAfter(kws, gap, units...); ok {
		if n, ok := normalize.Integer(v); ok {
			fs.set(name, itoa(n), ev)
		}
	}
}

// pctAfter sets a percentage field from numberAfter (the number must be followed by %).
func (d *document) pctAfter(fs *fieldSet, name string, kws []string, gap int) {
	if fs.has(name) {
		return
	}
	if v, ev, ok := d.numberAfter(kws, gap, "%"); ok {
		if p, ok := normalize.Percent(v + "%"); ok && p >= 0 && p <= 100 {
			fs.set(name, normalize.FormatNumber(p), ev)
		}
	}
}

// yearCounts reads "2022年服务中小企业55家" pairs approximately: each "服务中小企业" followed by
// a count of 家 and preceded (within 12 runes) by a year.
func (d *document) yearCounts() map[int64]yearCount {
	f := d.flow()
	rs, bo := f.runes()
	out := map[int64]yearCount{}
	p := []rune("服务中小企业")
	for _, h := range approxFind(rs, p, 1) {
		i, j, ok := numberAt(rs, h.end, 4, []string{"家"})
		if !ok {
			continue
		}
		// the year: the last "2023年" shortly before the phrase, on the same line
		seg := string(rs[max(0, h.start-12):h.start])
		if k := strings.LastIndex(seg, "\n"); k >= 0 {
			seg = seg[k+1:]
		}
		ms := yearRE.FindAllStringSubmatch(seg, -1)
		if len(ms) == 0 {
			continue
		}
		y, _ := normalize.Integer(ms[len(ms)-1][1])
		n, ok := normalize.Integer(string(rs[i:j]))
		if _, dup := out[y]; ok && !dup {
			out[y] = yearCount{n, f.evidence(d, bo[i], bo[j])}
		}
	}
	return out
}

type yearCount struct {
	n  int64
	ev evidence
}

var yearRE = regexp.MustCompile(`((?:19|20)\d{2})[ ]*年`)
