package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"shenbao/checklist"
)

// State is where an application is in the cycle of 第十五–二十三条:
//
//	draft ──submit──▶ submitted ──recommend──▶ recommended ──assign──▶ under_review ──(all experts concluded)──▶ reviewed
//	  ▲   ◀─withdraw──    │                                                                                      │ decide
//	  │                   └──return──▶ returned ──submit──▶ submitted                     not_recognised ◀──fail──┤
//	                                                                                                              ▼ pass
//	                     revoked ◀──revoke── recognised ◀──grant (after the 公示 ends)── publicized ──refuse──▶ not_recognised
//	                                              └──(three years later)──▶ expired
type State string

const (
	StateDraft         State = "draft"
	StateSubmitted     State = "submitted"
	StateReturned      State = "returned"
	StateRecommended   State = "recommended"
	StateUnderReview   State = "under_review"
	StateReviewed      State = "reviewed"
	StatePublicized    State = "publicized"
	StateRecognised    State = "recognised"
	StateNotRecognised State = "not_recognised"
	StateRevoked       State = "revoked"
	StateExpired       State = "expired"
)

// States lists the states in the order of the cycle.
var States = []State{StateDraft, StateSubmitted, StateReturned, StateRecommended, StateUnderReview, StateReviewed,
	StatePublicized, StateRecognised, StateNotRecognised, StateRevoked, StateExpired}

// Label is the state's Chinese name.
func (s State) Label() string {
	switch s {
	case StateDraft:
		return "草稿"
	case StateSubmitted:
		return "已提交，待推荐"
	case StateReturned:
		return "已退回修改"
	case StateRecommended:
		return "已推荐，待分配专家"
	case StateUnderReview:
		return "专家评审中"
	case StateReviewed:
		return "评审完成，待决定"
	case StatePublicized:
		return "公示中"
	case StateRecognised:
		return "已认定"
	case StateNotRecognised:
		return "未认定"
	case StateRevoked:
		return "已撤销认定"
	case StateExpired:
		return "认定已到期"
	}
	return string(s)
}

// Calendar is the official working-day calendar (package calendar): 公示 lasts 7 working days.
type Calendar interface {
	// AddWorkdays returns the n-th working day counting from start (start itself is day 1 if it is a
	// working day). It fails if a year on the way is not covered.
	AddWorkdays(start time.Time, n int) (time.Time, error)
}

// PublicityDays is the length of the 公示 in working days (第十八条).
const PublicityDays = 7

// RecognitionYears is how long a recognition lasts (第二十二条).
const RecognitionYears = 3

func stateErr(a *Application, msg string) error {
	return &Error{Code: "invalid_state", Message: fmt.Sprintf("当前状态为“%s”：%s", a.State.Label(), msg), Err: ErrState}
}

// transition moves a, which p may see, from one of from to to, after change has filled in the details,
// stores it and records the event. It is the one way the cycle advances.
func (s *Service) transition(ctx context.Context, p Principal, a *Application, action string, roles []Role, from []State, to State, comment string, change func(a *Application) error) (*Application, error) {
	if err := allowed(p, roles...); err != nil {
		return nil, err
	}
	if !slices.Contains(from, a.State) {
		return nil, stateErr(a, "不能进行此操作。")
	}
	old := a.State
	if change != nil {
		if err := change(a); err != nil {
			return nil, err
		}
	}
	if to != "" {
		a.State = to
	}
	a.UpdatedAt = s.now()
	if err := s.store.UpdateApplication(ctx, a); err != nil {
		return nil, fmt.Errorf("%s %s: %w", action, a.ID, err)
	}
	s.record(ctx, p, Event{Action: "application." + action, ApplicationID: a.ID, From: old, To: a.State, Comment: comment, Digest: digestOf(a)})
	if decided(a.State) && !decided(old) {
		s.retainApplication(ctx, a)
		if _, err := s.archive(ctx, a); err != nil {
			s.log.ErrorContext(ctx, "archive package", "application", a.ID, "err", err)
		}
	}
	return a, nil
}

