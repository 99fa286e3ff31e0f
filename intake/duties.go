package intake

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"time"
)

// FilingKind is a yearly duty of a recognised platform or of its recommender.
type FilingKind string

const (
	// WorkSummary: a recognised platform's work summary of the previous year, due by the end of
	// February (第二十一条).
	WorkSummary FilingKind = "work_summary"
	// InspectionReport: a recommender's report on the platforms of its region — their work summaries
	// and its inspection of service quality, charges and satisfaction — due by 10 March (第二十三条).
	InspectionReport FilingKind = "inspection_report"
)

// Label is the kind's Chinese name.
func (k FilingKind) Label() string {
	switch k {
	case WorkSummary:
		return "年度工作总结"
	case InspectionReport:
		return "年度检查情况报告"
	}
	return string(k)
}

// Filing is one yearly duty handed in: a file kept, like every original, under its SHA-256.
type Filing struct {
	ID            string
	Kind          FilingKind
	Year          int    // the year reported on
	ApplicationID string // a work summary's recognised application
	Region        string // an inspection report's region or park
	FileName      string
	ContentType   string
	Size          int64
	SHA256        string
	BlobKey       string
	By            Actor
	At            time.Time
}

// FilingStore keeps the yearly duties handed in.
type FilingStore interface {
	// AddFiling stores a new filing (f.ID set and unused, else ErrConflict).
	AddFiling(ctx context.Context, f *Filing) error
	// GetFiling returns ErrNotFound if there is no filing with that id.
	GetFiling(ctx context.Context, id string) (*Filing, error)
	// ListFilings returns the filings reporting on a year, oldest first.
	ListFilings(ctx context.Context, year int) ([]*Filing, error)
}

// Duty is one thing due in a year: who owes it, by when, and what was handed in.
type Duty struct {
	Kind        FilingKind
	Year        int // the year reported on
	Due         time.Time
	Application *Application // a work summary's platform
	Region      string
	Filings     []*Filing // handed in, oldest first
	Overdue     bool      // nothing handed in and the day is past
}

// dueDate is the last day to hand in a duty reporting on year: the end of February of the next year
// (第二十一条) or 10 March (第二十三条).
func dueDate(kind FilingKind, year int) time.Time {
	if kind == WorkSummary {
		return time.Date(year+1, time.March, 1, 0, 0, 0, 0, chinaTime).AddDate(0, 0, -1)
	}
	return time.Date(year+1, time.March, 10, 0, 0, 0, 0, chinaTime)
}

// recognisedIn reports whether a's recognition covered some day of year.
func recognisedIn(a *Application, year int) bool {
	r := a.Recognition
	if r == nil || (a.State != StateRecognised && a.State != StateExpired && a.State != StateRevoked) {
		return false
	}
	first, last := time.Date(year, 1, 1, 0, 0, 0, 0, chinaTime), time.Date(year, 12, 31, 0, 0, 0, 0, chinaTime)
	end := r.ValidUntil
	if a.Revocation != nil && a.Revocation.At.Before(end) {
		end = dateOf(a.Revocation.At)
	}
	return !r.Date.After(last) && !end.Before(first)
}

// Duties lists what is due reporting on year, as p may see it: a work summary of every platform whose
// recognition covered some of that year, and an inspection report of every region with such a
// platform; staff and auditors see all, an applicant its own, a recommender its region's.
func (s *Service) Duties(ctx context.Context, p Principal, year int) ([]Duty, error) {
	if year < 2000 || year > s.now().Year() {
		return nil, &Error{Code: "invalid_year", Message: "年度不正确。", Err: ErrInvalid}
	}
	q, ok := scope(p, ApplicationQuery{States: []State{StateRecognised, StateExpired, StateRevoked}})
	if !ok || p.Role == RoleExpert {
		return nil, nil
	}
	filings, err := s.store.ListFilings(ctx, year)
	if err != nil {
		return nil, err
	}
	today := dateOf(s.now())
	var duties []Duty
	regions := map[string]bool{}
	apps, err := s.allApplications(ctx, q, 0)
	if err != nil {
		return nil, err
	}
	for _, a := range apps {
		if !recognisedIn(a, year) {
			continue
		}
		d := Duty{Kind: WorkSummary, Year: year, Due: dueDate(WorkSummary, year), Application: a, Region: a.Region}
		for _, f := range filings {
			if f.Kind == WorkSummary && f.ApplicationID == a.ID {
				d.Filings = append(d.Filings, f)
			}
		}
		duties = append(duties, d)
		regions[a.Region] = true
	}
	if p.Role != RoleApplicant {
		for _, r := range slices.Sorted(maps.Keys(regions)) {
			d := Duty{Kind: InspectionReport, Year: year, Due: dueDate(InspectionReport, year), Region: r}
			for _, f := range filings {
				if f.Kind == InspectionReport && f.Region == r {
					d.Filings = append(d.Filings, f)
				}
			}
			duties = append(duties, d)
		}
	}
	for i := range duties {
		duties[i].Overdue = len(duties[i].Filings) == 0 && today.After(duties[i].Due)
	}
	return duties, nil
}

