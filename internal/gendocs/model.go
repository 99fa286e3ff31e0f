package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"shenbao/extract/normalize"
)

// application is the truth of one synthetic application: the organisation, its figures and its
// documents' contents, before any of it is printed. Documents are drawn from it, so every document of
// a folder agrees with every other (unless a defect says otherwise).
type application struct {
	n    int
	g    *rng
	dir  string // appNN_<slug>
	pref prefecture
	cty  county

	org         string
	typ         orgType
	code        string // the valid credit code
	regNo       string // a 15-digit 注册号 for old-style licences
	legalRep    string
	contact     string
	phone       string
	address     string
	established time.Time
	capital     int64  // registered capital / 开办资金, yuan (whole 万元)
	termEnd     string // YYYY-MM-DD or 长期
	termStart   time.Time
	regAuth     string // the registering authority
	scope       string

	submission  time.Time
	evalYear    int
	recommender string
	platform    string // the platform's own name on the 推荐表, distinct from org

	// The application report's figures (last year = evalYear).
	staffTotal, staffQualified int
	smesLast, smesPrior        int
	satisfaction               float64
	partners                   int
	publicShare                float64
	trainees, events           int
	functions                  []string         // sorted FIELDS.md values claimed
	perFunction                map[string][]int // the figures of each claimed function, in need order
	partnerNames               []string

	audit       auditTruth
	lease       *leaseTruth
	property    *propertyTruth
	recognition []recognitionTruth
	quals       []qualTruth

	defects []string // what is wrong with the folder (defect names)
	notes   []string // the manifest's notes, in plain words

	naming        naming          // how the applicant names its files
	used          map[string]bool // file names taken
	seed          int64
	dealt         map[string]int // cards dealt from each deck (see deal)
	licenceLayout string
}

type auditTruth struct {
	year        int
	firm        string
	opinion     string // unqualified, qualified
	issued      time.Time
	assets      int64 // fen, year end
	liabilities int64
	revenue     int64
	serviceRev  int64
	serviceExp  int64
	prior       [3]int64 // prior year end: assets, liabilities, revenue
	accountant  [2]string
}

type leaseTruth struct {
	lessor       string
	lessorPerson bool // a person rents out the premises
	address      string
	area         float64
	start, end   time.Time
	signed       time.Time
	rent         int64 // yuan per year
}

type propertyTruth struct {
	address  string
	area     float64
	landArea float64
	reg      time.Time
	certNo   string
}

type recognitionTruth struct {
	form   string // notice, list, hightech, specialised, plaque, county
	issuer string
	level  string
	date   time.Time
	title  string
	docNo  string
}

type qualTruth struct {
	form   string // icp-desktop, icp-mobile, licence, certificate (the layout)
	title  string
	issuer string
	level  string
	date   time.Time
	number string
	icp    string
	site   string
	domain string
}

// Defects: what can be wrong with an application, each producing the corpus's warnings when the
// checklist is run on the ground truth.
var defectNames = []string{
	"assets_low", "lease_expired", "young_org", "declaration_unsealed", "missing_evidence",
	"missing_qualification", "missing_recognition", "missing_recommendation", "missing_audit",
	"functions_not_met", "county_recognition", "staff_low", "service_low", "partners_low",
	"public_share_low", "wrong_audit_year", "name_mismatch", "bad_credit_code", "blank_page",
	"misnamed_file", "qualified_opinion", "report_unsealed",
}

func (a *application) has(defect string) bool { return slices.Contains(a.defects, defect) }

func (a *application) note(format string, args ...any) {
	a.notes = append(a.notes, fmt.Sprintf(format, args...))
}

