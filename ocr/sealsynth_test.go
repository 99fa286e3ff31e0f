package ocr

import (
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"shenbao/internal/testreq"
)

// cjkFace opens a CJK font installed on the machine (fonts-noto-cjk, fonts-wqy, …) at px pixels. Without
// one the test is skipped, unless everything is required (internal/testreq): then it fails.
func cjkFace(t testing.TB, px float64) font.Face {
	t.Helper()
	var paths []string
	for _, g := range []string{"/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/*/*/*CJK*.tt?", "/usr/share/fonts/truetype/wqy/*.tt?", "/usr/share/fonts/*/*/*.tt?"} {
		m, _ := filepath.Glob(g)
		paths = append(paths, m...)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		c, err := opentype.ParseCollection(b)
		if err != nil {
			continue
		}
		for i := range c.NumFonts() {
			f, err := c.Font(i)
			if err != nil {
				continue
			}
			if idx, err := f.GlyphIndex(nil, '藏'); err != nil || idx == 0 {
				continue
			}
			face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
			if err == nil {
				return face
			}
		}
	}
	testreq.Skip(t, "no CJK font installed (fonts-noto-cjk or fonts-wqy)")
	return nil
}

// glyph draws one character, upright, as coverage in 0..1 on an s×s square.
func glyph(face font.Face, r rune, s int) []float64 {
	m := image.NewAlpha(image.Rect(0, 0, s, s))
	b, _ := font.BoundString(face, string(r))
	w, h := (b.Max.X - b.Min.X).Round(), (b.Max.Y - b.Min.Y).Round()
	d := font.Drawer{Dst: m, Src: image.Opaque, Face: face,
		Dot: fixed.P((s-w)/2-b.Min.X.Round(), (s-h)/2-b.Min.Y.Round())}
	d.DrawString(string(r))
	out := make([]float64, s*s)
	for i, a := range m.Pix {
		out[i] = float64(a) / 255
	}
	return out
}

// drawSeal stamps a round official seal of radius r at cx, cy on page with ink: a ring, text round the
// inside of it clockwise from the lower left (heads outwards) and a five-pointed star in the middle.
func drawSeal(t testing.TB, page *image.RGBA, cx, cy, r float64, text string, ink color.RGBA) {
	runes := []rune(text)
	charPx := 0.24 * r
	face := cjkFace(t, charPx)
	cell := int(charPx * 1.3)
	paint := func(x, y int, a float64) {
		if a <= 0 || !image.Pt(x, y).In(page.Rect) {
			return
		}
		o := page.PixOffset(x, y)
		for c, v := range [3]uint8{ink.R, ink.G, ink.B} {
			p := float64(page.Pix[o+c])
			page.Pix[o+c] = uint8(p + (float64(v)-p)*min(a, 1)) // ink over what is there, as a stamp
		}
	}
	// The ring, 0.05 r wide.
	for y := int(cy - r - 2); y <= int(cy+r+2); y++ {
		for x := int(cx - r - 2); x <= int(cx+r+2); x++ {
			d := math.Hypot(float64(x)-cx, float64(y)-cy)
			paint(x, y, 1-math.Abs(d-0.975*r)/(0.025*r)+0.5)
		}
	}
	// The characters, evenly from −125° to +125°, their centres at 0.8 r.
	span := 250 * math.Pi / 180
	for i, c := range runes {
		a := -span/2 + span*(float64(i)+0.5)/float64(len(runes))
		g := glyph(face, c, cell)
		gx, gy := cx+0.8*r*math.Sin(a), cy-0.8*r*math.Cos(a)
		sin, cos := math.Sin(a), math.Cos(a)
		half := float64(cell) / 2
		for y := int(gy - half*1.5); y <= int(gy+half*1.5); y++ {
			for x := int(gx - half*1.5); x <= int(gx+half*1.5); x++ {
				// Into the glyph's frame: turn back by a.
				dx, dy := float64(x)-gx, float64(y)-gy
				u, v := dx*cos+dy*sin+half, -dx*sin+dy*cos+half
				if iu, iv := int(u), int(v); iu >= 0 && iv >= 0 && iu < cell && iv < cell {
					paint(x, y, g[iv*cell+iu])
				}
			}
		}
	}
	// The star, of radius 0.28 r.
	var star [10][2]float64
	for i := range star {
		rr := 0.28 * r
		if i%2 == 1 {
			rr *= 0.38
		}
		a := float64(i) * math.Pi / 5
		star[i] = [2]float64{cx + rr*math.Sin(a), cy - rr*math.Cos(a)}
	}
	for y := int(cy - 0.3*r); y <= int(cy+0.3*r); y++ {
		for x := int(cx - 0.3*r); x <= int(cx+0.3*r); x++ {
			in := false
			for i, j := 0, len(star)-1; i < len(star); j, i = i, i+1 {
				xi, yi, xj, yj := star[i][0], star[i][1], star[j][0], star[j][1]
				if (yi > float64(y)) != (yj > float64(y)) && float64(x) < (xj-xi)*(float64(y)-yi)/(yj-yi)+xi {
					in = !in
				}
			}
			if in {
				paint(x, y, 1)
			}
		}
	}
}

