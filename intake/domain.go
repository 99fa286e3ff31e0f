// Package intake is Shenbao's domain: applications, the documents uploaded to them, their way from
// received to done, and the Service that uploads, processes and checks them. It defines the small
// interfaces it consumes (BlobStore, Store, Recognizer); the backends in storage/ and the ocr package
// implement them, and main wires them together.
package intake

import (
	"time"

	"shenbao/doc"
)

// Application is one applicant's request for recognition in one year.
type Application struct {
	ID          string
	OrgName     string
	CreditCode  string
	Region      string       // the prefecture (地市) or park (园区) that recommends it
	Year        int          // the year of application; the evaluation year is Year-1
	Functions   []string     // 第十三条 functions claimed: information, technology, startup, training, financing
	ItemReviews []ItemReview // reviewers' decisions on checklist items, oldest first
	SubmittedAt time.Time    // when the applicant submitted; zero while it is a draft
	CreatedAt   time.Time
	UpdatedAt   time.Time
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
}

// ListOptions pages through a list. Limit 0 means the store's default (50); Offset skips.
type ListOptions struct {
	Limit  int
	Offset int
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
// OCR is kept beside a correction.
type FieldReview struct {
	Field    string
	Action   string // "confirm" or "correct"
	Value    string // canonical value (doc.Field) after the review
	OCRValue string // the value as extracted ("" if the field was not found)
	By       string
	At       time.Time
}

// KindReview is a reviewer's decision on a document's kind.
type KindReview struct {
	Kind    string
	OCRKind string
	By      string
	At      time.Time
}

// ItemReview is a reviewer's decision on one checklist item (第十七条 1–8; 0 for the 推荐表).
type ItemReview struct {
	Item     int
	Decision string // "accept" or "reject"
	Comment  string
	By       string
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
