package ppocr

import (
	"math"
	"sort"

	"shenbao/doc"
)

type pt struct{ X, Y float64 }

func (a pt) sub(b pt) pt        { return pt{a.X - b.X, a.Y - b.Y} }
func (a pt) add(b pt) pt        { return pt{a.X + b.X, a.Y + b.Y} }
func (a pt) mul(k float64) pt   { return pt{a.X * k, a.Y * k} }
func (a pt) dot(b pt) float64   { return a.X*b.X + a.Y*b.Y }
func (a pt) cross(b pt) float64 { return a.X*b.Y - a.Y*b.X }
func (a pt) norm() float64      { return math.Hypot(a.X, a.Y) }

// quad is a text box as four corners in reading order: top left, top right, bottom right, bottom left
// of the text as it should be read.
type quad [4]pt

// size returns the box's width (along its text) and height.
func (q quad) size() (w, h float64) {
	w = max(q[1].sub(q[0]).norm(), q[2].sub(q[3]).norm())
	h = max(q[3].sub(q[0]).norm(), q[2].sub(q[1]).norm())
	return w, h
}

// turn returns the same box read as if the page were turned clockwise by k quarter turns.
func (q quad) turn(k int) quad {
	var r quad
	for i := range 4 {
		r[i] = q[((i-k)%4+4)%4]
	}
	return r
}

// bounds is the box's axis-aligned bounding box, rounded outwards and clipped to w×h.
func (q quad) bounds(w, h int) doc.Box {
	x0, y0, x1, y1 := q[0].X, q[0].Y, q[0].X, q[0].Y
	for _, p := range q[1:] {
		x0, y0, x1, y1 = min(x0, p.X), min(y0, p.Y), max(x1, p.X), max(y1, p.Y)
	}
	return doc.Box{
		X0: min(max(int(math.Floor(x0)), 0), w), Y0: min(max(int(math.Floor(y0)), 0), h),
		X1: min(max(int(math.Ceil(x1))+1, 0), w), Y1: min(max(int(math.Ceil(y1))+1, 0), h),
	}
}

// rect is a rotated rectangle: its centre, the unit vector along its more horizontal side (pointing
// right), and its half extents along that side (a) and across it (b).
type rect struct {
	c    pt
	u    pt
	a, b float64
}

// quad returns the rectangle's corners, top left first, the text taken to run along u.
func (r rect) quad() quad {
	v := pt{-r.u.Y, r.u.X} // u turned a quarter clockwise on screen: pointing down
	ua, vb := r.u.mul(r.a), v.mul(r.b)
	return quad{r.c.sub(ua).sub(vb), r.c.add(ua).sub(vb), r.c.add(ua).add(vb), r.c.sub(ua).add(vb)}
}

// short is the rectangle's shorter side.
func (r rect) short() float64 { return 2 * min(r.a, r.b) }

