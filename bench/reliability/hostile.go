package main

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"strings"

	"shenbao/internal/testpdf"
)

// hostileFile is an upload meant to hurt, and what the service must do with it.
type hostileFile struct {
	name string // the case, as the table shows it
	file string // the file name uploaded
	data []byte
	// want is "refuse" (a 4xx with a Chinese message, nothing stored), "fail" (accepted, then failed
	// with a Chinese reason containing reason) or "end" (accepted, then done or failed: either is
	// the service's right answer, as long as it ends and nothing else suffers).
	want   string
	reason string
	// status, when set, is the 4xx a refusal must have.
	status int
	note   string
}

// hostileFiles builds the hostile uploads. lease is a real scan (a JPEG) for the truncated cases.
func hostileFiles(lease []byte, maxFileMB int) ([]hostileFile, error) {
	pngBomb, err := pngBomb(20000, 20000)
	if err != nil {
		return nil, err
	}
	jpegBomb, err := jpegBomb(65000, 65000)
	if err != nil {
		return nil, err
	}
	pdf := string(blankPDF(2))
	files := []hostileFile{
		{name: "png bomb 20000×20000", file: "营业执照.png", data: pngBomb, want: "end", note: "400 MP"},
		{name: "jpeg bomb 65000×65000", file: "营业执照.jpg", data: jpegBomb, want: "end", note: "4.2 GP header"},
		{name: "tiff 9,999 pages", file: "汇编.tif", data: tiffPages(9999, 16, 16), want: "fail", reason: "上限", note: "page cap"},
		{name: "tiff bomb 100000×100000", file: "扫描.tif", data: tiffPages(1, 100000, 100000), want: "end"},
		{name: "pdf huge MediaBox", file: "证书.pdf", data: hugeMediaBoxPDF(), want: "end", note: "14400×14400 pt"},
		{name: "pdf 600 pages", file: "汇编.pdf", data: blankPDF(600), want: "fail", reason: "600 页", note: "page cap"},
		{name: "pdf operator bomb", file: "报表.pdf", data: operatorBombPDF(20 << 20), want: "end", note: "20 MB of operators"},
		{name: "pdf encrypted", file: "合同.pdf", data: encryptedPDF(), want: "fail", reason: "密码"},
		{name: "pdf truncated", file: "章程.pdf", data: []byte(pdf[:len(pdf)/2]), want: "end"},
		{name: "jpeg truncated", file: "租赁合同.jpg", data: lease[:len(lease)/3], want: "fail", reason: "无法读取"},
		{name: "polyglot html %PDF-", file: "报告.html", data: []byte("<!DOCTYPE html><!-- %PDF-1.4 --><script>alert(1)</script>"), want: "refuse", status: 415},
		{name: "polyglot svg %PDF-", file: "图.svg", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><!-- %PDF-1.4 --><script>alert(1)</script></svg>`), want: "refuse", status: 415},
		{name: "html before a whole pdf", file: "材料.pdf", data: []byte("<html><script>alert(1)</script><!--\n" + pdf + "\n--></html>"), want: "refuse", status: 415},
		{name: "wrong type: zip", file: "材料.pdf", data: append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 500)...), want: "refuse", status: 415},
		{name: "wrong type: exe", file: "材料.jpg", data: append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{1}, 500)...), want: "refuse", status: 415},
		{name: "wrong type: text", file: "材料.pdf", data: []byte("这不是 PDF，只是一段文字。"), want: "refuse", status: 415},
		{name: "empty file", file: "空.pdf", data: nil, want: "refuse", status: 400},
		{name: fmt.Sprintf("too large (%d MB + 1)", maxFileMB), file: "大.pdf", data: append([]byte("%PDF-1.4\n"), make([]byte, maxFileMB<<20+1)...), want: "refuse", status: 413},
	}
	return files, nil
}

// pngBomb is a grey PNG of w×h pixels, all black: a few hundred kilobytes that decode to w×h bytes.
func pngBomb(w, h int) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 0 // 8-bit greyscale
	pngChunk(&b, "IHDR", ihdr)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := make([]byte, w+1) // filter byte 0, then the row
	for range h {
		if _, err := zw.Write(row); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	pngChunk(&b, "IDAT", z.Bytes())
	pngChunk(&b, "IEND", nil)
	return b.Bytes(), nil
}

func pngChunk(b *bytes.Buffer, typ string, data []byte) {
	binary.Write(b, binary.BigEndian, uint32(len(data)))
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	b.WriteString(typ)
	b.Write(data)
	binary.Write(b, binary.BigEndian, crc.Sum32())
}

// jpegBomb is a small JPEG whose frame header claims w×h pixels.
func jpegBomb(w, h int) ([]byte, error) {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 64, 64)), nil); err != nil {
		return nil, err
	}
	data := b.Bytes()
	for i := 2; i+9 < len(data); i++ {
		if data[i] == 0xFF && (data[i+1] == 0xC0 || data[i+1] == 0xC2) {
			binary.BigEndian.PutUint16(data[i+5:], uint16(h))
			binary.BigEndian.PutUint16(data[i+7:], uint16(w))
			return data, nil
		}
	}
	return nil, fmt.Errorf("no frame header in the JPEG")
}

// tiffPages is a little-endian TIFF of n pages of w×h 1-bit pixels, every page's one strip the same
// few bytes (a page claiming more pixels than it has is a bomb; many such pages a page-count bomb).
func tiffPages(n, w, h int) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	b.WriteString("II*\x00")
	binary.Write(&b, le, uint32(8+16)) // the first IFD, after the strip
	strip := bytes.Repeat([]byte{0xFF}, 16)
	b.Write(strip)
	const entries = 9
	for i := range n {
		start := b.Len()
		binary.Write(&b, le, uint16(entries))
		tag := func(t, typ uint16, v uint32) {
			binary.Write(&b, le, t)
			binary.Write(&b, le, typ)
			binary.Write(&b, le, uint32(1))
			binary.Write(&b, le, v)
		}
		tag(256, 4, uint32(w))  // ImageWidth
		tag(257, 4, uint32(h))  // ImageLength
		tag(258, 3, 1)          // BitsPerSample
		tag(259, 3, 1)          // Compression: none
		tag(262, 3, 0)          // Photometric: white is zero
		tag(273, 4, 8)          // StripOffsets
		tag(277, 3, 1)          // SamplesPerPixel
		tag(278, 4, uint32(h))  // RowsPerStrip
		tag(279, 4, uint32(16)) // StripByteCounts
		next := uint32(0)
		if i < n-1 {
			next = uint32(start + 2 + entries*12 + 4)
		}
		binary.Write(&b, le, next)
	}
	return b.Bytes()
}

// blankPDF is a PDF of n empty A4 pages.
func blankPDF(n int) []byte {
	kids := make([]string, n)
	for i := range n {
		kids[i] = fmt.Sprintf("%d 0 R", 3+i)
	}
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n)}
	for range n {
		objs = append(objs, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>")
	}
	return testpdf.Assemble(objs...)
}

// hugeMediaBoxPDF is one page of 14400×14400 points (200 inches a side, the most PDF allows) with a
// UserUnit of 75: drawn at 300 dpi, over four million pixels a side.
func hugeMediaBoxPDF() []byte {
	draw := "0 0 14400 14400 re f"
	return testpdf.Assemble("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /UserUnit 75 /Contents 4 0 R /Resources << >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(draw), draw))
}

// operatorBombPDF is one page whose content stream is size bytes of path operators (a few hundred
// strokes, again and again), compressed to a few tens of kilobytes.
func operatorBombPDF(size int) []byte {
	var cycle bytes.Buffer
	r := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		fmt.Fprintf(&cycle, "%d %d m %d %d l S\n", r.IntN(595), r.IntN(842), r.IntN(595), r.IntN(842))
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	for n := 0; n < size; n += cycle.Len() {
		zw.Write(cycle.Bytes())
	}
	zw.Close()
	return testpdf.Assemble("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes()))
}

// encryptedPDF is a PDF under the standard security handler (RC4, 40 bits) whose user password is
// not empty: nobody can read it without the password.
func encryptedPDF() []byte {
	b := blankPDF(1)
	r := rand.New(rand.NewPCG(3, 4))
	hex32 := func() string {
		var s strings.Builder
		for range 32 {
			fmt.Fprintf(&s, "%02x", r.IntN(256))
		}
		return s.String()
	}
	// Add the encryption dictionary as object 4 and name it in the trailer.
	i := bytes.LastIndex(b, []byte("xref\n"))
	body := string(b[:i])
	enc := fmt.Sprintf("4 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>\nendobj\n", hex32(), hex32())
	off := len(body)
	body += enc
	xref := len(body)
	// The original table lists objects 0–3; rebuild it with object 4.
	var offs []int
	for n := 1; n <= 3; n++ {
		offs = append(offs, bytes.Index(b, fmt.Appendf(nil, "\n%d 0 obj\n", n))+1)
	}
	offs = append(offs, off)
	var t strings.Builder
	fmt.Fprintf(&t, "xref\n0 5\n0000000000 65535 f \n")
	for _, o := range offs {
		fmt.Fprintf(&t, "%010d 00000 n \n", o)
	}
	id := hex32()[:32]
	fmt.Fprintf(&t, "trailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n", id, id, xref)
	return append([]byte(body), t.String()...)
}

// scanPNG is a small page image with a line of marks, distinct for each seed: a document that is
// quick to read.
func scanPNG(seed int) []byte {
	img := image.NewGray(image.Rect(0, 0, 400, 200))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	r := rand.New(rand.NewPCG(uint64(seed), 7))
	for x := 20; x < 380; x += 12 {
		hgt := 20 + r.IntN(40)
		for y := 100 - hgt/2; y < 100+hgt/2; y++ {
			for dx := range 6 {
				img.SetGray(x+dx, y, color.Gray{0})
			}
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// scanPDF is a PDF of pages pages, each the JPEG embedded whole (as a scanner writes one), with a
// comment that makes its bytes distinct for each seed.
func scanPDF(jpg []byte, width, height, pages, seed int) []byte {
	w, h := 595, 595*height/width
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>"}
	kids := ""
	for i := range pages {
		kids += fmt.Sprintf("%d 0 R ", 3+3*i)
	}
	objs = append(objs, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d /Seed %d >>", kids, pages, seed))
	for i := range pages {
		content, img := 4+3*i, 5+3*i
		draw := fmt.Sprintf("q %d 0 0 %d 0 0 cm /Im0 Do Q", w, h)
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R /Resources << /XObject << /Im0 %d 0 R >> >> >>", w, h, content, img),
			fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(draw), draw),
			fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream", width, height, len(jpg), jpg))
	}
	return testpdf.Assemble(objs...)
}

// writeFiles keeps the hostile files in dir, for a person to try again by hand.
func writeFiles(dir string, files []hostileFile) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, f := range files {
		name := fmt.Sprintf("%02d-%s", i+1, strings.NewReplacer(" ", "_", "/", "_", "×", "x", ",", "", ":", "", "%", "", "(", "", ")", "", "+", "plus").Replace(f.name))
		if err := os.WriteFile(dir+"/"+name, f.data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
