package intake

import (
	"context"
	"slices"

	"shenbao/doc"
	"shenbao/extract/normalize"
)

// creditAlphabet is the character set of 统一社会信用代码 (GB 32100-2015).
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// Reread asks rr for a second, constrained reading of each credit code that failed its check
// (flag "check_failed") and takes it when it passes the check and differs from the first reading in at
// most two places — a misread character, not another code. The field is then flagged "reread";
// otherwise it stays as read, flagged. The file at path must be the one the pages were read from.
func Reread(ctx context.Context, rr RegionReader, path, contentType string, pages []doc.Page, fields []doc.Field) []doc.Field {
	out := slices.Clone(fields)
	for i, f := range out {
		if f.Name != "credit_code" || !slices.Contains(f.Flags, "check_failed") || f.Page < 1 || f.Page > len(pages) || f.Box.Empty() {
			continue
		}
		p := pages[f.Page-1]
		if p.Source != doc.SourceOCR {
			continue // a text layer's characters are what was printed
		}
		text, conf, err := rr.ReadRegion(ctx, path, contentType, f.Page, f.Box, p.Rotation, creditAlphabet)
		if err != nil || !normalize.ValidCreditCode(text) || differences(text, f.Value) > 2 {
			continue
		}
		f.Text, f.Value = text, text
		f.Confidence = min(f.Confidence, conf)
		f.Flags = append(slices.DeleteFunc(slices.Clone(f.Flags), func(s string) bool { return s == "check_failed" }), "reread")
		out[i] = f
	}
	return out
}

// differences counts the positions where two strings of the same length differ (any length mismatch
// counts as many).
func differences(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) {
		return max(len(ra), len(rb))
	}
	n := 0
	for i := range ra {
		if ra[i] != rb[i] {
			n++
		}
	}
	return n
}
