package compile

import (
	"errors"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// copier copies objects of one source PDF (read by pdfcpu) to the output, numbering them anew.
// An object is copied once however often it is referred to, and only if a copied page reaches it.
// References to the source's page tree nodes and catalog become null, so that neither the source's
// page tree nor its other parts come along.
type copier struct {
	pw     *pdfWriter
	src    *model.Context
	mapped map[int]int // source object number → output object number; -1: dropped (null)
	queue  []types.IndirectRef
}

func newCopier(pw *pdfWriter, src *model.Context) *copier {
	return &copier{pw: pw, src: src, mapped: map[int]int{}}
}

// ref is the output reference for a source reference, allocating and queueing the object the
// first time.
func (c *copier) ref(ir types.IndirectRef) types.Object {
	n := int(ir.ObjectNumber)
	if d, ok := c.mapped[n]; ok {
		if d < 0 {
			return nil
		}
		return ref(d)
	}
	o, err := c.src.Dereference(ir)
	if err != nil || o == nil {
		c.mapped[n] = -1
		return nil
	}
	if d, ok := o.(types.Dict); ok {
		if t := d.Type(); t != nil && (*t == "Pages" || *t == "Catalog" || *t == "Page") {
			// Pages of the tree were mapped before copying began (copyPDF); a page outside it
			// would come without a parent.
			c.mapped[n] = -1
			return nil
		}
	}
	d := c.pw.alloc()
	c.mapped[n] = d
	c.queue = append(c.queue, ir)
	return ref(d)
}

// clone is a copy of the direct object o with its references translated by ref.
func (c *copier) clone(o types.Object) types.Object {
	switch o := o.(type) {
	case types.IndirectRef:
		return c.ref(o)
	case types.Dict:
		d := make(types.Dict, len(o))
		for k, v := range o {
			d[k] = c.clone(v)
		}
		return d
	case types.Array:
		a := make(types.Array, len(o))
		for i, v := range o {
			a[i] = c.clone(v)
		}
		return a
	case types.StreamDict, types.ObjectStreamDict, types.XRefStreamDict, types.LazyObjectStreamObject:
		return nil // cannot be direct
	}
	return o
}

// cloneDict is clone for a dictionary, leaving out the keys given.
func (c *copier) cloneDict(d types.Dict, leave ...string) types.Dict {
	out := make(types.Dict, len(d))
next:
	for k, v := range d {
		for _, l := range leave {
			if k == l {
				continue next
			}
		}
		out[k] = c.clone(v)
	}
	return out
}

// flush writes every queued object, and the objects they reach in turn.
func (c *copier) flush() {
	for len(c.queue) > 0 && c.pw.err == nil {
		ir := c.queue[len(c.queue)-1]
		c.queue = c.queue[:len(c.queue)-1]
		dst := c.mapped[int(ir.ObjectNumber)]
		o, err := c.src.Dereference(ir)
		if err != nil {
			o = nil
		}
		if sd, ok := o.(types.StreamDict); ok {
			c.pw.stream(dst, c.cloneDict(sd.Dict, "Length"), sd.Raw)
			continue
		}
		c.pw.object(dst, c.clone(o))
	}
}

// errPageCount: a PDF in the work directory had a different number of pages when it was copied
// than when it was first read.
var errPageCount = errors.New("page count changed between reading and writing")

// copyPDF appends every page of the PDF at path to the output, each with its page number stamped.
// want is the page count found when the file was first read (prepare); a different count now is
// an error.
func (b *builder) copyPDF(path string, want int) error {
	src, err := readPDF(path, newConf())
	if err != nil {
		return err
	}
	if src.PageCount != want {
		return fmt.Errorf("%w: %d pages, then %d", errPageCount, want, src.PageCount)
	}
	c := newCopier(b.pw, src)

	// Map every page first, so that a reference to a page from another one (a link's
	// destination, an annotation's /P) finds the page's output number.
	type srcPage struct {
		dict types.Dict
		inh  *model.InheritedPageAttrs
		nr   int
	}
	pages := make([]srcPage, src.PageCount)
	for i := range pages {
		d, ir, inh, err := src.PageDict(i+1, false)
		if err != nil {
			return fmt.Errorf("page %d: %w", i+1, err)
		}
		nr := b.pw.alloc()
		if _, seen := c.mapped[int(ir.ObjectNumber)]; !seen {
			c.mapped[int(ir.ObjectNumber)] = nr
		}
		pages[i] = srcPage{d, inh, nr}
	}
	for _, p := range pages {
		b.copyPage(c, p.dict, p.inh, p.nr)
		c.flush()
		if b.pw.err != nil {
			return b.pw.err
		}
	}
	return nil
}

// copyPage writes the page dictionary d as output object nr: its inherited attributes made its
// own, its parent the output's page tree, its content followed by the page number.
func (b *builder) copyPage(c *copier, d types.Dict, inh *model.InheritedPageAttrs, nr int) {
	page := c.cloneDict(d, "Type", "Parent", "B", "StructParents", "Resources", "MediaBox", "CropBox", "Rotate", "Contents")
	page["Type"] = types.Name("Page")
	page["Parent"] = ref(b.pagesRoot)

	media := inh.MediaBox
	if media == nil {
		media = types.RectForDim(595, 842) // A4; a page without one is broken, but readable
	}
	page["MediaBox"] = rectArray(media)
	box := media
	if inh.CropBox != nil {
		page["CropBox"] = rectArray(inh.CropBox)
		box = inh.CropBox
	}
	rot := normalRotation(inh.Rotate)
	if rot != 0 {
		page["Rotate"] = types.Integer(rot)
	}

	// Resources: the page's (or inherited) dictionary, with the stamp's font added under a name
	// the page does not use. The dictionary is written inline, so a shared one is not changed.
	res := types.Dict{}
	var fonts types.Dict
	if inh.Resources != nil {
		res = c.cloneDict(inh.Resources, "Font")
		if fd, err := c.src.DereferenceDict(inh.Resources["Font"]); err == nil && fd != nil {
			fonts = c.cloneDict(fd)
		}
	}
	if fonts == nil {
		fonts = types.Dict{}
	}
	key := freeKey(fonts, stampFont)
	fonts[key] = ref(b.font)
	res["Font"] = fonts
	page["Resources"] = res

	var contents types.Array
	add := func(o types.Object) {
		if ir, ok := o.(types.IndirectRef); ok {
			if r := c.ref(ir); r != nil {
				contents = append(contents, r)
			}
		}
	}
	switch v := d["Contents"].(type) {
	case types.IndirectRef:
		o, _ := c.src.Dereference(v)
		switch o := o.(type) {
		case types.StreamDict:
			add(v)
		case types.Array:
			for _, e := range o {
				add(e)
			}
		}
	case types.Array:
		for _, e := range v {
			add(e)
		}
	}
	stamp := b.pw.alloc()
	b.pw.stream(stamp, types.Dict{}, stampContent(len(b.pages)+1, b.total, *box, rot, key, len(contents) > 0))
	if len(contents) > 0 {
		contents = append(types.Array{ref(b.open)}, contents...)
	}
	page["Contents"] = append(contents, ref(stamp))

	b.pw.object(nr, page)
	b.pages = append(b.pages, nr)
}

func rectArray(r *types.Rectangle) types.Array {
	return types.Array{types.Float(r.LL.X), types.Float(r.LL.Y), types.Float(r.UR.X), types.Float(r.UR.Y)}
}
