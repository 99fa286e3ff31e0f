package checklist

import (
	"shenbao/doc"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCleanApplication(t *testing.T) {
	r := clean().evaluate()
	for _, v := range r.Verdicts {
		want := Pass
		if v.Key == C13Information || v.Key == C13Technology || v.Key == C13Training {
			want = Fail // not claimed
		}
		if v.Outcome != want {
			t.Errorf("%s: got %s; want %s (%+v)", v.Key, v.Outcome, want, v.Checks)
		}
	}
	if got := codes(r); len(got) != 0 {
		t.Errorf("warnings: got %v; want none", got)
	}
}

// ruleCase edits the clean application and expects one verdict and the report's exact warning codes.
type ruleCase struct {
	name  string
	edit  func(f *fixture)
	key   string
	want  Outcome
	codes []string
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := clean()
			tc.edit(f)
			r := f.evaluate()
			v := verdict(r, tc.key)
			if v.Outcome != tc.want {
				t.Errorf("%s: got %s; want %s\nchecks: %+v", tc.key, v.Outcome, tc.want, v.Checks)
			}
			want := tc.codes
			if want == nil {
				want = []string{}
			}
			if diff := cmp.Diff(want, codes(r)); diff != "" {
				for _, w := range r.Warnings {
					t.Logf("%s: %s", w.Code, w.Message)
				}
				t.Errorf("warning codes (-want +got):\n%s", diff)
			}
		})
	}
}

// setEstablished sets the established date on the licence and the application report.
func setEstablished(date string) func(*fixture) {
	return func(f *fixture) {
		f.set(kindLicence, "established_date", date).set(kindReport, "established_date", date)
	}
}

func submittedOn(date string, edit func(*fixture)) func(*fixture) {
	return func(f *fixture) {
		t, err := time.Parse(time.DateOnly, date)
		if err != nil {
			panic(err)
		}
		f.app.SubmissionDate = t
		edit(f)
	}
}

