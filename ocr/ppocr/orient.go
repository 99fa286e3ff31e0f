package ppocr

import (
	"image"
	"sort"
)

// Orientation settings.
const (
	orientSide  = 960 // the detector's long side when judging orientation
	orientLines = 12  // the longest lines read at each candidate rotation
)

// Orientation tells how far img must be turned clockwise (0, 90, 180 or 270 degrees; Rotate does it) for
// its text to stand upright, and how sure it is (0.5: a guess, 1: certain). It detects the text lines on a
// downscaled copy: mostly tall, narrow lines mean a page on its side. It then reads the longest lines at
// each of the two remaining rotations and keeps the one the recogniser is more confident in, together
// with the 0°/180° line classifier's vote. A page with no text found, a closed Reader or a failure of
// ONNX Runtime gives 0 and confidence 0: nothing is known.
func (r *Reader) Orientation(img image.Image) (degrees int, confidence float64) {
	b := img.Bounds()
	if r.det == nil || b.Dx() < 8 || b.Dy() < 8 {
		return 0, 0
	}
	r.src.load(img)
	qs, err := r.detect(&r.src, orientSide)
	if err != nil {
		return 0, 0
	}
	d, c, _, err := r.orientation(&r.src, qs)
	if err != nil {
		return 0, 0
	}
	return d, c
}

// orientScore is what orientation measured at one candidate rotation.
type orientScore struct {
	deg  int
	rec  float64 // mean character confidence of the sample lines read at this rotation
	flip float64 // mean classifier probability that the lines read at this rotation are upside down
}

func (r *Reader) orientation(m *rgbImage, qs []quad) (int, float64, [2]orientScore, error) {
	var scores [2]orientScore
	// Detection puts a box's more horizontal side first, so a line on a turned page is a box much
	// taller than wide.
	var horiz, vert float64
	type cand struct {
		q    quad
		long float64
	}
	var hs, vs []cand
	for _, q := range qs {
		w, h := q.size()
		switch {
		case w >= 2*h:
			horiz += w
			hs = append(hs, cand{q, w})
		case h >= 2*w:
			vert += h
			vs = append(vs, cand{q, h})
		}
	}
	if horiz+vert == 0 {
		return 0, 0, scores, nil
	}
	pick, degs, share := hs, [2]int{0, 180}, horiz/(horiz+vert)
	if vert > horiz {
		pick, degs, share = vs, [2]int{90, 270}, vert/(horiz+vert)
	}
	sort.Slice(pick, func(i, j int) bool { return pick[i].long > pick[j].long })
	pick = pick[:min(len(pick), orientLines)]
	for k, d := range degs {
		lines := make([]textLine, len(pick))
		for i, c := range pick {
			lines[i].q = c.q.turn(d / 90)
		}
		if err := r.classify(m, lines); err != nil {
			return 0, 0, scores, err
		}
		if err := r.readLines(m, lines); err != nil {
			return 0, 0, scores, err
		}
		var sum, flip float64
		var n int
		for _, l := range lines {
			for _, c := range l.conf {
				sum += c
			}
			n += len(l.conf)
			flip += l.flip
		}
		scores[k] = orientScore{deg: d, flip: flip / float64(len(lines))}
		if n > 0 {
			scores[k].rec = sum / float64(n)
		}
	}
	// Each candidate's evidence: its recognition confidence, and the classifier's belief that it is
	// the right way up (the classifier at one rotation judges both).
	s0 := scores[0].rec + (1-scores[0].flip+scores[1].flip)/2
	s1 := scores[1].rec + (1-scores[1].flip+scores[0].flip)/2
	if s0+s1 == 0 {
		return 0, 0, scores, nil
	}
	if s1 > s0 {
		return degs[1], share * s1 / (s0 + s1), scores, nil
	}
	return degs[0], share * s0 / (s0 + s1), scores, nil
}