// newApplication draws application n. Defects are dealt from a shuffled deck so a handful of
// applications already shows most of them; application 1 of every seed is clean.
func newApplication(seed int64, n int, deck []string) *application {
	g := newRNG(seed, uint64(n))
	a := &application{n: n, g: g, used: map[string]bool{}, seed: seed, dealt: map[string]int{}}
	a.naming.style = g.intn(5)
	a.pref = prefectures[(n-1+int(seed))%len(prefectures)]
	if n > len(prefectures) {
		a.pref = pick(g, prefectures)
	}
	a.dir = fmt.Sprintf("app%02d_%s", n, a.pref.slug)
	a.cty = pick(g, a.pref.counties)
	if n > 1 {
		a.defects = append(a.defects, deck[(n-2)%len(deck)])
		if g.chance(0.45) {
			d := deck[(n-2+len(deck)/2)%len(deck)]
			if !slices.Contains(a.defects, d) {
				a.defects = append(a.defects, d)
			}
		}
	}

	// Legal forms are dealt too: five companies in every eight applications.
	a.typ = map[string]orgType{"company": company, "institution": institution, "association": association,
		"private": privateNonEn}[a.deal("orgtype", []string{"company", "company", "company", "company", "company",
		"institution", "association", "private"})]
	a.org = g.applicantName(a.typ, a.pref, a.cty)
	a.code = creditCode(g, a.typ, a.cty.code)
	a.regNo = a.cty.code + fmt.Sprintf("%09d", g.intn(1e9))
	a.legalRep = g.person()
	if g.chance(0.35) {
		a.legalRep = g.longTibetan()
	}
	a.contact = g.person()
	a.phone = pick(g, []string{"0891", "0892", "0895", "0894", "0893", "0896", "0897"}) + "-" + itoa(g.between(6000000, 6999999))
	if g.chance(0.5) {
		a.phone = pick(g, []string{"139", "189", "159", "178", "136"}) + fmt.Sprintf("%08d", g.intn(1e8))
	}
	a.address = "西藏自治区" + a.pref.name + a.cty.name + pick(g, streets) + itoa(g.between(1, 280)) + "号"
	if g.chance(0.3) {
		a.address += fmt.Sprintf("%d栋%d层", g.between(1, 9), g.between(1, 16))
	}

	sy := 2024 + g.intn(2)
	a.submission = g.date(ymd(sy, 3, 10), ymd(sy, 6, 28))
	a.evalYear = sy - 1
	a.established = g.date(a.submission.AddDate(-18, 0, 0), a.submission.AddDate(-3, 0, 0))
	if a.typ == company {
		// An old 注册号 licence was issued before 三证合一 (October 2015): such a company is older.
		a.licenceLayout = a.pickLayout("licence.")
		if strings.Contains(a.licenceLayout, "old-regno") {
			a.established = g.date(a.submission.AddDate(-18, 0, 0), ymd(2015, 9, 20))
		}
	}
	if a.has("young_org") {
		a.established = g.date(a.submission.AddDate(-1, -11, 0), a.submission.AddDate(-1, -2, 0))
		a.note("established %s, less than two years before submission (%s)", iso(a.established), iso(a.submission))
	}
	a.capital = int64(pick(g, []int{3, 10, 30, 50, 100, 200, 300, 500, 800, 1000, 1200, 2000})) * 10000
	a.termStart = a.established
	switch a.typ {
	case company:
		a.termEnd = "长期"
		if g.chance(0.5) {
			a.termEnd = iso(a.established.AddDate(g.between(20, 30), 0, -1))
		}
		a.regAuth = a.pref.name + pick(g, []string{"", a.cty.name}) + "市场监督管理局"
		a.scope = pick(g, []string{
			"企业管理咨询；信息咨询服务；会议及展览服务；组织文化艺术交流活动；市场营销策划（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
			"技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；信息系统集成服务；数据处理和存储支持服务",
			"人力资源服务；职业中介活动；业务培训（不含教育培训、职业技能培训等需取得许可的培训）；创业空间服务；财务咨询",
			"电子商务平台服务；互联网销售；供应链管理服务；商务信息咨询；品牌管理；广告设计、代理",
		})
	default:
		a.termStart = g.date(a.submission.AddDate(-4, 0, 0), a.submission.AddDate(-1, 0, 0))
		if a.termStart.Before(a.established) {
			a.termStart = a.established
		}
		a.termEnd = iso(a.termStart.AddDate(5, 0, -1))
		a.regAuth = map[orgType]string{institution: a.pref.name + "事业单位登记管理局", association: a.pref.name + "民政局",
			privateNonEn: a.pref.name + "民政局"}[a.typ]
		a.scope = "开展中小企业政策宣传、业务培训、信息交流、咨询服务，组织技术推广和创业辅导，承办政府部门委托事项。"
		if a.typ != institution {
			a.capital = int64(pick(g, []int{3, 5, 10, 30, 50})) * 10000
		}
	}

	a.recommender = a.pref.bureau()
	if g.chance(0.25) {
		a.recommender = pick(g, a.pref.parks)
	}
	a.platform = pick(g, []string{a.pref.name + "中小企业公共服务平台", a.pref.short + pick(g, brands) + "中小企业服务平台",
		pick(g, brands) + "创业创新服务平台", a.pref.name + "中小企业" + pick(g, []string{"数字化", "融资", "创业", "人才"}) + "服务平台"})

	a.figures()
	a.auditFigures()
	a.premises()
	a.recognitions()
	a.qualifications()
	for i := 0; i < g.between(2, 5); i++ {
		a.partnerNames = append(a.partnerNames, pick(g, banks))
		a.partnerNames = append(a.partnerNames, pick(g, []string{a.pref.short, "西藏"})+pick(g, brands)+pick(g, partnerBiz))
	}
	a.partnerNames = slices.Compact(a.partnerNames)
	return a
}

