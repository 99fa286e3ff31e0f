package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"shenbao/checklist"
	"shenbao/intake"
)

// The staff's export of the dashboard list (GET /api/v1/dashboard/export?format=xlsx|csv and the
// dashboard's filters): one row per application with its items, warnings, documents' states and the
// reviewers' decisions. The .xlsx also has a sheet with one row per warning. Staff only (intake).

var cnItem = [...]string{"推荐表", "一", "二", "三", "四", "五", "六", "七", "八"}

var severityZh = map[checklist.Severity]string{
	checklist.Blocking: "必须整改", checklist.Attention: "需要核实", checklist.Note: "提示",
}

var decisionZh = map[string]string{"accept": "接受", "reject": "退回", "pass": "通过", "fail": "不通过"}

// exportColumns are the list's columns, in order.
var exportColumns = []string{
	"申报单位", "统一社会信用代码", "地区/园区", "申报年度", "状态",
	"第十七条材料", "缺少的材料", "推荐表",
	"必须整改", "需要核实", "提示", "问题清单",
	"材料份数", "识别中", "识别失败",
	"材料审核意见", "专家评审", "提交时间", "更新时间", "编号",
}

// exportRow is one application as a row of exportColumns.
func exportRow(r intake.DashboardRow) []any {
	a, m := r.Application, r.Summary
	var missing []string
	form := "未提交"
	for _, it := range r.Report.Items {
		switch {
		case it.Number == 0 && it.Present:
			form = "已提交"
		case it.Number > 0 && !it.Present:
			missing = append(missing, "（"+cnItem[it.Number]+"）")
		}
	}
	var problems []string
	for _, w := range r.Report.Warnings {
		problems = append(problems, "【"+severityZh[w.Severity]+"】"+w.Message)
	}
	latest := map[int]intake.ItemReview{}
	var order []int
	for _, rv := range a.ItemReviews {
		if _, ok := latest[rv.Item]; !ok {
			order = append(order, rv.Item)
		}
		latest[rv.Item] = rv
	}
	var reviews []string
	for _, n := range order {
		rv := latest[n]
		s := "（" + cnItem[min(max(n, 0), 8)] + "）" + decisionZh[rv.Decision] + "（" + rv.By.Name + "）"
		if rv.Comment != "" {
			s += "：" + rv.Comment
		}
		reviews = append(reviews, s)
	}
	var experts []string
	for _, er := range a.ExpertReviews {
		experts = append(experts, fmt.Sprintf("%s %d 分，%s", er.By.Name, er.Score, decisionZh[er.Conclusion]))
	}
	submitted := ""
	if !a.SubmittedAt.IsZero() {
		submitted = a.SubmittedAt.In(cst).Format("2006-01-02 15:04")
	}
	return []any{
		a.OrgName, a.CreditCode, a.Region, a.Year, a.State.Label(),
		fmt.Sprintf("%d/%d", m.ItemsPresent, m.ItemsTotal), strings.Join(missing, "、"), form,
		m.Blocking, m.Attention, m.Notes, strings.Join(problems, "\n"),
		m.Documents, m.Processing, m.Failed,
		strings.Join(reviews, "\n"), strings.Join(experts, "\n"), submitted, a.UpdatedAt.In(cst).Format("2006-01-02 15:04"), a.ID,
	}
}

// cst is China's time, in which the export writes times.
var cst = time.FixedZone("CST", 8*3600)

// dashboardQuery reads the dashboard's filters and order from the query string.
func dashboardQuery(c *gin.Context) intake.DashboardQuery {
	limit, _ := strconv.Atoi(c.DefaultQuery("limit", "20"))
	offset, _ := strconv.Atoi(c.DefaultQuery("offset", "0"))
	year, _ := strconv.Atoi(c.Query("year"))
	q := intake.DashboardQuery{Region: c.Query("region"), Year: year, Search: c.Query("q"), Sort: c.Query("sort"),
		Desc: c.Query("desc") == "1", ListOptions: intake.ListOptions{Limit: limit, Offset: offset}}
	for _, st := range strings.Split(c.Query("state"), ",") {
		if st != "" {
			q.States = append(q.States, intake.State(st))
		}
	}
	return q
}

