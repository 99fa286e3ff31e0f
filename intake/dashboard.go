package intake

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode"

	"shenbao/checklist"
)

// DashboardQuery filters and orders the staff dashboard.
type DashboardQuery struct {
	Region string  // exact; "" for all
	Year   int     // 0 for all
	States []State // any of these; none for all
	// Search matches part of the name (spaces, punctuation and the width of characters aside) or of
	// the credit code (case aside); "" for all.
	Search string
	// Sort is a column: "completeness" (fewest items first), "blocking" (most blocking warnings
	// first), "attention", "documents", "failed", "org", "region", "year", "state", "updated"
	// (latest first), else newest first. Desc reverses the column's own order.
	Sort string
	Desc bool
	ListOptions
}

// Summary is an application at a glance. Documents, Processing and Failed count the documents that
// serve the application: a file replaced by another is kept in the archive but not counted.
type Summary struct {
	ItemsPresent, ItemsTotal      int
	Blocking, Attention, Notes    int
	Documents, Processing, Failed int
	// Reviewers' decisions: checklist items accepted and rejected (the latest decision on each), and
	// the experts' conclusions (第十八条) with their mean score.
	ItemsAccepted, ItemsRejected int
	ExpertsPass, ExpertsFail     int
	ExpertScore                  float64 // mean of the experts' scores; 0 without any
}

// DashboardRow is one application with its summary and its checklist.
type DashboardRow struct {
	Application *Application
	Summary     Summary
	Report      checklist.Report
	Documents   []*Document
}

// dashboardScan bounds how many applications the dashboard reads to filter and sort (an annual round
// has tens to hundreds).
const dashboardScan = 5000

// Dashboard lists applications with their completeness and warning counts, filtered, sorted and paged.
// Summaries are computed from the documents each time (the checklist is cheap and pure).
func (s *Service) Dashboard(ctx context.Context, p Principal, q DashboardQuery) ([]DashboardRow, int, error) {
	rows, err := s.dashboardRows(ctx, p, q)
	if err != nil {
		return nil, 0, err
	}
	total := len(rows)
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	lo := min(max(q.Offset, 0), total)
	hi := min(lo+q.Limit, total)
	return rows[lo:hi], total, nil
}

// DashboardExport is the whole dashboard list for a spreadsheet: every application that matches q,
// in its order, unpaged, with its checklist and documents. Only staff export: ErrForbidden for anyone
// else (an auditor reads the list on the screen; the export carries every applicant's problems).
func (s *Service) DashboardExport(ctx context.Context, p Principal, q DashboardQuery) ([]DashboardRow, error) {
	if p.Role != RoleStaff {
		return nil, &Error{Code: "forbidden", Message: "只有经信厅工作人员可以导出申报一览。", Err: ErrForbidden}
	}
	return s.dashboardRows(ctx, p, q)
}

// dashboardRows is every application p may see that matches q, with its summary, sorted.
func (s *Service) dashboardRows(ctx context.Context, p Principal, q DashboardQuery) ([]DashboardRow, error) {
	aq, ok := scope(p, ApplicationQuery{Region: q.Region, Year: q.Year, States: q.States})
	if !ok {
		return nil, nil
	}
	apps, err := s.allApplications(ctx, aq, dashboardScan)
	if err != nil {
		return nil, err
	}
	var rows []DashboardRow
	for _, a := range apps {
		if !matches(a, q.Search) {
			continue
		}
		docs, err := s.store.ListDocuments(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		r := Evaluate(a, docs, s.now())
		m := Summarize(r, docs)
		m.addReviews(a)
		rows = append(rows, DashboardRow{Application: a, Summary: m, Report: r, Documents: docs})
	}
	sortRows(rows, q.Sort, q.Desc)
	return rows, nil
}

// searchKey is a name or code as searched: upper case, half-width, without spaces or punctuation.
func searchKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000' || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r):
			return -1
		case r >= '\uFF01' && r <= '\uFF5E':
			r -= 0xFEE0
		}
		return unicode.ToUpper(r)
	}, s)
}

