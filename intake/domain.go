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
	Region      string    // the prefecture (地市) or park (园区) that recommends it
	Year        int       // the year of application; the evaluation year is Year-1
	Functions   []string  // 第十三条 functions claimed: information, technology, startup, training, financing
	SubmittedAt time.Time // when the applicant submitted; zero while it is a draft
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
	Fields         []doc.Field
	UploadedAt     time.Time
	UpdatedAt      time.Time
}

// Page is a document's page as stored: the read page plus the document it belongs to.
type Page struct {
	DocumentID string
	doc.Page
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
