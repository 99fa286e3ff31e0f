// Package compile builds the 材料汇编: one PDF of an application's materials, with a cover page,
// every document in the order of 第十七条, bookmarks per item and per document, and page numbers.
//
// It takes plain inputs (no intake types) so that it stays a leaf. PDF work is done with pdfcpu.
//
// Order: the cover; then the 推荐表 (item 0); then items 1…8 (第十七条（一）…（八）); then documents
// of any other item number ("other" kinds) under 其他材料. Within an item the caller's order is kept.
package compile

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Material is one file of the application.
type Material struct {
	Item        int    // 0 推荐表, 1…8 第十七条（一）…（八）, anything else: other materials
	ItemTitle   string // e.g. "申请报告"; empty: the default title of Item
	FileName    string
	SHA256      string // hex, as recorded at upload; shown on the cover, not recomputed
	ContentType string // informational; the kind is sniffed from the bytes
	Open        func() (io.ReadCloser, error)
}

// Cover is what the cover page says about the application.
type Cover struct {
	Applicant, CreditCode string
	Year                  int
	State                 string
	ItemsPresent          int
	ItemsTotal            int
	Blocking, Attention   int
	Generated             time.Time
}

// Options tune Build. The zero value works on a machine with one of DefaultFontPaths.
type Options struct {
	FontPath string // CJK TrueType font (.ttf or .ttc); empty: the first of DefaultFontPaths found
	TempDir  string // where the per-build work directory is made; empty: os.TempDir()
}

// ItemTitles are the default titles of 第十七条's items (0 is the 推荐表).
var ItemTitles = map[int]string{
	0: "推荐表",
	1: "申请报告",
	2: "法人证书或营业执照副本",
	3: "审计报告及服务收支专项审计报告",
	4: "经营服务场所证明",
	5: "开展相关服务的证明材料",
	6: "地（市）级示范平台等认定文件",
	7: "从业资格（资质）、许可证等证明",
	8: "其他证明材料及真实性声明",
}

var numerals = []string{"", "一", "二", "三", "四", "五", "六", "七", "八"}

// itemHeading is the bookmark and cover label of an item, e.g. "（一）申请报告".
func itemHeading(item int, title string) string {
	if title == "" {
		title = ItemTitles[item]
	}
	switch {
	case item == 0:
		return title
	case item >= 1 && item <= 8:
		return "（" + numerals[item] + "）" + title
	}
	if title == "" {
		title = "其他材料"
	}
	return title
}

// rank orders items: 推荐表, 1…8, then the rest.
func rank(item int) int {
	switch {
	case item == 0:
		return 0
	case item >= 1 && item <= 8:
		return item
	}
	return 9
}

// part is one material turned into a PDF file on disk.
type part struct {
	m         Material
	path      string // PDF
	pages     int
	firstPage int // 1-based, in the output
}

// Build writes the 材料汇编 of the materials to w.
//
// Each material is copied to a work directory and, if it is an image (JPEG, PNG, TIFF), turned into
// an A4 page; the files are then merged one at a time. An input that cannot be read as a PDF or an
// image gives an error naming its file.
//
// Memory: inputs are streamed to disk and converted one at a time, so their decoding does not
// accumulate; but pdfcpu merges into one in-memory document, so the peak heap grows with the size
// of the output (about three times the bytes of the merged pages; see BenchmarkBuild80Pages).
func Build(ctx context.Context, w io.Writer, cover Cover, materials []Material, opt Options) (err error) {
	defer func() {
		if r := recover(); r != nil { // pdfcpu panics on some malformed input
			err = fmt.Errorf("compile: pdfcpu: %v", r)
		}
	}()
	fontName, err := cjkFont(opt.FontPath)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp(opt.TempDir, "compile-*")
	if err != nil {
		return fmt.Errorf("compile: work directory: %w", err)
	}
	defer os.RemoveAll(dir)

	ms := append([]Material(nil), materials...)
	sort.SliceStable(ms, func(i, j int) bool { return rank(ms[i].Item) < rank(ms[j].Item) })

	parts := make([]part, 0, len(ms))
	for i, m := range ms {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, err := preparePart(dir, i, m)
		if err != nil {
			return fmt.Errorf("compile: %s (%s): %w", m.FileName, itemHeading(m.Item, m.ItemTitle), err)
		}
		parts = append(parts, p)
	}

	coverPages := coverPageCount(len(parts))
	next := coverPages + 1
	for i := range parts {
		parts[i].firstPage = next
		next += parts[i].pages
	}
	total := next - 1

	coverPath := filepath.Join(dir, "cover.pdf")
	if err := writeCover(coverPath, fontName, cover, parts, total); err != nil {
		return fmt.Errorf("compile: cover: %w", err)
	}

	conf := newConf()
	conf.Cmd = model.MERGECREATE
	dest, err := readPDF(coverPath, conf)
	if err != nil {
		return fmt.Errorf("compile: cover: %w", err)
	}
	dest.EnsureVersionForWriting()
	for _, p := range parts {
		if err := ctx.Err(); err != nil {
			return err
		}
		src, err := readPDF(p.path, dest.Configuration)
		if err != nil {
			return fmt.Errorf("compile: %s: %w", p.m.FileName, err)
		}
		if err := pdfcpu.MergeXRefTables(p.m.FileName, src, dest, false, false); err != nil {
			return fmt.Errorf("compile: merge %s: %w", p.m.FileName, err)
		}
	}
	if dest.PageCount != total {
		return fmt.Errorf("compile: merged %d pages, expected %d", dest.PageCount, total)
	}

	if err := pdfcpu.AddBookmarks(dest, bookmarks(parts), true); err != nil {
		return fmt.Errorf("compile: bookmarks: %w", err)
	}
	wm, err := api.TextWatermark("%p / %P", "font:Helvetica, points:9, scale:1 abs, pos:bc, off:0 14, rot:0, fillcolor:#333333, op:1", true, false, types.POINTS)
	if err != nil {
		return fmt.Errorf("compile: page numbers: %w", err)
	}
	if err := pdfcpu.AddWatermarks(dest, nil, wm); err != nil {
		return fmt.Errorf("compile: page numbers: %w", err)
	}
	if err := api.WriteContext(dest, w); err != nil {
		return fmt.Errorf("compile: write: %w", err)
	}
	return nil
}

