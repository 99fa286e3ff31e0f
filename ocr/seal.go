package ocr

import (
	"image"

	"shenbao/doc"
)

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
