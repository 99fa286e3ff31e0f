package bolt

import (
	"encoding/json"
	"time"

	"shenbao/intake"
)

// The records of an application's way through the cycle, and of who acted.

// actorRecord is who did something. Reviews written before actors were recorded hold the reviewer's name
// as a JSON string: it loads as the actor's name.
type actorRecord struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
	Role string `json:"role,omitempty"`
}

func (a *actorRecord) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var name string
		if err := json.Unmarshal(b, &name); err != nil {
			return err
		}
		*a = actorRecord{Name: name}
		return nil
	}
	type plain actorRecord // without this method
	return json.Unmarshal(b, (*plain)(a))
}

func actorRecordOf(a intake.Actor) actorRecord {
	return actorRecord{ID: a.ID, Name: a.Name, Role: string(a.Role)}
}

func (a actorRecord) actor() intake.Actor {
	return intake.Actor{ID: a.ID, Name: a.Name, Role: intake.Role(a.Role)}
}

type acknowledgementRecord struct {
	Code   string      `json:"code"`
	Reason string      `json:"reason"`
	By     actorRecord `json:"by"`
	At     time.Time   `json:"at"`
}

func acknowledgementRecordOf(v intake.Acknowledgement) acknowledgementRecord {
	return acknowledgementRecord{Code: v.Code, Reason: v.Reason, By: actorRecordOf(v.By), At: v.At}
}

func (r acknowledgementRecord) acknowledgement() intake.Acknowledgement {
	return intake.Acknowledgement{Code: r.Code, Reason: r.Reason, By: r.By.actor(), At: utc(r.At)}
}

type returnRecord struct {
	Reasons []string    `json:"reasons"`
	By      actorRecord `json:"by"`
	At      time.Time   `json:"at"`
}

func returnRecordOf(v intake.Return) returnRecord {
	return returnRecord{Reasons: v.Reasons, By: actorRecordOf(v.By), At: v.At}
}

func (r returnRecord) ret() intake.Return {
	return intake.Return{Reasons: r.Reasons, By: r.By.actor(), At: utc(r.At)}
}

type recommendationRecord struct {
	Opinion      string      `json:"opinion"`
	Operation    string      `json:"operation"`
	Performance  string      `json:"performance"`
	Satisfaction string      `json:"satisfaction"`
	By           actorRecord `json:"by"`
	At           time.Time   `json:"at"`
}

func recommendationRecordOf(v intake.Recommendation) recommendationRecord {
	return recommendationRecord{Opinion: v.Opinion, Operation: v.Operation, Performance: v.Performance,
		Satisfaction: v.Satisfaction, By: actorRecordOf(v.By), At: v.At}
}

func (r recommendationRecord) recommendation() intake.Recommendation {
	return intake.Recommendation{Opinion: r.Opinion, Operation: r.Operation, Performance: r.Performance,
		Satisfaction: r.Satisfaction, By: r.By.actor(), At: utc(r.At)}
}

type expertReviewRecord struct {
	Score      int         `json:"score"`
	Conclusion string      `json:"conclusion"`
	Comment    string      `json:"comment,omitempty"`
	By         actorRecord `json:"by"`
	At         time.Time   `json:"at"`
}

func expertReviewRecordOf(v intake.ExpertReview) expertReviewRecord {
	return expertReviewRecord{Score: v.Score, Conclusion: v.Conclusion, Comment: v.Comment, By: actorRecordOf(v.By), At: v.At}
}

func (r expertReviewRecord) expertReview() intake.ExpertReview {
	return intake.ExpertReview{Score: r.Score, Conclusion: r.Conclusion, Comment: r.Comment, By: r.By.actor(), At: utc(r.At)}
}

type decisionRecord struct {
	Outcome string      `json:"outcome"`
	Comment string      `json:"comment,omitempty"`
	By      actorRecord `json:"by"`
	At      time.Time   `json:"at"`
}

func decisionRecordOf(v intake.Decision) decisionRecord {
	return decisionRecord{Outcome: v.Outcome, Comment: v.Comment, By: actorRecordOf(v.By), At: v.At}
}

func (r decisionRecord) decision() intake.Decision {
	return intake.Decision{Outcome: r.Outcome, Comment: r.Comment, By: r.By.actor(), At: utc(r.At)}
}

type publicityRecord struct {
	Start time.Time   `json:"start"`
	End   time.Time   `json:"end"`
	By    actorRecord `json:"by"`
}

func publicityRecordOf(v intake.Publicity) publicityRecord {
	return publicityRecord{Start: v.Start, End: v.End, By: actorRecordOf(v.By)}
}

func (r publicityRecord) publicity() intake.Publicity {
	return intake.Publicity{Start: utc(r.Start), End: utc(r.End), By: r.By.actor()}
}

type recognitionRecord struct {
	CertificateNo string      `json:"certificate_no"`
	Date          time.Time   `json:"date"`
	ValidUntil    time.Time   `json:"valid_until"`
	By            actorRecord `json:"by"`
}

func recognitionRecordOf(v intake.Recognition) recognitionRecord {
	return recognitionRecord{CertificateNo: v.CertificateNo, Date: v.Date, ValidUntil: v.ValidUntil, By: actorRecordOf(v.By)}
}

func (r recognitionRecord) recognition() intake.Recognition {
	return intake.Recognition{CertificateNo: r.CertificateNo, Date: utc(r.Date), ValidUntil: utc(r.ValidUntil), By: r.By.actor()}
}

type revocationRecord struct {
	Reason string      `json:"reason"`
	By     actorRecord `json:"by"`
	At     time.Time   `json:"at"`
}

func revocationRecordOf(v intake.Revocation) revocationRecord {
	return revocationRecord{Reason: v.Reason, By: actorRecordOf(v.By), At: v.At}
}

func (r revocationRecord) revocation() intake.Revocation {
	return intake.Revocation{Reason: r.Reason, By: r.By.actor(), At: utc(r.At)}
}

type evaluationRecord struct {
	Result  string      `json:"result"`
	Comment string      `json:"comment,omitempty"`
	By      actorRecord `json:"by"`
	At      time.Time   `json:"at"`
}

func evaluationRecordOf(v intake.Evaluation) evaluationRecord {
	return evaluationRecord{Result: v.Result, Comment: v.Comment, By: actorRecordOf(v.By), At: v.At}
}

func (r evaluationRecord) evaluation() intake.Evaluation {
	return intake.Evaluation{Result: r.Result, Comment: r.Comment, By: r.By.actor(), At: utc(r.At)}
}

// stateOf is s, or for an application stored before applications had a state, draft if it was never
// submitted and submitted if it was.
func stateOf(s intake.State, submitted time.Time) intake.State {
	switch {
	case s != "":
		return s
	case submitted.IsZero():
		return intake.StateDraft
	}
	return intake.StateSubmitted
}

// utc returns t in UTC; JSON gives times back in the zone they were written in.
func utc(t time.Time) time.Time { return t.UTC() }

// mapSlice returns f of each of xs, nil for none.
func mapSlice[T, U any](xs []T, f func(T) U) []U {
	if len(xs) == 0 {
		return nil
	}
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// mapPtr returns a pointer to f(*p), nil for nil.
func mapPtr[T, U any](p *T, f func(T) U) *U {
	if p == nil {
		return nil
	}
	u := f(*p)
	return &u
}
