package ocr

// Check boxes. Forms mark a choice with a check box (□信息服务 ☑技术服务 ■创业服务), and both readers
// read a ticked box and an empty one alike (口) or drop the box's glyph altogether, so that the text
// cannot tell which choice is marked. markCheckboxes looks at the pixels instead: round each line it
// finds small hollow squares of about a character's size (four straight strokes at the edges of a
// connected mass of ink, little ink between them), judges each ticked (a tick, cross or fill inside)
// or empty, and writes the decision into the words — ☑ for ticked, □ for empty — at the character the
// box stands at, in place of what was read there (口, a tick, a misread mark) or inserted where the
// reader dropped it. Where it is placed is found by counting: the characters between two boxes must
// fill the space between them at the word's character pitch (see placeBoxes).
//
// It is conservative, since an enclosed character (国 回 田 图, the 口 of 知) looks like a box too: only
// a row that shows two boxes or more is touched; a square with a bar right across it (日) or lower than
// the print beside it is no box to insert; a box is inserted only where it stands apart (a blank
// beside it, or nothing before it in its word) and the text is a character short there; a character
// read at a box's place is never replaced; and an empty box read as 口 keeps its 口, which means an
// empty box to extract as well. Boxes just after a word are left alone.

import (
	"image"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"

	"shenbao/doc"
)

// Glyphs written for a box found ticked or empty; extract reads them as such (extract/functable.go).
const (
	tickedBoxRune = '☑'
	emptyBoxRune  = '□'
)

// Measures of a check box, against its side: a box's strokes are thin, run along nearly the whole of
// each edge, and an empty box has almost no ink inside (paper with specks). A ticked one's tick or
// cross, or its fill, covers a good share of the inside. Between the two thresholds a box is not
// judged and left as read.
const (
	boxMinSideCover = 0.88 // share of each edge (corners left out) inked
	boxMaxStroke    = 0.25 // a stroke no thicker than this share of the side: hollow
	boxMaxAspect    = 1.3  // longer side over shorter
	boxTickedInk    = 0.08 // inside ink at and above: ticked
	boxEmptyInk     = 0.035
	boxFilled       = 0.85 // a square mass inked over this share of its box is a filled box (■)
)

// checkbox is a check box found on a page, in page pixels.
type checkbox struct {
	box    doc.Box
	ticked bool
	small  bool // lower than 0.7 of the print beside it: may be the enclosed part of a character
}

// markCheckboxes finds the check boxes round the lines read from img (in img's coordinates) and writes
// them into the words (see the file comment). It returns the boxes it wrote.
func markCheckboxes(img image.Image, lines []doc.Line) []checkbox {
	boxes := findCheckboxes(img, lines)
	if len(boxes) < 2 {
		return nil
	}
	at := lumaRows(img)
	// A box belongs to the word it stands in, else the word it stands just before (a form's box leads
	// its choice), on the line whose middle it is nearest. A box just after a word is left alone: the
	// reader's box often stops short of a word's last character, which may be an enclosed one (日).
	type ref struct{ line, word int }
	owner := make([]ref, len(boxes))
	for k, cb := range boxes {
		bx0, bx1 := cb.box.X0, cb.box.X1
		cx, cy := (bx0+bx1)/2, (cb.box.Y0+cb.box.Y1)/2
		side := cb.box.W()
		best, bestScore := ref{-1, -1}, math.MaxFloat64
		for i, l := range lines {
			for j, w := range l.Words {
				if cy < w.Box.Y0 || cy >= w.Box.Y1 {
					continue
				}
				var off int // how far the box stands outside the word
				switch {
				case cx >= w.Box.X0 && cx < w.Box.X1:
				case bx1 <= w.Box.X0+side/2 && w.Box.X0-bx1 <= side:
					off = max(w.Box.X0-bx1, 0) + 1
				default:
					continue
				}
				score := float64(off)*4 + math.Abs(float64(cy-(w.Box.Y0+w.Box.Y1)/2))
				if score < bestScore {
					best, bestScore = ref{i, j}, score
				}
			}
		}
		owner[k] = best
	}
	// Only rows of two boxes or more: a lone "box" is more likely an enclosed character.
	var out []checkbox
	for k, cb := range boxes {
		if owner[k].line < 0 {
			continue
		}
		row := 0
		for _, o := range boxes {
			if abs(o.box.Y0+o.box.Y1-cb.box.Y0-cb.box.Y1) < cb.box.H()*2 {
				row++
			}
		}
		if row < 2 {
			owner[k] = ref{-1, -1}
		}
	}
	for i := range lines {
		for j := range lines[i].Words {
			var mine []checkbox
			for k, o := range owner {
				if o.line == i && o.word == j {
					mine = append(mine, boxes[k])
				}
			}
			if len(mine) == 0 {
				continue
			}
			placed := placeBoxes(at, &lines[i].Words[j], mine, lineHeight(lines[i]))
			out = append(out, placed...)
		}
	}
	return out
}

