package ocr

import (
	"image"
	"math"
	"strings"
	"unicode"

	"shenbao/doc"
)

// Reading a round seal's text. The characters of an official seal stand round the inside of its ring,
// heads outwards, reading clockwise from the lower left round the top to the lower right. sealStrip
// unrolls that band into a straight strip (angle → x, radius → y, outer edge at the top), on which
// the characters stand upright, left to right, ready for a line recogniser.
//
// Measured on the 28 seals of the dev corpus' recommendation forms and declarations whose name is
// known (13 red, 15 grey; TestSealTextsOnCorpus): PP-OCR's recogniser on the strip reads 2 of them
// exactly, 7 within 1 character and 12 within 2 (8 of the 13 red, 4 of the 15 grey), Tesseract (chi_sim,
// one line, on the same strips) none within 2; so only PP-OCR reads seals. The 27 seals of the
// application reports: 6 exactly, 12 within 1, 16 within 2.

// Where a seal's characters stand, as shares of its ring's radius: measured on the dev corpus' seals,
// their ink runs from 0.70 to 0.92 of the radius and the ring's from 0.94 outwards.
const (
	sealTextIn  = 0.66
	sealTextOut = 0.94
	stripHeight = 64  // pixels; the recogniser scales lines to 48
	stripDark   = 280 // a seal's typical ink is drawn this dark (and clipped to black), see sealStrip
)

// sealStrip unrolls the characters of a round seal into a strip of text set upright (see unroll), or
// nil when the seal has no ring to read round. rotation is how far the page must be turned clockwise
// to stand upright (doc.Page.Rotation): the seal's foot, where its text begins and ends, is down then. On a page without colour, print over the seal, darker
// than the seal's ink, is left out; a seal on a 1-bit scan is blurred first, its scattered dots then a
// light grey. The ink is blurred over a stroke's width (a stamp's ink is speckled) and drawn so that
// the seal's typical ink is dark.
func sealStrip(img image.Image, s seal, rotation int) *image.Gray {
	if s.r == 0 {
		return nil
	}
	m, cx, cy, r := sealInk(img, s)
	if m.w == 0 {
		return nil
	}
	if !s.red && blackAndWhite(img, image.Rect(int(s.cx-s.r), int(s.cy-s.r), int(s.cx+s.r), int(s.cy+s.r))) {
		boxBlur(m, max(2, int(r/60)))
	}
	lv := ringLevel(m, cx, cy, r)
	if lv < inkLevel {
		return nil
	}
	if !s.red {
		dropAbove(m, max(2.2*lv, lv+60), 1)
	}
	boxBlur(m, min(max(int(math.Round(r/100)), 1), 3))
	from, to := textSpan(m, cx, cy, 0.70*r, 0.92*r, lv/2, float64(180-rotation)*math.Pi/180)
	return unroll(m, cx, cy, sealTextIn*r, sealTextOut*r, from, to, stripHeight, stripDark/lv)
}

// sealInk is the ink of a seal's neighbourhood at full resolution, red or grey as the seal was found,
// with the seal's ring fitted again on it (cx, cy, r in the map's cells): the circle found on the
// shrunk page can be a few pixels off, which is much of a character's stroke.
func sealInk(img image.Image, s seal) (m *inkMap, cx, cy, r float64) {
	grow := s.r * 1.12
	rect := image.Rect(int(s.cx-grow), int(s.cy-grow), int(math.Ceil(s.cx+grow)), int(math.Ceil(s.cy+grow)))
	if s.red {
		m = redDarkInk(img, rect)
	} else {
		m = greyInk(img, rect, 1)
	}
	cx, cy, r = s.cx-float64(m.x0)-0.5, s.cy-float64(m.y0)-0.5, s.r
	if m.w < 4 || m.h < 4 {
		return m, cx, cy, r
	}
	// Refit on the map shrunk by 2: close enough, and four times cheaper.
	h := m.half()
	rmin, rmax := int(0.92*r/2), int(math.Ceil(1.08*r/2))
	rf := newRingFinder(h, rmin, rmax)
	f := rf.fit(int(math.Round((cx-0.5)/2)), int(math.Round((cy-0.5)/2)), max(int(r/20), 2))
	if f.r != 0 && f.long >= minRedLong {
		x, y, rr := rf.centre(int(f.cx), int(f.cy), int(f.r), 3)
		cx, cy, r = 2*float64(x)+0.5, 2*float64(y)+0.5, 2*float64(rr)
	}
	return m, cx, cy, r
}

