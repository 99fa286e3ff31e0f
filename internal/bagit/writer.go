package bagit

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"sort"
	"strings"
	"time"
)

// A Writer writes one bag as a tar stream, payload first and tag files on
// Close. It holds only the payload paths and their digests in memory; file
// contents are copied once from the caller's reader to the tar stream.
//
// A Writer is not safe for concurrent use. After any error from Add or Close
// the tar stream is unusable, and every later call returns that error.
type Writer struct {
	tw    *tar.Writer
	name  string
	info  []Tag
	now   time.Time
	err   error // sticky
	begun bool  // name/ and name/data/ written

	files  map[string]string // payload path → hex SHA-256
	dirs   map[string]bool   // payload directories written, "a", "a/b"
	octets int64
	closed bool
}

// NewWriter returns a Writer of a bag named name (the tar stream's top
// directory) to w, with info as the leading tags of bag-info.txt. The name
// must be a single path segment (see Add for what a segment may hold). info
// must not contain Payload-Oxum, which Close computes; if it contains
// Bagging-Date that value is kept, otherwise Close adds today's date. Each
// tag must have a non-empty label without colon or line break and a value
// without line break, neither with leading or trailing whitespace.
//
// NewWriter writes nothing; a bad name or tag is returned by the first Add or
// Close. Close does not close w.
func NewWriter(w io.Writer, name string, info []Tag) *Writer {
	bw := &Writer{
		tw:    tar.NewWriter(w),
		name:  name,
		info:  append([]Tag(nil), info...),
		now:   time.Now(),
		files: make(map[string]string),
		dirs:  make(map[string]bool),
	}
	if err := checkPath(name); err != nil || strings.Contains(name, "/") {
		if err == nil {
			err = errors.New("more than one segment")
		}
		bw.err = fmt.Errorf("bagit: bag name %q: %w", name, err)
		return bw
	}
	for _, t := range info {
		if err := checkTag(t); err != nil {
			bw.err = err
			return bw
		}
		if strings.EqualFold(t.Label, "Payload-Oxum") {
			bw.err = errors.New("bagit: Payload-Oxum is computed by the writer, not given")
			return bw
		}
	}
	return bw
}

// Add writes a payload file data/<p> of size bytes read from r, computing its
// SHA-256 as it copies. p is slash-separated and relative: no empty, "." or
// ".." segments, no leading slash, no NUL or backslash, valid UTF-8 (CR, LF,
// % and non-ASCII characters are allowed and encoded in the manifest per
// RFC 8493 §2.1.3). A path added twice, or a path that is both a file and a
// directory ("a" and "a/b"), is refused.
//
// r must yield exactly size bytes: fewer, or more, is an error that leaves
// the stream unusable. A zero modTime is replaced by the Writer's creation
// time. Path errors leave the Writer usable.
func (w *Writer) Add(p string, size int64, modTime time.Time, r io.Reader) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("bagit: Add after Close")
	}
	if err := checkPath(p); err != nil {
		return fmt.Errorf("bagit: payload path %q: %w", p, err)
	}
	if size < 0 {
		return fmt.Errorf("bagit: payload %q: negative size %d", p, size)
	}
	if _, dup := w.files[p]; dup {
		return fmt.Errorf("bagit: payload %q added twice", p)
	}
	if w.dirs[p] {
		return fmt.Errorf("bagit: payload %q is already a directory", p)
	}
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if _, isFile := w.files[d]; isFile {
			return fmt.Errorf("bagit: payload %q: %q is already a file", p, d)
		}
	}
	if modTime.IsZero() {
		modTime = w.now
	}
	if err := w.begin(); err != nil {
		return err
	}
	if err := w.mkdirs(path.Dir(p)); err != nil {
		return err
	}
	sum, err := w.writeFile("data/"+p, size, modTime, r)
	if err != nil {
		w.err = fmt.Errorf("bagit: payload %q: %w", p, err)
		return w.err
	}
	w.files[p] = sum
	w.octets += size
	return nil
}

