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
//
// // prep_png prepares a page for Tesseract: red ink (a seal over the text) turned white, then the page
// // deskewed when deskew is set (*angle gets the rotation applied, radians clockwise); the result is
// // written as PNM (no compression to spend time on) into *out. Returns 2, writing nothing, when the
// // page needed neither.
// static int prep_png(const unsigned char *data, size_t size, int unred, int deskew,
//                     unsigned char **out, size_t *outsize, float *angle) {
//     *angle = 0;
//     PIX *pix = pixReadMem(data, size);
//     if (pix == NULL) return 1;
//     int changed = 0;
//     if (unred && pixGetDepth(pix) == 32) {
//         l_int32 w = pixGetWidth(pix), h = pixGetHeight(pix), wpl = pixGetWpl(pix);
//         l_uint32 *line, *base = pixGetData(pix);
//         for (l_int32 y = 0; y < h; y++) {
//             line = base + y * wpl;
//             for (l_int32 x = 0; x < w; x++) {
//                 l_int32 r, g, b;
//                 extractRGBValues(line[x], &r, &g, &b);
//                 l_int32 m = g > b ? g : b;
//                 if (r > 110 && r - m > 25) { composeRGBPixel(255, 255, 255, &line[x]); changed = 1; }
//             }
//         }
//     }
//     if (deskew) {
//         // Tesseract reads grey anyway: rotating one byte a pixel costs a quarter of rotating four.
//         if (pixGetDepth(pix) != 8 && pixGetDepth(pix) != 1) {
//             PIX *g = pixConvertTo8(pix, 0);
//             if (g != NULL) { pixDestroy(&pix); pix = g; }
//         }
//         PIX *bin = pixConvertTo1(pix, 130);
//         l_float32 deg = 0, conf = 0;
//         if (bin != NULL && pixFindSkew(bin, &deg, &conf) == 0 && conf >= 2.5f && (deg > 0.1f || deg < -0.1f)) {
//             l_float32 rad = deg * 3.14159265f / 180.0f;
//             PIX *d = pixRotate(pix, rad, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
//             if (d != NULL) { pixDestroy(&pix); pix = d; *angle = rad; changed = 1; }
//         }
//         pixDestroy(&bin);
//     }
//     if (!changed) { pixDestroy(&pix); return 2; }
//     int rc = pixWriteMemPnm(out, outsize, pix);
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

// prepare returns a page image prepared for Tesseract by Leptonica, as PNM of the same size: red ink
// whitened (unred) and the page turned upright by its measured skew (deskew); angle is the rotation
// applied, in radians clockwise about the centre (0: none). A page that needs neither comes back as
// it was.
func prepare(data []byte, unred, deskew bool) (png []byte, angle float64, err error) {
	if len(data) == 0 {
		return nil, 0, fmt.Errorf("prepare: empty input")
	}
	b2i := func(b bool) C.int {
		if b {
			return 1
		}
		return 0
	}
	var out *C.uchar
	var size C.size_t
	var a C.float
	rc := C.prep_png((*C.uchar)(unsafe.Pointer(&data[0])), C.size_t(len(data)), b2i(unred), b2i(deskew), &out, &size, &a)
	if rc == 2 {
		return data, 0, nil
	}
	if rc != 0 || out == nil {
		return nil, 0, fmt.Errorf("prepare: leptonica could not process the page")
	}
	defer C.free(unsafe.Pointer(out))
	return C.GoBytes(unsafe.Pointer(out), C.int(size)), float64(a), nil
}