// redDarkInk measures a red seal's ink at full resolution over the page rectangle r: each pixel's
// darkness, but no more than three times its redness, against the paper around it. A JPEG keeps colour
// at half resolution and blurred in blocks but brightness sharp: the darkness draws the strokes, the
// redness only tells seal ink from black print.
func redDarkInk(img image.Image, r image.Rectangle) *inkMap {
	r = r.Intersect(img.Bounds())
	w, h := r.Dx(), r.Dy()
	if w < 1 || h < 1 {
		return &inkMap{k: 1, x0: r.Min.X, y0: r.Min.Y}
	}
	g := make([]uint8, w*h)
	at := pixelReader(img)
	for y := range h {
		for x := range w {
			r8, g8, b8 := at(r.Min.X+x, r.Min.Y+y)
			dark := 255 - (int(r8)*299+int(g8)*587+int(b8)*114)/1000
			g[y*w+x] = uint8(min(dark, 3*redness(r8, g8, b8)))
		}
	}
	return &inkMap{w: w, h: h, k: 1, x0: r.Min.X, y0: r.Min.Y, v: againstPaper(g, w, h, 50)}
}

// ringLevel is the typical ink of a seal's own lines: the median ink of the inked points of its ring.
func ringLevel(m *inkMap, cx, cy, r float64) float64 {
	dx, dy := directions(360)
	var hist [256]int
	n := 0
	for i := range dx {
		v := 0.0
		for _, d := range [3]float64{-1, 0, 1} {
			v = max(v, m.sample(cx+(r+d)*dx[i], cy+(r+d)*dy[i]))
		}
		if v >= inkLevel {
			hist[int(v)]++
			n++
		}
	}
	seen := 0
	for v, c := range hist {
		seen += c
		if 2*seen >= n && n > 0 {
			return float64(v)
		}
	}
	return 0
}

// textSpan is the arc, in radians clockwise from 12 o'clock (from < to, to − from < 2π), over which a
// seal's characters stand in the band r0..r1 of the circle at cx, cy: the rest of the circle after the
// seal's foot, the widest gap without ink (level or more) that reaches within 45° of the direction
// foot (π for a page upright), with 4° of paper kept at each end. Without such a gap of 20° it is ±140°
// round the head.
func textSpan(m *inkMap, cx, cy, r0, r1, level, foot float64) (from, to float64) {
	const n = 360
	deg := math.Pi / 180
	footDeg := int(math.Round(foot/deg)) % n
	if footDeg < 0 {
		footDeg += n
	}
	usual := func() (float64, float64) {
		head := float64(footDeg-180) * deg
		return head - 140*deg, head + 140*deg
	}
	dx, dy := directions(n)
	ink := make([]bool, n)
	for i := range n {
		for r := r0; r <= r1; r++ {
			if m.sample(cx+r*dx[i], cy+r*dy[i]) >= level {
				ink[i] = true
				break
			}
		}
	}
	start := 0
	for start < n && !ink[start] {
		start++
	}
	if start == n {
		return usual()
	}
	// Circular runs of directions without ink, each with its end and length; keep the widest that
	// comes near the foot.
	best, bestEnd, run := 0, 0, 0
	near := false
	for j := 1; j <= n; j++ {
		i := (start + j) % n
		if ink[i] {
			run, near = 0, false
			continue
		}
		run++
		if d := abs(i - footDeg); min(d, n-d) <= 45 {
			near = true
		}
		if near && run > best {
			best, bestEnd = run, i
		}
	}
	if best < 20 {
		return usual()
	}
	const pad = 4
	from = float64(bestEnd+1-pad) * deg
	to = from + float64(n-best+2*pad)*deg
	if from > math.Pi { // start left of 12 o'clock: tidier numbers
		from, to = from-2*math.Pi, to-2*math.Pi
	}
	return from, to
}

