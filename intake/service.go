package intake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"shenbao/checklist"
	"shenbao/doc"
	"shenbao/extract"
	"shenbao/extract/normalize"
)

// Config sets the Service's limits.
type Config struct {
	MaxFileSize int64 // bytes; default 50 MB
	// Workers is how many pages are read at once (the OCR workers); default 1. They are shared out a
	// page at a time, fairly across applications.
	Workers int
	// Documents is how many documents are in progress at once; default 2×Workers+2, at least 4.
	// Negative: none, the process only serves (other processes read the documents).
	Documents int
	// Lease is how long a claimed document stays this process's without a heartbeat: the process
	// renews it every third of it while it reads, and a document whose process died is claimed again
	// once it runs out; default 1 minute.
	Lease       time.Duration
	TempDir     string        // where uploads are spooled; default os.TempDir()
	PollEvery   time.Duration // how often idle workers look for work; default 2 s
	MaxAttempts int           // claims of a document (each after its reader died counts one) before it fails; default 3
	// ReadAttempts is how many times a document is read when the reader or a store fails it (not the
	// file) before it fails with a reason that says to try again later; default 4. RetryDelay is the
	// wait after the first failure, three times as long after each next one; default 5 s.
	ReadAttempts int
	RetryDelay   time.Duration
	// MaxDocumentPages and MaxApplicationPages cap the pages of one document and of an application's
	// documents (those not replaced or failed); defaults 300 and 1000.
	MaxDocumentPages    int
	MaxApplicationPages int
	Auth                AuthConfig // sessions and login limits
	Calendar            Calendar   // the official working-day calendar, for 公示 periods
	// RetentionYears is how long a decided application's originals, and the log's anchors, are kept
	// under retention where the blob store can (Retainer); default 10.
	RetentionYears int
	Compiler       Compiler // makes the 材料汇编; nil: packages go without it
	Metrics        Metrics  // records processing for the operators; nil: nothing is recorded
}

// Service is Shenbao's use cases: applications, uploads, background processing and the checklist.
type Service struct {
	blobs BlobStore
	store Store
	rec   Recognizer
	log   *slog.Logger
	now   func() time.Time
	cfg   Config
	auth  AuthConfig
	cal   Calendar
	wake  chan struct{}

	id      string        // this process among those sharing the store, in its claims' owners
	claims  atomic.Uint64 // claims so far: a claim's owner is id/number
	writing sync.Map      // document id → *sync.Mutex, while held: see updateDocument

	turns   *turns     // the reading slots, shared fairly across applications
	orphans orphans    // originals stored by uploads whose document could not be recorded
	capsMu  sync.Mutex // held while a document's pages are counted against its application's cap
}

// NewService wires a Service. now is the clock (time.Now in production).
func NewService(blobs BlobStore, store Store, rec Recognizer, log *slog.Logger, now func() time.Time, cfg Config) *Service {
	if cfg.MaxFileSize <= 0 {
		cfg.MaxFileSize = 50 << 20
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 1
	}
	if cfg.TempDir == "" {
		cfg.TempDir = os.TempDir()
	}
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = 2 * time.Second
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 3
	}
	if cfg.Documents == 0 {
		cfg.Documents = max(4, 2*cfg.Workers+2)
	}
	if cfg.Lease <= 0 {
		cfg.Lease = time.Minute
	}
	if cfg.ReadAttempts <= 0 {
		cfg.ReadAttempts = 4
	}
	if cfg.RetryDelay <= 0 {
		cfg.RetryDelay = 5 * time.Second
	}
	if cfg.MaxDocumentPages <= 0 {
		cfg.MaxDocumentPages = 300
	}
	if cfg.MaxApplicationPages <= 0 {
		cfg.MaxApplicationPages = 1000
	}
	cfg.Auth.defaults()
	if cfg.RetentionYears <= 0 {
		cfg.RetentionYears = 10
	}
	return &Service{blobs: blobs, store: store, rec: rec, log: log, now: now, cfg: cfg, auth: cfg.Auth, cal: cfg.Calendar, wake: make(chan struct{}, 1),
		id: processID(), turns: newTurns(cfg.Workers)}
}

// processID names this process among those sharing a store: host, process id and a random part (a
// process id comes again after a restart).
func processID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "host"
	}
	var b [3]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// Functions are the 第十三条 service functions an application may claim.
var Functions = doc.FunctionNames()

// NewApplication is what an applicant states when creating an application.
type NewApplication struct {
	OrgName    string
	CreditCode string
	Region     string
	Year       int
	Functions  []string
}

