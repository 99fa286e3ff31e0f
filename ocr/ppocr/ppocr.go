// Package ppocr reads Chinese text from page images with PaddleOCR's PP-OCRv4 mobile models, run by ONNX
// Runtime through cgo (github.com/yalue/onnxruntime_go). It is a second reader beside the ocr package's
// Tesseract and speaks the same vocabulary, doc.Line and doc.Word.
//
// The pipeline, all in Go but for the three networks:
//
//  1. Detection (DB): the page is scaled so its long side is at most Config.MaxSide (960 by default;
//     multiples of 32), normalised with the ImageNet mean and deviation (BGR order, as PaddleOCR trains
//     it), and the det model gives a text probability map. Pixels over 0.3 form 8-connected regions;
//     each region's minimum-area rotated rectangle is kept when the mean probability inside it is at
//     least 0.6, then grown ("unclipped") by area×1.6/perimeter on every side, as PaddleOCR's polygon
//     offset does.
//  2. Each box is cropped from the full-resolution page with a perspective warp (bilinear, supersampled
//     when shrinking) to height 48; a box at least 1.5 times taller than wide is read turned 90°.
//  3. The 0°/180° line classifier (48×192) turns upside-down lines round: on every line in Read, in
//     ReadUpright only when the page's orientation was in doubt (see ReadUpright).
//  4. Recognition (height 48, lines of similar width batched together) and CTC greedy decoding over
//     ppocr_keys_v1.txt (blank at index 0, a space class last), with a confidence per character.
//  5. Reading order: in coordinates turned by the page's skew, boxes are grouped into rows by vertical
//     overlap (boxes that overlap horizontally are lines above one another, never one row); rows are
//     read top to bottom and each row left to right, and a gap wider than two line heights ends a
//     line, so that columns and table cells are never merged into one line. Two columns are therefore
//     read row by row, interleaved, as a table is: see Read.
//
// Words: a doc.Line is one run of detected boxes in a row with no wide gap between them; each detected
// box gives one doc.Word per run of characters between recognised spaces, its box taken from the
// positions of its first and last characters in the CTC output. For Chinese that is usually one word
// per detected box.
//
// The models and the ONNX Runtime library are not in the repository: scripts/models.sh fetches them into
// ${SHENBAO_CACHE:-~/.cache/shenbao}/models, which DefaultModelDir returns.
package ppocr

import (
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"shenbao/doc"
)

// Files that Config.ModelDir must hold.
const (
	DetModel  = "ch_PP-OCRv4_det_infer.onnx"
	RecModel  = "ch_PP-OCRv4_rec_infer.onnx"
	ClsModel  = "ch_ppocr_mobile_v2.0_cls_infer.onnx"
	Keys      = "ppocr_keys_v1.txt"
	LibONNXRT = "libonnxruntime.so.1"
)

// Config says where the models are and how much CPU to use.
type Config struct {
	// ModelDir holds the three models and the dictionary; empty means DefaultModelDir().
	ModelDir string
	// LibPath is the ONNX Runtime shared library; empty means ModelDir/libonnxruntime.so.1.
	LibPath string
	// Threads is ONNX Runtime's intra-op thread count per model; 0 means 1.
	Threads int
	// MaxSide bounds the long side of the image the detector sees; 0 means 960 (on the dev pages as
	// accurate as 1280 or 1600, and faster).
	MaxSide int
}

// DefaultModelDir is ${SHENBAO_CACHE:-~/.cache/shenbao}/models, where scripts/models.sh puts the files.
func DefaultModelDir() string {
	cache := os.Getenv("SHENBAO_CACHE")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		cache = filepath.Join(home, ".cache", "shenbao")
	}
	return filepath.Join(cache, "models")
}

// ErrMissing is wrapped by New's error when a model file or the runtime library is not there.
var ErrMissing = errors.New("PP-OCR files missing (run scripts/models.sh)")