// Close writes bagit.txt, bag-info.txt, manifest-sha256.txt and
// tagmanifest-sha256.txt, in that order, and closes the tar stream (but not
// the underlying writer). A bag without payload files is valid: it has an
// empty data/ directory and Payload-Oxum "0.0".
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("bagit: Close called twice")
	}
	w.closed = true
	if err := w.begin(); err != nil {
		return err
	}

	var info strings.Builder
	dated := false
	for _, t := range w.info {
		dated = dated || strings.EqualFold(t.Label, "Bagging-Date")
		info.WriteString(formatTag(t))
	}
	if !dated {
		info.WriteString(formatTag(Tag{"Bagging-Date", w.now.Format(time.DateOnly)}))
	}
	info.WriteString(formatTag(Tag{"Payload-Oxum", fmt.Sprintf("%d.%d", w.octets, len(w.files))}))

	paths := make([]string, 0, len(w.files))
	for p := range w.files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var manifest strings.Builder
	for _, p := range paths {
		fmt.Fprintf(&manifest, "%s  %s\n", w.files[p], encodePath("data/"+p))
	}

	tags := []struct{ name, body string }{
		{"bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"},
		{"bag-info.txt", info.String()},
		{"manifest-sha256.txt", manifest.String()},
	}
	sums := make(map[string]string)
	for _, t := range tags {
		sum, err := w.writeFile(t.name, int64(len(t.body)), w.now, strings.NewReader(t.body))
		if err != nil {
			w.err = fmt.Errorf("bagit: %s: %w", t.name, err)
			return w.err
		}
		sums[t.name] = sum
	}
	var tagmanifest strings.Builder
	for _, name := range []string{"bag-info.txt", "bagit.txt", "manifest-sha256.txt"} {
		fmt.Fprintf(&tagmanifest, "%s  %s\n", sums[name], name)
	}
	body := tagmanifest.String()
	if _, err := w.writeFile("tagmanifest-sha256.txt", int64(len(body)), w.now, strings.NewReader(body)); err != nil {
		w.err = fmt.Errorf("bagit: tagmanifest-sha256.txt: %w", err)
		return w.err
	}
	if err := w.tw.Close(); err != nil {
		w.err = fmt.Errorf("bagit: close tar: %w", err)
		return w.err
	}
	return nil
}

// begin writes the bag's top directory and data/ once.
func (w *Writer) begin() error {
	if w.begun {
		return nil
	}
	w.begun = true
	for _, d := range []string{w.name + "/", w.name + "/data/"} {
		if err := w.writeDir(d); err != nil {
			return err
		}
	}
	return nil
}

// mkdirs writes tar entries for the payload directory d and its parents that
// are not yet written ("." is data/ itself).
func (w *Writer) mkdirs(d string) error {
	if d == "." || w.dirs[d] {
		return nil
	}
	if err := w.mkdirs(path.Dir(d)); err != nil {
		return err
	}
	w.dirs[d] = true
	return w.writeDir(w.name + "/data/" + d + "/")
}

func (w *Writer) writeDir(name string) error {
	err := w.tw.WriteHeader(&tar.Header{
		Typeflag: tar.TypeDir,
		Name:     name,
		Mode:     0o755,
		ModTime:  w.now,
	})
	if err != nil {
		w.err = fmt.Errorf("bagit: write %s: %w", name, err)
	}
	return w.err
}

// writeFile writes the regular file name (relative to the bag) with exactly
// size bytes from r and returns their hex SHA-256.
func (w *Writer) writeFile(name string, size int64, modTime time.Time, r io.Reader) (string, error) {
	err := w.tw.WriteHeader(&tar.Header{
		Typeflag: tar.TypeReg,
		Name:     w.name + "/" + name,
		Size:     size,
		Mode:     0o644,
		ModTime:  modTime,
	})
	if err != nil {
		return "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w.tw, h), io.LimitReader(r, size))
	if err != nil {
		return "", err
	}
	if n != size {
		return "", fmt.Errorf("reader gave %d bytes, want %d", n, size)
	}
	if more, _ := r.Read(make([]byte, 1)); more > 0 {
		return "", fmt.Errorf("reader gave more than %d bytes", size)
	}
	return hexSum(h), nil
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }
