package api

import (
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"shenbao/intake"
)

// The recognition cycle of 第十五–二十三条: one endpoint per transition, each answering the application.

func listOptions(c *gin.Context) intake.ListOptions {
	limit, _ := strconv.Atoi(c.DefaultQuery("limit", "50"))
	offset, _ := strconv.Atoi(c.DefaultQuery("offset", "0"))
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	return intake.ListOptions{Limit: limit, Offset: max(offset, 0)}
}

type actorJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	RoleName string `json:"role_label"`
}

func toActor(a intake.Actor) actorJSON {
	return actorJSON{ID: a.ID, Name: a.Name, Role: string(a.Role), RoleName: a.Role.Label()}
}

type cycleJSON struct {
	Acknowledged []ackJSON `json:"acknowledged"`
	Returns      []struct {
		Reasons []string  `json:"reasons"`
		By      actorJSON `json:"by"`
		At      time.Time `json:"at"`
	} `json:"returns"`
	Recommendation *recommendationJSON `json:"recommendation,omitempty"`
	Experts        []string            `json:"experts"`
	ExpertReviews  []expertReviewJSON  `json:"expert_reviews"`
	Decision       *decisionJSON       `json:"decision,omitempty"`
	Publicity      *struct {
		Start string    `json:"start"`
		End   string    `json:"end"`
		By    actorJSON `json:"by"`
	} `json:"publicity,omitempty"`
	Recognition *struct {
		CertificateNo string    `json:"certificate_no"`
		Date          string    `json:"date"`
		ValidUntil    string    `json:"valid_until"`
		By            actorJSON `json:"by"`
	} `json:"recognition,omitempty"`
	Revocation  *decisionJSON  `json:"revocation,omitempty"`
	Evaluations []decisionJSON `json:"evaluations"`
}

type ackJSON struct {
	Code   string    `json:"code"`
	Reason string    `json:"reason"`
	By     actorJSON `json:"by"`
	At     time.Time `json:"at"`
}

type recommendationJSON struct {
	Opinion      string    `json:"opinion"`
	Operation    string    `json:"operation"`
	Performance  string    `json:"performance"`
	Satisfaction string    `json:"satisfaction"`
	By           actorJSON `json:"by"`
	At           time.Time `json:"at"`
}

type expertReviewJSON struct {
	Score      int       `json:"score"`
	Conclusion string    `json:"conclusion"`
	Comment    string    `json:"comment"`
	By         actorJSON `json:"by"`
	At         time.Time `json:"at"`
}

// decisionJSON serves decisions, revocations and evaluations: an outcome or result, a text, who, when.
type decisionJSON struct {
	Outcome string    `json:"outcome,omitempty"`
	Comment string    `json:"comment"`
	By      actorJSON `json:"by"`
	At      time.Time `json:"at"`
}

// day is the civil date of t in China (stores give times back in UTC: 2026-09-23T16:00Z is 09-24).
func day(t time.Time) string { return t.In(chinaTime).Format(time.DateOnly) }

