package main

import (
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"
)

// Degradations of a rendered page, as scanners and phones leave them. Each takes the page and the
// page's own random stream, so a page degrades the same way every run.

// degrade turns a clean render into what the look's capture gives: a flatbed scan (paper tone,
// uneven light, a slight turn, blur, noise, sometimes grey), a phone photo (perspective, the table
// around the page, a shadow, a colour cast) or a clean export; then the occasional quarter turn.
func degrade(img *image.RGBA, l look, g *rng) (image.Image, string) {
	var steps []string
	switch l.mode {
	case "scan":
		tone := [3]float64{g.betweenF(0.90, 0.99), g.betweenF(0.89, 0.98), g.betweenF(0.84, 0.96)}
		multiply(img, tone)
		lighting(img, g.betweenF(0.04, 0.18), g)
		angle := g.betweenF(-2, 2)
		img = rotate(img, angle, color.RGBA{uint8(250 * tone[0]), uint8(250 * tone[1]), uint8(250 * tone[2]), 255})
		if g.chance(0.6) {
			img = boxBlur(img, 1)
		}
		noise(img, g.betweenF(3, 11), g)
		if g.chance(0.15) {
			img = crop(img, g.betweenF(0.01, 0.035), g)
			steps = append(steps, "cropped")
		}
		steps = append(steps, "scan", "rot="+fmt1(angle))
	case "phone":
		img = phone(img, g)
		steps = append(steps, "phone")
	case "clean":
		if g.chance(0.5) {
			noise(img, g.betweenF(1, 3), g)
		}
		steps = append(steps, "clean")
	case "screen":
		steps = append(steps, "screen")
	}
	if l.turn != 0 {
		img = turn(img, l.turn)
	}
	if l.grey {
		steps = append(steps, "grey")
		return toGray(img), join(steps)
	}
	return img, join(steps)
}

func fmt1(x float64) string { return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64) }

func join(xs []string) string { return strings.Join(xs, " ") }

func clamp8(x float64) uint8 {
	switch {
	case x < 0:
		return 0
	case x > 255:
		return 255
	}
	return uint8(x + 0.5)
}

func multiply(img *image.RGBA, f [3]float64) {
	p := img.Pix
	for i := 0; i < len(p); i += 4 {
		p[i] = clamp8(float64(p[i]) * f[0])
		p[i+1] = clamp8(float64(p[i+1]) * f[1])
		p[i+2] = clamp8(float64(p[i+2]) * f[2])
	}
}

// lighting darkens the page away from a bright spot, by up to amp.
func lighting(img *image.RGBA, amp float64, g *rng) {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	cx, cy := g.betweenF(0.2, 0.8)*w, g.betweenF(0.2, 0.8)*h
	r2 := w*w + h*h
	for y := 0; y < b.Dy(); y++ {
		row := img.Pix[y*img.Stride:]
		dy := float64(y) - cy
		for x := 0; x < b.Dx(); x++ {
			dx := float64(x) - cx
			f := 1 - amp*(dx*dx+dy*dy)/r2*2
			i := x * 4
			row[i] = clamp8(float64(row[i]) * f)
			row[i+1] = clamp8(float64(row[i+1]) * f)
			row[i+2] = clamp8(float64(row[i+2]) * f)
		}
	}
}

func noise(img *image.RGBA, sigma float64, g *rng) {
	p := img.Pix
	for i := 0; i < len(p); i += 4 {
		n := g.norm() * sigma
		p[i] = clamp8(float64(p[i]) + n)
		p[i+1] = clamp8(float64(p[i+1]) + n)
		p[i+2] = clamp8(float64(p[i+2]) + n)
	}
}

// boxBlur blurs with a (2r+1)² box, separably.
func boxBlur(img *image.RGBA, r int) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	tmp := image.NewRGBA(b)
	out := image.NewRGBA(b)
	pass := func(src, dst *image.RGBA, horizontal bool) {
		n, m := w, h
		if !horizontal {
			n, m = h, w
		}
		for j := 0; j < m; j++ {
			for i := 0; i < n; i++ {
				var s [3]int
				cnt := 0
				for k := i - r; k <= i+r; k++ {
					if k < 0 || k >= n {
						continue
					}
					var o int
					if horizontal {
						o = j*src.Stride + k*4
					} else {
						o = k*src.Stride + j*4
					}
					s[0] += int(src.Pix[o])
					s[1] += int(src.Pix[o+1])
					s[2] += int(src.Pix[o+2])
					cnt++
				}
				var o int
				if horizontal {
					o = j*dst.Stride + i*4
				} else {
					o = i*dst.Stride + j*4
				}
				dst.Pix[o] = uint8(s[0] / cnt)
				dst.Pix[o+1] = uint8(s[1] / cnt)
				dst.Pix[o+2] = uint8(s[2] / cnt)
				dst.Pix[o+3] = 255
			}
		}
	}
	pass(img, tmp, true)
	pass(tmp, out, false)
	return out
}