// CreateApplication validates and stores a new draft application of the applicant p.
func (s *Service) CreateApplication(ctx context.Context, p Principal, in NewApplication) (*Application, error) {
	if p.Role != RoleApplicant {
		return nil, forbidden("只有申报单位可以新建申报。")
	}
	in.OrgName = strings.TrimSpace(in.OrgName)
	in.CreditCode = strings.ToUpper(strings.TrimSpace(in.CreditCode))
	in.Region = strings.TrimSpace(in.Region)
	now := s.now()
	switch {
	case in.OrgName == "" || utf8.RuneCountInString(in.OrgName) > 100:
		return nil, &Error{Code: "invalid_org_name", Message: "请填写申报单位名称（不超过 100 字）。", Err: ErrInvalid}
	case in.CreditCode != "" && utf8.RuneCountInString(in.CreditCode) != 18:
		return nil, &Error{Code: "invalid_credit_code", Message: "统一社会信用代码应为 18 位。", Err: ErrInvalid}
	case in.CreditCode != "" && !normalize.ValidCreditCode(in.CreditCode):
		return nil, &Error{Code: "invalid_credit_code", Message: "统一社会信用代码的校验位不符（GB 32100-2015），请核对后重新填写。", Err: ErrInvalid}
	case utf8.RuneCountInString(in.Region) > 50:
		return nil, &Error{Code: "invalid_region", Message: "所在地（市）或园区名称过长。", Err: ErrInvalid}
	}
	if in.Year == 0 {
		in.Year = now.Year()
	}
	if in.Year < 2000 || in.Year > now.Year()+1 {
		return nil, &Error{Code: "invalid_year", Message: "申报年度不正确。", Err: ErrInvalid}
	}
	for _, f := range in.Functions {
		if !slices.Contains(Functions, f) {
			return nil, &Error{Code: "invalid_function", Message: "服务功能只能是：信息、技术、创业、培训、融资服务。", Err: ErrInvalid}
		}
	}
	fns := slices.Clone(in.Functions)
	slices.Sort(fns)
	a := &Application{
		ID: newID("app"), OwnerID: p.UserID, State: StateDraft, OrgName: in.OrgName, CreditCode: in.CreditCode, Region: in.Region, Year: in.Year,
		Functions: slices.Compact(fns), CreatedAt: now, UpdatedAt: now,
	}
	if err := s.store.CreateApplication(ctx, a); err != nil {
		return nil, fmt.Errorf("create application: %w", err)
	}
	s.record(ctx, p, Event{Action: "application.create", ApplicationID: a.ID, To: a.State})
	return a, nil
}

// Application returns one application p may see. Returns ErrNotFound if there is none.
func (s *Service) Application(ctx context.Context, p Principal, id string) (*Application, error) {
	return s.application(ctx, p, id)
}

// Applications lists the applications p may see that q selects, newest first, with the total count.
func (s *Service) Applications(ctx context.Context, p Principal, q ApplicationQuery) ([]*Application, int, error) {
	q, ok := scope(p, q)
	if !ok {
		return nil, 0, nil
	}
	q.ListOptions = clampList(q.ListOptions)
	return s.store.ListApplications(ctx, q)
}

// Upload streams one file into an application: it is spooled to disk while hashed and sniffed, then
// stored under its content address and queued for processing. If the application already has the same
// file, the existing document is returned with duplicate true and nothing is stored again.
func (s *Service) Upload(ctx context.Context, p Principal, applicationID, fileName string, r io.Reader) (d *Document, duplicate bool, err error) {
	a, err := s.application(ctx, p, applicationID)
	if err != nil {
		return nil, false, err
	}
	if err := mayEditMaterials(p, a); err != nil {
		return nil, false, err
	}
	return s.upload(ctx, p, applicationID, "", fileName, r)
}

// MayUpload says whether p may upload documents to the application now (the edge asks before it reads
// a request's body).
func (s *Service) MayUpload(ctx context.Context, p Principal, applicationID string) error {
	a, err := s.application(ctx, p, applicationID)
	if err != nil {
		return err
	}
	return mayEditMaterials(p, a)
}

