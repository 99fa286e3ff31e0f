package compile

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Cover layout on A4 (595×842 pt, origin lower left).
const (
	rowHeight      = 26.0
	firstListTop   = 560.0
	otherListTop   = 790.0
	listBottom     = 50.0
	rowsFirstPage  = 19 // (firstListTop - listBottom) / rowHeight
	rowsOtherPages = 28 // (otherListTop - listBottom) / rowHeight
	maxNameRunes   = 46
)

func coverPageCount(n int) int {
	if n <= rowsFirstPage {
		return 1
	}
	n -= rowsFirstPage
	return 1 + (n+rowsOtherPages-1)/rowsOtherPages
}

// coverText is one line of the cover: where it starts (its baseline's left end), its size in
// points, and whether it is grey.
type coverText struct {
	x, y, size float64
	s          string
	grey       bool
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// coverLayout lays out the cover: the application, then the list of materials with their pages
// and SHA-256, continued on further pages (coverPageCount of them).
func coverLayout(c Cover, parts []part, total int) [][]coverText {
	pages := [][]coverText{nil}
	text := func(x, y, size float64, s string, grey bool) {
		pages[len(pages)-1] = append(pages[len(pages)-1], coverText{x, y, size, s, grey})
	}

	text(60, 780, 18, "中小企业公共服务示范平台申报材料汇编", false)
	y := 740.0
	line := func(label, value string) {
		text(60, y, 11, label+"："+value, false)
		y -= 20
	}
	line("申报单位", c.Applicant)
	if c.CreditCode != "" {
		line("统一社会信用代码", c.CreditCode)
	}
	if c.Year != 0 {
		line("申报年度", strconv.Itoa(c.Year))
	}
	line("申请状态", c.State)
	line("材料清单（第十七条）", fmt.Sprintf("已具备 %d / %d 项；阻断性问题 %d 项，需关注 %d 项", c.ItemsPresent, c.ItemsTotal, c.Blocking, c.Attention))
	line("汇编", fmt.Sprintf("%d 份文件，共 %d 页（含封面 %d 页）", len(parts), total, coverPageCount(len(parts))))
	if !c.Generated.IsZero() {
		line("生成时间", c.Generated.Format("2006-01-02 15:04"))
	}
	text(60, firstListTop+22, 13, "材料目录", false)

	top, rows, row := firstListTop, rowsFirstPage, 0
	for i, pt := range parts {
		if row == rows {
			pages = append(pages, nil)
			top, rows, row = otherListTop, rowsOtherPages, 0
		}
		yy := top - float64(row)*rowHeight
		pages := fmt.Sprintf("第 %d 页", pt.firstPage)
		if pt.pages > 1 {
			pages = fmt.Sprintf("第 %d–%d 页", pt.firstPage, pt.firstPage+pt.pages-1)
		}
		text(60, yy, 9.5, fmt.Sprintf("%d. %s　%s　%s", i+1, itemHeading(pt.m.Item, pt.m.ItemTitle), truncate(pt.m.FileName, maxNameRunes), pages), false)
		text(76, yy-11, 7, "SHA-256 "+pt.m.SHA256, true)
		row++
	}
	if len(parts) == 0 {
		text(60, firstListTop, 10, "（无材料）", false)
	}
	return pages
}

// writeCover writes the cover pages, their text set in the CJK font (embedded, only the glyphs
// used), each with its page number.
func (b *builder) writeCover(f *cjkFace, pages [][]coverText) error {
	enc := f.encoder()
	fontRef := b.pw.alloc()
	for _, texts := range pages {
		var content []byte
		for _, t := range texts {
			colour := "0 0 0"
			if t.grey {
				colour = "0.333 0.333 0.333"
			}
			content = fmt.Appendf(content, "BT /F1 %g Tf %s rg %g %g Td (", t.size, colour, t.x, t.y)
			content = appendLiteral(content, enc.encode(t.s))
			content = append(content, ") Tj ET\n"...)
		}
		box := types.RectForDim(a4Width, a4Height)
		content = append(content, stampContent(len(b.pages)+1, b.total, *box, 0, stampFont, false)...)
		cs := b.pw.alloc()
		b.pw.stream(cs, types.Dict{}, content)
		nr := b.pw.alloc()
		b.pw.object(nr, types.Dict{
			"Type":      types.Name("Page"),
			"Parent":    ref(b.pagesRoot),
			"MediaBox":  rectArray(box),
			"Resources": types.Dict{"Font": types.Dict{"F1": ref(fontRef), stampFont: ref(b.font)}},
			"Contents":  ref(cs),
		})
		b.pages = append(b.pages, nr)
	}
	if err := f.write(b.pw, fontRef, enc); err != nil {
		return err
	}
	return b.pw.err
}

// appendLiteral appends p escaped for a literal string: the delimiters and the backslash with a
// backslash, bytes outside printable ASCII in octal (a raw CR or LF would be read as LF).
func appendLiteral(b, p []byte) []byte {
	for _, c := range p {
		switch {
		case c == '(' || c == ')' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20 || c > 0x7e:
			b = append(b, '\\', '0'+c>>6, '0'+(c>>3)&7, '0'+c&7)
		default:
			b = append(b, c)
		}
	}
	return b
}
