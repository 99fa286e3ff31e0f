package intake

import (
	"context"
	"slices"
	"testing"

	"shenbao/doc"
)

type fixedReader struct {
	text  string
	calls int
}

func (r *fixedReader) ReadRegion(ctx context.Context, path, contentType string, page int, box doc.Box, rotation int, whitelist string) (string, float64, error) {
	r.calls++
	return r.text, 0.93, nil
}

func TestReread(t *testing.T) {
	pages := []doc.Page{{Number: 1, Source: doc.SourceOCR}, {Number: 2, Source: doc.SourceTextLayer}}
	misread := doc.Field{Name: "credit_code", Value: "91540102MA6TKJPG5I", Page: 1, Box: doc.Box{X0: 1, Y0: 1, X1: 90, Y1: 20}, Confidence: 0.7, Flags: []string{"check_failed"}}
	for _, tc := range []struct {
		name   string
		field  doc.Field
		reread string
		want   string
		flag   string
		calls  int
	}{
		{"one misread character corrected", misread, "91540102MA6TKJPG5T", "91540102MA6TKJPG5T", "reread", 1},
		{"a reading that also fails stays flagged", misread, "91540102MA6TKJPG5I", "91540102MA6TKJPG5I", "check_failed", 1},
		{"another valid code is not taken", misread, "91540402MA6T2QH0XR", "91540102MA6TKJPG5I", "check_failed", 1},
		{"a text layer is not read again", func() doc.Field { f := misread; f.Page = 2; return f }(), "91540102MA6TKJPG5T", "91540102MA6TKJPG5I", "check_failed", 0},
		{"a code that passed is left alone", doc.Field{Name: "credit_code", Value: "91540102MA6TKJPG5T", Page: 1, Box: misread.Box}, "x", "91540102MA6TKJPG5T", "", 0},
	} {
		rr := &fixedReader{text: tc.reread}
		got := Reread(context.Background(), rr, "f", "image/png", pages, []doc.Field{tc.field})[0]
		if got.Value != tc.want || (tc.flag != "" && !slices.Contains(got.Flags, tc.flag)) || rr.calls != tc.calls {
			t.Errorf("%s: got %q %v after %d readings; want %q flagged %q after %d", tc.name, got.Value, got.Flags, rr.calls, tc.want, tc.flag, tc.calls)
		}
	}
}