// HandIn stores a yearly duty's file: a work summary by the platform's applicant (applicationID
// names the recognised application), an inspection report by the recommender of the region. A file
// handed in late is kept and marked by its time; the board shows the duty done.
func (s *Service) HandIn(ctx context.Context, p Principal, kind FilingKind, year int, applicationID, fileName string, r io.Reader) (*Filing, error) {
	f := &Filing{ID: newID("fil"), Kind: kind, Year: year, By: p.actor()}
	switch kind {
	case WorkSummary:
		a, err := s.application(ctx, p, applicationID)
		if err != nil {
			return nil, err
		}
		if err := allowed(p, RoleApplicant); err != nil {
			return nil, err
		}
		if !recognisedIn(a, year) {
			return nil, &Error{Code: "not_recognised_that_year", Message: fmt.Sprintf("该平台 %d 年不在认定有效期内，无需提交该年度工作总结。", year), Err: ErrInvalid}
		}
		f.ApplicationID, f.Region = a.ID, a.Region
	case InspectionReport:
		if err := allowed(p, RoleRecommender); err != nil {
			return nil, err
		}
		f.Region = p.Region
		due, err := s.regionOwes(ctx, p.Region, year)
		if err != nil {
			return nil, err
		}
		if !due {
			return nil, &Error{Code: "nothing_due", Message: fmt.Sprintf("%d 年本地区没有在认定有效期内的示范平台，无需提交该年度检查情况报告。", year), Err: ErrInvalid}
		}
	default:
		return nil, &Error{Code: "invalid_kind", Message: "只能提交年度工作总结或年度检查情况报告。", Err: ErrInvalid}
	}
	if year < 2000 || year >= s.now().Year()+1 {
		return nil, &Error{Code: "invalid_year", Message: "年度不正确。", Err: ErrInvalid}
	}
	sp, err := spool(ctx, s.cfg.TempDir, r, s.cfg.MaxFileSize, s.pageCounter())
	if err != nil {
		return nil, err
	}
	defer os.Remove(sp.path)
	file, err := os.Open(sp.path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	key := BlobKey(sp.sha256)
	_, release := s.orphans.claim(ctx, s.blobs, key) // wanted again: not to be removed as an orphan
	defer release()
	if err := s.blobs.Put(ctx, key, file, sp.size, sp.sha256); err != nil {
		return nil, fmt.Errorf("store filing: %w", err)
	}
	f.FileName, f.ContentType, f.Size, f.SHA256, f.BlobKey, f.At = cleanFileName(fileName), sp.contentType, sp.size, sp.sha256, key, s.now()
	if err := s.store.AddFiling(ctx, f); err != nil {
		return nil, fmt.Errorf("add filing: %w", err)
	}
	s.record(ctx, p, Event{Action: "filing." + string(kind), ApplicationID: f.ApplicationID, Object: f.ID, Comment: fmt.Sprintf("%d %s %s", year, f.Region, f.SHA256)})
	return f, nil
}

// regionOwes reports whether a region had a platform recognised during year (and so owes that
// year's inspection report).
func (s *Service) regionOwes(ctx context.Context, region string, year int) (bool, error) {
	apps, err := s.allApplications(ctx, ApplicationQuery{Region: region, States: []State{StateRecognised, StateExpired, StateRevoked}}, 0)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(apps, func(a *Application) bool { return recognisedIn(a, year) }), nil
}

// FilingOriginal opens a filing's file, if p may see it, checked against its SHA-256 as it streams
// (see Original).
func (s *Service) FilingOriginal(ctx context.Context, p Principal, id string) (*Filing, io.ReadCloser, error) {
	f, err := s.store.GetFiling(ctx, id)
	if err != nil {
		return nil, nil, errNoFiling
	}
	visible := p.Role == RoleStaff || p.Role == RoleAuditor || (p.Role == RoleRecommender && p.Region != "" && f.Region == p.Region)
	if !visible && f.ApplicationID != "" {
		_, err := s.application(ctx, p, f.ApplicationID)
		visible = err == nil && p.Role != RoleExpert
	}
	if !visible {
		return nil, nil, errNoFiling
	}
	rc, err := s.openOriginal(ctx, f.ID, f.BlobKey, f.Size, f.SHA256)
	if err != nil {
		return nil, nil, fmt.Errorf("open filing %s: %w", f.ID, err)
	}
	return f, rc, nil
}

var errNoFiling = &Error{Code: "not_found", Message: "未找到该文件。", Err: ErrNotFound}
