package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"shenbao/checklist"
	"shenbao/doc"
	"shenbao/extract/normalize"
	"shenbao/internal/testreq"
)

// TestGenerate renders one application into a temporary folder and checks that its files, sidecars
// and manifest are what the corpus README describes.
func TestGenerate(t *testing.T) {
	if _, err := os.Stat(defaultChromium); err != nil {
		msg := defaultChromium + " is not installed (apt-get install -y chromium, or scripts/deps.sh --test)"
		testreq.Skip(t, "%s", msg)
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-out", out, "-seed", "7", "-apps", "1"}, &stdout, &stderr); code != 0 {
		t.Fatalf("gendocs exited %d: %s", code, stderr.String())
	}
	dirs, _ := filepath.Glob(filepath.Join(out, "app01_*"))
	if len(dirs) != 1 {
		t.Fatalf("got folders %v; want one app01_<prefecture>", dirs)
	}
	dir := dirs[0]
	var m struct {
		Application    string            `json:"application"`
		OrgName        string            `json:"org_name"`
		CreditCode     string            `json:"credit_code"`
		SubmissionDate string            `json:"submission_date"`
		EvaluationYear int               `json:"evaluation_year"`
		Prefecture     string            `json:"prefecture"`
		Recommender    string            `json:"recommender"`
		Files          []manifestFile    `json:"files"`
		ItemsPresent   []int             `json:"items_present"`
		Warnings       []string          `json:"warnings"`
		Verdicts       map[string]string `json:"verdicts"`
	}
	readJSON(t, filepath.Join(dir, "manifest.json"), &m)
	if m.Application != filepath.Base(dir) || m.OrgName == "" || m.Prefecture == "" || m.Recommender == "" {
		t.Errorf("manifest identity: %+v", m)
	}
	if !normalize.ValidCreditCode(m.CreditCode) || m.CreditCode[2:4] != "54" {
		t.Errorf("credit code %q is not a valid Tibetan code", m.CreditCode)
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\d$`).MatchString(m.SubmissionDate) || strconv.Itoa(m.EvaluationYear+1) != m.SubmissionDate[:4] {
		t.Errorf("submission %s, evaluation year %d", m.SubmissionDate, m.EvaluationYear)
	}
	for _, k := range checklist.VerdictKeys {
		if v := m.Verdicts[k]; v != "pass" && v != "fail" && v != "undeterminable" {
			t.Errorf("verdict %s = %q", k, v)
		}
	}
	for _, w := range m.Warnings {
		if !checklist.Scored(w) {
			t.Errorf("warning %q is not a code of the corpus README", w)
		}
	}
	if len(m.Files) < 8 {
		t.Errorf("%d files; want a full folder", len(m.Files))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2*len(m.Files)+1 {
		t.Errorf("%d entries in the folder for %d files: want each file, its sidecar and the manifest", len(entries), len(m.Files))
	}
	for _, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, f.File))
		if err != nil {
			t.Error(err)
			continue
		}
		var s struct {
			Kind    string            `json:"kind"`
			Fields  map[string]any    `json:"fields"`
			Surface map[string]string `json:"surface"`
			Pages   []sidecarPage     `json:"pages"`
			Layout  string            `json:"layout"`
		}
		readJSON(t, filepath.Join(dir, f.File+".json"), &s)
		if s.Kind != f.Kind || !knownKind(s.Kind) {
			t.Errorf("%s: kind %q, manifest says %q", f.File, s.Kind, f.Kind)
		}
		if s.Layout == "" || s.Surface == nil || s.Fields == nil || len(s.Pages) == 0 {
			t.Errorf("%s: sidecar incomplete: layout %q, %d pages", f.File, s.Layout, len(s.Pages))
		}
		switch filepath.Ext(f.File) {
		case ".pdf":
			if !bytes.HasPrefix(data, []byte("%PDF-")) || bytes.Count(data, []byte("/Type /Page ")) != len(s.Pages) {
				t.Errorf("%s: not a PDF of %d pages", f.File, len(s.Pages))
			}
		case ".jpg", ".png", ".tif":
			if len(s.Pages) != 1 {
				t.Errorf("%s: an image with %d pages", f.File, len(s.Pages))
			}
		default:
			t.Errorf("%s: unexpected extension", f.File)
		}
		for i, p := range s.Pages {
			if (p.Text == "") != p.Blank {
				t.Errorf("%s page %d: blank %v with text %q", f.File, i+1, p.Blank, p.Text)
			}
		}
		checkFields(t, f.File, s.Kind, s.Fields, s.Surface, s.Pages)
	}
}

// TestDocuments draws many applications without rendering them and checks every document's ground
// truth against its own printed text: each field is printed (as its value or its surface form), and
// has the type FIELDS.md gives it.
func TestDocuments(t *testing.T) {
	seen := map[string]bool{}
	for _, seed := range []int64{1, 2, 3} {
		deck := append([]string(nil), defectNames...)
		shuffle(newRNG(seed, 0), deck)
		for n := 1; n <= 24; n++ {
			a := newApplication(seed, n, deck)
			docs := a.documents()
			a.dress(docs, fontTable)
			files := map[string]bool{}
			for _, d := range docs {
				if files[d.file] {
					t.Errorf("seed %d %s: file name %s used twice", seed, a.dir, d.file)
				}
				files[d.file] = true
				for _, l := range d.layouts {
					seen[l] = true
				}
				var pages []sidecarPage
				for _, p := range d.pages {
					pages = append(pages, sidecarPage{Text: p.text(), Blank: p.blank})
				}
				raw, _ := json.Marshal(d.fields)
				var fields map[string]any
				json.Unmarshal(raw, &fields)
				checkFields(t, a.dir+"/"+d.file, d.kind, fields, d.surface, pages)
			}
			line := expected(a, docs)
			if len(line.Verdicts) != len(checklist.VerdictKeys) {
				t.Errorf("%s: verdicts %v", a.dir, line.Verdicts)
			}
		}
	}
	for _, l := range layoutTable {
		if l.weight > 0 && !seen[l.id] {
			t.Errorf("layout %s never drawn in 72 applications", l.id)
		}
	}
}

func checkFields(t *testing.T, file, kind string, fields map[string]any, surface map[string]string, pages []sidecarPage) {
	t.Helper()
	var text strings.Builder
	for _, p := range pages {
		text.WriteString(p.Text)
	}
	flat := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, text.String())
	for name, v := range fields {
		typ, ok := doc.FieldTypes[name]
		if !ok || doc.Extra[name] {
			t.Errorf("%s: field %s is not in FIELDS.md", file, name)
			continue
		}
		switch typ {
		case doc.Number, doc.Integer:
			if _, ok := v.(float64); !ok {
				t.Errorf("%s: %s = %#v, not a number", file, name, v)
			}
		case doc.Bool:
			if _, ok := v.(bool); !ok {
				t.Errorf("%s: %s = %#v, not a boolean", file, name, v)
			}
		case doc.List:
			if _, ok := v.([]any); !ok {
				t.Errorf("%s: %s = %#v, not a list", file, name, v)
			}
		default:
			if _, ok := v.(string); !ok {
				t.Errorf("%s: %s = %#v, not a string", file, name, v)
			}
		}
		if slices.Contains([]string{"has_seal", "functions", "issuer_level", "audit_opinion", "audit_year"}, name) {
			continue // stated by marks, seals or wording rather than printed as such
		}
		printed, ok := surface[name]
		if !ok {
			switch x := v.(type) {
			case string:
				printed = x
			case float64:
				printed = strconv.FormatFloat(x, 'f', -1, 64)
			}
		}
		printed = strings.ReplaceAll(printed, " ", "")
		if !strings.Contains(flat, printed) {
			t.Errorf("%s (%s): %s printed as %q is not in the page text", file, kind, name, printed)
		}
	}
}

func knownKind(kind string) bool {
	for _, k := range doc.Kinds {
		if k.Name == kind {
			return true
		}
	}
	return false
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

func TestFormats(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{upperInt(5000000), "伍佰万"},
		{upperInt(120000), "壹拾贰万"},
		{upperInt(10050), "壹万零伍拾"},
		{upperInt(10000500), "壹仟万零伍佰"},
		{upperInt(100005000), "壹亿零伍仟"},
		{upperYuan(1418272), "壹万肆仟壹佰捌拾贰元柒角贰分"},
		{upperYuan(300000), "叁仟元整"},
		{fmtDate(ymd(2023, 3, 5), dateHan), "二〇二三年三月五日"},
		{fmtDate(ymd(2023, 10, 25), dateHan), "二〇二三年十月二十五日"},
		{fmtDate(ymd(2023, 3, 5), dateCN0), "2023年03月05日"},
		{commas(1010270934), "10,102,709.34"},
		{wan(1010270934, false), "1010.27"},
		{fullWidth("500"), "５００"},
		{fmtCapital(5000000, capUpper), "人民币伍佰万元整"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %s; want %s", tc.got, tc.want)
		}
	}
	g := newRNG(1, 1)
	for _, typ := range []orgType{company, institution, association, privateNonEn} {
		for i := 0; i < 50; i++ {
			code := creditCode(g, typ, "540102")
			if !normalize.ValidCreditCode(code) {
				t.Fatalf("creditCode gave invalid %s", code)
			}
			if bad := badCode(g, code); normalize.ValidCreditCode(bad) {
				t.Fatalf("badCode gave valid %s", bad)
			}
		}
	}
}
