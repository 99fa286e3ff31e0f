package ocr

import (
	"image"
	"image/color"
	"math"
	"math/rand"
	"testing"

	"shenbao/doc"
)

// A synthetic form row: characters are drawn as 工-like marks (no enclosure, so not boxes), check
// boxes as 30-pixel outlines, ticked ones with a tick, a cross or a fill inside, at a pitch of 40
// pixels with a blank of 20 between groups, as a form prints □信息服务 ☑技术服务.
const (
	synPitch = 40
	synTop   = 100 // the row's characters stand between synTop and synTop+34
)

type synMark int

const (
	synChar synMark = iota
	synEmpty
	synTick
	synCross
	synFill
	synEnclosed // a 回-like character: an outline with a smaller outline inside
	synBarred   // a 日-like character as square as a box: an outline with a bar across
	synSpace
)

// synPage draws marks left to right from x=60 on a page of paper grey 235 with print of 40, with a
// little noise, and returns the page and the x where each mark's slot starts.
func synPage(marks []synMark) (*image.Gray, []int) {
	img := image.NewGray(image.Rect(0, 0, 1400, 300))
	rng := rand.New(rand.NewSource(1))
	for i := range img.Pix {
		img.Pix[i] = uint8(228 + rng.Intn(15))
	}
	ink := func(x0, y0, x1, y1 int) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				img.SetGray(x, y, color.Gray{Y: uint8(30 + rng.Intn(25))})
			}
		}
	}
	outline := func(x0, y0, x1, y1 int) {
		ink(x0, y0, x1, y0+2)
		ink(x0, y1-2, x1, y1)
		ink(x0, y0, x0+2, y1)
		ink(x1-2, y0, x1, y1)
	}
	line := func(ax, ay, bx, by float64) {
		n := int(math.Hypot(bx-ax, by-ay)) + 1
		for i := 0; i <= n; i++ {
			t := float64(i) / float64(n)
			x, y := int(ax+(bx-ax)*t), int(ay+(by-ay)*t)
			ink(x-1, y-1, x+2, y+2)
		}
	}
	var starts []int
	x := 60
	for _, m := range marks {
		starts = append(starts, x)
		bx0, by0, bx1, by1 := x+5, synTop+2, x+35, synTop+32
		switch m {
		case synSpace:
			x += 20
			continue
		case synChar: // 工
			ink(x+3, synTop, x+37, synTop+3)
			ink(x+18, synTop, x+22, synTop+34)
			ink(x+3, synTop+31, x+37, synTop+34)
		case synEmpty:
			outline(bx0, by0, bx1, by1)
		case synTick:
			outline(bx0, by0, bx1, by1)
			line(float64(bx0+7), float64(by0+15), float64(bx0+13), float64(by0+23))
			line(float64(bx0+13), float64(by0+23), float64(bx0+24), float64(by0+6))
		case synCross:
			outline(bx0, by0, bx1, by1)
			line(float64(bx0+6), float64(by0+6), float64(bx1-7), float64(by1-7))
			line(float64(bx0+6), float64(by1-7), float64(bx1-7), float64(by0+6))
		case synFill:
			ink(bx0, by0, bx1, by1)
		case synBarred:
			outline(bx0, by0, bx1, by1)
			ink(bx0, synTop+16, bx1, synTop+18)
		case synEnclosed: // 回, as wide and high as a character
			outline(x+3, synTop, x+37, synTop+34)
			outline(x+12, synTop+10, x+28, synTop+24)
		}
		x += synPitch
	}
	return img, starts
}

// word is a word read from the row's slots first..last (inclusive), with the reader's margin.
func synWord(text string, starts []int, first, last int) doc.Word {
	return doc.Word{Text: text, Box: doc.Box{X0: starts[first] - 4, Y0: synTop - 6, X1: starts[last] + synPitch + 4, Y1: synTop + 40}, Confidence: 0.9}
}

func synLine(words ...doc.Word) []doc.Line {
	l := doc.Line{Words: words}
	for _, w := range words {
		l.Box = l.Box.Union(w.Box)
	}
	return []doc.Line{l}
}

// row is 平台服务功能, then five choices: each a box of the given kind and four characters.
func synRow(kinds ...synMark) []synMark {
	row := []synMark{synChar, synChar, synChar, synChar, synChar, synChar, synSpace}
	for i, k := range kinds {
		if i > 0 {
			row = append(row, synSpace)
		}
		row = append(row, k, synChar, synChar, synChar, synChar)
	}
	return row
}

