package bagit

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// checkPath reports whether p is an acceptable slash-separated relative path
// inside a bag: non-empty valid UTF-8, not absolute, no empty, "." or ".."
// segment, no NUL and no backslash (a separator on Windows). CR, LF and
// non-ASCII characters are allowed.
func checkPath(p string) error {
	switch {
	case p == "":
		return errors.New("empty path")
	case !utf8.ValidString(p):
		return errors.New("not valid UTF-8")
	case strings.HasPrefix(p, "/"):
		return errors.New("absolute path")
	case strings.ContainsAny(p, "\x00\\"):
		return errors.New("contains NUL or backslash")
	}
	for seg := range strings.SplitSeq(p, "/") {
		switch seg {
		case "":
			return errors.New("empty path segment")
		case ".", "..":
			return fmt.Errorf("%q segment", seg)
		}
	}
	return nil
}

var (
	manifestEncoder = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	manifestDecoder = strings.NewReplacer(
		"%25", "%", "%0D", "\r", "%0A", "\n", "%0d", "\r", "%0a", "\n")
)

// encodePath writes a path as it appears in a manifest (RFC 8493 §2.1.3):
// CR, LF and % percent-encoded, everything else as is.
func encodePath(p string) string { return manifestEncoder.Replace(p) }

// decodePath undoes encodePath. Other %XX sequences are left as they are, as
// RFC 8493 §2.1.3 defines no others.
func decodePath(p string) string { return manifestDecoder.Replace(p) }
