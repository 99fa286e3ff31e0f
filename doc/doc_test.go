package doc

import "testing"

// TestBoxTurns: a box taken into the upright frame of a turned page and back is the box again, and a
// quarter turn moves the top-left corner of a 100×200 page to the top right.
func TestBoxTurns(t *testing.T) {
	b := Box{X0: 10, Y0: 20, X1: 40, Y1: 30}
	for _, deg := range []int{0, 90, 180, 270} {
		if got := b.ToUpright(deg, 100, 200).FromUpright(deg, 100, 200); got != b {
			t.Errorf("%d°: round trip gives %v; want %v", deg, got, b)
		}
	}
	if got := b.ToUpright(90, 100, 200); got != (Box{X0: 170, Y0: 10, X1: 180, Y1: 40}) {
		t.Errorf("ToUpright(90) = %v; want {170 10 180 40}", got)
	}
}
