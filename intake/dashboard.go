package intake

import (
	"context"
	"slices"

	"shenbao/checklist"
)

// DashboardQuery filters and orders the staff dashboard.
type DashboardQuery struct {
	Region string  // exact; "" for all
	Year   int     // 0 for all
	States []State // any of these; none for all
	Sort   string  // "completeness" (fewest items first), "blocking" (most blocking warnings first), else newest first
	ListOptions
}

// Summary is an application at a glance.
type Summary struct {
	ItemsPresent, ItemsTotal      int
	Blocking, Attention, Notes    int
	Documents, Processing, Failed int
}

// DashboardRow is one application with its summary.
type DashboardRow struct {
	Application *Application
	Summary     Summary
}

// dashboardScan bounds how many applications the dashboard reads to filter and sort (an annual round
// has tens to hundreds).
const dashboardScan = 5000

// Dashboard lists applications with their completeness and warning counts, filtered, sorted and paged.
// Summaries are computed from the documents each time (the checklist is cheap and pure).
func (s *Service) Dashboard(ctx context.Context, p Principal, q DashboardQuery) ([]DashboardRow, int, error) {
	aq, ok := scope(p, ApplicationQuery{Region: q.Region, Year: q.Year, States: q.States})
	if !ok {
		return nil, 0, nil
	}
	apps, err := s.allApplications(ctx, aq, dashboardScan)
	if err != nil {
		return nil, 0, err
	}
	var rows []DashboardRow
	for _, a := range apps {
		docs, err := s.store.ListDocuments(ctx, a.ID)
		if err != nil {
			return nil, 0, err
		}
		rows = append(rows, DashboardRow{Application: a, Summary: Summarize(Evaluate(a, docs, s.now()), docs)})
	}
	switch q.Sort {
	case "completeness":
		slices.SortStableFunc(rows, func(a, b DashboardRow) int { return a.Summary.ItemsPresent - b.Summary.ItemsPresent })
	case "blocking":
		slices.SortStableFunc(rows, func(a, b DashboardRow) int { return b.Summary.Blocking - a.Summary.Blocking })
	}
	total := len(rows)
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	lo := min(max(q.Offset, 0), total)
	hi := min(lo+q.Limit, total)
	return rows[lo:hi], total, nil
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
