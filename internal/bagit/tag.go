package bagit

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// A Tag is one metadata element of bag-info.txt (RFC 8493 §2.2.2), written as
// "Label: Value".
type Tag struct {
	Label, Value string
}

// maxLine is the line length, in characters, above which a tag is folded
// (RFC 8493 §2.2.2 recommends lines of at most 79 characters).
const maxLine = 79

// checkTag reports whether t can be written as a tag and read back unchanged:
// the label is non-empty UTF-8 without colon, CR or LF and without leading or
// trailing space or tab; the value is UTF-8 without CR or LF and without
// leading or trailing space or tab (readers strip them).
func checkTag(t Tag) error {
	switch {
	case t.Label == "":
		return fmt.Errorf("bagit: tag with empty label")
	case !utf8.ValidString(t.Label) || !utf8.ValidString(t.Value):
		return fmt.Errorf("bagit: tag %q: not valid UTF-8", t.Label)
	case strings.ContainsAny(t.Label, ":\r\n"):
		return fmt.Errorf("bagit: tag label %q contains a colon or line break", t.Label)
	case strings.Trim(t.Label, " \t") != t.Label:
		return fmt.Errorf("bagit: tag label %q has leading or trailing whitespace", t.Label)
	case strings.ContainsAny(t.Value, "\r\n"):
		return fmt.Errorf("bagit: tag %q: value contains a line break", t.Label)
	case strings.Trim(t.Value, " \t") != t.Value:
		return fmt.Errorf("bagit: tag %q: value has leading or trailing whitespace", t.Label)
	}
	return nil
}

// formatTag returns the tag's line(s), each ending in LF. A line longer than
// maxLine characters is folded before a space or tab of the value, so that
// removing every line break followed by whitespace restores "Label: Value".
// A value without whitespace stays on one line whatever its length.
func formatTag(t Tag) string {
	line := t.Label + ": " + t.Value
	if utf8.RuneCountInString(line) <= maxLine {
		return line + "\n"
	}
	// Tokens: the first runs up to the value's first whitespace; each later one
	// is a run of whitespace followed by a run of non-whitespace.
	prefix := len(t.Label) + 2
	var tokens []string
	start := 0
	v := t.Value
	for i := 1; i < len(v); i++ {
		if isWS(v[i]) && !isWS(v[i-1]) {
			tokens = append(tokens, v[start:i])
			start = i
		}
	}
	tokens = append(tokens, v[start:])
	var b strings.Builder
	cur := line[:prefix] + tokens[0]
	for _, tok := range tokens[1:] {
		if utf8.RuneCountInString(cur)+utf8.RuneCountInString(tok) > maxLine {
			b.WriteString(cur)
			b.WriteByte('\n')
			cur = tok
			continue
		}
		cur += tok
	}
	b.WriteString(cur)
	b.WriteByte('\n')
	return b.String()
}

func isWS(c byte) bool { return c == ' ' || c == '\t' }

// parseTags reads a tag file (bagit.txt, bag-info.txt): lines end in LF, CR or
// CRLF; a line starting with space or tab continues the previous value (the
// line break is removed); a value is stripped of surrounding whitespace; blank
// lines are skipped. A line that is neither a continuation nor contains a
// colon is an error.
func parseTags(b []byte) ([]Tag, error) {
	var tags []Tag
	var cur *Tag
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, len(b)+1)
	sc.Split(scanLines)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "":
			continue
		case isWS(line[0]):
			if cur == nil {
				return nil, fmt.Errorf("line %d: continuation without a tag", n)
			}
			cur.Value += line
		default:
			label, value, ok := strings.Cut(line, ":")
			if !ok {
				return nil, fmt.Errorf("line %d: no colon", n)
			}
			tags = append(tags, Tag{Label: strings.TrimSpace(label), Value: value})
			cur = &tags[len(tags)-1]
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for i := range tags {
		tags[i].Value = strings.TrimSpace(tags[i].Value)
	}
	return tags, nil
}

// scanLines is a bufio.SplitFunc for lines ending in LF, CR or CRLF
// (RFC 8493 §2.1.1 allows all three in tag files).
func scanLines(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if atEOF && len(data) == 0 {
		return 0, nil, nil
	}
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
		if data[i] == '\n' {
			return i + 1, data[:i], nil
		}
		if i+1 < len(data) {
			if data[i+1] == '\n' {
				return i + 2, data[:i], nil
			}
			return i + 1, data[:i], nil
		}
		if atEOF {
			return i + 1, data[:i], nil
		}
		return 0, nil, nil // a CR at the end of the buffer: wait for a possible LF
	}
	if atEOF {
		return len(data), data, nil
	}
	return 0, nil, nil
}
