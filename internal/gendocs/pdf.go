package main

import (
	"bytes"
	"fmt"
)

// pdfPage is one scanned page: its JPEG bytes, pixel size and colour space.
type pdfPage struct {
	jpeg []byte
	w, h int
	gray bool
	dpi  float64
}

// writePDF makes an image-only PDF, one JPEG (DCTDecode, as scanners write them) per page, each page
// sized to its image at its resolution. It is written by hand rather than with pdfcpu so that the
// bytes depend on the pages alone (no creation date or random ID): the same seed gives the same
// files.
func writePDF(pages []pdfPage) []byte {
	var b bytes.Buffer
	var offsets []int
	obj := func(body func()) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n", len(offsets))
		body()
		b.WriteString("\nendobj\n")
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	n := len(pages)
	// 1 catalog, 2 pages, then per page: page, content, image.
	obj(func() { b.WriteString("<< /Type /Catalog /Pages 2 0 R >>") })
	obj(func() {
		b.WriteString("<< /Type /Pages /Kids [")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "%d 0 R ", 3+3*i)
		}
		fmt.Fprintf(&b, "] /Count %d >>", n)
	})
	for i, p := range pages {
		pw, ph := float64(p.w)*72/p.dpi, float64(p.h)*72/p.dpi
		pageObj, contentObj, imgObj := 3+3*i, 4+3*i, 5+3*i
		_ = pageObj
		obj(func() {
			fmt.Fprintf(&b, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>",
				pw, ph, imgObj, contentObj)
		})
		content := fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", pw, ph)
		obj(func() { fmt.Fprintf(&b, "<< /Length %d >>\nstream\n%s\nendstream", len(content), content) })
		cs := "/DeviceRGB"
		if p.gray {
			cs = "/DeviceGray"
		}
		obj(func() {
			fmt.Fprintf(&b, "<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n",
				p.w, p.h, cs, len(p.jpeg))
			b.Write(p.jpeg)
			b.WriteString("\nendstream")
		})
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}
