package ppocr

import (
	"math"
	"testing"
)

// probMap is a w×h map of zeros with the given value painted where inside says.
func probMap(w, h int, paint ...func(x, y int) float32) []float32 {
	m := make([]float32, w*h)
	for y := range h {
		for x := range w {
			for _, p := range paint {
				if v := p(x, y); v > m[y*w+x] {
					m[y*w+x] = v
				}
			}
		}
	}
	return m
}

func block(x0, y0, x1, y1 int, v float32) func(x, y int) float32 {
	return func(x, y int) float32 {
		if x >= x0 && x < x1 && y >= y0 && y < y1 {
			return v
		}
		return 0
	}
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestBoxesFromMapBlock(t *testing.T) {
	// A text region of columns 20..59 and rows 10..19: its rectangle through the pixel centres is 39×9
	// around (39.5, 14.5); unclipped by 1.6 it grows by 39·9·1.6/(2·48) = 5.85 on every side.
	m := probMap(100, 60, block(20, 10, 60, 20, 0.9))
	got := boxesFromMap(m, 100, 60, 0.3, 0.6, 1.6)
	if len(got) != 1 {
		t.Fatalf("got %d boxes; want 1", len(got))
	}
	r := got[0]
	if !near(r.c.X, 39.5, 1e-6) || !near(r.c.Y, 14.5, 1e-6) {
		t.Errorf("centre %v; want (39.5, 14.5)", r.c)
	}
	if !near(r.u.X, 1, 1e-9) || !near(r.u.Y, 0, 1e-9) {
		t.Errorf("axis %v; want (1, 0)", r.u)
	}
	if !near(2*r.a, 39+2*5.85, 1e-6) || !near(2*r.b, 9+2*5.85, 1e-6) {
		t.Errorf("size %.2f×%.2f; want %.2f×%.2f", 2*r.a, 2*r.b, 39+2*5.85, 9+2*5.85)
	}
	q := r.quad()
	if !near(q[0].X, 39.5-r.a, 1e-6) || !near(q[0].Y, 14.5-r.b, 1e-6) || !near(q[2].X, 39.5+r.a, 1e-6) {
		t.Errorf("quad %v does not start at the top left", q)
	}
}

func TestBoxesFromMapFilters(t *testing.T) {
	m := probMap(200, 100,
		block(10, 10, 80, 22, 0.95),   // kept
		block(100, 10, 180, 22, 0.45), // over the pixel threshold, under the box threshold
		block(10, 50, 80, 52, 0.95),   // two pixels tall: noise
		block(100, 50, 190, 70, 0.8),  // kept
		block(5, 90, 6, 91, 0.99),     // a speck
	)
	got := boxesFromMap(m, 200, 100, 0.3, 0.6, 1.5)
	if len(got) != 2 {
		t.Fatalf("got %d boxes (%v); want 2", len(got), got)
	}
	if !near(got[0].c.X, 44.5, 1e-6) || !near(got[1].c.X, 144.5, 1e-6) {
		t.Errorf("centres %v, %v; want x 44.5 and 144.5", got[0].c, got[1].c)
	}
}

func TestBoxesFromMapRotated(t *testing.T) {
	// A bar 60 long and 8 wide turned 20° clockwise (y down) around (60, 50).
	a := 20 * math.Pi / 180
	u := pt{math.Cos(a), math.Sin(a)}
	v := pt{-u.Y, u.X}
	bar := func(x, y int) float32 {
		d := pt{float64(x), float64(y)}.sub(pt{60, 50})
		if math.Abs(d.dot(u)) <= 30 && math.Abs(d.dot(v)) <= 4 {
			return 0.9
		}
		return 0
	}
	got := boxesFromMap(probMap(120, 100, bar), 120, 100, 0.3, 0.6, 1.5)
	if len(got) != 1 {
		t.Fatalf("got %d boxes; want 1", len(got))
	}
	r := got[0]
	if ang := math.Atan2(r.u.Y, r.u.X) * 180 / math.Pi; !near(ang, 20, 2) {
		t.Errorf("angle %.1f°; want 20°", ang)
	}
	if !near(r.c.X, 60, 1) || !near(r.c.Y, 50, 1) {
		t.Errorf("centre %v; want (60, 50)", r.c)
	}
	if r.a <= r.b {
		t.Errorf("half extents %.1f along the text, %.1f across; want the first larger", r.a, r.b)
	}
}

func TestUnclip(t *testing.T) {
	r := rect{c: pt{50, 50}, u: pt{1, 0}, a: 50, b: 10}.unclip(1.5)
	// 100×20: distance 2000·1.5/240 = 12.5.
	if !near(r.a, 62.5, 1e-9) || !near(r.b, 22.5, 1e-9) {
		t.Errorf("unclipped half extents %.2f, %.2f; want 62.5, 22.5", r.a, r.b)
	}
}

func TestMinAreaRectSquareAxis(t *testing.T) {
	// A tall rectangle: the more horizontal axis comes first, and the text is taken to run along it.
	hull := convexHull([]pt{{0, 0}, {10, 0}, {10, 40}, {0, 40}, {5, 20}})
	r := minAreaRect(hull)
	if !near(r.u.X, 1, 1e-9) || !near(2*r.a, 10, 1e-9) || !near(2*r.b, 40, 1e-9) {
		t.Errorf("rect %+v; want axis (1,0), 10 wide, 40 tall", r)
	}
}

func TestDetSize(t *testing.T) {
	for _, c := range []struct{ w, h, max, rw, rh int }{
		{1964, 1396, 1280, 1280, 896},
		{640, 480, 1280, 640, 480},
		{20, 10, 1280, 32, 32},
	} {
		rw, rh := detSize(c.w, c.h, c.max)
		if rw != c.rw || rh != c.rh {
			t.Errorf("detSize(%d, %d, %d) = %d, %d; want %d, %d", c.w, c.h, c.max, rw, rh, c.rw, c.rh)
		}
	}
}
