package ppocr

import (
	"encoding/json"
	"errors"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"shenbao/doc"
	"shenbao/internal/testreq"
)

const devCorpus = "../../../shared/corpus/dev"

var (
	sharedOnce   sync.Once
	sharedReader *Reader
	sharedErr    error
)

// reader returns a Reader shared by the tests of this package. Without the models it skips the test,
// unless they are required (internal/testreq): there it fails.
func reader(t *testing.T) *Reader {
	t.Helper()
	sharedOnce.Do(func() { sharedReader, sharedErr = New(Config{Threads: 1}) })
	if sharedErr != nil {
		if errors.Is(sharedErr, ErrMissing) {
			testreq.Skip(t, "%v", sharedErr)
		}
		t.Fatal(sharedErr)
	}
	return sharedReader
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedReader != nil {
		sharedReader.Close()
	}
	os.Exit(code)
}

// page decodes a dev page and its sidecar's fields.
func page(t testing.TB, rel string) (image.Image, map[string]any) {
	t.Helper()
	path := filepath.Join(devCorpus, rel)
	f, err := os.Open(path)
	if err != nil {
		testreq.Skip(t, "dev corpus not here: %v", err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", rel, err)
	}
	b, err := os.ReadFile(path + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var side struct {
		Fields map[string]any `json:"fields"`
	}
	if err := json.Unmarshal(b, &side); err != nil {
		t.Fatal(err)
	}
	return img, side.Fields
}

func text(lines []doc.Line) string {
	var sb strings.Builder
	for _, l := range lines {
		sb.WriteString(l.Text())
		sb.WriteByte('\n')
	}
	return sb.String()
}

func TestNewMissingFiles(t *testing.T) {
	_, err := New(Config{ModelDir: t.TempDir()})
	if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "scripts/models.sh") {
		t.Errorf("New without models: %v; want ErrMissing naming scripts/models.sh", err)
	}
}

func TestReadDevPages(t *testing.T) {
	r := reader(t)
	for _, c := range []struct {
		file  string
		want  []string // besides the sidecar's org_name and credit_code
		slack int      // characters of the org_name that may be misread
	}{
		// PP-OCRv4 reads the rare 砻 of this name as nothing (its best class is the blank, 0.38, then 袭).
		{"app03_chamdo/二、营业执照.png", []string{"统一社会信用代码", "营业执照", "2047年8月8日"}, 1},
		{"app08_lhasa/IMG_20240430_132847.jpg", []string{"统一社会信用代码", "营业执照"}, 0}, // a phone photo
	} {
		t.Run(c.file, func(t *testing.T) {
			img, fields := page(t, c.file)
			lines, err := r.Read(img)
			if err != nil {
				t.Fatal(err)
			}
			got := text(lines)
			squeezed := strings.Join(strings.Fields(got), "")
			for _, w := range append(c.want, fields["credit_code"].(string)) {
				if !strings.Contains(squeezed, w) {
					t.Errorf("%q not read; got:\n%s", w, got)
				}
			}
			if name := fields["org_name"].(string); !containsApprox(squeezed, name, c.slack) {
				t.Errorf("%q not read (with %d characters' slack); got:\n%s", name, c.slack, got)
			}
			bounds := img.Bounds()
			for _, l := range lines {
				for _, w := range l.Words {
					if w.Box.Empty() || w.Box.X0 < 0 || w.Box.Y0 < 0 || w.Box.X1 > bounds.Dx() || w.Box.Y1 > bounds.Dy() {
						t.Errorf("word %q has box %v outside the %v page", w.Text, w.Box, bounds.Size())
					}
					if w.Confidence < 0 || w.Confidence > 1 {
						t.Errorf("word %q has confidence %v", w.Text, w.Confidence)
					}
				}
			}
			// The credit code's box lies where it is printed: top left on this licence layout.
			for _, l := range lines {
				if strings.Contains(l.Text(), fields["credit_code"].(string)) {
					if l.Box.X0 > bounds.Dx()/2 || l.Box.Y0 > bounds.Dy()/2 {
						t.Errorf("credit code's line at %v; want it in the top left quarter", l.Box)
					}
				}
			}
		})
	}
}

func TestOrientationTurnedPage(t *testing.T) {
	r := reader(t)
	img, _ := page(t, "app03_chamdo/二、营业执照.png")
	for _, turned := range []int{0, 90, 180, 270} {
		deg, conf := r.Orientation(Rotate(img, turned))
		if want := (360 - turned) % 360; deg != want {
			t.Errorf("page turned %d° clockwise: Orientation says turn it %d° (confidence %.2f); want %d°", turned, deg, conf, want)
		}
		if conf <= 0.5 || conf > 1 {
			t.Errorf("page turned %d°: confidence %.2f; want over 0.5", turned, conf)
		}
	}
}

func TestReadBlank(t *testing.T) {
	r := reader(t)
	g := image.NewGray(image.Rect(0, 0, 600, 400))
	for i := range g.Pix {
		g.Pix[i] = 250
	}
	lines, err := r.Read(g)
	if err != nil || len(lines) != 0 {
		t.Errorf("blank page: %d lines, %v; want none", len(lines), err)
	}
	if deg, conf := r.Orientation(g); deg != 0 || conf != 0 {
		t.Errorf("blank page orientation %d (%.2f); want 0 (0)", deg, conf)
	}
}

// containsApprox reports whether some substring of s is within k edits of sub.
func containsApprox(s, sub string, k int) bool {
	a, b := []rune(sub), []rune(s)
	// Sellers' algorithm: edit distance of a against any substring of b.
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c = min(c, prev[j], cur[j-1]) + 1
			}
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	for _, d := range prev {
		if d <= k {
			return true
		}
	}
	return false
}
