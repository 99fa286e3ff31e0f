package textdist

import "testing"

func TestLevenshtein(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"营业执照", "营业执照", 0}, {"营亚执照", "营业执照", 1}, {"营业", "营业执照", 2},
		{"执照营业", "营业执照", 4}, {"kitten", "sitting", 3}, {"", "abc", 3},
	} {
		if got := Levenshtein([]rune(tc.a), []rune(tc.b)); got != tc.want {
			t.Errorf("Levenshtein(%q, %q) = %d; want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
