package bagit

import (
	"archive/tar"
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// The checks a Problem can name.
const (
	CheckMissing     = "missing"     // a manifest lists a payload file the bag lacks
	CheckExtra       = "extra"       // a payload file is not in the manifest
	CheckChecksum    = "checksum"    // a payload file's SHA-256 differs from the manifest's
	CheckTagManifest = "tagmanifest" // a tag file listed in the tag manifest is absent or differs
	CheckOxum        = "oxum"        // Payload-Oxum differs from the payload's octets and file count
	CheckFormat      = "format"      // the bag's structure or a tag file's syntax is wrong
)

// A Problem is one way in which a bag fails validation.
type Problem struct {
	Path   string // relative to the bag's top directory ("data/a.pdf", "bagit.txt"); "" for the whole bag
	Check  string // one of the Check constants
	Detail string // human-readable, in English
}

func (p Problem) String() string { return p.Check + " " + p.Path + ": " + p.Detail }

// A Report is the result of validating one bag.
type Report struct {
	Name          string    // the bag's top directory in the tar stream
	PayloadOctets int64     // bytes in payload files read
	PayloadFiles  int       // payload files read
	Problems      []Problem // sorted by Path, then Check, then Detail
}

// Valid reports whether the bag passed every check.
func (r *Report) Valid() bool { return len(r.Problems) == 0 }

// Tag files are read whole for parsing up to this size; larger ones are a
// format problem. Manifests are parsed line by line and have no such limit.
const maxTagFile = 1 << 20

// maxManifestLine bounds one manifest line (a digest and a path).
const maxManifestLine = 64 << 10

type manifestLine struct {
	sum  string // lower-case hex
	line int
}

// Validate reads a bag serialized as a tar stream and checks it:
//
//   - all entries lie under one top directory, which holds a data/ directory;
//     payload entries are regular files or directories (format);
//   - bagit.txt is present, without byte-order mark, and is exactly the two
//     lines "BagIt-Version: 1.0" and "Tag-File-Character-Encoding: UTF-8"
//     (format);
//   - manifest-sha256.txt is present and well formed (format); every file it
//     lists is present (missing) with that SHA-256 (checksum); every payload
//     file is listed (extra);
//   - if tagmanifest-sha256.txt is present, every tag file it lists is
//     present with that SHA-256 (tagmanifest);
//   - if bag-info.txt has Payload-Oxum, it equals the payload's octets and
//     file count (oxum).
//
// Entries may come in any order. File contents are hashed as they stream past
// and never held; memory grows with the number of files, not their size.
//
// The error is non-nil only if the stream cannot be read as tar (then the
// Report is nil); every problem of the bag itself is in the Report.
func Validate(r io.Reader) (*Report, error) { return ValidateVisit(r, nil) }

// ValidateVisit is Validate that also hands each payload file to visit as it streams past: path is
// relative to the bag's top directory ("data/汇编.pdf"), r yields the file's bytes. visit may read
// as much of r as it likes; the rest is read for the digest after it returns. An error from visit
// stops the validation and is returned (the Report is then nil). visit nil is Validate.
func ValidateVisit(r io.Reader, visit func(path string, size int64, r io.Reader) error) (*Report, error) {
	v := validator{
		visit:    visit,
		payload:  make(map[string]int64),
		sums:     make(map[string]string),
		tagSums:  make(map[string]string),
		manifest: make(map[string]manifestLine),
		tagman:   make(map[string]manifestLine),
		seen:     make(map[string]bool),
	}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			return nil, fmt.Errorf("bagit: read tar: %w", err)
		}
		if err := v.entry(hdr, tr); err != nil {
			return nil, fmt.Errorf("bagit: read tar %s: %w", hdr.Name, err)
		}
	}
	v.check()
	rep := &v.report
	sort.Slice(rep.Problems, func(i, j int) bool {
		a, b := rep.Problems[i], rep.Problems[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Check != b.Check {
			return a.Check < b.Check
		}
		return a.Detail < b.Detail
	})
	return rep, nil
}

type validator struct {
	visit    func(path string, size int64, r io.Reader) error
	report   Report
	top      string           // the bag's top directory, set by the first entry
	hasData  bool             // a data/ directory or a payload file was seen
	payload  map[string]int64 // payload path ("data/…") → size
	sums     map[string]string
	tagSums  map[string]string // tag file path → hex SHA-256
	seen     map[string]bool   // regular files met, to catch duplicates
	bagit    []byte            // bagit.txt; nil if absent
	bagInfo  []byte            // bag-info.txt; nil if absent or too large
	manifest map[string]manifestLine
	tagman   map[string]manifestLine
	hasMan   bool
	hasTag   bool
}

