package ocr

// #cgo pkg-config: lept
// #include <stdlib.h>
// #include <leptonica/allheaders.h>
//
// // tiff_page_png decodes page n (0-based) of a TIFF held in memory and encodes it as PNG.
// // Returns 0 on success; the caller frees *out.
// static int tiff_page_png(const unsigned char *data, size_t size, int n, unsigned char **out, size_t *outsize) {
//     PIX *pix = pixReadMemTiff(data, size, n);
//     if (pix == NULL) return 1;
//     int rc = pixWriteMemPng(out, outsize, pix, 0.0);
//     pixDestroy(&pix);
//     return rc;
// }
import "C"

import (
	"fmt"
	"unsafe"
)

func init() {
	// Leptonica prints every failed read to stderr; the worker reports errors itself.
	C.setMsgSeverity(C.L_SEVERITY_NONE)
}

// tiffPagePNG returns page n (0-based) of a multi-page TIFF as PNG, decoded by Leptonica (which reads
// CCITT G3/G4 and JPEG-compressed TIFFs that Go's decoders do not).
func tiffPagePNG(data []byte, n int) ([]byte, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("tiff page %d: empty input", n+1)
	}
	var out *C.uchar
	var size C.size_t
	rc := C.tiff_page_png((*C.uchar)(unsafe.Pointer(&data[0])), C.size_t(len(data)), C.int(n), &out, &size)
	if rc != 0 || out == nil {
		return nil, fmt.Errorf("tiff page %d: leptonica could not decode it", n+1)
	}
	defer C.free(unsafe.Pointer(out))
	return C.GoBytes(unsafe.Pointer(out), C.int(size)), nil
}
