package checklist

import "fmt"

// registration notes registration_expired for a 营业执照/法人证书 whose operating_term_end (营业期限,
// 有效期) ended before the date evaluated as of; "长期" never ends.
// 第十二条（一）具有独立法人资格.
func (f *facts) registration(ws *warnings) {
	for _, d := range f.ofKind(kindLicence, kindCertificate) {
		end, ok := d.get("operating_term_end")
		if !ok {
			continue
		}
		t, isDate := end.date()
		if !isDate || !t.Before(f.asOf) {
			continue
		}
		ws.add(Warning{Code: CodeRegistrationExpiry, Severity: Attention, Article: article12(1),
			Message: fmt.Sprintf("%s：%s的有效期已于 %s 届满，早于申报日 %s。%s",
				article12(1), docName(d), day(t), day(f.asOf), end.onPage()),
			Evidence: []Evidence{end.evidence()}})
	}
}

var opinionZh = map[string]string{
	"qualified": "保留意见", "adverse": "否定意见", "disclaimer": "无法表示意见",
}

// auditOpinion notes audit_opinion for an audit report whose opinion is not unqualified (无保留意见):
// 第十二条（一）财务收支状况良好、经营规范.
func (f *facts) auditOpinion(ws *warnings) {
	for _, d := range f.ofKind(kindAudit) {
		op, ok := d.get("audit_opinion")
		if !ok || op.f.Value == "unqualified" {
			continue
		}
		zh, known := opinionZh[op.f.Value]
		if !known {
			zh = op.f.Value
		}
		ws.add(Warning{Code: CodeAuditOpinion, Severity: Attention, Article: article12(1),
			Message: fmt.Sprintf("%s：%s出具的是%s，不是无保留意见，请核实财务收支状况。%s",
				article12(1), docName(d), zh, op.onPage()),
			Evidence: []Evidence{op.evidence()}})
	}
}
