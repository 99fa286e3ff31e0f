package ocr

import (
	"image"
	"image/color"
)

// pixelReader returns a function giving the 8-bit RGB of a pixel, reading the common decoded types
// directly: image.At boxes every pixel in an interface, which costs more than the analysis itself.
func pixelReader(img image.Image) func(x, y int) (r, g, b uint8) {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) (uint8, uint8, uint8) {
			yi, ci := m.YOffset(x, y), m.COffset(x, y)
			return color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
		}
	case *image.RGBA:
		return func(x, y int) (uint8, uint8, uint8) {
			o := m.PixOffset(x, y)
			return m.Pix[o], m.Pix[o+1], m.Pix[o+2]
		}
	case *image.NRGBA:
		return func(x, y int) (uint8, uint8, uint8) {
			o := m.PixOffset(x, y)
			return m.Pix[o], m.Pix[o+1], m.Pix[o+2]
		}
	case *image.Gray:
		return func(x, y int) (uint8, uint8, uint8) {
			v := m.Pix[m.PixOffset(x, y)]
			return v, v, v
		}
	}
	return func(x, y int) (uint8, uint8, uint8) {
		r, g, b, _ := img.At(x, y).RGBA()
		return uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)
	}
}
