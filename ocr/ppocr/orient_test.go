package ppocr

import (
	"strings"
	"testing"

	"shenbao/internal/textdist"
)

// TestReadUpright reads a licence turned four ways: each is turned back and read as the upright page
// is, the credit code and the title found, the boxes on the upright page.
func TestReadUpright(t *testing.T) {
	r := reader(t)
	img, fields := page(t, "app03_chamdo/二、营业执照.png")
	code := fields["credit_code"].(string)
	for _, turned := range []int{0, 90, 180, 270} {
		lines, deg, up, err := r.ReadUpright(Rotate(img, turned), 0.6)
		if err != nil {
			t.Fatal(err)
		}
		if want := (360 - turned) % 360; deg != want {
			t.Errorf("page turned %d°: turned back %d°; want %d°", turned, deg, want)
		}
		if up.Bounds().Size() != img.Bounds().Size() {
			t.Errorf("page turned %d°: upright page is %v; want %v", turned, up.Bounds().Size(), img.Bounds().Size())
		}
		got := strings.Join(strings.Fields(text(lines)), "")
		for _, w := range []string{code, "营业执照"} {
			if !strings.Contains(got, w) {
				t.Errorf("page turned %d°: %q not read; got:\n%s", turned, w, text(lines))
			}
		}
		for _, l := range lines {
			if b := l.Box; b.X1 > img.Bounds().Dx() || b.Y1 > img.Bounds().Dy() {
				t.Errorf("page turned %d°: line %q at %v, outside the upright page", turned, l.Text(), b)
			}
		}
	}
}

// TestReadUprightAsRead: an upright page read by ReadUpright, on the orientation trial's boxes and
// lines, reads as Read reads it but for lines the classifier would have turned round.
func TestReadUprightAsRead(t *testing.T) {
	r := reader(t)
	img, _ := page(t, "app08_lhasa/IMG_20240430_132847.jpg")
	want, err := r.Read(img)
	if err != nil {
		t.Fatal(err)
	}
	got, deg, _, err := r.ReadUpright(img, 0.6)
	if err != nil {
		t.Fatal(err)
	}
	if deg != 0 {
		t.Fatalf("turned %d°; want 0", deg)
	}
	if len(got) != len(want) {
		t.Errorf("%d lines; Read gives %d", len(got), len(want))
	}
	if d := textdist.Levenshtein([]rune(text(got)), []rune(text(want))); d > len([]rune(text(want)))/50 {
		t.Errorf("text %d characters from Read's; got:\n%s\nwant:\n%s", d, text(got), text(want))
	}
}
