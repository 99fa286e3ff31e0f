package checklist

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shenbao/doc"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with the reports produced")

// at places a field on a page, in a box, as printed.
func at(f *fixture, kind, name string, page int, box doc.Box, text string) {
	d := f.doc(kind)
	for i := range d.Fields {
		if d.Fields[i].Name == name {
			d.Fields[i].Page, d.Fields[i].Box, d.Fields[i].Text = page, box, text
			return
		}
	}
	panic("no field " + name + " on " + kind)
}

// failing is an application with something wrong in most places.
func failing() *fixture {
	f := clean()
	f.app.ID = "failing"
	setEstablished("2023-01-01")(f)
	at(f, kindLicence, "established_date", 1, doc.Box{X0: 812, Y0: 640, X1: 1190, Y1: 688}, "2023年01月01日")
	f.set(kindAudit, "total_assets_yuan", "997650.42").set(kindAudit, "audit_opinion", "qualified")
	at(f, kindAudit, "total_assets_yuan", 3, doc.Box{X0: 1020, Y0: 1411, X1: 1288, Y1: 1452}, "997,650.42")
	f.set(kindLease, "lessee", "西藏雪域检验检测有限公司").set(kindLease, "lease_end", "2024-01-28")
	at(f, kindLease, "lease_end", 1, doc.Box{X0: 300, Y0: 900, X1: 620, Y1: 940}, "2024年1月28日")
	f.set(kindRecognition, "issuer_level", "county").set(kindRecognition, "issuer", "城关区经济和信息化局")
	f.set(kindReport, "staff_total", "8").set(kindReport, "staff_qualified", "4")
	claim("startup,technology", FieldStartupEvents, "1", FieldTechnologyEvents, "2")(f)
	f.set(kindDeclaration, "has_seal", "false").set(kindDeclaration, "credit_code", testCode[:17]+"X")
	f.doc(kindQualification).FileName = "06_认定及表彰材料.pdf"
	f.doc(kindAudit).Pages[1].Blank = true
	f.drop(kindRecommend).drop(kindEvidence)
	return f
}

func TestGolden(t *testing.T) {
	draft := &fixture{app: Application{ID: "draft", OrgName: testName}}
	cases := []struct {
		name string
		f    *fixture
		now  time.Time
	}{
		{"clean", clean(), testDate},
		{"failing", failing(), testDate},
		{"draft_empty", draft, time.Date(2025, 1, 15, 9, 30, 0, 0, time.UTC)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(tc.f.app, tc.f.docs, tc.now)
			rep, err := json.MarshalIndent(r, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			line, err := json.Marshal(r.Score())
			if err != nil {
				t.Fatal(err)
			}
			got := string(line) + "\n" + string(rep) + "\n"
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("report for %s differs from %s (-want +got):\n%s", tc.name, path, diff)
			}
		})
	}
}

// Evaluating the same documents twice gives the same report.
func TestDeterministic(t *testing.T) {
	f := failing()
	a := Evaluate(f.app, f.docs, testDate)
	b := Evaluate(f.app, f.docs, testDate)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two evaluations differ (-first +second):\n%s", diff)
	}
}

func TestScoreLineJSON(t *testing.T) {
	r := failing().evaluate()
	got, err := json.Marshal(r.Score())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"application":"failing","items_present":[1,2,3,4,6,7,8],` +
		`"warnings":["bad_credit_code","below_threshold:staff_qualified","below_threshold:staff_total",` +
		`"below_threshold:total_assets_yuan","blank_page","expired_lease","misnamed_file","missing_item:5",` +
		`"missing_recommendation_form","missing_seal","name_mismatch","no_function_met",` +
		`"operating_under_two_years","recognition_level_too_low"],` +
		`"verdicts":{"c12_1":"fail","c12_2":"pass","c12_3":"fail","c12_4":"fail","c12_5":"pass","c12_6":"fail",` +
		`"c13_information":"fail","c13_technology":"fail","c13_startup":"fail","c13_training":"fail",` +
		`"c13_financing":"fail","c13_any":"fail"}}`
	if string(got) != want {
		t.Errorf("got %s; want %s", got, want)
	}
	empty, _ := json.Marshal(ScoreLine{Application: "x"})
	if want := `{"application":"x","items_present":[],"warnings":[],"verdicts":{}}`; string(empty) != want {
		t.Errorf("got %s; want %s", empty, want)
	}
}
