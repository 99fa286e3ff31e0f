package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/image/tiff"

	"shenbao/checklist"
)

// documents draws the folder's documents from the application, leaving out what the defects say is
// missing.
func (a *application) documents() []*document {
	g := a.g
	var docs []*document
	docs = append(docs, a.report())
	if a.typ == company {
		docs = append(docs, a.licence())
	} else {
		docs = append(docs, a.certificate())
	}
	if a.has("missing_audit") {
		a.note("no audit report (第十七条（三）)")
	} else {
		docs = append(docs, a.auditReport())
	}
	if a.lease != nil {
		docs = append(docs, a.leaseDoc())
	} else {
		docs = append(docs, a.propertyDoc())
	}
	if a.has("missing_evidence") {
		a.note("no service evidence (第十七条（五）)")
	} else {
		n := g.between(1, 3)
		for _, l := range sample(g, []string{"evidence.summary", "evidence.brief", "evidence.notice-signin", "evidence.photo-captions"}, n) {
			docs = append(docs, a.evidence(l))
		}
	}
	if a.has("missing_recognition") {
		a.note("no recognition document (第十七条（六）)")
	} else {
		for _, r := range a.recognition {
			docs = append(docs, a.recognitionDoc(r))
		}
	}
	if a.has("missing_qualification") {
		a.note("no qualification (第十七条（七）)")
	} else {
		for _, q := range a.quals {
			docs = append(docs, a.qualificationDoc(q))
		}
	}
	docs = append(docs, a.declaration())
	if a.has("missing_recommendation") {
		a.note("no 推荐表 (第十六条)")
	} else {
		docs = append(docs, a.recommendation())
	}
	if g.chance(0.4) {
		docs = append(docs, a.otherDoc())
	}
	return docs
}

// formats are the file formats each kind is uploaded as, with weights. Multi-page documents become
// PDFs whatever is drawn.
var formats = map[string]struct {
	f []string
	w []float64
}{
	"application_report":       {[]string{"pdf", "jpg"}, []float64{85, 15}},
	"business_licence":         {[]string{"jpg", "png", "pdf", "tif"}, []float64{50, 15, 25, 10}},
	"legal_person_certificate": {[]string{"jpg", "pdf", "tif"}, []float64{55, 30, 15}},
	"audit_report":             {[]string{"pdf"}, []float64{1}},
	"premises_lease":           {[]string{"pdf", "jpg"}, []float64{70, 30}},
	"property_certificate":     {[]string{"jpg", "pdf"}, []float64{70, 30}},
	"service_evidence":         {[]string{"jpg", "pdf", "png"}, []float64{55, 35, 10}},
	"prior_recognition":        {[]string{"jpg", "pdf", "tif"}, []float64{50, 35, 15}},
	"qualification":            {[]string{"jpg", "pdf", "png"}, []float64{55, 30, 15}},
	"authenticity_declaration": {[]string{"jpg", "pdf", "tif"}, []float64{50, 35, 15}},
	"recommendation_form":      {[]string{"jpg", "pdf", "tif"}, []float64{50, 40, 10}},
	"other":                    {[]string{"pdf", "jpg"}, []float64{50, 50}},
}

// looks chooses each document's look and file name.
func (a *application) dress(docs []*document, fonts []fontInfo) {
	g := a.g
	misnamed := -1
	if a.has("misnamed_file") {
		for i, d := range docs {
			if d.kind == "prior_recognition" || d.kind == "qualification" || d.kind == "premises_lease" {
				misnamed = i
				break
			}
		}
	}
	for i, d := range docs {
		f := formats[d.kind]
		d.look = g.drawLook(fonts, f.f, f.w)
		if len(d.pages) > 1 {
			d.look.format = "pdf"
			d.look.turn = 0
		}
		switch {
		case d.pages[0].screen:
			d.look.mode, d.look.format, d.look.grey, d.look.turn = "screen", "png", false, 0
			d.look.scale = 1.25
			if d.pages[0].width < 500 {
				d.look.scale = 2.5
			}
			if g.chance(0.3) { // a phone photo of the screen
				d.look.mode, d.look.format, d.look.scale = "phone", "jpg", 1.0
				if d.pages[0].width < 500 {
					d.look.scale = 2
				}
			}
		case slices.Contains(d.layouts, "recognition.plaque"):
			d.look.mode, d.look.format, d.look.grey = "phone", "jpg", false
		}
		if d.look.format == "png" && d.look.mode == "phone" {
			d.look.format = "jpg"
		}
		ext := "." + d.look.format
		wrong := ""
		if i == misnamed {
			wrong = map[string]string{"prior_recognition": "business_licence", "qualification": "prior_recognition",
				"premises_lease": "audit_report"}[d.kind]
			a.note("%s content is named as a %s", d.kind, wrong)
		}
		d.file = a.fileName(d, ext, wrong)
	}
}

// sidecar is the JSON written beside each file: the corpus README's keys, and the generator's own
// (layout, variant, look), which the scorer ignores.
type sidecar struct {
	Kind    string            `json:"kind"`
	Fields  map[string]any    `json:"fields"`
	Surface map[string]string `json:"surface"`
	Pages   []sidecarPage     `json:"pages"`
	Layout  string            `json:"layout"`
	Variant []string          `json:"variant,omitempty"`
	Look    string            `json:"look"`
}

