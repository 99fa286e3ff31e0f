package ocr

// #include <malloc.h>
import "C"

// trimMalloc gives the C heap's free memory back to the system (glibc's malloc_trim): what
// Tesseract, Leptonica and ONNX Runtime freed while reading a page stays in the process otherwise.
func trimMalloc() { C.malloc_trim(0) }