// upload stores a file as a new document of the application (replacing: the id of the document it will
// replace, or ""), or returns the document that has the same bytes.
func (s *Service) upload(ctx context.Context, p Principal, applicationID, replacing, fileName string, r io.Reader) (d *Document, duplicate bool, err error) {
	sp, err := spool(ctx, s.cfg.TempDir, r, s.cfg.MaxFileSize, s.pageCounter())
	if err != nil {
		return nil, false, err
	}
	defer os.Remove(sp.path)
	f, err := os.Open(sp.path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	if err := s.roomForPages(ctx, applicationID, sp.sha256, replacing); err != nil {
		return nil, false, err
	}
	key := BlobKey(sp.sha256)
	fresh, release := s.orphans.claim(ctx, s.blobs, key)
	defer release()
	if err := s.blobs.Put(ctx, key, f, sp.size, sp.sha256); err != nil {
		return nil, false, fmt.Errorf("store original: %w", err)
	}
	now := s.now()
	d = &Document{
		ID: newID("doc"), ApplicationID: applicationID, FileName: cleanFileName(fileName), ContentType: sp.contentType,
		Size: sp.size, SHA256: sp.sha256, BlobKey: key, Status: StatusReceived, UploadedAt: now, UpdatedAt: now,
	}
	existing, err := s.store.AddDocument(ctx, d)
	if errors.Is(err, ErrConflict) && existing != nil {
		s.log.InfoContext(ctx, "duplicate upload", "application", applicationID, "document", existing.ID, "status", string(existing.Status))
		if existing.Status == StatusFailed && existing.ReplacedBy == "" {
			// The same bytes again: a document that failed is read again (the fault may have been
			// the service's, or since fixed) rather than handed back with its stale reason.
			if err := s.queueAgain(ctx, p, existing, "重新上传同一文件"); err != nil {
				return nil, false, err
			}
		}
		return existing, true, nil
	}
	if err != nil {
		if fresh {
			s.orphans.add(key) // stored by this upload, and no record of it: removed once the store answers
		}
		return nil, false, fmt.Errorf("add document: %w", err)
	}
	s.log.InfoContext(ctx, "document received", "application", applicationID, "document", d.ID, "type", d.ContentType, "bytes", d.Size)
	s.record(ctx, p, Event{Action: "document.upload", ApplicationID: applicationID, Object: d.ID, Comment: d.SHA256})
	s.poke()
	return d, false, nil
}

// Replace uploads a file that replaces one of the application's documents: the old one stays in the
// archive, marked as replaced, and serves no item any more.
func (s *Service) Replace(ctx context.Context, p Principal, applicationID, oldID, fileName string, r io.Reader) (*Document, bool, error) {
	old, a, err := s.document(ctx, p, oldID)
	if err != nil {
		return nil, false, err
	}
	if old.ApplicationID != applicationID {
		return nil, false, &Error{Code: "not_in_application", Message: "要替换的文件不属于该申报。", Err: ErrInvalid}
	}
	if err := mayEditMaterials(p, a); err != nil {
		return nil, false, err
	}
	d, dup, err := s.upload(ctx, p, applicationID, old.ID, fileName, r)
	if err != nil || d.ID == old.ID {
		return d, dup, err
	}
	old.ReplacedBy = d.ID
	old.UpdatedAt = s.now()
	if err := s.store.UpdateDocument(ctx, old); err != nil {
		return nil, false, fmt.Errorf("mark %s replaced: %w", old.ID, err)
	}
	s.record(ctx, p, Event{Action: "document.replace", ApplicationID: applicationID, Object: old.ID, Comment: "→ " + d.ID})
	return d, dup, nil
}

// Document returns one document p may see. Returns ErrNotFound if there is none.
func (s *Service) Document(ctx context.Context, p Principal, id string) (*Document, error) {
	d, _, err := s.document(ctx, p, id)
	return d, err
}

// Documents lists an application's documents in upload order.
func (s *Service) Documents(ctx context.Context, p Principal, applicationID string) ([]*Document, error) {
	if _, err := s.application(ctx, p, applicationID); err != nil {
		return nil, err
	}
	return s.store.ListDocuments(ctx, applicationID)
}

// Original opens a document's original bytes. The reader checks them against the SHA-256 and size they
// were uploaded with as they stream (openOriginal): a changed original fails its last Read with
// ErrCorrupt, a missing one fails here; either is logged as an error.
func (s *Service) Original(ctx context.Context, p Principal, documentID string) (*Document, io.ReadCloser, error) {
	d, _, err := s.document(ctx, p, documentID)
	if err != nil {
		return nil, nil, err
	}
	rc, err := s.openOriginal(ctx, d.ID, d.BlobKey, d.Size, d.SHA256)
	if err != nil {
		return nil, nil, err
	}
	return d, rc, nil
}

// Pages returns a document's read pages with their words and boxes.
func (s *Service) Pages(ctx context.Context, p Principal, documentID string) ([]doc.Page, error) {
	if _, _, err := s.document(ctx, p, documentID); err != nil {
		return nil, err
	}
	return s.store.Pages(ctx, documentID)
}

// Checklist evaluates an application from the documents that are done — as of its submission date once
// submitted, else as of now — and returns the application with it (its item reviews go beside the
// report).
func (s *Service) Checklist(ctx context.Context, p Principal, applicationID string) (*Application, checklist.Report, error) {
	a, err := s.application(ctx, p, applicationID)
	if err != nil {
		return nil, checklist.Report{}, err
	}
	docs, err := s.store.ListDocuments(ctx, applicationID)
	if err != nil {
		return nil, checklist.Report{}, err
	}
	return a, Evaluate(a, docs, s.now()), nil
}

// Evaluate runs the checklist over an application's finished documents, their fields held against each
// other (Agree), as of its submission date, or as of now while it has none: the checklist of a
// submitted application does not change with the date.
func Evaluate(a *Application, docs []*Document, now time.Time) checklist.Report {
	submitted := a.SubmittedAt
	if submitted.IsZero() {
		submitted = now
	} else {
		now = submitted
	}
	app := checklist.Application{ID: a.ID, OrgName: a.OrgName, CreditCode: a.CreditCode, SubmissionDate: submitted, EvaluationYear: a.Year - 1}
	var in []checklist.Document
	for _, d := range docs {
		if d.counts() {
			in = append(in, CheckDocument(d))
		}
	}
	Agree(declared(a), in)
	return checklist.Evaluate(app, in, now)
}

// CheckDocument is a read document as the checklist sees it: its reviewed kind and fields, and of each
// page whether it is blank, unreadable or sealed.
func CheckDocument(d *Document) checklist.Document {
	cd := checklist.Document{ID: d.ID, FileName: d.FileName, Kind: d.EffectiveKind(), Fields: d.EffectiveFields()}
	for _, p := range d.Pages {
		cd.Pages = append(cd.Pages, checklist.PageInfo{Number: p.Number, Blank: p.Blank, Illegible: p.Illegible || p.Error != "", HasSeal: p.Seals > 0, SealUnknown: p.Seals < 0})
	}
	return cd
}

func (s *Service) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// newID returns prefix_ and 16 random hex digits.
func newID(prefix string) string {
	var b [8]byte
	rand.Read(b[:])
	return prefix + "_" + hex.EncodeToString(b[:])
}

// Sightings tells where the application's declared name and credit code are printed on a document
// (read with OCR-tolerant matching); a value that is nowhere on the document has no sighting.
func (s *Service) Sightings(ctx context.Context, p Principal, documentID string) (*Application, []extract.Sighting, error) {
	_, a, err := s.document(ctx, p, documentID)
	if err != nil {
		return nil, nil, err
	}
	pages, err := s.store.Pages(ctx, documentID)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	if a.OrgName != "" {
		names = []string{a.OrgName}
	}
	return a, extract.Locate(pages, names, a.CreditCode), nil
}

// allApplications returns every application q selects (at most max, 0 for no bound), newest first,
// reading the store a page at a time.
func (s *Service) allApplications(ctx context.Context, q ApplicationQuery, max int) ([]*Application, error) {
	var out []*Application
	for off := 0; max == 0 || off < max; off += 200 {
		q.ListOptions = ListOptions{Limit: 200, Offset: off}
		apps, total, err := s.store.ListApplications(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, apps...)
		if off+len(apps) >= total || len(apps) == 0 {
			break
		}
	}
	return out, nil
}

// allEvents returns every event of an application ("" for the whole log), oldest first.
func (s *Service) allEvents(ctx context.Context, applicationID string) ([]*Event, error) {
	var evs []*Event
	for off := 0; ; off += 200 {
		page, total, err := s.store.ListEvents(ctx, EventQuery{ApplicationID: applicationID, ListOptions: ListOptions{Limit: 200, Offset: off}})
		if err != nil {
			return nil, err
		}
		evs = append(evs, page...)
		if off+len(page) >= total || len(page) == 0 {
			break
		}
	}
	slices.Reverse(evs)
	return evs, nil
}

// roomForPages refuses an upload when the application's documents (not replaced, not failed, not the
// one being replaced) already have as many pages as its cap allows: the new file has at least one.
// A file the application already has is let through, to be handled as the duplicate it is.
func (s *Service) roomForPages(ctx context.Context, applicationID, sha, replacing string) error {
	docs, err := s.store.ListDocuments(ctx, applicationID)
	if err != nil {
		return fmt.Errorf("list documents: %w", err)
	}
	used := 0
	for _, d := range docs {
		switch {
		case d.SHA256 == sha:
			return nil
		case d.ID != replacing && d.ReplacedBy == "" && d.Status != StatusFailed:
			used += d.PageCount
		}
	}
	if used+1 > s.cfg.MaxApplicationPages {
		return &Error{Code: "too_many_pages", Err: ErrTooLarge,
			Message: fmt.Sprintf("本申报的材料已有 %d 页，达到每个申报 %d 页的上限，不能再上传：请精简材料（例如替换为页数更少的文件）。", used, s.cfg.MaxApplicationPages)}
	}
	return nil
}
