package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"shenbao/doc"
	"shenbao/intake"
)

// Wire types: the JSON shapes of the API. Domain types carry no tags; these do.

type applicationJSON struct {
	ID          string     `json:"id"`
	State       string     `json:"state"`
	StateLabel  string     `json:"state_label"`
	OwnerID     string     `json:"owner_id"`
	OrgName     string     `json:"org_name"`
	CreditCode  string     `json:"credit_code"`
	Region      string     `json:"region"`
	Year        int        `json:"year"`
	Functions   []string   `json:"functions"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Cycle       cycleJSON  `json:"cycle"`
}

func toApplication(a *intake.Application) applicationJSON {
	j := applicationJSON{ID: a.ID, State: string(a.State), StateLabel: a.State.Label(), OwnerID: a.OwnerID, Cycle: toCycle(a), OrgName: a.OrgName, CreditCode: a.CreditCode, Region: a.Region, Year: a.Year,
		Functions: a.Functions, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	if j.Functions == nil {
		j.Functions = []string{}
	}
	if !a.SubmittedAt.IsZero() {
		t := a.SubmittedAt
		j.SubmittedAt = &t
	}
	return j
}

type boxJSON [4]int // x0, y0, x1, y1 in the page's pixels

func toBox(b doc.Box) boxJSON { return boxJSON{b.X0, b.Y0, b.X1, b.Y1} }

type fieldJSON struct {
	Value      any              `json:"value"`
	Text       string           `json:"text,omitempty"`
	Confidence float64          `json:"confidence"`
	Page       int              `json:"page"`
	BBox       boxJSON          `json:"bbox"`
	Flags      []string         `json:"flags,omitempty"`
	OCRValue   any              `json:"ocr_value,omitempty"` // the extracted value, beside a correction
	Review     *fieldReviewJSON `json:"review,omitempty"`
	// ContradictedBy are the application's other documents that state another value (flag
	// "contradicted").
	ContradictedBy []contradictionJSON `json:"contradicted_by,omitempty"`
}

type contradictionJSON struct {
	Document string `json:"document"`
	FileName string `json:"file_name"`
	Value    any    `json:"value"`
}

type fieldReviewJSON struct {
	Action string    `json:"action"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Page   int       `json:"page,omitempty"` // where the reviewer marked the corrected value (人工标注)
	BBox   *boxJSON  `json:"bbox,omitempty"`
}