func (s *Server) exportDashboard(c *gin.Context) error {
	format := c.DefaultQuery("format", "xlsx")
	if format != "xlsx" && format != "csv" {
		return &intake.Error{Code: "invalid_format", Message: "导出格式应为 xlsx 或 csv。", Err: intake.ErrInvalid}
	}
	rows, err := s.svc.DashboardExport(c.Request.Context(), principal(c), dashboardQuery(c))
	if err != nil {
		return err
	}
	name := "申报一览-" + s.svc.Now().In(cst).Format("20060102-1504") + "." + format
	var body []byte
	var typ string
	if format == "csv" {
		body, err = exportCSV(rows)
		typ = "text/csv; charset=utf-8"
	} else {
		body, err = exportXLSX(rows)
		typ = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	if err != nil {
		return fmt.Errorf("export dashboard: %w", err)
	}
	c.Header("Content-Disposition", "attachment; filename=\"export."+format+"\"; filename*=UTF-8''"+url.PathEscape(name))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, typ, body)
	return nil
}

// exportCSV writes the list as CSV in UTF-8 with a byte-order mark, which Excel needs to read
// Chinese.
func exportCSV(rows []intake.DashboardRow) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.Write(exportColumns); err != nil {
		return nil, err
	}
	for _, r := range rows {
		rec := make([]string, 0, len(exportColumns))
		for _, v := range exportRow(r) {
			rec = append(rec, csvCell(fmt.Sprint(v)))
		}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// csvCell keeps a cell from being taken for a formula by a spreadsheet (CSV injection): text
// starting with = + - @ gets a leading apostrophe.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// exportXLSX writes the list (申报一览) and one row per warning (问题明细) as an .xlsx workbook.
func exportXLSX(rows []intake.DashboardRow) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const list, detail = "申报一览", "问题明细"
	if err := f.SetSheetName("Sheet1", list); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(detail); err != nil {
		return nil, err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE3EA"}}})
	if err != nil {
		return nil, err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(list)
	if err != nil {
		return nil, err
	}
	widths := map[int]float64{1: 32, 2: 22, 3: 14, 5: 10, 7: 18, 12: 80, 16: 40, 17: 30, 18: 17, 19: 17, 20: 24}
	for col, w := range widths {
		if err := sw.SetColWidth(col, col, w); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", cells(head, toAny(exportColumns)), excelize.RowOpts{}); err != nil {
		return nil, err
	}
	for i, r := range rows {
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), cells(wrap, exportRow(r))); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	if err := f.AutoFilter(list, fmt.Sprintf("A1:%s%d", colName(len(exportColumns)), len(rows)+1), nil); err != nil {
		return nil, err
	}

	dw, err := f.NewStreamWriter(detail)
	if err != nil {
		return nil, err
	}
	for col, w := range map[int]float64{1: 32, 2: 22, 3: 10, 4: 16, 5: 28, 6: 80, 7: 60} {
		if err := dw.SetColWidth(col, col, w); err != nil {
			return nil, err
		}
	}
	if err := dw.SetRow("A1", cells(head, []any{"申报单位", "统一社会信用代码", "级别", "条款", "代码", "说明", "处理建议"})); err != nil {
		return nil, err
	}
	n := 2
	for _, r := range rows {
		for _, w := range r.Report.Warnings {
			row := []any{r.Application.OrgName, r.Application.CreditCode, severityZh[w.Severity], w.Article, w.Code, w.Message, w.Advice}
			if err := dw.SetRow(fmt.Sprintf("A%d", n), cells(wrap, row)); err != nil {
				return nil, err
			}
			n++
		}
	}
	if err := dw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func cells(style int, values []any) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = excelize.Cell{StyleID: style, Value: v}
	}
	return out
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func colName(n int) string {
	s, _ := excelize.ColumnNumberToName(n)
	return s
}