// bilinear reads src at (u, v) bilinearly; ok is false outside it.
func bilinear(src *image.RGBA, u, v float64) (r, g, b float64, ok bool) {
	w, h := src.Bounds().Dx(), src.Bounds().Dy()
	if u < 0 || v < 0 || u > float64(w-1) || v > float64(h-1) {
		return 0, 0, 0, false
	}
	x0, y0 := int(u), int(v)
	x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
	fx, fy := u-float64(x0), v-float64(y0)
	p := src.Pix
	at := func(x, y, c int) float64 { return float64(p[y*src.Stride+x*4+c]) }
	var out [3]float64
	for c := 0; c < 3; c++ {
		top := at(x0, y0, c)*(1-fx) + at(x1, y0, c)*fx
		bot := at(x0, y1, c)*(1-fx) + at(x1, y1, c)*fx
		out[c] = top*(1-fy) + bot*fy
	}
	return out[0], out[1], out[2], true
}

// rotate turns the image by deg degrees about its centre, filling the corners with fill.
func rotate(src *image.RGBA, deg float64, fill color.RGBA) *image.RGBA {
	b := src.Bounds()
	out := image.NewRGBA(b)
	w, h := float64(b.Dx()), float64(b.Dy())
	cx, cy := w/2, h/2
	s, c := math.Sincos(deg * math.Pi / 180)
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			dx, dy := float64(x)-cx, float64(y)-cy
			u := c*dx + s*dy + cx
			v := -s*dx + c*dy + cy
			o := y*out.Stride + x*4
			if r, g, bl, ok := bilinear(src, u, v); ok {
				out.Pix[o], out.Pix[o+1], out.Pix[o+2] = clamp8(r), clamp8(g), clamp8(bl)
			} else {
				out.Pix[o], out.Pix[o+1], out.Pix[o+2] = fill.R, fill.G, fill.B
			}
			out.Pix[o+3] = 255
		}
	}
	return out
}

// crop cuts a margin off some sides (a scan whose page was not flat on the glass).
func crop(src *image.RGBA, frac float64, g *rng) *image.RGBA {
	b := src.Bounds()
	dx, dy := int(frac*float64(b.Dx())), int(frac*float64(b.Dy()))
	r := image.Rect(b.Min.X+dx*g.intn(2), b.Min.Y+dy*g.intn(2), b.Max.X-dx*g.intn(2), b.Max.Y-dy*g.intn(2))
	return src.SubImage(r).(*image.RGBA)
}

// turn rotates by a multiple of 90° clockwise.
func turn(src *image.RGBA, deg int) *image.RGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	var out *image.RGBA
	if deg == 180 {
		out = image.NewRGBA(image.Rect(0, 0, w, h))
	} else {
		out = image.NewRGBA(image.Rect(0, 0, h, w))
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			si := (y+b.Min.Y-src.Rect.Min.Y)*src.Stride + (x+b.Min.X-src.Rect.Min.X)*4
			var nx, ny int
			switch deg {
			case 90:
				nx, ny = h-1-y, x
			case 180:
				nx, ny = w-1-x, h-1-y
			default: // 270
				nx, ny = y, w-1-x
			}
			copy(out.Pix[ny*out.Stride+nx*4:ny*out.Stride+nx*4+4], src.Pix[si:si+4])
		}
	}
	return out
}

func toGray(src *image.RGBA) *image.Gray {
	b := src.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			o := (y+b.Min.Y-src.Rect.Min.Y)*src.Stride + (x+b.Min.X-src.Rect.Min.X)*4
			l := 0.299*float64(src.Pix[o]) + 0.587*float64(src.Pix[o+1]) + 0.114*float64(src.Pix[o+2])
			out.Pix[y*out.Stride+x] = clamp8(l)
		}
	}
	return out
}

