package compile

import (
	"fmt"
	"image/color"
	"image/jpeg"
	"os"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// A JPEG becomes one A4 page showing the file's own bytes as a DCTDecode image: it is neither
// decoded nor encoded again, so a page costs no more memory than a copy buffer, and the image is
// the original, bit for bit.
const (
	a4Width, a4Height = 595.0, 842.0
	imageFill         = 0.94 // the image fills this share of the page's width or height
)

// jpegInfo is what the page needs from a JPEG's header.
type jpegInfo struct {
	width, height int
	colorSpace    string // DeviceGray, DeviceRGB or DeviceCMYK
}

// readJPEGInfo reads the header of the JPEG at path (not its image data).
func readJPEGInfo(path string) (jpegInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return jpegInfo{}, err
	}
	defer f.Close()
	c, err := jpeg.DecodeConfig(f)
	if err != nil {
		return jpegInfo{}, fmt.Errorf("JPEG: %w", err)
	}
	info := jpegInfo{width: c.Width, height: c.Height}
	switch c.ColorModel {
	case color.GrayModel:
		info.colorSpace = "DeviceGray"
	case color.YCbCrModel:
		info.colorSpace = "DeviceRGB"
	case color.CMYKModel:
		info.colorSpace = "DeviceCMYK"
	default:
		return jpegInfo{}, fmt.Errorf("JPEG: unsupported colour model")
	}
	if c.Width <= 0 || c.Height <= 0 {
		return jpegInfo{}, fmt.Errorf("JPEG: empty image")
	}
	return info, nil
}

// jpegPage writes the JPEG at path as an A4 page, the image centred and scaled to fit.
func (b *builder) jpegPage(path string, info jpegInfo) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	img := b.pw.alloc()
	d := types.Dict{
		"Type":             types.Name("XObject"),
		"Subtype":          types.Name("Image"),
		"Width":            types.Integer(info.width),
		"Height":           types.Integer(info.height),
		"ColorSpace":       types.Name(info.colorSpace),
		"BitsPerComponent": types.Integer(8),
		"Filter":           types.Name("DCTDecode"),
	}
	if info.colorSpace == "DeviceCMYK" {
		// CMYK JPEGs are written inverted by Adobe's software, which nearly all of them come from.
		d["Decode"] = types.NewIntegerArray(1, 0, 1, 0, 1, 0, 1, 0)
	}
	b.pw.streamFrom(img, d, f, st.Size())

	iw, ih := float64(info.width), float64(info.height)
	s := imageFill * min(a4Width/iw, a4Height/ih)
	w, h := iw*s, ih*s
	content := fmt.Appendf(nil, "q %.4f 0 0 %.4f %.4f %.4f cm /Im0 Do Q\n", w, h, (a4Width-w)/2, (a4Height-h)/2)
	box := types.RectForDim(a4Width, a4Height)
	content = append(content, stampContent(len(b.pages)+1, b.total, *box, 0, stampFont, false)...)
	cs := b.pw.alloc()
	b.pw.stream(cs, types.Dict{}, content)

	nr := b.pw.alloc()
	b.pw.object(nr, types.Dict{
		"Type":     types.Name("Page"),
		"Parent":   ref(b.pagesRoot),
		"MediaBox": rectArray(box),
		"Resources": types.Dict{
			"XObject": types.Dict{"Im0": ref(img)},
			"Font":    types.Dict{stampFont: ref(b.font)},
		},
		"Contents": ref(cs),
	})
	b.pages = append(b.pages, nr)
	return b.pw.err
}
