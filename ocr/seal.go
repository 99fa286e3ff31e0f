package ocr

import (
	"image"
	"math"

	"shenbao/doc"
)

// seal is an official seal (公章) found on a page: its box, and the circle of its ring when one was fitted.
type seal struct {
	box       doc.Box
	cx, cy, r float64 // the ring's centre and radius in page pixels; r is 0 when no ring was fitted
	red       bool    // found by its colour
}

// pageSeals finds the seals of a page: red ones by colour (findSeals), each with its ring fitted for
// reading; on a page without colour, round ones by their shape (findGreySeals). A grey scan shows a
// red seal as a grey ring, which the shape finds (on 43 of 47 real pages with red seals made grey; the
// four it missed were photographs taken at an angle), so a grey page without a ring has no seal.
// known is false only on a 1-bit page without one: thresholding can drop a light red seal to white,
// so that its absence cannot be told.
func pageSeals(img image.Image, dpi int) (seals []seal, known bool) {
	boxes, known := findSeals(img, dpi)
	if known {
		for _, b := range boxes {
			seals = append(seals, redSeal(img, b))
		}
		return seals, true
	}
	seals = findGreySeals(img)
	return seals, len(seals) > 0 || !blackAndWhite(img, img.Bounds())
}

// Shape and size of a round seal on a page without colour, measured on the dev corpus (63 seals on
// 137 grey pages, all real: their rings run unbroken round 0.77–1.00 of the circle, print and tables
// crossed by a circle at most 0.59; the same pages made 1-bit show no others).
const (
	// A seal is 38–45 mm across: on an A4 page (210 mm short side) a radius of 0.09–0.11 of the short
	// side, widened for cropped scans and pages scaled on printing. Judged against the page, not the
	// stated DPI, which scanners and PDF makers often get wrong.
	sealMinRadius = 0.075
	sealMaxRadius = 0.13
	sealWorkSide  = 600  // the page is shrunk to about this short side to look for rings
	minSealLong   = 0.70 // ring.long: the share of the circle inked in unbroken runs
	minSealText   = 0.20 // ring.text: characters inside the ring
	minSealStar   = 0.20 // ring.star: a star or emblem in the middle
)

// findGreySeals finds round seals by their shape on a page without colour: a ring of the size of a
// seal, inked in long unbroken runs with paper just outside it, with ink inside it where the
// characters stand and in the middle where the star is (ring.go). Seals come best first, a circle
// overlapping one already found being the same seal.
func findGreySeals(img image.Image) []seal {
	b := img.Bounds()
	short := min(b.Dx(), b.Dy())
	k := max(1, int(math.Round(float64(short)/sealWorkSide)))
	s := float64(short) / float64(k)
	rmin, rmax := int(sealMinRadius*s), int(math.Ceil(sealMaxRadius*s))
	if rmin < 8 {
		return nil
	}
	m := greyInk(img, b, k)
	if blackAndWhite(img, b) {
		// A 1-bit scan draws a light seal as scattered dots, a cell or two apart: a cell takes the ink of
		// its darkest neighbour, and the dots join into a ring.
		m.dilate()
	}
	var seals []seal
	for _, r := range m.rings(rmin, rmax, 12) {
		if r.long < minSealLong || r.text < minSealText || r.star < minSealStar {
			continue
		}
		sl := seal{cx: float64(m.x0) + (r.cx+0.5)*float64(k), cy: float64(m.y0) + (r.cy+0.5)*float64(k), r: r.r * float64(k)}
		same := false
		for _, o := range seals {
			if math.Hypot(o.cx-sl.cx, o.cy-sl.cy) < max(o.r, sl.r) {
				same = true
				break
			}
		}
		if same {
			continue
		}
		sl.box = circleBox(sl.cx, sl.cy, sl.r*1.04, b) // the ring's own width outside its middle
		seals = append(seals, sl)
	}
	return seals
}

// circleBox is the box round a circle, clipped to the page bounds b (in the image's coordinates, as
// findSeals gives its boxes).
func circleBox(cx, cy, r float64, b image.Rectangle) doc.Box {
	return doc.Box{X0: max(int(cx-r), b.Min.X), Y0: max(int(cy-r), b.Min.Y),
		X1: min(int(math.Ceil(cx+r)), b.Max.X), Y1: min(int(math.Ceil(cy+r)), b.Max.Y)}
}

