package compile

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"math"
	"sort"
	"strconv"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// pdfWriter writes a PDF one object at a time, straight to its destination: an object's bytes are
// not kept once written. What it keeps is the offset of every object (8 bytes each) for the
// cross-reference table written by finish.
//
// Object numbers are handed out by alloc and may be written in any order; a number allocated but
// never written becomes a free entry. Errors are sticky: after the first failed write every call
// is a no-op and finish returns that error.
type pdfWriter struct {
	bw      *bufio.Writer
	sum     hash.Hash // of everything written, for the trailer's ID
	n       int64     // bytes written so far
	offsets []int64   // offsets[nr] of object nr; 0: not written (yet)
	buf     []byte    // scratch for serialising an object
	err     error
}

func newPDFWriter(w io.Writer) *pdfWriter {
	pw := &pdfWriter{sum: sha256.New(), offsets: []int64{0}}
	pw.bw = bufio.NewWriterSize(writerFunc(func(p []byte) (int, error) {
		pw.sum.Write(p)
		return w.Write(p)
	}), 64<<10)
	// A binary comment after the header tells transfer programs the file is binary.
	pw.write([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"))
	return pw
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func (pw *pdfWriter) write(p []byte) {
	if pw.err != nil {
		return
	}
	n, err := pw.bw.Write(p)
	pw.n += int64(n)
	pw.err = err
}

// alloc reserves the next object number.
func (pw *pdfWriter) alloc() int {
	pw.offsets = append(pw.offsets, 0)
	return len(pw.offsets) - 1
}

func (pw *pdfWriter) begin(nr int) {
	if pw.err != nil {
		return
	}
	if nr <= 0 || nr >= len(pw.offsets) {
		pw.err = fmt.Errorf("pdf writer: object %d was not allocated", nr)
		return
	}
	if pw.offsets[nr] != 0 {
		pw.err = fmt.Errorf("pdf writer: object %d written twice", nr)
		return
	}
	pw.offsets[nr] = pw.n
	pw.buf = strconv.AppendInt(pw.buf[:0], int64(nr), 10)
	pw.buf = append(pw.buf, " 0 obj\n"...)
	pw.write(pw.buf)
}

// object writes o (not a stream) as object nr.
func (pw *pdfWriter) object(nr int, o types.Object) {
	pw.begin(nr)
	pw.buf = appendObject(pw.buf[:0], o)
	pw.buf = append(pw.buf, "\nendobj\n"...)
	pw.write(pw.buf)
}

// stream writes a stream object with dictionary d (its Length is set here) and data.
func (pw *pdfWriter) stream(nr int, d types.Dict, data []byte) {
	pw.streamHead(nr, d, int64(len(data)))
	pw.write(data)
	pw.write([]byte("\nendstream\nendobj\n"))
}

// streamFrom writes a stream object whose n bytes of data are copied from r.
func (pw *pdfWriter) streamFrom(nr int, d types.Dict, r io.Reader, n int64) {
	pw.streamHead(nr, d, n)
	if pw.err != nil {
		return
	}
	m, err := io.Copy(pw.bw, io.LimitReader(r, n))
	pw.n += m
	if err == nil && m != n {
		err = fmt.Errorf("pdf writer: object %d: %d bytes of stream data, expected %d", nr, m, n)
	}
	pw.err = err
	pw.write([]byte("\nendstream\nendobj\n"))
}

func (pw *pdfWriter) streamHead(nr int, d types.Dict, n int64) {
	pw.begin(nr)
	d = withEntry(d, "Length", types.Integer(n))
	pw.buf = appendObject(pw.buf[:0], d)
	pw.buf = append(pw.buf, "\nstream\n"...)
	pw.write(pw.buf)
}

// finish writes the cross-reference table and the trailer and flushes. root and info are the
// object numbers of the catalog and the document information dictionary.
func (pw *pdfWriter) finish(root, info int) error {
	if pw.err != nil {
		return pw.err
	}
	if err := pw.bw.Flush(); err != nil { // so that the ID's digest covers every byte before it
		return err
	}
	id := types.HexLiteral(fmt.Sprintf("%x", pw.sum.Sum(nil)[:16]))
	start := pw.n
	pw.buf = fmt.Appendf(pw.buf[:0], "xref\n0 %d\n0000000000 65535 f \n", len(pw.offsets))
	pw.write(pw.buf)
	for _, off := range pw.offsets[1:] {
		if off == 0 {
			pw.write([]byte("0000000000 65535 f \n"))
			continue
		}
		pw.buf = fmt.Appendf(pw.buf[:0], "%010d 00000 n \n", off)
		pw.write(pw.buf)
	}
	trailer := types.Dict{
		"Size": types.Integer(len(pw.offsets)),
		"Root": *types.NewIndirectRef(root, 0),
		"Info": *types.NewIndirectRef(info, 0),
		"ID":   types.Array{id, id},
	}
	pw.buf = append(pw.buf[:0], "trailer\n"...)
	pw.buf = appendObject(pw.buf, trailer)
	pw.buf = fmt.Appendf(pw.buf, "\nstartxref\n%d\n%%%%EOF\n", start)
	pw.write(pw.buf)
	if pw.err != nil {
		return pw.err
	}
	return pw.bw.Flush()
}

// withEntry returns a copy of d with k set to v.
func withEntry(d types.Dict, k string, v types.Object) types.Dict {
	d2 := make(types.Dict, len(d)+1)
	for k, v := range d {
		d2[k] = v
	}
	d2[k] = v
	return d2
}

func ref(nr int) types.IndirectRef { return *types.NewIndirectRef(nr, 0) }

// appendObject appends o in PDF syntax. Dictionary keys are sorted, so the output is deterministic.
// A value of a type that has no direct PDF form (a stream inside a dictionary) is written as null.
func appendObject(b []byte, o types.Object) []byte {
	switch o := o.(type) {
	case nil:
		return append(b, "null"...)
	case types.Dict:
		keys := make([]string, 0, len(o))
		for k := range o {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = append(b, "<<"...)
		for _, k := range keys {
			b = append(b, '/')
			b = append(b, types.EncodeName(k)...)
			b = append(b, ' ')
			b = appendObject(b, o[k])
		}
		return append(b, ">>"...)
	case types.Array:
		b = append(b, '[')
		for i, e := range o {
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendObject(b, e)
		}
		return append(b, ']')
	case types.IndirectRef:
		return fmt.Appendf(b, "%d %d R", o.ObjectNumber, o.GenerationNumber)
	case *types.IndirectRef:
		return fmt.Appendf(b, "%d %d R", o.ObjectNumber, o.GenerationNumber)
	case types.Name:
		b = append(b, '/')
		return append(b, types.EncodeName(string(o))...)
	case types.Integer:
		return strconv.AppendInt(b, int64(o), 10)
	case types.Float:
		f := float64(o)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			f = 0
		}
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	case types.Boolean:
		return strconv.AppendBool(b, bool(o))
	case types.StringLiteral: // kept as read: escapes included
		b = append(b, '(')
		b = append(b, o...)
		return append(b, ')')
	case types.HexLiteral:
		b = append(b, '<')
		b = append(b, o...)
		return append(b, '>')
	}
	return append(b, "null"...)
}

// textString is s as a PDF text string: UTF-16BE with a byte order mark, in hex.
func textString(s string) types.HexLiteral {
	b := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return types.NewHexLiteral(b)
}
