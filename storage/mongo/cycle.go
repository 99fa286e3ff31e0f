package mongo

import (
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"shenbao/intake"
)

// The records of an application's way through the cycle, and of who acted.

// actorRecord is who did something. Reviews written before actors were recorded hold the reviewer's name
// as a BSON string: it decodes as the actor's name.
type actorRecord struct {
	ID   string `bson:"id"`
	Name string `bson:"name"`
	Role string `bson:"role"`
}

func (a *actorRecord) UnmarshalBSONValue(typ byte, data []byte) error {
	switch v := (bson.RawValue{Type: bson.Type(typ), Value: data}); v.Type {
	case bson.TypeString:
		name, ok := v.StringValueOK()
		if !ok {
			return fmt.Errorf("decode actor: malformed string")
		}
		*a = actorRecord{Name: name}
	case bson.TypeNull, bson.TypeUndefined:
		*a = actorRecord{}
	case bson.TypeEmbeddedDocument:
		type plain actorRecord // without this method
		var p plain
		if err := v.Unmarshal(&p); err != nil {
			return fmt.Errorf("decode actor: %w", err)
		}
		*a = actorRecord(p)
	default:
		return fmt.Errorf("decode actor: a BSON %s is neither a name nor an actor", v.Type)
	}
	return nil
}

func actorRecordOf(a intake.Actor) actorRecord {
	return actorRecord{ID: a.ID, Name: a.Name, Role: string(a.Role)}
}

func (a actorRecord) actor() intake.Actor {
	return intake.Actor{ID: a.ID, Name: a.Name, Role: intake.Role(a.Role)}
}

type acknowledgementRecord struct {
	Code   string      `bson:"code"`
	Reason string      `bson:"reason"`
	By     actorRecord `bson:"by"`
	At     time.Time   `bson:"at"`
}

func acknowledgementRecordOf(v intake.Acknowledgement) acknowledgementRecord {
	return acknowledgementRecord{Code: v.Code, Reason: v.Reason, By: actorRecordOf(v.By), At: v.At}
}

func (r acknowledgementRecord) acknowledgement() intake.Acknowledgement {
	return intake.Acknowledgement{Code: r.Code, Reason: r.Reason, By: r.By.actor(), At: utc(r.At)}
}

type returnRecord struct {
	Reasons []string    `bson:"reasons"`
	By      actorRecord `bson:"by"`
	At      time.Time   `bson:"at"`
}

func returnRecordOf(v intake.Return) returnRecord {
	return returnRecord{Reasons: v.Reasons, By: actorRecordOf(v.By), At: v.At}
}

func (r returnRecord) ret() intake.Return {
	return intake.Return{Reasons: r.Reasons, By: r.By.actor(), At: utc(r.At)}
}

type recommendationRecord struct {
	Opinion      string      `bson:"opinion"`
	Operation    string      `bson:"operation"`
	Performance  string      `bson:"performance"`
	Satisfaction string      `bson:"satisfaction"`
	By           actorRecord `bson:"by"`
	At           time.Time   `bson:"at"`
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
	Score      int         `bson:"score"`
	Conclusion string      `bson:"conclusion"`
	Comment    string      `bson:"comment"`
	By         actorRecord `bson:"by"`
	At         time.Time   `bson:"at"`
}

func expertReviewRecordOf(v intake.ExpertReview) expertReviewRecord {
	return expertReviewRecord{Score: v.Score, Conclusion: v.Conclusion, Comment: v.Comment, By: actorRecordOf(v.By), At: v.At}
}

func (r expertReviewRecord) expertReview() intake.ExpertReview {
	return intake.ExpertReview{Score: r.Score, Conclusion: r.Conclusion, Comment: r.Comment, By: r.By.actor(), At: utc(r.At)}
}

type decisionRecord struct {
	Outcome string      `bson:"outcome"`
	Comment string      `bson:"comment"`
	By      actorRecord `bson:"by"`
	At      time.Time   `bson:"at"`
}

func decisionRecordOf(v intake.Decision) decisionRecord {
	return decisionRecord{Outcome: v.Outcome, Comment: v.Comment, By: actorRecordOf(v.By), At: v.At}
}

func (r decisionRecord) decision() intake.Decision {
	return intake.Decision{Outcome: r.Outcome, Comment: r.Comment, By: r.By.actor(), At: utc(r.At)}
}

type publicityRecord struct {
	Start time.Time   `bson:"start"`
	End   time.Time   `bson:"end"`
	By    actorRecord `bson:"by"`
}

func publicityRecordOf(v intake.Publicity) publicityRecord {
	return publicityRecord{Start: v.Start, End: v.End, By: actorRecordOf(v.By)}
}

func (r publicityRecord) publicity() intake.Publicity {
	return intake.Publicity{Start: utc(r.Start), End: utc(r.End), By: r.By.actor()}
}

type recognitionRecord struct {
	CertificateNo string      `bson:"certificate_no"`
	Date          time.Time   `bson:"date"`
	ValidUntil    time.Time   `bson:"valid_until"`
	By            actorRecord `bson:"by"`
}

func recognitionRecordOf(v intake.Recognition) recognitionRecord {
	return recognitionRecord{CertificateNo: v.CertificateNo, Date: v.Date, ValidUntil: v.ValidUntil, By: actorRecordOf(v.By)}
}

func (r recognitionRecord) recognition() intake.Recognition {
	return intake.Recognition{CertificateNo: r.CertificateNo, Date: utc(r.Date), ValidUntil: utc(r.ValidUntil), By: r.By.actor()}
}

type revocationRecord struct {
	Reason string      `bson:"reason"`
	By     actorRecord `bson:"by"`
	At     time.Time   `bson:"at"`
}

func revocationRecordOf(v intake.Revocation) revocationRecord {
	return revocationRecord{Reason: v.Reason, By: actorRecordOf(v.By), At: v.At}
}

func (r revocationRecord) revocation() intake.Revocation {
	return intake.Revocation{Reason: r.Reason, By: r.By.actor(), At: utc(r.At)}
}

type evaluationRecord struct {
	Result  string      `bson:"result"`
	Comment string      `bson:"comment"`
	By      actorRecord `bson:"by"`
	At      time.Time   `bson:"at"`
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

// utc returns t in UTC, as the driver decodes BSON dates.
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