// creditCode makes a valid GB 32100 code: registration authority and type, the county's division
// code, a 9-character organisation code, and the check character computed by the project's own
// normalize.CreditCheckChar.
func creditCode(g *rng, t orgType, region string) string {
	var org strings.Builder
	if t == company && g.chance(0.8) {
		org.WriteString("MA6")
		for org.Len() < 9 {
			org.WriteByte(normalize.CreditCodeAlphabet[g.intn(len(normalize.CreditCodeAlphabet))])
		}
	} else {
		for org.Len() < 8 {
			org.WriteByte(byte('0' + g.intn(10)))
		}
		org.WriteByte(pick(g, []byte("0123456789X")))
	}
	first := t.codePrefix() + region + org.String()
	c, ok := normalize.CreditCheckChar(first)
	if !ok {
		panic("credit code alphabet: " + first)
	}
	return first + string(c)
}

// badCode changes the check character of a valid code.
func badCode(g *rng, code string) string {
	for {
		c := normalize.CreditCodeAlphabet[g.intn(len(normalize.CreditCodeAlphabet))]
		if c != code[17] {
			return code[:17] + string(c)
		}
	}
}

// figures draws the application report's figures and the functions it claims, meeting the
// thresholds of 第十二条 and 第十三条 unless a defect says otherwise.
func (a *application) figures() {
	g := a.g
	a.staffTotal = g.between(11, 60)
	a.staffQualified = g.between((a.staffTotal*6+9)/10, a.staffTotal)
	if a.has("staff_low") {
		if g.chance(0.5) {
			a.staffTotal = g.between(5, 9)
			a.staffQualified = g.between(3, a.staffTotal)
			a.note("only %d staff serving SMEs (at least 10 needed)", a.staffTotal)
		} else {
			a.staffQualified = g.between(a.staffTotal*3/10, a.staffTotal*55/100)
			a.note("%d of %d staff qualified, under 60%%", a.staffQualified, a.staffTotal)
		}
	}
	a.smesLast = g.between(25, 180)
	a.smesPrior = g.between(a.smesLast*6/10, a.smesLast-1)
	a.satisfaction = float64(g.between(82, 99))
	if g.chance(0.3) {
		a.satisfaction += 0.5
	}
	if a.has("service_low") {
		switch g.intn(3) {
		case 0:
			a.smesLast = g.between(8, 19)
			a.smesPrior = g.between(5, a.smesLast-1)
			a.note("only %d SMEs served in %d", a.smesLast, a.evalYear)
		case 1:
			a.smesPrior = a.smesLast + g.between(0, 12)
			a.note("SMEs served did not grow: %d in %d after %d", a.smesLast, a.evalYear, a.smesPrior)
		default:
			a.satisfaction = float64(g.between(65, 79))
			a.note("satisfaction %.0f%%, under 80%%", a.satisfaction)
		}
	}
	a.partners = g.between(2, 14)
	if a.has("partners_low") {
		a.partners = g.intn(2)
		a.note("%d aggregated service institutions (at least 2 needed)", a.partners)
	}
	a.publicShare = float64(g.between(210, 650)) / 10
	if a.has("public_share_low") {
		a.publicShare = float64(g.between(60, 195)) / 10
		a.note("public-welfare/low-fee share %.1f%%, under 20%%", a.publicShare)
	}

	n := 1 + pickW(g, 30, 35, 20, 15)
	chosen := sample(g, []string{"information", "technology", "startup", "training", "financing"}, n)
	slices.SortFunc(chosen, func(x, y string) int { return fnIndex(x) - fnIndex(y) })
	a.functions = chosen
	a.perFunction = map[string][]int{}
	low := a.has("functions_not_met")
	if low {
		a.note("no claimed function meets 第十三条's thresholds")
	}
	events := 0
	a.trainees = g.between(80, 580)
	for i, f := range chosen {
		weak := low || (i > 0 && g.chance(0.15)) // sometimes one of several claimed functions falls short
		var v []int
		switch f {
		case "information":
			if weak {
				v = []int{g.between(5, 19), g.between(0, 1)}
			} else {
				v = []int{g.between(20, a.smesLast), g.between(2, 9)}
			}
			v[0] = min(v[0], a.smesLast)
			events += v[1]
		case "technology":
			v = []int{pickInt(g, weak, 0, 2, 3, 12)}
			events += v[0]
		case "startup":
			v = []int{pickInt(g, weak, 0, 1, 2, 8)}
			events += v[0]
		case "training":
			v = []int{pickInt(g, weak, 120, 590, 600, 2600)}
			a.trainees = v[0]
		case "financing":
			if weak {
				v = []int{g.between(0, 1), g.between(0, 3)}
			} else {
				v = []int{g.between(2, 7), g.between(2, 6)}
			}
			events += v[0] + v[1]
		}
		a.perFunction[f] = v
	}
	a.events = events + g.between(0, 9)
	if a.events == 0 {
		a.events = 1
	}
}

