package compile

import (
	"fmt"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Page numbers ("N / M") are set in Helvetica, 9 pt, dark grey, centred 14 pt above the bottom edge
// of the page as it is shown (its crop box, turned by its /Rotate).
const (
	stampSize   = 9.0
	stampOffset = 14.0
	stampFont   = "SBPageNo" // resource name; another is chosen if a page already uses it
)

// helvetica is the font dictionary of the stamps (a standard font: nothing to embed).
var helvetica = types.Dict{
	"Type":     types.Name("Font"),
	"Subtype":  types.Name("Type1"),
	"BaseFont": types.Name("Helvetica"),
	"Encoding": types.Name("WinAnsiEncoding"),
}

// helveticaWidth is the advance of s (digits, space and "/") in thousandths of the font size.
func helveticaWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			w += 556
		default: // ' ', '/'
			w += 278
		}
	}
	return w
}

// stampContent is the content that draws "nr / total" on a page with the given crop box and
// rotation, using the font resource fontKey. If wrapped, the page's own content was opened with
// "q" (see builder.open), and this first closes it with "Q" so that the stamp starts from the
// default graphics state whatever the page left behind.
func stampContent(nr, total int, box types.Rectangle, rotate int, fontKey string, wrapped bool) []byte {
	var b []byte
	if wrapped {
		b = append(b, "\nQ\n"...)
	}
	llx, lly, urx, ury := box.LL.X, box.LL.Y, box.UR.X, box.UR.Y
	w, h := urx-llx, ury-lly
	// The matrix maps the coordinates of the page as shown (origin at its lower left, y up) to
	// the page's user space.
	var m [6]float64
	switch rotate {
	case 90:
		m, w = [6]float64{0, 1, -1, 0, urx, lly}, h
	case 180:
		m = [6]float64{-1, 0, 0, -1, urx, ury}
	case 270:
		m, w = [6]float64{0, -1, 1, 0, llx, ury}, h
	default:
		m = [6]float64{1, 0, 0, 1, llx, lly}
	}
	text := strconv.Itoa(nr) + " / " + strconv.Itoa(total)
	x := w/2 - helveticaWidth(text)*stampSize/2000
	b = append(b, "q "...)
	for _, v := range m {
		b = strconv.AppendFloat(b, v, 'f', -1, 64)
		b = append(b, ' ')
	}
	b = fmt.Appendf(b, "cm BT /%s %g Tf 0.2 0.2 0.2 rg %.2f %g Td (%s) Tj ET Q\n",
		types.EncodeName(fontKey), stampSize, x, stampOffset, text)
	return b
}

// normalRotation is r as one of 0, 90, 180, 270 (anything not a multiple of 90 counts as 0, as
// readers do).
func normalRotation(r int) int {
	r %= 360
	if r < 0 {
		r += 360
	}
	if r%90 != 0 {
		return 0
	}
	return r
}

// freeKey is key, or key followed by a number, whichever d does not have yet.
func freeKey(d types.Dict, key string) string {
	k := key
	for i := 1; ; i++ {
		if _, ok := d[k]; !ok {
			return k
		}
		k = key + strconv.Itoa(i)
	}
}
