package ocr

// Finding round seals by their shape, for pages without colour. The page is shrunk by an integer factor
// to about 600 pixels on its short side and turned into ink against the local paper (inkMap). A
// gradient Hough transform on that map shrunk by 2 proposes centres for circles of a seal's radius
// (circleCenters); each is fitted by hill climbing (ringFinder.fit) and judged on 360 directions: how
// much of the circle is inked in unbroken runs with lighter paper just outside (a seal's ring is a
// drawn line; print crossed by a circle gives short runs), whether ink stands in the band inside the
// ring where a seal's characters are, and in the middle where its star is. findGreySeals (seal.go)
// decides on those measures.

import (
	"image"
	"math"
	"sort"
)

// inkMap is a region of a page shrunk by an integer factor k for finding round seals: each of its cells
// (k×k page pixels, the region starting at page pixel x0, y0) holds how much ink it bears, from 0 (paper)
// to 255. On a grey page ink is darkness against the local paper; on a colour page it is redness, so that
// black print does not count.
type inkMap struct {
	w, h, k int
	x0, y0  int
	v       []uint8
}

// at is the ink of cell x, y; outside the map there is none.
func (m *inkMap) at(x, y int) uint8 {
	if x < 0 || y < 0 || x >= m.w || y >= m.h {
		return 0
	}
	return m.v[y*m.w+x]
}

// sample is the ink at a point in cell coordinates (cell centres at integers), interpolated.
func (m *inkMap) sample(x, y float64) float64 {
	fx, fy := math.Floor(x), math.Floor(y)
	ix, iy := int(fx), int(fy)
	ax, ay := x-fx, y-fy
	v00, v10 := float64(m.at(ix, iy)), float64(m.at(ix+1, iy))
	v01, v11 := float64(m.at(ix, iy+1)), float64(m.at(ix+1, iy+1))
	top := v00 + (v10-v00)*ax
	bot := v01 + (v11-v01)*ax
	return top + (bot-top)*ay
}

// shrinkLuma averages the luma of img over k×k cells of the page rectangle r (clipped to the image).
func shrinkLuma(img image.Image, r image.Rectangle, k int) (g []uint8, w, h int) {
	r = r.Intersect(img.Bounds())
	w, h = r.Dx()/k, r.Dy()/k
	if w < 1 || h < 1 {
		return nil, 0, 0
	}
	sum := make([]uint32, w)
	g = make([]uint8, w*h)
	var row func(y int, out []uint32)
	switch m := img.(type) {
	case *image.Gray:
		row = func(y int, out []uint32) {
			o := m.PixOffset(r.Min.X, y)
			addCells(m.Pix[o:o+w*k], out, k)
		}
	case *image.YCbCr:
		row = func(y int, out []uint32) {
			o := m.YOffset(r.Min.X, y)
			addCells(m.Y[o:o+w*k], out, k)
		}
	default:
		at := pixelReader(img)
		row = func(y int, out []uint32) {
			for x := range w * k {
				r8, g8, b8 := at(r.Min.X+x, y)
				out[x/k] += (uint32(r8)*299 + uint32(g8)*587 + uint32(b8)*114) / 1000
			}
		}
	}
	n := uint32(k * k)
	for cy := range h {
		clear(sum)
		for j := range k {
			row(r.Min.Y+cy*k+j, sum)
		}
		for cx := range w {
			g[cy*w+cx] = uint8(sum[cx] / n)
		}
	}
	return g, w, h
}

// addCells adds each run of k samples of p to its cell of out.
func addCells(p []uint8, out []uint32, k int) {
	for c := range out {
		s := uint32(0)
		for _, v := range p[c*k : (c+1)*k] {
			s += uint32(v)
		}
		out[c] += s
	}
}

// greyInk measures the ink of img over the page rectangle r at scale k: each cell's darkness against
// the paper around it (see againstPaper).
func greyInk(img image.Image, r image.Rectangle, k int) *inkMap {
	r = r.Intersect(img.Bounds())
	g, w, h := shrinkLuma(img, r, k)
	for i, v := range g {
		g[i] = 255 - v
	}
	return &inkMap{w: w, h: h, k: k, x0: r.Min.X, y0: r.Min.Y, v: againstPaper(g, w, h, 10)}
}

