package intake

import (
	"context"

	"shenbao/checklist"
	"shenbao/doc"
	"shenbao/extract"
)

// counts reports whether a document's fields count for its application: it is read and not replaced.
func (d *Document) counts() bool { return d.Status == StatusDone && d.ReplacedBy == "" }

// Shown is a document's fields as the service shows them: held against the other documents of its
// application (extract.Agree: a figure that another document contradicts is not certain).
type Shown struct {
	Fields []doc.Field
	// Against lists, for each field another document contradicts, those documents and their values.
	Against map[string][]Contradiction
}

// Contradiction is another document's value of a field that disagrees with this document's.
type Contradiction struct {
	DocumentID string
	FileName   string
	Value      string
}

// AgreedFields are the fields of each of application a's documents that count (done, not replaced)
// as the service shows them, by document ID.
func AgreedFields(a *Application, docs []*Document) map[string]Shown {
	var in []*Document
	var fs [][]doc.Field
	for _, d := range docs {
		if d.counts() {
			in = append(in, d)
			fs = append(fs, d.EffectiveFields())
		}
	}
	agreed, against := extract.AgreeWith(fs, declared(a))
	out := make(map[string]Shown, len(in))
	for i, f := range agreed {
		sh := Shown{Fields: f}
		for name, others := range against[i] {
			if sh.Against == nil {
				sh.Against = map[string][]Contradiction{}
			}
			for _, j := range others {
				for _, g := range agreed[j] {
					if g.Name == name {
						sh.Against[name] = append(sh.Against[name], Contradiction{in[j].ID, in[j].FileName, g.Value})
					}
				}
			}
		}
		out[in[i].ID] = sh
	}
	return out
}

// declared is what application a declares of its applicant, for extraction: its name, credit code
// and the region it applies through.
func declared(a *Application) extract.Options {
	if a == nil {
		return extract.Options{}
	}
	opt := extract.Declared(a.OrgName, a.CreditCode)
	opt.Region = a.Region
	return opt
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
func (s *Service) Agreed(ctx context.Context, applicationID string, docs []*Document) map[string]Shown {
	a, err := s.store.GetApplication(ctx, applicationID)
	if err != nil {
		s.log.WarnContext(ctx, "fields held against each other without the application", "application", applicationID, "err", err)
		a = nil
	}
	return AgreedFields(a, docs)
}

// ShownFields are the fields the service shows of document d: its effective fields, held against the
// other documents of its application once it counts for it. Should the application or its other
// documents not be read, d's own effective fields are shown.
func (s *Service) ShownFields(ctx context.Context, d *Document) Shown {
	own := Shown{Fields: d.EffectiveFields()}
	if !d.counts() {
		return own
	}
	a, err := s.store.GetApplication(ctx, d.ApplicationID)
	if err != nil {
		s.log.WarnContext(ctx, "fields shown without the other documents", "document", d.ID, "err", err)
		return own
	}
	docs, err := s.store.ListDocuments(ctx, d.ApplicationID)
	if err != nil {
		s.log.WarnContext(ctx, "fields shown without the other documents", "document", d.ID, "err", err)
		return own
	}
	for i, o := range docs {
		if o.ID == d.ID {
			docs[i] = d // as the caller holds it (just reviewed, say)
		}
	}
	if sh, ok := AgreedFields(a, docs)[d.ID]; ok {
		return sh
	}
	return own
}
