package ocr

import (
	"image"

	"shenbao/doc"
)

// findSeals looks for red official seals (公章): connected masses of strongly red pixels that are
// roughly as wide as high and of a seal's size (about 3.5–6 cm across at the page's DPI). It works on a
// grid of cells for speed. A grey or 1-bit page has no colour to find: ok is false, meaning unknown.
func findSeals(img image.Image, dpi int) (seals []doc.Box, ok bool) {
	b := img.Bounds()
	switch img.(type) {
	case *image.Gray, *image.Gray16, *image.Paletted:
		return nil, false
	}
	if dpi <= 0 {
		dpi = 200
	}
	cell := max(dpi/50, 2) // about half a millimetre
	gw, gh := (b.Dx()+cell-1)/cell, (b.Dy()+cell-1)/cell
	grid := make([]bool, gw*gh)
	colourful := 0
	for gy := 0; gy < gh; gy++ {
		for gx := 0; gx < gw; gx++ {
			red, n := 0, 0
			for y := b.Min.Y + gy*cell; y < min(b.Min.Y+(gy+1)*cell, b.Max.Y); y += 2 {
				for x := b.Min.X + gx*cell; x < min(b.Min.X+(gx+1)*cell, b.Max.X); x += 2 {
					r, g, bl, _ := img.At(x, y).RGBA()
					r, g, bl = r>>8, g>>8, bl>>8
					n++
					if r > 120 && int(r)-int(g) > 50 && int(r)-int(bl) > 40 {
						red++
					}
					if int(r)-int(g) > 25 || int(g)-int(bl) > 25 || int(bl)-int(r) > 25 {
						colourful++
					}
				}
			}
			grid[gy*gw+gx] = n > 0 && red*4 >= n
		}
	}
	if colourful == 0 {
		return nil, false // a grey image stored as colour
	}
	// Connected components over the grid (8-neighbourhood), with a small gap bridged by dilation of 2 cells.
	seen := make([]bool, len(grid))
	minSide := dpi * 8 / 10 // about 2 cm: smaller red marks are not seals
	maxSide := dpi * 3      // about 7.5 cm: bigger red areas are not seals either
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
		if count*cell*cell*12 < w*h {
			continue
		}
		seals = append(seals, doc.Box{X0: b.Min.X + x0*cell, Y0: b.Min.Y + y0*cell, X1: b.Min.X + (x1+1)*cell, Y1: b.Min.Y + (y1+1)*cell})
	}
	return seals, true
}
