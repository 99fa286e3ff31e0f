package ocr

import "testing"

// TestRayScoreOutsideRange: a radius outside the rays' range scores nothing instead of reading past
// the rays (a real licence photo made the fine fit ask for one: index out of range, page lost).
func TestRayScoreOutsideRange(t *testing.T) {
	rs := newRays(36, 10, 17)
	for _, r := range []int{8, 10, 16, 17, 18, 25} {
		rs.score(r) // must not panic
	}
}
