package ppocr

import (
	"fmt"
	"math"
)

// Detection settings, PaddleOCR's defaults for DB but for a slightly larger unclip ratio, which keeps
// the tops and bottoms of characters inside the crops on dense document pages.
const (
	detThresh   = 0.3  // probability over which a pixel is text
	boxThresh   = 0.6  // mean probability a box must reach
	unclipRatio = 1.6  // growth of a box: area×ratio/perimeter on every side
	minBoxSide  = 3    // shorter side, in map pixels, below which a region is noise
	maxBoxes    = 2000 // regions considered per page
)

var (
	imagenetMean = [3]float32{0.485, 0.456, 0.406}
	imagenetStd  = [3]float32{0.229, 0.224, 0.225}
)

// detSize returns the detector's input size for a w×h image: the long side at most maxSide, both sides
// multiples of 32.
func detSize(w, h, maxSide int) (int, int) {
	ratio := 1.0
	if long := max(w, h); long > maxSide {
		ratio = float64(maxSide) / float64(long)
	}
	rw := max(int(math.Round(float64(w)*ratio/32))*32, 32)
	rh := max(int(math.Round(float64(h)*ratio/32))*32, 32)
	return rw, rh
}

// detect finds text boxes on m, in m's pixel coordinates.
func (r *Reader) detect(m *rgbImage, maxSide int) ([]quad, error) {
	rw, rh := detSize(m.w, m.h, maxSide)
	r.detIn = buf(r.detIn, 3*rw*rh)
	r.detOut = buf(r.detOut, rw*rh)
	m.resizeInto(r.detIn, rw, rh, imagenetMean, imagenetStd)
	if err := run(r.det, []int64{1, 3, int64(rh), int64(rw)}, r.detIn, []int64{1, 1, int64(rh), int64(rw)}, r.detOut); err != nil {
		return nil, fmt.Errorf("ppocr: detection: %w", err)
	}
	rects := boxesFromMap(r.detOut, rw, rh, detThresh, boxThresh, unclipRatio)
	sx, sy := float64(m.w)/float64(rw), float64(m.h)/float64(rh)
	quads := make([]quad, 0, len(rects))
	for _, rc := range rects {
		q := rc.quad()
		for i := range q {
			// Map pixel centres to continuous page coordinates, clipped to the page.
			q[i].X = min(max((q[i].X+0.5)*sx, 0), float64(m.w))
			q[i].Y = min(max((q[i].Y+0.5)*sy, 0), float64(m.h))
		}
		quads = append(quads, q)
	}
	return quads, nil
}

// boxesFromMap is DB's post-processing of a w×h probability map: regions of pixels over thresh, each
// region's minimum-area rectangle (pixel centres at integer coordinates), kept when the mean probability
// inside reaches boxThresh, then unclipped. Rectangles are in map coordinates.
func boxesFromMap(prob []float32, w, h int, thresh, boxThresh, ratio float64) []rect {
	labels, n := label(prob, w, h, float32(thresh))
	if n == 0 {
		return nil
	}
	// Each region's hull needs only the two ends of each of its runs in each row.
	pts := make([][]pt, n+1)
	for y := range h {
		row := labels[y*w : (y+1)*w]
		for x := 0; x < w; {
			l := row[x]
			if l == 0 {
				x++
				continue
			}
			x0 := x
			for x < w && row[x] == l {
				x++
			}
			pts[l] = append(pts[l], pt{float64(x0), float64(y)})
			if x-1 > x0 {
				pts[l] = append(pts[l], pt{float64(x - 1), float64(y)})
			}
		}
	}
	var out []rect
	for l := 1; l <= n && len(out) < maxBoxes; l++ {
		if len(pts[l]) < 2 {
			continue
		}
		rc := minAreaRect(convexHull(pts[l]))
		if rc.short() < minBoxSide {
			continue
		}
		if boxScore(prob, w, h, rc) < boxThresh {
			continue
		}
		rc = rc.unclip(ratio)
		if rc.short() < minBoxSide+2 {
			continue
		}
		out = append(out, rc)
	}
	return out
}

// label gives each 8-connected region of pixels over thresh a number from 1 (0: background), in the
// order of their first pixels, scanning rows top to bottom; it returns the labels and their count.
func label(prob []float32, w, h int, thresh float32) ([]int32, int) {
	labels := make([]int32, w*h)
	parent := []int32{0}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(a, b int32) int32 {
		a, b = find(a), find(b)
		if a == b {
			return a
		}
		if a < b {
			parent[b] = a
			return a
		}
		parent[a] = b
		return b
	}
	for y := range h {
		for x := range w {
			i := y*w + x
			if prob[i] <= thresh {
				continue
			}
			var l int32
			// Neighbours already visited: left, and the three above.
			for _, d := range [4][2]int{{-1, 0}, {-1, -1}, {0, -1}, {1, -1}} {
				nx, ny := x+d[0], y+d[1]
				if nx < 0 || ny < 0 || nx >= w {
					continue
				}
				if nl := labels[ny*w+nx]; nl != 0 {
					if l == 0 {
						l = find(nl)
					} else {
						l = union(l, nl)
					}
				}
			}
			if l == 0 {
				l = int32(len(parent))
				parent = append(parent, l)
			}
			labels[i] = l
		}
	}
	// Compact the roots to 1..n.
	id := make([]int32, len(parent))
	n := int32(0)
	for i := int32(1); i < int32(len(parent)); i++ {
		if r := find(i); r == i {
			n++
			id[i] = n
		}
	}
	for i, l := range labels {
		if l != 0 {
			labels[i] = id[find(l)]
		}
	}
	return labels, int(n)
}

// boxScore is the mean probability over the map pixels whose centres fall inside the rectangle (at
// least the pixel under its centre).
func boxScore(prob []float32, w, h int, rc rect) float64 {
	q := rc.quad()
	x0, y0, x1, y1 := q[0].X, q[0].Y, q[0].X, q[0].Y
	for _, p := range q[1:] {
		x0, y0, x1, y1 = min(x0, p.X), min(y0, p.Y), max(x1, p.X), max(y1, p.Y)
	}
	ix0, iy0 := max(int(math.Floor(x0)), 0), max(int(math.Floor(y0)), 0)
	ix1, iy1 := min(int(math.Ceil(x1)), w-1), min(int(math.Ceil(y1)), h-1)
	v := pt{-rc.u.Y, rc.u.X}
	var sum float64
	n := 0
	for y := iy0; y <= iy1; y++ {
		for x := ix0; x <= ix1; x++ {
			d := pt{float64(x), float64(y)}.sub(rc.c)
			if math.Abs(d.dot(rc.u)) <= rc.a+0.5 && math.Abs(d.dot(v)) <= rc.b+0.5 {
				sum += float64(prob[y*w+x])
				n++
			}
		}
	}
	if n == 0 {
		cx, cy := min(max(int(math.Round(rc.c.X)), 0), w-1), min(max(int(math.Round(rc.c.Y)), 0), h-1)
		return float64(prob[cy*w+cx])
	}
	return sum / float64(n)
}
