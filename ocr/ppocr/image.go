package ppocr

import (
	"image"
	"image/color"
	"math"
)

// rgbImage is a page held as 8-bit samples, 1 (grey), 3 (R, G, B) or 4 (R, G, B and an alpha that is
// not looked at) per pixel, rows stride bytes apart, with its origin at 0,0. A grey or RGBA image is
// read where it lies, not copied (an A4 page at 300 dpi is 35 MB as RGBA); the reader never writes
// to it. Memory it made itself is reused by the next load, until Reader.Release lets it go.
type rgbImage struct {
	pix    []uint8
	w, h   int
	ch     int // 1, 3 or 4
	stride int // bytes from one row to the next
	owned  bool
}

// load takes img into m: a *image.Gray or *image.RGBA as it is, anything else copied, with fast paths
// for the types Go's decoders return.
func (m *rgbImage) load(img image.Image) {
	b := img.Bounds()
	m.w, m.h = b.Dx(), b.Dy()
	switch src := img.(type) {
	case *image.Gray:
		if m.w > 0 && m.h > 0 {
			m.pix, m.ch, m.stride, m.owned = src.Pix[src.PixOffset(b.Min.X, b.Min.Y):], 1, src.Stride, false
			return
		}
	case *image.RGBA:
		if m.w > 0 && m.h > 0 {
			m.pix, m.ch, m.stride, m.owned = src.Pix[src.PixOffset(b.Min.X, b.Min.Y):], 4, src.Stride, false
			return
		}
	}
	m.ch = 3
	if yc, ok := img.(*image.YCbCr); ok && isGreyYCbCr(yc) {
		m.ch = 1
	}
	m.stride = m.w * m.ch
	n := m.w * m.h * m.ch
	if !m.owned || cap(m.pix) < n {
		m.pix = make([]uint8, n)
		m.owned = true
	}
	m.pix = m.pix[:n]
	switch src := img.(type) {
	case *image.YCbCr:
		for y := 0; y < m.h; y++ {
			row := m.pix[y*m.w*m.ch:]
			for x := 0; x < m.w; x++ {
				yi := src.YOffset(b.Min.X+x, b.Min.Y+y)
				if m.ch == 1 {
					row[x] = src.Y[yi]
					continue
				}
				ci := src.COffset(b.Min.X+x, b.Min.Y+y)
				r, g, bl := color.YCbCrToRGB(src.Y[yi], src.Cb[ci], src.Cr[ci])
				row[3*x], row[3*x+1], row[3*x+2] = r, g, bl
			}
		}
	default:
		// Anything else (NRGBA, 16-bit, paletted, CMYK): through the colour model, on white where
		// transparent.
		for y := 0; y < m.h; y++ {
			row := m.pix[y*m.w*3:]
			for x := 0; x < m.w; x++ {
				r, g, bl, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				r, g, bl = r+0xffff-a, g+0xffff-a, bl+0xffff-a
				row[3*x], row[3*x+1], row[3*x+2] = uint8(r>>8), uint8(g>>8), uint8(bl>>8)
			}
		}
	}
}

// isGreyYCbCr reports whether a YCbCr image carries no colour (a JPEG with one component decodes to
// *image.Gray, but some grey scans are stored with neutral chroma).
func isGreyYCbCr(m *image.YCbCr) bool {
	for i := 0; i < len(m.Cb); i += 97 {
		if d := int(m.Cb[i]) - 128; d > 2 || d < -2 {
			return false
		}
		if d := int(m.Cr[i]) - 128; d > 2 || d < -2 {
			return false
		}
	}
	return true
}

// at returns the pixel at x, y (clamped to the image) as B, G, R, the order PaddleOCR's models expect.
func (m *rgbImage) at(x, y int) (b, g, r float32) {
	x = min(max(x, 0), m.w-1)
	y = min(max(y, 0), m.h-1)
	if m.ch == 1 {
		v := float32(m.pix[y*m.stride+x])
		return v, v, v
	}
	i := y*m.stride + x*m.ch
	return float32(m.pix[i+2]), float32(m.pix[i+1]), float32(m.pix[i])
}