func toCycle(a *intake.Application) cycleJSON {
	j := cycleJSON{Acknowledged: []ackJSON{}, Experts: a.Experts, ExpertReviews: []expertReviewJSON{}, Evaluations: []decisionJSON{}}
	if j.Experts == nil {
		j.Experts = []string{}
	}
	for _, k := range a.Acknowledged {
		j.Acknowledged = append(j.Acknowledged, ackJSON{k.Code, k.Reason, toActor(k.By), k.At})
	}
	for _, r := range a.Returns {
		j.Returns = append(j.Returns, struct {
			Reasons []string  `json:"reasons"`
			By      actorJSON `json:"by"`
			At      time.Time `json:"at"`
		}{r.Reasons, toActor(r.By), r.At})
	}
	if r := a.Recommendation; r != nil {
		j.Recommendation = &recommendationJSON{r.Opinion, r.Operation, r.Performance, r.Satisfaction, toActor(r.By), r.At}
	}
	for _, r := range a.ExpertReviews {
		j.ExpertReviews = append(j.ExpertReviews, expertReviewJSON{r.Score, r.Conclusion, r.Comment, toActor(r.By), r.At})
	}
	if d := a.Decision; d != nil {
		j.Decision = &decisionJSON{d.Outcome, d.Comment, toActor(d.By), d.At}
	}
	if p := a.Publicity; p != nil {
		j.Publicity = &struct {
			Start string    `json:"start"`
			End   string    `json:"end"`
			By    actorJSON `json:"by"`
		}{day(p.Start), day(p.End), toActor(p.By)}
	}
	if r := a.Recognition; r != nil {
		j.Recognition = &struct {
			CertificateNo string    `json:"certificate_no"`
			Date          string    `json:"date"`
			ValidUntil    string    `json:"valid_until"`
			By            actorJSON `json:"by"`
		}{r.CertificateNo, day(r.Date), day(r.ValidUntil), toActor(r.By)}
	}
	if r := a.Revocation; r != nil {
		j.Revocation = &decisionJSON{"", r.Reason, toActor(r.By), r.At}
	}
	for _, e := range a.Evaluations {
		j.Evaluations = append(j.Evaluations, decisionJSON{e.Result, e.Comment, toActor(e.By), e.At})
	}
	if j.Returns == nil {
		j.Returns = make([]struct {
			Reasons []string  `json:"reasons"`
			By      actorJSON `json:"by"`
			At      time.Time `json:"at"`
		}, 0)
	}
	return j
}

// transitionHandler decodes a body into T and runs one transition of the application in :id.
func transitionHandler[T any](s *Server, run func(c *gin.Context, p intake.Principal, id string, in T) (*intake.Application, error)) gin.HandlerFunc {
	return s.handle(func(c *gin.Context) error {
		var in T
		if c.Request.ContentLength != 0 {
			if err := decodeBody(c, &in); err != nil {
				return err
			}
		}
		a, err := run(c, principal(c), c.Param("id"), in)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toApplication(a))
		return nil
	})
}

type submitJSON struct {
	Acknowledgements []struct {
		Code   string `json:"code"`
		Reason string `json:"reason"`
	} `json:"acknowledgements"`
}

type reasonsJSON struct {
	Reasons []string `json:"reasons"`
}

type reasonJSON struct {
	Reason string `json:"reason"`
}

type recommendJSON struct {
	Opinion      string `json:"opinion"`
	Operation    string `json:"operation"`
	Performance  string `json:"performance"`
	Satisfaction string `json:"satisfaction"`
}

type expertsJSON struct {
	Experts []string `json:"experts"`
}

type conclusionJSON struct {
	Score      int    `json:"score"`
	Conclusion string `json:"conclusion"`
	Comment    string `json:"comment"`
}

type decideJSON struct {
	Outcome        string `json:"outcome"`
	Comment        string `json:"comment"`
	PublicityStart string `json:"publicity_start"` // YYYY-MM-DD; empty for today
}

type grantJSON struct {
	CertificateNo string `json:"certificate_no"`
}

type evaluationJSON struct {
	Result  string `json:"result"`
	Comment string `json:"comment"`
}

func parseDay(s string) (time.Time, error) {
	if s = strings.TrimSpace(s); s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, chinaTime)
	if err != nil {
		return time.Time{}, &intake.Error{Code: "invalid_date", Message: "日期格式应为 YYYY-MM-DD。", Err: intake.ErrInvalid}
	}
	return t, nil
}

var chinaTime = intake.ChinaTime