func pickInt(g *rng, weak bool, wlo, whi, lo, hi int) int {
	if weak {
		return g.between(wlo, whi)
	}
	return g.between(lo, hi)
}

func fnIndex(f string) int {
	for i, x := range functionNames {
		if x.key == f {
			return i
		}
	}
	return -1
}

// splitFen splits total into n positive parts (in fen, rounded to whole yuan except the last).
func splitFen(g *rng, total int64, n int) []int64 {
	w := make([]float64, n)
	sum := 0.0
	for i := range w {
		w[i] = 0.3 + g.r.Float64()
		sum += w[i]
	}
	out := make([]int64, n)
	left := total
	for i := 0; i < n-1; i++ {
		out[i] = int64(float64(total)*w[i]/sum) + int64(g.intn(100))
		left -= out[i]
	}
	out[n-1] = left
	return out
}

func (a *application) auditFigures() {
	g := a.g
	at := &a.audit
	at.year = a.evalYear
	if a.has("wrong_audit_year") {
		at.year = a.evalYear - 1
		a.note("the audit report covers %d, not the evaluation year %d", at.year, a.evalYear)
	}
	at.firm = pick(g, auditFirms)
	at.opinion = "unqualified"
	if a.has("qualified_opinion") {
		at.opinion = "qualified"
		a.note("the audit opinion is qualified (保留意见)")
	}
	at.issued = g.date(ymd(at.year+1, 2, 10), ymd(at.year+1, 4, 25))
	at.assets = int64(g.between(1_200_000, 30_000_000))*100 + int64(g.intn(100))
	if a.has("assets_low") {
		at.assets = int64(g.between(900_000, 998_800))*100 + int64(g.intn(100))
		a.note("audited total assets %s yuan, under the 1,000,000 threshold", commas(at.assets))
	}
	at.liabilities = at.assets * int64(g.between(15, 70)) / 100
	at.revenue = int64(g.between(400_000, 20_000_000))*100 + int64(g.intn(100))
	at.serviceRev = at.revenue * int64(g.between(30, 90)) / 100
	at.serviceExp = at.serviceRev * int64(g.between(40, 90)) / 100
	at.prior = [3]int64{at.assets * int64(g.between(75, 110)) / 100, at.liabilities * int64(g.between(70, 120)) / 100,
		at.revenue * int64(g.between(70, 110)) / 100}
	at.accountant = [2]string{g.person(), g.person()}
}