func toFields(fs []doc.Field) map[string]fieldJSON {
	out := make(map[string]fieldJSON, len(fs))
	for _, f := range fs {
		out[f.Name] = fieldJSON{Value: f.Typed(), Text: f.Text, Confidence: round3(f.Confidence), Page: f.Page, BBox: toBox(f.Box), Flags: f.Flags}
	}
	return out
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

type pageSummaryJSON struct {
	Number    int    `json:"number"`
	Blank     bool   `json:"blank"`
	Illegible bool   `json:"illegible"`
	Seals     int    `json:"seals"`
	Error     string `json:"error,omitempty"`
}

type documentJSON struct {
	ID             string               `json:"id"`
	ApplicationID  string               `json:"application_id"`
	FileName       string               `json:"file_name"`
	ContentType    string               `json:"content_type"`
	Size           int64                `json:"size"`
	SHA256         string               `json:"sha256"`
	Status         intake.Status        `json:"status"`
	Reason         string               `json:"reason,omitempty"`
	Kind           string               `json:"kind,omitempty"`
	KindName       string               `json:"kind_name,omitempty"`
	KindConfidence float64              `json:"kind_confidence,omitempty"`
	OCRKind        string               `json:"ocr_kind,omitempty"` // the recognised kind, when a reviewer set another
	KindReview     *fieldReviewJSON     `json:"kind_review,omitempty"`
	PageCount      int                  `json:"page_count"`
	PagesDone      int                  `json:"pages_done"`
	ReplacedBy     string               `json:"replaced_by,omitempty"`
	Pages          []pageSummaryJSON    `json:"pages,omitempty"`
	Fields         map[string]fieldJSON `json:"fields,omitempty"`
	UploadedAt     time.Time            `json:"uploaded_at"`
	UpdatedAt      time.Time            `json:"updated_at"`
}

// toDocument is d as the API shows it, with the fields shown (see intake.Service.ShownFields; the
// zero Shown for its own effective fields).
func toDocument(d *intake.Document, shown intake.Shown) documentJSON {
	j := documentJSON{ID: d.ID, ApplicationID: d.ApplicationID, FileName: d.FileName, ContentType: d.ContentType,
		Size: d.Size, SHA256: d.SHA256, Status: d.Status, Reason: d.Reason, Kind: d.Kind, KindConfidence: round3(d.KindConfidence),
		PageCount: d.PageCount, PagesDone: d.PagesDone, ReplacedBy: d.ReplacedBy, UploadedAt: d.UploadedAt, UpdatedAt: d.UpdatedAt}
	if d.Kind != "" {
		j.KindName = doc.KindZh(d.Kind)
	}
	for _, p := range d.Pages {
		j.Pages = append(j.Pages, pageSummaryJSON{p.Number, p.Blank, p.Illegible, p.Seals, p.Error})
	}
	if d.Status == intake.StatusDone {
		j.Fields = reviewedFields(d, shown)
	}
	j.Kind = d.EffectiveKind()
	if d.KindReview != nil {
		j.OCRKind = d.Kind
		j.KindReview = &fieldReviewJSON{Action: "set_kind", By: d.KindReview.By.Name, At: d.KindReview.At}
	}
	if j.Kind != "" {
		j.KindName = doc.KindZh(j.Kind)
	}
	return j
}

// reviewedFields are a document's fields as shown (its effective fields when shown has none), each
// with its latest review, when corrected the value extracted, and the documents that contradict it.
func reviewedFields(d *intake.Document, shown intake.Shown) map[string]fieldJSON {
	fs := shown.Fields
	if fs == nil {
		fs = d.EffectiveFields()
	}
	out := toFields(fs)
	for name, cs := range shown.Against {
		f, ok := out[name]
		if !ok {
			continue
		}
		for _, c := range cs {
			f.ContradictedBy = append(f.ContradictedBy, contradictionJSON{c.DocumentID, c.FileName, doc.Field{Name: name, Value: c.Value}.Typed()})
		}
		out[name] = f
	}
	for _, r := range d.Reviews {
		f := out[r.Field]
		f.Review = &fieldReviewJSON{Action: r.Action, By: r.By.Name, At: r.At}
		if r.Page > 0 {
			b := toBox(r.Box)
			f.Review.Page, f.Review.BBox = r.Page, &b
		}
		f.OCRValue = nil
		if r.Action == "correct" {
			f.OCRValue = doc.Field{Name: r.Field, Value: r.OCRValue}.Typed()
		}
		out[r.Field] = f
	}
	return out
}

type wordJSON struct {
	Text       string  `json:"text"`
	BBox       boxJSON `json:"bbox"`
	Confidence float64 `json:"confidence"`
}

type lineJSON struct {
	Text  string     `json:"text"`
	BBox  boxJSON    `json:"bbox"`
	Words []wordJSON `json:"words"`
}

type pageJSON struct {
	Number         int        `json:"number"`
	Width          int        `json:"width"`
	Height         int        `json:"height"`
	DPI            int        `json:"dpi"`
	Source         string     `json:"source"`
	Rotation       int        `json:"rotation"`
	Blank          bool       `json:"blank"`
	Illegible      bool       `json:"illegible"`
	Error          string     `json:"error,omitempty"`
	MeanConfidence float64    `json:"mean_confidence"`
	Seals          []boxJSON  `json:"seals"`
	SealTexts      []sealJSON `json:"seal_texts"`
	Text           string     `json:"text"`
	Lines          []lineJSON `json:"lines"`
}

// sealJSON is the text read round a seal.
type sealJSON struct {
	BBox       boxJSON `json:"bbox"`
	Text       string  `json:"text"`
	Confidence float64 `json:"confidence"`
}

func toPage(p doc.Page) pageJSON {
	j := pageJSON{Number: p.Number, Width: p.Width, Height: p.Height, DPI: p.DPI, Source: string(p.Source), Rotation: p.Rotation,
		Blank: p.Blank, Illegible: p.Illegible, Error: p.Error, MeanConfidence: round3(p.MeanConfidence), Text: p.Text(),
		Seals: []boxJSON{}, SealTexts: []sealJSON{}, Lines: []lineJSON{}}
	for _, st := range p.SealTexts {
		j.SealTexts = append(j.SealTexts, sealJSON{BBox: toBox(st.Box), Text: st.Text, Confidence: st.Confidence})
	}
	for _, s := range p.Seals {
		j.Seals = append(j.Seals, toBox(s))
	}
	for _, l := range p.Lines {
		lj := lineJSON{Text: l.Text(), BBox: toBox(l.Box)}
		for _, w := range l.Words {
			lj.Words = append(lj.Words, wordJSON{Text: w.Text, BBox: toBox(w.Box), Confidence: round3(w.Confidence)})
		}
		j.Lines = append(j.Lines, lj)
	}
	return j
}

type createApplicationJSON struct {
	OrgName    string   `json:"org_name"`
	CreditCode string   `json:"credit_code"`
	Region     string   `json:"region"`
	Year       int      `json:"year"`
	Functions  []string `json:"functions"`
}

func (s *Server) createApplication(c *gin.Context) error {
	var in createApplicationJSON
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	a, err := s.svc.CreateApplication(c.Request.Context(), principal(c), intake.NewApplication{
		OrgName: in.OrgName, CreditCode: in.CreditCode, Region: in.Region, Year: in.Year, Functions: in.Functions})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, toApplication(a))
	return nil
}