// 第十二条（一）：运营两年以上，资产总额不低于100万元。
func TestC12_1(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"exactly two years", setEstablished("2022-05-26"), C12_1, Pass, nil},
		{"one day short of two years", setEstablished("2022-05-27"), C12_1, Fail, []string{CodeOperatingUnderTwo}},
		{"29 February, two years on 28 February", submittedOn("2022-02-28", setEstablished("2020-02-29")), C12_1, Pass, nil},
		{"29 February, a day short", submittedOn("2022-02-27", setEstablished("2020-02-29")), C12_1, Fail,
			[]string{CodeOperatingUnderTwo}},
		{"established only in the application report", func(f *fixture) { f.unset(kindLicence, "established_date") },
			C12_1, Undeterminable, nil},
		{"established date unreadable", func(f *fixture) { f.set(kindLicence, "established_date", "2017年") },
			C12_1, Undeterminable, nil},
		{"legal person certificate counts", func(f *fixture) {
			f.doc(kindLicence).Kind = kindCertificate
			f.doc(kindCertificate).FileName = "02_法人证书.jpg"
			recode(f, code17("12540222682333750"))
			f.set(kindCertificate, "established_date", "2022-05-27")
		}, C12_1, Fail, []string{CodeOperatingUnderTwo}},
		{"assets exactly 1,000,000 yuan", func(f *fixture) { f.set(kindAudit, "total_assets_yuan", "1000000") },
			C12_1, Pass, nil},
		{"assets one cent short", func(f *fixture) { f.set(kindAudit, "total_assets_yuan", "999999.99") },
			C12_1, Fail, []string{"below_threshold:total_assets_yuan"}},
		{"assets float noise rounds to the cent", func(f *fixture) { f.set(kindAudit, "total_assets_yuan", "999999.999") },
			C12_1, Pass, nil},
		{"assets only in the application report", func(f *fixture) { f.unset(kindAudit, "total_assets_yuan") },
			C12_1, Undeterminable, nil},
		{"application report's figure does not count", func(f *fixture) {
			f.set(kindAudit, "total_assets_yuan", "997650.42").set(kindReport, "total_assets_yuan", "1200000")
		}, C12_1, Fail, []string{"below_threshold:total_assets_yuan"}},
		{"audit of the wrong year", func(f *fixture) { f.set(kindAudit, "audit_year", "2022") },
			C12_1, Undeterminable, []string{CodeWrongAuditYear}},
		{"wrong year below threshold raises only the year", func(f *fixture) {
			f.set(kindAudit, "audit_year", "2022").set(kindAudit, "total_assets_yuan", "500000")
		}, C12_1, Undeterminable, []string{CodeWrongAuditYear}},
		{"audit without a year", func(f *fixture) { f.unset(kindAudit, "audit_year") }, C12_1, Undeterminable, nil},
		{"an audit of each year", func(f *fixture) {
			f.set(kindAudit, "audit_year", "2022").set(kindAudit, "total_assets_yuan", "500000")
			f.add(document("d10", "审计报告2023.pdf", kindAudit, 3, "audit_year", "2023", "total_assets_yuan", "2000000"))
		}, C12_1, Pass, nil},
		{"assets on an illegible page", func(f *fixture) {
			d := f.doc(kindAudit)
			d.Pages[2].Illegible = true
			for i := range d.Fields {
				if d.Fields[i].Name == "total_assets_yuan" {
					d.Fields[i].Page = 3
				}
			}
		}, C12_1, Undeterminable, []string{CodeUnreadablePage}},
		{"no audit report", func(f *fixture) { f.drop(kindAudit) }, C12_1, Undeterminable, []string{"missing_item:3"}},
		{"fail beats undeterminable", func(f *fixture) {
			setEstablished("2023-01-01")(f)
			f.drop(kindAudit)
		}, C12_1, Fail, []string{"missing_item:3", CodeOperatingUnderTwo}},
		{"evaluation year defaults to the year before submission", func(f *fixture) { f.app.EvaluationYear = 0 },
			C12_1, Pass, nil},
	})
}

// 第十二条（二）：年服务中小企业20家以上，用户满意度在80%以上，近两年服务企业数量稳步增长。
func TestC12_2(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"exactly 20 SMEs", func(f *fixture) {
			f.set(kindReport, "smes_served_last_year", "20").set(kindReport, "smes_served_prior_year", "19")
		}, C12_2, Pass, nil},
		{"19 SMEs", func(f *fixture) {
			f.set(kindReport, "smes_served_last_year", "19").set(kindReport, "smes_served_prior_year", "18")
		}, C12_2, Fail, []string{"below_threshold:smes_served_last_year"}},
		{"satisfaction exactly 80%", func(f *fixture) { f.set(kindReport, "satisfaction_pct", "80") }, C12_2, Pass, nil},
		{"satisfaction 79.9%", func(f *fixture) { f.set(kindReport, "satisfaction_pct", "79.9") },
			C12_2, Fail, []string{"below_threshold:satisfaction_pct"}},
		{"same as the year before", func(f *fixture) { f.set(kindReport, "smes_served_prior_year", "63") },
			C12_2, Fail, []string{CodeNoGrowth}},
		{"fewer than the year before", func(f *fixture) { f.set(kindReport, "smes_served_prior_year", "64") },
			C12_2, Fail, []string{CodeNoGrowth}},
		{"year before unknown", func(f *fixture) { f.unset(kindReport, "smes_served_prior_year") },
			C12_2, Undeterminable, nil},
		{"service evidence totals do not count", func(f *fixture) {
			f.unset(kindReport, "smes_served_last_year")
			f.set(kindEvidence, "smes_served_last_year", "63")
		}, C12_2, Undeterminable, nil},
		{"no application report", func(f *fixture) { f.drop(kindReport) }, C12_2, Undeterminable,
			[]string{"missing_item:1"}},
	})
}