// findCheckboxes looks round each line of img for check boxes of about its characters' size.
func findCheckboxes(img image.Image, lines []doc.Line) []checkbox {
	b := img.Bounds()
	short := min(b.Dx(), b.Dy())
	at := lumaRows(img)
	var found []checkbox
	for _, l := range lines {
		if len(l.Words) == 0 {
			continue
		}
		h := lineHeight(l)
		smax := h * 5 / 4
		smin := max(5, h/5, short/150) // about 1.4 mm on an A4 page
		if smax < smin {
			continue
		}
		r := image.Rect(l.Box.X0-h*3/2, l.Box.Y0-h/2, l.Box.X1+h*3/2, l.Box.Y1+h/2).Intersect(b)
		for _, cb := range boxesIn(at, r, smin, smax) {
			dup := false
			for _, o := range found {
				if overlap(o.box, cb.box) {
					dup = true
					break
				}
			}
			if !dup {
				found = append(found, cb)
			}
		}
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].box.Y0 != found[j].box.Y0 {
			return found[i].box.Y0 < found[j].box.Y0
		}
		return found[i].box.X0 < found[j].box.X0
	})
	return found
}

// lineHeight is the height of the line's least tilted word: about a character's height, with the
// reader's margin.
func lineHeight(l doc.Line) int {
	h := 0
	for _, w := range l.Words {
		if h == 0 || w.Box.H() < h {
			h = w.Box.H()
		}
	}
	return h
}

func overlap(a, b doc.Box) bool {
	return a.X0 < b.X1 && b.X0 < a.X1 && a.Y0 < b.Y1 && b.Y0 < a.Y1
}

// boxesIn finds the check boxes in the page rectangle r whose sides are smin–smax pixels: ink is what
// is darker than the paper round it (a mean over a window of about two boxes), connected masses of ink
// of a box's size and squareness are kept when their edges are straight strokes (see judgeBox).
func boxesIn(at lumaRow, r image.Rectangle, smin, smax int) []checkbox {
	w, h := r.Dx(), r.Dy()
	if w < smin || h < smin {
		return nil
	}
	ink := localInk(at, r, smax)
	// Connected masses of ink (8-neighbourhood).
	seen := make([]bool, w*h)
	var stack []int
	var out []checkbox
	for i, on := range ink {
		if !on || seen[i] {
			continue
		}
		x0, y0, x1, y1, n := w, h, -1, -1, 0
		stack = append(stack[:0], i)
		seen[i] = true
		tooBig := false
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := j%w, j/w
			n++
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			if x1-x0 > smax*2 || y1-y0 > smax*2 {
				tooBig = true // a rule or a table's frame: still walked, so as not to be started again
			}
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					k := ny*w + nx
					if ink[k] && !seen[k] {
						seen[k] = true
						stack = append(stack, k)
					}
				}
			}
		}
		bw, bh := x1-x0+1, y1-y0+1
		if tooBig || bw < smin || bh < smin || bw > smax || bh > smax {
			continue
		}
		if float64(max(bw, bh)) > boxMaxAspect*float64(min(bw, bh)) {
			continue
		}
		// Touching the region's edge, the mass may be cut: leave it to the line it belongs to.
		if x0 == 0 || y0 == 0 || x1 == w-1 || y1 == h-1 {
			continue
		}
		if !clearBeside(ink, w, x0, y0, x1, y1) {
			continue
		}
		if ticked, ok := judgeBox(ink, w, x0, y0, x1, y1); ok {
			out = append(out, checkbox{box: doc.Box{X0: r.Min.X + x0, Y0: r.Min.Y + y0, X1: r.Min.X + x1 + 1, Y1: r.Min.Y + y1 + 1},
				ticked: ticked, small: float64(bh) < 0.7*float64(besideHeight(ink, w, h, x0, y0, x1, y1))})
		}
	}
	return out
}

// lumaRow fills out with the luma of the pixels from x, y rightwards.
type lumaRow func(x, y int, out []uint8)

