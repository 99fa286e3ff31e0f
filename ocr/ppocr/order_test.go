package ppocr

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"shenbao/doc"
)

// box is an item with one word, its text, at x0, y0 of size w×h.
func box(text string, x0, y0, w, h float64) item {
	b := doc.Box{X0: int(x0), Y0: int(y0), X1: int(x0 + w), Y1: int(y0 + h)}
	return item{x0: x0, y0: y0, x1: x0 + w, y1: y0 + h, box: b, words: []doc.Word{{Text: text, Box: b, Confidence: 1}}}
}

func texts(lines []doc.Line) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l.Text())
	}
	return out
}

func TestOrderTwoColumnsStayApart(t *testing.T) {
	// Two columns 100 pixels apart (over three line heights), lines a little out of step.
	items := []item{
		box("右一", 520, 101, 380, 30), box("左一", 40, 100, 400, 30),
		box("左二", 40, 140, 400, 30), box("右二", 520, 143, 380, 30),
		box("左三", 40, 180, 300, 30), box("右三", 520, 178, 380, 30),
	}
	got := texts(orderItems(items))
	want := []string{"左一", "右一", "左二", "右二", "左三", "右三"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

func TestOrderTableRowStaysOneRow(t *testing.T) {
	// A table row whose cells sit a few pixels apart in height, and the next row below.
	items := []item{
		box("1", 20, 205, 20, 30), box("昌都市牦牛商贸有限公司", 90, 200, 330, 32), box("曹颖", 480, 207, 60, 30),
		box("13946029936", 700, 203, 200, 30),
		box("2", 20, 255, 20, 30), box("昌都市日月餐饮管理有限公司", 90, 250, 390, 32), box("冯军", 520, 257, 60, 30),
		box("13917124030", 700, 253, 200, 30),
	}
	lines := orderItems(items)
	// Read in order, cells left to right, the first row wholly before the second.
	got := strings.ReplaceAll(strings.Join(texts(lines), ""), " ", "")
	if want := "1昌都市牦牛商贸有限公司曹颖13946029936" + "2昌都市日月餐饮管理有限公司冯军13917124030"; got != want {
		t.Errorf("text %s; want %s", got, want)
	}
	for _, l := range lines {
		if l.Box.Y0 < 240 && l.Box.Y1 > 250 {
			t.Errorf("line %q (%v) spans both rows", l.Text(), l.Box)
		}
	}
}

func TestOrderTightParagraph(t *testing.T) {
	// Lines of a paragraph so close that their boxes (grown by unclipping) overlap: each stays its own
	// line, top to bottom.
	items := []item{
		box("第三行", 50, 70, 500, 40), box("第一行", 50, 0, 500, 40), box("第二行", 50, 35, 500, 40),
	}
	got := strings.Join(texts(orderItems(items)), "|")
	if got != "第一行|第二行|第三行" {
		t.Errorf("lines %s; want 第一行|第二行|第三行", got)
	}
}

func TestOrderSkewedPage(t *testing.T) {
	// Two long lines of a page turned 5° clockwise: in page coordinates their boxes overlap in height,
	// but each is its own line.
	mk := func(text string, y float64) textLine {
		r := rect{c: pt{500, y}, u: pt{0.9961947, 0.0871557}, a: 400, b: 15}
		return textLine{q: r.quad(), text: []rune(text), conf: []float64{1, 1}, steps: []int{0, 1}, steps0: 2}
	}
	got := texts(order([]textLine{mk("乙行", 150), mk("甲行", 100)}, 1000, 1000))
	if diff := cmp.Diff([]string{"甲行", "乙行"}, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}
