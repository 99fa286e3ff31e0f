package intake

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"shenbao/checklist"
	"shenbao/doc"
)

// ReviewField records a reviewer's confirmation ("confirm") or correction ("correct", with value) of
// one field of a finished document, keeping the extracted value beside it. The checklist uses the
// reviewed value from then on.
//
// A correction may say where the value is printed: a page of the document (from 1) and a box inside
// it, in the page's pixels as extracted boxes are. Page 0 with an empty box marks nothing. A mark on a
// confirmation, a page the document does not have, or a box that is empty or not inside the page is
// ErrInvalid with a message for the reviewer.
func (s *Service) ReviewField(ctx context.Context, p Principal, documentID, field, action, value string, page int, box doc.Box) (*Document, error) {
	d, err := s.reviewable(ctx, p, documentID)
	if err != nil {
		return nil, err
	}
	if _, ok := doc.FieldTypes[field]; !ok {
		return nil, &Error{Code: "unknown_field", Message: "没有这个字段。", Err: ErrInvalid}
	}
	var ocr *doc.Field
	for i := range d.Fields {
		if d.Fields[i].Name == field {
			ocr = &d.Fields[i]
		}
	}
	r := FieldReview{Field: field, Action: action, By: p.actor(), At: s.now()}
	if ocr != nil {
		r.OCRValue = ocr.Value
	}
	marked := page != 0 || box != (doc.Box{})
	switch action {
	case "confirm":
		if ocr == nil {
			return nil, &Error{Code: "nothing_to_confirm", Message: "该字段未识别出数值，请直接更正。", Err: ErrInvalid}
		}
		if marked {
			return nil, &Error{Code: "invalid_box", Message: "只有更正字段时才能在页面上标注位置。", Err: ErrInvalid}
		}
		r.Value = ocr.Value
	case "correct":
		v, err := canonical(field, value)
		if err != nil {
			return nil, &Error{Code: "invalid_value", Message: err.Error(), Err: ErrInvalid}
		}
		r.Value = v
		if marked {
			if err := s.checkMark(ctx, d, page, box); err != nil {
				return nil, err
			}
			r.Page, r.Box = page, box
		}
	default:
		return nil, &Error{Code: "invalid_action", Message: "操作只能是确认（confirm）或更正（correct）。", Err: ErrInvalid}
	}
	comment := field + " " + action
	if marked {
		comment += fmt.Sprintf(" 位置 第%d页 [%d,%d,%d,%d]", page, box.X0, box.Y0, box.X1, box.Y1)
	} else if last := latestReview(d, field); last != nil && last.Page != 0 {
		comment += " 清除位置标注"
	}
	d.Reviews = append(d.Reviews, r)
	d.UpdatedAt = s.now()
	if err := s.store.UpdateDocument(ctx, d); err != nil {
		return nil, fmt.Errorf("review field: %w", err)
	}
	s.record(ctx, p, Event{Action: "document.review_field", ApplicationID: d.ApplicationID, Object: d.ID, Comment: comment})
	return d, nil
}

// checkMark says in Chinese why a reviewer's mark cannot stand: the page must be one of d's and the
// box a non-empty one inside it.
func (s *Service) checkMark(ctx context.Context, d *Document, page int, box doc.Box) error {
	if page < 1 || page > max(d.PageCount, len(d.Pages)) {
		return &Error{Code: "invalid_box", Message: fmt.Sprintf("标注的页码 %d 不在本文件中（共 %d 页）。", page, max(d.PageCount, len(d.Pages))), Err: ErrInvalid}
	}
	if box.Empty() {
		return &Error{Code: "invalid_box", Message: "标注的框是空的，请在页面上拖出一个矩形。", Err: ErrInvalid}
	}
	pages, err := s.store.Pages(ctx, d.ID)
	if err != nil {
		return fmt.Errorf("pages of %s: %w", d.ID, err)
	}
	i := slices.IndexFunc(pages, func(pg doc.Page) bool { return pg.Number == page })
	if i < 0 || pages[i].Width <= 0 || pages[i].Height <= 0 {
		return &Error{Code: "invalid_box", Message: fmt.Sprintf("第 %d 页没有可标注的图像。", page), Err: ErrInvalid}
	}
	if w, h := pages[i].Width, pages[i].Height; box.X0 < 0 || box.Y0 < 0 || box.X1 > w || box.Y1 > h {
		return &Error{Code: "invalid_box", Message: fmt.Sprintf("标注的框超出了第 %d 页的范围（宽 %d、高 %d 像素），请在页面之内重新标注。", page, w, h), Err: ErrInvalid}
	}
	return nil
}

// latestReview is the latest review of a field of d, or nil.
func latestReview(d *Document, field string) *FieldReview {
	for i := len(d.Reviews) - 1; i >= 0; i-- {
		if d.Reviews[i].Field == field {
			return &d.Reviews[i]
		}
	}
	return nil
}