// lumaRows reads rows of img's luma, straight from the plane of a grey or YCbCr image.
func lumaRows(img image.Image) lumaRow {
	switch m := img.(type) {
	case *image.Gray:
		return func(x, y int, out []uint8) { copy(out, m.Pix[m.PixOffset(x, y):]) }
	case *image.YCbCr:
		return func(x, y int, out []uint8) { copy(out, m.Y[m.YOffset(x, y):]) }
	}
	at := pixelReader(img)
	return func(x, y int, out []uint8) {
		for i := range out {
			r8, g8, b8 := at(x+i, y)
			out[i] = uint8((uint32(r8)*299 + uint32(g8)*587 + uint32(b8)*114) / 1000)
		}
	}
}

// localInk marks the ink of the page rectangle r (row by row, r.Dx() wide): what is darker than the
// mean of the paper round it, over a window of rad pixels each way, by two fifths of the way to the
// print's darkest; where the window holds too little contrast for print, nothing is ink.
func localInk(at lumaRow, r image.Rectangle, rad int) []bool {
	w, h := r.Dx(), r.Dy()
	g := make([]int32, w*h)
	var hist [256]int
	line := make([]uint8, w)
	for y := range h {
		at(r.Min.X, r.Min.Y+y, line)
		for x, v := range line {
			g[y*w+x] = int32(v)
			hist[v]++
		}
	}
	dark, acc := int32(0), 0
	for v, c := range hist {
		acc += c
		if acc*50 >= w*h { // the darkest 2%: the print's ink
			dark = int32(v)
			break
		}
	}
	// Integral image for the local mean.
	sum := make([]int64, (w+1)*(h+1))
	for y := range h {
		var row int64
		for x := range w {
			row += int64(g[y*w+x])
			sum[(y+1)*(w+1)+x+1] = sum[y*(w+1)+x+1] + row
		}
	}
	ink := make([]bool, w*h)
	for y := range h {
		y0, y1 := max(y-rad, 0), min(y+rad+1, h)
		for x := range w {
			x0, x1 := max(x-rad, 0), min(x+rad+1, w)
			s := sum[y1*(w+1)+x1] - sum[y0*(w+1)+x1] - sum[y1*(w+1)+x0] + sum[y0*(w+1)+x0]
			mean := int32(s / int64((y1-y0)*(x1-x0)))
			if mean-dark < 40 { // no print here, or too faint to tell
				continue
			}
			ink[y*w+x] = g[y*w+x] < mean-(mean-dark)*2/5
		}
	}
	return ink
}

// clearBeside tells whether the columns just left and right of the box x0..x1, y0..y1 (inclusive) of
// a w-wide ink map are paper: a check box's glyph stands in its own blank, while an enclosed part of a
// character (the 口 of 知 or 和) has its other parts close beside it.
func clearBeside(ink []bool, w, x0, y0, x1, y1 int) bool {
	g := max(2, (min(x1-x0, y1-y0)+1)/8)
	for y := y0 + 1; y < y1; y++ {
		for d := 1; d <= g; d++ {
			if x0-d >= 0 && ink[y*w+x0-d] || x1+d < w && ink[y*w+x1+d] {
				return false
			}
		}
	}
	return true
}

// besideHeight is the height of the print within a side's length left and right of the box x0..x1,
// y0..y1 (inclusive) of a w×h ink map, the box's own rows included.
func besideHeight(ink []bool, w, h, x0, y0, x1, y1 int) int {
	side := min(x1-x0, y1-y0) + 1
	top, bot := y0, y1
	for y := max(y0-side, 0); y < min(y1+side+1, h); y++ {
		for x := max(x0-side, 0); x < min(x1+side+1, w); x++ {
			if x >= x0 && x <= x1 || !ink[y*w+x] {
				continue
			}
			top, bot = min(top, y), max(bot, y)
			break
		}
	}
	return bot - top + 1
}

