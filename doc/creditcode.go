package doc

import "strings"

// CreditCodeAlphabet is the character set of the unified social credit code (统一社会信用代码,
// GB 32100-2015): the digits and the capital letters without I, O, S, V and Z.
const CreditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// CreditWeights are the weights of the first 17 characters in the check (GB 32100-2015).
var CreditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCheckChar computes the check character for the first 17 characters of a code. ok is false
// when they are not 17 characters of the alphabet.
func CreditCheckChar(first17 string) (c byte, ok bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(CreditCodeAlphabet, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * CreditWeights[i]
	}
	return CreditCodeAlphabet[(31-sum%31)%31], true
}

// ValidCreditCode reports whether code is 18 characters of the alphabet whose last is the check
// character of the first 17. The one check of the project: extraction, the checklist and the UI
// (through the API) all use it.
func ValidCreditCode(code string) bool {
	if len(code) != 18 {
		return false
	}
	c, ok := CreditCheckChar(code[:17])
	return ok && c == code[17]
}
