package main

import "testing"

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"营业执照", "营业执照", 0}, {"营亚执照", "营业执照", 1}, {"营业", "营业执照", 2},
		{"执照营业", "营业执照", 4}, {"ＡＢ１", "AB1", 0}, {"营 业\n执照", "营业执照", 0},
	} {
		if got := distance(squeeze(tc.a), squeeze(tc.b)); got != tc.want {
			t.Errorf("distance(%q, %q) = %d; want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
