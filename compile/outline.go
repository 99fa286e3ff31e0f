package compile

import "github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

// bookmark is one entry of the outline: a title, the page it opens (1-based) and its children.
type bookmark struct {
	title string
	page  int
	bold  bool
	kids  []bookmark
}

// bookmarks: 封面, then one per item with one per document under it.
func bookmarks(parts []part) []bookmark {
	bms := []bookmark{{title: "封面", page: 1}}
	for i := 0; i < len(parts); {
		j := i
		heading := itemHeading(parts[i].m.Item, parts[i].m.ItemTitle)
		bm := bookmark{title: heading, page: parts[i].firstPage, bold: true}
		for j < len(parts) && rank(parts[j].m.Item) == rank(parts[i].m.Item) &&
			(rank(parts[i].m.Item) != 9 || parts[j].m.Item == parts[i].m.Item) {
			bm.kids = append(bm.kids, bookmark{title: parts[j].m.FileName, page: parts[j].firstPage})
			j++
		}
		bms = append(bms, bm)
		i = j
	}
	return bms
}

// writeOutline writes the outline of bms (items open, so that every document shows) and returns the
// object number of its root. pages are the output's page objects in order.
func writeOutline(pw *pdfWriter, bms []bookmark, pages []int) int {
	root := pw.alloc()
	first, last, count := writeOutlineLevel(pw, bms, root, pages)
	pw.object(root, types.Dict{
		"Type":  types.Name("Outlines"),
		"First": ref(first),
		"Last":  ref(last),
		"Count": types.Integer(count),
	})
	return root
}

// writeOutlineLevel writes the entries bms under parent and returns the first's and the last's
// object numbers and the number of entries shown (these and their open descendants).
func writeOutlineLevel(pw *pdfWriter, bms []bookmark, parent int, pages []int) (first, last, count int) {
	nrs := make([]int, len(bms))
	for i := range bms {
		nrs[i] = pw.alloc()
	}
	for i, bm := range bms {
		d := types.Dict{
			"Title":  textString(bm.title),
			"Parent": ref(parent),
			"Dest":   types.Array{ref(pages[bm.page-1]), types.Name("Fit")},
		}
		if i > 0 {
			d["Prev"] = ref(nrs[i-1])
		}
		if i < len(bms)-1 {
			d["Next"] = ref(nrs[i+1])
		}
		if bm.bold {
			d["F"] = types.Integer(2)
		}
		if len(bm.kids) > 0 {
			f, l, n := writeOutlineLevel(pw, bm.kids, nrs[i], pages)
			d["First"], d["Last"], d["Count"] = ref(f), ref(l), types.Integer(n)
			count += n
		}
		pw.object(nrs[i], d)
		count++
	}
	return nrs[0], nrs[len(nrs)-1], count
}