// 第十二条（三）：有固定的经营服务场所；集聚服务机构2家以上。
func TestC12_3(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"lease ends on the submission date", func(f *fixture) { f.set(kindLease, "lease_end", "2024-05-26") },
			C12_3, Pass, nil},
		{"lease ended the day before", func(f *fixture) { f.set(kindLease, "lease_end", "2024-05-25") },
			C12_3, Fail, []string{CodeExpiredLease}},
		{"expired lease beside a property certificate", func(f *fixture) {
			f.set(kindLease, "lease_end", "2024-01-28")
			f.add(document("d10", "房产证.jpg", kindProperty, 1, "org_name", testName, "lessee", testName))
		}, C12_3, Pass, []string{CodeExpiredLease}},
		{"expired lease beside a running one", func(f *fixture) {
			f.set(kindLease, "lease_end", "2024-01-28")
			f.add(document("d10", "续租合同.pdf", kindLease, 1, "lessee", testName, "lease_end", "2027-01-27"))
		}, C12_3, Pass, []string{CodeExpiredLease}},
		{"lease end unreadable", func(f *fixture) { f.unset(kindLease, "lease_end") }, C12_3, Undeterminable, nil},
		{"expired lease and one without an end", func(f *fixture) {
			f.set(kindLease, "lease_end", "2024-01-28")
			f.add(document("d10", "租赁合同2.pdf", kindLease, 1, "lessee", testName))
		}, C12_3, Undeterminable, []string{CodeExpiredLease}},
		{"property certificate only", func(f *fixture) {
			f.drop(kindLease)
			f.add(document("d10", "IMG_0001.jpg", kindProperty, 1, "org_name", testName, "lessee", testName))
		}, C12_3, Pass, nil},
		{"no premises", func(f *fixture) { f.drop(kindLease) }, C12_3, Undeterminable, []string{"missing_item:4"}},
		{"exactly 2 partner institutions", func(f *fixture) { f.set(kindReport, "partner_institutions", "2") },
			C12_3, Pass, nil},
		{"1 partner institution", func(f *fixture) { f.set(kindReport, "partner_institutions", "1") },
			C12_3, Fail, []string{"below_threshold:partner_institutions"}},
	})
}

// 第十二条（四）：获得地（市）级（含）以上部门相关认定、表彰、资助。
func TestC12_4(t *testing.T) {
	level := func(l string) func(*fixture) {
		return func(f *fixture) { f.set(kindRecognition, "issuer_level", l) }
	}
	county := document("d10", "县级表彰.jpg", kindRecognition, 1,
		"org_name", testName, "issuer", "色尼区经济和信息化局", "issuer_level", "county")
	runRuleCases(t, []ruleCase{
		{"prefecture", level("prefecture"), C12_4, Pass, nil},
		{"autonomous region", level("autonomous_region"), C12_4, Pass, nil},
		{"national", level("national"), C12_4, Pass, nil},
		{"county only", level("county"), C12_4, Fail, []string{CodeRecognitionTooLow}},
		{"county and prefecture", func(f *fixture) { f.add(county) }, C12_4, Pass, nil},
		{"county and unknown level", func(f *fixture) {
			f.unset(kindRecognition, "issuer_level")
			f.add(county)
		}, C12_4, Undeterminable, nil},
		{"level unreadable", func(f *fixture) { f.unset(kindRecognition, "issuer_level") }, C12_4, Undeterminable, nil},
		{"none", func(f *fixture) { f.drop(kindRecognition) }, C12_4, Undeterminable, []string{"missing_item:6"}},
		{"a qualification does not count", func(f *fixture) {
			f.drop(kindRecognition)
			f.set(kindQualification, "issuer_level", "autonomous_region")
		}, C12_4, Undeterminable, []string{"missing_item:6"}},
	})
}

