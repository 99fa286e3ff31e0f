package extract

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"shenbao/doc"
	"shenbao/extract/normalize"
	"shenbao/internal/textdist"
)

// fieldSet collects a segment's fields; the first value set for a name wins. applicant holds the
// names the application declares (Options.Applicant), compared with the names read.
type fieldSet struct {
	m         map[string]doc.Field
	applicant []string
	codes     []string // declared credit codes (Options.Codes)
}

func newFieldSet(applicant []string) *fieldSet {
	return &fieldSet{m: map[string]doc.Field{}, applicant: applicant}
}

func (fs *fieldSet) has(name string) bool { _, ok := fs.m[name]; return ok }

// set records a field read from ev. A zero evidence confidence (text without word confidences)
// counts as 0.5.
func (fs *fieldSet) set(name, value string, ev evidence, flags ...string) {
	if value == "" || fs.has(name) {
		return
	}
	conf := ev.conf
	if conf == 0 {
		conf = 0.5
	}
	for _, f := range flags {
		if f == "check_failed" {
			conf *= 0.5
		}
	}
	if name == "org_name" || name == "lessee" || name == "lessor" || name == "issuer" || name == "audit_firm" {
		value = dropStrayTail(dropRepeatedEnd(value))
	}
	if name == "issuer" {
		value = fixAuthority(fixPlace(firstOfJoint(value)))
	}
	if name == "premises_address" {
		value = dropLeadBeforeProvince(value)
	}
	if name == "premises_address" && unfinishedAddress(value) {
		conf = min(conf, doc.SureConfidence-0.05) // cut short (…（临时经营, …车间二): for a person to complete
	}
	if name == "org_name" || name == "lessee" || name == "lessor" {
		if a, ok := strayGlyph(value, fs.applicant); ok {
			value = a // a seal's glyph read into the declared name's first or last place
			conf *= 0.95
		} else if a, ok := misreadDeclared(value, fs.applicant); ok {
			// The declared name, read with a character or two wrong (雅砻 as 雅奢): shown as the
			// declared name, but below the threshold of certainty, for a person to confirm.
			value = a
			conf = min(conf, doc.SureConfidence-0.05)
			flags = append(flags, "matched_declared")
		}
	}
	fs.m[name] = doc.Field{Name: name, Value: value, Text: ev.text, Confidence: math.Round(conf*1000) / 1000,
		Page: ev.page, Box: ev.pageBox(), Flags: flags}
}

func (fs *fieldSet) list() []doc.Field {
	var out []doc.Field
	for _, f := range fs.m {
		out = append(out, f)
	}
	sortFields(out)
	return out
}

// reader reads one kind's fields.
type reader func(d *document, fs *fieldSet, opt Options)

var readers = map[string]reader{
	"business_licence":         readRegistration,
	"legal_person_certificate": readRegistration,
	"audit_report":             readAudit,
	"premises_lease":           readLease,
	"property_certificate":     readProperty,
	"application_report":       readReport,
	"recommendation_form":      readRecommendation,
	"authenticity_declaration": readDeclaration,
	"prior_recognition":        readRecognition,
	"qualification":            readQualification,
	"service_evidence":         readService,
}

// readFields reads the fields that a document of kind carries.
func readFields(kind string, d *document, opt Options) []doc.Field {
	r := readers[kind]
	if r == nil {
		return nil
	}
	fs := newFieldSet(opt.Applicant)
	fs.codes = opt.Codes
	r(d, fs, opt)
	if f, ok := fs.m["issuer"]; ok {
		if v, near := nearRegion(f.Value, opt.Region, kind == "recommendation_form"); near {
			f.Value, f.Confidence = v, f.Confidence*0.95
			f.Flags = append(f.Flags, "matched_region")
			fs.m["issuer"] = f
		}
	}
	declaredElsewhere(d, fs)
	confirmBySeal(d, fs)
	doubtUnfinished(fs)
	checkValues(fs)
	return fs.list()
}

