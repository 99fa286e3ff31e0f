package checklist

import "strings"

// Warning codes of the shared checklist contract (../shared/corpus/README.md, "Warning codes"), and
// the prefixes of the numbered and per-field ones: missing_item:N (N = 1–8) and
// below_threshold:<field>.
const (
	PrefixMissingItem         = "missing_item:"
	PrefixBelowThreshold      = "below_threshold:"
	CodeMissingRecommendation = "missing_recommendation_form"
	CodeNameMismatch          = "name_mismatch"
	CodeBadCreditCode         = "bad_credit_code"
	CodeOperatingUnderTwo     = "operating_under_two_years"
	CodeWrongAuditYear        = "wrong_audit_year"
	CodeExpiredLease          = "expired_lease"
	CodeNoGrowth              = "no_growth"
	CodeRecognitionTooLow     = "recognition_level_too_low"
	CodeNoFunctionMet         = "no_function_met"
	CodeMissingSeal           = "missing_seal"
	CodeBlankPage             = "blank_page"
	CodeUnreadablePage        = "unreadable_page"
	CodeMisnamedFile          = "misnamed_file"
)

// This package's own notes, beyond the shared contract. Scored reports false for them.
const (
	CodeCreditCodeType      = "credit_code_type"     // the code's type does not fit the registration document
	CodeCreditCodeRegion    = "credit_code_region"   // the code was not issued in Tibet (characters 3–4 ≠ 54)
	CodeCreditCodeMismatch  = "credit_code_mismatch" // a document bears another code than the licence
	CodeRegistrationExpiry  = "registration_expired" // the licence/certificate's term ended before submission
	CodeAuditOpinion        = "audit_opinion"        // the audit opinion is not unqualified (无保留意见)
	CodeSealUnknown         = "seal_unknown"         // whether a document that needs a seal has one cannot be told
	CodeApplicationMismatch = "application_mismatch" // the application record's name or code is not the licence's
	CodeNameNearMiss        = "name_near_miss"       // a name differs from the registered one by a misread character or two
	CodeNameUnsure          = "name_unsure"          // another name was read, but not surely enough to call it a mismatch
	CodeFigureDoubtful      = "figure_doubtful"      // a figure read without certainty, contradicted by another document
	CodeOtherRegistration   = "other_registration"   // a 营业执照/法人证书 of another organisation than the applicant
)

var scoredCodes = map[string]bool{
	CodeMissingRecommendation: true, CodeNameMismatch: true, CodeBadCreditCode: true,
	CodeOperatingUnderTwo: true, CodeWrongAuditYear: true, CodeExpiredLease: true, CodeNoGrowth: true,
	CodeRecognitionTooLow: true, CodeNoFunctionMet: true, CodeMissingSeal: true, CodeBlankPage: true,
	CodeUnreadablePage: true, CodeMisnamedFile: true,
}

// scoredThresholds are the fields of the below_threshold:<field> codes of the shared contract.
var scoredThresholds = map[string]bool{
	"total_assets_yuan": true, "smes_served_last_year": true, "satisfaction_pct": true,
	"partner_institutions": true, "public_service_share_pct": true, "staff_total": true,
	"staff_qualified": true,
}

// Scored reports whether code is one of the warning codes of the shared checklist contract, which
// `score --checklist` counts, as opposed to one of this package's own notes.
func Scored(code string) bool {
	if n, ok := strings.CutPrefix(code, PrefixMissingItem); ok {
		return len(n) == 1 && n[0] >= '1' && n[0] <= '8'
	}
	if f, ok := strings.CutPrefix(code, PrefixBelowThreshold); ok {
		return scoredThresholds[f]
	}
	return scoredCodes[code]
}
