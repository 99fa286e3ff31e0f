package ocr

import "encoding/binary"

// exifRotation returns how far a JPEG must be turned clockwise (0, 90, 180 or 270) for its EXIF
// Orientation tag to be honoured — phones store photos as the sensor saw them and say so there.
// Mirrored orientations (2, 4, 5, 7) are not produced by cameras in practice and are treated as their
// unmirrored rotation. A file without the tag, or not a JPEG, gives 0.
func exifRotation(b []byte) int {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return 0
	}
	i := 2
	for i+4 <= len(b) && b[i] == 0xFF {
		marker := b[i+1]
		size := int(binary.BigEndian.Uint16(b[i+2 : i+4]))
		if marker == 0xDA || size < 2 || i+2+size > len(b) { // start of scan: no more headers
			return 0
		}
		seg := b[i+4 : i+2+size]
		if marker == 0xE1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		i += 2 + size
	}
	return 0
}

func tiffOrientation(t []byte) int {
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	off := int(bo.Uint32(t[4:8]))
	if off+2 > len(t) {
		return 0
	}
	n := int(bo.Uint16(t[off : off+2]))
	for k := 0; k < n; k++ {
		e := off + 2 + k*12
		if e+12 > len(t) {
			return 0
		}
		if bo.Uint16(t[e:e+2]) == 0x0112 { // Orientation, a SHORT
			switch bo.Uint16(t[e+8 : e+10]) {
			case 3, 4:
				return 180
			case 6, 5:
				return 90
			case 8, 7:
				return 270
			}
			return 0
		}
	}
	return 0
}
