package intake

import (
	"context"
	"errors"
	"slices"
	"time"
)

// Who may see what (the edge only authenticates; every use case asks these):
//
//	applicant    its own applications (OwnerID)
//	recommender  the applications of its region or park, once submitted
//	expert       the applications it is assigned to
//	staff        everything
//	auditor      everything, read-only
//
// An application a principal may not see does not exist for it: ErrNotFound, the same answer as for an
// id nobody has. What it may see but not do is ErrForbidden; what nobody may do in the application's
// state is ErrState.

// canSee reports whether p may see a and its documents.
func canSee(p Principal, a *Application) bool {
	switch p.Role {
	case RoleStaff, RoleAuditor:
		return true
	case RoleApplicant:
		return p.UserID != "" && a.OwnerID == p.UserID
	case RoleRecommender:
		return p.Region != "" && a.Region == p.Region && a.State != StateDraft
	case RoleExpert:
		return slices.Contains(a.Experts, p.UserID)
	}
	return false
}

// scope is the part of an ApplicationQuery that limits a list to what p may see.
func scope(p Principal, q ApplicationQuery) (ApplicationQuery, bool) {
	switch p.Role {
	case RoleStaff, RoleAuditor:
		return q, true
	case RoleApplicant:
		q.Owner = p.UserID
		return q, p.UserID != ""
	case RoleRecommender:
		q.Region, q.NotDraft = p.Region, true
		return q, p.Region != ""
	case RoleExpert:
		q.Expert = p.UserID
		return q, p.UserID != ""
	}
	return q, false
}

// The answers for what does not exist and for what p may not see: the same, so nothing is revealed.
var (
	errNoApplication = &Error{Code: "not_found", Message: "未找到该申报。", Err: ErrNotFound}
	errNoDocument    = &Error{Code: "not_found", Message: "未找到该材料。", Err: ErrNotFound}
)

// application returns the application if p may see it, else ErrNotFound.
func (s *Service) application(ctx context.Context, p Principal, id string) (*Application, error) {
	a, err := s.store.GetApplication(ctx, id)
	if errors.Is(err, ErrNotFound) || (err == nil && !canSee(p, a)) {
		return nil, errNoApplication
	}
	return a, err
}

// document returns the document and its application if p may see them, else ErrNotFound.
func (s *Service) document(ctx context.Context, p Principal, id string) (*Document, *Application, error) {
	d, err := s.store.GetDocument(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, errNoDocument
	}
	if err != nil {
		return nil, nil, err
	}
	a, err := s.store.GetApplication(ctx, d.ApplicationID)
	if errors.Is(err, ErrNotFound) || (err == nil && !canSee(p, a)) {
		return nil, nil, errNoDocument
	}
	if err != nil {
		return nil, nil, err
	}
	return d, a, nil
}

// mayEditMaterials says whether p may upload or replace documents of a now: the applicant while a draft
// or returned, the recommender while submitted (to attach the 推荐表).
func mayEditMaterials(p Principal, a *Application) error {
	switch p.Role {
	case RoleApplicant:
		if a.State == StateDraft || a.State == StateReturned {
			return nil
		}
		return stateErr(a, "申报已提交，不能再修改材料；如需修改，请在推荐前撤回。")
	case RoleRecommender:
		if a.State == StateSubmitted {
			return nil
		}
		return stateErr(a, "只有待推荐的申报可以附加推荐材料。")
	}
	return forbidden("只有申报单位可以上传申报材料（推荐单位可附加推荐表）。")
}

// mayReview says whether p may confirm or correct fields, re-kind documents and decide items of a: an
// assigned expert during the review, or staff once the application is submitted.
func mayReview(p Principal, a *Application) error {
	switch p.Role {
	case RoleExpert:
		if a.State == StateUnderReview {
			return nil
		}
		return stateErr(a, "专家评审阶段之外不能修改审核结果。")
	case RoleStaff:
		if a.State != StateDraft && a.State != StateReturned {
			return nil
		}
		return stateErr(a, "申报单位尚未提交，暂不能审核。")
	}
	return forbidden("只有评审专家和经信厅工作人员可以审核材料。")
}

// mayReadAgain says whether p may have documents read again: staff, who fix what the service failed.
func mayReadAgain(p Principal) error {
	if p.Role == RoleStaff {
		return nil
	}
	return forbidden("只有经信厅工作人员可以重新识别材料。")
}

// record appends an event; a failure to record is logged, not returned, because the action is done.
// Every action of the Service goes through here, so that the log is the one place to audit.
func (s *Service) record(ctx context.Context, p Principal, e Event) {
	e.At = s.now().UTC().Truncate(time.Millisecond)
	e.Actor = p.actor()
	if err := s.store.AppendEvent(ctx, &e); err != nil {
		s.log.ErrorContext(ctx, "event not recorded", "action", e.Action, "application", e.ApplicationID, "err", err)
		return
	}
	s.log.InfoContext(ctx, "event", "seq", e.Seq, "action", e.Action, "actor", p.UserID, "role", string(p.Role),
		"application", e.ApplicationID, "object", e.Object, "from", string(e.From), "to", string(e.To))
}

// Events lists recorded events: of one application (if p may see it) or, for staff and auditors, of
// the whole system.
func (s *Service) Events(ctx context.Context, p Principal, q EventQuery) ([]*Event, int, error) {
	if q.ApplicationID != "" {
		if _, err := s.application(ctx, p, q.ApplicationID); err != nil {
			return nil, 0, err
		}
	} else if p.Role != RoleStaff && p.Role != RoleAuditor {
		return nil, 0, forbidden("只有经信厅工作人员和审计人员可以查看全部操作记录。")
	}
	q.ListOptions = clampList(q.ListOptions)
	return s.store.ListEvents(ctx, q)
}
