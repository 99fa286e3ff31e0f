package extract

import (
	"strings"

	"shenbao/extract/normalize"
	"shenbao/internal/textdist"
)

// regionPlaces are the names that begin the names of the authorities an applicant in the region deals
// with: the autonomous region and its seven prefecture-level divisions (第十五条: the applicant applies
// through its prefecture). Every recognition, recommendation and registration in an application is
// issued by one of them, or by a national body.
var regionPlaces = []string{"西藏自治区", "拉萨市", "日喀则市", "昌都市", "林芝市", "山南市", "那曲市", "阿里地区"}

// fixPlace restores the place that begins an authority's name when the reader got it slightly wrong
// (西城嘉治区经济… → 西藏自治区经济…, 拉市… → 拉萨市…). A place of five characters or more may have
// two characters wrong, a shorter one only one dropped — a substitution in a three-character place
// names another city (成都市 is not 昌都市). The place's last character (区, 市) must be read, and what
// follows must be an authority's name.
func fixPlace(v string) string {
	rs := []rune(v)
	for _, p := range regionPlaces {
		if strings.HasPrefix(v, p) {
			return v
		}
	}
	for _, p := range regionPlaces {
		pr := []rune(p)
		for k := len(pr) - 2; k <= len(pr)+1; k++ {
			if k < 2 || k >= len(rs) || rs[k-1] != pr[len(pr)-1] {
				continue
			}
			d := textdist.Levenshtein(rs[:k], pr)
			allowed := 1
			if len(pr) >= 5 {
				allowed = 2
			} else if k != len(pr)-1 {
				continue // short places: one character dropped, nothing else
			}
			if d == 0 || d > allowed {
				continue
			}
			if w := p + string(rs[k:]); looksLikeAuthority(w) {
				return w
			}
		}
	}
	return v
}

// nearRegion returns authority name v with the application's region (a prefecture or a park) for
// the place it begins with, when that place is the region misread by one character other than its
// first and last (那由市 for 那曲市, 昌部市 for 昌都市) and the rest is an authority's name: fixPlace
// cannot tell 昌部市 from a city of that name elsewhere, the region it is known to be near can.
//
// On a 推荐表, whose recommender is the region's by rule (第十五、十六条), the first character may be
// the one misread too (邢曲市 for 那曲市).
func nearRegion(v, region string, recommender bool) (string, bool) {
	rr, vr := []rune(region), []rune(v)
	if len(rr) < 3 || strings.HasPrefix(v, region) || len(vr) <= len(rr) {
		return v, false
	}
	head := vr[:len(rr)]
	if (head[0] != rr[0] && !recommender) || head[len(rr)-1] != rr[len(rr)-1] || hamming(head, rr) != 1 {
		return v, false
	}
	if w := region + string(vr[len(rr):]); looksLikeAuthority(w) {
		return w, true
	}
	return v, false
}

// firstOfJoint takes the first of the authorities of a jointly issued certificate read as one name
// (西藏自治区科学技术厅西藏自治区财政厅, 高新技术企业证书 print their issuers side by side): a name
// that is an authority's, followed by another authority of the same place. One body whose name
// holds another's (国家税务总局西藏自治区税务局) begins with another place and stays whole.
func firstOfJoint(v string) string {
	rs := []rune(v)
	for i := 5; i+4 <= len(rs); i++ {
		if rs[i-1] != '厅' && rs[i-1] != '局' {
			continue
		}
		rest := rs[i:]
		for len(rest) > 0 && (rest[0] == '厅' || rest[0] == '局') {
			rest = rest[1:] // the end read twice where the seal repeats it
		}
		if len(rest) < 4 || string(rest[:2]) != string(rs[:2]) {
			continue
		}
		if looksLikeAuthority(string(rs[:i])) && looksLikeAuthority(string(rest)) {
			return string(rs[:i])
		}
	}
	return v
}

// authorityOn reads an authority's name on a line: the first of its words that is one (issuers
// printed side by side under their seals), a lone character right before it joined to it (西 藏自治区…:
// a name the reader split); else the whole line, when it is one name and not pieces of seals (words
// of one to three characters far apart: 省 财 … 务总局).
func authorityOn(l *line) (string, evidence, bool) {
	if len(l.words) > 1 {
		// the runes of each word
		first, last := map[int]int{}, map[int]int{}
		for i, wi := range l.at {
			if wi < 0 {
				continue
			}
			if _, ok := first[wi]; !ok {
				first[wi] = i
			}
			last[wi] = i + 1
		}
		for i, w := range l.words {
			from, text := first[i], w.Text
			pw := l.words[max(i-1, 0)]
			if p := []rune(strings.TrimSpace(pw.Text)); i > 0 && len(p) == 1 && normalize.IsHan(p[0]) && w.Box.X0-pw.Box.X1 < max(w.Box.H(), 1) {
				from, text = first[i-1], string(p)+text
			}
			// a name of five characters or more: shorter words among others are pieces of seals
			if v := normalize.Name(text); len([]rune(v)) >= 5 && looksLikeAuthority(v) {
				return v, l.span(from, last[i]), true
			}
		}
	}
	if v := normalize.Name(l.text); looksLikeAuthority(v) && !sealPieces(l) {
		return v, l.span(0, len(l.runes)), true
	}
	return "", evidence{}, false
}

// sealPieces reports whether a line is made of short words with wide gaps between them — glyphs of
// seals' rings read as a row — rather than a printed name.
func sealPieces(l *line) bool {
	if len(l.words) < 2 {
		return false
	}
	for i, w := range l.words {
		if len([]rune(strings.TrimSpace(w.Text))) > 3 {
			return false
		}
		if i > 0 && w.Box.X0-l.words[i-1].Box.X1 < 2*max(w.Box.H(), 1) {
			return false
		}
	}
	return true
}