// 第十二条（五）：公益性服务或低收费服务不少于总服务量的20%。
func TestC12_5(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"exactly 20%", func(f *fixture) { f.set(kindReport, "public_service_share_pct", "20") }, C12_5, Pass, nil},
		{"19.9%", func(f *fixture) { f.set(kindReport, "public_service_share_pct", "19.9") }, C12_5, Fail,
			[]string{"below_threshold:public_service_share_pct"}},
		{"not stated", func(f *fixture) { f.unset(kindReport, "public_service_share_pct") }, C12_5, Undeterminable, nil},
		{"not a number", func(f *fixture) { f.set(kindReport, "public_service_share_pct", "约两成") },
			C12_5, Undeterminable, nil},
	})
}

// 第十二条（六）：从事为中小企业服务的人员不少于10人，专业人员的比例占60%以上。
func TestC12_6(t *testing.T) {
	staff := func(total, qualified string) func(*fixture) {
		return func(f *fixture) {
			f.set(kindReport, "staff_total", total).set(kindReport, "staff_qualified", qualified)
		}
	}
	runRuleCases(t, []ruleCase{
		{"10 staff, 6 qualified: exactly 60%", staff("10", "6"), C12_6, Pass, nil},
		{"9 staff", staff("9", "9"), C12_6, Fail, []string{"below_threshold:staff_total"}},
		{"29 staff, 17 qualified: 58.6%", staff("29", "17"), C12_6, Fail, []string{"below_threshold:staff_qualified"}},
		{"8 staff, 4 qualified", staff("8", "4"), C12_6, Fail,
			[]string{"below_threshold:staff_qualified", "below_threshold:staff_total"}},
		{"no staff at all", staff("0", "0"), C12_6, Fail, []string{"below_threshold:staff_total"}},
		{"qualified unknown", func(f *fixture) { f.unset(kindReport, "staff_qualified") }, C12_6, Undeterminable, nil},
		{"qualified unknown, too few staff", func(f *fixture) {
			f.unset(kindReport, "staff_qualified").set(kindReport, "staff_total", "5")
		}, C12_6, Fail, []string{"below_threshold:staff_total"}},
	})
}

// claim sets the application report's claimed functions and figures.
func claim(functions string, kv ...string) func(*fixture) {
	return func(f *fixture) {
		for _, n := range []string{FieldInformationOfflineSMEs, FieldInformationEvents, FieldTechnologyEvents,
			FieldStartupEvents, FieldTrainingTrainees, FieldFinancingMatchmaking, FieldFinancingLectures} {
			f.unset(kindReport, n)
		}
		f.set(kindReport, "functions", functions)
		for i := 0; i+1 < len(kv); i += 2 {
			f.set(kindReport, kv[i], kv[i+1])
		}
	}
}

