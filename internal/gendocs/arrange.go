package main

import "strings"

// entry is one label and its value, to be arranged on a page by one of the arrangements below.
type entry struct {
	label, value string
	html         string // the value's HTML, when it carries marks
	wide         bool   // a long value (经营范围, 住所) that wants a whole row
}

func e(label, value string) entry     { return entry{label: label, value: value} }
func wideE(label, value string) entry { return entry{label: label, value: value, wide: true} }
func (en entry) valueHTML() string {
	if en.html != "" {
		return en.html
	}
	return esc(en.value)
}

// Arrangements of label/value entries, named as the layout table names them.
const (
	arrProse       = "prose"         // 名称：X, one entry a line
	arrTable2      = "table2"        // a two-column table: label | value
	arrTable4      = "table4"        // a four-column table: label | value | label | value
	arrHeaderRow   = "header-row"    // a row of labels over a row of values
	arrLabelsBelow = "labels-below"  // a row of values over a row of small labels
	arrVertical    = "vertical"      // labels written top to bottom in the first column
	arrSpaced      = "spaced-labels" // 名　　称 X (labels padded with spaces, no colon), no rules
)

var arrangements = []string{arrProse, arrTable2, arrTable4, arrHeaderRow, arrLabelsBelow, arrVertical, arrSpaced}

// arrange puts entries on the page in the given arrangement.
func arrange(p *page, how string, es []entry, sep string) {
	switch how {
	case arrProse:
		for _, en := range es {
			p.add(`<div class="kv"><span class="k">`+esc(en.label)+`</span>`+esc(sep)+`<span class="v">`+en.valueHTML()+`</span></div>`,
				en.label+sep+en.value)
		}
	case arrSpaced:
		var rows [][]cell
		for _, en := range es {
			rows = append(rows, []cell{{text: spaced(en.label), class: "lab"}, {text: en.value, html: en.html}})
		}
		p.table("plain", []int{22, 78}, rows)
	case arrTable2:
		var rows [][]cell
		for _, en := range es {
			rows = append(rows, []cell{{text: en.label, head: true}, {text: en.value, html: en.html}})
		}
		p.table("grid", []int{28, 72}, rows)
	case arrTable4:
		var rows [][]cell
		var pending []cell
		flush := func() {
			if len(pending) == 2 {
				pending[1].colspan = 3
			}
			if len(pending) > 0 {
				rows = append(rows, pending)
			}
			pending = nil
		}
		for _, en := range es {
			cl := []cell{{text: en.label, head: true}, {text: en.value, html: en.html}}
			if en.wide || len([]rune(en.value)) > 22 {
				flush()
				cl[1].colspan = 3
				rows = append(rows, cl)
				continue
			}
			pending = append(pending, cl...)
			if len(pending) == 4 {
				flush()
			}
		}
		flush()
		p.table("grid", []int{17, 33, 17, 33}, rows)
	case arrHeaderRow, arrLabelsBelow:
		// Wide entries get a row of their own (label beside value); the others go in chunks of three.
		var chunk []entry
		emit := func() {
			if len(chunk) == 0 {
				return
			}
			var heads, vals []cell
			for _, en := range chunk {
				heads = append(heads, cell{text: en.label, head: true, class: "small"})
				vals = append(vals, cell{text: en.value, html: en.html})
			}
			for len(heads) < 3 {
				heads = append(heads, cell{head: true})
				vals = append(vals, cell{})
			}
			if how == arrHeaderRow {
				p.table("grid hr", nil, [][]cell{heads, vals})
			} else {
				p.table("grid lb", nil, [][]cell{vals, heads})
			}
			chunk = nil
		}
		for _, en := range es {
			if en.wide || len([]rune(en.value)) > 22 {
				emit()
				p.table("grid", []int{20, 80}, [][]cell{{{text: en.label, head: true}, {text: en.value, html: en.html}}})
				continue
			}
			chunk = append(chunk, en)
			if len(chunk) == 3 {
				emit()
			}
		}
		emit()
	case arrVertical:
		var rows [][]cell
		for _, en := range es {
			rows = append(rows, []cell{{text: en.label, vertical: true, head: true}, {text: en.value, html: en.html}})
		}
		p.table("grid vt", []int{9, 91}, rows)
	}
}

// spaced pads a short label as printed forms do: 名称 → 名　　称, 住所 → 住　　所.
func spaced(label string) string {
	r := []rune(label)
	switch len(r) {
	case 2:
		return string(r[0]) + "　　" + string(r[1])
	case 3:
		return string(r[0]) + " " + string(r[1]) + " " + string(r[2])
	}
	return label
}

// joinNonEmpty joins the non-empty strings with sep.
func joinNonEmpty(sep string, xs ...string) string {
	var out []string
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return strings.Join(out, sep)
}