func (s *Server) cycleRoutes(g *gin.RouterGroup) {
	svc := s.svc
	g.POST("/applications/:id/submit", transitionHandler(s, func(c *gin.Context, p intake.Principal, id string, in submitJSON) (*intake.Application, error) {
		var acks []intake.Ack
		for _, k := range in.Acknowledgements {
			acks = append(acks, intake.Ack{Code: k.Code, Reason: k.Reason})
		}
		return svc.Submit(c.Request.Context(), p, id, acks)
	}))
	g.POST("/applications/:id/withdraw", transitionHandler(s, func(c *gin.Context, p intake.Principal, id string, _ struct{}) (*intake.Application, error) {
		return svc.Withdraw(c.Request.Context(), p, id)
	}))
	g.POST("/applications/:id/return", transitionHandler(s, func(c *gin.Context, p intake.Principal, id string, in reasonsJSON) (*intake.Application, error) {
		return svc.ReturnApplication(c.Request.Context(), p, id, in.Reasons)
	}))
	g.POST("/applications/:id/recommend", transitionHandler(s, func(c *gin.Context, p intake.Principal, id string, in recommendJSON) (*intake.Application, error) {
		return svc.Recommend(c.Request.Context(), p, id, intake.Recommendation{Opinion: in.Opinion, Operation: in.Operation, Performance: in.Performance, Satisfaction: in.Satisfaction})
	}))
	g.POST("/applications/:id/experts", transitionHandler(s, func(c *gin.Context, p intake.Principal, id string, in expertsJSON) (*intake.Application, error) {
		return svc.AssignExperts(c.Request.Context(), p, id, in.Experts)
	}))
	g.POST("/applications/:id/conclusion", transitionHandler(s, func(c *gin.Context, p intake.Principal, id string, in conclusionJSON) (*intake.Application, error) {
		return svc.Conclude(c.Request.Context(), p, id, in.Score, in.Conclusion, in.Comment)
	}))
	g.POST("/applications/:id/decision", transitionHandler(s, func(c *gin.Context, p intake.Principal, id string, in decideJSON) (*intake.Application, error) {
		start, err := parseDay(in.PublicityStart)
		if err != nil {
			return nil, err
		}
		return svc.Decide(c.Request.Context(), p, id, in.Outcome, in.Comment, start)
	}))
	g.POST("/applications/:id/grant", transitionHandler(s, func(c *gin.Context, p intake.Principal, id string, in grantJSON) (*intake.Application, error) {
		return svc.Grant(c.Request.Context(), p, id, in.CertificateNo)
	}))
	g.POST("/applications/:id/refuse", transitionHandler(s, func(c *gin.Context, p intake.Principal, id string, in reasonJSON) (*intake.Application, error) {
		return svc.Refuse(c.Request.Context(), p, id, in.Reason)
	}))
	g.POST("/applications/:id/revoke", transitionHandler(s, func(c *gin.Context, p intake.Principal, id string, in reasonJSON) (*intake.Application, error) {
		return svc.Revoke(c.Request.Context(), p, id, in.Reason)
	}))
	g.POST("/applications/:id/hold", transitionHandler(s, func(c *gin.Context, p intake.Principal, id string, in struct {
		On bool `json:"on"`
	}) (*intake.Application, error) {
		return svc.SetHold(c.Request.Context(), p, id, in.On)
	}))
	g.POST("/applications/:id/evaluations", transitionHandler(s, func(c *gin.Context, p intake.Principal, id string, in evaluationJSON) (*intake.Application, error) {
		return svc.RecordEvaluation(c.Request.Context(), p, id, in.Result, in.Comment)
	}))
	g.GET("/applications/:id/events", s.handle(s.listEvents))
	g.GET("/events", s.handle(s.listEvents))
	g.GET("/rounds", s.handle(s.listRounds))
	g.GET("/counts", s.handle(s.getCounts))
	g.GET("/verify", s.handle(s.getVerify))
	g.POST("/applications/:id/archive", s.handle(s.archiveNow))
	g.GET("/applications/:id/package", s.handle(s.getPackage))
	g.GET("/applications/:id/compilation", s.handle(s.getCompilation))
	g.GET("/duties", s.handle(s.listDuties))
	g.POST("/duties", s.handle(s.handIn))
	g.GET("/filings/:id/original", s.handle(s.getFilingOriginal))
	g.POST("/rounds", s.handle(s.openRound))
}