// 第十三条（一）–（五）and 第十三条 at least one function.
func TestC13(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"information at the thresholds", claim("information", FieldInformationOfflineSMEs, "20", FieldInformationEvents, "2"),
			C13Information, Pass, nil},
		{"information, 19 firms offline", claim("information,startup", FieldInformationOfflineSMEs, "19",
			FieldInformationEvents, "5", FieldStartupEvents, "2"), C13Information, Fail, nil},
		{"information, 1 event", claim("information,startup", FieldInformationOfflineSMEs, "30",
			FieldInformationEvents, "1", FieldStartupEvents, "2"), C13Information, Fail, nil},
		{"technology, 3 events", claim("technology", FieldTechnologyEvents, "3"), C13Technology, Pass, nil},
		{"technology, 2 events", claim("technology,startup", FieldTechnologyEvents, "2", FieldStartupEvents, "2"),
			C13Technology, Fail, nil},
		{"startup, 2 events", claim("startup", FieldStartupEvents, "2"), C13Startup, Pass, nil},
		{"startup, 1 event", claim("startup,technology", FieldStartupEvents, "1", FieldTechnologyEvents, "3"),
			C13Startup, Fail, nil},
		{"training, 600 trainee-times", claim("training", FieldTrainingTrainees, "600"), C13Training, Pass, nil},
		{"training, 599 trainee-times", claim("training,startup", FieldTrainingTrainees, "599", FieldStartupEvents, "2"),
			C13Training, Fail, nil},
		{"training falls back on trainees_last_year", claim("training", "trainees_last_year", "1442"),
			C13Training, Pass, nil},
		{"financing, 2 and 2", claim("financing", FieldFinancingMatchmaking, "2", FieldFinancingLectures, "2"),
			C13Financing, Pass, nil},
		{"financing, 2 and 1", claim("financing,startup", FieldFinancingMatchmaking, "2", FieldFinancingLectures, "1",
			FieldStartupEvents, "2"), C13Financing, Fail, nil},
		{"not claimed", claim("startup", FieldStartupEvents, "2", FieldTechnologyEvents, "9"), C13Technology, Fail, nil},
		{"figure missing, total large enough", claim("technology", "service_events_last_year", "10"),
			C13Technology, Undeterminable, nil},
		{"figure missing, total too small", claim("technology,startup", "service_events_last_year", "2",
			FieldStartupEvents, "2"), C13Technology, Fail, nil},
		{"financing figures missing, total 3", claim("financing,startup", "service_events_last_year", "3",
			FieldStartupEvents, "2"), C13Financing, Fail, nil},
		{"financing figures missing, total 4", claim("financing", "service_events_last_year", "4"),
			C13Financing, Undeterminable, nil},
		{"lectures missing, room left by matchmaking", claim("financing,startup", "service_events_last_year", "6",
			FieldFinancingMatchmaking, "5", FieldStartupEvents, "2"), C13Financing, Fail, nil},
		{"information offline firms bounded by SMEs served", claim("information,startup", "smes_served_last_year", "19",
			"smes_served_prior_year", "10", FieldInformationEvents, "3", FieldStartupEvents, "2"),
			C13Information, Fail, []string{"below_threshold:smes_served_last_year"}},
		{"functions unreadable", func(f *fixture) { f.unset(kindReport, "functions") }, C13Startup, Undeterminable, nil},
		{"any: one passes", claim("startup,technology", FieldStartupEvents, "2", FieldTechnologyEvents, "1"),
			C13Any, Pass, nil},
		{"any: all fail", claim("startup,technology", FieldStartupEvents, "1", FieldTechnologyEvents, "2"),
			C13Any, Fail, []string{CodeNoFunctionMet}},
		{"any: none claimed", claim(""), C13Any, Fail, []string{CodeNoFunctionMet}},
		{"any: one undeterminable, others fail", claim("startup,technology", FieldStartupEvents, "1",
			"service_events_last_year", "10"), C13Any, Undeterminable, nil},
		{"any: no application report", func(f *fixture) { f.drop(kindReport) }, C13Any, Undeterminable,
			[]string{"missing_item:1"}},
		{"any: application report illegible", func(f *fixture) {
			d := f.doc(kindReport)
			for i := range d.Pages {
				d.Pages[i].Illegible = true
			}
		}, C13Any, Undeterminable, []string{CodeUnreadablePage}},
	})
}

