package ppocr

import (
	"image"
	"image/color"
	"slices"
	"testing"
)

// ramp is a grey image whose value at x, y is x+2y (mod 256).
func ramp(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			g.Pix[y*g.Stride+x] = uint8(x + 2*y)
		}
	}
	return g
}

func TestHomographyCorners(t *testing.T) {
	q := quad{{10, 20}, {110, 5}, {130, 70}, {0, 60}} // no parallelogram: a true perspective
	tr := homography(q, 64, 16)
	for i, c := range [4][2]float64{{0, 0}, {64, 0}, {64, 16}, {0, 16}} {
		x, y := tr(c[0], c[1])
		if !near(x, q[i].X, 1e-9) || !near(y, q[i].Y, 1e-9) {
			t.Errorf("corner %d maps to (%.3f, %.3f); want %v", i, x, y, q[i])
		}
	}
}

func TestCropAxisAligned(t *testing.T) {
	var m rgbImage
	m.load(ramp(100, 60))
	// Columns 10..49 and rows 5..24, taken at their own size: the crop's pixel x, y is the page's
	// pixel 10+x, 5+y.
	q := quad{{10, 5}, {50, 5}, {50, 25}, {10, 25}}
	const w, h = 40, 20
	dst := make([]float32, 3*w*h)
	crop(&m, q, dst, w, h, w, h)
	for _, p := range [][2]int{{0, 0}, {39, 0}, {17, 9}, {39, 19}} {
		want := float32(10+p[0]+2*(5+p[1]))/127.5 - 1
		for c := range 3 {
			if got := dst[c*w*h+p[1]*w+p[0]]; !near(float64(got), float64(want), 1e-4) {
				t.Errorf("channel %d at %v = %.4f; want %.4f", c, p, got, want)
			}
		}
	}
	// The same box turned round reads the page backwards.
	crop(&m, q.turn(2), dst, w, h, w, h)
	if got, want := dst[0], float32(49+2*24)/127.5-1; !near(float64(got), float64(want), 1e-4) {
		t.Errorf("turned crop starts at %.4f; want %.4f (the page's pixel 49, 24)", got, want)
	}
}

func TestCropRotatedBox(t *testing.T) {
	// A page with a dark bar along a line 30° off the horizontal; cropping the bar's rotated box must
	// give a dark crop with light above and below it.
	g := image.NewGray(image.Rect(0, 0, 200, 200))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	c := pt{100, 100}
	u := pt{0.8660254, 0.5}
	v := pt{-u.Y, u.X}
	for y := range 200 {
		for x := range 200 {
			d := pt{float64(x) + 0.5, float64(y) + 0.5}.sub(c)
			if abs(d.dot(u)) < 60 && abs(d.dot(v)) < 6 {
				g.Pix[y*g.Stride+x] = 0
			}
		}
	}
	var m rgbImage
	m.load(g)
	r := rect{c: c, u: u, a: 60, b: 18} // three times the bar's height
	const w, h = 120, 36
	dst := make([]float32, 3*w*h)
	crop(&m, r.quad(), dst, w, h, w, h)
	mid, top := dst[18*w+60], dst[3*w+60]
	if mid > -0.8 || top < 0.8 {
		t.Errorf("crop centre %.2f (want dark, near -1), top %.2f (want light, near 1)", mid, top)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestRotate(t *testing.T) {
	g := ramp(4, 3) // value x+2y
	r := Rotate(g, 90).(*image.Gray)
	if b := r.Bounds(); b.Dx() != 3 || b.Dy() != 4 {
		t.Fatalf("turned bounds %v; want 3×4", b)
	}
	// Turned clockwise, the source's bottom-left pixel (0, 2) lands at the top left.
	if got := r.GrayAt(0, 0).Y; got != 4 {
		t.Errorf("top left after a quarter turn = %d; want 4", got)
	}
	if got := Rotate(Rotate(g, 90), 270).(*image.Gray); string(got.Pix) != string(g.Pix) {
		t.Errorf("a quarter turn and three quarters back changed the image")
	}
}

func TestLoadReadsGreyAndRGBAWhereTheyLie(t *testing.T) {
	// Sub-images (origin off 0,0, rows wider than the image) of each kind the reader takes without a
	// copy, and one it copies after them: every pixel reads as the image has it, and the copy never
	// lands in the memory of the image read before it.
	rgba := image.NewRGBA(image.Rect(0, 0, 40, 30))
	grey := image.NewGray(image.Rect(0, 0, 40, 30))
	for y := range 30 {
		for x := range 40 {
			rgba.Set(x, y, color.RGBA{uint8(x * 6), uint8(y * 8), uint8(x + y), 255})
			grey.SetGray(x, y, color.Gray{uint8(x*3 + y)})
		}
	}
	ycc := image.NewYCbCr(image.Rect(0, 0, 40, 30), image.YCbCrSubsampleRatio444)
	for i := range ycc.Y {
		ycc.Y[i], ycc.Cb[i], ycc.Cr[i] = 200, 90, 170
	}
	before := slices.Clone(rgba.Pix)
	var m rgbImage
	for _, img := range []image.Image{rgba.SubImage(image.Rect(5, 4, 35, 26)), grey.SubImage(image.Rect(3, 2, 23, 12)), ycc} {
		m.load(img)
		b := img.Bounds()
		if m.w != b.Dx() || m.h != b.Dy() {
			t.Fatalf("%T: loaded %d×%d; want %d×%d", img, m.w, m.h, b.Dx(), b.Dy())
		}
		for _, p := range [][2]int{{0, 0}, {m.w - 1, 0}, {7, 5}, {m.w - 1, m.h - 1}} {
			r, g, bl, _ := img.At(b.Min.X+p[0], b.Min.Y+p[1]).RGBA()
			gb, gg, gr := m.at(p[0], p[1])
			if uint32(gr) != r>>8 || uint32(gg) != g>>8 || uint32(gb) != bl>>8 {
				t.Errorf("%T at %v: B,G,R %v,%v,%v; want %d,%d,%d", img, p, gb, gg, gr, bl>>8, g>>8, r>>8)
			}
		}
	}
	if !slices.Equal(before, rgba.Pix) {
		t.Error("the page read before was written over")
	}
}