func (a *application) premises() {
	g := a.g
	if g.chance(0.22) && !a.has("lease_expired") {
		a.property = &propertyTruth{address: a.address, area: float64(g.between(8000, 150000)) / 100,
			reg: g.date(a.established, a.submission.AddDate(0, -2, 0))}
		a.property.landArea = a.property.area * g.betweenF(1.5, 4)
		a.property.certNo = fmt.Sprintf("藏（%d）%s不动产权第%07d号", a.property.reg.Year(), a.pref.name, g.intn(1e6))
		return
	}
	l := &leaseTruth{address: a.address, area: float64(g.between(6000, 160000)) / 100}
	if g.chance(0.3) {
		l.area = float64(g.between(60, 1600))
	}
	if g.chance(0.3) {
		l.lessor, l.lessorPerson = g.person(), true
		if g.chance(0.5) {
			l.lessor = g.longTibetan()
		}
	} else {
		l.lessor = g.otherOrg(a.pref)
	}
	years := g.between(2, 5)
	if a.has("lease_expired") {
		l.end = g.date(a.submission.AddDate(0, -8, 0), a.submission.AddDate(0, 0, -3))
		l.start = l.end.AddDate(-years, 0, 1)
		a.note("the lease ended on %s, before submission", iso(l.end))
	} else {
		l.start = g.date(a.submission.AddDate(-years, 1, 0), a.submission.AddDate(0, -1, 0))
		l.end = l.start.AddDate(years, 0, -1)
	}
	l.signed = l.start.AddDate(0, 0, -g.between(1, 20))
	l.rent = int64(l.area*float64(g.between(300, 900))) / 100 * 100
	a.lease = l
}

func (a *application) recognitions() {
	g := a.g
	if a.has("county_recognition") {
		c := pick(g, a.pref.counties)
		a.recognition = []recognitionTruth{{form: "county", issuer: a.pref.name + c.name + pick(g, []string{"经济和信息化局", "科学技术和工业信息化局", "商务局"}),
			level: "county", date: g.date(a.submission.AddDate(-3, 0, 0), a.submission.AddDate(0, -3, 0)),
			title: c.name + pick(g, []string{"优秀中小企业服务机构", "中小企业服务示范单位"})}}
		a.note("the only recognition is county level (%s)", a.recognition[0].issuer)
		return
	}
	forms := []string{"notice", "list", "plaque"}
	deck := "recognition.other"
	if a.typ == company {
		forms = append(forms, "hightech", "specialised")
		deck = "recognition.company"
	}
	chosen := []string{a.deal(deck, forms)}
	if g.chance(0.3) {
		for _, f := range sample(g, forms, 2) {
			if f != chosen[0] {
				chosen = append(chosen, f)
				break
			}
		}
	}
	for _, f := range chosen {
		r := recognitionTruth{form: f, date: g.date(a.submission.AddDate(-4, 0, 0), a.submission.AddDate(0, -2, 0))}
		switch f {
		case "notice", "list":
			r.issuer, r.level = a.pref.bureau(), "prefecture"
			r.title = a.pref.name + "中小企业公共服务示范平台"
			if g.chance(0.3) {
				r.issuer, r.level = "西藏自治区经济和信息化厅", "autonomous_region"
				r.title = pick(g, []string{"西藏自治区小型微型企业创业创新示范基地", "西藏自治区中小企业服务机构"})
			}
			r.docNo = fmt.Sprintf("%s〔%d〕%d号", pick(g, []string{string([]rune(a.pref.short)[:1]) + "经信发", a.pref.short + "经信字", a.pref.short + "经信"}), r.date.Year(), g.between(3, 120))
			if r.level == "autonomous_region" {
				r.docNo = fmt.Sprintf("藏经信发〔%d〕%d号", r.date.Year(), g.between(3, 120))
			}
		case "hightech":
			// Issued jointly by three bodies; issuer is the first printed (科学技术厅).
			r.issuer, r.level, r.title = "西藏自治区科学技术厅", "autonomous_region", "高新技术企业"
			r.docNo = fmt.Sprintf("GR%d54%06d", r.date.Year(), g.intn(1e6))
		case "specialised":
			r.issuer, r.level, r.title = "西藏自治区经济和信息化厅", "autonomous_region", "西藏自治区专精特新中小企业"
			if g.chance(0.25) {
				r.issuer, r.level, r.title = "中华人民共和国工业和信息化部", "national", "专精特新“小巨人”企业"
			}
			r.docNo = fmt.Sprintf("ZJTX-%d-%04d", r.date.Year(), g.intn(1e4))
		case "plaque":
			r.issuer, r.level = a.pref.name+"科学技术局", "prefecture"
			r.title = a.pref.name + pick(g, []string{"科技企业孵化器", "众创空间", "创业孵化示范基地"})
			if g.chance(0.3) {
				r.issuer, r.level, r.title = "西藏自治区科学技术厅", "autonomous_region", "西藏自治区众创空间"
			}
		}
		a.recognition = append(a.recognition, r)
	}
}