func newConf() *model.Configuration {
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.CreateBookmarks = false
	return conf
}

func readPDF(path string, conf *model.Configuration) (*model.Context, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ctx, err := api.ReadAndValidate(f, conf)
	if err != nil {
		return nil, fmt.Errorf("not a readable PDF: %w", err)
	}
	return ctx, nil
}

// bookmarks: 封面, then one per item with one per document under it.
func bookmarks(parts []part) []pdfcpu.Bookmark {
	bms := []pdfcpu.Bookmark{{Title: "封面", PageFrom: 1}}
	for i := 0; i < len(parts); {
		j := i
		heading := itemHeading(parts[i].m.Item, parts[i].m.ItemTitle)
		bm := pdfcpu.Bookmark{Title: heading, PageFrom: parts[i].firstPage, Bold: true}
		for j < len(parts) && rank(parts[j].m.Item) == rank(parts[i].m.Item) &&
			(rank(parts[i].m.Item) != 9 || parts[j].m.Item == parts[i].m.Item) {
			bm.Kids = append(bm.Kids, pdfcpu.Bookmark{Title: parts[j].m.FileName, PageFrom: parts[j].firstPage})
			j++
		}
		bms = append(bms, bm)
		i = j
	}
	return bms
}

type kind int

const (
	kindUnknown kind = iota
	kindPDF
	kindImage
)

func sniff(head []byte) kind {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return kindPDF
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}),
		bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")),
		bytes.HasPrefix(head, []byte("II*\x00")),
		bytes.HasPrefix(head, []byte("MM\x00*")):
		return kindImage
	case bytes.Contains(head, []byte("%PDF-")): // junk before the header is tolerated by readers
		return kindPDF
	}
	return kindUnknown
}

// preparePart copies m into dir and makes it a PDF there, returning its page count.
func preparePart(dir string, i int, m Material) (part, error) {
	if m.Open == nil {
		return part{}, errors.New("no content")
	}
	rc, err := m.Open()
	if err != nil {
		return part{}, fmt.Errorf("open: %w", err)
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 4096)
	head, _ := br.Peek(1024)
	k := sniff(head)
	src := filepath.Join(dir, fmt.Sprintf("%03d.src", i))
	if err := copyFile(src, br); err != nil {
		return part{}, fmt.Errorf("read: %w", err)
	}
	p := part{m: m, path: src}
	switch k {
	case kindPDF:
	case kindImage:
		p.path = filepath.Join(dir, fmt.Sprintf("%03d.pdf", i))
		if err := imageToPDF(src, p.path); err != nil {
			return part{}, fmt.Errorf("image: %w", err)
		}
		os.Remove(src)
	default:
		return part{}, errors.New("neither a PDF nor a JPEG, PNG or TIFF image")
	}
	ctx, err := readPDF(p.path, newConf())
	if err != nil {
		return part{}, err
	}
	if ctx.PageCount == 0 {
		return part{}, errors.New("PDF has no pages")
	}
	p.pages = ctx.PageCount
	return p, nil
}

func copyFile(path string, r io.Reader) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// imageToPDF makes one A4 page per image (per frame for a multi-page TIFF), the image centred and
// scaled to fit within the page's margins.
func imageToPDF(img, out string) (err error) {
	imp, err := api.Import("form:A4, pos:c, sc:0.94 rel", types.POINTS)
	if err != nil {
		return err
	}
	in, err := os.Open(img)
	if err != nil {
		return err
	}
	defer in.Close()
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	conf := newConf()
	if err := api.ImportImages(nil, f, []io.Reader{bufio.NewReader(in)}, imp, conf); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