// sealPage is an A4 page at 200 dpi with a line of black print and a seal of 42 mm stamped beside it,
// its text known; with over, the print runs through the seal, across its text on both sides.
func sealPage(t testing.TB, text string, ink color.RGBA, over bool) (page *image.RGBA, cx, cy, r float64) {
	page = image.NewRGBA(image.Rect(0, 0, 1654, 2339))
	for i := range page.Pix {
		page.Pix[i] = 250
	}
	face := cjkFace(t, 40)
	cx, cy, r = 1150, 1600, 0.021/0.0254*200
	y := 1400
	if over {
		y = 1620
	}
	d := font.Drawer{Dst: page, Src: image.NewUniform(color.RGBA{20, 20, 20, 255}), Face: face, Dot: fixed.P(700, y)}
	d.DrawString("申报单位（公章）：西藏示例科技有限公司")
	drawSeal(t, page, cx, cy, r, text, ink)
	return page, cx, cy, r
}

func toGrey(m *image.RGBA) *image.Gray {
	g := image.NewGray(m.Rect)
	for i := 0; i < len(g.Pix); i++ {
		r, gg, b := int(m.Pix[4*i]), int(m.Pix[4*i+1]), int(m.Pix[4*i+2])
		g.Pix[i] = uint8((r*299 + gg*587 + b*114) / 1000)
	}
	return g
}

var sealRed = color.RGBA{215, 40, 45, 255}

// A seal drawn on a page is found where it is, on the page in colour (by its red) and on the same page
// in grey (by its ring), and its ring is fitted to within a few pixels.
func TestSyntheticSealFound(t *testing.T) {
	page, cx, cy, r := sealPage(t, "西藏示例科技有限公司", sealRed, true)
	for _, tc := range []struct {
		name string
		img  image.Image
		red  bool
	}{{"colour", page, true}, {"grey", toGrey(page), false}} {
		seals, known := pageSeals(tc.img, 200)
		if !known || len(seals) != 1 {
			t.Fatalf("%s: %d seals (known %v); want 1", tc.name, len(seals), known)
		}
		s := seals[0]
		if s.red != tc.red {
			t.Errorf("%s: found by colour %v; want %v", tc.name, s.red, tc.red)
		}
		if math.Hypot(s.cx-cx, s.cy-cy) > 4 || math.Abs(s.r-r) > 0.05*r {
			t.Errorf("%s: ring at %.0f,%.0f r %.0f; want %.0f,%.0f r %.0f", tc.name, s.cx, s.cy, s.r, cx, cy, r)
		}
		m, fcx, fcy, fr := sealInk(tc.img, s)
		if d := math.Hypot(fcx+float64(m.x0)+0.5-cx, fcy+float64(m.y0)+0.5-cy); d > 2.5 || math.Abs(fr-0.975*r) > 3 {
			t.Errorf("%s: refitted ring %.1f px off centre, r %.1f; want within 2.5 px, r %.1f", tc.name, d, fr, 0.975*r)
		}
	}
	// A page without a seal shows none: known when grey (a seal would show its ring), unknown when
	// 1-bit (thresholding can drop a light red seal to white).
	blank := image.NewRGBA(page.Rect)
	for i := range blank.Pix {
		blank.Pix[i] = 250
	}
	if seals, known := pageSeals(toGrey(blank), 200); len(seals) != 0 || !known {
		t.Errorf("grey page without a seal: %d seals, known %v; want none, known", len(seals), known)
	}
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	bilevel := toGrey(blank)
	for y := 100; y < 300; y++ {
		for x := 100; x < 900; x += 3 {
			bilevel.Pix[y*bilevel.Stride+x] = 0 // print, black on white only
		}
	}
	if seals, known := pageSeals(bilevel, 200); len(seals) != 0 || known {
		t.Errorf("1-bit page without a seal: %d seals, known %v; want none, unknown", len(seals), known)
	}
}