// Warnings that do not change verdicts.
func TestWarnings(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"lessee differs", func(f *fixture) { f.set(kindLease, "lessee", "西藏雪域检验检测有限公司") },
			C12_3, Pass, []string{CodeNameMismatch}},
		{"names differ only in spaces, punctuation and width", func(f *fixture) {
			f.app.OrgName = "西藏雪域（拉萨）检验检测技术有限公司"
			for i := range f.docs {
				for j := range f.docs[i].Fields {
					if fl := &f.docs[i].Fields[j]; fl.Name == "org_name" || fl.Name == "lessee" {
						fl.Value = "西藏雪域（拉萨）检验检测技术有限公司"
					}
				}
			}
			f.set(kindLease, "lessee", "西藏雪域 (拉萨) 检验检测技术有限公司")
			f.set(kindAudit, "org_name", "西藏雪域(拉萨)检验检测技术有限公司。")
		}, C12_3, Pass, nil},
		{"without a licence, the report's name is the reference", func(f *fixture) {
			f.drop(kindLicence)
			f.set(kindDeclaration, "org_name", "西藏雪域公司")
		}, C12_1, Undeterminable, []string{"missing_item:2", CodeNameMismatch}},
		{"bad check character", func(f *fixture) {
			f.set(kindDeclaration, "credit_code", testCode[:17]+"X")
		}, C12_1, Pass, []string{CodeBadCreditCode, CodeCreditCodeMismatch}},
		{"a body character misread, the check character the applicant's", func(f *fixture) {
			// the applicant's code with a 5 read as 6 under the seal: a misread, not a bad code
			f.set(kindDeclaration, "credit_code", testCode[:16]+"6"+testCode[17:])
		}, C12_1, Pass, []string{CodeCreditCodeMismatch}},
		{"full-width credit code is fine", func(f *fixture) {
			f.set(kindDeclaration, "credit_code", "９１５４０１０２ＭＡ６ＴＫＪＰＧ５"+testCode[17:])
		}, C12_1, Pass, nil},
		{"declaration without seal", func(f *fixture) { f.set(kindDeclaration, "has_seal", "false") },
			C12_1, Pass, []string{CodeMissingSeal}},
		{"recommendation form without seal", func(f *fixture) { f.set(kindRecommend, "has_seal", "false") },
			C12_1, Pass, []string{CodeMissingSeal}},
		{"seal found on a page", func(f *fixture) {
			f.unset(kindDeclaration, "has_seal")
			f.doc(kindDeclaration).Pages[0].HasSeal = true
		}, C12_1, Pass, nil},
		{"no seal found on any page", func(f *fixture) { f.unset(kindDeclaration, "has_seal") },
			C12_1, Pass, []string{CodeMissingSeal}},
		{"seal cannot be told", func(f *fixture) {
			f.unset(kindDeclaration, "has_seal")
			f.doc(kindDeclaration).Pages[0].SealUnknown = true
		}, C12_1, Pass, []string{CodeSealUnknown}},
		{"reviewed has_seal wins over pages", func(f *fixture) {
			f.set(kindDeclaration, "has_seal", "false")
			f.doc(kindDeclaration).Pages[0].HasSeal = true
		}, C12_1, Pass, []string{CodeMissingSeal}},
		{"other kinds need no seal", func(f *fixture) { f.unset(kindLicence, "has_seal") }, C12_1, Pass, nil},
		{"blank page", func(f *fixture) { f.doc(kindAudit).Pages[1].Blank = true }, C12_1, Pass, []string{CodeBlankPage}},
		{"field on a blank page is ignored", func(f *fixture) {
			d := f.doc(kindReport)
			d.Pages[1].Blank = true
			for i := range d.Fields {
				if d.Fields[i].Name == "satisfaction_pct" {
					d.Fields[i].Page = 2
				}
			}
		}, C12_2, Undeterminable, []string{CodeBlankPage}},
		{"misnamed file", func(f *fixture) { f.doc(kindQualification).FileName = "06_认定及表彰材料.pdf" },
			C12_4, Pass, []string{CodeMisnamedFile}},
		{"no recommendation form", func(f *fixture) { f.drop(kindRecommend) }, C12_1, Pass,
			[]string{CodeMissingRecommendation}},
		{"several missing items", func(f *fixture) { f.drop(kindEvidence).drop(kindQualification) }, C12_1, Pass,
			[]string{"missing_item:5", "missing_item:7"}},
		{"other documents serve nothing", func(f *fixture) {
			f.add(document("d10", "9.其他材料-发票.jpg", kindOther, 1))
		}, C12_1, Pass, nil},
		{"unknown kind is other", func(f *fixture) {
			f.add(document("d10", "补充材料.jpg", "invoice", 1))
		}, C12_1, Pass, nil},
	})
}

// recode gives the applicant another credit code, on the application and on every document.
func recode(f *fixture, code string) {
	f.app.CreditCode = code
	for i := range f.docs {
		for j := range f.docs[i].Fields {
			if f.docs[i].Fields[j].Name == "credit_code" {
				f.docs[i].Fields[j].Value = code
			}
		}
	}
}

