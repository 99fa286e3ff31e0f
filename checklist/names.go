package checklist

import (
	"fmt"
	"shenbao/doc"
	"strings"
	"unicode"
)

// foldWidth turns full-width ASCII (Ａ１（) and the ideographic space into their half-width forms.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '\uFF01' && r <= '\uFF5E':
			return r - 0xFEE0
		}
		return r
	}, s)
}

// normName is a name as compared: full-width folded to half-width, letters upper-cased, and spaces,
// punctuation (brackets of either width included) and symbols removed.
func normName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, foldWidth(s))
}

// names raises name_mismatch for every document whose org_name or lessee differs from the registered
// name: the org_name of the applicant's 营业执照/法人证书 (registered), or without one, of the 申请报告.
// While the application records a name, the other registration documents are compared with that
// record instead (application: other_registration, application_mismatch).
// 第十二条（一）具有独立法人资格: all materials must be of the same legal person.
func (f *facts) names(ws *warnings) {
	ref, ok := f.registered()
	if !ok {
		if ref, ok = first(f.reports(), "org_name"); !ok {
			return
		}
	}
	// A name that is the one the application records is the applicant's, even where the reference
	// was read a character off.
	want, recorded := normName(ref.f.Value), normName(f.app.OrgName)
	for _, d := range f.docs {
		if f.app.OrgName != "" && d != ref.d && (d.Kind == kindLicence || d.Kind == kindCertificate) {
			continue
		}
		var bad []value
		seen := map[string]bool{}
		for _, name := range []string{"org_name", "lessee"} {
			v, ok := d.get(name)
			if !ok || (d == ref.d && name == "org_name") {
				continue
			}
			if n := normName(v.f.Value); n != want && n != recorded && !seen[n] {
				seen[n] = true
				bad = append(bad, v)
			}
		}
		for _, v := range bad {
			if v.f.Confidence < doc.SureConfidence || ref.f.Confidence < doc.SureConfidence {
				// 第十二条（一）: a mismatch is raised only on names read with confidence; a doubtful
				// reading is for a person to check.
				ws.add(Warning{Code: CodeNameUnsure, Severity: Attention, Article: article12(1),
					Message: fmt.Sprintf("%s：%s上的单位名称读作“%s”，与%s上的“%s”不同，但识别把握不足，请核对原件。%s",
						article12(1), docName(d), v.f.Value, docName(ref.d), ref.f.Value, v.onPage()),
					Evidence: []Evidence{v.evidence(), ref.evidence()}})
				continue
			}
			if nearMiss(normName(v.f.Value), want) {
				ws.add(Warning{Code: CodeNameNearMiss, Severity: Attention, Article: article12(1),
					Message: fmt.Sprintf("%s：%s上的单位名称读作“%s”，与%s上的“%s”仅有个别字不同，可能是识别误差，请核对原件。%s",
						article12(1), docName(d), v.f.Value, docName(ref.d), ref.f.Value, v.onPage()),
					Evidence: []Evidence{v.evidence(), ref.evidence()}})
				continue
			}
			ws.add(Warning{Code: CodeNameMismatch, Severity: Attention, Article: article12(1),
				Message: fmt.Sprintf("%s：%s上的单位名称“%s”与%s上的“%s”不一致。%s",
					article12(1), docName(d), v.f.Value, docName(ref.d), ref.f.Value, v.onPage()),
				Evidence: []Evidence{v.evidence(), ref.evidence()}})
		}
	}
}

// nearMiss reports whether two names differ only as a misread does — a few characters put in each
// other's place (雅砻 read as 雅著), or in a long name one glyph the reader dropped or added (雅砻 read
// as 雅) — rather than by words added or left out (有限公司 for 有限责任公司), which is a real
// difference. At most one character in eight may differ, and of those at most one dropped or added,
// in a name of eight characters or more.
func nearMiss(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 || len(rb) == 0 || a == b {
		return false
	}
	if len(ra) == len(rb) {
		return hamming(ra, rb) <= max(1, len(ra)/8)
	}
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	if len(ra)-len(rb) != 1 || len(rb) < 8 {
		return false
	}
	// ra is rb with one rune more: skip it where the two first part, then count substitutions
	i := 0
	for i < len(rb) && ra[i] == rb[i] {
		i++
	}
	best := len(ra)
	for k := 0; k <= i && k < len(ra); k++ { // the extra rune at k
		diff := 0
		for j := range rb {
			x := j
			if j >= k {
				x = j + 1
			}
			if ra[x] != rb[j] {
				diff++
			}
		}
		best = min(best, diff)
	}
	return 1+best <= max(1, len(ra)/8)
}