// SetKind records a reviewer's decision that a document is of another kind.
func (s *Service) SetKind(ctx context.Context, p Principal, documentID, kind string) (*Document, error) {
	d, err := s.reviewable(ctx, p, documentID)
	if err != nil {
		return nil, err
	}
	known := false
	for _, k := range doc.Kinds {
		known = known || k.Name == kind
	}
	if !known {
		return nil, &Error{Code: "unknown_kind", Message: "没有这种材料类型。", Err: ErrInvalid}
	}
	d.KindReview = &KindReview{Kind: kind, OCRKind: d.Kind, By: p.actor(), At: s.now()}
	d.UpdatedAt = s.now()
	if err := s.store.UpdateDocument(ctx, d); err != nil {
		return nil, fmt.Errorf("set kind: %w", err)
	}
	s.record(ctx, p, Event{Action: "document.set_kind", ApplicationID: d.ApplicationID, Object: d.ID, Comment: d.Kind + " → " + kind})
	return d, nil
}

// ReviewItem records a reviewer's acceptance or rejection of a checklist item (1–8, 0 for the 推荐表)
// and returns the application's checklist.
func (s *Service) ReviewItem(ctx context.Context, p Principal, applicationID string, item int, decision, comment string) (*Application, checklist.Report, error) {
	a, err := s.application(ctx, p, applicationID)
	if err != nil {
		return nil, checklist.Report{}, err
	}
	if err := mayReview(p, a); err != nil {
		return nil, checklist.Report{}, err
	}
	if item < 0 || item > 8 {
		return nil, checklist.Report{}, &Error{Code: "unknown_item", Message: "材料项应为第十七条第1至8项，或 0（推荐表）。", Err: ErrInvalid}
	}
	if decision != "accept" && decision != "reject" {
		return nil, checklist.Report{}, &Error{Code: "invalid_decision", Message: "审核意见只能是通过（accept）或不通过（reject）。", Err: ErrInvalid}
	}
	if utf8.RuneCountInString(comment) > 1000 {
		return nil, checklist.Report{}, &Error{Code: "comment_too_long", Message: "意见不超过 1000 字。", Err: ErrInvalid}
	}
	a.ItemReviews = append(a.ItemReviews, ItemReview{Item: item, Decision: decision, Comment: strings.TrimSpace(comment), By: p.actor(), At: s.now()})
	a.UpdatedAt = s.now()
	if err := s.store.UpdateApplication(ctx, a); err != nil {
		return nil, checklist.Report{}, fmt.Errorf("review item: %w", err)
	}
	s.record(ctx, p, Event{Action: "application.review_item", ApplicationID: a.ID, Comment: fmt.Sprintf("%d %s", item, decision)})
	docs, err := s.store.ListDocuments(ctx, applicationID)
	if err != nil {
		return nil, checklist.Report{}, err
	}
	return a, Evaluate(a, docs, s.now()), nil
}

func (s *Service) reviewable(ctx context.Context, p Principal, documentID string) (*Document, error) {
	d, a, err := s.document(ctx, p, documentID)
	if err != nil {
		return nil, err
	}
	if err := mayReview(p, a); err != nil {
		return nil, err
	}
	if d.Status != StatusDone {
		return nil, &Error{Code: "not_ready", Message: "该文件尚未识别完成，暂不能审核。", Err: ErrInvalid}
	}
	return d, nil
}

// canonical turns a reviewer's value into a field's canonical text (doc.Field), or says in Chinese
// why it cannot.
func canonical(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", fmt.Errorf("请填写更正后的值。")
	}
	switch doc.FieldTypes[field] {
	case doc.Number:
		f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
		if err != nil || f < 0 {
			return "", fmt.Errorf("请填写数字（金额以元为单位，百分比填 0–100 的数）。")
		}
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	case doc.Integer:
		n, err := strconv.ParseInt(strings.ReplaceAll(v, ",", ""), 10, 64)
		if err != nil || n < 0 {
			return "", fmt.Errorf("请填写整数。")
		}
		return strconv.FormatInt(n, 10), nil
	case doc.Date:
		if v == "长期" {
			return v, nil
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return "", fmt.Errorf("日期格式应为 YYYY-MM-DD，例如 2023-03-05；长期有效填“长期”。")
		}
		return t.Format(time.DateOnly), nil
	case doc.Bool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return "", fmt.Errorf("请填写 true 或 false。")
		}
		return strconv.FormatBool(b), nil
	case doc.List:
		parts := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '，' || r == ' ' })
		for _, p := range parts {
			if !slices.Contains(Functions, p) {
				return "", fmt.Errorf("服务功能只能是 information、technology、startup、training、financing。")
			}
		}
		slices.Sort(parts)
		return strings.Join(slices.Compact(parts), ","), nil
	case doc.Enum:
		allowed := map[string][]string{
			"audit_opinion": {"unqualified", "qualified", "adverse", "disclaimer"},
			"issuer_level":  {"national", "autonomous_region", "prefecture", "county"},
		}[field]
		if !slices.Contains(allowed, v) {
			return "", fmt.Errorf("可选值：%s。", strings.Join(allowed, "、"))
		}
		return v, nil
	}
	if utf8.RuneCountInString(v) > 200 {
		return "", fmt.Errorf("内容过长（不超过 200 字）。")
	}
	return v, nil
}