// redInk measures the redness of img over the page rectangle r at scale k: each cell's mean of
// red − max(green, blue), doubled, against the paper around it (see againstPaper; a warm paper or a
// colour cast is not ink). Black and grey print have none.
func redInk(img image.Image, r image.Rectangle, k int) *inkMap {
	r = r.Intersect(img.Bounds())
	w, h := r.Dx()/k, r.Dy()/k
	if w < 1 || h < 1 {
		return &inkMap{k: k, x0: r.Min.X, y0: r.Min.Y}
	}
	g := make([]uint8, w*h)
	at := pixelReader(img)
	for cy := range h {
		for cx := range w {
			s := 0
			for y := r.Min.Y + cy*k; y < r.Min.Y+(cy+1)*k; y++ {
				for x := r.Min.X + cx*k; x < r.Min.X+(cx+1)*k; x++ {
					s += redness(at(x, y))
				}
			}
			g[cy*w+cx] = uint8(min(2*s/(k*k), 255))
		}
	}
	return &inkMap{w: w, h: h, k: k, x0: r.Min.X, y0: r.Min.Y, v: againstPaper(g, w, h, 50)}
}

// redness is how much redder than green and blue a pixel is, 0 for grey.
func redness(r, g, b uint8) int {
	return max(int(r)-max(int(g), int(b)), 0)
}

// againstPaper turns a w×h map of ink-like values (higher is more ink) into ink above the paper: the
// paper is the pct-th percentile of blocks of 16×16 cells, the lowest of each block and its neighbours
// (so that a block full of print still sees paper). The map is changed in place and returned.
func againstPaper(g []uint8, w, h, pct int) []uint8 {
	if w == 0 || h == 0 {
		return g
	}
	const bs = 16
	bw, bh := (w+bs-1)/bs, (h+bs-1)/bs
	paper := make([]uint8, bw*bh)
	var hist [256]int
	for by := range bh {
		for bx := range bw {
			clear(hist[:])
			n := 0
			for y := by * bs; y < min((by+1)*bs, h); y++ {
				for x := bx * bs; x < min((bx+1)*bs, w); x++ {
					hist[g[y*w+x]]++
					n++
				}
			}
			seen := 0
			for v := range 256 {
				seen += hist[v]
				if seen*100 >= n*pct {
					paper[by*bw+bx] = uint8(v)
					break
				}
			}
		}
	}
	local := make([]uint8, bw*bh)
	for by := range bh {
		for bx := range bw {
			p := uint8(255)
			for y := max(by-1, 0); y <= min(by+1, bh-1); y++ {
				for x := max(bx-1, 0); x <= min(bx+1, bw-1); x++ {
					p = min(p, paper[y*bw+x])
				}
			}
			local[by*bw+bx] = p
		}
	}
	for y := range h {
		for x := range w {
			i := y*w + x
			g[i] = uint8(max(int(g[i])-int(local[(y/bs)*bw+x/bs]), 0))
		}
	}
	return g
}

// ring is a circle found in an inkMap, in cell coordinates, and what was measured along it.
type ring struct {
	cx, cy, r float64
	// ring is the share of directions in which the circle is inked; thin the share in which it is
	// inked and the paper just outside is markedly lighter (a drawn line, not a blot of print).
	ring, thin, long float64
	// text is the share of directions with ink in the band inside the ring where a seal's characters
	// stand (0.55–0.85 of the radius); star the share of the central disc (a quarter of the radius) inked.
	text, star float64
	votes      int // the circle detector's votes for its centre
}

// Ink levels on the inkMap's scale.
const (
	inkLevel  = 12     // a cell this much darker than the paper (or this red) bears ink
	edgeLevel = 4 * 10 // Sobel gradient of an edge worth a vote: a step of 10 levels (a faint grey seal)
)

