// Package intake is Shenbao's domain: applications, the documents uploaded to them, their way from
// received to done, and the Service that uploads, processes and checks them. It defines the small
// interfaces it consumes (BlobStore, Store, Recognizer); the backends in storage/ and the ocr package
// implement them, and main wires them together.
package intake

import (
	"time"

	"shenbao/doc"
)

// Application is one applicant's request for recognition in one year, and its way through the cycle of
// 第十五–二十三条 (cycle.go).
type Application struct {
	ID          string
	OwnerID     string // the applicant's user id
	State       State
	OrgName     string
	CreditCode  string
	Region      string       // the prefecture (地市) or park (园区) that recommends it
	Year        int          // the year of application; the evaluation year is Year-1
	Functions   []string     // 第十三条 functions claimed: information, technology, startup, training, financing
	ItemReviews []ItemReview // reviewers' decisions on checklist items, oldest first
	SubmittedAt time.Time    // when the applicant last submitted; zero while it is a draft. The checklist is evaluated as of this date.

	Acknowledged   []Acknowledgement // blocking warnings the applicant acknowledged when submitting
	Returns        []Return          // the recommender's returns, oldest first
	Recommendation *Recommendation   // 第十六条
	Experts        []string          // user ids of the experts assigned (第十八条)
	ExpertReviews  []ExpertReview    // one per expert, the latest kept
	Decision       *Decision         // staff's decision after the experts' review
	Publicity      *Publicity        // 公示 (第十八条)
	Recognition    *Recognition      // 第二十二条
	Revocation     *Revocation       // 第二十二、二十三条
	Evaluations    []Evaluation      // third-party evaluation results (第二十三条)

	CreatedAt time.Time
	UpdatedAt time.Time
}

// Acknowledgement is a blocking warning the applicant chose to submit with, and why.
type Acknowledgement struct {
	Code   string // the warnings' code (e.g. missing_item:6)
	Reason string
	By     Actor
	At     time.Time
}

// Return is a recommender's sending back of an application, with everything to fix at once (一次告知).
type Return struct {
	Reasons []string
	By      Actor
	At      time.Time
}

// Recommendation is the recommender's 推荐 with its 测评 (第十六条): operation, performance and
// satisfaction graded 优秀/良好/合格/不合格.
type Recommendation struct {
	Opinion      string
	Operation    string // 运营情况
	Performance  string // 服务业绩
	Satisfaction string // 满意度
	By           Actor
	At           time.Time
}

// Grades are the 测评 grades a recommender gives.
var Grades = []string{"优秀", "良好", "合格", "不合格"}

// ExpertReview is one expert's conclusion on an application.
type ExpertReview struct {
	Score      int    // 0–100
	Conclusion string // "pass" or "fail"
	Comment    string
	By         Actor
	At         time.Time
}

// Decision is staff's decision after the experts' review: "pass" goes to 公示, "fail" ends the
// application not recognised.
type Decision struct {
	Outcome string
	Comment string
	By      Actor
	At      time.Time
}

// Publicity is the 公示 of a passed application: Start to End, 7 working days on the official calendar.
type Publicity struct {
	Start time.Time
	End   time.Time
	By    Actor
}

// Recognition is the grant: a certificate number, valid three years from Date (第二十二条).
type Recognition struct {
	CertificateNo string
	Date          time.Time
	ValidUntil    time.Time
	By            Actor
}

// Revocation withdraws a recognition, with the reason (第二十二、二十三条).
type Revocation struct {
	Reason string
	By     Actor
	At     time.Time
}

// Evaluation is a third-party evaluation result recorded by staff (第二十三条).
type Evaluation struct {
	Result  string // "pass" or "fail"
	Comment string
	By      Actor
	At      time.Time
}

// Status is where a document is on its way through the service.
type Status string

const (
	StatusReceived   Status = "received"   // stored, waiting for a worker
	StatusProcessing Status = "processing" // a worker is reading it
	StatusDone       Status = "done"       // read, classified, fields extracted
	StatusFailed     Status = "failed"     // could not be read; Reason says why
)

