package intake

import (
	"context"
	"fmt"
)

// ReadAgain queues a document to be read again from its original — after a fault of the service is
// fixed, or a better reader installed. Staff only. A document being read now is refused (ErrState);
// one already waiting is returned as it is. Its reviews stay; its kind, fields and pages are replaced
// when the new reading is done.
func (s *Service) ReadAgain(ctx context.Context, p Principal, documentID string) (*Document, error) {
	d, _, err := s.document(ctx, p, documentID)
	if err != nil {
		return nil, err
	}
	if err := mayReadAgain(p); err != nil {
		return nil, err
	}
	switch d.Status {
	case StatusProcessing:
		return nil, &Error{Code: "being_read", Message: "该材料正在识别中，请等识别结束后再重新识别。", Err: ErrState}
	case StatusReceived:
		return d, nil
	}
	if err := s.queueAgain(ctx, p, d, "工作人员重新识别"); err != nil {
		return nil, err
	}
	return d, nil
}

// ReadApplicationAgain queues every current document of an application (not replaced, not waiting or
// being read) to be read again; onlyFailed keeps it to those that failed. Staff only. It returns the
// documents queued.
func (s *Service) ReadApplicationAgain(ctx context.Context, p Principal, applicationID string, onlyFailed bool) ([]*Document, error) {
	if _, err := s.application(ctx, p, applicationID); err != nil {
		return nil, err
	}
	if err := mayReadAgain(p); err != nil {
		return nil, err
	}
	docs, err := s.store.ListDocuments(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	var queued []*Document
	for _, d := range docs {
		if d.ReplacedBy != "" || (d.Status != StatusDone && d.Status != StatusFailed) || (onlyFailed && d.Status != StatusFailed) {
			continue
		}
		if err := s.queueAgain(ctx, p, d, "工作人员重新识别整个申报"); err != nil {
			return queued, err
		}
		queued = append(queued, d)
	}
	return queued, nil
}

// queueAgain puts a done or failed document back in the queue, with its attempts counted afresh, and
// records who did and why.
func (s *Service) queueAgain(ctx context.Context, p Principal, d *Document, why string) error {
	from := d.Status
	d.Status, d.Reason = StatusReceived, ""
	d.Attempts, d.PagesDone = 0, 0
	d.UpdatedAt = s.now()
	if err := s.store.UpdateDocument(ctx, d); err != nil {
		return fmt.Errorf("queue %s again: %w", d.ID, err)
	}
	s.log.InfoContext(ctx, "document queued to be read again", "document", d.ID, "application", d.ApplicationID, "was", string(from))
	s.record(ctx, p, Event{Action: "document.reread", ApplicationID: d.ApplicationID, Object: d.ID, Comment: why + "（原状态：" + string(from) + "）"})
	s.poke()
	return nil
}
