package ocr

import (
	"encoding/binary"
	"testing"
)

// jpegWithOrientation builds the head of a JPEG whose EXIF says orientation o.
func jpegWithOrientation(o uint16, bo binary.AppendByteOrder, mark string) []byte {
	tiff := []byte(mark)
	tiff = bo.AppendUint16(tiff, 42)
	tiff = bo.AppendUint32(tiff, 8)
	tiff = bo.AppendUint16(tiff, 1) // one entry
	tiff = bo.AppendUint16(tiff, 0x0112)
	tiff = bo.AppendUint16(tiff, 3) // SHORT
	tiff = bo.AppendUint32(tiff, 1)
	tiff = bo.AppendUint16(tiff, o)
	tiff = append(tiff, 0, 0)
	tiff = bo.AppendUint32(tiff, 0)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	b := []byte{0xFF, 0xD8, 0xFF, 0xE1}
	b = binary.BigEndian.AppendUint16(b, uint16(len(seg)+2))
	b = append(b, seg...)
	return append(b, 0xFF, 0xDA, 0, 2)
}

func TestExifRotation(t *testing.T) {
	for _, tc := range []struct {
		o    uint16
		want int
	}{{1, 0}, {3, 180}, {6, 90}, {8, 270}, {2, 0}} {
		for _, bo := range []struct {
			o    binary.AppendByteOrder
			mark string
		}{{binary.LittleEndian, "II"}, {binary.BigEndian, "MM"}} {
			if got := exifRotation(jpegWithOrientation(tc.o, bo.o, bo.mark)); got != tc.want {
				t.Errorf("orientation %d (%s): got %d; want %d", tc.o, bo.mark, got, tc.want)
			}
		}
	}
	for _, junk := range [][]byte{nil, []byte("\xFF\xD8"), []byte("\xFF\xD8\xFF\xE1\x00\x40Exif"), []byte("not a jpeg")} {
		if got := exifRotation(junk); got != 0 {
			t.Errorf("exifRotation(%q) = %d; want 0", junk, got)
		}
	}
}

func FuzzExifRotation(f *testing.F) {
	f.Add(jpegWithOrientation(6, binary.LittleEndian, "II"))
	f.Fuzz(func(t *testing.T, b []byte) {
		switch exifRotation(b) {
		case 0, 90, 180, 270:
		default:
			t.Fatal("not a right angle")
		}
	})
}