// declaredElsewhere gives org_name as the declared name when the name read is that name misread
// beyond what misreadDeclared allows (那曲八所贸… for 那曲八廓街商贸…: three characters in thirteen)
// and the document prints the declared name itself on another line: the same name, read well there.
// Below certainty, flagged matched_declared, as a misread declared name is.
func declaredElsewhere(d *document, fs *fieldSet) {
	f, ok := fs.m["org_name"]
	if !ok || slices.Contains(f.Flags, "matched_declared") {
		return
	}
	k := []rune(normalize.Key(f.Value))
	for _, a := range fs.applicant {
		ak := []rune(normalize.Key(a))
		if len(ak) < 6 || string(ak) == string(k) || textdist.Levenshtein(k, ak) > max(2, len(ak)/4) {
			continue
		}
		for _, l := range d.lines {
			if strings.Contains(normalize.Key(l.text), string(ak)) {
				f.Value = normalize.Name(a)
				f.Confidence = min(f.Confidence, doc.SureConfidence-0.05)
				f.Flags = append(f.Flags, "matched_declared")
				fs.m["org_name"] = f
				return
			}
		}
	}
}

// readCreditCode reads the code after its label, else the first well-formed code on the pages,
// checks it and corrects OCR confusions when the reading is doubtful.
func readCreditCode(d *document, fs *fieldSet) {
	v, ev, ok := d.lookup(lbCredit, pCode)
	if !ok {
		for _, l := range d.lines {
			if v, ev, ok = pCode(l, 0, ""); ok && normalize.ValidCreditCode(v) {
				break
			}
			ok = false
		}
	}
	if !ok {
		// a code read in part after its label: the declared code it is part of, not for certain
		if v, ev, ok := d.lookup(lbCredit, pCodePart); ok {
			if a, ok := partOfDeclared(v, fs.codes); ok {
				ev.conf = min(ev.conf, doc.SureConfidence-0.05)
				fs.set("credit_code", a, ev, "matched_declared")
			}
		}
		return
	}
	setCreditCode(fs, v, ev)
}

// partOfDeclared returns the declared code that the code read in part, v, is part of: fourteen of
// its eighteen characters or more, in their order, the others lost (9154062MA6N3DEAC). A code of
// eighteen characters is read whole, right or wrong, and is no part of another.
func partOfDeclared(v string, codes []string) (string, bool) {
	if len(v) < 14 || len(v) >= 18 {
		return "", false
	}
	for _, a := range codes {
		a = normalize.CleanCreditCode(a)
		// v is a's characters in order, the others dropped: its distance from a is the drops alone
		if normalize.ValidCreditCode(a) && textdist.Levenshtein([]rune(v), []rune(a)) == len(a)-len(v) {
			return a, true
		}
	}
	return "", false
}

// setCreditCode records a code read as v. A code that fails its check is corrected only when the
// reading is doubtful — a character that cannot stand where it is, or low word confidence — for a
// clean reading of a wrong code is what the document prints.
func setCreditCode(fs *fieldSet, v string, ev evidence) {
	if normalize.ValidCreditCode(v) {
		fs.set("credit_code", v, ev)
		return
	}
	doubtful := ev.conf > 0 && ev.conf < 0.8
	for i := 0; i < len(v) && !doubtful; i++ {
		if strings.IndexByte(normalize.CreditCodeAlphabet, v[i]) < 0 || (i >= 1 && i <= 7 && (v[i] < '0' || v[i] > '9')) {
			doubtful = true
		}
	}
	if doubtful {
		c, st := normalize.CorrectCreditCode(v)
		if st == normalize.CodeCorrected {
			ev.conf *= 0.8
			fs.set("credit_code", c, ev, "corrected")
			return
		}
		v = c
	}
	fs.set("credit_code", v, ev, "check_failed")
}

