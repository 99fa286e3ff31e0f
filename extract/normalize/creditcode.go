package normalize

import (
	"shenbao/doc"
	"strings"
)

// CreditCodeAlphabet is doc.CreditCodeAlphabet.
const CreditCodeAlphabet = doc.CreditCodeAlphabet

// CreditCheckChar is doc.CreditCheckChar.
func CreditCheckChar(first17 string) (c byte, ok bool) { return doc.CreditCheckChar(first17) }

// ValidCreditCode is doc.ValidCreditCode.
func ValidCreditCode(code string) bool { return doc.ValidCreditCode(code) }

// CleanCreditCode folds widths, upper-cases and drops spaces and dashes: what OCR leaves around a
// printed code.
func CleanCreditCode(s string) string {
	s = strings.ToUpper(Fold(s))
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '-', '_', '—', '.', '·':
			return -1
		}
		return r
	}, s)
}

// confusions are the characters OCR commonly reads in place of each code character (both ways).
var confusions = map[byte]string{
	'0': "ODQUC", '1': "ILJT7", '2': "Z", '3': "8B", '4': "A", '5': "S6", '6': "G8B", '7': "1T",
	'8': "B306", '9': "Q", 'A': "4", 'B': "836R", 'C': "G0", 'D': "0O", 'E': "F", 'F': "EP",
	'G': "6C", 'H': "NM", 'J': "1I", 'K': "X", 'L': "1I", 'M': "NHW", 'N': "MH", 'P': "FR",
	'Q': "0O9", 'R': "PBK", 'T': "71Y", 'U': "V0", 'W': "M", 'X': "KY", 'Y': "VTX",
	// Characters outside the alphabet: always misreadings.
	'I': "1L", 'O': "0DQ", 'S': "5", 'V': "YU", 'Z': "2",
}

// CodeStatus says how a credit code was read.
type CodeStatus int

const (
	CodeValid     CodeStatus = iota // as read, the check character agrees
	CodeCorrected                   // one OCR confusion fixed, and only one fix agrees
	CodeInvalid                     // wrong length, or no single fix makes the check agree
)

func (s CodeStatus) String() string {
	switch s {
	case CodeValid:
		return "valid"
	case CodeCorrected:
		return "corrected"
	}
	return "invalid"
}

// digitOnly tells the positions that GB 32100 fills with digits: the institution category (2)
// and the administrative division code (3–8).
func digitOnly(i int) bool { return i >= 1 && i <= 7 }

// suspect reports whether position i holds a character that cannot be there.
func suspect(code string, i int) bool {
	c := code[i]
	if strings.IndexByte(CreditCodeAlphabet, c) < 0 {
		return true
	}
	return digitOnly(i) && (c < '0' || c > '9')
}

// CorrectCreditCode checks a code read by OCR and, when its check character disagrees, tries the
// usual OCR confusions (0/O/D/Q, 1/I/L/J, 2/Z, 5/S, 8/B, 6/G…). Characters that cannot stand where
// they are (a letter outside the alphabet, a letter among the division-code digits) are replaced
// first, all together; otherwise one position at a time. A correction is accepted only when exactly
// one candidate passes the check; else the code is returned as read with CodeInvalid — except that
// characters which cannot stand where they are, when no candidate passes, are replaced by their
// likeliest reading (O → 0 among the division digits), for they were certainly misread.
func CorrectCreditCode(s string) (string, CodeStatus) {
	code := CleanCreditCode(s)
	if len(code) != 18 {
		return code, CodeInvalid
	}
	if ValidCreditCode(code) {
		return code, CodeValid
	}
	var bad []int
	for i := 0; i < 18; i++ {
		if suspect(code, i) {
			bad = append(bad, i)
		}
	}
	// What the candidates cannot fix, the most likely reading of each impossible character can:
	// returned, still invalid, when no candidate passes.
	repaired := []byte(code)
	for _, i := range bad {
		if r, ok := likeliest[repaired[i]]; ok {
			repaired[i] = r
		}
	}
	if len(bad) > 4 {
		return code, CodeInvalid
	}
	found := map[string]bool{}
	if len(bad) > 0 {
		var walk func(k int, cur []byte)
		walk = func(k int, cur []byte) {
			if len(found) > 1 {
				return
			}
			if k == len(bad) {
				if ValidCreditCode(string(cur)) {
					found[string(cur)] = true
				}
				return
			}
			i := bad[k]
			orig := cur[i]
			for _, r := range []byte(confusions[orig]) {
				if digitOnly(i) && (r < '0' || r > '9') {
					continue
				}
				cur[i] = r
				walk(k+1, cur)
			}
			cur[i] = orig
		}
		walk(0, []byte(code))
	} else {
		cur := []byte(code)
		for i := 0; i < 18; i++ {
			orig := cur[i]
			for _, r := range []byte(confusions[orig]) {
				if strings.IndexByte(CreditCodeAlphabet, r) < 0 || (digitOnly(i) && (r < '0' || r > '9')) {
					continue
				}
				cur[i] = r
				if ValidCreditCode(string(cur)) {
					found[string(cur)] = true
				}
			}
			cur[i] = orig
		}
	}
	if len(found) == 1 {
		for c := range found {
			return c, CodeCorrected
		}
	}
	if len(found) == 0 && len(bad) > 0 {
		return string(repaired), CodeInvalid
	}
	return code, CodeInvalid
}

// likeliest is the most likely intended character for one that cannot stand where it is: a letter
// among the division-code digits, or a letter outside the alphabet.
var likeliest = map[byte]byte{
	'O': '0', 'D': '0', 'Q': '0', 'U': '0', 'C': '0', 'I': '1', 'L': '1', 'J': '1', 'T': '7', 'Z': '2',
	'A': '4', 'S': '5', 'G': '6', 'B': '8',
}
