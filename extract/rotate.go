package extract

import "shenbao/doc"

// A page the reader turned to read it (doc.Page.Rotation: a phone photo held sideways, a scan fed
// upside down) has its boxes in the page's own pixels, where its rows run up or down. Extraction
// reads rows, columns and cells by geometry, so it works on the page turned upright and gives each
// field's box back in the page's own pixels.

// uprightPages returns the pages with the boxes of turned pages in the upright frame (Rotation 0,
// width and height swapped for a quarter turn); pages read upright are returned as they are.
func uprightPages(pages []doc.Page) []doc.Page {
	turned := false
	for _, p := range pages {
		turned = turned || p.Rotation%360 != 0
	}
	if !turned {
		return pages
	}
	out := make([]doc.Page, len(pages))
	for i, p := range pages {
		out[i] = uprightPage(p)
	}
	return out
}

func uprightPage(p doc.Page) doc.Page {
	deg := ((p.Rotation % 360) + 360) % 360
	if deg == 0 {
		return p
	}
	box := func(b doc.Box) doc.Box { return b.ToUpright(deg, p.Width, p.Height) }
	q := p
	q.Rotation = 0
	if deg != 180 {
		q.Width, q.Height = p.Height, p.Width
	}
	q.Lines = make([]doc.Line, len(p.Lines))
	for i, l := range p.Lines {
		nl := doc.Line{Box: box(l.Box), Words: make([]doc.Word, len(l.Words))}
		for j, wd := range l.Words {
			wd.Box = box(wd.Box)
			nl.Words[j] = wd
		}
		q.Lines[i] = nl
	}
	q.Seals = nil
	for _, s := range p.Seals {
		q.Seals = append(q.Seals, box(s))
	}
	q.SealTexts = nil
	for _, st := range p.SealTexts {
		st.Box = box(st.Box)
		q.SealTexts = append(q.SealTexts, st)
	}
	return q
}

// pageFrameBox maps a box of the upright frame of page p back onto p as it is (p as the reader gave
// it, with its Rotation).
func pageFrameBox(b doc.Box, p doc.Page) doc.Box {
	return b.FromUpright(((p.Rotation%360)+360)%360, p.Width, p.Height)
}

// fieldsBack maps the boxes of fields read on the upright pages back onto the pages as given.
func fieldsBack(fs []doc.Field, pages []doc.Page) {
	for i := range fs {
		if n := fs[i].Page; n >= 1 && n <= len(pages) {
			fs[i].Box = pageFrameBox(fs[i].Box, pageNumbered(pages, n))
		}
	}
}

// pageNumbered returns the page whose number is n (its position when pages are not numbered).
func pageNumbered(pages []doc.Page, n int) doc.Page {
	for i, p := range pages {
		if p.Number == n || (p.Number == 0 && i+1 == n) {
			return p
		}
	}
	return pages[n-1]
}