// Reader reads page images. It keeps its three ONNX Runtime sessions and its buffers between pages, so a
// worker process should make one and keep it. It is not safe for concurrent use.
type Reader struct {
	det, cls, rec *ort.DynamicAdvancedSession
	keys          []string // index i is class i+1; the space class follows the last key
	maxSide       int
	timeSteps     func(width int) int // rec output length for an input width
	trial         []textLine          // the orientation trial's sample lines read at 0°
	trialIdx      []int               // their indices among the detected boxes

	// Buffers reused between pages.
	src           rgbImage
	detIn, detOut []float32
	recIn, recOut []float32
	clsIn, clsOut []float32
}

// env counts the Readers sharing the process-wide ONNX Runtime environment.
var env struct {
	sync.Mutex
	n   int
	lib string
}

// New loads the models of cfg. It fails, naming scripts/models.sh, when a file is missing.
func New(cfg Config) (*Reader, error) {
	if cfg.ModelDir == "" {
		cfg.ModelDir = DefaultModelDir()
	}
	if cfg.LibPath == "" {
		cfg.LibPath = filepath.Join(cfg.ModelDir, LibONNXRT)
	}
	if cfg.Threads <= 0 {
		cfg.Threads = 1
	}
	if cfg.MaxSide <= 0 {
		cfg.MaxSide = 960
	}
	cfg.MaxSide = max(cfg.MaxSide/32*32, 64)
	var missing []string
	for _, p := range []string{cfg.LibPath, filepath.Join(cfg.ModelDir, DetModel), filepath.Join(cfg.ModelDir, RecModel),
		filepath.Join(cfg.ModelDir, ClsModel), filepath.Join(cfg.ModelDir, Keys)} {
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("ppocr: %w: %s", ErrMissing, strings.Join(missing, ", "))
	}
	keys, err := readKeys(filepath.Join(cfg.ModelDir, Keys))
	if err != nil {
		return nil, fmt.Errorf("ppocr: %w", err)
	}
	if err := acquireEnv(cfg.LibPath); err != nil {
		return nil, err
	}
	r := &Reader{keys: keys, maxSide: cfg.MaxSide}
	ok := false
	defer func() {
		if !ok {
			r.Close()
		}
	}()
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("ppocr: session options: %w", err)
	}
	defer opts.Destroy()
	if err := opts.SetIntraOpNumThreads(cfg.Threads); err != nil {
		return nil, fmt.Errorf("ppocr: %w", err)
	}
	if err := opts.SetInterOpNumThreads(1); err != nil {
		return nil, fmt.Errorf("ppocr: %w", err)
	}
	// Input sizes change from page to page and line to line: a memory pattern planned for one size
	// is wasted on the next. ONNX Runtime's other defaults were measured the cheapest (issue 14, CPU
	// time on 20 dev pages, interleaved): graph optimisation ORT_ENABLE_ALL (basic or extended cost
	// 28–30% more a page) and the CPU memory arena (without it, 78% more).
	if err := opts.SetMemPattern(false); err != nil {
		return nil, fmt.Errorf("ppocr: %w", err)
	}
	if r.det, err = ort.NewDynamicAdvancedSession(filepath.Join(cfg.ModelDir, DetModel), []string{"x"}, []string{"sigmoid_0.tmp_0"}, opts); err != nil {
		return nil, fmt.Errorf("ppocr: load %s: %w", DetModel, err)
	}
	if r.cls, err = ort.NewDynamicAdvancedSession(filepath.Join(cfg.ModelDir, ClsModel), []string{"x"}, []string{"softmax_0.tmp_0"}, opts); err != nil {
		return nil, fmt.Errorf("ppocr: load %s: %w", ClsModel, err)
	}
	if r.rec, err = ort.NewDynamicAdvancedSession(filepath.Join(cfg.ModelDir, RecModel), []string{"x"}, []string{"softmax_11.tmp_0"}, opts); err != nil {
		return nil, fmt.Errorf("ppocr: load %s: %w", RecModel, err)
	}
	if err := r.probeRec(); err != nil {
		return nil, err
	}
	ok = true
	return r, nil
}

