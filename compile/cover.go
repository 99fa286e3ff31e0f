package compile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"unicode/utf8"

	"github.com/pdfcpu/pdfcpu/pkg/api"
)

// Cover layout on A4 (595×842 pt, origin lower left).
const (
	rowHeight      = 26.0
	firstListTop   = 560.0
	otherListTop   = 790.0
	listBottom     = 50.0
	rowsFirstPage  = 19 // (firstListTop - listBottom) / rowHeight
	rowsOtherPages = 28 // (otherListTop - listBottom) / rowHeight
	maxNameRunes   = 46
)

func coverPageCount(n int) int {
	if n <= rowsFirstPage {
		return 1
	}
	n -= rowsFirstPage
	return 1 + (n+rowsOtherPages-1)/rowsOtherPages
}

// The subset of pdfcpu's JSON "create" format used here.
type jsonDoc struct {
	Paper  string               `json:"paper"`
	Origin string               `json:"origin"`
	Pages  map[string]*jsonPage `json:"pages"`
}

type jsonPage struct {
	Content struct {
		Text []jsonText `json:"text"`
	} `json:"content"`
}

type jsonText struct {
	Value string     `json:"value"`
	Pos   [2]float64 `json:"pos"`
	Font  jsonFont   `json:"font"`
	Align string     `json:"align,omitempty"`
}

type jsonFont struct {
	Name string  `json:"name"`
	Size float64 `json:"size"`
	Col  string  `json:"col,omitempty"`
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// writeCover renders the cover pages to path with pdfcpu's JSON content creation and the CJK font.
func writeCover(path, fontName string, c Cover, parts []part, total int) error {
	doc := jsonDoc{Paper: "A4", Origin: "LowerLeft", Pages: map[string]*jsonPage{}}
	page := func(n int) *jsonPage {
		k := strconv.Itoa(n)
		if doc.Pages[k] == nil {
			doc.Pages[k] = &jsonPage{}
		}
		return doc.Pages[k]
	}
	text := func(p *jsonPage, x, y, size float64, s, col string) {
		p.Content.Text = append(p.Content.Text, jsonText{Value: s, Pos: [2]float64{x, y}, Font: jsonFont{Name: fontName, Size: size, Col: col}})
	}

	p := page(1)
	text(p, 60, 780, 18, "中小企业公共服务示范平台申报材料汇编", "")
	y := 740.0
	line := func(label, value string) {
		text(p, 60, y, 11, label+"："+value, "")
		y -= 20
	}
	line("申报单位", c.Applicant)
	if c.CreditCode != "" {
		line("统一社会信用代码", c.CreditCode)
	}
	if c.Year != 0 {
		line("申报年度", strconv.Itoa(c.Year))
	}
	line("申请状态", c.State)
	line("材料清单（第十七条）", fmt.Sprintf("已具备 %d / %d 项；阻断性问题 %d 项，需关注 %d 项", c.ItemsPresent, c.ItemsTotal, c.Blocking, c.Attention))
	line("汇编", fmt.Sprintf("%d 份文件，共 %d 页（含封面 %d 页）", len(parts), total, coverPageCount(len(parts))))
	if !c.Generated.IsZero() {
		line("生成时间", c.Generated.Format("2006-01-02 15:04"))
	}
	text(p, 60, firstListTop+22, 13, "材料目录", "")

	pageNr, top, rows := 1, firstListTop, rowsFirstPage
	row := 0
	for i, pt := range parts {
		if row == rows {
			pageNr++
			p = page(pageNr)
			top, rows, row = otherListTop, rowsOtherPages, 0
		}
		yy := top - float64(row)*rowHeight
		pages := fmt.Sprintf("第 %d 页", pt.firstPage)
		if pt.pages > 1 {
			pages = fmt.Sprintf("第 %d–%d 页", pt.firstPage, pt.firstPage+pt.pages-1)
		}
		text(p, 60, yy, 9.5, fmt.Sprintf("%d. %s　%s　%s", i+1, itemHeading(pt.m.Item, pt.m.ItemTitle), truncate(pt.m.FileName, maxNameRunes), pages), "")
		text(p, 76, yy-11, 7, "SHA-256 "+pt.m.SHA256, "#555555")
		row++
	}
	if len(parts) == 0 {
		text(p, 60, firstListTop, 10, "（无材料）", "")
	}

	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(doc); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := api.Create(nil, &buf, f, newConf()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