// redSeal fits the ring of a red seal found in box, on the redness around it; when no ring fits (a
// seal that is not round, or smudged), the seal keeps its box alone.
func redSeal(img image.Image, box doc.Box) seal {
	s := seal{box: box, red: true}
	side := float64(box.W()+box.H()) / 2
	k := max(1, int(math.Round(side/200)))
	grow := int(side / 8)
	m := redInk(img, image.Rect(box.X0-grow, box.Y0-grow, box.X1+grow, box.Y1+grow), k)
	rmin, rmax := int(0.38*side/float64(k)), int(math.Ceil(0.56*side/float64(k)))
	if m.w == 0 || rmin < 8 {
		return s
	}
	cx := float64((box.X0+box.X1)/2-m.x0)/float64(k) - 0.5
	cy := float64((box.Y0+box.Y1)/2-m.y0)/float64(k) - 0.5
	r := newRingFinder(m, rmin, rmax).fit(int(math.Round(cx)), int(math.Round(cy)), max(int(side/10)/k, 2))
	if r.r == 0 || r.long < minRedLong {
		return s
	}
	s.cx, s.cy, s.r = float64(m.x0)+(r.cx+0.5)*float64(k), float64(m.y0)+(r.cy+0.5)*float64(k), r.r*float64(k)
	return s
}

// minRedLong is the least ring.long of a red seal's ring to be read round: less is not a round seal.
const minRedLong = 0.5

// findSeals looks for red official seals (公章): connected masses of strongly red pixels that are
// roughly as wide as high and of a seal's size (about 3.5–6 cm across at the page's DPI). It works on a
// grid of cells for speed. dpi is not used: sizes are judged against the page. A grey or 1-bit page has no colour to find: ok is false, meaning unknown.
func findSeals(img image.Image, dpi int) (seals []doc.Box, ok bool) {
	b := img.Bounds()
	switch img.(type) {
	case *image.Gray, *image.Gray16, *image.Paletted:
		return nil, false
	}
	cell := max(min(b.Dx(), b.Dy())/400, 2) // about half a millimetre on an A4 page
	gw, gh := (b.Dx()+cell-1)/cell, (b.Dy()+cell-1)/cell
	grid := make([]bool, gw*gh)
	at := pixelReader(img)
	colourful := 0
	for gy := 0; gy < gh; gy++ {
		for gx := 0; gx < gw; gx++ {
			red, n := 0, 0
			for y := b.Min.Y + gy*cell; y < min(b.Min.Y+(gy+1)*cell, b.Max.Y); y += 2 {
				for x := b.Min.X + gx*cell; x < min(b.Min.X+(gx+1)*cell, b.Max.X); x += 2 {
					r8, g8, b8 := at(x, y)
					r, g, bl := int(r8), int(g8), int(b8)
					n++
					if r > 110 && r-max(g, bl) > 25 {
						red++
					}
					if r-g > 25 || g-bl > 25 || bl-r > 25 {
						colourful++
					}
				}
			}
			grid[gy*gw+gx] = n > 0 && red*8 >= n // thin, faded strokes of a ring hit few samples
		}
	}
	if colourful == 0 {
		return nil, false // a grey image stored as colour
	}
	// Connected components over the grid (8-neighbourhood), with a small gap bridged by dilation of 2 cells.
	seen := make([]bool, len(grid))
	// A seal is 3.5–5 cm across on a page 21 cm wide or more: judge its size against the page, not the
	// stated DPI, which scanners and PDF makers often get wrong.
	short := min(b.Dx(), b.Dy())
	minSide := short * 8 / 100  // smaller red marks (a tick, a signature) are not seals
	maxSide := short * 40 / 100 // nor are red areas as big as a photo
	var stack []int
	for i, on := range grid {
		if !on || seen[i] {
			continue
		}
		x0, y0, x1, y1, count := gw, gh, 0, 0, 0
		stack = append(stack[:0], i)
		seen[i] = true
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := j%gw, j/gw
			count++
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= gw || ny >= gh {
						continue
					}
					k := ny*gw + nx
					if grid[k] && !seen[k] {
						seen[k] = true
						stack = append(stack, k)
					}
				}
			}
		}
		w, h := (x1-x0+1)*cell, (y1-y0+1)*cell
		if w < minSide || h < minSide || w > maxSide || h > maxSide {
			continue
		}
		if w*10 < h*6 || h*10 < w*6 { // not roughly round
			continue
		}
		// A seal's ring and characters cover a fair share of its box, a red line or table rule does not.
		if count*cell*cell*30 < w*h {
			continue
		}
		seals = append(seals, doc.Box{X0: b.Min.X + x0*cell, Y0: b.Min.Y + y0*cell, X1: b.Min.X + (x1+1)*cell, Y1: b.Min.Y + (y1+1)*cell})
	}
	return seals, true
}