// circleCenters is a gradient Hough transform for circles of radius rmin..rmax cells: every cell on an
// edge of the ink votes for the points at those distances along its gradient, both ways, and the best
// supported points, at least rmin/2 apart, are returned with their votes, best first (at most n).
func (m *inkMap) circleCenters(rmin, rmax, n int) (cs []image.Point, votes []int) {
	w, h := m.w, m.h
	if w < 3 || h < 3 {
		return nil, nil
	}
	// A 3×3 mean first: a 1-bit scan's dithered seal becomes a grey line.
	s := make([]int32, w*h)
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			t := int32(0)
			for j := -1; j <= 1; j++ {
				o := (y+j)*w + x
				t += int32(m.v[o-1]) + int32(m.v[o]) + int32(m.v[o+1])
			}
			s[y*w+x] = t / 9
		}
	}
	acc := make([]int32, w*h)
	for y := 2; y < h-2; y++ {
		for x := 2; x < w-2; x++ {
			o := y*w + x
			gx := (s[o-w+1] + 2*s[o+1] + s[o+w+1]) - (s[o-w-1] + 2*s[o-1] + s[o+w-1])
			gy := (s[o+w-1] + 2*s[o+w] + s[o+w+1]) - (s[o-w-1] + 2*s[o-w] + s[o-w+1])
			mag := math.Hypot(float64(gx), float64(gy))
			if mag < edgeLevel {
				continue
			}
			dx, dy := float64(gx)/mag, float64(gy)/mag
			for r := rmin; r <= rmax; r++ {
				fr := float64(r)
				for _, sg := range [2]float64{1, -1} {
					px, py := int(float64(x)+sg*fr*dx+0.5), int(float64(y)+sg*fr*dy+0.5)
					if px >= 0 && py >= 0 && px < w && py < h {
						acc[py*w+px]++
					}
				}
			}
		}
	}
	// Votes of a centre are spread over a few cells: sum them over 3×3.
	sum := make([]int32, w*h)
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			t := int32(0)
			for j := -1; j <= 1; j++ {
				o := (y+j)*w + x
				t += acc[o-1] + acc[o] + acc[o+1]
			}
			sum[y*w+x] = t
		}
	}
	type peak struct {
		p image.Point
		v int32
	}
	var peaks []peak
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			v := sum[y*w+x]
			if v < int32(rmin) { // too few votes for any ring: not worth a look
				continue
			}
			if v >= sum[y*w+x-1] && v > sum[y*w+x+1] && v >= sum[(y-1)*w+x] && v > sum[(y+1)*w+x] {
				peaks = append(peaks, peak{image.Pt(x, y), v})
			}
		}
	}
	sort.Slice(peaks, func(i, j int) bool { return peaks[i].v > peaks[j].v })
	sep := rmin / 2
	for _, p := range peaks {
		near := false
		for _, c := range cs {
			if abs(c.X-p.p.X) < sep && abs(c.Y-p.p.Y) < sep {
				near = true
				break
			}
		}
		if near {
			continue
		}
		cs = append(cs, p.p)
		votes = append(votes, int(p.v))
		if len(cs) == n {
			break
		}
	}
	return cs, votes
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// directions are the unit vectors of n angles round a circle, clockwise from 12 o'clock.
func directions(n int) (dx, dy []float64) {
	dx, dy = make([]float64, n), make([]float64, n)
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		dx[i], dy[i] = math.Sin(a), -math.Cos(a)
	}
	return dx, dy
}

// rays is the ink along n directions from a centre, at radii r0, r0+1, … (len of them), direction
// by direction, sampled at the nearest cell: every radius of a centre is scored from one sampling.
type rays struct {
	n, r0, len int
	ox, oy     []int32 // the cell offsets of each direction and radius from the centre
	v          []uint8
	on         []bool
}

// newRays prepares rays in n directions, clockwise from 12 o'clock, at radii r0..r1.
func newRays(n, r0, r1 int) *rays {
	l := r1 - r0 + 1
	rs := &rays{n: n, r0: r0, len: l, ox: make([]int32, n*l), oy: make([]int32, n*l), v: make([]uint8, n*l), on: make([]bool, n)}
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		sin, cos := math.Sin(a), math.Cos(a)
		for j := range l {
			r := float64(r0 + j)
			rs.ox[i*l+j] = int32(math.Round(r * sin))
			rs.oy[i*l+j] = int32(math.Round(-r * cos))
		}
	}
	return rs
}

// cast samples the ink of m along the rays from the cell cx, cy.
func (rs *rays) cast(m *inkMap, cx, cy int) {
	for i := range rs.v {
		x, y := cx+int(rs.ox[i]), cy+int(rs.oy[i])
		if x < 0 || y < 0 || x >= m.w || y >= m.h {
			rs.v[i] = 0
			continue
		}
		rs.v[i] = m.v[y*m.w+x]
	}
}

