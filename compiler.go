package main

import (
	"context"
	"io"

	"shenbao/checklist"
	"shenbao/compile"
	"shenbao/doc"
	"shenbao/intake"
)

// compiler adapts package compile (a leaf that knows nothing of intake) to intake.Compiler.
type compiler struct{ opt compile.Options }

var _ intake.Compiler = compiler{}

func (c compiler) Compile(ctx context.Context, w io.Writer, a *intake.Application, r checklist.Report, docs []*intake.Document, open func(*intake.Document) (io.ReadCloser, error)) error {
	items := map[string]int{}
	for _, k := range doc.Kinds {
		items[k.Name] = k.Item
	}
	sum := intake.Summarize(r, docs)
	cover := compile.Cover{Applicant: a.OrgName, CreditCode: a.CreditCode, Year: a.Year, State: a.State.Label(),
		ItemsPresent: sum.ItemsPresent, ItemsTotal: sum.ItemsTotal, Blocking: sum.Blocking, Attention: sum.Attention, Generated: r.AsOf}
	var ms []compile.Material
	for _, d := range docs {
		item, ok := items[d.EffectiveKind()]
		if !ok || d.EffectiveKind() == "other" {
			item = 9 // 其他材料, after the eight items
		}
		ms = append(ms, compile.Material{Item: item, FileName: d.FileName, SHA256: d.SHA256, ContentType: d.ContentType,
			Open: func() (io.ReadCloser, error) { return open(d) }})
	}
	return compile.Build(ctx, w, cover, ms, c.opt)
}