// homography returns the 3×3 matrix mapping each of the four points from to its point in to.
func homography(from, to [4][2]float64) [9]float64 {
	var a [8][9]float64
	for i := 0; i < 4; i++ {
		x, y, u, v := from[i][0], from[i][1], to[i][0], to[i][1]
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for col := 0; col < 8; col++ {
		piv := col
		for r := col + 1; r < 8; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[piv][col]) {
				piv = r
			}
		}
		a[col], a[piv] = a[piv], a[col]
		for r := 0; r < 8; r++ {
			if r == col || a[col][col] == 0 {
				continue
			}
			f := a[r][col] / a[col][col]
			for k := col; k < 9; k++ {
				a[r][k] -= f * a[col][k]
			}
		}
	}
	var h [9]float64
	for i := 0; i < 8; i++ {
		h[i] = a[i][8] / a[i][i]
	}
	h[8] = 1
	return h
}

// phone makes a photo of the page: smaller, in perspective, on a table, under a shadow and a cast.
func phone(src *image.RGBA, g *rng) *image.RGBA {
	sw, sh := float64(src.Bounds().Dx()), float64(src.Bounds().Dy())
	scale := g.betweenF(0.72, 0.92)
	pw, ph := sw*scale, sh*scale
	margin := g.betweenF(0.05, 0.12)
	W, H := int(pw*(1+2*margin)), int(ph*(1+2*margin))
	mx, my := pw*margin, ph*margin
	j := func(f float64) float64 { return g.betweenF(-f, f) }
	squeeze := g.betweenF(0, 0.07) * pw // the far edge looks narrower
	dst := [4][2]float64{
		{mx + squeeze + j(0.02*pw), my + j(0.02*ph)},
		{mx + pw - squeeze + j(0.02*pw), my + j(0.02*ph)},
		{mx + pw + j(0.02*pw), my + ph + j(0.02*ph)},
		{mx + j(0.02*pw), my + ph + j(0.02*ph)},
	}
	if g.chance(0.5) { // the near edge is the top
		for i := range dst {
			dst[i][1] = float64(H) - dst[i][1]
		}
		dst[0], dst[3] = dst[3], dst[0]
		dst[1], dst[2] = dst[2], dst[1]
	}
	srcPts := [4][2]float64{{0, 0}, {sw - 1, 0}, {sw - 1, sh - 1}, {0, sh - 1}}
	hm := homography(dst, srcPts)
	bg := pick(g, [][3]float64{{120, 86, 52}, {70, 72, 78}, {150, 140, 128}, {40, 38, 36}, {182, 170, 150}})
	cast := [3]float64{g.betweenF(0.95, 1.06), g.betweenF(0.95, 1.02), g.betweenF(0.86, 1.0)}
	// A shadow: a soft-edged half-plane darkening part of the picture.
	sa := g.betweenF(0, 2*math.Pi)
	snx, sny := math.Cos(sa), math.Sin(sa)
	soff := g.betweenF(-0.2, 0.4) * float64(W)
	sdark := g.betweenF(0.55, 0.85)
	if g.chance(0.35) {
		sdark = 1
	}
	out := image.NewRGBA(image.Rect(0, 0, W, H))
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			fx, fy := float64(x), float64(y)
			d := hm[6]*fx + hm[7]*fy + hm[8]
			u := (hm[0]*fx + hm[1]*fy + hm[2]) / d
			v := (hm[3]*fx + hm[4]*fy + hm[5]) / d
			r, gg, b, ok := bilinear(src, u, v)
			if !ok {
				t := 0.85 + 0.15*math.Sin(fx*0.05+fy*0.013)
				r, gg, b = bg[0]*t, bg[1]*t, bg[2]*t
			}
			dist := (fx-float64(W)/2)*snx + (fy-float64(H)/2)*sny - soff
			f := 1.0
			if dist > 0 {
				f = sdark + (1-sdark)*math.Exp(-dist/(0.05*float64(W)))
			}
			o := y*out.Stride + x*4
			out.Pix[o] = clamp8(r * f * cast[0])
			out.Pix[o+1] = clamp8(gg * f * cast[1])
			out.Pix[o+2] = clamp8(b * f * cast[2])
			out.Pix[o+3] = 255
		}
	}
	lighting(out, g.betweenF(0.05, 0.2), g)
	out = boxBlur(out, 1)
	noise(out, g.betweenF(3, 8), g)
	return out
}