func TestCheckboxJudged(t *testing.T) {
	for _, tc := range []struct {
		name        string
		mark        synMark
		box, ticked bool
	}{
		{"empty", synEmpty, true, false},
		{"tick", synTick, true, true},
		{"cross", synCross, true, true},
		{"fill", synFill, true, true},
		{"character", synChar, false, false},
		{"barred character", synBarred, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, starts := synPage([]synMark{synChar, tc.mark, synChar})
			lines := synLine(synWord("工X工", starts, 0, 2))
			found := findCheckboxes(img, lines)
			if !tc.box {
				if len(found) != 0 {
					t.Fatalf("found %v; want no box", found)
				}
				return
			}
			if len(found) != 1 {
				t.Fatalf("found %d boxes (%v); want 1", len(found), found)
			}
			b := found[0].box
			if b.X0 < starts[1]+3 || b.X1 > starts[1]+37 || b.Y0 < synTop || b.Y1 > synTop+34 {
				t.Errorf("box %v; want about %d..%d, %d..%d", b, starts[1]+5, starts[1]+35, synTop+2, synTop+32)
			}
			if found[0].ticked != tc.ticked {
				t.Errorf("ticked %v; want %v", found[0].ticked, tc.ticked)
			}
		})
	}
}

func TestCheckboxesWrittenIntoWords(t *testing.T) {
	row := synRow(synTick, synEmpty, synFill, synCross, synEmpty)
	// slots of the row: 6 label characters, a space, then per choice (box, 4 characters) with a space
	// between: the box of choice i is at slot 7+6i.
	label, choices := 0, 7
	last := len(row) - 1
	for _, tc := range []struct {
		name  string
		words func(starts []int) []doc.Word
		want  []string
	}{
		{"boxes read as 口", func(s []int) []doc.Word {
			return []doc.Word{synWord("平台服务功能", s, label, 5), synWord("口信息服务口技术服务口创业服务口培训服务口融资服务", s, choices, last)}
		}, []string{"平台服务功能", "☑信息服务口技术服务☑创业服务☑培训服务口融资服务"}},
		{"boxes dropped", func(s []int) []doc.Word {
			return []doc.Word{synWord("平台服务功能", s, label, 5), synWord("信息服务技术服务创业服务培训服务融资服务", s, choices, last)}
		}, []string{"平台服务功能", "☑信息服务□技术服务☑创业服务☑培训服务□融资服务"}},
		{"first dropped, the others read 口, all in one word", func(s []int) []doc.Word {
			return []doc.Word{synWord("平台服务功能信息服务口技术服务口创业服务口培训服务口融资服务", s, label, last)}
		}, []string{"平台服务功能☑信息服务口技术服务☑创业服务☑培训服务口融资服务"}},
		{"ticks misread", func(s []int) []doc.Word {
			return []doc.Word{synWord("平台服务功能", s, label, 5), synWord("√信息服务口技术服务■创业服务《培训服务口融资服务", s, choices, last)}
		}, []string{"平台服务功能", "☑信息服务口技术服务☑创业服务☑培训服务口融资服务"}},
		{"a box outside the word it leads", func(s []int) []doc.Word {
			// the reader's box for the choices starts after the first check box
			w := synWord("信息服务口技术服务口创业服务口培训服务口融资服务", s, choices+1, last)
			return []doc.Word{synWord("平台服务功能", s, label, 5), w}
		}, []string{"平台服务功能", "☑信息服务口技术服务☑创业服务☑培训服务口融资服务"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, starts := synPage(row)
			lines := synLine(tc.words(starts)...)
			placed := markCheckboxes(img, lines)
			if len(placed) != 5 {
				t.Errorf("placed %d boxes; want 5", len(placed))
			}
			var got []string
			for _, w := range lines[0].Words {
				got = append(got, w.Text)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %q; want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("word %d: got %q; want %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// Text that the pixels do not contradict stays as read: a page without boxes, a lone box, and
// enclosed characters (回) read as themselves, which look like ticked boxes.
func TestCheckboxesLeaveTextAlone(t *testing.T) {
	for _, tc := range []struct {
		name  string
		marks []synMark
		text  string
	}{
		{"no boxes", []synMark{synChar, synChar, synChar, synSpace, synChar, synChar}, "出口人口口岸"},
		{"a lone box", []synMark{synChar, synChar, synEmpty, synChar, synChar}, "同意口不同"},
		{"enclosed characters", []synMark{synChar, synEnclosed, synChar, synChar, synEnclosed, synChar, synChar}, "中回路工回族区"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, starts := synPage(tc.marks)
			lines := synLine(synWord(tc.text, starts, 0, len(tc.marks)-1))
			placed := markCheckboxes(img, lines)
			if got := lines[0].Words[0].Text; got != tc.text {
				t.Errorf("got %q; want %q as read (placed %v)", got, tc.text, placed)
			}
		})
	}
}
