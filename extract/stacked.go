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