// judgeBox tells whether the ink in the box x0..x1, y0..y1 (inclusive) of a w-wide ink map is a check
// box, and if so whether it is ticked: a filled square (■) is; a hollow one — each of its four edges
// inked along boxMinSideCover of its length by a thin stroke — is when its inside bears boxTickedInk
// of ink, empty when under boxEmptyInk; between the two it is not judged (ok false). A straight bar
// right across the inside is a character's stroke (日 田), not a tick: no box.
func judgeBox(ink []bool, w, x0, y0, x1, y1 int) (ticked, ok bool) {
	bw, bh := x1-x0+1, y1-y0+1
	n := 0
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			if ink[y*w+x] {
				n++
			}
		}
	}
	if float64(n) >= boxFilled*float64(bw*bh) {
		return true, true
	}
	// The thickness of each edge's stroke: the run of ink inward from the edge, its median along the
	// edge; an edge along which ink is found within a quarter of the side on too few lines is no stroke.
	side := min(bw, bh)
	reach := max(2, int(boxMaxStroke*float64(side)))
	edge := func(length int, inkAt func(along, in int) bool) (stroke int, good bool) {
		m := length / 7 // rounded or ragged corners
		var runs []int
		covered := 0
		for a := m; a < length-m; a++ {
			run, first := 0, -1
			for d := 0; d < reach+2 && d < side/2; d++ {
				if inkAt(a, d) {
					if first < 0 {
						first = d
					}
					run++
				} else if first >= 0 {
					break
				}
			}
			if first >= 0 && first <= 1 { // a longer run is a stroke with a tick or a fill joining it
				covered++
				runs = append(runs, first+run)
			}
		}
		if len(runs) == 0 || float64(covered) < boxMinSideCover*float64(length-2*m) {
			return 0, false
		}
		slices.Sort(runs)
		stroke = runs[len(runs)/2]
		return stroke, stroke <= reach
	}
	top, ok1 := edge(bw, func(a, d int) bool { return ink[(y0+d)*w+x0+a] })
	bot, ok2 := edge(bw, func(a, d int) bool { return ink[(y1-d)*w+x0+a] })
	left, ok3 := edge(bh, func(a, d int) bool { return ink[(y0+a)*w+x0+d] })
	right, ok4 := edge(bh, func(a, d int) bool { return ink[(y0+a)*w+x1-d] })
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return false, false
	}
	// The inside, a pixel clear of each stroke.
	ix0, ix1 := x0+left+1, x1-right-1
	iy0, iy1 := y0+top+1, y1-bot-1
	if ix1-ix0 < 2 || iy1-iy0 < 2 {
		return false, false
	}
	in := 0
	cols := make([]int, ix1-ix0+1)
	for y := iy0; y <= iy1; y++ {
		row := 0
		for x := ix0; x <= ix1; x++ {
			if ink[y*w+x] {
				row++
				cols[x-ix0]++
			}
		}
		if row*10 >= (ix1-ix0+1)*9 {
			return false, false // a bar across the inside: 日, 田, 目
		}
		in += row
	}
	for _, c := range cols {
		if c*10 >= (iy1-iy0+1)*9 {
			return false, false
		}
	}
	share := float64(in) / float64((ix1-ix0+1)*(iy1-iy0+1))
	switch {
	case share >= boxTickedInk:
		return true, true
	case share < boxEmptyInk:
		return false, true
	}
	return false, false
}

// Costs of placing a word's boxes (placeBoxes), in characters of misfit.
const (
	skipBoxCost    = 0.55 // a box left out: the text already fills its place (an enclosed character)
	insertBoxCost  = 0.05 // a glyph inserted where the reader dropped the box
	misreadBoxCost = 0.3  // a glyph put in place of a mark the reader made of the box (《, <, 中)
	besideBoxCost  = 0.5  // a glyph inserted beside a box-like one read (口), which it should replace
)

// boxLike are what the readers make of a check box, of its tick or of a tick alone: a box found at one
// of them takes its place. misreadBox are marks that stand for a box only where one is found.
const (
	boxLike    = "□☐口○◯▢√✓✔☑■●◼▇☒▪Vv"
	misreadBox = "《〈<[(（中"
)

