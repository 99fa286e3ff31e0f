package extract

import (
	"slices"
	"testing"

	"shenbao/doc"
)

func TestAgree(t *testing.T) {
	sure := func(name, value, text string) doc.Field {
		return doc.Field{Name: name, Value: value, Text: text, Confidence: 0.99}
	}
	year := func(y string) doc.Field { return sure("audit_year", y, y) }
	type want struct {
		doc   int
		name  string
		value string
		flag  string // "" for unchanged
	}
	for _, tc := range []struct {
		what string
		opt  Options
		docs [][]doc.Field
		want []want
	}{
		{"a report's 资产总额 whose point was lost, against the audit's",
			Options{}, [][]doc.Field{
				{sure("total_assets_yuan", "1911610000", "191161万元")},
				{year("2024"), sure("total_assets_yuan", "19116123.45", "19,116,123.45")},
			},
			[]want{{0, "total_assets_yuan", "19116100", FlagPointLost}, {1, "total_assets_yuan", "19116123.45", ""}}},
		{"figures that differ beyond rounding: neither is certain",
			Options{}, [][]doc.Field{
				{sure("total_assets_yuan", "8469300", "846.93万元")},
				{year("2024"), sure("total_assets_yuan", "6683518.43", "6,683,518.43")},
			},
			[]want{{0, "total_assets_yuan", "8469300", FlagContradicted}, {1, "total_assets_yuan", "6683518.43", FlagContradicted}}},
		{"a whole amount with thousands separators lost no point",
			Options{}, [][]doc.Field{
				{sure("total_assets_yuan", "19116100", "19,116,100")},
				{sure("total_assets_yuan", "191161", "191,161")},
			},
			[]want{{0, "total_assets_yuan", "19116100", FlagContradicted}, {1, "total_assets_yuan", "191161", FlagContradicted}}},
		{"amounts within rounding agree",
			Options{}, [][]doc.Field{
				{sure("total_assets_yuan", "19578300", "1957.83万元")},
				{year("2024"), sure("total_assets_yuan", "19578315.97", "19,578,315.97")},
			},
			[]want{{0, "total_assets_yuan", "19578300", ""}, {1, "total_assets_yuan", "19578315.97", ""}}},
		{"audits of two years are not held to one figure",
			Options{}, [][]doc.Field{
				{year("2023"), sure("total_assets_yuan", "5000000", "5,000,000.00")},
				{year("2024"), sure("total_assets_yuan", "7000000", "7,000,000.00")},
			},
			[]want{{0, "total_assets_yuan", "5000000", ""}, {1, "total_assets_yuan", "7000000", ""}}},
		{"a long Tibetan name cut short on one document: the whole name",
			Options{}, [][]doc.Field{
				{sure("legal_representative", "次仁加措卓玛", "次仁加措卓玛")},
				{sure("legal_representative", "次仁加", "次仁加")},
				{sure("legal_representative", "加措卓玛", "加措卓玛")},
			},
			[]want{{0, "legal_representative", "次仁加措卓玛", ""}, {1, "legal_representative", "次仁加措卓玛", FlagNameRestored},
				{2, "legal_representative", "次仁加措卓玛", FlagNameRestored}}},
		{"a name with a character read twice: the name once",
			Options{}, [][]doc.Field{
				{sure("legal_representative", "王强强", "王强强")},
				{sure("legal_representative", "王强", "王强")},
			},
			[]want{{0, "legal_representative", "王强", FlagNameRestored}, {1, "legal_representative", "王强", ""}}},
		{"two names, neither part of the other",
			Options{}, [][]doc.Field{
				{sure("legal_representative", "次仁加措", "次仁加措")},
				{sure("legal_representative", "次仁卓玛", "次仁卓玛")},
			},
			[]want{{0, "legal_representative", "次仁加措", FlagContradicted}, {1, "legal_representative", "次仁卓玛", FlagContradicted}}},
		{"another organisation's certificate is held against no document of the applicant's",
			Declared("西藏天路检验检测技术有限公司", "91540102MA6TKJPG5T"), [][]doc.Field{
				{sure("org_name", "西藏天路检验检测技术有限公司", ""), sure("credit_code", "91540102MA6TKJPG5T", ""), sure("established_date", "2015-07-22", "")},
				{sure("org_name", "日喀则市创业指导服务中心", ""), sure("credit_code", "1254022268233375XD", ""), sure("established_date", "2011-03-09", "")},
				{sure("org_name", "西藏天路检验检测技术有限公司", ""), sure("established_date", "2015-07-22", "")},
			},
			[]want{{0, "established_date", "2015-07-22", ""}, {1, "established_date", "2011-03-09", ""}, {2, "established_date", "2015-07-22", ""}}},
		{"a name misread on one of the applicant's documents keeps it the applicant's",
			Declared("西藏天路检验检测技术有限公司", ""), [][]doc.Field{
				{sure("org_name", "西藏天路检验检测技术有限公司", ""), sure("established_date", "2015-07-22", "")},
				{sure("org_name", "西藏天路检验检侧技术有限公司", ""), sure("established_date", "2015-07-27", "")},
			},
			[]want{{0, "established_date", "2015-07-22", FlagContradicted}, {1, "established_date", "2015-07-27", FlagContradicted}}},
		{"a value a person confirmed stands, and contradicts the other",
			Options{}, [][]doc.Field{
				{{Name: "established_date", Value: "2015-07-22", Confidence: 1, Flags: []string{"confirmed"}}},
				{sure("established_date", "2015-07-27", "2015年7月27日")},
			},
			[]want{{0, "established_date", "2015-07-22", ""}, {1, "established_date", "2015-07-27", FlagContradicted}}},
	} {
		in := make([][]doc.Field, len(tc.docs))
		for i := range tc.docs {
			in[i] = slices.Clone(tc.docs[i])
		}
		got := Agree(tc.docs, tc.opt)
		for i := range tc.docs {
			if !slices.EqualFunc(in[i], tc.docs[i], func(a, b doc.Field) bool {
				return a.Value == b.Value && a.Confidence == b.Confidence && slices.Equal(a.Flags, b.Flags)
			}) {
				t.Errorf("%s: Agree changed its input", tc.what)
			}
		}
		for _, w := range tc.want {
			var f doc.Field
			for _, x := range got[w.doc] {
				if x.Name == w.name {
					f = x
				}
			}
			orig := tc.docs[w.doc][slices.IndexFunc(tc.docs[w.doc], func(x doc.Field) bool { return x.Name == w.name })]
			switch {
			case f.Value != w.value:
				t.Errorf("%s: document %d %s = %q; want %q", tc.what, w.doc, w.name, f.Value, w.value)
			case w.flag == "" && (len(f.Flags) != len(orig.Flags) || f.Confidence != orig.Confidence):
				t.Errorf("%s: document %d %s flagged %v at %.2f; want it unchanged", tc.what, w.doc, w.name, f.Flags, f.Confidence)
			case w.flag != "" && (!slices.Contains(f.Flags, w.flag) || f.Confidence >= doc.SureConfidence):
				t.Errorf("%s: document %d %s flagged %v at %.2f; want %s below certainty", tc.what, w.doc, w.name, f.Flags, f.Confidence, w.flag)
			}
		}
	}
}
