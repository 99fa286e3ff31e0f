package bagit

import (
	"archive/tar"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

type file struct {
	path, body string
}

var modTime = time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)

// writeBag writes a bag of files and returns the tar stream.
func writeBag(t *testing.T, name string, info []Tag, files []file) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf, name, info)
	for _, f := range files {
		if err := w.Add(f.path, int64(len(f.body)), modTime, strings.NewReader(f.body)); err != nil {
			t.Fatalf("Add(%q): %v", f.path, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

type entry struct {
	hdr  tar.Header
	body []byte
}

func readEntries(t *testing.T, b []byte) []entry {
	t.Helper()
	var es []entry
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return es
		}
		if err != nil {
			t.Fatalf("read tar: %v", err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("read %s: %v", hdr.Name, err)
		}
		es = append(es, entry{*hdr, body})
	}
}

func writeEntries(t *testing.T, es []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range es {
		h := e.hdr
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatalf("write %s: %v", h.Name, err)
		}
		if _, err := tw.Write(e.body); err != nil {
			t.Fatalf("write %s: %v", h.Name, err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func find(es []entry, name string) int {
	for i, e := range es {
		if e.hdr.Name == name {
			return i
		}
	}
	return -1
}

func bodyOf(t *testing.T, es []entry, name string) string {
	t.Helper()
	i := find(es, name)
	if i < 0 {
		t.Fatalf("no entry %s", name)
	}
	return string(es[i].body)
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

const (
	sumABC   = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" // sha256sum of "abc"
	sumEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" // sha256sum of ""
	sumLic   = "4f151541f71561c67b5648c921bc632b804a4bbc23900919276108b9046a5d35" // sha256sum of "营业执照\n"
)

var (
	testInfo  = []Tag{{"Source-Organization", "某市市场监督管理局"}, {"Bagging-Date", "2026-12-01"}}
	testFiles = []file{
		{"原件/营业执照.txt", "营业执照\n"},
		{"a.txt", "abc"},
		{"empty", ""},
	}
)

func TestRoundTrip(t *testing.T) {
	b := writeBag(t, "app-2026-0001", testInfo, testFiles)
	es := readEntries(t, b)

	var names []string
	for _, e := range es {
		names = append(names, e.hdr.Name)
	}
	wantNames := []string{
		"app-2026-0001/",
		"app-2026-0001/data/",
		"app-2026-0001/data/原件/",
		"app-2026-0001/data/原件/营业执照.txt",
		"app-2026-0001/data/a.txt",
		"app-2026-0001/data/empty",
		"app-2026-0001/bagit.txt",
		"app-2026-0001/bag-info.txt",
		"app-2026-0001/manifest-sha256.txt",
		"app-2026-0001/tagmanifest-sha256.txt",
	}
	if got, want := strings.Join(names, "\n"), strings.Join(wantNames, "\n"); got != want {
		t.Errorf("tar entries:\n%s\nwant:\n%s", got, want)
	}

	// Digests from sha256sum(1), not from this package.
	wantFiles := map[string]string{
		"bagit.txt":    "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
		"bag-info.txt": "Source-Organization: 某市市场监督管理局\nBagging-Date: 2026-12-01\nPayload-Oxum: 16.3\n",
		"manifest-sha256.txt": sumABC + "  data/a.txt\n" +
			sumEmpty + "  data/empty\n" +
			sumLic + "  data/原件/营业执照.txt\n",
	}
	for name, want := range wantFiles {
		if got := bodyOf(t, es, "app-2026-0001/"+name); got != want {
			t.Errorf("%s:\n%s\nwant:\n%s", name, got, want)
		}
	}
	wantTag := sum(wantFiles["bag-info.txt"]) + "  bag-info.txt\n" +
		sum(wantFiles["bagit.txt"]) + "  bagit.txt\n" +
		sum(wantFiles["manifest-sha256.txt"]) + "  manifest-sha256.txt\n"
	if got := bodyOf(t, es, "app-2026-0001/tagmanifest-sha256.txt"); got != wantTag {
		t.Errorf("tagmanifest-sha256.txt:\n%s\nwant:\n%s", got, wantTag)
	}
	if got := es[find(es, "app-2026-0001/data/a.txt")].hdr.ModTime; !got.Equal(modTime) {
		t.Errorf("data/a.txt mtime %v; want %v", got, modTime)
	}

	rep, err := Validate(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Valid() {
		t.Errorf("Validate: %v; want valid", rep.Problems)
	}
	if rep.Name != "app-2026-0001" || rep.PayloadOctets != 16 || rep.PayloadFiles != 3 {
		t.Errorf("Validate: name %q, payload %d.%d; want app-2026-0001, 16.3", rep.Name, rep.PayloadOctets, rep.PayloadFiles)
	}
}

func TestBaggingDateDefault(t *testing.T) {
	before := time.Now().Format(time.DateOnly)
	es := readEntries(t, writeBag(t, "b", nil, nil))
	after := time.Now().Format(time.DateOnly)
	got := bodyOf(t, es, "b/bag-info.txt")
	if got != "Bagging-Date: "+before+"\nPayload-Oxum: 0.0\n" && got != "Bagging-Date: "+after+"\nPayload-Oxum: 0.0\n" {
		t.Errorf("bag-info.txt of an empty bag:\n%s", got)
	}
	if got := bodyOf(t, es, "b/manifest-sha256.txt"); got != "" {
		t.Errorf("manifest of an empty bag: %q; want empty", got)
	}
	if find(es, "b/data/") < 0 {
		t.Errorf("empty bag has no data/ entry")
	}
}

func TestEmptyBagIsValid(t *testing.T) {
	rep, err := Validate(bytes.NewReader(writeBag(t, "b", nil, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Valid() {
		t.Errorf("empty bag: %v; want valid", rep.Problems)
	}
}

func TestManifestPathEncoding(t *testing.T) {
	files := []file{{"a%b\nc\rd", "abc"}, {"%0A", ""}}
	b := writeBag(t, "b", nil, files)
	got := bodyOf(t, readEntries(t, b), "b/manifest-sha256.txt")
	want := sumEmpty + "  data/%250A\n" + sumABC + "  data/a%25b%0Ac%0Dd\n"
	if got != want {
		t.Errorf("manifest:\n%q\nwant:\n%q", got, want)
	}
	rep, err := Validate(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Valid() {
		t.Errorf("Validate: %v; want valid", rep.Problems)
	}
}

func TestAddRefuses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		first string // added before, successfully
		path  string
		size  int64
		body  string
	}{
		{name: "empty", path: ""},
		{name: "absolute", path: "/etc/passwd"},
		{name: "dotdot", path: "../x"},
		{name: "inner dotdot", path: "a/../../x"},
		{name: "dot", path: "./a"},
		{name: "trailing slash", path: "a/"},
		{name: "empty segment", path: "a//b"},
		{name: "backslash", path: `a\b`},
		{name: "NUL", path: "a\x00b"},
		{name: "invalid UTF-8", path: "a\xffb"},
		{name: "negative size", path: "a", size: -1},
		{name: "duplicate", first: "a", path: "a"},
		{name: "file under a file", first: "a", path: "a/b"},
		{name: "file over a directory", first: "a/b", path: "a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := NewWriter(io.Discard, "b", nil)
			if tc.first != "" {
				if err := w.Add(tc.first, 0, modTime, strings.NewReader("")); err != nil {
					t.Fatalf("Add(%q): %v", tc.first, err)
				}
			}
			if err := w.Add(tc.path, tc.size, modTime, strings.NewReader(tc.body)); err == nil {
				t.Errorf("Add(%q) succeeded; want an error", tc.path)
			}
			// A refused path leaves the Writer usable.
			if err := w.Add("ok", 0, modTime, strings.NewReader("")); err != nil {
				t.Errorf("Add after refused path: %v", err)
			}
			if err := w.Close(); err != nil {
				t.Errorf("Close after refused path: %v", err)
			}
		})
	}
}

func TestAddSizeMismatch(t *testing.T) {
	for _, tc := range []struct {
		body string
		size int64
	}{{"ab", 3}, {"abcd", 3}} {
		t.Run(fmt.Sprintf("%d of %d", len(tc.body), tc.size), func(t *testing.T) {
			w := NewWriter(io.Discard, "b", nil)
			if err := w.Add("a", tc.size, modTime, strings.NewReader(tc.body)); err == nil {
				t.Fatalf("Add of %d bytes with size %d succeeded", len(tc.body), tc.size)
			}
			if err := w.Close(); err == nil {
				t.Errorf("Close after a failed copy succeeded; want the sticky error")
			}
		})
	}
}

func TestNewWriterRefuses(t *testing.T) {
	for _, tc := range []struct {
		name    string
		bagName string
		info    []Tag
	}{
		{"bag name with slash", "a/b", nil},
		{"bag name dotdot", "..", nil},
		{"empty bag name", "", nil},
		{"newline in value", "b", []Tag{{"External-Description", "line one\nline two"}}},
		{"CR in value", "b", []Tag{{"External-Description", "a\rb"}}},
		{"colon in label", "b", []Tag{{"Source:Organization", "x"}}},
		{"empty label", "b", []Tag{{"", "x"}}},
		{"leading space in value", "b", []Tag{{"Contact-Name", " x"}}},
		{"Payload-Oxum given", "b", []Tag{{"Payload-Oxum", "1.1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := NewWriter(io.Discard, tc.bagName, tc.info)
			if err := w.Add("a", 0, modTime, strings.NewReader("")); err == nil {
				t.Errorf("Add succeeded; want the writer's error")
			}
			if err := w.Close(); err == nil {
				t.Errorf("Close succeeded; want the writer's error")
			}
		})
	}
}

func TestFoldTag(t *testing.T) {
	long := strings.Repeat("申报材料 archived under retention ", 8) + "end"
	for _, tc := range []struct {
		name  string
		tag   Tag
		lines int
	}{
		{"short", Tag{"Contact-Name", "张三"}, 1},
		{"exactly 79", Tag{"L", strings.Repeat("x", 76)}, 1},
		{"80 without spaces", Tag{"L", strings.Repeat("x", 77)}, 1},
		{"long with spaces", Tag{"External-Description", long}, 4},
		{"double spaces", Tag{"External-Description", strings.Repeat("word  ", 30) + "x"}, 3},
		{"tabs", Tag{"External-Description", strings.Repeat("word\t", 30) + "x"}, 3},
		{"chinese without spaces", Tag{"External-Description", strings.Repeat("营业执照", 40)}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := checkTag(tc.tag); err != nil {
				t.Fatal(err)
			}
			out := formatTag(tc.tag)
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != tc.lines {
				t.Errorf("%d lines; want %d:\n%s", len(lines), tc.lines, out)
			}
			for i, l := range lines {
				rest := l[1:] // whitespace after the first character is a fold point
				if i == 0 {
					rest = l[len(tc.tag.Label)+2:]
				}
				if n := len([]rune(l)); n > maxLine && strings.ContainsAny(rest, " \t") {
					t.Errorf("line %d has %d characters and could be folded: %q", i, n, l)
				}
				if i > 0 && !isWS(l[0]) {
					t.Errorf("continuation line %d does not start with whitespace: %q", i, l)
				}
				if strings.TrimSpace(l) == "" {
					t.Errorf("line %d is blank", i)
				}
			}
			tags, err := parseTags([]byte(out))
			if err != nil {
				t.Fatal(err)
			}
			if len(tags) != 1 || tags[0] != tc.tag {
				t.Errorf("parsed back %q; want %q", tags, tc.tag)
			}
		})
	}
}

func TestParseTagsLineEndings(t *testing.T) {
	in := "A: 1\r\nB: two\r\n  three\rC:4\n\n"
	got, err := parseTags([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Tag{{"A", "1"}, {"B", "two  three"}, {"C", "4"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("parseTags(%q) = %q; want %q", in, got, want)
	}
	if _, err := parseTags([]byte("A: 1\nno colon\n")); err == nil {
		t.Errorf("parseTags accepted a line without colon")
	}
}

func TestScanLinesCRAtBufferEnd(t *testing.T) {
	// Read one byte at a time, a CR ends one read and its LF starts the next;
	// together they are one line break, not two.
	sc := bufio.NewScanner(iotest.OneByteReader(strings.NewReader("a\r\nb\rc\n\nd")))
	sc.Split(scanLines)
	var got []string
	for sc.Scan() {
		got = append(got, sc.Text())
	}
	if want := []string{"a", "b", "c", "", "d"}; !slices.Equal(got, want) {
		t.Errorf("lines %q; want %q", got, want)
	}
}
