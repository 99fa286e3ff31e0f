package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"shenbao/doc"
	"shenbao/intake"
)

type reviewFieldJSON struct {
	Action string   `json:"action"`
	Value  string   `json:"value"`
	Page   int      `json:"page,omitempty"` // where the reviewer marked the corrected value, if they did
	BBox   *boxJSON `json:"bbox,omitempty"` // x0, y0, x1, y1 in the page's pixels
}

func decodeBody(c *gin.Context, v any) error {
	if ct := c.ContentType(); ct != "application/json" && c.Request.ContentLength != 0 {
		return &intake.Error{Code: "not_json", Message: "请求内容应为 JSON（Content-Type: application/json）。", Err: intake.ErrUnsupported}
	}
	if err := jsonDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, 64<<10)).Decode(v); err != nil {
		return &intake.Error{Code: "invalid_json", Message: "请求内容不是有效的 JSON。", Err: intake.ErrInvalid}
	}
	return nil
}

func (s *Server) reviewField(c *gin.Context) error {
	var in reviewFieldJSON
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	var box doc.Box
	if in.BBox != nil {
		box = doc.Box{X0: in.BBox[0], Y0: in.BBox[1], X1: in.BBox[2], Y1: in.BBox[3]}
	}
	d, err := s.svc.ReviewField(c.Request.Context(), principal(c), c.Param("id"), c.Param("name"), in.Action, in.Value, in.Page, box)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toDocument(d, s.svc.ShownFields(c.Request.Context(), d)))
	return nil
}

func (s *Server) setKind(c *gin.Context) error {
	var in struct {
		Kind string `json:"kind"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	d, err := s.svc.SetKind(c.Request.Context(), principal(c), c.Param("id"), in.Kind)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toDocument(d, s.svc.ShownFields(c.Request.Context(), d)))
	return nil
}

func (s *Server) reviewItem(c *gin.Context) error {
	var in struct {
		Decision string `json:"decision"`
		Comment  string `json:"comment"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil {
		return &intake.Error{Code: "unknown_item", Message: "材料项应为第十七条第1至8项，或 0（推荐表）。", Err: intake.ErrInvalid}
	}
	a, r, err := s.svc.ReviewItem(c.Request.Context(), principal(c), c.Param("id"), n, in.Decision, in.Comment)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toReport(r, a.ItemReviews))
	return nil
}

type summaryJSON struct {
	ItemsPresent  int     `json:"items_present"`
	ItemsTotal    int     `json:"items_total"`
	Blocking      int     `json:"blocking"`
	Attention     int     `json:"attention"`
	Notes         int     `json:"notes"`
	Documents     int     `json:"documents"`
	Processing    int     `json:"processing"`
	Failed        int     `json:"failed"`
	ItemsAccepted int     `json:"items_accepted"`
	ItemsRejected int     `json:"items_rejected"`
	ExpertsPass   int     `json:"experts_pass"`
	ExpertsFail   int     `json:"experts_fail"`
	ExpertScore   float64 `json:"expert_score,omitempty"`
}

func (s *Server) dashboard(c *gin.Context) error {
	q := dashboardQuery(c)
	rows, total, err := s.svc.Dashboard(c.Request.Context(), principal(c), q)
	if err != nil {
		return err
	}
	type row struct {
		Application applicationJSON `json:"application"`
		Summary     summaryJSON     `json:"summary"`
	}
	items := make([]row, 0, len(rows))
	for _, r := range rows {
		m := r.Summary
		items = append(items, row{toApplication(r.Application), summaryJSON{m.ItemsPresent, m.ItemsTotal, m.Blocking, m.Attention, m.Notes,
			m.Documents, m.Processing, m.Failed, m.ItemsAccepted, m.ItemsRejected, m.ExpertsPass, m.ExpertsFail, m.ExpertScore}})
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": total, "limit": q.Limit, "offset": q.Offset})
	return nil
}
