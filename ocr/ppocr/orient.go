package ppocr

import (
	"errors"
	"image"
	"sort"

	"shenbao/doc"
)

// Orientation settings.
const (
	orientSide  = 960 // the detector's long side when judging orientation
	orientLines = 12  // the longest lines read at each candidate rotation
	// orientSure is the mean character confidence at which the first candidate rotation is taken
	// without reading the lines at the second, when the classifier agrees. On 30 dev pages the lines
	// of upright pages read at 0.977–0.997 and the same lines upside down at 0.63 at most; on 9 dev
	// page images turned four ways, every turn was still found (36/36).
	orientSure = 0.9
	// orientUnread is the recognition confidence given to the candidate not read when the first was
	// sure: the most that upside-down lines reached on those 30 pages.
	orientUnread = 0.63
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
	d, c, _, _, err := r.orientation(&r.src, qs)
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

// orientation judges the rotation from the boxes qs detected on m (see Orientation). The lines it
// reads at 0°, when that is a candidate, are kept in r.trial (their boxes' indices in r.trialIdx) for
// ReadUpright. sure is true when the first candidate was taken without trying the second (orientSure).
func (r *Reader) orientation(m *rgbImage, qs []quad) (deg int, conf float64, scores [2]orientScore, sure bool, err error) {
	// Detection puts a box's more horizontal side first, so a line on a turned page is a box much
	// taller than wide.
	var horiz, vert float64
	type cand struct {
		q    quad
		long float64
		i    int // in qs
	}
	var hs, vs []cand
	r.trial, r.trialIdx = r.trial[:0], r.trialIdx[:0]
	for i, q := range qs {
		w, h := q.size()
		switch {
		case w >= 2*h:
			horiz += w
			hs = append(hs, cand{q, w, i})
		case h >= 2*w:
			vert += h
			vs = append(vs, cand{q, h, i})
		}
	}
	if horiz+vert == 0 {
		return 0, 0, scores, false, nil
	}
	pick, degs, share := hs, [2]int{0, 180}, horiz/(horiz+vert)
	if vert > horiz {
		pick, degs, share = vs, [2]int{90, 270}, vert/(horiz+vert)
	}
	sort.Slice(pick, func(i, j int) bool { return pick[i].long > pick[j].long })
	pick = pick[:min(len(pick), orientLines)]
	for k, d := range degs {
		if k == 1 && scores[0].rec >= orientSure && scores[0].flip < 0.5 {
			// The first candidate reads well and the classifier agrees: the second is not read.
			// The classifier's probabilities at the two rotations of a line are about complements.
			scores[1] = orientScore{deg: d, rec: orientUnread, flip: 1 - scores[0].flip}
			sure = true
			break
		}
		lines := make([]textLine, len(pick))
		for i, c := range pick {
			lines[i].q = c.q.turn(d / 90)
		}
		if err := r.classify(m, lines); err != nil {
			return 0, 0, scores, false, err
		}
		if err := r.readLines(m, lines); err != nil {
			return 0, 0, scores, false, err
		}
		if d == 0 {
			r.trial = append(r.trial, lines...)
			for _, c := range pick {
				r.trialIdx = append(r.trialIdx, c.i)
			}
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
		return 0, 0, scores, false, nil
	}
	if s1 > s0 {
		return degs[1], share * s1 / (s0 + s1), scores, false, nil
	}
	return degs[0], share * s0 / (s0 + s1), scores, sure, nil
}

// ReadUpright turns img upright as Orientation finds it, when Orientation is at least minConfidence
// sure (otherwise it is read as it is), and reads it as Read does. It returns the lines in the upright
// page's coordinates, how far img was turned clockwise (0, 90, 180 or 270) and the upright page.
//
// It costs about what Read costs. The orientation trial detects at the reader's own size (Config.MaxSide),
// and a page found upright is read on those boxes, with the trial's lines as they were read at 0°, so
// that nothing is detected or recognised twice. The 0°/180° line classifier runs on the other lines
// only when the page's orientation was in doubt (the first rotation tried did not read surely): on an
// upright page it turned more good short lines round (企业 read as 公) than it righted.
func (r *Reader) ReadUpright(img image.Image, minConfidence float64) (lines []doc.Line, degrees int, up image.Image, err error) {
	if r.det == nil {
		return nil, 0, img, errors.New("ppocr: reader is closed")
	}
	b := img.Bounds()
	if b.Dx() < 8 || b.Dy() < 8 {
		return nil, 0, img, nil
	}
	r.src.load(img)
	qs, err := r.detect(&r.src, r.maxSide)
	if err != nil {
		return nil, 0, img, err
	}
	d, c, _, sure, err := r.orientation(&r.src, qs)
	if err != nil || c < minConfidence {
		d, sure = 0, false
	}
	if d != 0 {
		up = rotate90(img, d)
		lines, err := r.Read(up)
		return lines, d, up, err
	}
	cls := !sure
	texts := make([]textLine, len(qs))
	done := make([]bool, len(qs))
	for k, i := range r.trialIdx {
		if !cls || r.trial[k].flip <= clsFlip { // a line the classifier turns is read again, turned
			texts[i], done[i] = r.trial[k], true
		}
	}
	var rest []textLine
	var restIdx []int
	for i, q := range qs {
		if !done[i] {
			rest = append(rest, textLine{q: upright(q)})
			restIdx = append(restIdx, i)
		}
	}
	if cls {
		if err := r.classify(&r.src, rest); err != nil {
			return nil, 0, img, err
		}
		for i := range rest {
			if rest[i].flip > clsFlip {
				rest[i].q = rest[i].q.turn(2)
			}
		}
	}
	if err := r.readLines(&r.src, rest); err != nil {
		return nil, 0, img, err
	}
	for k, i := range restIdx {
		texts[i] = rest[k]
	}
	return order(texts, b.Dx(), b.Dy()), 0, img, nil
}
