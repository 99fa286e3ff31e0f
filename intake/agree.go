package intake

import (
	"context"

	"shenbao/checklist"
	"shenbao/doc"
	"shenbao/extract"
)

// counts reports whether a document's fields count for its application: it is read and not replaced.
func (d *Document) counts() bool { return d.Status == StatusDone && d.ReplacedBy == "" }

// AgreedFields are the effective fields of each of application a's documents that count, held
// against each other (extract.Agree: a figure that another document contradicts is not certain), by
// document ID.
func AgreedFields(a *Application, docs []*Document) map[string][]doc.Field {
	var ids []string
	var fs [][]doc.Field
	for _, d := range docs {
		if d.counts() {
			ids = append(ids, d.ID)
			fs = append(fs, d.EffectiveFields())
		}
	}
	out := make(map[string][]doc.Field, len(ids))
	for i, f := range extract.Agree(fs, declared(a)) {
		out[ids[i]] = f
	}
	return out
}

// declared is what application a declares of its applicant, for extraction.
func declared(a *Application) extract.Options {
	if a == nil {
		return extract.Options{}
	}
	return extract.Declared(a.OrgName, a.CreditCode)
}

// Agree holds the fields of the checklist's documents of an application that declares opt against
// each other, as AgreedFields does.
func Agree(opt extract.Options, docs []checklist.Document) {
	fs := make([][]doc.Field, len(docs))
	for i, d := range docs {
		fs[i] = d.Fields
	}
	for i, f := range extract.Agree(fs, opt) {
		docs[i].Fields = f
	}
}

// Agreed is AgreedFields for the documents docs of application applicationID, as the service shows
// them; should the application not be read, its documents are held against each other without what
// it declares.
func (s *Service) Agreed(ctx context.Context, applicationID string, docs []*Document) map[string][]doc.Field {
	a, err := s.store.GetApplication(ctx, applicationID)
	if err != nil {
		s.log.WarnContext(ctx, "fields held against each other without the application", "application", applicationID, "err", err)
		a = nil
	}
	return AgreedFields(a, docs)
}

// ShownFields are the fields the service shows of document d: its effective fields, held against the
// other documents of its application once it counts for it. Should the other documents not be
// listed, d's own effective fields are shown.
func (s *Service) ShownFields(ctx context.Context, d *Document) []doc.Field {
	if !d.counts() {
		return d.EffectiveFields()
	}
	a, err := s.store.GetApplication(ctx, d.ApplicationID)
	if err != nil {
		s.log.WarnContext(ctx, "fields shown without the other documents", "document", d.ID, "err", err)
		return d.EffectiveFields()
	}
	docs, err := s.store.ListDocuments(ctx, d.ApplicationID)
	if err != nil {
		s.log.WarnContext(ctx, "fields shown without the other documents", "document", d.ID, "err", err)
		return d.EffectiveFields()
	}
	for i, o := range docs {
		if o.ID == d.ID {
			docs[i] = d // as the caller holds it (just reviewed, say)
		}
	}
	if f, ok := AgreedFields(a, docs)[d.ID]; ok {
		return f
	}
	return d.EffectiveFields()
}