// Unrolled and read by PP-OCR, a synthetic seal gives back its text, red or grey, and whichever way up
// the page was scanned.
func TestSyntheticSealRead(t *testing.T) {
	const want = "西藏示例科技有限公司"
	page, _, _, _ := sealPage(t, want, sealRed, false)
	over, _, _, _ := sealPage(t, want, sealRed, true)
	e, err := NewEngine(EngineConfig{Reader: ReaderPPOCR})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, tc := range []struct {
		name     string
		img      image.Image
		rotation int
		edits    int // characters allowed wrong
	}{
		{"colour", page, 0, 0},
		{"grey", toGrey(page), 0, 0},
		{"grey scanned on its side", rotate(toGrey(page), 270), 90, 0},
		{"colour, print over the seal", over, 0, 0},
		// Print over a grey seal is left out with the seal's strokes under it.
		{"grey, print over the seal", toGrey(over), 0, 1},
	} {
		seals, _ := pageSeals(tc.img, 200)
		if len(seals) != 1 {
			t.Fatalf("%s: %d seals; want 1", tc.name, len(seals))
		}
		texts, err := e.readSeals(tc.img, seals, tc.rotation)
		if err != nil {
			t.Fatal(err)
		}
		if len(texts) != 1 || editDistance(texts[0].Text, want) > tc.edits {
			t.Errorf("%s: read %+v; want %q (%d characters wrong at most)", tc.name, texts, want, tc.edits)
			continue
		}
		if texts[0].Box != seals[0].box || texts[0].Confidence < 0.8 {
			t.Errorf("%s: box %v confidence %.2f; want the seal's box %v, confidence 0.8 or more", tc.name, texts[0].Box, texts[0].Confidence, seals[0].box)
		}
	}
}

// rotate turns a grey image clockwise by deg (90, 180 or 270).
func rotate(m *image.Gray, deg int) *image.Gray {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	var out *image.Gray
	if deg == 180 {
		out = image.NewGray(image.Rect(0, 0, w, h))
	} else {
		out = image.NewGray(image.Rect(0, 0, h, w))
	}
	for y := range h {
		for x := range w {
			v := m.Pix[y*m.Stride+x]
			switch deg {
			case 90:
				out.Pix[x*out.Stride+(h-1-y)] = v
			case 180:
				out.Pix[(h-1-y)*out.Stride+(w-1-x)] = v
			default:
				out.Pix[(w-1-x)*out.Stride+y] = v
			}
		}
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in characters.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([]int, len(rb)+1)
	for j := range d {
		d[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		prev := d[0]
		d[0] = i
		for j := 1; j <= len(rb); j++ {
			cur := d[j]
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			d[j] = min(d[j]+1, d[j-1]+1, prev+c)
			prev = cur
		}
	}
	return d[len(rb)]
}