// placeBoxes writes the boxes found in or beside w into its text, and returns those written; lineH is
// the height of its line (lineHeight). The word's characters are taken to stand at an even pitch
// across its print (check boxes in it included), the wide blanks between groups of characters (□信息服务
// □技术服务) squeezed out first (squeezedColumns): each
// box is put at the character where it stands — in place of a box-like glyph read there, or inserted
// where none was read — such that the characters between two boxes fill the space between them. The
// placing of least misfit is chosen by dynamic programming over (characters passed, boxes placed,
// glyphs inserted), for each count of glyphs inserted, since the pitch depends on it.
func placeBoxes(at lumaRow, w *doc.Word, boxes []checkbox, lineH int) []checkbox {
	runes := []rune(w.Text)
	n, m := len(runes), len(boxes)
	if n == 0 || m == 0 {
		return nil
	}
	sort.Slice(boxes, func(i, j int) bool { return boxes[i].box.X0 < boxes[j].box.X0 })
	span := w.Box
	for _, b := range boxes {
		span = span.Union(b.box)
	}
	col, inked, first, last := squeezedColumns(at, span, lineH, boxes)
	if first >= last {
		return nil
	}
	// spaced[k]: box k stands apart, a blank of two fifths of its side or more on one side of it, or
	// nothing before it in the word, as a form's boxes do between their choices. Only such a box may be
	// inserted where the reader read nothing: in a run of characters, a "box" with no glyph of its
	// own read is an enclosed character (回) whose place the text already fills.
	spaced := make([]bool, m)
	for k, b := range boxes {
		// the run of blank columns from column from, stepping by step; end: it reaches the span's end
		blank := func(from, step int) (n int, end bool) {
			x := from
			for ; x >= 0 && x < len(inked) && !inked[x]; x += step {
				n++
			}
			return n, x < 0 || x >= len(inked)
		}
		wide := max(3, b.box.H()*2/5)
		left, start := blank(b.box.X0-span.X0-1, -1)
		right, _ := blank(b.box.X1-span.X0, 1)
		spaced[k] = start || left >= wide || right >= wide
	}
	// cx is the squeezed position of page column x.
	cx := func(x int) float64 { return col[min(max(x-span.X0, 0), len(col)-1)] }
	x0, x1 := cx(first), cx(last)
	// placing of box k: -1 skipped; else at character pos, inserted before it or in its place.
	type move struct {
		pos    int
		insert bool
	}
	// cw[i] is the width of the first i characters, in characters (see charWidth).
	cw := make([]float64, n+1)
	for i, r := range runes {
		cw[i+1] = cw[i] + charWidth(r)
	}
	unusedBox := func(i, from int) bool { return i >= from && i < n && strings.ContainsRune(boxLike, runes[i]) }
	bestCost := math.Inf(1)
	var best []move
	for ins := 0; ins <= m; ins++ {
		pitch := (x1 - x0) / (cw[n] + float64(ins))
		if pitch <= 0 {
			continue
		}
		// start and end of box k's slot: the box with the rest of a character's pitch on both sides
		slot := func(k int) (float64, float64) {
			b := boxes[k].box
			bx0, bx1 := cx(b.X0), cx(b.X1)
			pad := max(pitch-(bx1-bx0), 0) / 2
			return bx0 - pad, bx1 + pad
		}
		// fit is the misfit of characters i..j-1 standing between x from and to.
		fit := func(i, j int, from, to float64) float64 {
			return math.Abs(cw[j] - cw[i] - max(to-from, 0)/pitch)
		}
		// A state, after boxes before k are dealt with, keyed by the characters passed (i) and the
		// glyphs inserted (d): its least cost, the x where the last placed box's slot ends, its moves.
		type state struct {
			cost  float64
			end   float64
			moves []move
		}
		type key struct{ i, d int }
		front := map[key]state{{0, 0}: {cost: 0, end: x0}}
		for k := range m {
			next := map[key]state{}
			put := func(kk key, s state) {
				if o, ok := next[kk]; !ok || s.cost < o.cost {
					next[kk] = s
				}
			}
			s0, s1 := slot(k)
			for kk, s := range front {
				// leave box k out
				put(kk, state{s.cost + skipBoxCost, s.end, append(slices.Clip(s.moves), move{pos: -1})})
				for p := kk.i; p <= n; p++ {
					seg := fit(kk.i, p, s.end, s0)
					if seg > 3 {
						if cw[p]-cw[kk.i] > max(s0-s.end, 0)/pitch {
							break
						}
						continue
					}
					if kk.d < ins && spaced[k] && (boxes[k].ticked || !boxes[k].small) {
						c := insertBoxCost
						if unusedBox(p, kk.i) || unusedBox(p-1, kk.i) {
							c += besideBoxCost // the box's glyph was read, beside where it is put
						}
						put(key{p, kk.d + 1}, state{s.cost + seg + c, s1, append(slices.Clip(s.moves), move{p, true})})
					}
					if p < n {
						if c, ok := replaceCost(runes[p]); ok {
							put(key{p + 1, kk.d}, state{s.cost + seg + c, s1, append(slices.Clip(s.moves), move{p, false})})
						}
					}
				}
			}
			front = next
		}
		for kk, s := range front {
			if kk.d != ins {
				continue
			}
			c := s.cost + fit(kk.i, n, s.end, x1)
			if c < bestCost {
				bestCost, best = c, s.moves
			}
		}
	}
	if best == nil {
		return nil
	}
	var out []rune
	var placed []checkbox
	next := 0
	box := w.Box
	for k, mv := range best {
		if mv.pos < 0 {
			continue
		}
		out = append(out, runes[next:mv.pos]...)
		next = mv.pos
		g := emptyBoxRune
		if boxes[k].ticked {
			g = tickedBoxRune
		}
		if !mv.insert {
			if runes[next] == '口' && !boxes[k].ticked {
				g = '口' // as read: an empty box to extract, and a character if it is one
			}
			next++
		}
		out = append(out, g)
		placed = append(placed, boxes[k])
		box = box.Union(boxes[k].box)
	}
	out = append(out, runes[next:]...)
	w.Text = string(out)
	w.Box = box
	return placed
}