// ringGap is how far outside a ring of radius r the paper is looked at.
func ringGap(r int) int { return max(3, (r*8+50)/100) }

// score measures the circle of radius r (rs.r0 < r, r+ringGap(r)+1 < rs.r0+rs.len): see ring.ring,
// ring.thin and ring.long.
func (rs *rays) score(r int) (inked, thin, long float64) {
	j, jo := r-rs.r0, r-rs.r0+ringGap(r)
	if j < 1 || jo+1 >= rs.len {
		return 0, 0, 0 // outside the radii the rays were cast for: no ring there
	}
	ni, nt := 0, 0
	for i := range rs.n {
		row := rs.v[i*rs.len : (i+1)*rs.len]
		v := max(row[j-1], row[j], row[j+1])
		rs.on[i] = false
		if v < inkLevel {
			continue
		}
		ni++
		if int(v)-int(max(row[jo], row[jo+1])) >= inkLevel/2 {
			nt++
			rs.on[i] = true
		}
	}
	return float64(ni) / float64(rs.n), float64(nt) / float64(rs.n), runShare(rs.on, max(rs.n/36, 3))
}

// runShare is the share of on that lies in circular runs of at least minRun, a gap of one allowed
// inside a run.
func runShare(on []bool, minRun int) float64 {
	n := len(on)
	start := 0
	for start < n && on[start] {
		start++
	}
	if start == n {
		return 1
	}
	nl, run, gap := 0, 0, 0
	for j := 1; j <= n; j++ {
		switch i := (start + j) % n; {
		case on[i]:
			run += 1 + gap
			gap = 0
		case gap == 0 && run > 0:
			gap = 1
		default:
			if run >= minRun {
				nl += run
			}
			run, gap = 0, 0
		}
	}
	if run >= minRun {
		nl += run
	}
	return float64(nl) / float64(n)
}

// ringFinder fits rings of radius rmin..rmax cells on one inkMap.
type ringFinder struct {
	m          *inkMap
	rmin, rmax int
	rays       *rays // 3° apart, to find the best circle
	fine       *rays // 1° apart, to judge it
}

func newRingFinder(m *inkMap, rmin, rmax int) *ringFinder {
	r0, r1 := rmin-3, rmax+ringGap(rmax)+3
	return &ringFinder{m: m, rmin: rmin, rmax: rmax, rays: newRays(120, r0, r1), fine: newRays(360, r0, r1)}
}

type ringFit struct {
	r          int
	long, thin float64
}

func (a ringFit) better(b ringFit) bool {
	return a.long > b.long || a.long == b.long && a.thin > b.thin
}

// at is the best radius of a centre.
func (f *ringFinder) at(x, y int) ringFit {
	f.rays.cast(f.m, x, y)
	var best ringFit
	for r := f.rmin; r <= f.rmax; r++ {
		_, t, l := f.rays.score(r)
		if c := (ringFit{r, l, t}); c.better(best) {
			best = c
		}
	}
	return best
}

// fit finds the circle best drawn near the cell cx, cy (its centre within reach cells of it): the one
// whose ring is inked in the longest runs of directions with lighter paper just outside (ring.long, then
// ring.thin), by hill climbing from cx, cy. It then measures the text band and the centre. The zero
// ring means none worth a look.
func (f *ringFinder) fit(cx, cy, reach int) ring {
	bx, by := cx, cy
	bf := f.at(bx, by)
	if bf.long < minStartLong {
		return ring{}
	}
	for _, step := range []int{2, 1} {
		for moved := true; moved; {
			moved = false
			x0, y0 := bx, by
			for _, d := range [8][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {1, -1}, {-1, 1}, {-1, -1}} {
				x, y := x0+step*d[0], y0+step*d[1]
				if abs(x-cx) > reach || abs(y-cy) > reach {
					continue
				}
				if c := f.at(x, y); c.better(bf) {
					bx, by, bf = x, y, c
					moved = true
				}
			}
		}
	}
	// Judged on the fine rays, around the circle found.
	m := f.m
	var best ring
	for y := by - 1; y <= by+1; y++ {
		for x := bx - 1; x <= bx+1; x++ {
			f.fine.cast(m, x, y)
			for r := bf.r - 2; r <= bf.r+2; r++ {
				i, t, l := f.fine.score(r)
				if c := (ring{cx: float64(x), cy: float64(y), r: float64(r), ring: i, thin: t, long: l}); c.long > best.long || c.long == best.long && c.thin > best.thin {
					best = c
				}
			}
		}
	}
	bx, by = int(best.cx), int(best.cy)
	dx, dy := directions(120)
	best.text = m.bandInk(best.cx, best.cy, 0.55*best.r, 0.85*best.r, dx, dy)
	// The centre: share of the disc of a quarter radius inked.
	n, inked := 0, 0
	rr := int(best.r) / 4
	for y := by - rr; y <= by+rr; y++ {
		for x := bx - rr; x <= bx+rr; x++ {
			if (x-bx)*(x-bx)+(y-by)*(y-by) <= rr*rr {
				n++
				if m.at(x, y) >= inkLevel {
					inked++
				}
			}
		}
	}
	if n > 0 {
		best.star = float64(inked) / float64(n)
	}
	return best
}