// registered is the org_name of the applicant's 营业执照/法人证书: while the application records a name,
// the first one that bears it (or a misread of it), and none if none does (another organisation's
// licence is not the applicant's); without a recorded name, the first one stating a name.
func (f *facts) registered() (value, bool) {
	regs := f.ofKind(kindLicence, kindCertificate)
	want := normName(f.app.OrgName)
	if want == "" {
		return first(regs, "org_name")
	}
	for _, d := range regs {
		if v, ok := d.get("org_name"); ok {
			if n := normName(v.f.Value); n == want || nearMiss(n, want) {
				return v, true
			}
		}
	}
	return value{}, false
}

// application compares every 营业执照/法人证书 with the name and credit code the application was
// registered with in the service. 第十二条（一）具有独立法人资格: the materials must be the applicant's own.
//
// A registration document whose name differs from the record's by more than a misread (nearMiss) and
// whose credit code is not the record's is another organisation's: other_registration, for a person
// to check (需要核实), whether the name was read with confidence or not. When only the name differs and
// the code is the record's, or only the code differs and the name is the record's (or a misread of
// it), the document is the applicant's and the record is probably wrong: application_mismatch, a note.
func (f *facts) application(ws *warnings) {
	want, wantCode := normName(f.app.OrgName), normCode(f.app.CreditCode)
	for _, d := range f.ofKind(kindLicence, kindCertificate) {
		name, hasName := d.get("org_name")
		code, hasCode := d.get("credit_code")
		sameName := hasName && want != "" && normName(name.f.Value) == want
		nearName := hasName && want != "" && nearMiss(normName(name.f.Value), want)
		sameCode := hasCode && wantCode != "" && normCode(code.f.Value) == wantCode
		otherCode := hasCode && wantCode != "" && !sameCode
		switch {
		case hasName && want != "" && !sameName && !nearName && !sameCode:
			ev := []Evidence{name.evidence()}
			why := ""
			if otherCode {
				why = fmt.Sprintf("，统一社会信用代码 %s 也与申报登记的 %s 不同", code.f.Value, f.app.CreditCode)
				ev = append(ev, code.evidence())
			}
			ws.add(Warning{Code: CodeOtherRegistration, Severity: Attention, Article: article12(1),
				Message: fmt.Sprintf("%s：%s上的单位名称“%s”与申报单位“%s”不同%s，可能是其他单位的证照，请核实。%s",
					article12(1), docName(d), name.f.Value, f.app.OrgName, why, name.onPage()),
				Evidence: ev})
			continue
		case hasName && want != "" && !sameName:
			ws.add(Warning{Code: CodeApplicationMismatch, Severity: Note, Article: article12(1),
				Message:  fmt.Sprintf("申报登记的单位名称“%s”与%s上的“%s”不一致。", f.app.OrgName, docName(d), name.f.Value),
				Evidence: []Evidence{name.evidence()}})
		}
		if otherCode {
			ws.add(Warning{Code: CodeApplicationMismatch, Severity: Note, Article: article12(1),
				Message:  fmt.Sprintf("申报登记的统一社会信用代码 %s 与%s上的 %s 不一致。", f.app.CreditCode, docName(d), code.f.Value),
				Evidence: []Evidence{code.evidence()}})
		}
	}
}

// normCode is a credit code as compared: half-width, upper case, without spaces.
func normCode(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, foldWidth(s))
}

// creditCheck returns the check character that the first 17 characters of code call for, and false if
// code is not 18 characters of the alphabet.
func creditCheck(code string) (byte, bool) {
	code = normCode(code)
	if len(code) != 18 || strings.IndexByte(doc.CreditCodeAlphabet, code[17]) < 0 {
		return 0, false
	}
	return doc.CreditCheckChar(code[:17])
}

// ValidCreditCode reports whether code is a well-formed 统一社会信用代码 whose last character is the
// check character of GB 32100-2015. Spaces and full-width characters are tolerated.
func ValidCreditCode(code string) bool { return doc.ValidCreditCode(normCode(code)) }

// creditType describes the registering authority and organisation type of a code's first two
// characters (GB 32100-2015 表1), for the types an applicant may be.
var creditType = map[string]string{
	"11": "机关", "12": "事业单位", "13": "中央编办直接管理机构编制的群众团体", "19": "其他机构编制单位",
	"51": "社会团体", "52": "民办非企业单位", "53": "基金会", "59": "其他民政登记单位",
	"91": "企业", "92": "个体工商户", "93": "农民专业合作社",
}

