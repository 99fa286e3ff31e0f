// Package compile builds the 材料汇编: one PDF of an application's materials, with a cover page,
// every document in the order of 第十七条, bookmarks per item and per document, and page numbers.
//
// It takes plain inputs (no intake types) so that it stays a leaf. pdfcpu reads the source PDFs
// (one at a time), turns PNG and TIFF images into pages and subsets the CJK font; the output is
// written object by object by pdfWriter, straight to the caller's writer.
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

// part is one material, copied to the work directory and looked at: its kind, its pages, and for
// a JPEG what its page needs from the header.
type part struct {
	m         Material
	kind      kind   // kindPDF (images other than JPEG are made PDFs when prepared) or kindJPEG
	path      string // the file in the work directory
	jpeg      jpegInfo
	pages     int
	firstPage int // 1-based, in the output
}

// Build writes the 材料汇编 of the materials to w.
//
// It works in two passes over the materials, one at a time. The first copies each to a work
// directory and reads it through, so that a material that cannot be read as a PDF or an image
// gives an error naming its file before anything is written to w; an image other than a JPEG is
// made an A4 PDF page there (per frame for a multi-page TIFF). The second writes the output
// object by object straight to w (pdfWriter): the cover (its text in the CJK font, embedded as a
// subset), then each material's pages (a PDF read by pdfcpu and its pages' objects copied; a JPEG
// embedded as it is), each page with its number stamped; then the page tree, the bookmarks and
// the cross-reference table. An error in the second pass (a failing writer, a file changed in
// the work directory) leaves w with part of a PDF.
//
// Memory: one material is held at a time, so the peak does not grow with the number of pages or
// documents. It is set by the larger of the cover's font subsetting (pdfcpu reads the whole
// installed font: a peak of about 20 MB with WenQuanYi Micro Hei, 55 MB with Zen Hei) and the
// largest single PDF (pdfcpu reads a whole file) or non-JPEG image (decoded). What grows with the output is a few bytes per object
// and per page (cross-reference offsets, the page tree's list of pages). See BenchmarkBuild.
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

	face, err := loadFace(fontName)
	if err != nil {
		return fmt.Errorf("compile: cover: %w", err)
	}
	layout := coverLayout(cover, parts, total)
	if len(layout) != coverPages {
		return fmt.Errorf("compile: cover: %d pages laid out, expected %d", len(layout), coverPages)
	}

	b := newBuilder(w, total)
	if err := b.writeCover(face, layout); err != nil {
		return fmt.Errorf("compile: cover: %w", err)
	}
	for _, p := range parts {
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		switch p.kind {
		case kindJPEG:
			err = b.jpegPage(p.path, p.jpeg)
		default:
			err = b.copyPDF(p.path, p.pages)
		}
		if err != nil {
			return fmt.Errorf("compile: %s: %w", p.m.FileName, err)
		}
	}
	if len(b.pages) != total {
		return fmt.Errorf("compile: wrote %d pages, expected %d", len(b.pages), total)
	}
	if err := b.finish(bookmarks(parts), cover); err != nil {
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

type kind int

const (
	kindUnknown kind = iota
	kindPDF
	kindJPEG
	kindImage // PNG or TIFF
)

func sniff(head []byte) kind {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return kindPDF
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return kindJPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")),
		bytes.HasPrefix(head, []byte("II*\x00")),
		bytes.HasPrefix(head, []byte("MM\x00*")):
		return kindImage
	case bytes.Contains(head, []byte("%PDF-")): // junk before the header is tolerated by readers
		return kindPDF
	}
	return kindUnknown
}

// preparePart copies m into dir and reads it through: a PDF's pages are counted, a JPEG's header
// read; a PNG or TIFF is made a PDF there. Nothing of it stays in memory.
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
	p := part{m: m, kind: k, path: src}
	switch k {
	case kindJPEG:
		if p.jpeg, err = readJPEGInfo(src); err != nil {
			return part{}, err
		}
		p.pages = 1
		return p, nil
	case kindPDF:
	case kindImage:
		p.kind, p.path = kindPDF, filepath.Join(dir, fmt.Sprintf("%03d.pdf", i))
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

// imageToPDF makes one A4 page per image (PNG or TIFF; pdfcpu decodes it) (per frame for a multi-page TIFF), the image centred and
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
