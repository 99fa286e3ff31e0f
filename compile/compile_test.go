package compile

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/font"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"golang.org/x/image/tiff"

	"shenbao/internal/testreq"
)

const devDir = "../../shared/corpus/dev/app01_lhasa"

func fileMaterial(t testing.TB, item int, path string) Material {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		testreq.Skip(t, "corpus file: %v", err)
	}
	return bytesMaterial(item, filepath.Base(path), b)
}

func bytesMaterial(item int, name string, b []byte) Material {
	sum := sha256.Sum256(b)
	return Material{
		Item: item, FileName: name, SHA256: hex.EncodeToString(sum[:]),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil },
	}
}

func genPNG(t testing.TB, w, h int, seed int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x + seed), uint8(y * seed), uint8((x ^ y) + seed), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func relaxed() *model.Configuration {
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	return conf
}

func pageCount(t *testing.T, b []byte) int {
	t.Helper()
	n, err := api.PageCount(bytes.NewReader(b), relaxed())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBuild(t *testing.T) {
	pdfMat := fileMaterial(t, 2, filepath.Join(devDir, "02_营业执照复印件.pdf"))
	jpg6 := fileMaterial(t, 6, filepath.Join(devDir, "06_示范平台认定文件.jpg"))
	jpg0 := fileMaterial(t, 0, filepath.Join(devDir, "00_推荐表.jpg"))
	pngMat := bytesMaterial(5, "服务照片.png", genPNG(t, 300, 200, 7))
	var tb bytes.Buffer
	if err := tiff.Encode(&tb, image.NewGray(image.Rect(0, 0, 200, 280)), nil); err != nil {
		t.Fatal(err)
	}
	tif := bytesMaterial(8, "真实性声明.tif", tb.Bytes())
	other := bytesMaterial(42, "附加说明.png", genPNG(t, 120, 160, 3))
	pdfPages := pageCount(t, must(io.ReadAll(must(pdfMat.Open()))))

	cover := Cover{
		Applicant: "拉萨市测试科技服务有限公司", CreditCode: "91540100MA6T000000", Year: 2025,
		State: "已提交", ItemsPresent: 5, ItemsTotal: 8, Blocking: 1, Attention: 2,
		Generated: time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC),
	}
	// Deliberately out of order: Build sorts by item.
	mats := []Material{other, tif, jpg6, pdfMat, pngMat, jpg0}

	var out bytes.Buffer
	if err := Build(context.Background(), &out, cover, mats, Options{TempDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	outPath := filepath.Join(t.TempDir(), "out.pdf")
	if d := os.Getenv("COMPILE_KEEP"); d != "" {
		os.WriteFile(filepath.Join(d, "compile-test.pdf"), out.Bytes(), 0o644)
	}
	if err := os.WriteFile(outPath, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("output %d bytes", out.Len())

	if err := api.ValidateFile(outPath, model.NewDefaultConfiguration()); err != nil {
		t.Fatalf("ValidateFile (strict): %v", err)
	}

	want := 1 + pdfPages + 5 // cover, the PDF, five images
	if got := pageCount(t, out.Bytes()); got != want {
		t.Fatalf("pages = %d, want %d", got, want)
	}

	bms, err := api.Bookmarks(bytes.NewReader(out.Bytes()), relaxed())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, bm := range bms {
		s := fmt.Sprintf("%s@%d", bm.Title, bm.PageFrom)
		for _, k := range bm.Kids {
			s += fmt.Sprintf(" [%s@%d]", k.Title, k.PageFrom)
		}
		got = append(got, s)
	}
	wantBms := []string{
		"封面@1",
		"推荐表@2 [00_推荐表.jpg@2]",
		fmt.Sprintf("（二）法人证书或营业执照副本@3 [02_营业执照复印件.pdf@3]"),
		fmt.Sprintf("（五）开展相关服务的证明材料@%d [服务照片.png@%d]", 3+pdfPages, 3+pdfPages),
		fmt.Sprintf("（六）地（市）级示范平台等认定文件@%d [06_示范平台认定文件.jpg@%d]", 4+pdfPages, 4+pdfPages),
		fmt.Sprintf("（八）其他证明材料及真实性声明@%d [真实性声明.tif@%d]", 5+pdfPages, 5+pdfPages),
		fmt.Sprintf("其他材料@%d [附加说明.png@%d]", 6+pdfPages, 6+pdfPages),
	}
	if strings.Join(got, "\n") != strings.Join(wantBms, "\n") {
		t.Errorf("bookmarks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantBms, "\n"))
	}

	// The cover's font is the embedded CJK font, and its content stream shows the applicant's name
	// as that font's glyph IDs (Identity-H, two bytes each).
	fontName, err := cjkFont("")
	if err != nil {
		t.Fatal(err)
	}
	fonts := pageFonts(t, out.Bytes(), 1)
	if !containsSub(fonts, fontName+" embedded") {
		t.Errorf("page 1 fonts %v, want %s embedded", fonts, fontName)
	}
	var content bytes.Buffer
	err = api.ExtractContent(bytes.NewReader(out.Bytes()), []string{"1"}, func(r io.Reader, _ int) error {
		_, err := io.Copy(&content, r)
		return err
	}, relaxed())
	if err != nil {
		t.Fatal(err)
	}
	ttf, ok, err := font.UserFont(fontName)
	if err != nil || !ok {
		t.Fatalf("user font %s: %v %v", fontName, ok, err)
	}
	var gids strings.Builder
	for _, r := range cover.Applicant {
		fmt.Fprintf(&gids, "%04X", ttf.Chars[uint32(r)])
	}
	if !strings.Contains(literalStringsHex(content.Bytes()), gids.String()) {
		t.Errorf("cover content does not show the applicant's name (glyphs %s):\n%.2000s", gids.String(), content.String())
	}
}

// pageFonts lists the fonts of a page's resources as "BaseFont embedded" or "BaseFont".
func pageFonts(t *testing.T, b []byte, nr int) []string {
	t.Helper()
	ctx, err := api.ReadAndValidate(bytes.NewReader(b), relaxed())
	if err != nil {
		t.Fatal(err)
	}
	pd, _, inh, err := ctx.PageDict(nr, true)
	if err != nil {
		t.Fatal(err)
	}
	res := pd.DictEntry("Resources")
	if inh != nil && inh.Resources != nil {
		res = inh.Resources
	}
	fd, err := ctx.DereferenceDict(res["Font"])
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range fd {
		f, err := ctx.DereferenceDict(o)
		if err != nil || f == nil {
			continue
		}
		name := ""
		if n := f.NameEntry("BaseFont"); n != nil {
			name = *n
		}
		// Type0 → DescendantFonts[0] → FontDescriptor → FontFile2
		if arr, err := ctx.DereferenceArray(f["DescendantFonts"]); err == nil && len(arr) > 0 {
			if df, err := ctx.DereferenceDict(arr[0]); err == nil && df != nil {
				if desc, err := ctx.DereferenceDict(df["FontDescriptor"]); err == nil && desc != nil {
					if _, ok := desc["FontFile2"]; ok {
						name += " embedded"
					}
				}
			}
		}
		names = append(names, name)
	}
	return names
}

// literalStringsHex decodes the literal strings "(…)" of a content stream and returns their bytes
// in upper-case hex, one after the other.
func literalStringsHex(b []byte) string {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] != '(' {
			continue
		}
		depth := 1
		for i++; i < len(b) && depth > 0; i++ {
			c := b[i]
			switch c {
			case '\\':
				i++
				if i >= len(b) {
					break
				}
				switch e := b[i]; e {
				case 'n':
					out = append(out, '\n')
				case 'r':
					out = append(out, '\r')
				case 't':
					out = append(out, '\t')
				case 'b':
					out = append(out, '\b')
				case 'f':
					out = append(out, '\f')
				case '0', '1', '2', '3', '4', '5', '6', '7':
					v := 0
					for k := 0; k < 3 && i < len(b) && b[i] >= '0' && b[i] <= '7'; k++ {
						v = v*8 + int(b[i]-'0')
						i++
					}
					i--
					out = append(out, byte(v))
				case '\n':
				default:
					out = append(out, e)
				}
			case '(':
				depth++
				out = append(out, c)
			case ')':
				depth--
				if depth > 0 {
					out = append(out, c)
				}
			default:
				out = append(out, c)
			}
		}
		i--
	}
	return strings.ToUpper(hex.EncodeToString(out))
}

func containsSub(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestBuildCorruptPDF(t *testing.T) {
	good := bytesMaterial(1, "申请报告.png", genPNG(t, 50, 50, 1))
	bad := bytesMaterial(3, "审计报告-损坏.pdf", []byte("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ngarbage\n%%EOF\n"))
	err := Build(context.Background(), io.Discard, Cover{Applicant: "某公司"}, []Material{good, bad}, Options{TempDir: t.TempDir()})
	if err == nil {
		t.Fatal("no error for a corrupt PDF")
	}
	if !strings.Contains(err.Error(), "审计报告-损坏.pdf") {
		t.Errorf("error does not name the file: %v", err)
	}
	t.Log(err)

	notImage := bytesMaterial(4, "合同.docx", []byte("PK\x03\x04 not a pdf"))
	err = Build(context.Background(), io.Discard, Cover{}, []Material{notImage}, Options{TempDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "合同.docx") {
		t.Errorf("unsupported file: err = %v", err)
	}
}

func TestBuildNoFont(t *testing.T) {
	err := Build(context.Background(), io.Discard, Cover{}, nil, Options{FontPath: "/nonexistent/font.ttf"})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/font.ttf") {
		t.Errorf("err = %v", err)
	}
}