// decided reports whether an application's recognition was decided (its archive is then kept).
func decided(st State) bool {
	return st == StateRecognised || st == StateNotRecognised
}

// retainApplication puts a decided application's originals under retention for RetentionYears from
// today, where the blob store can. A failure is logged; verify reports what is not retained.
func (s *Service) retainApplication(ctx context.Context, a *Application) {
	r, ok := s.blobs.(Retainer)
	if !ok {
		return
	}
	docs, err := s.store.ListDocuments(ctx, a.ID)
	if err != nil {
		s.log.ErrorContext(ctx, "retain originals", "application", a.ID, "err", err)
		return
	}
	until := dateOf(s.now()).AddDate(s.cfg.RetentionYears, 0, 0)
	for _, d := range docs {
		if err := r.Retain(ctx, d.BlobKey, until); err != nil {
			s.log.ErrorContext(ctx, "retain original", "application", a.ID, "document", d.ID, "err", err)
		}
	}
}

// SetHold sets or lifts a legal hold on every original of an application under dispute (staff).
func (s *Service) SetHold(ctx context.Context, p Principal, id string, on bool) (*Application, error) {
	a, err := s.application(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := allowed(p, RoleStaff); err != nil {
		return nil, err
	}
	r, ok := s.blobs.(Retainer)
	if !ok {
		return nil, &Error{Code: "no_retention", Message: "当前的原件存储（本地磁盘）不支持法律保全，请使用 MinIO。", Err: ErrUnsupported}
	}
	docs, err := s.store.ListDocuments(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if err := r.SetLegalHold(ctx, d.BlobKey, on); err != nil {
			return nil, fmt.Errorf("legal hold of %s: %w", d.ID, err)
		}
	}
	s.record(ctx, p, Event{Action: "application.hold", ApplicationID: a.ID, Comment: fmt.Sprint(on)})
	return a, nil
}

// digestOf is the SHA-256 (hex) of what an action left of an application: its cycle's state and facts.
func digestOf(a *Application) string {
	b, _ := json.Marshal(a)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// allowed says whether p's role is one of roles: the check that comes right after visibility, before
// the request is validated or the state considered.
func allowed(p Principal, roles ...Role) error {
	if slices.Contains(roles, p.Role) {
		return nil
	}
	labels := make([]string, len(roles))
	for i, r := range roles {
		labels[i] = r.Label()
	}
	return forbidden("此操作只能由" + strings.Join(labels, "或") + "进行。")
}

// Ack is the applicant's acknowledgement of the blocking warnings of one code when submitting.
type Ack struct {
	Code   string
	Reason string
}

// Submit hands a draft or returned application in. The checklist is evaluated as of today, which
// becomes the submission date and stays so; each blocking warning must be fixed or acknowledged with a
// reason, and no document may still be being read. The year's round must be open (第二十条).
func (s *Service) Submit(ctx context.Context, p Principal, id string, acks []Ack) (*Application, error) {
	a, err := s.application(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := allowed(p, RoleApplicant); err != nil {
		return nil, err
	}
	docs, err := s.store.ListDocuments(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	return s.transition(ctx, p, a, "submit", []Role{RoleApplicant}, []State{StateDraft, StateReturned}, StateSubmitted, "", func(a *Application) error {
		r, err := s.store.GetRound(ctx, a.Year)
		if errors.Is(err, ErrNotFound) {
			return &Error{Code: "round_closed", Message: fmt.Sprintf("%d 年度申报尚未开放，请关注经信厅的申报通知。", a.Year), Err: ErrState}
		}
		if err != nil {
			return err
		}
		if !r.Open(now) {
			return &Error{Code: "round_closed", Message: fmt.Sprintf("%d 年度申报受理时间为 %s 至 %s，当前不在受理期内。", a.Year, r.Opens.Format(time.DateOnly), r.Closes.Format(time.DateOnly)), Err: ErrState}
		}
		busy := 0
		for _, d := range docs {
			if d.ReplacedBy == "" && (d.Status == StatusReceived || d.Status == StatusProcessing) {
				busy++
			}
		}
		if busy > 0 {
			return &Error{Code: "still_reading", Message: fmt.Sprintf("还有 %d 份材料正在识别，请识别完成、核对结果后再提交。", busy), Err: ErrState}
		}
		a.SubmittedAt = now
		report := Evaluate(a, docs, now)
		var kept []Acknowledgement
		var missing []string
		for _, w := range report.Warnings {
			// The 推荐表 is the recommender's to attach after submission (第十六条).
			if w.Severity != checklist.Blocking || w.Code == checklist.CodeMissingRecommendation {
				continue
			}
			i := slices.IndexFunc(acks, func(k Ack) bool { return k.Code == w.Code })
			if i < 0 || strings.TrimSpace(acks[i].Reason) == "" {
				missing = append(missing, w.Message)
				continue
			}
			if !slices.ContainsFunc(kept, func(k Acknowledgement) bool { return k.Code == w.Code }) {
				kept = append(kept, Acknowledgement{Code: w.Code, Reason: trimTo(acks[i].Reason, 500), By: p.actor(), At: now})
			}
		}
		if len(missing) > 0 {
			a.SubmittedAt = time.Time{}
			return &Error{Code: "unacknowledged_blocking", Message: "以下问题须整改，或逐条说明理由后再提交：" + strings.Join(missing, "；"), Err: ErrState}
		}
		a.Acknowledged = kept
		return nil
	})
}

// Withdraw takes a submitted application back to a draft, before the recommender has acted.
func (s *Service) Withdraw(ctx context.Context, p Principal, id string) (*Application, error) {
	a, err := s.application(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := allowed(p, RoleApplicant); err != nil {
		return nil, err
	}
	return s.transition(ctx, p, a, "withdraw", []Role{RoleApplicant}, []State{StateSubmitted}, StateDraft, "", func(a *Application) error {
		a.SubmittedAt, a.Acknowledged = time.Time{}, nil
		return nil
	})
}

// ReturnApplication sends a submitted application back to the applicant with everything to fix, at
// once (一次告知).
func (s *Service) ReturnApplication(ctx context.Context, p Principal, id string, reasons []string) (*Application, error) {
	a, err := s.application(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := allowed(p, RoleRecommender); err != nil {
		return nil, err
	}
	var rs []string
	for _, r := range reasons {
		if r = strings.TrimSpace(r); r != "" {
			rs = append(rs, trimTo(r, 500))
		}
	}
	if len(rs) == 0 || len(rs) > 50 {
		return nil, &Error{Code: "reasons_required", Message: "请逐条写明退回理由（1–50 条）。", Err: ErrInvalid}
	}
	return s.transition(ctx, p, a, "return", []Role{RoleRecommender}, []State{StateSubmitted}, StateReturned, strings.Join(rs, "；"), func(a *Application) error {
		a.Returns = append(a.Returns, Return{Reasons: rs, By: p.actor(), At: s.now()})
		return nil
	})
}

// Recommend forwards a submitted application to the department with the recommender's opinion and its
// 测评 (第十六条). The 推荐表 must be among the application's read documents.
func (s *Service) Recommend(ctx context.Context, p Principal, id string, r Recommendation) (*Application, error) {
	a, err := s.application(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := allowed(p, RoleRecommender); err != nil {
		return nil, err
	}
	r.Opinion = strings.TrimSpace(r.Opinion)
	for _, g := range []string{r.Operation, r.Performance, r.Satisfaction} {
		if !slices.Contains(Grades, g) {
			return nil, &Error{Code: "invalid_grade", Message: "运营情况、服务业绩、满意度的测评结果只能是：优秀、良好、合格、不合格。", Err: ErrInvalid}
		}
	}
	if r.Opinion == "" || utf8.RuneCountInString(r.Opinion) > 2000 {
		return nil, &Error{Code: "opinion_required", Message: "请填写推荐意见（不超过 2000 字）。", Err: ErrInvalid}
	}
	docs, err := s.store.ListDocuments(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	return s.transition(ctx, p, a, "recommend", []Role{RoleRecommender}, []State{StateSubmitted}, StateRecommended, "", func(a *Application) error {
		if !slices.ContainsFunc(docs, func(d *Document) bool {
			return d.Status == StatusDone && d.ReplacedBy == "" && d.EffectiveKind() == "recommendation_form"
		}) {
			return &Error{Code: "recommendation_form_missing", Message: "请先上传填写完整并盖章的《推荐表》，识别完成后再推荐。", Err: ErrState}
		}
		r.By, r.At = p.actor(), s.now()
		a.Recommendation = &r
		return nil
	})
}

// AssignExperts sets the experts who review a recommended application (第十八条) and starts the review;
// during the review staff may change the assignment.
func (s *Service) AssignExperts(ctx context.Context, p Principal, id string, experts []string) (*Application, error) {
	a, err := s.application(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := allowed(p, RoleStaff); err != nil {
		return nil, err
	}
	ids := slices.Compact(slices.Sorted(slices.Values(experts)))
	if len(ids) == 0 || len(ids) > 20 {
		return nil, &Error{Code: "experts_required", Message: "请指定 1–20 名评审专家。", Err: ErrInvalid}
	}
	var names []string
	for _, e := range ids {
		u, err := s.store.GetUser(ctx, e)
		if errors.Is(err, ErrNotFound) || (err == nil && (u.Role != RoleExpert || u.Disabled)) {
			return nil, &Error{Code: "not_an_expert", Message: "所选账户不是有效的评审专家。", Err: ErrInvalid}
		}
		if err != nil {
			return nil, err
		}
		names = append(names, u.Name)
	}
	return s.transition(ctx, p, a, "assign", []Role{RoleStaff}, []State{StateRecommended, StateUnderReview}, StateUnderReview, strings.Join(names, "、"), func(a *Application) error {
		a.Experts = ids
		a.ExpertReviews = slices.DeleteFunc(a.ExpertReviews, func(r ExpertReview) bool { return !slices.Contains(ids, r.By.ID) })
		return nil
	})
}

// Conclude records an assigned expert's score and conclusion; the latest of each expert counts. When
// every assigned expert has concluded, the application is reviewed.
func (s *Service) Conclude(ctx context.Context, p Principal, id string, score int, conclusion, comment string) (*Application, error) {
	a, err := s.application(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := allowed(p, RoleExpert); err != nil {
		return nil, err
	}
	if score < 0 || score > 100 {
		return nil, &Error{Code: "invalid_score", Message: "评分应为 0–100 的整数。", Err: ErrInvalid}
	}
	if conclusion != "pass" && conclusion != "fail" {
		return nil, &Error{Code: "invalid_conclusion", Message: "评审结论只能是合格（pass）或不合格（fail）。", Err: ErrInvalid}
	}
	return s.transition(ctx, p, a, "conclude", []Role{RoleExpert}, []State{StateUnderReview}, "", fmt.Sprintf("%d %s", score, conclusion), func(a *Application) error {
		a.ExpertReviews = slices.DeleteFunc(a.ExpertReviews, func(r ExpertReview) bool { return r.By.ID == p.UserID })
		a.ExpertReviews = append(a.ExpertReviews, ExpertReview{Score: score, Conclusion: conclusion, Comment: trimTo(comment, 2000), By: p.actor(), At: s.now()})
		if len(a.ExpertReviews) == len(a.Experts) {
			a.State = StateReviewed
		}
		return nil
	})
}

// Decide is staff's decision on a reviewed application: "pass" starts the 公示 on start (a date, today
// if zero, never before the submission) for PublicityDays working days on the official calendar;
// "fail" ends it not recognised.
func (s *Service) Decide(ctx context.Context, p Principal, id, outcome, comment string, start time.Time) (*Application, error) {
	a, err := s.application(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := allowed(p, RoleStaff); err != nil {
		return nil, err
	}
	to := map[string]State{"pass": StatePublicized, "fail": StateNotRecognised}[outcome]
	if to == "" {
		return nil, &Error{Code: "invalid_outcome", Message: "决定只能是通过（pass）或不通过（fail）。", Err: ErrInvalid}
	}
	return s.transition(ctx, p, a, "decide", []Role{RoleStaff}, []State{StateReviewed}, to, outcome+" "+trimTo(comment, 200), func(a *Application) error {
		a.Decision = &Decision{Outcome: outcome, Comment: trimTo(comment, 2000), By: p.actor(), At: s.now()}
		if outcome == "fail" {
			return nil
		}
		if start.IsZero() {
			start = s.now()
		}
		// The 公示 is published on the department's portal (第十八条); staff may record one that has
		// already begun, but not one before the application was submitted.
		start = dateOf(start)
		if start.Before(dateOf(a.SubmittedAt)) {
			return &Error{Code: "publicity_too_early", Message: "公示开始日期不能早于申报提交日期。", Err: ErrInvalid}
		}
		if s.cal == nil {
			return &Error{Code: "no_calendar", Message: "未载入工作日历，无法计算公示期。", Err: ErrUnavailable}
		}
		end, err := s.cal.AddWorkdays(start, PublicityDays)
		if err != nil {
			return &Error{Code: "calendar_not_covered", Message: err.Error(), Err: ErrInvalid}
		}
		a.Publicity = &Publicity{Start: start, End: end, By: p.actor()}
		return nil
	})
}

// Grant recognises an application after its 公示 has ended, with the certificate number; the
// recognition is valid three years from today (第二十二条).
func (s *Service) Grant(ctx context.Context, p Principal, id, certificateNo string) (*Application, error) {
	a, err := s.application(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := allowed(p, RoleStaff); err != nil {
		return nil, err
	}
	certificateNo = strings.TrimSpace(certificateNo)
	if certificateNo == "" || utf8.RuneCountInString(certificateNo) > 50 {
		return nil, &Error{Code: "certificate_required", Message: "请填写证书编号（不超过 50 字）。", Err: ErrInvalid}
	}
	return s.transition(ctx, p, a, "grant", []Role{RoleStaff}, []State{StatePublicized}, StateRecognised, certificateNo, func(a *Application) error {
		today := dateOf(s.now())
		if a.Publicity == nil || !today.After(a.Publicity.End) {
			end := ""
			if a.Publicity != nil {
				end = a.Publicity.End.Format(time.DateOnly)
			}
			return &Error{Code: "publicity_running", Message: "公示期至 " + end + " 结束，公示期满后方可认定。", Err: ErrState}
		}
		a.Recognition = &Recognition{CertificateNo: certificateNo, Date: today, ValidUntil: today.AddDate(RecognitionYears, 0, -1), By: p.actor()}
		return nil
	})
}

// Refuse ends an application in 公示 not recognised (an objection upheld).
func (s *Service) Refuse(ctx context.Context, p Principal, id, reason string) (*Application, error) {
	a, err := s.application(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := allowed(p, RoleStaff); err != nil {
		return nil, err
	}
	if strings.TrimSpace(reason) == "" {
		return nil, &Error{Code: "reason_required", Message: "请写明理由。", Err: ErrInvalid}
	}
	return s.transition(ctx, p, a, "refuse", []Role{RoleStaff}, []State{StatePublicized}, StateNotRecognised, trimTo(reason, 500), func(a *Application) error {
		a.Decision = &Decision{Outcome: "fail", Comment: trimTo(reason, 2000), By: p.actor(), At: s.now()}
		return nil
	})
}

// Revoke withdraws a recognition with the reason (第二十二、二十三条).
func (s *Service) Revoke(ctx context.Context, p Principal, id, reason string) (*Application, error) {
	a, err := s.application(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := allowed(p, RoleStaff); err != nil {
		return nil, err
	}
	if strings.TrimSpace(reason) == "" {
		return nil, &Error{Code: "reason_required", Message: "请写明撤销理由。", Err: ErrInvalid}
	}
	return s.transition(ctx, p, a, "revoke", []Role{RoleStaff}, []State{StateRecognised}, StateRevoked, trimTo(reason, 500), func(a *Application) error {
		a.Revocation = &Revocation{Reason: trimTo(reason, 2000), By: p.actor(), At: s.now()}
		return nil
	})
}

// RecordEvaluation records a third-party evaluation of a recognised platform; one that fails revokes
// the recognition (第二十三条：评测不合格的平台将撤销示范平台称号).
func (s *Service) RecordEvaluation(ctx context.Context, p Principal, id, result, comment string) (*Application, error) {
	a, err := s.application(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := allowed(p, RoleStaff); err != nil {
		return nil, err
	}
	if result != "pass" && result != "fail" {
		return nil, &Error{Code: "invalid_result", Message: "测评结果只能是合格（pass）或不合格（fail）。", Err: ErrInvalid}
	}
	to := State("")
	if result == "fail" {
		to = StateRevoked
	}
	return s.transition(ctx, p, a, "evaluate", []Role{RoleStaff}, []State{StateRecognised}, to, result+" "+trimTo(comment, 200), func(a *Application) error {
		now := s.now()
		a.Evaluations = append(a.Evaluations, Evaluation{Result: result, Comment: trimTo(comment, 2000), By: p.actor(), At: now})
		if result == "fail" {
			a.Revocation = &Revocation{Reason: "第三方测评不合格：" + trimTo(comment, 1900), By: p.actor(), At: now}
		}
		return nil
	})
}

// ExpireRecognitions moves every recognition whose three years have passed to expired and returns how
// many it moved. Run calls it at start and then hourly.
func (s *Service) ExpireRecognitions(ctx context.Context) (int, error) {
	today := dateOf(s.now())
	apps, err := s.allApplications(ctx, ApplicationQuery{States: []State{StateRecognised}}, 0)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, a := range apps {
		if a.Recognition == nil || !today.After(a.Recognition.ValidUntil) {
			continue
		}
		if _, err := s.transition(ctx, System, a, "expire", []Role{RoleStaff}, []State{StateRecognised}, StateExpired, "", nil); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// OpenRound opens (or changes) the yearly round (第二十条).
func (s *Service) OpenRound(ctx context.Context, p Principal, year int, opens, closes time.Time, notice string) (*Round, error) {
	if p.Role != RoleStaff {
		return nil, forbidden("只有经信厅工作人员可以发布年度申报。")
	}
	opens, closes = dateOf(opens), dateOf(closes)
	switch {
	case year < 2000 || year > s.now().Year()+1:
		return nil, &Error{Code: "invalid_year", Message: "申报年度不正确。", Err: ErrInvalid}
	case opens.IsZero() || closes.Before(opens):
		return nil, &Error{Code: "invalid_dates", Message: "受理截止日期应不早于开始日期。", Err: ErrInvalid}
	case utf8.RuneCountInString(notice) > 200:
		return nil, &Error{Code: "invalid_notice", Message: "通知名称不超过 200 字。", Err: ErrInvalid}
	}
	r := &Round{Year: year, Opens: opens, Closes: closes, Notice: strings.TrimSpace(notice), OpenedBy: p.actor(), CreatedAt: s.now()}
	if err := s.store.PutRound(ctx, r); err != nil {
		return nil, fmt.Errorf("open round %d: %w", year, err)
	}
	s.record(ctx, p, Event{Action: "round.open", Object: fmt.Sprint(year), Comment: opens.Format(time.DateOnly) + "–" + closes.Format(time.DateOnly)})
	return r, nil
}

// Rounds lists the yearly rounds, latest first (everyone signed in may read them).
func (s *Service) Rounds(ctx context.Context) ([]*Round, error) { return s.store.ListRounds(ctx) }

// ChinaTime is the zone of the cycle's civil dates (Asia/Shanghai).
var ChinaTime = chinaTime

// China's civil dates: the cycle's dates are days in Asia/Shanghai.
var chinaTime = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()

// dateOf is the day of t in China, at midnight.
func dateOf(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.In(chinaTime).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, chinaTime)
}

func trimTo(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// Now is the service's clock (for the edge to say, e.g., whether a round is open).
func (s *Service) Now() time.Time { return s.now() }
