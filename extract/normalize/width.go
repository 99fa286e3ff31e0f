package normalize

import (
	"strings"
	"unicode"
)

// FoldRune maps a full-width ASCII variant (U+FF01–U+FF5E) to its ASCII form and the ideographic
// space to a space; every other rune is returned unchanged. It never changes the number of runes,
// so positions in folded text are positions in the original.
func FoldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFF01 + 0x21
	case r == 0x3000 || r == 0x00A0:
		return ' '
	case r == '．':
		return '.'
	}
	return r
}

// Fold applies FoldRune to every rune of s.
func Fold(s string) string {
	return strings.Map(FoldRune, s)
}

// IsHan reports whether r is a CJK ideograph (including 〇).
func IsHan(r rune) bool {
	return unicode.Is(unicode.Han, r) || r == '〇'
}

// StripSpace removes every white-space rune of s.
func StripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