// convexHull returns the hull of ps counter-clockwise in a y-up sense (Andrew's monotone chain),
// without collinear points. ps is reordered.
func convexHull(ps []pt) []pt {
	if len(ps) < 3 {
		return ps
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].X != ps[j].X {
			return ps[i].X < ps[j].X
		}
		return ps[i].Y < ps[j].Y
	})
	h := make([]pt, 0, 2*len(ps))
	for _, p := range ps {
		for len(h) >= 2 && h[len(h)-1].sub(h[len(h)-2]).cross(p.sub(h[len(h)-2])) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	lo := len(h) + 1
	for i := len(ps) - 2; i >= 0; i-- {
		p := ps[i]
		for len(h) >= lo && h[len(h)-1].sub(h[len(h)-2]).cross(p.sub(h[len(h)-2])) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	return h[:len(h)-1]
}

// minAreaRect returns the smallest rotated rectangle holding the points (whose hull is given), as
// OpenCV's minAreaRect does, trying each hull edge's direction.
func minAreaRect(hull []pt) rect {
	if len(hull) == 0 {
		return rect{u: pt{1, 0}}
	}
	if len(hull) == 1 {
		return rect{c: hull[0], u: pt{1, 0}}
	}
	best := rect{}
	bestArea := math.Inf(1)
	for i := range hull {
		e := hull[(i+1)%len(hull)].sub(hull[i])
		n := e.norm()
		if n == 0 {
			continue
		}
		u := e.mul(1 / n)
		v := pt{-u.Y, u.X}
		minU, maxU, minV, maxV := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, p := range hull {
			pu, pv := p.dot(u), p.dot(v)
			minU, maxU = min(minU, pu), max(maxU, pu)
			minV, maxV = min(minV, pv), max(maxV, pv)
		}
		area := (maxU - minU) * (maxV - minV)
		if area < bestArea-1e-9 {
			bestArea = area
			cu, cv := (minU+maxU)/2, (minV+maxV)/2
			best = rect{c: u.mul(cu).add(v.mul(cv)), u: u, a: (maxU - minU) / 2, b: (maxV - minV) / 2}
		}
	}
	return best.canonical()
}

// canonical turns r so that u is its more horizontal axis and points right.
func (r rect) canonical() rect {
	if math.Abs(r.u.Y) > math.Abs(r.u.X) {
		r.u = pt{r.u.Y, -r.u.X} // a quarter turn; the extents swap
		r.a, r.b = r.b, r.a
	}
	if r.u.X < 0 || (r.u.X == 0 && r.u.Y > 0) {
		r.u = r.u.mul(-1)
	}
	return r
}

// unclip grows the rectangle by area×ratio/perimeter on every side: PaddleOCR offsets the box polygon
// by that distance with round joins, and the minimum-area rectangle of the result is exactly this.
func (r rect) unclip(ratio float64) rect {
	w, h := 2*r.a, 2*r.b
	if w+h == 0 {
		return r
	}
	d := w * h * ratio / (2 * (w + h))
	r.a += d
	r.b += d
	return r
}

// homography maps the unit-free rectangle 0..w × 0..h onto the quad q: it returns a function from
// destination coordinates to source coordinates (the perspective transform OpenCV's
// getPerspectiveTransform would give for q's corners, inverted).
func homography(q quad, w, h float64) func(x, y float64) (float64, float64) {
	// Map the unit square to q (Heckbert's closed form), then scale.
	x0, y0 := q[0].X, q[0].Y
	x1, y1 := q[1].X, q[1].Y
	x2, y2 := q[2].X, q[2].Y
	x3, y3 := q[3].X, q[3].Y
	dx1, dy1 := x1-x2, y1-y2
	dx2, dy2 := x3-x2, y3-y2
	sx, sy := x0-x1+x2-x3, y0-y1+y2-y3
	var a, b, c, d, e, f, g, hh float64
	den := dx1*dy2 - dx2*dy1
	if math.Abs(sx) < 1e-9 && math.Abs(sy) < 1e-9 || math.Abs(den) < 1e-12 {
		// Affine: a parallelogram.
		a, b, c = x1-x0, x3-x0, x0
		d, e, f = y1-y0, y3-y0, y0
	} else {
		g = (sx*dy2 - dx2*sy) / den
		hh = (dx1*sy - sx*dy1) / den
		a, b, c = x1-x0+g*x1, x3-x0+hh*x3, x0
		d, e, f = y1-y0+g*y1, y3-y0+hh*y3, y0
	}
	return func(x, y float64) (float64, float64) {
		u, v := x/w, y/h
		z := g*u + hh*v + 1
		return (a*u + b*v + c) / z, (d*u + e*v + f) / z
	}
}

// crop warps the quad q of m to a w×h image written into dst (planar B, G, R at stride dstW, each value
// normalised as v/127.5 - 1). Pixels of dst beyond w are left alone. Sampling is bilinear, averaged over
// n×n points per pixel when the quad is more than 1.5 times larger than the target.
func crop(m *rgbImage, q quad, dst []float32, dstW, dstH, w, h int) {
	tr := homography(q, float64(w), float64(h))
	qw, qh := q.size()
	scale := max(qw/float64(w), qh/float64(h))
	n := 1
	if scale > 1.5 {
		n = min(int(math.Ceil(scale)), 4)
	}
	plane := dstW * dstH
	inv := 1 / float32(n*n) / 127.5
	for y := range min(h, dstH) {
		for x := range min(w, dstW) {
			var sb, sg, sr float32
			for j := range n {
				for i := range n {
					px := float64(x) + (float64(i)+0.5)/float64(n)
					py := float64(y) + (float64(j)+0.5)/float64(n)
					u, v := tr(px, py)
					b, g, r := m.bilinear(u-0.5, v-0.5)
					sb, sg, sr = sb+b, sg+g, sr+r
				}
			}
			o := y*dstW + x
			dst[o] = sb*inv - 1
			dst[plane+o] = sg*inv - 1
			dst[2*plane+o] = sr*inv - 1
		}
	}
}
