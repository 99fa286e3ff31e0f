package compile

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"shenbao/internal/testreq"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// rotatedPDF is a five-page PDF made to test the copying of pages: a media box and resources
// inherited from the page tree, a font already named like the stamp's, a page that leaves a "q"
// and a "cm" open, pages turned by 90, 180 and -90 degrees (one with a crop box), contents split
// over two streams and held in an indirect array, and a page without contents.
func rotatedPDF(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	pw := newPDFWriter(&buf)
	catalog, root, font := pw.alloc(), pw.alloc(), pw.alloc()
	pw.object(font, helvetica)
	stream := func(s string) types.IndirectRef {
		nr := pw.alloc()
		pw.stream(nr, types.Dict{}, []byte(s))
		return ref(nr)
	}
	page := func(extra types.Dict) types.IndirectRef {
		nr := pw.alloc()
		d := types.Dict{"Type": types.Name("Page"), "Parent": ref(root)}
		for k, v := range extra {
			d[k] = v
		}
		pw.object(nr, d)
		return ref(nr)
	}
	text := func(word string) string { return "BT /SBPageNo 20 Tf 100 150 Td (" + word + ") Tj ET" }
	arr := pw.alloc()
	c4 := stream(text("delta"))
	pw.object(arr, types.Array{c4})
	kids := types.Array{
		page(types.Dict{"Contents": stream(text("alpha") + " q 1 0 0 1 100 100 cm")}),
		page(types.Dict{"Contents": stream(text("bravo")), "Rotate": types.Integer(90),
			"CropBox": types.NewNumberArray(50, 20, 350, 280)}),
		page(types.Dict{"Contents": types.Array{stream("BT /SBPageNo 20 Tf 100 150 Td"), stream("(charlie) Tj ET")},
			"Rotate": types.Integer(180)}),
		page(types.Dict{"Contents": ref(arr), "Rotate": types.Integer(-90)}),
		page(types.Dict{"Resources": types.Dict{}}),
	}
	pw.object(root, types.Dict{
		"Type": types.Name("Pages"), "Kids": kids, "Count": types.Integer(len(kids)),
		"MediaBox":  types.NewNumberArray(0, 0, 400, 300),
		"Resources": types.Dict{"Font": types.Dict{"SBPageNo": ref(font)}},
	})
	pw.object(catalog, types.Dict{"Type": types.Name("Catalog"), "Pages": ref(root)})
	info := pw.alloc()
	pw.object(info, types.Dict{"Producer": types.StringLiteral("test")})
	if err := pw.finish(catalog, info); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestBuildCopiesPages copies the pages of rotatedPDF and checks that the output is valid, that
// every page keeps its text, and, with poppler's pdftotext, that each page number stands upright
// at the bottom centre of the page as shown.
func TestBuildCopiesPages(t *testing.T) {
	src := rotatedPDF(t)
	if err := api.Validate(bytes.NewReader(src), model.NewDefaultConfiguration()); err != nil {
		t.Fatalf("the test's own PDF is not valid: %v", err)
	}
	var out bytes.Buffer
	err := Build(context.Background(), &out, Cover{Applicant: "某公司"}, []Material{bytesMaterial(1, "rotated.pdf", src)}, Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	outPath := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(outPath, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := api.ValidateFile(outPath, model.NewDefaultConfiguration()); err != nil {
		t.Fatalf("ValidateFile (strict): %v", err)
	}
	if got := pageCount(t, out.Bytes()); got != 6 {
		t.Fatalf("pages = %d, want 6", got)
	}
	for nr := 1; nr <= 6; nr++ {
		if c := pageContent(t, out.Bytes(), nr); !strings.Contains(c, fmt.Sprintf("(%d / 6) Tj", nr)) {
			t.Errorf("page %d: no page number in its content:\n%s", nr, c)
		}
	}

	if _, err := exec.LookPath("pdftotext"); err != nil {
		testreq.Skip(t, "pdftotext is not installed (apt-get install poppler-utils): page number positions not checked")
	}
	cmd := exec.Command("pdftotext", "-bbox", "-cropbox", outPath, "-")
	html, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Pages []struct {
			Words []struct {
				XMin float64 `xml:"xMin,attr"`
				YMin float64 `xml:"yMin,attr"`
				XMax float64 `xml:"xMax,attr"`
				YMax float64 `xml:"yMax,attr"`
				Text string  `xml:",chardata"`
			} `xml:"word"`
		} `xml:"body>doc>page"`
	}
	dec := xml.NewDecoder(bytes.NewReader(html))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Pages) != 6 {
		t.Fatalf("pdftotext: %d pages, want 6", len(doc.Pages))
	}
	// Pages as shown (pdftotext gives words in these coordinates, y from the top, but the
	// page's size before turning): the cover; 400×300 turned by 0, 90 (its crop box 300×260), 180,
	// 270; unturned.
	sizes := [][2]float64{{595, 842}, {400, 300}, {260, 300}, {400, 300}, {300, 400}, {400, 300}}
	words := []string{"", "alpha", "bravo", "charlie", "delta", ""}
	for i, p := range doc.Pages {
		width, height := sizes[i][0], sizes[i][1]
		var stamp, text []string
		for _, w := range p.Words {
			switch {
			case w.Text == "/" && w.YMin > height/2: // the cover has one in its text, higher up
				mid := (w.XMin + w.XMax) / 2
				above := height - w.YMax // from the bottom to the bottom of "/" (just below the baseline)
				if mid < width/2-2 || mid > width/2+2 || above < stampOffset-4 || above > stampOffset+1 || w.XMax-w.XMin > w.YMax-w.YMin {
					t.Errorf("page %d: \"/\" of the page number at x %.1f–%.1f, y %.1f–%.1f; want centred on %.1f, about %g pt above the bottom, upright",
						i+1, w.XMin, w.XMax, w.YMin, w.YMax, width/2, stampOffset)
				}
				stamp = append(stamp, w.Text)
			case w.Text == words[i]:
				text = append(text, w.Text)
			}
		}
		if len(stamp) != 1 {
			t.Errorf("page %d: %d page numbers", i+1, len(stamp))
		}
		if words[i] != "" && len(text) != 1 {
			t.Errorf("page %d: its text %q is not there once (%d)", i+1, words[i], len(text))
		}
	}
}

// pageContent is the content of page nr (its streams one after the other).
func pageContent(t *testing.T, b []byte, nr int) string {
	t.Helper()
	var content bytes.Buffer
	err := api.ExtractContent(bytes.NewReader(b), []string{fmt.Sprint(nr)}, func(r io.Reader, _ int) error {
		_, err := io.Copy(&content, r)
		return err
	}, relaxed())
	if err != nil {
		t.Fatal(err)
	}
	return content.String()
}

// TestBuildJPEGAsIs checks that a JPEG's page shows the file itself: its bytes are in the output
// unchanged, as a DCTDecode image of its size.
func TestBuildJPEGAsIs(t *testing.T) {
	gray := genJPEG(t, 3)
	colour := must(os.ReadFile(filepath.Join(devDir, "06_示范平台认定文件.jpg")))
	var out bytes.Buffer
	mats := []Material{bytesMaterial(1, "gray.jpg", gray), bytesMaterial(2, "colour.jpg", colour)}
	if err := Build(context.Background(), &out, Cover{Applicant: "某公司"}, mats, Options{TempDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"gray.jpg": gray, "colour.jpg": colour} {
		if !bytes.Contains(out.Bytes(), b) {
			t.Errorf("%s: its bytes are not in the output", name)
		}
	}
	ctx, err := api.ReadAndValidate(bytes.NewReader(out.Bytes()), model.NewDefaultConfiguration())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"1240×1754 DeviceGray": true}
	c, err := jpegConfig(colour)
	if err != nil {
		t.Fatal(err)
	}
	want[c] = true
	for nr := 2; nr <= 3; nr++ {
		pd, _, _, err := ctx.PageDict(nr, false)
		if err != nil {
			t.Fatal(err)
		}
		xo, err := ctx.DereferenceDict(pd.DictEntry("Resources")["XObject"])
		if err != nil {
			t.Fatal(err)
		}
		sd, _, err := ctx.DereferenceStreamDict(xo["Im0"])
		if err != nil || sd == nil {
			t.Fatalf("page %d: image: %v", nr, err)
		}
		if f := sd.NameEntry("Filter"); f == nil || *f != "DCTDecode" {
			t.Errorf("page %d: filter %v, want DCTDecode", nr, f)
		}
		got := fmt.Sprintf("%d×%d %s", *sd.IntEntry("Width"), *sd.IntEntry("Height"), *sd.NameEntry("ColorSpace"))
		if !want[got] {
			t.Errorf("page %d: image %s; want one of %v", nr, got, want)
		}
		delete(want, got)
	}
}

func jpegConfig(b []byte) (string, error) {
	dir, err := os.MkdirTemp("", "jpeg")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "a.jpg")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		return "", err
	}
	info, err := readJPEGInfo(p)
	return fmt.Sprintf("%d×%d %s", info.width, info.height, info.colorSpace), err
}

