package ppocr

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"math"
	"os"
	"sort"
	"strings"

	"shenbao/doc"
)

// Recognition settings.
const (
	recH        = 48
	recMinW     = 64   // narrowest batch (PaddleOCR pads to 320; narrower reads as well, faster)
	recMaxW     = 2400 // a line's crop is squeezed to at most this width (a ratio of 50)
	recBatchPix = 1024 // lines per batch × batch width at most this: padding costs more than batching saves
	recMaxBatch = 8
	clsH, clsW  = 48, 192
	clsBatch    = 8
	clsFlip     = 0.9 // the classifier's confidence needed to turn a line round
)

// textLine is one detected box and what was read in it.
type textLine struct {
	q      quad // in reading order
	w      int  // crop width at height 48
	text   []rune
	conf   []float64 // per character
	steps  []int     // per character: its CTC time step
	steps0 int       // time steps that cover the crop's own width
	flip   float64   // the classifier's probability that the line was upside down
}

// readKeys reads the recogniser's dictionary, one character a line.
func readKeys(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var keys []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		keys = append(keys, strings.TrimRight(sc.Text(), "\r\n"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s is empty", path)
	}
	return keys, nil
}

// probeRec runs the recogniser once to learn how many time steps an input width gives, and checks its
// class count against the dictionary.
func (r *Reader) probeRec() error {
	classes := len(r.keys) + 2
	r.timeSteps = func(w int) int { return w / 8 }
	for _, w := range []int{recMinW, 2 * recMinW} {
		in := make([]float32, 3*recH*w)
		t := r.timeSteps(w)
		out := make([]float32, t*classes)
		if err := run(r.rec, []int64{1, 3, recH, int64(w)}, in, []int64{1, int64(t), int64(classes)}, out); err != nil {
			return fmt.Errorf("ppocr: the recognition model does not give %d steps of %d classes for width %d (%d keys): %w", t, classes, w, len(r.keys), err)
		}
	}
	return nil
}

// lineWidth is the width, at height 48, of a crop of q: by aspect, at least 8, at most recMaxW.
func lineWidth(q quad) int {
	w, h := q.size()
	if h < 1 {
		h = 1
	}
	return min(max(int(math.Ceil(recH*w/h)), 8), recMaxW)
}

// upright puts a box that is much taller than wide on its side, as PaddleOCR does (its text is taken
// to run top to bottom).
func upright(q quad) quad {
	if w, h := q.size(); h >= 1.5*w {
		return quad{q[1], q[2], q[3], q[0]}
	}
	return q
}

// recognize reads the boxes qs of m. With cls, lines the classifier finds upside down are turned round.
func (r *Reader) recognize(m *rgbImage, qs []quad, cls bool) ([]textLine, error) {
	lines := make([]textLine, len(qs))
	for i, q := range qs {
		lines[i].q = upright(q)
	}
	if cls {
		if err := r.classify(m, lines); err != nil {
			return nil, err
		}
		for i := range lines {
			if lines[i].flip > clsFlip {
				lines[i].q = lines[i].q.turn(2)
			}
		}
	}
	if err := r.readLines(m, lines); err != nil {
		return nil, err
	}
	return lines, nil
}

// classify sets each line's flip probability.
func (r *Reader) classify(m *rgbImage, lines []textLine) error {
	for s := 0; s < len(lines); s += clsBatch {
		batch := lines[s:min(s+clsBatch, len(lines))]
		n := len(batch)
		plane := clsH * clsW
		r.clsIn = buf(r.clsIn, n*3*plane)
		clear(r.clsIn)
		r.clsOut = buf(r.clsOut, n*2)
		for i := range batch {
			w := min(lineWidth(batch[i].q), clsW)
			crop(m, batch[i].q, r.clsIn[i*3*plane:], clsW, clsH, w, clsH)
		}
		if err := run(r.cls, []int64{int64(n), 3, clsH, clsW}, r.clsIn, []int64{int64(n), 2}, r.clsOut); err != nil {
			return fmt.Errorf("ppocr: classification: %w", err)
		}
		for i := range batch {
			batch[i].flip = float64(r.clsOut[2*i+1])
		}
	}
	return nil
}

// readLines recognises the lines, batching those of similar width.
func (r *Reader) readLines(m *rgbImage, lines []textLine) error {
	idx := make([]int, len(lines))
	for i := range lines {
		lines[i].w = lineWidth(lines[i].q)
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return lines[idx[a]].w < lines[idx[b]].w })
	classes := len(r.keys) + 2
	for s := 0; s < len(idx); {
		// Lines are sorted by width, so the last one of a batch sets its width.
		e := s + 1
		for e < len(idx) && e-s < recMaxBatch && (e-s+1)*max(lines[idx[e]].w, recMinW) <= max(recBatchPix, max(lines[idx[e]].w, recMinW)) {
			e++
		}
		bw := (max(lines[idx[e-1]].w, recMinW) + 7) / 8 * 8
		n := e - s
		plane := recH * bw
		r.recIn = buf(r.recIn, n*3*plane)
		clear(r.recIn) // 0 is mid grey once normalised, as PaddleOCR pads
		t := r.timeSteps(bw)
		r.recOut = buf(r.recOut, n*t*classes)
		for i := range n {
			l := &lines[idx[s+i]]
			crop(m, l.q, r.recIn[i*3*plane:], bw, recH, l.w, recH)
		}
		if err := run(r.rec, []int64{int64(n), 3, recH, int64(bw)}, r.recIn, []int64{int64(n), int64(t), int64(classes)}, r.recOut); err != nil {
			return fmt.Errorf("ppocr: recognition: %w", err)
		}
		for i := range n {
			l := &lines[idx[s+i]]
			l.text, l.conf, l.steps = ctcDecode(r.recOut[i*t*classes:(i+1)*t*classes], t, classes, r.keys)
			l.steps0 = max(1, min(t, int(math.Ceil(float64(l.w)*float64(t)/float64(bw)))))
		}
		s = e
	}
	return nil
}