// bilinear samples the image at x, y (pixel centres at integer coordinates), replicating the border.
func (m *rgbImage) bilinear(x, y float64) (b, g, r float32) {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := float32(x-x0), float32(y-y0)
	ix, iy := int(x0), int(y0)
	b00, g00, r00 := m.at(ix, iy)
	b10, g10, r10 := m.at(ix+1, iy)
	b01, g01, r01 := m.at(ix, iy+1)
	b11, g11, r11 := m.at(ix+1, iy+1)
	lerp := func(a, b, c, d float32) float32 {
		top := a + (b-a)*fx
		bot := c + (d-c)*fx
		return top + (bot-top)*fy
	}
	return lerp(b00, b10, b01, b11), lerp(g00, g10, g01, g11), lerp(r00, r10, r01, r11)
}

// resizeInto writes the image scaled to w×h into dst as planar B, G, R floats, each normalised as
// (v/255 - mean[c]) / std[c]. Shrinking averages the source pixels each target pixel covers.
func (m *rgbImage) resizeInto(dst []float32, w, h int, mean, std [3]float32) {
	plane := w * h
	sx := float64(m.w) / float64(w)
	sy := float64(m.h) / float64(h)
	// Source column ranges per target column.
	xs0 := make([]int, w)
	xs1 := make([]int, w)
	for x := range w {
		a, b := int(float64(x)*sx), int(float64(x+1)*sx)
		if b <= a {
			a = min(int((float64(x)+0.5)*sx), m.w-1)
			b = a + 1
		}
		xs0[x], xs1[x] = a, min(b, m.w)
	}
	var k [3]float32
	for c := range 3 {
		k[c] = 1 / (255 * std[c])
	}
	for y := range h {
		ya, yb := int(float64(y)*sy), int(float64(y+1)*sy)
		if yb <= ya {
			ya = min(int((float64(y)+0.5)*sy), m.h-1)
			yb = ya + 1
		}
		yb = min(yb, m.h)
		for x := range w {
			var sb, sg, sr float32
			for yy := ya; yy < yb; yy++ {
				row := m.pix[yy*m.stride:]
				if m.ch == 1 {
					for xx := xs0[x]; xx < xs1[x]; xx++ {
						sb += float32(row[xx])
					}
					continue
				}
				ch := m.ch
				for xx := xs0[x]; xx < xs1[x]; xx++ {
					sr += float32(row[ch*xx])
					sg += float32(row[ch*xx+1])
					sb += float32(row[ch*xx+2])
				}
			}
			n := float32((yb - ya) * (xs1[x] - xs0[x]))
			if m.ch == 1 {
				sg, sr = sb, sb
			}
			i := y*w + x
			dst[i] = (sb/n)*k[0] - mean[0]/std[0]
			dst[plane+i] = (sg/n)*k[1] - mean[1]/std[1]
			dst[2*plane+i] = (sr/n)*k[2] - mean[2]/std[2]
		}
	}
}

// rotate90 returns img turned clockwise by deg (0, 90, 180 or 270; others are taken modulo 360 and
// rounded down to a quarter turn). The result's bounds start at 0,0.
func rotate90(img image.Image, deg int) image.Image {
	deg = ((deg % 360) + 360) % 360 / 90 * 90
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if deg == 0 {
		return img
	}
	dw, dh := w, h
	if deg != 180 {
		dw, dh = h, w
	}
	// src maps a destination pixel to its source pixel.
	src := func(x, y int) (int, int) {
		switch deg {
		case 90:
			return y, h - 1 - x
		case 180:
			return w - 1 - x, h - 1 - y
		default: // 270
			return w - 1 - y, x
		}
	}
	if g, ok := img.(*image.Gray); ok {
		out := image.NewGray(image.Rect(0, 0, dw, dh))
		for y := range dh {
			for x := range dw {
				sx, sy := src(x, y)
				out.Pix[y*out.Stride+x] = g.Pix[g.PixOffset(b.Min.X+sx, b.Min.Y+sy)]
			}
		}
		return out
	}
	var m rgbImage
	m.load(img)
	out := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			sx, sy := src(x, y)
			bl, g, r := m.at(sx, sy)
			o := y*out.Stride + 4*x
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = uint8(r), uint8(g), uint8(bl), 255
		}
	}
	return out
}

// Rotate returns img turned clockwise by deg degrees (a multiple of 90), as Orientation's answer asks.
func Rotate(img image.Image, deg int) image.Image { return rotate90(img, deg) }
