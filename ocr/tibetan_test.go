package ocr

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"shenbao/internal/testreq"
)

// testdata/tibetan.png was rendered with pango-view (Noto Sans CJK and Tibetan Machine Uni): Chinese
// lines with Tibetan lines between them, as documents in Tibet often have.
func TestTibetanLines(t *testing.T) {
	e := ppEngine(t)
	p, err := e.Read(t.Context(), "testdata/tibetan.png", PNG, 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range p.Lines {
		got = append(got, l.Text())
	}
	want := []string{
		"西藏自治区中小企业公共服务示范平台申请报告",
		"བོད་རང་སྐྱོང་ལྗོངས་ཀྱི་ཁེ་ལས་ཆུང་ངུ་",
		"申报单位：拉萨市雪域创业服务有限公司",
		"ལྷ་ས་གྲོང་ཁྱེར།",
		"统一社会信用代码：91540102MA6TKJPG5T",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The Tibetan pass leaves Chinese pages alone: on a sample of dev pages (which hold no Tibetan) no line
// becomes Tibetan.
func TestTibetanLeavesChineseAlone(t *testing.T) {
	e := ppEngine(t)
	sidecars, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "dev", "*", "*.json"))
	if len(sidecars) == 0 {
		testreq.Skip(t, "corpus not found")
	}
	checked := 0
	for i, sc := range sidecars {
		path := strings.TrimSuffix(sc, ".json")
		ext := strings.ToLower(filepath.Ext(path))
		if i%8 != 0 || (ext != ".jpg" && ext != ".png") {
			continue
		}
		var gt struct{ Pages []struct{ Text string } }
		b, _ := os.ReadFile(sc)
		if json.Unmarshal(b, &gt) != nil {
			continue
		}
		ct := map[string]string{".jpg": JPEG, ".png": PNG}[ext]
		p, err := e.Read(t.Context(), path, ct, 1)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		checked++
		for _, l := range p.Lines {
			for _, r := range l.Text() {
				if unicode.Is(unicode.Tibetan, r) {
					t.Errorf("%s: line %q read as Tibetan", path, l.Text())
					break
				}
			}
		}
	}
	t.Logf("%d Chinese pages checked", checked)
}

func ppEngine(t *testing.T) *Engine {
	t.Helper()
	e, err := NewEngine(EngineConfig{})
	if err != nil {
		testreq.Skip(t, "%v", err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}