func (s *Server) listApplications(c *gin.Context) error {
	opt := listOptions(c)
	limit, offset := opt.Limit, opt.Offset
	year, _ := strconv.Atoi(c.Query("year"))
	q := intake.ApplicationQuery{Region: c.Query("region"), Year: year, ListOptions: opt}
	for _, st := range strings.Split(c.Query("state"), ",") {
		if st != "" {
			q.States = append(q.States, intake.State(st))
		}
	}
	apps, total, err := s.svc.Applications(c.Request.Context(), principal(c), q)
	if err != nil {
		return err
	}
	items := make([]applicationJSON, 0, len(apps))
	for _, a := range apps {
		items = append(items, toApplication(a))
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": total, "limit": limit, "offset": offset})
	return nil
}

func (s *Server) getApplication(c *gin.Context) error {
	a, err := s.svc.Application(c.Request.Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toApplication(a))
	return nil
}

type uploadResultJSON struct {
	FileName  string        `json:"file_name"`
	Document  *documentJSON `json:"document,omitempty"`
	Duplicate bool          `json:"duplicate,omitempty"`
	Error     *errorDetail  `json:"error,omitempty"`
}

// upload streams every file part of a multipart body into the application, one at a time, never
// holding a whole file in memory. The answer lists each file's outcome: 201 when all were taken, the
// first error's status when none was, 207 when some were.
func (s *Server) upload(c *gin.Context) error {
	ctx := c.Request.Context()
	if err := s.svc.MayUpload(ctx, principal(c), c.Param("id")); err != nil {
		return err
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.maxBody)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return &intake.Error{Code: "not_multipart", Message: "请以 multipart/form-data 方式上传文件。", Err: intake.ErrInvalid}
	}
	var results []uploadResultJSON
	okCount, firstStatus := 0, 0
	replaces := "" // a "replaces" field names the document the next file replaces
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			e := &intake.Error{Code: "upload_truncated", Message: "上传未完成：请求不完整，请重新上传。", Err: intake.ErrInvalid}
			if errors.As(err, &mbe) {
				e = &intake.Error{Code: "request_too_large", Message: "一次上传的文件总量过大，请分批上传。", Err: intake.ErrTooLarge}
			}
			if okCount == 0 {
				return e
			}
			results = append(results, uploadResultJSON{Error: &errorDetail{e.Code, e.Message}})
			if firstStatus == 0 {
				firstStatus, _, _ = errorStatus(e)
			}
			break
		}
		name := partFileName(part)
		if name == "" {
			if part.FormName() == "replaces" {
				b, _ := io.ReadAll(io.LimitReader(part, 100))
				replaces = strings.TrimSpace(string(b))
			}
			part.Close()
			continue // a plain form field
		}
		var d *intake.Document
		var dup bool
		if replaces != "" {
			d, dup, err = s.svc.Replace(ctx, principal(c), c.Param("id"), replaces, name, part)
			replaces = ""
		} else {
			d, dup, err = s.svc.Upload(ctx, principal(c), c.Param("id"), name, part)
		}
		part.Close()
		r := uploadResultJSON{FileName: name, Duplicate: dup}
		if err != nil {
			status, code, msg := errorStatus(err)
			if status >= 500 {
				s.log.ErrorContext(ctx, "upload failed", "err", err)
			}
			if firstStatus == 0 {
				firstStatus = status
			}
			r.Error = &errorDetail{code, msg}
		} else {
			okCount++
			dj := toDocument(d, intake.Shown{})
			r.Document = &dj
		}
		results = append(results, r)
	}
	if len(results) == 0 {
		return &intake.Error{Code: "no_file", Message: "请求中没有文件。", Err: intake.ErrInvalid}
	}
	status := http.StatusCreated
	switch {
	case okCount == 0:
		status = firstStatus
	case okCount < len(results):
		status = http.StatusMultiStatus
	}
	retryAfter(c, status)
	c.JSON(status, gin.H{"files": results})
	return nil
}

