package checklist

import (
	"slices"
	"time"

	"shenbao/doc"
)

// code17 completes 17 characters with their GB 32100 check character.
func code17(s string) string {
	c, ok := creditCheck(s + "0")
	if !ok {
		panic("bad credit code prefix " + s)
	}
	return s + string(c)
}

var (
	testName = "西藏雪域检验检测技术有限公司"
	testCode = code17("91540102MA6TKJPG5")
	testDate = time.Date(2024, 5, 26, 0, 0, 0, 0, time.UTC)
)

// fixture is an application being edited by a test.
type fixture struct {
	app  Application
	docs []Document
}

func field(name, value string) doc.Field { return doc.Field{Name: name, Value: value, Confidence: 1} }

func document(id, file, kind string, pages int, kv ...string) Document {
	d := Document{ID: id, FileName: file, Kind: kind}
	for i := 0; i+1 < len(kv); i += 2 {
		d.Fields = append(d.Fields, field(kv[i], kv[i+1]))
	}
	for n := 1; n <= pages; n++ {
		d.Pages = append(d.Pages, PageInfo{Number: n})
	}
	return d
}

// clean is a complete application that meets every condition and raises no warning; it claims the
// startup and financing functions.
func clean() *fixture {
	return &fixture{
		app: Application{ID: "clean", OrgName: testName, CreditCode: testCode, SubmissionDate: testDate, EvaluationYear: 2023},
		docs: []Document{
			document("d01", "01_申请报告.pdf", kindReport, 3,
				"org_name", testName, "credit_code", testCode, "established_date", "2017-02-22",
				"total_assets_yuan", "10102709.34", "staff_total", "19", "staff_qualified", "18",
				"smes_served_last_year", "63", "smes_served_prior_year", "55", "satisfaction_pct", "93",
				"partner_institutions", "4", "public_service_share_pct", "39.4", "service_events_last_year", "10",
				"trainees_last_year", "321", "functions", "financing,startup", "has_seal", "true",
				FieldStartupEvents, "3", FieldFinancingMatchmaking, "5", FieldFinancingLectures, "2"),
			document("d02", "02_营业执照.jpg", kindLicence, 1,
				"org_name", testName, "credit_code", testCode, "established_date", "2017-02-22",
				"operating_term_end", "长期", "registered_capital_yuan", "5000000"),
			document("d03", "03_审计报告.pdf", kindAudit, 5,
				"org_name", testName, "audit_year", "2023", "audit_opinion", "unqualified",
				"total_assets_yuan", "10102709.34"),
			document("d04", "04_租赁合同.pdf", kindLease, 2,
				"org_name", testName, "lessee", testName, "lease_start", "2021-12-04", "lease_end", "2026-12-03"),
			document("d05", "IMG_20240428_155124.jpg", kindEvidence, 1, "org_name", testName),
			document("d06", "06_示范平台认定文件.jpg", kindRecognition, 1,
				"org_name", testName, "issuer", "拉萨市经济和信息化局", "issuer_level", "prefecture",
				"title", "拉萨市中小企业公共服务示范平台"),
			document("d07", "07_ICP备案截图.png", kindQualification, 1,
				"org_name", testName, "icp_record", "藏ICP备20251918号"),
			document("d08", "08_真实性声明.jpg", kindDeclaration, 1,
				"org_name", testName, "credit_code", testCode, "has_seal", "true"),
			document("d09", "00_推荐表.jpg", kindRecommend, 1,
				"org_name", testName, "functions", "financing,startup", "has_seal", "true"),
		},
	}
}

func (f *fixture) evaluate() Report { return Evaluate(f.app, f.docs, testDate) }

// doc returns the first document of a kind.
func (f *fixture) doc(kind string) *Document {
	for i := range f.docs {
		if f.docs[i].Kind == kind {
			return &f.docs[i]
		}
	}
	panic("no document of kind " + kind)
}

// set sets (or adds) a field on the first document of a kind.
func (f *fixture) set(kind, name, value string) *fixture {
	d := f.doc(kind)
	for i := range d.Fields {
		if d.Fields[i].Name == name {
			d.Fields[i].Value = value
			return f
		}
	}
	d.Fields = append(d.Fields, field(name, value))
	return f
}

// unset removes a field from the first document of a kind.
func (f *fixture) unset(kind, name string) *fixture {
	d := f.doc(kind)
	d.Fields = slices.DeleteFunc(d.Fields, func(fl doc.Field) bool { return fl.Name == name })
	return f
}

// drop removes every document of a kind.
func (f *fixture) drop(kind string) *fixture {
	f.docs = slices.DeleteFunc(f.docs, func(d Document) bool { return d.Kind == kind })
	return f
}

func (f *fixture) add(d Document) *fixture {
	f.docs = append(f.docs, d)
	return f
}

// codes returns every warning code of a report, sorted and unique.
func codes(r Report) []string {
	out := []string{}
	for _, w := range r.Warnings {
		out = append(out, w.Code)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func verdict(r Report, key string) Verdict {
	for _, v := range r.Verdicts {
		if v.Key == key {
			return v
		}
	}
	panic("no verdict " + key)
}
