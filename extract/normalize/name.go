package normalize

import (
	"strings"
	"unicode"
)

// Name canonicalises an organisation or person name: full-width letters and digits become ASCII,
// brackets become the full-width （） that Chinese names use, spaces and stray punctuation at either
// end go, and OCR's spaces between Chinese characters are removed.
func Name(s string) string {
	s = Fold(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case r == '(' || r == '[' || r == '【' || r == '〔':
			b.WriteRune('（')
		case r == ')' || r == ']' || r == '】' || r == '〕':
			b.WriteRune('）')
		default:
			b.WriteRune(r)
		}
	}
	out := b.String()
	// A contract's defined term after a party's name (…有限公司（以下简称乙方）) is not the name.
	for _, w := range []string{"（以下简称", "（以下称", "（下称", "（简称"} {
		if i := strings.Index(out, w); i > 0 {
			out = out[:i]
		}
	}
	out = strings.TrimFunc(out, func(r rune) bool {
		return r != '（' && r != '）' && (unicode.IsPunct(r) || unicode.IsSymbol(r))
	})
	// A lone bracket at either end is OCR residue; a balanced (…) suffix is part of the name.
	if strings.HasPrefix(out, "）") {
		out = strings.TrimPrefix(out, "）")
	}
	if strings.HasSuffix(out, "（") {
		out = strings.TrimSuffix(out, "（")
	}
	if strings.Count(out, "（") < strings.Count(out, "）") && strings.HasSuffix(out, "）") {
		out = strings.TrimSuffix(out, "）")
	}
	return out
}

// Key reduces a name to what two spellings of it must share to be the same name: Name, upper
// case, and no punctuation or symbols at all. It follows the corpus scorer's comparison.
func Key(s string) string {
	s = strings.ToUpper(Fold(s))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, s)
}