type sidecarPage struct {
	Text  string `json:"text"`
	Blank bool   `json:"blank,omitempty"`
}

// render draws, degrades and writes one document, and its sidecar. The browser draws the pages one
// after the other; each page is degraded in its own goroutine (with its own random stream, forked
// in page order, so the result does not depend on scheduling) while the next one is drawn.
func (a *application) render(b *browser, dir string, d *document) error {
	imgs := make([]image.Image, len(d.pages))
	hows := make([]string, len(d.pages))
	var wg sync.WaitGroup
	for i, p := range d.pages {
		w, h := 794, 1123
		if p.width > 0 {
			w, h = p.width, p.height
		}
		pg := a.g.fork()
		var rgba *image.RGBA
		if p.blank {
			rgba = image.NewRGBA(image.Rect(0, 0, int(float64(w)*d.look.scale), int(float64(h)*d.look.scale)))
			for j := range rgba.Pix {
				rgba.Pix[j] = 255
			}
		} else {
			var err error
			if rgba, err = b.shot(pageHTML(p, d.look), w, h, d.look.scale); err != nil {
				wg.Wait()
				return fmt.Errorf("%s page %d: %w", d.file, i+1, err)
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			imgs[i], hows[i] = degrade(rgba, d.look, pg)
		}()
	}
	wg.Wait()
	data, err := encode(d, imgs)
	if err != nil {
		return fmt.Errorf("%s: %w", d.file, err)
	}
	if err := os.WriteFile(filepath.Join(dir, d.file), data, 0o644); err != nil {
		return err
	}
	sc := sidecar{Kind: d.kind, Fields: d.fields, Surface: d.surface, Layout: strings.Join(d.layouts, "+"),
		Variant: d.variant, Look: d.look.describe() + "; " + hows[0]}
	for _, p := range d.pages {
		sc.Pages = append(sc.Pages, sidecarPage{Text: p.text(), Blank: p.blank})
	}
	return writeJSON(filepath.Join(dir, d.file+".json"), sc)
}

// encode writes the pages in the document's format.
func encode(d *document, imgs []image.Image) ([]byte, error) {
	var buf bytes.Buffer
	switch d.look.format {
	case "png":
		err := png.Encode(&buf, imgs[0])
		return buf.Bytes(), err
	case "jpg":
		err := jpeg.Encode(&buf, imgs[0], &jpeg.Options{Quality: d.look.quality})
		return buf.Bytes(), err
	case "tif":
		err := tiff.Encode(&buf, imgs[0], &tiff.Options{Compression: tiff.Deflate})
		return buf.Bytes(), err
	}
	var pages []pdfPage
	for _, img := range imgs {
		var j bytes.Buffer
		if err := jpeg.Encode(&j, img, &jpeg.Options{Quality: d.look.quality}); err != nil {
			return nil, err
		}
		_, gray := img.(*image.Gray)
		dpi := 96 * d.look.scale
		if d.look.mode == "phone" {
			dpi = 96 * d.look.scale * 0.8
		}
		pages = append(pages, pdfPage{jpeg: j.Bytes(), w: img.Bounds().Dx(), h: img.Bounds().Dy(), gray: gray, dpi: dpi})
	}
	return writePDF(pages), nil
}

func writeJSON(path string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// manifest is the folder's manifest.json (corpus README, "Manifest").
type manifest struct {
	Application    string         `json:"application"`
	OrgName        string         `json:"org_name"`
	CreditCode     string         `json:"credit_code"`
	SubmissionDate string         `json:"submission_date"`
	EvaluationYear int            `json:"evaluation_year"`
	Prefecture     string         `json:"prefecture"`
	Recommender    string         `json:"recommender"`
	Files          []manifestFile `json:"files"`
	ItemsPresent   []int          `json:"items_present"`
	Warnings       []string       `json:"warnings"`
	Verdicts       verdicts       `json:"verdicts"`
	Notes          []string       `json:"notes"`
	Defects        []string       `json:"defects"`
	Seed           int64          `json:"generator_seed"`
}

// verdicts are written in the checklist's report order (c12_1 … c13_any), as the dev manifests are.
type verdicts map[string]string

func (v verdicts) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range checklist.VerdictKeys {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%q", k, v[k])
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

type manifestFile struct {
	File string `json:"file"`
	Kind string `json:"kind"`
}

func (a *application) manifest(seed int64, docs []*document) manifest {
	line := expected(a, docs)
	m := manifest{Application: a.dir, OrgName: a.org, CreditCode: a.code, SubmissionDate: iso(a.submission),
		EvaluationYear: a.evalYear, Prefecture: a.pref.name, Recommender: a.recommender,
		ItemsPresent: line.ItemsPresent, Warnings: line.Warnings, Verdicts: verdicts{},
		Notes: a.notes, Defects: a.defects, Seed: seed}
	for _, d := range docs {
		m.Files = append(m.Files, manifestFile{d.file, d.kind})
	}
	for k, v := range line.Verdicts {
		m.Verdicts[k] = string(v)
	}
	if m.Notes == nil {
		m.Notes = []string{}
	}
	if m.Defects == nil {
		m.Defects = []string{}
	}
	return m
}
