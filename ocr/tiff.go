package ocr

import (
	"encoding/binary"
	"errors"
)

// tiffPageCount counts the image file directories of a TIFF by walking the IFD chain. It reads only
// offsets, so a hostile file cannot make it allocate; loops and out-of-range offsets end the walk.
func tiffPageCount(b []byte) (int, error) {
	if len(b) < 8 {
		return 0, errors.New("tiff: too short")
	}
	var bo binary.ByteOrder
	switch string(b[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0, errors.New("tiff: bad byte order mark")
	}
	if bo.Uint16(b[2:4]) != 42 {
		return 0, errors.New("tiff: not a classic tiff (bigtiff is not supported)")
	}
	off := int64(bo.Uint32(b[4:8]))
	seen := map[int64]bool{}
	n := 0
	for off != 0 && !seen[off] && n < 10000 {
		seen[off] = true
		if off+2 > int64(len(b)) {
			break
		}
		entries := int64(bo.Uint16(b[off : off+2]))
		next := off + 2 + entries*12
		if next+4 > int64(len(b)) {
			break
		}
		n++
		off = int64(bo.Uint32(b[next : next+4]))
	}
	if n == 0 {
		return 0, errors.New("tiff: no image directory")
	}
	return n, nil
}