func acquireEnv(lib string) error {
	env.Lock()
	defer env.Unlock()
	if env.n > 0 {
		if lib != env.lib {
			return fmt.Errorf("ppocr: ONNX Runtime already loaded from %s, not %s", env.lib, lib)
		}
		env.n++
		return nil
	}
	ort.SetSharedLibraryPath(lib)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		return fmt.Errorf("ppocr: load ONNX Runtime from %s: %w", lib, err)
	}
	env.n, env.lib = 1, lib
	return nil
}

func releaseEnv() {
	env.Lock()
	defer env.Unlock()
	env.n--
	if env.n == 0 {
		ort.DestroyEnvironment()
	}
}

// Close releases the sessions. The Reader must not be used afterwards.
func (r *Reader) Close() error {
	if r == nil || r.keys == nil {
		return nil
	}
	for _, s := range []*ort.DynamicAdvancedSession{r.det, r.cls, r.rec} {
		if s != nil {
			s.Destroy()
		}
	}
	r.det, r.cls, r.rec, r.keys = nil, nil, nil, nil
	r.Release()
	releaseEnv()
	return nil
}

// Release lets the buffers kept from the last page go (the page's copy, the networks' inputs and
// outputs: about 40 MB after an A4 page at 300 dpi), so that a worker between pages holds only the
// models. Making them again for the next page costs a few milliseconds of its second or so.
func (r *Reader) Release() {
	r.src = rgbImage{}
	r.detIn, r.detOut, r.recIn, r.recOut, r.clsIn, r.clsOut = nil, nil, nil, nil, nil, nil
	r.trial, r.trialIdx = nil, nil
}

// Read finds and reads the text lines of img. Boxes are in img's pixel coordinates (relative to its
// bounds' origin), confidences in 0..1, lines in reading order. An image with no text gives no lines.
// The page should stand upright (see Orientation): upside-down lines are turned round one by one, but
// the order of lines is not.
//
// Reading order is row by row: on a two-column form such as a business licence the label and value of
// the left column come before those of the right column on the same row, each as lines of their own.
// (A recursive XY-cut reading such a page column by column lowered the licences' error from 0.61 to
// 0.16 against the dev ground truth, but read balance-sheet tables and invoices column by column too,
// raising the error of the other pages from 0.07 to 0.15; it is not used.)
func (r *Reader) Read(img image.Image) ([]doc.Line, error) {
	if r.det == nil {
		return nil, errors.New("ppocr: reader is closed")
	}
	b := img.Bounds()
	if b.Dx() < 8 || b.Dy() < 8 {
		return nil, nil
	}
	r.src.load(img)
	quads, err := r.detect(&r.src, r.maxSide)
	if err != nil {
		return nil, err
	}
	texts, err := r.recognize(&r.src, quads, true)
	if err != nil {
		return nil, err
	}
	return order(texts, b.Dx(), b.Dy()), nil
}

// buf returns b with length n, reusing its memory when it is large enough.
func buf(b []float32, n int) []float32 {
	if cap(b) < n {
		return make([]float32, n, n+n/4)
	}
	return b[:n]
}

// run runs a session on one input tensor over in, writing the output into out (of the given shape).
func run(s *ort.DynamicAdvancedSession, inShape []int64, in []float32, outShape []int64, out []float32) error {
	it, err := ort.NewTensor(ort.NewShape(inShape...), in)
	if err != nil {
		return err
	}
	defer it.Destroy()
	ot, err := ort.NewTensor(ort.NewShape(outShape...), out)
	if err != nil {
		return err
	}
	defer ot.Destroy()
	return s.Run([]ort.Value{it}, []ort.Value{ot})
}