// This package's own notes (not scored).
func TestNotes(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"licence with a 事业单位 code", func(f *fixture) {
			recode(f, code17("12540222682333750"))
		}, C12_1, Pass, []string{CodeCreditCodeType}},
		{"licence of an 个体工商户", func(f *fixture) {
			recode(f, code17("92540102MA6TKJPG5"))
		}, C12_1, Pass, []string{CodeCreditCodeType}},
		{"certificate with an enterprise code", func(f *fixture) {
			f.doc(kindLicence).Kind = kindCertificate
			f.doc(kindCertificate).FileName = "法人证书.jpg"
		}, C12_1, Pass, []string{CodeCreditCodeType}},
		{"社会团体 certificate is fine", func(f *fixture) {
			f.doc(kindLicence).Kind = kindCertificate
			f.doc(kindCertificate).FileName = "法人证书.jpg"
			recode(f, code17("51540521715020793"))
		}, C12_1, Pass, nil},
		{"registered outside Tibet", func(f *fixture) {
			recode(f, code17("91110108MA6TKJPG5"))
		}, C12_1, Pass, []string{CodeCreditCodeRegion}},
		{"licence term ended", func(f *fixture) { f.set(kindLicence, "operating_term_end", "2024-05-25") },
			C12_1, Pass, []string{CodeRegistrationExpiry}},
		{"licence term ends on the submission date", func(f *fixture) {
			f.set(kindLicence, "operating_term_end", "2024-05-26")
		}, C12_1, Pass, nil},
		{"application recorded under another name", func(f *fixture) { f.app.OrgName = "西藏雪域公司" },
			C12_1, Pass, []string{CodeApplicationMismatch}},
		{"application recorded under another code", func(f *fixture) { f.app.CreditCode = code17("91540102MA6TKJPG6") },
			C12_1, Pass, []string{CodeApplicationMismatch}},
		{"qualified audit opinion", func(f *fixture) { f.set(kindAudit, "audit_opinion", "qualified") },
			C12_1, Pass, []string{CodeAuditOpinion}},
	})
}

func TestDraftUsesNow(t *testing.T) {
	f := clean()
	f.app.SubmissionDate = time.Time{}
	f.app.EvaluationYear = 0
	now := time.Date(2025, 3, 1, 23, 30, 0, 0, time.FixedZone("CST", 8*3600))
	r := Evaluate(f.app, f.docs, now)
	if want := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC); !r.AsOf.Equal(want) {
		t.Errorf("AsOf: got %v; want %v", r.AsOf, want)
	}
	if r.EvaluationYear != 2024 {
		t.Errorf("EvaluationYear: got %d; want 2024", r.EvaluationYear)
	}
	// The 2023 audit is no longer of the evaluation year.
	if got := codes(r); !cmp.Equal(got, []string{CodeWrongAuditYear}) {
		t.Errorf("warnings: got %v; want [%s]", got, CodeWrongAuditYear)
	}
}

// TestDoubtfulAssetsDoNotBlock: an audit's 资产总计 read as 11 元 (the 行次), flagged by extraction,
// while the application report states 100.58 万元, is for a person to check, not a blocking failure;
// the same figure read with certainty blocks.
func TestDoubtfulAssetsDoNotBlock(t *testing.T) {
	asOf := time.Date(2024, 5, 20, 0, 0, 0, 0, time.UTC)
	docs := func(conf float64, flags ...string) []Document {
		return []Document{
			{ID: "a", FileName: "审计报告.pdf", Kind: "audit_report", Fields: []doc.Field{
				{Name: "audit_year", Value: "2023", Confidence: 0.95},
				{Name: "total_assets_yuan", Value: "11", Confidence: conf, Flags: flags}}},
			{ID: "r", FileName: "申请报告.pdf", Kind: "application_report", Fields: []doc.Field{
				{Name: "total_assets_yuan", Value: "1005800", Confidence: 0.9}}},
		}
	}
	app := Application{ID: "x", SubmissionDate: asOf, EvaluationYear: 2023}
	r := Evaluate(app, docs(0.5, "implausible"), asOf)
	if hasCode(r, PrefixBelowThreshold+"total_assets_yuan") || !hasCode(r, CodeFigureDoubtful) {
		t.Errorf("doubtful assets: warnings %v; want figure_doubtful, no below_threshold", r.Warnings)
	}
	r = Evaluate(app, docs(0.97), asOf)
	if !hasCode(r, PrefixBelowThreshold+"total_assets_yuan") {
		t.Errorf("certain assets of 11 yuan: warnings %v; want below_threshold", r.Warnings)
	}
}

