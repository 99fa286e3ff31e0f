package ocr

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A credit code's box, read again with a whitelist on one line, gives the code.
func TestReadRegion(t *testing.T) {
	p := testPool(t, 1, 2*time.Minute)
	path := corpusFile(t, "app04_nyingchi/营业执照副本.jpg")
	const code = "91540424MA6TKX337W" // the sidecar's credit_code
	pages, err := p.Recognize(context.Background(), path, JPEG)
	if err != nil {
		t.Fatal(err)
	}
	var r *Region
	for _, l := range pages[0].Lines {
		for _, w := range l.Words {
			if strings.Contains(w.Text, code[:8]) {
				r = &Region{Page: 1, Box: w.Box, Rotation: pages[0].Rotation, Whitelist: "0123456789ABCDEFGHJKLMNPQRTUWXY"}
			}
		}
	}
	if r == nil {
		t.Fatalf("no word holds %s… on the page:\n%s", code[:8], pages[0].Text())
	}
	got, conf, err := p.ReadRegion(context.Background(), path, JPEG, r.Page, r.Box, r.Rotation, r.Whitelist)
	if err != nil {
		t.Fatal(err)
	}
	if got != code || conf <= 0 {
		t.Errorf("ReadRegion = %q (%.2f); want %q", got, conf, code)
	}
	// The whitelist does not stick to the next whole page.
	again, err := p.Recognize(context.Background(), path, JPEG)
	if err != nil || !strings.Contains(strings.ReplaceAll(again[0].Text(), " ", ""), "营业执照") && !strings.Contains(again[0].Text(), "有限") {
		t.Errorf("page read after a region: %v\n%s", err, again[0].Text())
	}
}
