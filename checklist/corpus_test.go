package checklist

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shenbao/doc"
	"shenbao/internal/testreq"
)

// corpusDir is the shared evaluation corpus, beside the repository.
var corpusDir = filepath.Join("..", "..", "shared", "corpus", "dev")

type sidecar struct {
	Kind   string         `json:"kind"`
	Fields map[string]any `json:"fields"`
	Pages  []struct {
		Text    string `json:"text"`
		Blank   bool   `json:"blank"`
		Legible *bool  `json:"legible"`
	} `json:"pages"`
}

type manifest struct {
	Application    string            `json:"application"`
	OrgName        string            `json:"org_name"`
	CreditCode     string            `json:"credit_code"`
	SubmissionDate string            `json:"submission_date"`
	EvaluationYear int               `json:"evaluation_year"`
	ItemsPresent   []int             `json:"items_present"`
	Warnings       []string          `json:"warnings"`
	Verdicts       map[string]string `json:"verdicts"`
}

// TestCorpus evaluates every folder of the corpus from its ground truth (perfect extraction) and
// expects each manifest's items, warnings and verdicts exactly.
func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		testreq.Skip(t, "corpus not found: %v", err)
	}
	dirs, err := filepath.Glob(filepath.Join(corpusDir, "*", "manifest.json"))
	if err != nil || len(dirs) == 0 {
		testreq.Skip(t, "no manifests under %s", corpusDir)
	}
	for _, mpath := range dirs {
		dir := filepath.Dir(mpath)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			app, docs, m := loadFolder(t, dir)
			r := Evaluate(app, docs, app.SubmissionDate)
			got := r.Score()
			want := ScoreLine{Application: m.Application, ItemsPresent: m.ItemsPresent, Warnings: m.Warnings,
				Verdicts: map[string]Outcome{}}
			for k, v := range m.Verdicts {
				want.Verdicts[k] = Outcome(v)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				for _, w := range r.Warnings {
					t.Logf("%s %s: %s", w.Severity, w.Code, w.Message)
				}
				t.Errorf("score line mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// loadFolder builds the application and its documents from a corpus folder: every file with a
// sidecar is a document; its fields become canonical doc.Fields, and the per-function figures of an
// application report's 服务功能 table (which FIELDS.md lacks) are read from its legible page text.
func loadFolder(t *testing.T, dir string) (Application, []Document, manifest) {
	t.Helper()
	var m manifest
	readJSON(t, filepath.Join(dir, "manifest.json"), &m)
	sub, err := time.Parse(time.DateOnly, m.SubmissionDate)
	if err != nil {
		t.Fatalf("manifest submission_date: %v", err)
	}
	app := Application{ID: m.Application, OrgName: m.OrgName, CreditCode: m.CreditCode,
		SubmissionDate: sub, EvaluationYear: m.EvaluationYear}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	slices.Sort(paths)
	var docs []Document
	for _, p := range paths {
		if filepath.Base(p) == "manifest.json" {
			continue
		}
		var s sidecar
		readJSON(t, p, &s)
		name := strings.TrimSuffix(filepath.Base(p), ".json")
		d := Document{ID: name, FileName: name, Kind: s.Kind}
		keys := make([]string, 0, len(s.Fields))
		for k := range s.Fields {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			d.Fields = append(d.Fields, doc.Field{Name: k, Value: canonical(t, s.Fields[k]), Confidence: 1})
		}
		var legible []string
		for i, pg := range s.Pages {
			pi := PageInfo{Number: i + 1, Blank: pg.Blank, Illegible: pg.Legible != nil && !*pg.Legible}
			d.Pages = append(d.Pages, pi)
			if !pi.Blank && !pi.Illegible {
				legible = append(legible, pg.Text)
			}
		}
		if s.Kind == kindReport {
			d.Fields = append(d.Fields, functionTable(strings.Join(legible, "\n"))...)
		}
		docs = append(docs, d)
	}
	return app, docs, m
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// canonical writes a sidecar value as doc.Field's canonical text.
func canonical(t *testing.T, v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		s := make([]string, len(x))
		for i, e := range x {
			s[i] = fmt.Sprint(e)
		}
		slices.Sort(s)
		return strings.Join(s, ",")
	}
	t.Fatalf("unexpected sidecar value %#v", v)
	return ""
}

// functionRows read the per-function figures from the rows of the 服务功能 table.
var functionRows = []struct {
	re     *regexp.Regexp
	fields []string
}{
	{regexp.MustCompile(`信息服务\s*√.*?线下服务企业(\d+)家.*?活动(\d+)次`), []string{FieldInformationOfflineSMEs, FieldInformationEvents}},
	{regexp.MustCompile(`技术服务\s*√.*?活动(\d+)次`), []string{FieldTechnologyEvents}},
	{regexp.MustCompile(`创业服务\s*√.*?活动(\d+)次`), []string{FieldStartupEvents}},
	{regexp.MustCompile(`培训服务\s*√.*?培训(\d+)人次`), []string{FieldTrainingTrainees}},
	{regexp.MustCompile(`融资服务\s*√.*?银企对接活动(\d+)次.*?讲座(\d+)次`), []string{FieldFinancingMatchmaking, FieldFinancingLectures}},
}

func functionTable(text string) []doc.Field {
	var out []doc.Field
	for _, line := range strings.Split(text, "\n") {
		for _, row := range functionRows {
			m := row.re.FindStringSubmatch(line)
			for i, name := range row.fields {
				if m != nil {
					out = append(out, doc.Field{Name: name, Value: m[i+1], Text: line, Confidence: 1})
				}
			}
		}
	}
	return out
}
