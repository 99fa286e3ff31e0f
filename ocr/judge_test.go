package ocr

import (
	"image"
	"image/color"
	"math"
	"testing"

	"shenbao/doc"
)

func page(words ...string) doc.Page {
	var l doc.Line
	for _, w := range words {
		l.Words = append(l.Words, doc.Word{Text: w, Confidence: 0.9})
	}
	return doc.Page{Lines: []doc.Line{l}}
}

func TestJudge(t *testing.T) {
	for _, tc := range []struct {
		name             string
		p                doc.Page
		marks            float64
		blank, illegible bool
	}{
		{"nothing on a clean sheet", page(), 0.0002, true, false},
		{"a speck read as a glyph", page("严"), 0.0001, true, false},
		{"marks but nothing read: blurred print", page("#严##"), 0.007, false, true},
		{"text", page("审计报告", "2023年度"), 0.05, false, false},
		{"nothing read, marks unknown", page(), -1, true, false},
	} {
		judge(&tc.p, tc.marks)
		if tc.p.Blank != tc.blank || tc.p.Illegible != tc.illegible {
			t.Errorf("%s: blank %v illegible %v; want %v %v", tc.name, tc.p.Blank, tc.p.Illegible, tc.blank, tc.illegible)
		}
	}
}

func TestMarkRatio(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 1000, 1400))
	for i := range img.Pix {
		img.Pix[i] = 235
	}
	// A dark scanner border is outside the interior and does not count.
	for y := 0; y < 1400; y++ {
		for x := 0; x < 40; x++ {
			img.SetGray(x, y, color.Gray{60})
		}
	}
	if r := markRatio(img); r >= minMarks {
		t.Errorf("blank sheet with a dark border: marks %.4f; want < %.4f", r, minMarks)
	}
	// A scan's grain: one pixel in thirty-six 30 levels under the paper, none side by side.
	grain := image.NewGray(img.Bounds())
	copy(grain.Pix, img.Pix)
	for y := 100; y < 1300; y += 3 {
		for x := 100 + (y/3)%2*6; x < 900; x += 12 {
			grain.SetGray(x, y, color.Gray{205})
		}
	}
	// …and grain clumped by compression into specks of two by two, one speck in 1,300 pixels.
	for y := 100; y < 1300; y += 41 {
		for x := 100 + (y*7)%29; x < 900; x += 32 {
			for dy := range 2 {
				for dx := range 2 {
					grain.SetGray(x+dx, y+dy, color.Gray{200})
				}
			}
		}
	}
	if r := markRatio(grain); r >= minMarks {
		t.Errorf("blank sheet with grain: marks %.4f; want < %.4f", r, minMarks)
	}
	// Faint grey strokes (30 levels under the paper), half of a band a tenth of the page high, count.
	for y := 300; y < 440; y++ {
		for x := 100; x < 900; x++ {
			if (x/6)%2 == 0 {
				img.SetGray(x, y, color.Gray{205})
			}
		}
	}
	if r := markRatio(img); r < 0.03 {
		t.Errorf("faint print: marks %.4f; want ≥ 0.03", r)
	}
}

// A box read on a page deskewed by a small angle maps back to where the word stands on the page.
func TestUnskew(t *testing.T) {
	const w, h = 2000, 3000
	angle := 1.5 * math.Pi / 180
	word := doc.Box{X0: 1400, Y0: 500, X1: 1600, Y1: 540} // where the word is on the page
	// Where it lands on the page turned clockwise by angle about the centre.
	cx, cy := float64(w)/2, float64(h)/2
	fwd := func(x, y int) (int, int) {
		dx, dy := float64(x)-cx, float64(y)-cy
		return int(math.Round(cx + dx*math.Cos(angle) - dy*math.Sin(angle))), int(math.Round(cy + dx*math.Sin(angle) + dy*math.Cos(angle)))
	}
	x0, y0 := fwd(word.X0, word.Y0)
	x1, y1 := fwd(word.X1, word.Y1)
	lines := []doc.Line{{Words: []doc.Word{{Text: "词", Box: doc.Box{X0: min(x0, x1), Y0: min(y0, y1), X1: max(x0, x1), Y1: max(y0, y1)}}}}}
	unskew(lines, angle, w, h)
	got := lines[0].Words[0].Box
	near := func(a, b int) bool { return a-b <= 6 && b-a <= 6 }
	if !near(got.X0, word.X0) || !near(got.X1, word.X1) || !near((got.Y0+got.Y1)/2, (word.Y0+word.Y1)/2) {
		t.Errorf("unskewed box %+v; want about %+v", got, word)
	}
}