func hasCode(r Report, code string) bool {
	for _, w := range r.Warnings {
		if w.Code == code {
			return true
		}
	}
	return false
}

// TestOtherRegistration: a 营业执照 of another organisation in an application is for a person to
// check (other_registration, 需要核实), alone or beside the applicant's own; a misread of the
// applicant's own name is not, and a record with a wrong name or code is only a note.
func TestOtherRegistration(t *testing.T) {
	other := code17("91540125MA6T0B2Y8")
	misread := []rune(testName)
	misread[9] = '朮' // 技 read as 朮
	for _, tc := range []struct {
		name string
		edit func(f *fixture)
		want []string
	}{
		{"another company's licence", func(f *fixture) {
			f.set(kindLicence, "org_name", "西藏高原建筑工程有限公司").set(kindLicence, "credit_code", other)
		}, []string{CodeOtherRegistration}},
		{"another company's licence, no code on the record", func(f *fixture) {
			f.app.CreditCode = ""
			f.set(kindLicence, "org_name", "西藏高原建筑工程有限公司").set(kindLicence, "credit_code", other)
		}, []string{CodeOtherRegistration}},
		{"another company's licence read unsurely", func(f *fixture) {
			f.set(kindLicence, "org_name", "西藏高原建筑工程有限公司").set(kindLicence, "credit_code", other)
			f.doc(kindLicence).Fields[0].Confidence = 0.5
		}, []string{CodeOtherRegistration}},
		{"another company's licence beside the applicant's", func(f *fixture) {
			d := document("d10", "02_营业执照2.jpg", kindLicence, 1,
				"org_name", "西藏高原建筑工程有限公司", "credit_code", other, "established_date", "2015-03-01")
			f.docs = append([]Document{d}, f.docs...) // first: the applicant's is still the reference
		}, []string{CodeOtherRegistration}},
		{"own licence, name misread by one character", func(f *fixture) {
			f.set(kindLicence, "org_name", string(misread))
		}, []string{CodeApplicationMismatch}},
		{"own licence, name misread, no code on the record", func(f *fixture) {
			f.app.CreditCode = ""
			f.set(kindLicence, "org_name", string(misread))
		}, []string{CodeApplicationMismatch}},
		{"record under a short name, same code", func(f *fixture) { f.app.OrgName = "西藏雪域公司" },
			[]string{CodeApplicationMismatch}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := clean()
			tc.edit(f)
			r := f.evaluate()
			got := map[string]Severity{}
			for _, w := range r.Warnings {
				got[w.Code] = w.Severity
			}
			var codes []string
			for c := range got {
				codes = append(codes, c)
			}
			slices.Sort(codes)
			if diff := cmp.Diff(tc.want, codes); diff != "" {
				t.Errorf("warnings (-want +got):\n%s\n%v", diff, r.Warnings)
			}
			if s, ok := got[CodeOtherRegistration]; ok && s != Attention {
				t.Errorf("other_registration is %s; want attention (需要核实)", s)
			}
			if s, ok := got[CodeApplicationMismatch]; ok && s != Note {
				t.Errorf("application_mismatch is %s; want a note", s)
			}
		})
	}
}