// matches reports whether a's name or credit code contains search.
func matches(a *Application, search string) bool {
	k := searchKey(search)
	return k == "" || strings.Contains(searchKey(a.OrgName), k) || strings.Contains(searchKey(a.CreditCode), k)
}

// sortRows orders rows by a column (DashboardQuery.Sort); ties keep the newest first.
func sortRows(rows []DashboardRow, by string, desc bool) {
	var f func(a, b DashboardRow) int
	switch by {
	case "completeness":
		f = func(a, b DashboardRow) int { return a.Summary.ItemsPresent - b.Summary.ItemsPresent }
	case "blocking":
		f = func(a, b DashboardRow) int { return b.Summary.Blocking - a.Summary.Blocking }
	case "attention":
		f = func(a, b DashboardRow) int { return b.Summary.Attention - a.Summary.Attention }
	case "documents":
		f = func(a, b DashboardRow) int { return b.Summary.Documents - a.Summary.Documents }
	case "failed":
		f = func(a, b DashboardRow) int { return b.Summary.Failed - a.Summary.Failed }
	case "org":
		f = func(a, b DashboardRow) int { return cmp.Compare(a.Application.OrgName, b.Application.OrgName) }
	case "region":
		f = func(a, b DashboardRow) int { return cmp.Compare(a.Application.Region, b.Application.Region) }
	case "year":
		f = func(a, b DashboardRow) int { return b.Application.Year - a.Application.Year }
	case "state":
		f = func(a, b DashboardRow) int {
			return slices.Index(States, a.Application.State) - slices.Index(States, b.Application.State)
		}
	case "updated":
		f = func(a, b DashboardRow) int { return b.Application.UpdatedAt.Compare(a.Application.UpdatedAt) }
	default:
		f = func(a, b DashboardRow) int { return b.Application.CreatedAt.Compare(a.Application.CreatedAt) }
	}
	if desc {
		g := f
		f = func(a, b DashboardRow) int { return g(b, a) }
	}
	slices.SortStableFunc(rows, f)
}

// addReviews counts the reviewers' decisions on a: the latest on each checklist item, and the
// experts' conclusions.
func (m *Summary) addReviews(a *Application) {
	latest := map[int]string{}
	for _, r := range a.ItemReviews {
		latest[r.Item] = r.Decision
	}
	for _, d := range latest {
		switch d {
		case "accept":
			m.ItemsAccepted++
		case "reject":
			m.ItemsRejected++
		}
	}
	total := 0
	for _, r := range a.ExpertReviews {
		switch r.Conclusion {
		case "pass":
			m.ExpertsPass++
		case "fail":
			m.ExpertsFail++
		}
		total += r.Score
	}
	if n := len(a.ExpertReviews); n > 0 {
		m.ExpertScore = float64(total) / float64(n)
	}
}

// Summarize counts a report's items and warnings and the documents' states.
func Summarize(r checklist.Report, docs []*Document) Summary {
	var s Summary
	for _, it := range r.Items {
		if it.Number > 0 {
			s.ItemsTotal++
			if it.Present {
				s.ItemsPresent++
			}
		}
	}
	for _, w := range r.Warnings {
		switch w.Severity {
		case checklist.Blocking:
			s.Blocking++
		case checklist.Attention:
			s.Attention++
		default:
			s.Notes++
		}
	}
	for _, d := range docs {
		if d.ReplacedBy != "" {
			continue // kept in the archive, replaced in the application
		}
		s.Documents++
		switch d.Status {
		case StatusReceived, StatusProcessing:
			s.Processing++
		case StatusFailed:
			s.Failed++
		}
	}
	return s
}

// CountByState counts the applications in each state, for /metrics (no applicant data).
func (s *Service) CountByState(ctx context.Context) (map[State]int, error) {
	return s.Counts(ctx, System)
}

// Counts counts the applications p may see in each state.
func (s *Service) Counts(ctx context.Context, p Principal) (map[State]int, error) {
	out := map[State]int{}
	for _, st := range States {
		q, ok := scope(p, ApplicationQuery{States: []State{st}, ListOptions: ListOptions{Limit: 1}})
		if !ok {
			return out, nil
		}
		_, n, err := s.store.ListApplications(ctx, q)
		if err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, nil
}