func (a *application) qualifications() {
	g := a.g
	date := g.date(a.submission.AddDate(-5, 0, 0), a.submission.AddDate(0, -2, 0))
	switch form := a.deal("qualification", []string{"icp-desktop", "icp-mobile", "licence", "certificate"}); form {
	case "icp-desktop", "icp-mobile":
		host := pick(g, []string{"xz", "tibet", "lasa", "xzzx", "zf"}) + pick(g, []string{"smefw", "qyfw", "cyfw", "zxqy", "sme"}) + itoa(g.between(1, 99))
		tld := pick(g, []string{".cn", ".com", ".com.cn", ".net"})
		a.quals = []qualTruth{{form: form, date: date, icp: fmt.Sprintf("藏ICP备%d%06d号", date.Year()%100, g.intn(1e6)),
			site: pick(g, []string{a.pref.short + "中小企业服务网", pick(g, brands) + "企业服务平台", a.platform}), domain: host + tld}}
	case "licence":
		q := pick(g, []qualTruth{
			{title: "增值电信业务经营许可证", issuer: "西藏自治区通信管理局", level: "autonomous_region"},
			{title: "人力资源服务许可证", issuer: "西藏自治区人力资源和社会保障厅", level: "autonomous_region"},
			{title: "劳务派遣经营许可证", issuer: "西藏自治区人力资源和社会保障厅", level: "autonomous_region"},
			{title: "增值电信业务经营许可证", issuer: "中华人民共和国工业和信息化部", level: "national"},
		})
		q.form, q.date = "licence", date
		q.number = fmt.Sprintf("藏B2-%d%04d", date.Year(), g.intn(1e4))
		if strings.Contains(q.title, "人力") || strings.Contains(q.title, "劳务") {
			q.number = fmt.Sprintf("藏人社许字〔%d〕%03d号", date.Year(), g.intn(1000))
		}
		a.quals = []qualTruth{q}
	default:
		q := pick(g, []qualTruth{
			{title: "检验检测机构资质认定证书", issuer: "西藏自治区市场监督管理局", level: "autonomous_region"},
			{title: "建筑业企业资质证书", issuer: "西藏自治区住房和城乡建设厅", level: "autonomous_region"},
			{title: "职业技能等级认定机构备案证书", issuer: "西藏自治区人力资源和社会保障厅", level: "autonomous_region"},
		})
		q.form, q.date = "certificate", date
		q.number = fmt.Sprintf("%d%010d", date.Year()%100, g.intn(1e10))
		a.quals = []qualTruth{q}
	}
}