// ctcDecode is CTC greedy decoding of a t×classes matrix of probabilities: the best class at each step,
// repeats merged and blanks (class 0) dropped. Class i stands for keys[i-1], class len(keys)+1 for a
// space. It returns the characters, each one's probability (at the first step of its run) and that step.
func ctcDecode(probs []float32, t, classes int, keys []string) (text []rune, conf []float64, steps []int) {
	prev := -1
	for s := range t {
		row := probs[s*classes : (s+1)*classes]
		best, bp := 0, row[0]
		for c, p := range row[1:] {
			if p > bp {
				best, bp = c+1, p
			}
		}
		if best != 0 && best != prev {
			var ch []rune
			switch {
			case best <= len(keys):
				ch = []rune(keys[best-1])
			default:
				ch = []rune{' '}
			}
			for _, c := range ch {
				text = append(text, c)
				conf = append(conf, float64(bp))
				steps = append(steps, s)
			}
		}
		prev = best
	}
	return text, conf, steps
}

// words splits a line at its spaces into words, each with a box from the time steps of its first and
// last characters, in page coordinates clipped to pw×ph. Words of no character are dropped.
func (l *textLine) words(pw, ph int) []doc.Word {
	var out []doc.Word
	n := len(l.text)
	for i := 0; i < n; {
		for i < n && l.text[i] == ' ' {
			i++
		}
		j := i
		for j < n && l.text[j] != ' ' {
			j++
		}
		if j > i {
			f0, f1 := 0.0, 1.0
			if i > 0 {
				f0 = float64(l.steps[i]) / float64(l.steps0)
			}
			if j < n {
				f1 = float64(l.steps[j-1]+1) / float64(l.steps0)
			}
			f0, f1 = min(max(f0, 0), 1), min(max(f1, f0), 1)
			q := l.q
			top0, top1 := q[0].add(q[1].sub(q[0]).mul(f0)), q[0].add(q[1].sub(q[0]).mul(f1))
			bot0, bot1 := q[3].add(q[2].sub(q[3]).mul(f0)), q[3].add(q[2].sub(q[3]).mul(f1))
			var sum float64
			for _, c := range l.conf[i:j] {
				sum += c
			}
			out = append(out, doc.Word{
				Text:       string(l.text[i:j]),
				Box:        quad{top0, top1, bot1, bot0}.bounds(pw, ph),
				Confidence: sum / float64(j-i),
			})
		}
		i = j
	}
	return out
}

// meanConf is the line's mean character confidence, 0 for an empty line.
func (l *textLine) meanConf() float64 {
	if len(l.conf) == 0 {
		return 0
	}
	var s float64
	for _, c := range l.conf {
		s += c
	}
	return s / float64(len(l.conf))
}

// ReadLine reads the whole of img as one line of text, without detecting boxes or turning it round:
// for a line already cut out and set upright, such as the unrolled band of a round seal. It returns
// the text (spaces trimmed) and its mean character confidence in 0..1.
func (r *Reader) ReadLine(img image.Image) (string, float64, error) {
	if r.rec == nil {
		return "", 0, errors.New("ppocr: reader is closed")
	}
	b := img.Bounds()
	if b.Dx() < 2 || b.Dy() < 2 {
		return "", 0, nil
	}
	r.src.load(img)
	w, h := float64(b.Dx()), float64(b.Dy())
	lines := []textLine{{q: quad{{0, 0}, {w, 0}, {w, h}, {0, h}}}}
	if err := r.readLines(&r.src, lines); err != nil {
		return "", 0, err
	}
	return strings.TrimSpace(string(lines[0].text)), lines[0].meanConf(), nil
}
