package checklist

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestKindsNamed(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"01_附件2-申请报告.pdf", []string{kindReport}},
		{"附件2-申请报告（盖章扫描件）.pdf", []string{kindReport}},
		{"一、示范平台申请报告.pdf", []string{kindReport}},
		{"02_营业执照复印件.pdf", []string{kindLicence}},
		{"营业执照副本.jpg", []string{kindLicence}},
		{"2.法人证书.jpg", []string{kindCertificate}},
		{"二、法人登记证书副本.jpg", []string{kindCertificate}},
		{"03_审计报告及服务收支专项审计.pdf", []string{kindAudit}},
		{"3.2023年度审计报告.pdf", []string{kindAudit}},
		{"04_经营场所租赁合同.pdf", []string{kindLease}},
		{"房屋租赁合同.pdf", []string{kindLease}},
		{"不动产权证书.pdf", []string{kindProperty}},
		{"房产证.jpg", []string{kindProperty}},
		{"五、服务证明-培训通知及签到表3.pdf", []string{kindEvidence}},
		{"05_服务证明-工作简报2.jpg", []string{kindEvidence}},
		{"06_示范平台认定文件.jpg", []string{kindRecognition}},
		{"6.认定及表彰材料.pdf", []string{kindRecognition}},
		{"六、地市级认定文件.jpg", []string{kindRecognition}},
		{"07_检验检测机构资质认定证书.jpg", []string{kindQualification}},
		{"七、ICP备案截图.png", []string{kindQualification}},
		{"icp备案.png", []string{kindQualification}},
		{"ＩＣＰ备案.png", []string{kindQualification}},
		{"增值电信业务经营许可证.pdf", []string{kindQualification}},
		{"08_真实性声明.jpg", []string{kindDeclaration}},
		{"8.申报材料真实性声明.tif", []string{kindDeclaration}},
		{"00_推荐表.jpg", []string{kindRecommend}},
		{"附件1-推荐表.pdf", []string{kindRecommend}},
		{"9.其他材料-发票.jpg", []string{kindOther}},
		{"营业执照及租赁合同.pdf", []string{kindLicence, kindLease}},
		{"关于认定示范平台的通知.pdf", []string{kindRecognition, kindEvidence}},
		{`C:\扫描\营业执照.jpg`, []string{kindLicence}},
		// Names that name nothing.
		{"IMG_20240412_101523.jpg", nil},
		{"DSC_0042.JPG", nil},
		{"微信图片_20240412101523.jpg", nil},
		{"mmexport1712900000000.jpg", nil},
		{"补充材料.pdf", nil},
		{"scan0001.tif", nil},
		{"", nil},
	}
	for _, tc := range tests {
		if got := KindsNamed(tc.name); !cmp.Equal(got, tc.want) {
			t.Errorf("KindsNamed(%q) = %v; want %v", tc.name, got, tc.want)
		}
	}
}

func TestNormName(t *testing.T) {
	tests := []struct{ a, b string }{
		{"西藏天路（拉萨）检验有限公司", "西藏天路(拉萨)检验有限公司"},
		{"西藏天路 检验有限公司", "西藏天路检验有限公司"},
		{"西藏天路检验有限公司。", "西藏天路检验有限公司"},
		{"西藏ＡＢＣ科技有限公司", "西藏abc科技有限公司"},
		{"西藏天路·检验有限公司", "西藏天路检验有限公司"},
		{"西藏天路　检验有限公司", "西藏天路检验有限公司"}, // ideographic space
	}
	for _, tc := range tests {
		if a, b := normName(tc.a), normName(tc.b); a != b {
			t.Errorf("normName(%q) = %q, normName(%q) = %q; want equal", tc.a, a, tc.b, b)
		}
	}
	if normName("西藏珠峰财税服务有限公司") == normName("西藏珠峰财税服务有限责任公司") {
		t.Error("different names compare equal")
	}
}

func TestValidCreditCode(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"91540102MA6TKJPG5T", true},
		{"1254022268233375XD", true},
		{"525425216291013279", true},
		{"51540521715020793B", true},
		{"91540236MA6TPYYW1M", true},
		{"91540236MA6TPYYW1R", false}, // wrong check character
		{"91540102ma6tkjpg5t", true},  // lower case tolerated
		{"９１５４０１０２ＭＡ６ＴＫＪＰＧ５Ｔ", true},
		{"91540102 MA6TKJPG5T", true},
		{"91540102MA6TKJPG5", false},   // 17 characters
		{"91540102MA6TKJPG5TT", false}, // 19
		{"91540102MI6TKJPG5T", false},  // I is not in the alphabet
		{"", false},
	}
	for _, tc := range tests {
		if got := ValidCreditCode(tc.code); got != tc.want {
			t.Errorf("ValidCreditCode(%q) = %v; want %v", tc.code, got, tc.want)
		}
	}
}

func TestAddYears(t *testing.T) {
	tests := []struct{ from, want string }{
		{"2022-05-26", "2024-05-26"},
		{"2020-02-29", "2022-02-28"},
		{"2022-02-28", "2024-02-28"},
		{"2022-12-31", "2024-12-31"},
	}
	for _, tc := range tests {
		from, _ := time.Parse(time.DateOnly, tc.from)
		if got := day(addYears(from, 2)); got != tc.want {
			t.Errorf("addYears(%s, 2) = %s; want %s", tc.from, got, tc.want)
		}
	}
}

func TestYuan(t *testing.T) {
	tests := []struct {
		x    float64
		want string
	}{
		{997650.42, "997,650.42 元（约 99.77 万元）"},
		{1000000, "1,000,000 元（100 万元）"},
		{998000, "998,000 元（99.8 万元）"},
		{999999.99, "999,999.99 元（约 100 万元）"},
		{12.5, "12.50 元（约 0 万元）"},
	}
	for _, tc := range tests {
		if got := yuan(tc.x); got != tc.want {
			t.Errorf("yuan(%v) = %q; want %q", tc.x, got, tc.want)
		}
	}
}

func TestScored(t *testing.T) {
	for code, want := range map[string]bool{
		"missing_item:1": true, "missing_item:8": true, "missing_item:9": false, "missing_item:0": false,
		"below_threshold:total_assets_yuan": true, "below_threshold:revenue_yuan": false,
		CodeMissingRecommendation: true, CodeMisnamedFile: true, CodeNoFunctionMet: true,
		CodeCreditCodeType: false, CodeCreditCodeRegion: false, CodeCreditCodeMismatch: false,
		CodeRegistrationExpiry: false, CodeAuditOpinion: false, CodeSealUnknown: false, CodeApplicationMismatch: false,
	} {
		if got := Scored(code); got != want {
			t.Errorf("Scored(%q) = %v; want %v", code, got, want)
		}
	}
}
