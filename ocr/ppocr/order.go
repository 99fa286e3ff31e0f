package ppocr

import (
	"math"
	"sort"

	"shenbao/doc"
)

// Reading-order settings.
const (
	rowOverlap = 0.5 // vertical overlap, as a share of the lower box, that puts two boxes in one row
	wideGap    = 2.0 // a gap wider than this many line heights separates cells, columns or fields
)

// item is a recognised box placed for ordering: its extent in page coordinates turned by the page's skew,
// so that rows run horizontally.
type item struct {
	x0, y0, x1, y1 float64
	words          []doc.Word
	box            doc.Box
}

func (it item) h() float64 { return it.y1 - it.y0 }

// order puts the recognised boxes into lines in reading order (see the package comment).
func order(lines []textLine, pw, ph int) []doc.Line {
	items := make([]item, 0, len(lines))
	angle := skew(lines)
	sin, cos := math.Sincos(-angle)
	for i := range lines {
		l := &lines[i]
		ws := l.words(pw, ph)
		if len(ws) == 0 {
			continue
		}
		it := item{x0: math.Inf(1), y0: math.Inf(1), x1: math.Inf(-1), y1: math.Inf(-1), words: ws}
		for _, p := range l.q {
			x, y := p.X*cos-p.Y*sin, p.X*sin+p.Y*cos
			it.x0, it.y0, it.x1, it.y1 = min(it.x0, x), min(it.y0, y), max(it.x1, x), max(it.y1, y)
		}
		for _, w := range ws {
			it.box = it.box.Union(w.Box)
		}
		items = append(items, it)
	}
	return orderItems(items)
}

// skew is the page's text angle in radians (clockwise positive, image y pointing down): the median
// angle of the boxes at least twice as wide as tall, 0 when there are none or it exceeds 30°.
func skew(lines []textLine) float64 {
	var as []float64
	for _, l := range lines {
		w, h := l.q.size()
		if w < 2*h {
			continue
		}
		d := l.q[1].sub(l.q[0])
		as = append(as, math.Atan2(d.Y, d.X))
	}
	if len(as) == 0 {
		return 0
	}
	sort.Float64s(as)
	a := as[len(as)/2]
	if math.Abs(a) > math.Pi/6 {
		return 0
	}
	return a
}

// row is a run of items side by side.
type row struct {
	y0, y1 float64 // mean extent of its items
	items  []item
}

// orderItems groups items into rows by vertical overlap, orders rows top to bottom and each row's items
// left to right, and makes a line of each run of items with no wide gap between them.
func orderItems(items []item) []doc.Line {
	sort.SliceStable(items, func(i, j int) bool {
		return items[i].y0+items[i].y1 < items[j].y0+items[j].y1
	})
	var rows []*row
	for _, it := range items {
		var best *row
		bestOv := 0.0
		for k := len(rows) - 1; k >= 0 && k >= len(rows)-8; k-- {
			r := rows[k]
			ov := min(it.y1, r.y1) - max(it.y0, r.y0)
			if ov <= 0 {
				continue
			}
			share := ov / min(it.h(), r.y1-r.y0)
			if share >= rowOverlap && share > bestOv && !collides(r, it) {
				best, bestOv = r, share
			}
		}
		if best == nil {
			rows = append(rows, &row{y0: it.y0, y1: it.y1, items: []item{it}})
			continue
		}
		n := float64(len(best.items))
		best.y0 = (best.y0*n + it.y0) / (n + 1)
		best.y1 = (best.y1*n + it.y1) / (n + 1)
		best.items = append(best.items, it)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].y0+rows[i].y1 < rows[j].y0+rows[j].y1 })
	var out []doc.Line
	for _, r := range rows {
		sort.SliceStable(r.items, func(i, j int) bool { return r.items[i].x0 < r.items[j].x0 })
		var cur *doc.Line
		var right, h float64
		for _, it := range r.items {
			if cur == nil || it.x0-right > wideGap*max(h, it.h()) {
				out = append(out, doc.Line{})
				cur = &out[len(out)-1]
				right, h = it.x1, it.h()
			}
			cur.Words = append(cur.Words, it.words...)
			cur.Box = cur.Box.Union(it.box)
			right = max(right, it.x1)
			h = max(h, it.h())
		}
	}
	return out
}

// collides reports whether it overlaps an item of r horizontally by more than half its own width: two
// such boxes are lines above one another (e.g. of a tight paragraph), not neighbours in a row.
func collides(r *row, it item) bool {
	for _, o := range r.items {
		if ov := min(it.x1, o.x1) - max(it.x0, o.x0); ov > 0.5*min(it.x1-it.x0, o.x1-o.x0) {
			return true
		}
	}
	return false
}