// centre moves the circle at the cell x, y of radius r (on f.fine's radii) within reach cells and 2
// radii to where the most ink lies along it: the middle of a ring's line, where fit stops anywhere on
// a thick ring that scores the same.
func (f *ringFinder) centre(x, y, r, reach int) (bx, by, br int) {
	best := -1
	for cy := y - reach; cy <= y+reach; cy++ {
		for cx := x - reach; cx <= x+reach; cx++ {
			f.fine.cast(f.m, cx, cy)
			for rr := max(r-2, f.fine.r0); rr <= min(r+2, f.fine.r0+f.fine.len-1); rr++ {
				j, s := rr-f.fine.r0, 0
				for i := range f.fine.n {
					s += int(f.fine.v[i*f.fine.len+j])
				}
				if s > best {
					best, bx, by, br = s, cx, cy, rr
				}
			}
		}
	}
	return bx, by, br
}

// minStartLong is the least ring.long a Hough centre must show before it is climbed from.
const minStartLong = 0.4

// bandInk is the share of the directions dx, dy with ink between radii r0 and r1 of cx, cy.
func (m *inkMap) bandInk(cx, cy, r0, r1 float64, dx, dy []float64) float64 {
	n := 0
	for i := range dx {
		for r := r0; r <= r1; r++ {
			if m.sample(cx+r*dx[i], cy+r*dy[i]) >= inkLevel {
				n++
				break
			}
		}
	}
	return float64(n) / float64(len(dx))
}

// half is m shrunk by 2, each cell the mean of four.
func (m *inkMap) half() *inkMap {
	w, h := m.w/2, m.h/2
	o := &inkMap{w: w, h: h, k: 2 * m.k, x0: m.x0, y0: m.y0, v: make([]uint8, w*h)}
	for y := range h {
		for x := range w {
			i := 2*y*m.w + 2*x
			o.v[y*w+x] = uint8((int(m.v[i]) + int(m.v[i+1]) + int(m.v[i+m.w]) + int(m.v[i+m.w+1]) + 2) / 4)
		}
	}
	return o
}

// rings finds the circles of radius rmin..rmax cells on m that look most like a seal's ring, best first:
// centres proposed by the Hough transform on m shrunk by 2, then each fitted and measured on m.
func (m *inkMap) rings(rmin, rmax, n int) []ring {
	cs, votes := m.half().circleCenters(rmin/2, (rmax+1)/2, n)
	f := newRingFinder(m, rmin, rmax)
	var out []ring
	for i, c := range cs {
		r := f.fit(2*c.X+1, 2*c.Y+1, max(rmin/4, 3))
		if r.r == 0 {
			continue
		}
		r.votes = votes[i]
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].long > out[j].long })
	return out
}

// dilate gives each cell of m the most ink of itself and its eight neighbours.
func (m *inkMap) dilate() {
	src := append([]uint8(nil), m.v...)
	for y := range m.h {
		for x := range m.w {
			v := uint8(0)
			for yy := max(y-1, 0); yy <= min(y+1, m.h-1); yy++ {
				for xx := max(x-1, 0); xx <= min(x+1, m.w-1); xx++ {
					v = max(v, src[yy*m.w+xx])
				}
			}
			m.v[y*m.w+x] = v
		}
	}
}
