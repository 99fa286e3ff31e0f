package api

import (
	"time"

	"shenbao/checklist"
	"shenbao/doc"
	"shenbao/intake"
)

// The checklist report on the wire.

type evidenceJSON struct {
	DocumentID string  `json:"document_id"`
	FileName   string  `json:"file_name,omitempty"`
	Kind       string  `json:"kind,omitempty"`
	Field      string  `json:"field,omitempty"`
	Page       int     `json:"page,omitempty"`
	BBox       boxJSON `json:"bbox"`
	Text       string  `json:"text,omitempty"`
}

type problemJSON struct {
	Code    string   `json:"code"`
	Pages   []int    `json:"pages,omitempty"`
	Kinds   []string `json:"kinds,omitempty"`
	Message string   `json:"message"`
}

type docCheckJSON struct {
	ID       string        `json:"id"`
	FileName string        `json:"file_name"`
	Kind     string        `json:"kind"`
	KindName string        `json:"kind_name"`
	Problems []problemJSON `json:"problems"`
}

type itemJSON struct {
	Number    int             `json:"number"`
	Article   string          `json:"article"`
	Title     string          `json:"title"`
	Kinds     []string        `json:"kinds"`
	Present   bool            `json:"present"`
	Advice    string          `json:"advice"` // what the applicant is to upload for it, in plain words
	Documents []docCheckJSON  `json:"documents"`
	Review    *itemReviewJSON `json:"review,omitempty"`
}

type itemReviewJSON struct {
	Decision string    `json:"decision"`
	Comment  string    `json:"comment"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

type figureJSON struct {
	Name     string       `json:"name"`
	Value    string       `json:"value"`
	Evidence evidenceJSON `json:"evidence"`
}

type checkJSON struct {
	Name    string       `json:"name"`
	Rule    string       `json:"rule"`
	Outcome string       `json:"outcome"`
	Figures []figureJSON `json:"figures"`
	Reason  string       `json:"reason,omitempty"`
}

type verdictJSON struct {
	Key     string      `json:"key"`
	Article string      `json:"article"`
	Title   string      `json:"title"`
	Outcome string      `json:"outcome"`
	Checks  []checkJSON `json:"checks"`
}

type warningJSON struct {
	Code     string         `json:"code"`
	Severity string         `json:"severity"`
	Article  string         `json:"article,omitempty"`
	Message  string         `json:"message"`
	Advice   string         `json:"advice,omitempty"` // what the applicant can do, without article numbers
	Evidence []evidenceJSON `json:"evidence"`
}

type reportJSON struct {
	AsOf           string              `json:"as_of"`
	EvaluationYear int                 `json:"evaluation_year"`
	Items          []itemJSON          `json:"items"`
	Others         []docCheckJSON      `json:"others"`
	Verdicts       []verdictJSON       `json:"verdicts"`
	Warnings       []warningJSON       `json:"warnings"`
	Summary        reportSummaryJSON   `json:"summary"`
	Score          checklist.ScoreLine `json:"score"`
}

type reportSummaryJSON struct {
	ItemsPresent int `json:"items_present"`
	ItemsTotal   int `json:"items_total"`
	Blocking     int `json:"blocking"`
	Attention    int `json:"attention"`
	Notes        int `json:"notes"`
}

func toEvidence(e checklist.Evidence) evidenceJSON {
	return evidenceJSON{DocumentID: e.DocumentID, FileName: e.FileName, Kind: e.Kind, Field: e.Field, Page: e.Page, BBox: toBox(e.Box), Text: e.Text}
}

func toDocCheck(d checklist.DocumentCheck) docCheckJSON {
	j := docCheckJSON{ID: d.ID, FileName: d.FileName, Kind: d.Kind, KindName: doc.KindZh(d.Kind), Problems: []problemJSON{}}
	for _, p := range d.Problems {
		j.Problems = append(j.Problems, problemJSON{Code: p.Code, Pages: p.Pages, Kinds: p.Kinds, Message: p.Message})
	}
	return j
}

// toReport is the checklist on the wire, with the latest reviewer decision on each item.
func toReport(r checklist.Report, reviews []intake.ItemReview) reportJSON {
	latest := map[int]intake.ItemReview{}
	for _, rv := range reviews {
		latest[rv.Item] = rv
	}
	j := reportJSON{AsOf: r.AsOf.Format(time.DateOnly), EvaluationYear: r.EvaluationYear, Items: []itemJSON{}, Others: []docCheckJSON{},
		Verdicts: []verdictJSON{}, Warnings: []warningJSON{}, Score: r.Score()}
	for _, it := range r.Items {
		ij := itemJSON{Number: it.Number, Article: it.Article, Title: it.Title, Kinds: it.Kinds, Present: it.Present, Advice: r.ItemAdvice(it.Number), Documents: []docCheckJSON{}}
		if rv, ok := latest[it.Number]; ok {
			ij.Review = &itemReviewJSON{Decision: rv.Decision, Comment: rv.Comment, By: rv.By.Name, At: rv.At}
		}
		for _, d := range it.Documents {
			ij.Documents = append(ij.Documents, toDocCheck(d))
		}
		j.Items = append(j.Items, ij)
	}
	for _, d := range r.Others {
		j.Others = append(j.Others, toDocCheck(d))
	}
	for _, v := range r.Verdicts {
		vj := verdictJSON{Key: v.Key, Article: v.Article, Title: v.Title, Outcome: string(v.Outcome), Checks: []checkJSON{}}
		for _, c := range v.Checks {
			cj := checkJSON{Name: c.Name, Rule: c.Rule, Outcome: string(c.Outcome), Reason: c.Reason, Figures: []figureJSON{}}
			for _, f := range c.Figures {
				cj.Figures = append(cj.Figures, figureJSON{Name: f.Name, Value: f.Value, Evidence: toEvidence(f.Evidence)})
			}
			vj.Checks = append(vj.Checks, cj)
		}
		j.Verdicts = append(j.Verdicts, vj)
	}
	for _, w := range r.Warnings {
		wj := warningJSON{Code: w.Code, Severity: string(w.Severity), Article: w.Article, Message: w.Message, Advice: w.Advice, Evidence: []evidenceJSON{}}
		for _, e := range w.Evidence {
			wj.Evidence = append(wj.Evidence, toEvidence(e))
		}
		j.Warnings = append(j.Warnings, wj)
	}
	m := intake.Summarize(r, nil)
	j.Summary = reportSummaryJSON{ItemsPresent: m.ItemsPresent, ItemsTotal: m.ItemsTotal, Blocking: m.Blocking, Attention: m.Attention, Notes: m.Notes}
	return j
}
