// Package testpdf assembles small PDF files from the text of their objects, for tests that need a
// PDF of a known shape (a page count, a drawing, an embedded JPEG) without a PDF library.
package testpdf

import (
	"bytes"
	"fmt"
)

// Assemble writes a PDF whose objects are objs, numbered from 1 in order — object 1 must be the
// catalog — with its cross-reference table and trailer.
func Assemble(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, 0, len(objs))
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
