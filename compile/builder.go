package compile

import (
	"io"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// builder is the output while it is written: the writer, the objects every page shares, and the
// page objects so far (for the page tree and the bookmarks).
type builder struct {
	pw        *pdfWriter
	total     int   // pages the output will have
	pagesRoot int   // the page tree's root, written last
	font      int   // the stamps' font
	open      int   // a content stream "q" put before a copied page's own content
	pages     []int // object numbers of the pages written, in order
}

func newBuilder(w io.Writer, total int) *builder {
	pw := newPDFWriter(w)
	b := &builder{pw: pw, total: total, pages: make([]int, 0, total)}
	b.pagesRoot = pw.alloc()
	b.font = pw.alloc()
	pw.object(b.font, helvetica)
	b.open = pw.alloc()
	pw.stream(b.open, types.Dict{}, []byte("q\n"))
	return b
}

// finish writes the page tree, the outline, the document information and the catalog, then the
// cross-reference table.
func (b *builder) finish(bms []bookmark, cover Cover) error {
	kids := make(types.Array, len(b.pages))
	for i, nr := range b.pages {
		kids[i] = ref(nr)
	}
	b.pw.object(b.pagesRoot, types.Dict{
		"Type":  types.Name("Pages"),
		"Kids":  kids,
		"Count": types.Integer(len(b.pages)),
	})
	outline := writeOutline(b.pw, bms, b.pages)
	info := b.pw.alloc()
	id := types.Dict{
		"Title":    textString("中小企业公共服务示范平台申报材料汇编"),
		"Producer": types.StringLiteral("Shenbao"),
	}
	if !cover.Generated.IsZero() {
		id["CreationDate"] = types.StringLiteral(pdfDate(cover.Generated))
	}
	b.pw.object(info, id)
	catalog := b.pw.alloc()
	b.pw.object(catalog, types.Dict{
		"Type":     types.Name("Catalog"),
		"Pages":    ref(b.pagesRoot),
		"Outlines": ref(outline),
		"PageMode": types.Name("UseOutlines"),
		"Lang":     types.StringLiteral("zh-CN"),
	})
	return b.pw.finish(catalog, info)
}

// pdfDate is t as a PDF date string, D:YYYYMMDDHHmmSS with its offset from UTC.
func pdfDate(t time.Time) string {
	s := t.Format("D:20060102150405-07'00'")
	if _, off := t.Zone(); off == 0 {
		s = t.Format("D:20060102150405") + "Z"
	}
	return s
}