// partFileName returns the file name of a multipart part, decoding RFC 5987 / percent-encoded UTF-8
// names that some clients send; "" for a part that is not a file.
func partFileName(p *multipart.Part) string {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil {
		return p.FileName()
	}
	name := params["filename"]
	if name == "" {
		return ""
	}
	if u, err := url.PathUnescape(name); err == nil {
		name = u
	}
	return name
}

func (s *Server) listDocuments(c *gin.Context) error {
	docs, err := s.svc.Documents(c.Request.Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	items := make([]documentJSON, 0, len(docs))
	agreed := s.svc.Agreed(c.Request.Context(), c.Param("id"), docs)
	for _, d := range docs {
		items = append(items, toDocument(d, agreed[d.ID]))
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": len(items)})
	return nil
}

func (s *Server) getDocument(c *gin.Context) error {
	d, err := s.svc.Document(c.Request.Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toDocument(d, s.svc.ShownFields(c.Request.Context(), d)))
	return nil
}

// getOriginal sends the original bytes as an attachment that a browser will neither sniff nor run.
func (s *Server) getOriginal(c *gin.Context) error {
	d, rc, err := s.svc.Original(c.Request.Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	defer rc.Close()
	h := c.Writer.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Length", strconv.FormatInt(d.Size, 10))
	h.Set("Content-Disposition", contentDisposition(intake.DownloadName(d.FileName, d.ContentType)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("ETag", `"`+d.SHA256+`"`)
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	c.Status(http.StatusOK)
	s.sendOriginal(c, d.ID, rc)
	return nil
}

// sendOriginal copies an original, which checks itself as it streams (intake.Service.Original), to the
// client. When the copy fails — the original turned out not to be what was uploaded, or the store
// stopped answering — the response is aborted: the connection is cut short of its Content-Length, so
// that the client sees a broken transfer rather than a complete file behind a 200 and an ETag that
// claims the right SHA-256. (The status line has gone: there is no other way left to say it.) When it
// fails before a byte was sent, the status line has not gone: the client gets an error response, a 503
// with Retry-After when the store stopped answering (it went down between opening the original and
// reading it).
func (s *Server) sendOriginal(c *gin.Context, id string, rc io.Reader) {
	_, err := io.Copy(c.Writer, rc)
	if err == nil {
		return
	}
	ctx := c.Request.Context()
	if !c.Writer.Written() && ctx.Err() == nil {
		h := c.Writer.Header()
		for _, k := range []string{"Content-Type", "Content-Length", "Content-Disposition", "Content-Security-Policy", "ETag", "Cache-Control"} {
			h.Del(k)
		}
		if !errors.Is(err, intake.ErrCorrupt) {
			err = fmt.Errorf("send original %s: %w: %w", id, intake.ErrUnavailable, err)
		}
		s.writeErr(c, err)
		return
	}
	if errors.Is(err, intake.ErrCorrupt) {
		s.log.ErrorContext(ctx, "original not served: corrupt, response aborted", "object", id, "err", err)
	} else {
		s.log.WarnContext(ctx, "send original", "object", id, "err", err)
	}
	panic(http.ErrAbortHandler)
}

// contentDisposition offers a file for download under its name (RFC 6266, with an ASCII fallback).
func contentDisposition(name string) string {
	return fmt.Sprintf("attachment; filename=%q; filename*=UTF-8''%s", asciiName(name), url.PathEscape(name))
}

func asciiName(name string) string {
	out := make([]rune, 0, len(name))
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			r = '_'
		}
		out = append(out, r)
	}
	return string(out)
}

func (s *Server) getPages(c *gin.Context) error {
	pages, err := s.svc.Pages(c.Request.Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	items := make([]pageJSON, 0, len(pages))
	for _, p := range pages {
		items = append(items, toPage(p))
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": len(items)})
	return nil
}

func (s *Server) getFields(c *gin.Context) error {
	d, err := s.svc.Document(c.Request.Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"document": d.ID, "status": d.Status, "kind": d.EffectiveKind(), "fields": reviewedFields(d, s.svc.ShownFields(c.Request.Context(), d))})
	return nil
}

func (s *Server) getChecklist(c *gin.Context) error {
	a, r, err := s.svc.Checklist(c.Request.Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toReport(r, a.ItemReviews))
	return nil
}

// getPageImage sends page n drawn for the viewer (?size=1000 or 2000, the longer side in pixels).
func (s *Server) getPageImage(c *gin.Context) error {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil {
		return &intake.Error{Code: "invalid_page", Message: "页码不正确。", Err: intake.ErrInvalid}
	}
	size, err := strconv.Atoi(c.DefaultQuery("size", "1000"))
	if err != nil {
		return &intake.Error{Code: "invalid_size", Message: "不支持的图像尺寸。", Err: intake.ErrInvalid}
	}
	rc, err := s.svc.PageImage(c.Request.Context(), principal(c), c.Param("id"), n, size)
	if err != nil {
		return err
	}
	defer rc.Close()
	h := c.Writer.Header()
	h.Set("Content-Type", "image/jpeg")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=86400")
	c.Status(http.StatusOK)
	io.Copy(c.Writer, rc)
	return nil
}

// declaredJSON says where a value the application declares was found on a document.
type declaredJSON struct {
	Declared string  `json:"declared"`
	Found    bool    `json:"found"`
	Printed  string  `json:"printed,omitempty"`
	Page     int     `json:"page,omitempty"`
	BBox     boxJSON `json:"bbox"`
	Exact    bool    `json:"exact"`   // printed exactly as declared
	Misread  int     `json:"misread"` // characters that differ, as a reader's errors would
}

// getDeclared tells where the application's name and credit code are printed on the document:
// {"org_name": {...}, "credit_code": {...}}, and "org_name_in_seal" when the name was read round a
// seal.
func (s *Server) getDeclared(c *gin.Context) error {
	a, sights, err := s.svc.Sightings(c.Request.Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	out := gin.H{
		"org_name":    declaredJSON{Declared: a.OrgName},
		"credit_code": declaredJSON{Declared: a.CreditCode},
	}
	for _, x := range sights {
		j := declaredJSON{Declared: x.Declared, Found: true, Printed: x.Printed, Page: x.Page, BBox: toBox(x.Box),
			Exact: x.Distance == 0, Misread: x.Distance}
		if x.InSeal {
			out["org_name_in_seal"] = j // the name read round a seal (公章)
			continue
		}
		out[x.What] = j
	}
	c.JSON(http.StatusOK, out)
	return nil
}