func (v *validator) problem(path, check, format string, args ...any) {
	v.report.Problems = append(v.report.Problems, Problem{Path: path, Check: check, Detail: fmt.Sprintf(format, args...)})
}

// entry handles one tar entry. Its error is a read error of the stream.
func (v *validator) entry(hdr *tar.Header, tr *tar.Reader) error {
	switch hdr.Typeflag {
	case tar.TypeXGlobalHeader:
		return nil
	}
	name := strings.TrimPrefix(hdr.Name, "./")
	name = strings.TrimSuffix(name, "/")
	if name == "" || name == "." {
		return nil
	}
	top, rel, _ := strings.Cut(name, "/")
	if v.top == "" {
		v.top = top
		v.report.Name = top
	}
	if err := checkPath(name); err != nil {
		v.problem(hdr.Name, CheckFormat, "tar entry name: %v", err)
		return nil
	}
	if top != v.top {
		v.problem(hdr.Name, CheckFormat, "tar entry outside the bag directory %q", v.top)
		return nil
	}
	if rel == "" {
		if hdr.Typeflag != tar.TypeDir {
			v.problem("", CheckFormat, "bag top %q is not a directory", top)
		}
		return nil
	}
	isPayload := rel == "data" || strings.HasPrefix(rel, "data/")
	if isPayload {
		v.hasData = true
	}
	switch hdr.Typeflag {
	case tar.TypeDir:
		return nil
	case tar.TypeReg:
	default:
		v.problem(rel, CheckFormat, "tar entry of type %q is not a regular file or directory", hdr.Typeflag)
		return nil
	}
	if v.seen[rel] {
		v.problem(rel, CheckFormat, "file appears more than once in the tar stream")
		return nil
	}
	v.seen[rel] = true

	h := sha256.New()
	in := io.TeeReader(tr, h)
	if isPayload {
		if rel == "data" {
			v.problem(rel, CheckFormat, "data is a file, not a directory")
			return nil
		}
		var read int64
		if v.visit != nil {
			cr := &countingReader{r: in}
			if err := v.visit(rel, hdr.Size, cr); err != nil {
				return fmt.Errorf("visit %s: %w", rel, err)
			}
			read = cr.n
		}
		n, err := io.Copy(io.Discard, in)
		if err != nil {
			return err
		}
		n += read
		v.payload[rel] = n
		v.sums[rel] = hexSum(h)
		v.report.PayloadOctets += n
		v.report.PayloadFiles++
		return nil
	}

	switch rel {
	case "bagit.txt", "bag-info.txt":
		b, err := io.ReadAll(io.LimitReader(in, maxTagFile+1))
		if err != nil {
			return err
		}
		switch {
		case len(b) > maxTagFile:
			v.problem(rel, CheckFormat, "larger than %d bytes; not parsed", maxTagFile)
			if rel == "bagit.txt" {
				v.bagit = []byte{} // present, and reported
			}
		case rel == "bagit.txt":
			v.bagit = append([]byte{}, b...)
		default:
			v.bagInfo = append([]byte{}, b...)
		}
	case "manifest-sha256.txt":
		v.hasMan = true
		if err := v.parseManifest(rel, in, v.manifest, true); err != nil {
			return err
		}
	case "tagmanifest-sha256.txt":
		v.hasTag = true
		if err := v.parseManifest(rel, in, v.tagman, false); err != nil {
			return err
		}
	}
	if _, err := io.Copy(io.Discard, in); err != nil {
		return err
	}
	v.tagSums[rel] = hexSum(h)
	return nil
}

// parseManifest reads manifest lines "<hex> <whitespace> <path>" into m,
// recording format problems. Its error is a read error of the stream.
func (v *validator) parseManifest(name string, r io.Reader, m map[string]manifestLine, payload bool) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, maxManifestLine)
	sc.Split(scanLines)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		t := strings.IndexAny(line, " \t")
		if t < 0 || strings.TrimLeft(line[t:], " \t") == "" {
			v.problem(name, CheckFormat, "line %d: want a checksum, whitespace and a path", n)
			continue
		}
		sum, p := line[:t], strings.TrimLeft(line[t:], " \t")
		if len(sum) != 2*sha256.Size || strings.Trim(strings.ToLower(sum), "0123456789abcdef") != "" {
			v.problem(name, CheckFormat, "line %d: %q is not a SHA-256 hex digest", n, sum)
			continue
		}
		p = decodePath(p)
		if err := checkPath(p); err != nil {
			v.problem(name, CheckFormat, "line %d: path %q: %v", n, p, err)
			continue
		}
		inData := strings.HasPrefix(p, "data/")
		if payload && !inData {
			v.problem(name, CheckFormat, "line %d: path %q is not under data/", n, p)
			continue
		}
		if !payload && inData {
			v.problem(name, CheckFormat, "line %d: path %q is a payload file", n, p)
			continue
		}
		if prev, dup := m[p]; dup {
			v.problem(name, CheckFormat, "line %d: path %q already listed on line %d", n, p, prev.line)
			continue
		}
		m[p] = manifestLine{sum: strings.ToLower(sum), line: n}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			v.problem(name, CheckFormat, "line %d: longer than %d bytes; rest not read", n+1, maxManifestLine)
			return nil
		}
		return err
	}
	return nil
}

