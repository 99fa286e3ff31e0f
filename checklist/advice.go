package checklist

import (
	"fmt"
	"strings"

	"shenbao/doc"
)

// itemAdvice says, for the applicant, what to upload for each item of 第十七条 (by number) and for the
// 第十六条 推荐表 (0). %[1]d is the evaluation year (上一年度), %[2]s the date evaluated as of.
var itemAdvice = [9]string{
	0: "推荐表由所在地（市）经济和信息化局或园区管委会填写并上传，申报单位无需上传。",
	1: "请上传申请报告（附件2）：按模板填写完整，并加盖申报单位公章。",
	2: "请上传营业执照副本的复印件（企业），或法人证书的复印件（事业单位、社会组织）。",
	3: "请上传 %[1]d 年度的审计报告，以及服务收支情况的专项审计报告；也可以只上传一份包含服务收支情况的 %[1]d 年度审计报告。",
	4: "请上传经营服务场所的房产证，或租期覆盖申报日（%[2]s）的租赁合同。",
	5: "请上传开展服务的证明材料，如活动通知、现场照片、工作简报、年度总结等。",
	6: "请上传地（市）级示范平台认定文件，或地（市）级以上部门的认定、表彰、资助文件。",
	7: "请上传自治区级以上部门颁发的从业资格（资质）证书、网站备案或许可证的复印件。",
	8: "请上传对申报材料真实性的声明，并加盖申报单位公章。",
}

// ItemAdvice says, for the applicant, what to upload for item n of 第十七条 (0: the 第十六条 推荐表,
// which the recommending department uploads) in an application evaluated as of r.AsOf.
func (r Report) ItemAdvice(n int) string {
	if n < 0 || n >= len(itemAdvice) {
		return ""
	}
	s := itemAdvice[n]
	if !strings.Contains(s, "%[") {
		return s
	}
	return fmt.Sprintf(s, r.EvaluationYear, day(r.AsOf))
}

// advise fills in each warning's Advice: what the applicant can do about it, in plain words and
// without article numbers (the warning's Message says which rule it is). A warning that asks nothing
// of the applicant (a person checks a doubtful reading) says so, so that the applicant does not
// wonder.
func (f *facts) advise(r *Report) {
	for i := range r.Warnings {
		r.Warnings[i].Advice = f.advice(r, r.Warnings[i])
	}
}

// reportFigures names the 申请报告's figures that below_threshold:<field> concerns.
var reportFigures = map[string]string{
	"smes_served_last_year": "上一年度服务中小企业数量", "satisfaction_pct": "用户满意度",
	"partner_institutions": "集聚服务机构数量", "public_service_share_pct": "公益性服务占比",
	"staff_total": "服务人员人数", "staff_qualified": "专业人员人数",
}

const forStaff = "无需处理：工作人员将对照原件核对。"

func (f *facts) advice(r *Report, w Warning) string {
	name := "该材料"
	if len(w.Evidence) > 0 {
		name = doc.KindZh(w.Evidence[0].Kind)
	}
	if n, ok := strings.CutPrefix(w.Code, PrefixMissingItem); ok && len(n) == 1 && n[0] >= '1' && n[0] <= '8' {
		return r.ItemAdvice(int(n[0] - '0'))
	}
	if field, ok := strings.CutPrefix(w.Code, PrefixBelowThreshold); ok {
		if field == "total_assets_yuan" {
			return "请核对审计报告上的资产总额；如识别有误（如扫描不清），请上传更清晰的扫描件。资产总额不足 100 万元的单位不符合申报条件。"
		}
		label := reportFigures[field]
		if label == "" {
			label = "相关数据"
		}
		return "请核对申请报告中填写的" + label + "；填写有误的，请修改后点“替换”重新上传申请报告。"
	}
	switch w.Code {
	case CodeMissingRecommendation:
		return r.ItemAdvice(0)
	case CodeOperatingUnderTwo:
		return "如营业执照上的成立日期识别有误，请上传更清晰的扫描件；成立未满两年的单位，请在满两年后再申报。"
	case CodeWrongAuditYear:
		return fmt.Sprintf("请上传 %d 年度（申报年度的上一年）的审计报告。", f.year)
	case CodeExpiredLease:
		return fmt.Sprintf("请上传租期覆盖申报日（%s）的租赁合同，或原合同的续租协议；自有房产的，可上传房产证。", day(f.asOf))
	case CodeNoGrowth:
		return "请核对申请报告中近两年服务企业的数量；填写有误的，请修改后重新上传申请报告。"
	case CodeRecognitionTooLow:
		return "请上传地（市）级或更高级别部门颁发的认定、表彰或资助文件。"
	case CodeNoFunctionMet:
		return "请在申请报告中写明申报的服务功能及上一年度的服务数据（如服务企业数、活动次数、培训人次），修改后重新上传。"
	case CodeMissingSeal:
		return "请在" + name + "上加盖申报单位公章，重新扫描后点“替换”上传。"
	case CodeSealUnknown:
		return "请上传" + name + "的彩色扫描件或照片，以便看清公章。"
	case CodeBlankPage:
		return "如是多扫的空白页，无需处理；如漏扫了内容，请重新扫描后点“替换”上传。"
	case CodeUnreadablePage:
		return "请重新扫描" + name + "（清晰、端正、不缺边），然后点“替换”上传。"
	case CodeMisnamedFile:
		return "请确认是否上传错了文件；文件无误的，无需处理。"
	case CodeNameMismatch:
		return "请确认" + name + "是本单位的材料；上传错了的，请点“替换”上传本单位的材料；单位更过名的，请一并上传更名证明。"
	case CodeNameNearMiss, CodeNameUnsure, CodeFigureDoubtful:
		return forStaff + "扫描件不清晰的，也可以上传更清晰的扫描件。"
	case CodeApplicationMismatch:
		return "请确认上传的是本单位的营业执照或法人证书；申报时填写的单位名称或统一社会信用代码有误的，请联系工作人员更正。"
	case CodeOtherRegistration:
		return "请确认" + name + "是本单位的；上传错了的，请点“替换”上传本单位的营业执照或法人证书。"
	case CodeBadCreditCode:
		return "请核对统一社会信用代码；如是识别有误，请上传更清晰的扫描件。"
	case CodeCreditCodeMismatch, CodeCreditCodeType, CodeCreditCodeRegion:
		return "请确认各份材料都属于本单位；如无误，无需处理。"
	case CodeRegistrationExpiry:
		return "请上传在有效期内的营业执照或法人证书。"
	case CodeAuditOpinion:
		return "审计意见不是无保留意见的，可上传审计机构或本单位的情况说明，供评审参考。"
	}
	return ""
}