// readRegistration reads a business licence or a legal-person certificate.
func readRegistration(d *document, fs *fieldSet, _ Options) {
	if v, ev, ok := d.lookupOrg(lbOrgName, pOrg); ok {
		fs.set("org_name", v, ev)
	}
	readCreditCode(d, fs)
	if v, ev, ok := d.lookup(lbLegalRep, pPerson); ok {
		fs.set("legal_representative", v, ev)
	}
	if v, ev, ok := d.lookup(lbCapital, pAmount); ok {
		fs.set("registered_capital_yuan", v, ev)
	}
	if v, ev, ok := d.lookup(lbEstablished, pDate); ok {
		fs.set("established_date", v, ev)
	}
	if v, ev, ok := d.lookup(lbTerm, pTermEnd); ok {
		fs.set("operating_term_end", v, ev)
	} else if v, ev, ok := d.termWrapped(); ok {
		fs.set("operating_term_end", v, ev)
	} else if v, ev, ok := d.periodAlone(); ok {
		fs.set("operating_term_end", v, ev)
	}
	if v, ev, ok := d.lookupAddress(lbResidence); ok {
		fs.set("premises_address", v, ev)
	}
	// A licence prints its labels letter-spaced (名　　称, 住　　所); a reader may read them apart
	// from their values, or as a column of their own. Then the name is the first line that is an
	// organisation's name, and the address the first that is an address, a stray character of the
	// label (称, 所) before either.
	if !fs.has("org_name") {
		if v, ev, ok := d.firstCell(orgFragments, registeredName); ok {
			fs.set("org_name", v, ev)
		}
	}
	if !fs.has("premises_address") {
		if v, ev, ok := d.firstCell(addressFragments, looksLikeAddress); ok {
			fs.set("premises_address", trimAddressTail(v), ev)
		}
	}
	unlabelled(d, fs)
}

// unlabelled reads the values of a certificate whose labels the reader could not read (printed
// top to bottom, in an artist's hand or under a seal: 统蔡, 囊, 珊 where 法定代表人 stands) by what
// they are: the one cell on the page that is an amount in 元 is the capital; the one that is a
// person's name alone, the legal representative; the one that is a date alone — not a term's start,
// not the date of issue under 登记管理机关 — the date of establishment. A field whose label was read
// is kept; a kind of value found twice or more gives nothing. Read without labels, none is certain.
func unlabelled(d *document, fs *fieldSet) {
	type cand struct {
		v  string
		ev evidence
	}
	var capital, person, date []cand
	issued := false // below the issuing authority: its date of issue
	for _, l := range d.lines {
		if containsExact(l.dense, "登记机关") || containsExact(l.dense, "发证机关") || containsExact(l.dense, "登记管理机关") {
			issued = true
		}
		if strings.ContainsAny(l.text, "至到") || strings.Contains(l.text, "有效期") {
			continue // a term: its dates are its start and end
		}
		for _, c := range lineCells(l) {
			t := strings.TrimSpace(c.text)
			rs := []rune(t)
			switch {
			case len(rs) >= 4 && (strings.HasPrefix(t, "人民币") || strings.HasSuffix(t, "元") || strings.HasSuffix(t, "元整")):
				if v, ev, ok := pAmount(l, c.from, ""); ok && moneyRE.FindString(t) == t {
					capital = append(capital, cand{v, ev})
				}
			case looksLikePerson(t) && !placeName(t):
				person = append(person, cand{t, l.span(c.from, c.to)})
			default:
				if ms := normalize.FindDates(t); len(ms) == 1 && ms[0].Value != normalize.LongTerm && ms[0].End-ms[0].Start >= len(normalize.Fold(t))-1 && !issued {
					date = append(date, cand{ms[0].Value, l.span(c.from, c.to)})
				}
			}
		}
	}
	for _, x := range []struct {
		field string
		cs    []cand
	}{{"registered_capital_yuan", capital}, {"legal_representative", person}, {"established_date", date}} {
		if fs.has(x.field) || len(x.cs) != 1 {
			continue
		}
		ev := x.cs[0].ev
		ev.conf = min(ev.conf, doc.SureConfidence-0.05)
		fs.set(x.field, x.cs[0].v, ev, "unlabelled")
	}
}