// check runs the checks that need the whole stream.
func (v *validator) check() {
	if v.top == "" {
		v.problem("", CheckFormat, "empty tar stream")
		return
	}
	if !v.hasData {
		v.problem("data", CheckFormat, "no payload directory data/")
	}
	v.checkDeclaration()

	if !v.hasMan {
		v.problem("manifest-sha256.txt", CheckFormat, "no SHA-256 payload manifest")
	} else {
		for p, want := range v.manifest {
			got, ok := v.sums[p]
			switch {
			case !ok:
				v.problem(p, CheckMissing, "listed in manifest-sha256.txt line %d but not in the bag", want.line)
			case got != want.sum:
				v.problem(p, CheckChecksum, "SHA-256 %s; manifest-sha256.txt line %d says %s", got, want.line, want.sum)
			}
		}
		for p := range v.payload {
			if _, ok := v.manifest[p]; !ok {
				v.problem(p, CheckExtra, "payload file not listed in manifest-sha256.txt")
			}
		}
	}

	for p, want := range v.tagman {
		got, ok := v.tagSums[p]
		switch {
		case !ok:
			v.problem(p, CheckTagManifest, "listed in tagmanifest-sha256.txt line %d but not in the bag", want.line)
		case got != want.sum:
			v.problem(p, CheckTagManifest, "SHA-256 %s; tagmanifest-sha256.txt line %d says %s", got, want.line, want.sum)
		}
	}

	v.checkOxum()
}

func (v *validator) checkDeclaration() {
	const name = "bagit.txt"
	if v.bagit == nil {
		v.problem(name, CheckFormat, "no bag declaration")
		return
	}
	if bytes.HasPrefix(v.bagit, []byte("\xEF\xBB\xBF")) {
		v.problem(name, CheckFormat, "starts with a byte-order mark")
		return
	}
	tags, err := parseTags(v.bagit)
	if err != nil {
		v.problem(name, CheckFormat, "%v", err)
		return
	}
	if len(tags) != 2 || tags[0].Label != "BagIt-Version" || tags[1].Label != "Tag-File-Character-Encoding" {
		v.problem(name, CheckFormat, "want exactly BagIt-Version and Tag-File-Character-Encoding, in that order")
		return
	}
	if tags[0].Value != "1.0" {
		v.problem(name, CheckFormat, "BagIt-Version %q; want 1.0", tags[0].Value)
	}
	if !strings.EqualFold(tags[1].Value, "UTF-8") {
		v.problem(name, CheckFormat, "Tag-File-Character-Encoding %q; want UTF-8", tags[1].Value)
	}
}

func (v *validator) checkOxum() {
	const name = "bag-info.txt"
	if v.bagInfo == nil {
		return
	}
	tags, err := parseTags(v.bagInfo)
	if err != nil {
		v.problem(name, CheckFormat, "%v", err)
		return
	}
	var oxum []string
	for _, t := range tags {
		if t.Label == "Payload-Oxum" {
			oxum = append(oxum, t.Value)
		}
	}
	switch len(oxum) {
	case 0:
		return
	case 1:
	default:
		v.problem(name, CheckFormat, "Payload-Oxum given %d times", len(oxum))
		return
	}
	octets, count, ok := strings.Cut(oxum[0], ".")
	o, err1 := strconv.ParseInt(octets, 10, 64)
	c, err2 := strconv.Atoi(count)
	if !ok || err1 != nil || err2 != nil || o < 0 || c < 0 {
		v.problem(name, CheckFormat, "Payload-Oxum %q is not <octets>.<count>", oxum[0])
		return
	}
	if o != v.report.PayloadOctets || c != v.report.PayloadFiles {
		v.problem(name, CheckOxum, "Payload-Oxum %s; payload has %d.%d", oxum[0], v.report.PayloadOctets, v.report.PayloadFiles)
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
