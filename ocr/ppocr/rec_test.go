package ppocr

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestCTCDecode(t *testing.T) {
	keys := []string{"营", "业", "A"} // classes: 0 blank, 1 营, 2 业, 3 A, 4 space
	// Each row: one time step's probabilities over the five classes.
	rows := [][]float32{
		{0.1, 0.8, 0.05, 0.05, 0}, // 营
		{0.1, 0.6, 0.2, 0.1, 0},   // 营 again: merged
		{0.9, 0.05, 0.05, 0, 0},   // blank
		{0.2, 0.7, 0.1, 0, 0},     // 营 after a blank: a new character
		{0.1, 0, 0.85, 0.05, 0},   // 业
		{0.2, 0, 0, 0.1, 0.7},     // space
		{0.3, 0, 0, 0.65, 0.05},   // A
		{0.3, 0, 0, 0.6, 0.1},     // A again: merged
		{0.95, 0, 0, 0.05, 0},     // blank
	}
	var probs []float32
	for _, r := range rows {
		probs = append(probs, r...)
	}
	text, conf, steps := ctcDecode(probs, len(rows), 5, keys)
	if got, want := string(text), "营营业 A"; got != want {
		t.Errorf("text %q; want %q", got, want)
	}
	if diff := cmp.Diff([]float64{0.8, 0.7, 0.85, 0.7, 0.65}, conf, cmpopts.EquateApprox(0, 1e-6)); diff != "" {
		t.Errorf("confidences (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{0, 3, 4, 5, 6}, steps); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
}

func TestCTCDecodeEmpty(t *testing.T) {
	text, conf, _ := ctcDecode([]float32{0.9, 0.1, 0.99, 0.01}, 2, 2, []string{"x"})
	if len(text) != 0 || len(conf) != 0 {
		t.Errorf("all blanks gave %q %v; want nothing", string(text), conf)
	}
}

func TestWordsSplitAtSpaces(t *testing.T) {
	// A horizontal line 200 wide read in 20 time steps: "ab cd" with its space at step 10.
	l := textLine{
		q:      quad{{100, 50}, {300, 50}, {300, 70}, {100, 70}},
		text:   []rune("ab cd"),
		conf:   []float64{0.9, 0.7, 0.5, 1, 0.8},
		steps:  []int{1, 4, 10, 14, 18},
		steps0: 20,
	}
	ws := l.words(1000, 1000)
	if len(ws) != 2 {
		t.Fatalf("got %d words; want 2", len(ws))
	}
	if ws[0].Text != "ab" || ws[1].Text != "cd" {
		t.Errorf("words %q %q; want ab cd", ws[0].Text, ws[1].Text)
	}
	if !near(ws[0].Confidence, 0.8, 1e-9) || !near(ws[1].Confidence, 0.9, 1e-9) {
		t.Errorf("confidences %.2f %.2f; want 0.80 0.90", ws[0].Confidence, ws[1].Confidence)
	}
	// The first word runs from the line's start to the end of step 4 (x 150); the second from step 14
	// (x 240) to the line's end.
	if b := ws[0].Box; b.X0 != 100 || b.X1 < 150 || b.X1 > 152 || b.Y0 != 50 || b.Y1 < 70 {
		t.Errorf("first word box %v; want about {100 50 151 71}", b)
	}
	if b := ws[1].Box; b.X0 != 240 || b.X1 < 300 {
		t.Errorf("second word box %v; want about {240 50 301 71}", b)
	}
}
