package extract

import (
	"slices"
	"strings"
	"unicode/utf8"

	"shenbao/doc"
)

// certificateLabels are the labels of registration certificates that the lexicon's fields do not
// name, for telling where one label ends and the next begins in a column of labels read as one
// word (see unstackLabels).
var certificateLabels = []string{
	"活动地域", "业务主管单位", "举办单位", "经费来源", "宗旨和业务范围", "业务范围", "经营范围", "类型",
	"登记机关", "登记管理机关", "证号", "组成形式", "出资人",
}

// stackLabels are all the labels unstackLabels knows, longest first.
var stackLabels = func() []string {
	var out []string
	for _, lb := range []label{lbOrgName, lbCredit, lbLegalRep, lbEstablished, lbCapital, lbTerm, lbResidence} {
		out = append(out, lb.alts...)
	}
	out = append(out, certificateLabels...)
	// longest first, so 法定代表人姓名 before 法定代表人
	slices.SortStableFunc(out, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
	return out
}()

// splitLabels reads s as labels one after another (活动地域法定代表人 → 活动地域, 法定代表人). A first
// character that is no label's start is returned as the remnant of the label above (称 of 名 称,
// whose 名 the reader put on the line above). It reports false unless s is wholly two labels or more.
func splitLabels(s string) (labels []string, remnant string, ok bool) {
	rs := []rune(strings.TrimSpace(s))
	parse := func(rs []rune) []string {
		var out []string
		for len(rs) > 0 {
			found := ""
			for _, lb := range stackLabels {
				if strings.HasPrefix(string(rs), lb) {
					found = lb
					break
				}
			}
			if found == "" {
				return nil
			}
			out = append(out, found)
			rs = rs[len([]rune(found)):]
		}
		return out
	}
	if ls := parse(rs); len(ls) >= 2 {
		return ls, "", true
	}
	if len(rs) > 1 {
		if ls := parse(rs[1:]); len(ls) >= 2 {
			return ls, string(rs[:1]), true
		}
	}
	return nil, "", false
}

// unstackLabels undoes a reading that joined a column of labels into one word: certificates print
// their labels in a narrow column, each row's label in its own cell (often one character a line, 法
// 定 代 表 人), and a reader may take the column for one word (活动地域法定代表人, 成立时间有效期限)
// beside the first row's value, with the other rows' values on the lines below. The labels are
// given back to their rows, in order: the first to the line's own value (or, without one, to the
// line below), the next ones to the next lines in the value column. A character before the labels
// that completes the label of the line above (名 / 称) is given back to it.
func unstackLabels(ls []doc.Line) []doc.Line {
	out := append([]doc.Line(nil), ls...)
	for i := 0; i < len(out); i++ {
		l := out[i]
		if len(l.Words) == 0 {
			continue
		}
		w := l.Words[0]
		labels, remnant, ok := splitLabels(w.Text)
		if !ok {
			continue
		}
		// the rows of values: this line's own (if it has a value beside the labels), then the
		// lines below whose text begins right of the labels' column
		var rows []int
		if len(l.Words) > 1 {
			rows = append(rows, i)
		}
		for j := i + 1; j < len(out) && len(rows) < len(labels); j++ {
			o := out[j]
			if len(o.Words) == 0 || o.Box.Y0 < l.Box.Y0 {
				continue
			}
			if o.Words[0].Box.X0 < w.Box.X1-w.Box.H()/2 {
				break // a row with its own label: the stacked ones are done
			}
			rows = append(rows, j)
		}
		if len(rows) < len(labels) {
			continue // not as many rows of values as labels: leave the reading as it is
		}
		if rows[0] != i {
			out[i].Words = nil // the labels' word alone on its line: it goes to the rows below
		}
		if remnant != "" && i > 0 {
			if p := &out[i-1]; len(p.Words) > 0 && isLabelText(p.Words[0].Text+remnant) {
				nw := append([]doc.Word(nil), p.Words...)
				nw[0].Text += remnant
				p.Words = nw
			}
		}
		for k, r := range rows {
			o := out[r]
			lw := doc.Word{Text: labels[k], Box: doc.Box{X0: w.Box.X0, Y0: o.Box.Y0, X1: w.Box.X1, Y1: o.Box.Y1}, Confidence: w.Confidence}
			words := o.Words
			if r == i {
				words = words[1:] // the joined labels' word itself
			}
			o.Words = append([]doc.Word{lw}, words...)
			o.Box = lw.Box
			for _, x := range o.Words {
				o.Box = o.Box.Union(x.Box)
			}
			out[r] = o
		}
	}
	return out
}

// maxFragment is the longest piece of a label that a narrow label column puts on one line.
const maxFragment = 5

// joinStackedLabels rejoins the labels of a narrow label column that prints each label over two
// lines or more, a character or a few a line (名 / 称, 法 / 定代 / 表人, 注 / 册资 / 金), with the
// label's value beside one of those lines. Consecutive lines that begin, at the column's left edge,
// with a short piece of Chinese are read together; pieces that join into a certificate label (one
// character may be misread when the label has four or more: 成立时问) become that label, on the
// first line beside which a value stands — or on the first line when none does — and the other
// pieces are dropped. Pieces that join into no label are left as they are.
func joinStackedLabels(ls []doc.Line) []doc.Line {
	piece := func(l doc.Line) (string, bool) {
		if len(l.Words) == 0 {
			return "", false
		}
		t := strings.TrimSpace(l.Words[0].Text)
		n := utf8.RuneCountInString(t)
		return t, n >= 1 && n <= maxFragment && hanCount([]rune(t)) == n
	}
	var idx []int // the lines that begin with a piece, top to bottom
	for i, l := range ls {
		if _, ok := piece(l); ok && !l.Words[0].Box.Empty() {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return ls[a].Words[0].Box.Y0 - ls[b].Words[0].Box.Y0 })
	// next reports whether line j's piece goes on from line i's: the same column, the next line.
	next := func(i, j int) bool {
		a, b := ls[i].Words[0].Box, ls[j].Words[0].Box
		h := max(a.H(), b.H())
		return abs(a.X0-b.X0) <= h && b.Y0 >= a.Y0+a.H()/2 && b.Y0-a.Y1 <= 3*h/2
	}
	out := slices.Clone(ls)
	for s := 0; s < len(idx); {
		best, bestLabel := 0, ""
		text := ""
		for e := s; e < len(idx) && e-s < 2*maxFragment; e++ {
			if e > s && !next(idx[e-1], idx[e]) {
				break
			}
			t, _ := piece(ls[idx[e]])
			text += t
			if e == s {
				continue
			}
			if lb, ok := certificateLabel(text); ok {
				best, bestLabel = e+1, lb
			}
		}
		if best == 0 {
			s++
			continue
		}
		group := idx[s:best]
		at := group[0]
		for _, i := range group {
			if len(ls[i].Words) > 1 {
				at = i
				break
			}
		}
		for _, i := range group {
			o := out[i]
			words := slices.Clone(o.Words[1:])
			if i == at {
				lw := o.Words[0]
				lw.Text = bestLabel
				words = append([]doc.Word{lw}, words...)
			}
			o.Words = words
			o.Box = doc.Box{}
			for _, w := range words {
				o.Box = o.Box.Union(w.Box)
			}
			out[i] = o
		}
		s = best
	}
	return out
}

// certificateLabel returns the label of a certificate that s is: one of stackLabels, or within one
// misread character of one of four characters or more.
func certificateLabel(s string) (string, bool) {
	rs := []rune(s)
	for _, lb := range stackLabels {
		if lb == s {
			return lb, true
		}
	}
	if len(rs) < 4 {
		return "", false
	}
	for _, lb := range stackLabels {
		if lr := []rune(lb); len(lr) == len(rs) && lr[0] == rs[0] && hamming(lr, rs) == 1 {
			return lb, true
		}
	}
	return "", false
}
