package extract

import (
	"slices"
	"unicode"

	"shenbao/extract/normalize"
)

// Approximate matching of printed labels and keywords in OCR text.

// maxErrors is how many edits a keyword of n runes may carry and still match: none up to three
// runes, one up to six, two up to ten, three beyond.
func maxErrors(n int) int {
	switch {
	case n <= 3:
		return 0
	case n <= 6:
		return 1
	case n <= 10:
		return 2
	}
	return 3
}

// hit is an occurrence of a pattern in a rune slice: [start, end) and its edit distance.
type hit struct {
	start, end, dist int
}

// approxFind returns the non-overlapping occurrences of pat in text with at most k edits
// (Sellers' algorithm: edit distance with a free start), best first within overlaps, in text
// order. A match must share its first or its last rune with pat when k > 0, which keeps short
// keywords from matching on their middle alone.
func approxFind(text, pat []rune, k int) []hit {
	m, n := len(pat), len(text)
	if m == 0 || n == 0 {
		return nil
	}
	if k == 0 {
		var out []hit
		for i := 0; i+m <= n; i++ {
			ok := true
			for j := 0; j < m; j++ {
				if text[i+j] != pat[j] {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, hit{i, i + m, 0})
				i += m - 1
			}
		}
		return out
	}
	// prev/cur: distance of pat[:i] ending at text position j; st: where that alignment starts.
	prevD := make([]int, n+1)
	prevS := make([]int, n+1)
	curD := make([]int, n+1)
	curS := make([]int, n+1)
	for j := 0; j <= n; j++ {
		prevD[j], prevS[j] = 0, j
	}
	for i := 1; i <= m; i++ {
		curD[0], curS[0] = i, 0
		for j := 1; j <= n; j++ {
			cost := 1
			if pat[i-1] == text[j-1] {
				cost = 0
			}
			d, s := prevD[j-1]+cost, prevS[j-1] // substitute / match
			if prevD[j]+1 < d {                 // pattern rune missing from text
				d, s = prevD[j]+1, prevS[j]
			}
			if curD[j-1]+1 < d { // extra rune in text
				d, s = curD[j-1]+1, curS[j-1]
			}
			curD[j], curS[j] = d, s
		}
		prevD, curD = curD, prevD
		prevS, curS = curS, prevS
	}
	// prevD now holds distances for the whole pattern at every end position.
	var cands []hit
	for j := 1; j <= n; j++ {
		if prevD[j] > k {
			continue
		}
		h := hit{prevS[j], j, prevD[j]}
		// A mark read in place of a missing character (√ for 创, 、 for 营) is not part of the
		// match: as a deletion instead of a substitution it costs the same.
		if h.dist > 0 && normalize.IsHan(pat[0]) && h.start < h.end && !normalize.IsHan(text[h.start]) && !unicode.IsDigit(text[h.start]) {
			h.start++
		}
		if h.dist > 0 && normalize.IsHan(pat[m-1]) && h.start < h.end && !normalize.IsHan(text[h.end-1]) && !unicode.IsDigit(text[h.end-1]) {
			h.end--
		}
		if h.end-h.start < m-k || h.start >= h.end {
			continue
		}
		if h.dist > 0 && text[h.start] != pat[0] && text[h.end-1] != pat[m-1] {
			continue
		}
		cands = append(cands, h)
	}
	// Keep the best of each overlapping group.
	var out []hit
	for _, c := range cands {
		if len(out) > 0 && c.start < out[len(out)-1].end {
			last := &out[len(out)-1]
			if c.dist < last.dist || (c.dist == last.dist && c.end-c.start == m && last.end-last.start != m) {
				*last = c
			}
			continue
		}
		out = append(out, c)
	}
	return out
}

// contains reports whether kw occurs in text with the tolerance of maxErrors.
func contains(text []rune, kw string) bool {
	p := []rune(kw)
	return len(approxFind(text, p, maxErrors(len(p)))) > 0
}

// containsExact reports whether kw occurs exactly in text.
func containsExact(text []rune, kw string) bool {
	return len(approxFind(text, []rune(kw), 0)) > 0
}

// structuralWords are the words whose presence or absence makes two names two legal persons rather
// than two readings of one: the legal form (有限公司, 有限责任公司, 股份有限公司, 集团) and the
// administrative level of a place (西藏 and 西藏自治区, 拉萨 and 拉萨市).
var structuralWords = []string{"责任", "股份", "有限", "集团", "自治区", "地区", "自治州", "省", "市", "县", "区"}

// wordDifference reports whether a and b differ, in their cheapest alignment, by a structural word
// added or left out whole (甲乙信息服务有限公司 and 甲乙信息服务有限责任公司).
func wordDifference(a, b []rune) bool {
	// d[i][j]: edit distance of a[:i] and b[:j]
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			c := d[i-1][j-1]
			if a[i-1] != b[j-1] {
				c = min(c, d[i-1][j], d[i][j-1]) + 1
			}
			d[i][j] = c
		}
	}
	// Walk back, gathering runs of characters only one side has.
	var run []rune
	structural := func() bool {
		if len(run) == 0 {
			return false
		}
		slices.Reverse(run)
		w := string(run)
		run = run[:0]
		return slices.Contains(structuralWords, w)
	}
	i, j := len(a), len(b)
	for i > 0 || j > 0 {
		switch {
		case i > 0 && j > 0 && a[i-1] == b[j-1] && d[i][j] == d[i-1][j-1]:
			if structural() {
				return true
			}
			i, j = i-1, j-1
		case i > 0 && j > 0 && d[i][j] == d[i-1][j-1]+1:
			if structural() {
				return true
			}
			i, j = i-1, j-1
		case i > 0 && d[i][j] == d[i-1][j]+1:
			run = append(run, a[i-1])
			i--
		default:
			run = append(run, b[j-1])
			j--
		}
	}
	return structural()
}