// unroll draws the band r1 (outer) … r0 (inner) of the circle at cx, cy of m over the arc from..to
// (radians clockwise from 12 o'clock) as a strip h pixels high, the outer edge at the top, so that
// characters standing round the ring with their heads outwards stand upright, read left to right. Its
// width keeps the characters' proportions at the band's middle. Ink is drawn dark on white, gain times
// its level.
func unroll(m *inkMap, cx, cy, r0, r1, from, to float64, h int, gain float64) *image.Gray {
	mid := (r0 + r1) / 2
	w := max(int(math.Round((to-from)*mid*float64(h)/(r1-r0))), 1)
	out := image.NewGray(image.Rect(0, 0, w, h))
	for x := range w {
		a := from + (float64(x)+0.5)/float64(w)*(to-from)
		sin, cos := math.Sin(a), math.Cos(a)
		for y := range h {
			r := r1 - (float64(y)+0.5)/float64(h)*(r1-r0)
			v := m.sample(cx+r*sin, cy-r*cos) * gain
			out.Pix[y*out.Stride+x] = uint8(255 - min(v, 255))
		}
	}
	return out
}

// dropAbove clears the cells of m above level and those within d cells of them (their edges).
func dropAbove(m *inkMap, level float64, d int) {
	drop := make([]bool, len(m.v))
	for y := range m.h {
		for x := range m.w {
			if float64(m.v[y*m.w+x]) <= level {
				continue
			}
			for yy := max(y-d, 0); yy <= min(y+d, m.h-1); yy++ {
				for xx := max(x-d, 0); xx <= min(x+d, m.w-1); xx++ {
					drop[yy*m.w+xx] = true
				}
			}
		}
	}
	for i, d := range drop {
		if d {
			m.v[i] = 0
		}
	}
}

// boxBlur averages each cell of m with its neighbours within d (a square of 2d+1), row then column.
func boxBlur(m *inkMap, d int) {
	if d < 1 || m.w == 0 {
		return
	}
	tmp := make([]uint16, len(m.v))
	line := func(n int, get func(i int) int, set func(i, v int)) {
		s, c := 0, 0
		for i := 0; i < min(d, n); i++ {
			s += get(i)
			c++
		}
		for i := range n {
			if j := i + d; j < n {
				s += get(j)
				c++
			}
			if j := i - d - 1; j >= 0 {
				s -= get(j)
				c--
			}
			set(i, s/c)
		}
	}
	for y := range m.h {
		row := m.v[y*m.w : (y+1)*m.w]
		trow := tmp[y*m.w : (y+1)*m.w]
		line(m.w, func(i int) int { return int(row[i]) }, func(i, v int) { trow[i] = uint16(v) })
	}
	for x := range m.w {
		line(m.h, func(i int) int { return int(tmp[i*m.w+x]) }, func(i, v int) { m.v[i*m.w+x] = uint8(v) })
	}
}

// blackAndWhite reports whether the part r of img is black and white only (a 1-bit scan), judged on
// a sample of its pixels (one in 25, or one in 4 of a region under 200×200).
func blackAndWhite(img image.Image, r image.Rectangle) bool {
	r = r.Intersect(img.Bounds())
	at := pixelReader(img)
	step := 5
	if r.Dx() < 200 || r.Dy() < 200 {
		step = 2
	}
	n, bw := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y += step {
		for x := r.Min.X; x < r.Max.X; x += step {
			v, _, _ := at(x, y)
			n++
			if v == 0 || v == 255 {
				bw++
			}
		}
	}
	return n > 0 && bw == n // a grey scan, however clean, has greys at the edges of its print
}

// minSealTextConfidence is the least mean confidence of a seal's reading worth passing on: below it
// the dev corpus' readings were nine characters or more from the seal's name, noise.
const minSealTextConfidence = 0.3

// readSeals reads round the round seals of img with PP-OCR's recogniser, the page needing rotation
// degrees clockwise to stand upright. Without PP-OCR (the Tesseract reader) seals are not read:
// Tesseract read none of the dev corpus' forms' and declarations' seals within 2 characters of the
// name, PP-OCR 12 of 28.
func (e *Engine) readSeals(img image.Image, seals []seal, rotation int) ([]doc.SealText, error) {
	if e.pp == nil {
		return nil, nil
	}
	var out []doc.SealText
	for _, s := range seals {
		st := sealStrip(img, s, rotation)
		if st == nil {
			continue
		}
		text, conf, err := e.pp.ReadLine(st)
		if err != nil {
			return out, err
		}
		// A seal's name has no spaces, and its stray punctuation is print left over the seal.
		text = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
				return -1
			}
			return r
		}, text)
		if text == "" || conf < minSealTextConfidence {
			continue
		}
		out = append(out, doc.SealText{Box: s.box, Text: text, Confidence: conf})
	}
	return out, nil
}