// creditCodes raises bad_credit_code for every credit code on a document that fails the GB 32100
// check, and notes of this package's own: a code that differs from the one on the 营业执照/法人证书
// (credit_code_mismatch), a registration document whose code's type does not fit it
// (credit_code_type: 91… on a 营业执照, 12… 事业单位 or 51–53 社会组织 on a 法人证书), and a code
// registered outside Tibet (credit_code_region: characters 3–4 are not 54).
// 第十二条（一）具有独立法人资格.
func (f *facts) creditCodes(ws *warnings) {
	regs := f.ofKind(kindLicence, kindCertificate)
	ref, hasRef := first(regs, "credit_code")
	if f.app.OrgName != "" {
		// The applicant's own registration document, not another organisation's.
		hasRef = false
		if r, ok := f.registered(); ok {
			ref, hasRef = r.d.get("credit_code")
		}
	}
	for _, d := range f.docs {
		v, ok := d.get("credit_code")
		if !ok {
			continue
		}
		other := f.app.OrgName != "" && d != ref.d && (d.Kind == kindLicence || d.Kind == kindCertificate)
		code := normCode(v.f.Value)
		if c, ok := creditCheck(code); (!ok || code[17] != c) && !misreadOf(code, f.validCodes(ref, hasRef)) {
			why := "格式不正确（应为18位数字或大写字母，不含 I、O、S、V、Z）"
			if ok {
				why = fmt.Sprintf("校验位错误（按 GB 32100-2015 应为 %c）", c)
			}
			ws.add(Warning{Code: CodeBadCreditCode, Severity: Attention, Article: article12(1),
				Message: fmt.Sprintf("%s：%s上的统一社会信用代码 %s %s。%s",
					article12(1), docName(d), v.f.Value, why, v.onPage()),
				Evidence: []Evidence{v.evidence()}})
		}
		if hasRef && d != ref.d && !other && code != normCode(ref.f.Value) {
			ws.add(Warning{Code: CodeCreditCodeMismatch, Severity: Note, Article: article12(1),
				Message: fmt.Sprintf("%s上的统一社会信用代码 %s 与%s上的 %s 不一致。%s",
					docName(d), v.f.Value, docName(ref.d), ref.f.Value, v.onPage()),
				Evidence: []Evidence{v.evidence(), ref.evidence()}})
		}
	}
	if !hasRef {
		return
	}
	code := normCode(ref.f.Value)
	if len(code) != 18 {
		return
	}
	typ, known := creditType[code[:2]]
	if !known {
		typ = "代码 " + code[:2] + " 所示类型"
	}
	switch {
	case ref.d.Kind == kindLicence && code[0] != '9':
		ws.add(Warning{Code: CodeCreditCodeType, Severity: Note, Article: article12(1),
			Message: fmt.Sprintf("营业执照上的统一社会信用代码以 %s 开头，表示%s，而营业执照应为工商登记的 9 开头代码。%s",
				code[:2], typ, ref.see()),
			Evidence: []Evidence{ref.evidence()}})
	case ref.d.Kind == kindLicence && code[:2] == "92":
		ws.add(Warning{Code: CodeCreditCodeType, Severity: Note, Article: article12(1),
			Message:  fmt.Sprintf("统一社会信用代码以 92 开头，表示个体工商户，不具有独立法人资格。%s", ref.see()),
			Evidence: []Evidence{ref.evidence()}})
	case ref.d.Kind == kindCertificate && code[0] == '9':
		ws.add(Warning{Code: CodeCreditCodeType, Severity: Note, Article: article12(1),
			Message: fmt.Sprintf("法人证书上的统一社会信用代码以 %s 开头，表示%s，应提交营业执照。%s",
				code[:2], typ, ref.see()),
			Evidence: []Evidence{ref.evidence()}})
	}
	if code[2:4] != "54" {
		ws.add(Warning{Code: CodeCreditCodeRegion, Severity: Note, Article: article12(1),
			Message: fmt.Sprintf("统一社会信用代码 %s 的登记管理机关行政区划码为 %s，不在西藏自治区（54）。%s",
				ref.f.Value, code[2:8], ref.see()),
			Evidence: []Evidence{ref.evidence()}})
	}
}

// validCodes are the applicant's credit codes known good: the registration document's and the
// application's, where they pass their check.
func (f *facts) validCodes(ref value, hasRef bool) []string {
	var out []string
	for _, c := range []string{f.app.CreditCode, map[bool]string{true: ref.f.Value}[hasRef]} {
		c = normCode(c)
		if k, ok := creditCheck(c); ok && c[17] == k {
			out = append(out, c)
		}
	}
	return out
}

// misreadOf reports whether code, which fails its check, is one of the good codes with one or two
// characters of its body misread (a seal's ink over a 3 reads 8) and its check character the same:
// the applicant's code read badly on another document, not a bad code printed there (a code
// written wrong shows a wrong check character). The code that differs is reported as a mismatch
// note.
func misreadOf(code string, good []string) bool {
	for _, g := range good {
		if len(g) != len(code) || g == code || g[len(g)-1] != code[len(code)-1] {
			continue
		}
		if hamming([]rune(g), []rune(code)) <= 2 {
			return true
		}
	}
	return false
}

// hamming counts the places where two equally long rune slices differ.
func hamming(a, b []rune) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}