// placeName reports whether s ends as the name of a place does (拉萨市, 那曲地区, 城关区).
func placeName(s string) bool {
	for _, suf := range []string{"市", "县", "区", "州", "省", "镇", "乡", "村", "地区"} {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// The characters of letter-spaced labels that a reader leaves before a value.
const (
	orgFragments     = "名称"
	addressFragments = "住所址名称"
)

// firstCell returns the first cell of the document's first 30 lines that ok accepts once the
// characters of frags are stripped from its start (at most two), with lower confidence.
func (d *document) firstCell(frags string, ok func(string) bool) (string, evidence, bool) {
	for i, l := range d.lines {
		if i >= 30 {
			break
		}
		if containsExact(l.dense, "登记机关") || containsExact(l.dense, "监制") || containsExact(l.dense, "公示系统") {
			continue
		}
		for _, t := range lineCells(l) {
			rs := []rune(t.text)
			from := 0
			for from < len(rs) && from < 2 && strings.ContainsRune(frags, rs[from]) {
				from++
			}
			v := normalize.Name(string(rs[from:]))
			if ok(v) {
				ev := l.span(t.from+from, t.to)
				ev.conf *= 0.9
				return v, ev, true
			}
		}
	}
	return "", evidence{}, false
}

// provinces are the names of China's province-level divisions as an address begins with them.
var provinces = func() []string {
	var out []string
	for _, p := range []string{"河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南",
		"湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾"} {
		out = append(out, p+"省")
	}
	return append(out, "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
		"北京市", "天津市", "上海市", "重庆市")
}()

// dropLeadBeforeProvince drops from an address the few characters read before the province it
// begins with — a label's glyphs from the column beside it (所西藏自治区…, 办一统佛囊西藏自治区…):
// at most six, none of them an address's mark or a figure.
func dropLeadBeforeProvince(v string) string {
	for _, p := range provinces {
		i := strings.Index(v, p)
		if i <= 0 {
			continue
		}
		lead := v[:i]
		if utf8.RuneCountInString(lead) > 6 || strings.ContainsAny(lead, "0123456789") {
			return v
		}
		for _, m := range addressMarks {
			if strings.Contains(lead, m) {
				return v
			}
		}
		return v[i:]
	}
	return v
}

// addressMarks are the words of Chinese addresses: administrative units, streets, numbers.
var addressMarks = []string{"省", "市", "区", "县", "镇", "乡", "街道", "路", "街", "巷", "村", "号", "弄", "栋", "幢", "室", "楼", "层"}

// looksLikeAddress reports whether s reads as a postal address: Chinese, at least three of its
// marks, ending as an address or with a street number, and no organisation's name.
func looksLikeAddress(s string) bool {
	rs := []rune(s)
	if len(rs) < 6 || len(rs) > 80 || hanShare(s) < 0.5 || looksLikeOrg(s, true) || strings.ContainsAny(s, "，。；：:") {
		return false
	}
	n := 0
	for _, m := range addressMarks {
		if strings.Contains(s, m) {
			n++
		}
	}
	return n >= 3 && (addressComplete(s) || strings.ContainsAny(s, "路街村"))
}

// flowFind runs re over the document's flowing text and returns group g of the first match.
func (d *document) flowFind(re *regexp.Regexp, g int) (string, evidence, bool) {
	f := d.flow()
	m := re.FindStringSubmatchIndex(f.text)
	if m == nil || m[2*g] < 0 {
		return "", evidence{}, false
	}
	return f.text[m[2*g]:m[2*g+1]], f.evidence(d, m[2*g], m[2*g+1]), true
}

// flowFindAll returns group g of every match of re in the flowing text.
func (d *document) flowFindAll(re *regexp.Regexp, g int) ([]string, []evidence) {
	f := d.flow()
	var vs []string
	var evs []evidence
	for _, m := range re.FindAllStringSubmatchIndex(f.text, -1) {
		if m[2*g] < 0 {
			continue
		}
		vs = append(vs, f.text[m[2*g]:m[2*g+1]])
		evs = append(evs, f.evidence(d, m[2*g], m[2*g+1]))
	}
	return vs, evs
}

// issuerLevel tells the level of government of an issuing body from its name: national
// (国家…, 国务院, a ministry), autonomous_region (西藏自治区…), prefecture (…市, …地区) or county
// (…县, …区 under a city); "" when the name does not tell.
func issuerLevel(name string) string {
	n := normalize.Name(name)
	if n == "" {
		return ""
	}
	for _, p := range []string{"国家", "国务院", "中华人民共和国", "中共中央", "工业和信息化部", "科学技术部",
		"商务部", "财政部", "人力资源和社会保障部", "教育部", "农业农村部"} {
		if strings.HasPrefix(n, p) {
			return "national"
		}
	}
	level := ""
	rest := n
	// the provincial tier (省级): the region itself, any province, autonomous region or
	// municipality directly under the central government — a recognition of another province is of
	// the same level as the region's own
	if m := provinceRE.FindString(n); m != "" {
		level, rest = "autonomous_region", strings.TrimPrefix(n, m)
	}
	rs := []rune(rest)
	for i, r := range rs {
		prev, next := rune(0), rune(0)
		if i > 0 {
			prev = rs[i-1]
		}
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		switch r {
		case '市':
			if next == '场' || i == 0 {
				continue
			}
			level = "prefecture"
		case '州', '盟':
			if i > 0 {
				level = "prefecture"
			}
		case '县', '旗':
			if i > 0 {
				return "county"
			}
		case '区':
			switch prev {
			case '地':
				level = "prefecture"
			case 0, '园', '发', '新', '景', '治', '社', '片', '小', '辖', '城', '矿':
			default:
				return "county"
			}
		}
	}
	if level != "" {
		return level
	}
	if strings.HasSuffix(n, "部") || strings.HasSuffix(n, "总局") {
		return "national"
	}
	if strings.HasPrefix(n, "西藏") && (strings.HasSuffix(n, "厅") || strings.HasSuffix(n, "局")) {
		return "autonomous_region"
	}
	return ""
}

// provinceRE begins the name of a provincial-level body: 西藏自治区, 自治区, 陕西省, 黑龙江省, 广西壮族自治区,
// and the four municipalities.
var provinceRE = regexp.MustCompile(`^(?:\p{Han}{0,6}自治区|\p{Han}{2,3}省|北京市|天津市|上海市|重庆市)`)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// strayGlyph reports whether name is one of the declared names with one character more at its
// start or end — a glyph of a seal stamped over the name, or of the next cell, read into it — and
// returns the declared name as printed. Any other difference is left for the checklist to judge.
func strayGlyph(name string, declared []string) (string, bool) {
	k := []rune(normalize.Key(name))
	if len(k) < 5 {
		return "", false
	}
	for _, a := range declared {
		ak := []rune(normalize.Key(a))
		if len(ak)+1 != len(k) {
			continue
		}
		if string(k[1:]) == string(ak) || string(k[:len(k)-1]) == string(ak) {
			return normalize.Name(a), true
		}
	}
	return "", false
}

// misreadDeclared reports whether name is one of the declared names as a reader misreads a long
// name, and returns the declared name. A reader replaces a character here and there (at most one in
// eight), drops single glyphs of small print (in a name of eight or more, at most one in four, never
// two side by side), cuts a name short at the edge of a seal or a cell (its last one or two
// characters, leaving a name that does not end as a name ends: …有限责任), or runs a stray mark or
// the next cell's figure into its end (…有限公司2行). Words added or left out (有限公司 for
// 有限责任公司, 拉萨市 for 拉萨) are a real difference and do not match.
func misreadDeclared(name string, declared []string) (string, bool) {
	k := []rune(normalize.Key(name))
	for _, a := range declared {
		ak := []rune(normalize.Key(a))
		if len(ak) < 6 || string(ak) == string(k) {
			continue
		}
		// a mark or the next cell's figure run into its end (…有限公司2行): dropStrayTail's cut
		if t := normalize.Key(dropStrayTail(name)); t == string(ak) && len([]rune(t)) < len(k) {
			return normalize.Name(a), true
		}
		if cutShort(k, ak) || droppedGlyphs(k, ak) {
			return normalize.Name(a), true
		}
		switch {
		case len(ak) == len(k):
			if hamming(ak, k) <= max(1, len(ak)/8) {
				return normalize.Name(a), true
			}
		case len(ak) == len(k)+1 && len(ak) >= 8:
			if h := approxFind(ak, k, 1); len(h) > 0 && h[0].start == 0 && h[0].end == len(ak) {
				return normalize.Name(a), true
			}
			// one character dropped inside: the read name is the declared one less a rune
			for i := range ak {
				if string(ak[:i])+string(ak[i+1:]) == string(k) {
					return normalize.Name(a), true
				}
			}
		}
	}
	return "", false
}

// dropStrayTail cuts one or two characters after a name's legal form when they begin with a digit
// or a Latin letter (…有限公司2行: a mark or the next cell's figure): a name goes on after its form
// only with words (…有限公司拉萨分公司) or a bracket.
func dropStrayTail(s string) string {
	rs := []rune(s)
	for n := 1; n <= 2 && n < len(rs); n++ {
		head, tail := string(rs[:len(rs)-n]), rs[len(rs)-n]
		if tail >= 0x80 || !(unicode.IsDigit(tail) || unicode.IsLetter(tail)) {
			continue
		}
		for _, suf := range orgSuffixes {
			if len([]rune(suf)) >= 2 && strings.HasSuffix(head, suf) {
				return head
			}
		}
	}
	return s
}

// cutShort reports whether the read name k is the name ak with its last one or two characters cut
// off, leaving a name that does not end as an organisation's name ends.
func cutShort(k, ak []rune) bool {
	cut := len(ak) - len(k)
	return len(ak) >= 8 && cut <= 2 && unfinishedStart(k, ak)
}

// droppedGlyphs reports whether the read name k is the name ak less single characters here and
// there — at most one in four of a name of eight or more, no two side by side, and none of them
// a word of their own (市, 县, 区, 省: 拉萨 for 拉萨市 is another name, not a misread).
func droppedGlyphs(k, ak []rune) bool {
	drops := len(ak) - len(k)
	if len(ak) < 8 || drops < 1 || drops > len(ak)/4 {
		return false
	}
	// fits(i, j, prevDropped): k[j:] is ak[i:] less single, apart, droppable characters.
	type state struct {
		i, j int
		prev bool
	}
	memo := map[state]bool{}
	var fits func(i, j int, prev bool) bool
	fits = func(i, j int, prev bool) bool {
		if j == len(k) {
			rest := len(ak) - i
			return rest == 0 || (rest == 1 && !prev && !strings.ContainsRune("市县区省", ak[i]))
		}
		if i == len(ak) {
			return false
		}
		st := state{i, j, prev}
		if v, ok := memo[st]; ok {
			return v
		}
		v := (ak[i] == k[j] && fits(i+1, j+1, false)) ||
			(!prev && !strings.ContainsRune("市县区省", ak[i]) && fits(i+1, j, true))
		memo[st] = v
		return v
	}
	return fits(0, 0, false)
}

// registeredName reports whether s reads as the name a licence registers: an organisation's name,
// not an authority's, and not an address that ends in a character of a label (…前八段村所).
func registeredName(s string) bool {
	if !looksLikeOrg(s, true) || looksLikeAuthority(s) {
		return false
	}
	marks := 0
	for _, m := range addressMarks {
		if strings.Contains(s, m) {
			marks++
		}
	}
	if marks < 3 {
		return true
	}
	for _, suf := range orgSuffixes {
		if len([]rune(suf)) >= 2 && strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// trimAddressTail cuts what a reader appended to an address after its last number, room or floor
// (…A214室国市U告: a seal's or a stamp's glyphs): a short tail with letters among its characters and
// no digit, which no part of an address is.
func trimAddressTail(s string) string {
	rs := []rune(s)
	for i := len(rs) - 1; i >= 0 && len(rs)-1-i <= 5; i-- {
		if strings.ContainsRune("号室层楼栋幢座", rs[i]) {
			tail := string(rs[i+1:])
			if tail == "" || strings.ContainsAny(tail, "0123456789（(") {
				return s // a unit's number (5楼V2) or a remark in brackets belongs to the address
			}
			if !strings.ContainsFunc(tail, func(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }) {
				return s // more of the address in words (院内, 东侧)
			}
			return string(rs[:i+1]) // letters among characters, no digit: a stamp's glyphs (国市U告)
		}
	}
	return s
}

// dropRepeatedEnd removes the end of an organisation's name read twice (…管理局局, …信息化部化部), or
// the whole name read twice, as a reader does where a seal's ring repeats the print under it. Names of six characters or more
// only: a person's name may repeat a character (娜娜).
func dropRepeatedEnd(s string) string {
	rs := []rune(s)
	if len(rs) < 6 {
		return s
	}
	// the whole name read twice, a seal's glyph or two between (…培训学校技能昌都市…培训学校): once
	for n := len(rs) / 2; n >= 6; n-- {
		if len(rs)-2*n <= 3 && string(rs[:n]) == string(rs[len(rs)-n:]) {
			return string(rs[:n])
		}
	}
	for n := 3; n >= 1; n-- {
		if len(rs) >= 2*n+4 && string(rs[len(rs)-n:]) == string(rs[len(rs)-2*n:len(rs)-n]) {
			return string(rs[:len(rs)-n])
		}
	}
	return s
}

// addressMarkCount counts the address marks in s.
func addressMarkCount(s string) int {
	n := 0
	for _, m := range addressMarks {
		if strings.Contains(s, m) {
			n++
		}
	}
	return n
}

// unfinishedAddress reports whether an address was visibly cut short: a bracket opened and not
// closed (…（住所申报), or a number in words with nothing after it (…车间二; 首层之七 is whole).
func unfinishedAddress(s string) bool {
	if strings.Count(s, "（")+strings.Count(s, "(") > strings.Count(s, "）")+strings.Count(s, ")") {
		return true
	}
	rs := []rune(s)
	n := len(rs)
	return n > 1 && strings.ContainsRune("一二三四五六七八九十", rs[n-1]) && rs[n-2] != '之'
}

// confirmBySeal takes a name read a few characters off the declared name (the line under a 公章
// is read through the seal's ink) as the declared name when the seal stamped over it reads as the
// declared name too: two readings agree with the declaration where the print alone is in doubt.
// So is the start of the declared name cut off where the seal's ink begins (cutAtSeal). It stays
// below the threshold of certainty, for a person to confirm. Words added or left out
// (wordDifference) are a real difference, whatever the seal says.
func confirmBySeal(d *document, fs *fieldSet) {
	for _, name := range []string{"org_name", "lessee"} {
		f, ok := fs.m[name]
		if !ok {
			continue
		}
		k := []rune(normalize.Key(f.Value))
		for _, a := range fs.applicant {
			ak := []rune(normalize.Key(a))
			if len(ak) < 6 || string(ak) == string(k) {
				continue
			}
			errs := maxErrors(len(ak))
			misread := textdist.Levenshtein(k, ak) <= errs && !wordDifference(k, ak)
			if !(misread || cutAtSeal(k, ak)) || !sealNear(d, f, ak, errs+1) {
				continue
			}
			f.Value = normalize.Name(a)
			f.Confidence = min(f.Confidence, doc.SureConfidence-0.05)
			f.Flags = append(f.Flags, "matched_declared")
			fs.m[name] = f
			break
		}
	}
}

// doubtUnfinished lowers below certainty a name that is not the declared one when it does not end
// as an organisation's name ends (阿里软电国信息: the print read through a seal's ink, or cut short):
// every registered name ends in its form (公司, 中心, 协会, 厂, 店…), so such a reading is for a person
// to check, not another legal person to report.
func doubtUnfinished(fs *fieldSet) {
	for _, name := range []string{"org_name", "lessee"} {
		f, ok := fs.m[name]
		if !ok || f.Confidence < doc.SureConfidence || endsAsName(f.Value) {
			continue
		}
		key := normalize.Key(f.Value)
		if slices.ContainsFunc(fs.applicant, func(a string) bool { return normalize.Key(a) == key }) {
			continue // the declared name, as sure as it was read
		}
		f.Confidence = doc.SureConfidence - 0.05
		f.Flags = append(f.Flags, "unfinished_name")
		fs.m[name] = f
	}
}

// endsAsName reports whether s ends as an organisation's name ends: in one of its forms.
func endsAsName(s string) bool {
	s = strings.TrimRight(s, " ")
	for _, suf := range orgSuffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// cutAtSeal reports whether the read name k is the start of the name ak, cut off where a seal's
// ink begins (申报单位（公章）：西藏珠峰财税服 under the 公章): at least half of it and four characters,
// ending where no organisation's name ends. Only a seal that reads ak confirms it (confirmBySeal).
func cutAtSeal(k, ak []rune) bool {
	return len(k) >= 4 && 2*len(k) >= len(ak) && unfinishedStart(k, ak)
}

// unfinishedStart reports whether k is the start of ak, shorter, ending where no organisation's
// name ends.
func unfinishedStart(k, ak []rune) bool {
	return len(k) < len(ak) && string(ak[:len(k)]) == string(k) && !endsAsName(string(k))
}

// sealNear reports whether a seal on f's page, over or beside f's box, reads as the name ak with
// at most k errors.
func sealNear(d *document, f doc.Field, ak []rune, k int) bool {
	for pi, pg := range d.pages {
		num := pg.Number
		if num == 0 {
			num = pi + 1
		}
		if num != f.Page {
			continue
		}
		for _, st := range pg.SealTexts {
			b := st.Box
			mx, my := (b.X1-b.X0)/2, (b.Y1-b.Y0)/2
			if f.Box.X1 < b.X0-mx || f.Box.X0 > b.X1+mx || f.Box.Y1 < b.Y0-my || f.Box.Y0 > b.Y1+my {
				continue
			}
			if len(approxFind([]rune(normalize.Key(st.Text)), ak, k)) > 0 {
				return true
			}
		}
	}
	return false
}

// termWrapped reads a term whose end date wrapped onto the next line of its cell (营业期限2022年09月01日至
// 2052年08 / 月31日): the line under the label's value, begun within its column, completes it.
func (d *document) termWrapped() (string, evidence, bool) {
	for _, h := range d.findLabel(lbTerm) {
		from, _ := h.valueStart()
		rest := string(h.l.runes[min(from, len(h.l.runes)):])
		i := strings.LastIndexAny(rest, "至到")
		if i < 0 || len(normalize.FindDates(rest[i:])) > 0 {
			continue
		}
		vb := h.l.span(from, len(h.l.runes)).box
		for _, n := range d.below(h) {
			if n.box.Y0-vb.Y1 > vb.H() || n.box.X0 < vb.X0-vb.H() || n.box.X0 > vb.X1 {
				continue
			}
			joined := rest[i:] + string(n.dense)
			if ms := normalize.FindDates(joined); len(ms) > 0 && ms[0].Start <= len("至") {
				ev := h.l.span(from, len(h.l.runes))
				ev.box = ev.box.Union(n.box)
				ev.conf *= 0.9
				return ms[0].Value, ev, true
			}
		}
	}
	return "", evidence{}, false
}

// periodAlone reads a registration's term from a line that is nothing but a period (自2022.10.20至
// 2027.10.19), its label lost: the one period a licence or certificate prints is its term.
func (d *document) periodAlone() (string, evidence, bool) {
	for _, l := range d.lines {
		t := strings.TrimPrefix(strings.TrimSpace(l.text), "自")
		ms := normalize.FindDates(t)
		if len(ms) != 2 || ms[0].Start != 0 || ms[1].End != len(t) {
			continue
		}
		if mid := strings.TrimSpace(t[ms[0].End:ms[1].Start]); mid != "至" && mid != "到" && mid != "-" && mid != "—" {
			continue
		}
		ev := l.span(0, len(l.runes))
		ev.conf *= 0.8
		return ms[1].Value, ev, true
	}
	return "", evidence{}, false
}