type roundJSON struct {
	Year     int       `json:"year"`
	Opens    string    `json:"opens"`
	Closes   string    `json:"closes"`
	Notice   string    `json:"notice"`
	Open     bool      `json:"open"`
	OpenedBy actorJSON `json:"opened_by"`
}

func (s *Server) listRounds(c *gin.Context) error {
	rs, err := s.svc.Rounds(c.Request.Context())
	if err != nil {
		return err
	}
	items := make([]roundJSON, 0, len(rs))
	for _, r := range rs {
		items = append(items, roundJSON{r.Year, day(r.Opens), day(r.Closes), r.Notice, r.Open(s.svc.Now()), toActor(r.OpenedBy)})
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
	return nil
}

func (s *Server) openRound(c *gin.Context) error {
	var in struct {
		Year   int    `json:"year"`
		Opens  string `json:"opens"`
		Closes string `json:"closes"`
		Notice string `json:"notice"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	opens, err := parseDay(in.Opens)
	if err != nil {
		return err
	}
	closes, err := parseDay(in.Closes)
	if err != nil {
		return err
	}
	r, err := s.svc.OpenRound(c.Request.Context(), principal(c), in.Year, opens, closes, in.Notice)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, roundJSON{r.Year, day(r.Opens), day(r.Closes), r.Notice, r.Open(s.svc.Now()), toActor(r.OpenedBy)})
	return nil
}

type filingJSON struct {
	ID            string    `json:"id"`
	Kind          string    `json:"kind"`
	Year          int       `json:"year"`
	ApplicationID string    `json:"application_id,omitempty"`
	Region        string    `json:"region,omitempty"`
	FileName      string    `json:"file_name"`
	Size          int64     `json:"size"`
	SHA256        string    `json:"sha256"`
	By            actorJSON `json:"by"`
	At            time.Time `json:"at"`
}

func toFiling(f *intake.Filing) filingJSON {
	return filingJSON{f.ID, string(f.Kind), f.Year, f.ApplicationID, f.Region, f.FileName, f.Size, f.SHA256, toActor(f.By), f.At}
}

// listDuties is the deadline board: GET /api/v1/duties?year=2026 lists what is due reporting on that
// year (default: the last year), handed in or overdue.
func (s *Server) listDuties(c *gin.Context) error {
	year, _ := strconv.Atoi(c.Query("year"))
	if year == 0 {
		year = s.svc.Now().Year() - 1
	}
	duties, err := s.svc.Duties(c.Request.Context(), principal(c), year)
	if err != nil {
		return err
	}
	type dutyJSON struct {
		Kind          string       `json:"kind"`
		KindLabel     string       `json:"kind_label"`
		Year          int          `json:"year"`
		Due           string       `json:"due"`
		ApplicationID string       `json:"application_id,omitempty"`
		OrgName       string       `json:"org_name,omitempty"`
		Region        string       `json:"region"`
		Filings       []filingJSON `json:"filings"`
		Overdue       bool         `json:"overdue"`
	}
	items := make([]dutyJSON, 0, len(duties))
	for _, d := range duties {
		j := dutyJSON{Kind: string(d.Kind), KindLabel: d.Kind.Label(), Year: d.Year, Due: day(d.Due), Region: d.Region, Filings: []filingJSON{}, Overdue: d.Overdue}
		if d.Application != nil {
			j.ApplicationID, j.OrgName = d.Application.ID, d.Application.OrgName
		}
		for _, f := range d.Filings {
			j.Filings = append(j.Filings, toFiling(f))
		}
		items = append(items, j)
	}
	c.JSON(http.StatusOK, gin.H{"year": year, "items": items})
	return nil
}

// handIn takes one yearly duty's file: multipart fields kind, year, application_id (a work summary's
// application), then the file.
func (s *Server) handIn(c *gin.Context) error {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.maxBody)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return &intake.Error{Code: "not_multipart", Message: "请以 multipart/form-data 方式上传文件。", Err: intake.ErrInvalid}
	}
	vals := map[string]string{}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return &intake.Error{Code: "file_missing", Message: "请选择要上传的文件。", Err: intake.ErrInvalid}
		}
		if name := partFileName(part); name != "" {
			year, _ := strconv.Atoi(vals["year"])
			f, err := s.svc.HandIn(c.Request.Context(), principal(c), intake.FilingKind(vals["kind"]), year, vals["application_id"], name, part)
			if err != nil {
				return err
			}
			c.JSON(http.StatusCreated, toFiling(f))
			return nil
		}
		b, _ := io.ReadAll(io.LimitReader(part, 200))
		vals[part.FormName()] = strings.TrimSpace(string(b))
	}
}

func (s *Server) getFilingOriginal(c *gin.Context) error {
	f, rc, err := s.svc.FilingOriginal(c.Request.Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	defer rc.Close()
	h := c.Writer.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", contentDisposition(f.FileName))
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	c.Status(http.StatusOK)
	s.sendOriginal(c, f.ID, rc)
	return nil
}

// getCounts answers GET /api/v1/counts: how many of the applications the principal may see are in
// each state ({"draft": 3, …}).
func (s *Server) getCounts(c *gin.Context) error {
	counts, err := s.svc.Counts(c.Request.Context(), principal(c))
	if err != nil {
		return err
	}
	out := map[string]int{}
	for st, n := range counts {
		out[string(st)] = n
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// archiveNow answers POST /api/v1/applications/:id/archive (staff): the package written now.
func (s *Server) archiveNow(c *gin.Context) error {
	key, err := s.svc.Archive(c.Request.Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, gin.H{"key": key})
	return nil
}

// getPackage answers GET /api/v1/applications/:id/package?key=… or ?day=YYYY-MM-DD (staff,
// auditors): the BagIt package under that key (from the application's archive events), or the last
// one archived that day (default today), as a tar.
func (s *Server) getPackage(c *gin.Context) error {
	day, err := parseDay(c.Query("day"))
	if err != nil {
		return err
	}
	if day.IsZero() {
		day = s.svc.Now()
	}
	rc, err := s.svc.Package(c.Request.Context(), principal(c), c.Param("id"), c.Query("key"), day)
	if err != nil {
		return err
	}
	defer rc.Close()
	h := c.Writer.Header()
	h.Set("Content-Type", "application/x-tar")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", contentDisposition(c.Param("id")+"-"+day.In(chinaTime).Format(time.DateOnly)+".tar"))
	if k := c.Query("key"); k != "" {
		h.Set("Content-Disposition", contentDisposition(strings.ReplaceAll(strings.TrimPrefix(k, "archive/"), "/", "-")))
	}
	c.Status(http.StatusOK)
	io.Copy(c.Writer, rc)
	return nil
}

// getCompilation answers GET /api/v1/applications/:id/compilation: the 材料汇编 as a PDF, made now
// (everyone who may see the application). It is made in a temporary file first, so that an error
// still answers as an error.
func (s *Server) getCompilation(c *gin.Context) error {
	f, err := os.CreateTemp("", "compilation-*.pdf")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := s.svc.WriteCompilation(c.Request.Context(), principal(c), c.Param("id"), f); err != nil {
		return err
	}
	size, _ := f.Seek(0, io.SeekCurrent)
	f.Seek(0, io.SeekStart)
	h := c.Writer.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	h.Set("Content-Disposition", contentDisposition(c.Param("id")+"-材料汇编.pdf"))
	c.Status(http.StatusOK)
	io.Copy(c.Writer, f)
	return nil
}
