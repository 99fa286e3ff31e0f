package bagit

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

// retag rewrites the bag's tagmanifest-sha256.txt to match its tag files, so
// that a tampering case shows only the problem it is about.
func retag(t *testing.T, es []entry) []entry {
	t.Helper()
	var b strings.Builder
	for _, name := range []string{"bag-info.txt", "bagit.txt", "manifest-sha256.txt"} {
		if i := find(es, "b/"+name); i >= 0 {
			fmt.Fprintf(&b, "%s  %s\n", sum(string(es[i].body)), name)
		}
	}
	es[find(es, "b/tagmanifest-sha256.txt")].body = []byte(b.String())
	return es
}

func edit(t *testing.T, es []entry, name string, f func(string) string) []entry {
	t.Helper()
	i := find(es, name)
	if i < 0 {
		t.Fatalf("no entry %s", name)
	}
	before := string(es[i].body)
	after := f(before)
	if after == before {
		t.Fatalf("edit of %s changed nothing", name)
	}
	es[i].body = []byte(after)
	return es
}

func remove(t *testing.T, es []entry, name string) []entry {
	t.Helper()
	i := find(es, name)
	if i < 0 {
		t.Fatalf("no entry %s", name)
	}
	return slices.Delete(es, i, i+1)
}

func TestValidateDetects(t *testing.T) {
	type pc struct{ Path, Check string }
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, es []entry) []entry
		want   []pc // sorted by Path, then Check
	}{
		{"untouched", func(t *testing.T, es []entry) []entry { return es }, nil},
		{"tag files first", func(t *testing.T, es []entry) []entry {
			slices.Reverse(es)
			return es
		}, nil},
		{"no tag manifest", func(t *testing.T, es []entry) []entry {
			return remove(t, es, "b/tagmanifest-sha256.txt")
		}, nil},
		{"no directory entries", func(t *testing.T, es []entry) []entry {
			return slices.DeleteFunc(es, func(e entry) bool { return e.hdr.Typeflag == tar.TypeDir })
		}, nil},
		{"entries prefixed ./", func(t *testing.T, es []entry) []entry {
			for i := range es {
				es[i].hdr.Name = "./" + es[i].hdr.Name
			}
			return es
		}, nil},
		{"payload byte flipped", func(t *testing.T, es []entry) []entry {
			return edit(t, es, "b/data/a.txt", func(s string) string { return "abd" })
		}, []pc{{"data/a.txt", CheckChecksum}}},
		{"Chinese payload byte flipped", func(t *testing.T, es []entry) []entry {
			i := find(es, "b/data/原件/营业执照.txt")
			es[i].body[0] ^= 1
			return es
		}, []pc{{"data/原件/营业执照.txt", CheckChecksum}}},
		{"payload removed", func(t *testing.T, es []entry) []entry {
			return remove(t, es, "b/data/empty")
		}, []pc{{"bag-info.txt", CheckOxum}, {"data/empty", CheckMissing}}},
		{"extra payload", func(t *testing.T, es []entry) []entry {
			extra := es[find(es, "b/data/a.txt")]
			extra.hdr.Name = "b/data/extra.txt"
			return append(es, extra)
		}, []pc{{"bag-info.txt", CheckOxum}, {"data/extra.txt", CheckExtra}}},
		{"extra empty payload after tag files", func(t *testing.T, es []entry) []entry {
			extra := es[find(es, "b/data/empty")]
			extra.hdr.Name = "b/data/sub/.DS_Store"
			return append(es, extra)
		}, []pc{{"bag-info.txt", CheckOxum}, {"data/sub/.DS_Store", CheckExtra}}},
		{"manifest digest edited", func(t *testing.T, es []entry) []entry {
			return edit(t, es, "b/manifest-sha256.txt", func(s string) string {
				return strings.Replace(s, sumABC, sumEmpty, 1)
			})
		}, []pc{{"data/a.txt", CheckChecksum}, {"manifest-sha256.txt", CheckTagManifest}}},
		{"manifest digest edited, tag manifest redone", func(t *testing.T, es []entry) []entry {
			return retag(t, edit(t, es, "b/manifest-sha256.txt", func(s string) string {
				return strings.Replace(s, sumABC, sumEmpty, 1)
			}))
		}, []pc{{"data/a.txt", CheckChecksum}}},
		{"manifest path edited, tag manifest redone", func(t *testing.T, es []entry) []entry {
			return retag(t, edit(t, es, "b/manifest-sha256.txt", func(s string) string {
				return strings.Replace(s, "data/a.txt", "data/b.txt", 1)
			}))
		}, []pc{{"data/a.txt", CheckExtra}, {"data/b.txt", CheckMissing}}},
		{"manifest line removed, tag manifest redone", func(t *testing.T, es []entry) []entry {
			return retag(t, edit(t, es, "b/manifest-sha256.txt", func(s string) string {
				return strings.Replace(s, sumEmpty+"  data/empty\n", "", 1)
			}))
		}, []pc{{"data/empty", CheckExtra}}},
		{"manifest with one space, upper case and CRLF", func(t *testing.T, es []entry) []entry {
			return retag(t, edit(t, es, "b/manifest-sha256.txt", func(s string) string {
				s = strings.ReplaceAll(s, "  ", " ")
				s = strings.ReplaceAll(s, "\n", "\r\n")
				return strings.ToUpper(s[:64]) + s[64:]
			}))
		}, nil},
		{"manifest line malformed", func(t *testing.T, es []entry) []entry {
			return retag(t, edit(t, es, "b/manifest-sha256.txt", func(s string) string {
				return strings.Replace(s, sumABC+"  ", "xyz  ", 1)
			}))
		}, []pc{{"data/a.txt", CheckExtra}, {"manifest-sha256.txt", CheckFormat}}},
		{"manifest lists a tag file", func(t *testing.T, es []entry) []entry {
			return retag(t, edit(t, es, "b/manifest-sha256.txt", func(s string) string {
				return s + sumEmpty + "  bagit.txt\n"
			}))
		}, []pc{{"manifest-sha256.txt", CheckFormat}}},
		{"manifest removed", func(t *testing.T, es []entry) []entry {
			return remove(t, es, "b/manifest-sha256.txt")
		}, []pc{{"manifest-sha256.txt", CheckFormat}, {"manifest-sha256.txt", CheckTagManifest}}},
		{"bag-info edited", func(t *testing.T, es []entry) []entry {
			return edit(t, es, "b/bag-info.txt", func(s string) string {
				return strings.Replace(s, "某市", "某县", 1)
			})
		}, []pc{{"bag-info.txt", CheckTagManifest}}},
		{"Payload-Oxum wrong", func(t *testing.T, es []entry) []entry {
			return edit(t, es, "b/bag-info.txt", func(s string) string {
				return strings.Replace(s, "Payload-Oxum: 16.3", "Payload-Oxum: 17.3", 1)
			})
		}, []pc{{"bag-info.txt", CheckOxum}, {"bag-info.txt", CheckTagManifest}}},
		{"Payload-Oxum wrong, tag manifest redone", func(t *testing.T, es []entry) []entry {
			return retag(t, edit(t, es, "b/bag-info.txt", func(s string) string {
				return strings.Replace(s, "Payload-Oxum: 16.3", "Payload-Oxum: 16.2", 1)
			}))
		}, []pc{{"bag-info.txt", CheckOxum}}},
		{"Payload-Oxum malformed, tag manifest redone", func(t *testing.T, es []entry) []entry {
			return retag(t, edit(t, es, "b/bag-info.txt", func(s string) string {
				return strings.Replace(s, "Payload-Oxum: 16.3", "Payload-Oxum: 16", 1)
			}))
		}, []pc{{"bag-info.txt", CheckFormat}}},
		{"bagit.txt removed", func(t *testing.T, es []entry) []entry {
			return remove(t, es, "b/bagit.txt")
		}, []pc{{"bagit.txt", CheckFormat}, {"bagit.txt", CheckTagManifest}}},
		{"BagIt-Version 0.97, tag manifest redone", func(t *testing.T, es []entry) []entry {
			return retag(t, edit(t, es, "b/bagit.txt", func(s string) string {
				return strings.Replace(s, "1.0", "0.97", 1)
			}))
		}, []pc{{"bagit.txt", CheckFormat}}},
		{"bagit.txt with BOM, tag manifest redone", func(t *testing.T, es []entry) []entry {
			return retag(t, edit(t, es, "b/bagit.txt", func(s string) string { return "\uFEFF" + s }))
		}, []pc{{"bagit.txt", CheckFormat}}},
		{"tag manifest lists an absent tag file", func(t *testing.T, es []entry) []entry {
			return edit(t, es, "b/tagmanifest-sha256.txt", func(s string) string {
				return s + sumEmpty + "  aip-info.txt\n"
			})
		}, []pc{{"aip-info.txt", CheckTagManifest}}},
		{"payload symlink", func(t *testing.T, es []entry) []entry {
			return append(es, entry{hdr: tar.Header{Typeflag: tar.TypeSymlink, Name: "b/data/link", Linkname: "a.txt"}})
		}, []pc{{"data/link", CheckFormat}}},
		{"payload duplicated in the stream", func(t *testing.T, es []entry) []entry {
			return append(es, es[find(es, "b/data/a.txt")])
		}, []pc{{"data/a.txt", CheckFormat}}},
		{"entry outside the bag", func(t *testing.T, es []entry) []entry {
			e := es[find(es, "b/data/a.txt")]
			e.hdr.Name = "other/data/a.txt"
			return append(es, e)
		}, []pc{{"other/data/a.txt", CheckFormat}}},
		{"no payload directory", func(t *testing.T, es []entry) []entry {
			es = slices.DeleteFunc(es, func(e entry) bool { return strings.HasPrefix(e.hdr.Name, "b/data/") })
			return retag(t, edit(t, edit(t, es, "b/manifest-sha256.txt", func(string) string { return "" }),
				"b/bag-info.txt", func(s string) string { return strings.Replace(s, "16.3", "0.0", 1) }))
		}, []pc{{"data", CheckFormat}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es := readEntries(t, writeBag(t, "b", testInfo, testFiles))
			b := writeEntries(t, tc.tamper(t, es))
			rep, err := Validate(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			var got []pc
			for _, p := range rep.Problems {
				got = append(got, pc{p.Path, p.Check})
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems %v; want %v\n%s", got, tc.want, problems(rep))
			}
			if rep.Valid() != (len(tc.want) == 0) {
				t.Errorf("Valid() = %v with problems %v", rep.Valid(), rep.Problems)
			}
		})
	}
}

func problems(r *Report) string {
	var b strings.Builder
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "\t%v\n", p)
	}
	return b.String()
}

func TestValidateUnreadable(t *testing.T) {
	bag := writeBag(t, "b", testInfo, testFiles)
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"not tar", bytes.Repeat([]byte("not a tar stream\n"), 64)},
		{"truncated in a file", bag[:512+100]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Validate(bytes.NewReader(tc.in))
			if err == nil {
				t.Errorf("Validate succeeded with %v; want an error", rep)
			}
		})
	}
	// An empty stream is a readable, invalid bag.
	rep, err := Validate(bytes.NewReader(nil))
	if err != nil {
		t.Fatalf("Validate(empty): %v", err)
	}
	if rep.Valid() {
		t.Errorf("Validate(empty) is valid")
	}
}

// TestValidateReaderError checks that a failing reader is an error, not a problem.
func TestValidateReaderError(t *testing.T) {
	bag := writeBag(t, "b", testInfo, testFiles)
	r := io.MultiReader(bytes.NewReader(bag[:2048]), errReader{})
	if _, err := Validate(r); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("Validate = %v; want the reader's error", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, fmt.Errorf("disk on fire") }