// TestBuildLongCover builds from more documents than the cover's first page lists, so that the
// cover runs to a second page and every page after it moves on by one.
func TestBuildLongCover(t *testing.T) {
	var mats []Material
	for i := 0; i < rowsFirstPage+5; i++ {
		mats = append(mats, bytesMaterial(1+i%8, fmt.Sprintf("图%02d.png", i), genPNG(t, 40, 60, i)))
	}
	var out bytes.Buffer
	if err := Build(context.Background(), &out, Cover{Applicant: "某公司"}, mats, Options{TempDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	total := 2 + len(mats)
	if got := pageCount(t, out.Bytes()); got != total {
		t.Fatalf("pages = %d, want %d", got, total)
	}
	bms, err := api.Bookmarks(bytes.NewReader(out.Bytes()), relaxed())
	if err != nil {
		t.Fatal(err)
	}
	if len(bms) != 9 || bms[0].Title != "封面" || bms[1].PageFrom != 3 || len(bms[1].Kids) != 3 || bms[1].Kids[2].PageFrom != 5 || bms[8].Kids[2].PageFrom != total {
		t.Errorf("bookmarks: %+v", bms)
	}
	for _, nr := range []int{1, 2, 3, total} {
		if c := pageContent(t, out.Bytes(), nr); !strings.Contains(c, fmt.Sprintf("(%d / %d) Tj", nr, total)) {
			t.Errorf("page %d: no page number", nr)
		}
	}
	if c := pageContent(t, out.Bytes(), 2); !strings.Contains(c, "Tf 0.333 0.333 0.333 rg 76 ") {
		t.Errorf("page 2 of the cover lists no SHA-256:\n%.500s", c)
	}
}

// TestBuildCorpus builds from every PDF and image of the dev corpus (real files from several
// producers) and validates the output strictly.
func TestBuildCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	var files []string
	for _, pattern := range []string{"*/*.pdf", "*/*.jpg", "*/*.png", "*/*.tif"} {
		m, _ := filepath.Glob(filepath.Join(filepath.Dir(devDir), pattern))
		files = append(files, m...)
	}
	if len(files) == 0 {
		testreq.Skip(t, "the dev corpus is not there (../../shared/corpus/dev)")
	}
	var mats []Material
	for i, f := range files {
		mats = append(mats, fileMaterial(t, i%10, f))
	}
	outPath := filepath.Join(t.TempDir(), "out.pdf")
	f, err := os.Create(outPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := Build(context.Background(), f, Cover{Applicant: "某公司"}, mats, Options{TempDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := api.ValidateFile(outPath, model.NewDefaultConfiguration()); err != nil {
		t.Fatalf("ValidateFile (strict): %v", err)
	}
	n, err := api.PageCountFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d documents, %d pages", len(mats), n)
}

// TestBuildFontCollection uses Debian's WenQuanYi Micro Hei, a collection whose third member
// pdfcpu refuses: its first member is taken out and installed alone.
func TestBuildFontCollection(t *testing.T) {
	const ttc = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
	if _, err := os.Stat(ttc); err != nil {
		testreq.Skip(t, "%s is not installed (apt-get install fonts-wqy-microhei)", ttc)
	}
	var out bytes.Buffer
	err := Build(context.Background(), &out, Cover{Applicant: "某公司"}, nil, Options{FontPath: ttc, TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if fonts := pageFonts(t, out.Bytes(), 1); !containsSub(fonts, "+WenQuanYiMicroHei embedded") {
		t.Errorf("cover fonts %v, want WenQuanYiMicroHei embedded", fonts)
	}
}

// TestBuildMemoryPerPage guards the streaming: a JPEG page may cost the build a few tens of
// kilobytes of allocation (its page and content objects, copy buffers), never the image (about
// 550 kB here) or the page's output. Allocation is counted rather than the peak, which depends on
// when the collector runs.
func TestBuildMemoryPerPage(t *testing.T) {
	img := genJPEG(t, 1)
	alloc := func(n int) uint64 {
		var mats []Material
		for i := 0; i < n; i++ {
			mats = append(mats, bytesMaterial(1+i%8, fmt.Sprintf("p%03d.jpg", i), img))
		}
		dir := t.TempDir()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if err := Build(context.Background(), io.Discard, Cover{Applicant: "某公司"}, mats, Options{TempDir: dir}); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	alloc(1) // the font installed, pdfcpu's configuration read
	small, large := alloc(10), alloc(60)
	perPage := (int64(large) - int64(small)) / 50
	t.Logf("10 pages: %d kB, 60 pages: %d kB allocated; %d kB a page", small>>10, large>>10, perPage>>10)
	if perPage > 100<<10 {
		t.Errorf("a JPEG page costs %d kB of allocation; want under 100 kB (the image is %d kB)", perPage>>10, len(img)>>10)
	}
}