// Document is one uploaded file of an application. The original bytes live in the BlobStore under
// BlobKey and are never modified.
type Document struct {
	ID             string
	ApplicationID  string
	FileName       string // as the applicant named it
	ContentType    string // sniffed from the content: application/pdf, image/jpeg, image/png, image/tiff
	Size           int64
	SHA256         string // hex
	BlobKey        string
	Status         Status
	Reason         string // why it failed, for people (Chinese)
	Attempts       int    // processing attempts started
	Kind           string // doc.Kinds name, once read
	KindConfidence float64
	PageCount      int
	PagesDone      int           // pages read so far, while processing
	ReplacedBy     string        // the document that replaces this one; it then serves no item
	Pages          []PageSummary // one per page, once read
	Fields         []doc.Field   // as extracted; see EffectiveFields for the reviewed view
	Reviews        []FieldReview // reviewers' confirmations and corrections, oldest first
	KindReview     *KindReview   // a reviewer's decision that the document is of another kind
	UploadedAt     time.Time
	UpdatedAt      time.Time
	// Owner is the claim that took the document to be read last (a process and its count of claims,
	// see DocumentStore.ClaimDocument); LeaseUntil is when that claim runs out unless renewed, zero
	// once the document is not processing.
	Owner      string
	LeaseUntil time.Time
}

// ListOptions pages through a list. Limit 0 means the store's default (50); Offset skips.
type ListOptions struct {
	Limit  int
	Offset int
}

// ApplicationQuery selects applications: every condition set must hold. Newest first, paged.
type ApplicationQuery struct {
	Owner    string  // OwnerID equal
	Region   string  // Region equal
	Expert   string  // among Experts
	Year     int     // Year equal
	States   []State // State among these
	NotDraft bool    // State is not draft
	ListOptions
}

// PageSummary is what the checklist and the lists need of a page, without its words.
type PageSummary struct {
	Number    int
	Blank     bool
	Illegible bool
	Seals     int    // red seals found (-1: unknown, the page has no colour)
	Error     string // why it could not be read
}

// FieldReview is a reviewer's confirmation or correction of one extracted field. The value read by
// OCR is kept beside a correction, and so is where the reviewer marked the value on the page, if they
// did.
type FieldReview struct {
	Field    string
	Action   string  // "confirm" or "correct"
	Value    string  // canonical value (doc.Field) after the review
	OCRValue string  // the value as extracted ("" if the field was not found)
	Page     int     // the page the reviewer marked the value on (a correction only); 0: not marked
	Box      doc.Box // the value's box on Page, in the page's pixels as doc.Field's Box
	By       Actor
	At       time.Time
}

// KindReview is a reviewer's decision on a document's kind.
type KindReview struct {
	Kind    string
	OCRKind string
	By      Actor
	At      time.Time
}

// ItemReview is a reviewer's decision on one checklist item (第十七条 1–8; 0 for the 推荐表).
type ItemReview struct {
	Item     int
	Decision string // "accept" or "reject"
	Comment  string
	By       Actor
	At       time.Time
}

// EffectiveKind is the kind a reviewer set, or else the one recognised.
func (d *Document) EffectiveKind() string {
	if d.KindReview != nil {
		return d.KindReview.Kind
	}
	return d.Kind
}

// EffectiveFields are the extracted fields with the latest review of each applied: a correction
// replaces the value, and a reviewed field is certain (confidence 1, flagged "confirmed" or
// "corrected").
func (d *Document) EffectiveFields() []doc.Field {
	latest := map[string]FieldReview{}
	for _, r := range d.Reviews {
		latest[r.Field] = r
	}
	out := make([]doc.Field, 0, len(d.Fields)+len(latest))
	seen := map[string]bool{}
	for _, f := range d.Fields {
		seen[f.Name] = true
		if r, ok := latest[f.Name]; ok {
			f = reviewed(f, r)
		}
		out = append(out, f)
	}
	for _, r := range d.Reviews { // corrections of fields extraction did not find
		if !seen[r.Field] && latest[r.Field] == r {
			seen[r.Field] = true
			out = append(out, reviewed(doc.Field{Name: r.Field}, r))
		}
	}
	return out
}

func reviewed(f doc.Field, r FieldReview) doc.Field {
	f.Flags = append(append([]string(nil), f.Flags...), map[string]string{"confirm": "confirmed", "correct": "corrected"}[r.Action])
	f.Value = r.Value
	f.Confidence = 1
	return f
}