// squeezedColumns measures the print of the page rectangle r column by column: col[i] is where page
// column r.X0+i falls once every blank run wider than a third of the line's height lineH (a space
// between groups of characters, the reader's margin) is squeezed to a ninth of it, and first, last
// (page columns) bound the print. The blanks inside and between characters stay as they are. Only the
// print within a box's height of the row through the boxes' middles counts, so that a tilted word's
// box, taller than its row, does not take in its neighbours' print.
func squeezedColumns(at lumaRow, r doc.Box, lineH int, boxes []checkbox) (col []float64, inked []bool, first, last int) {
	rect := image.Rect(r.X0, r.Y0, r.X1, r.Y1)
	w, h := rect.Dx(), rect.Dy()
	if w <= 0 || h <= 0 {
		return nil, nil, 0, 0
	}
	ink := localInk(at, rect, max(lineH, 4))
	// The row: a straight line through the boxes' middles (least squares), level for one box.
	var sx, sy, sxx, sxy, bh float64
	for _, b := range boxes {
		x, y := float64(b.box.X0+b.box.X1)/2, float64(b.box.Y0+b.box.Y1)/2
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
		bh = max(bh, float64(b.box.H()))
	}
	nb := float64(len(boxes))
	slope := 0.0
	if d := nb*sxx - sx*sx; len(boxes) > 1 && d > 0 {
		slope = max(min((nb*sxy-sx*sy)/d, 0.1), -0.1)
	}
	inked = make([]bool, w)
	first, last = -1, -1
	for x := range w {
		mid := sy/nb + slope*(float64(r.X0+x)-sx/nb) - float64(r.Y0)
		for y := max(int(mid-bh), 0); y < min(int(mid+bh)+1, h); y++ {
			if ink[y*w+x] {
				inked[x] = true
				break
			}
		}
		if inked[x] {
			if first < 0 {
				first = x
			}
			last = x + 1
		}
	}
	if first < 0 {
		return nil, nil, 0, 0
	}
	wide := float64(lineH) / 3
	col = make([]float64, w+1)
	pos := 0.0
	for x := 0; x < w; {
		if inked[x] {
			col[x] = pos
			pos++
			x++
			continue
		}
		e := x
		for e < w && !inked[e] {
			e++
		}
		step := 1.0
		if float64(e-x) > wide {
			step = wide / 3 / float64(e-x)
		}
		for ; x < e; x++ {
			col[x] = pos
			pos += step
		}
	}
	col[w] = pos
	return col, inked, r.X0 + first, r.X0 + last
}

// charWidth is the width of r in characters, as it stands once wide blanks are squeezed out
// (squeezedColumns): a Chinese character or a box one; full-width punctuation, whose print is narrow
// in its wide blank, and Latin letters and digits about half of one; a space none.
func charWidth(r rune) float64 {
	switch {
	case r == ' ':
		return 0
	case unicode.Is(unicode.Han, r) || strings.ContainsRune(boxLike, r):
		return 1
	}
	return 0.5
}

// replaceCost is the cost of putting a box's glyph in place of r, read where the box stands; ok is
// false when r may not be replaced (a character: 国 or 回 read at a "box" is that character; a
// punctuation mark beside a box is itself).
func replaceCost(r rune) (float64, bool) {
	switch {
	case strings.ContainsRune(boxLike, r):
		return 0, true
	case strings.ContainsRune(misreadBox, r):
		return misreadBoxCost, true
	}
	return 0, false
}
