package compile

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/font"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// DefaultFontPaths are the CJK TrueType fonts tried, in order, when Options.FontPath is empty.
// Of a .ttc collection the first member is installed and used. A font must have
// glyphs for both Chinese and ASCII (file names, SHA-256): DroidSansFallbackFull.ttf has no Latin
// glyphs, so it is refused (see hasGlyphs) and only listed for machines whose other fonts fail.
var DefaultFontPaths = []string{
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/truetype/arphic/uming.ttc",
	"/usr/share/fonts/truetype/arphic/ukai.ttc",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/System/Library/Fonts/STHeiti Light.ttc",
	`C:\Windows\Fonts\simsun.ttc`,
}

// ErrNoFont is returned when no CJK font could be found or installed.
var ErrNoFont = errors.New("compile: no CJK TrueType font found")

var (
	fontMu    sync.Mutex
	fontNames = map[string]string{} // font file → PostScript name installed in pdfcpu's user font dir
	fontErrs  = map[string]error{}  // font file → why it could not be installed
)

// cjkFont installs the font at path (or the first of DefaultFontPaths that exists) into pdfcpu's
// user font directory, once per process, and returns the name pdfcpu knows it by.
//
// pdfcpu keeps user fonts in one process-wide directory (font.UserFontDir, normally its config
// directory ~/.config/pdfcpu/fonts); when that is disabled a directory under os.TempDir is used.
func cjkFont(path string) (name string, err error) {
	fontMu.Lock()
	defer fontMu.Unlock()
	candidates := []string{path}
	if path == "" {
		candidates = DefaultFontPaths
	}
	var tried []string
	for _, p := range candidates {
		if n, ok := fontNames[p]; ok {
			return n, nil
		}
		if _, err := os.Stat(p); err != nil {
			tried = append(tried, p)
			continue
		}
		if err, ok := fontErrs[p]; ok {
			tried = append(tried, p+" ("+err.Error()+")")
			continue
		}
		n, err := installFont(p)
		if err != nil {
			if path != "" {
				return "", fmt.Errorf("%w: %s: %v", ErrNoFont, p, err)
			}
			fontErrs[p] = err // not tried again: an install reads the whole font
			tried = append(tried, p+" ("+err.Error()+")")
			continue
		}
		fontNames[p] = n
		return n, nil
	}
	return "", fmt.Errorf("%w (tried %s; set Options.FontPath to a .ttf or .ttc with Chinese glyphs)", ErrNoFont, strings.Join(tried, ", "))
}

func installFont(p string) (name string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pdfcpu: %v", r)
		}
	}()
	// Let pdfcpu set up its configuration (and with it font.UserFontDir) before we look at it, so
	// that a later first call elsewhere does not move the directory from under us.
	_ = model.NewDefaultConfiguration()
	if font.UserFontDir == "" {
		dir := filepath.Join(os.TempDir(), "shenbao-pdfcpu-fonts")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
		font.UserFontDir = dir
	}
	var rep font.InstallReport
	switch strings.ToLower(filepath.Ext(p)) {
	case ".ttf":
		rep, err = font.InstallTrueTypeFontResult(font.UserFontDir, p)
	case ".ttc":
		// Only the first member is used, and pdfcpu refuses a whole collection for a fault in any
		// member (Debian's wqy-microhei.ttc has one in its third), so the first is taken out and
		// installed alone.
		var dir string
		if dir, err = os.MkdirTemp("", "shenbao-font-*"); err != nil {
			return "", err
		}
		defer os.RemoveAll(dir)
		base := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
		ttf := filepath.Join(dir, base+".ttf")
		if err = firstFontOfCollection(p, ttf); err != nil {
			return "", err
		}
		rep, err = font.InstallTrueTypeFontResult(font.UserFontDir, ttf)
	default:
		return "", fmt.Errorf("not a .ttf or .ttc file")
	}
	if err != nil {
		return "", err
	}
	if len(rep.Fonts) == 0 || rep.Fonts[0].PostScriptName == "" {
		return "", fmt.Errorf("no font in file")
	}
	if err := font.ReloadUserFonts(); err != nil {
		return "", err
	}
	name = rep.Fonts[0].PostScriptName
	ttf, ok, err := font.UserFont(name)
	if err != nil || !ok {
		return "", fmt.Errorf("installed as %s but not loaded: %v", name, err)
	}
	for _, r := range "中申报0aA-" {
		if _, ok := ttf.Chars[uint32(r)]; !ok {
			return "", fmt.Errorf("font %s has no glyph for %q", name, r)
		}
	}
	return name, nil
}

// cjkFace is an installed CJK font, ready to set the cover's text.
type cjkFace struct {
	name string // pdfcpu's name for it (its PostScript name)
	ttf  font.TTFLight
}

// loadFace loads the metrics of the installed font name (a copy: about a megabyte for a CJK font,
// held for one build).
func loadFace(name string) (*cjkFace, error) {
	ttf, ok, err := font.UserFont(name)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", name, err)
	}
	if !ok {
		return nil, fmt.Errorf("%w: %s is not installed", ErrNoFont, name)
	}
	return &cjkFace{name: name, ttf: ttf}, nil
}

// glyphEncoder turns text into the font's glyph IDs (two bytes each, for Identity-H) and keeps
// the glyphs used with the character each stands for.
type glyphEncoder struct {
	f    *cjkFace
	used map[uint16]rune
}

func (f *cjkFace) encoder() *glyphEncoder {
	return &glyphEncoder{f: f, used: map[uint16]rune{}}
}

// encode is s in glyph IDs; a character the font has no glyph for is left out.
func (e *glyphEncoder) encode(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s {
		gid, ok := e.f.ttf.Chars[uint32(r)]
		if !ok || int(gid) >= len(e.f.ttf.GlyphWidths) {
			continue
		}
		if _, seen := e.used[gid]; !seen {
			e.used[gid] = r
		}
		b = append(b, byte(gid>>8), byte(gid))
	}
	return b
}

// write writes the font as object nr: a Type0 font (Identity-H) over a CIDFontType2 whose font
// program is the subset of the glyphs e used, with their widths and a ToUnicode map so that the
// text can be searched and copied.
func (f *cjkFace) write(pw *pdfWriter, nr int, e *glyphEncoder) error {
	gids := make([]int, 0, len(e.used)+1)
	used := map[uint16]bool{0: true} // .notdef
	for g := range e.used {
		gids = append(gids, int(g))
		used[g] = true
	}
	sort.Ints(gids)
	program, err := font.Subset(f.name, used)
	if err != nil {
		return fmt.Errorf("font %s: %w", f.name, err)
	}

	// The subset's tag (six capital letters) is derived from the glyphs it has.
	sum := sha256.New()
	for _, g := range gids {
		sum.Write([]byte{byte(g >> 8), byte(g)})
	}
	tag := make([]byte, 6)
	for i, c := range sum.Sum(nil)[:6] {
		tag[i] = 'A' + c%26
	}
	baseFont := string(tag) + "+" + f.name

	widths := types.Array{}
	for _, g := range gids {
		widths = append(widths, types.Integer(g), types.Array{types.Integer(f.ttf.GlyphWidths[g])})
	}
	cid, desc, file, toUni := pw.alloc(), pw.alloc(), pw.alloc(), pw.alloc()
	pw.object(nr, types.Dict{
		"Type":            types.Name("Font"),
		"Subtype":         types.Name("Type0"),
		"BaseFont":        types.Name(baseFont),
		"Encoding":        types.Name("Identity-H"),
		"DescendantFonts": types.Array{ref(cid)},
		"ToUnicode":       ref(toUni),
	})
	pw.object(cid, types.Dict{
		"Type":     types.Name("Font"),
		"Subtype":  types.Name("CIDFontType2"),
		"BaseFont": types.Name(baseFont),
		"CIDSystemInfo": types.Dict{
			"Registry":   types.StringLiteral("Adobe"),
			"Ordering":   types.StringLiteral("Identity"),
			"Supplement": types.Integer(0),
		},
		"FontDescriptor": ref(desc),
		"CIDToGIDMap":    types.Name("Identity"),
		"W":              widths,
	})
	flags := 0x20 // nonsymbolic
	if f.ttf.FixedPitch {
		flags |= 0x01
	}
	pw.object(desc, types.Dict{
		"Type":        types.Name("FontDescriptor"),
		"FontName":    types.Name(baseFont),
		"Flags":       types.Integer(flags),
		"FontBBox":    types.NewNumberArray(f.ttf.LLx, f.ttf.LLy, f.ttf.URx, f.ttf.URy),
		"ItalicAngle": types.Float(f.ttf.ItalicAngle),
		"Ascent":      types.Integer(f.ttf.Ascent),
		"Descent":     types.Integer(f.ttf.Descent),
		"CapHeight":   types.Integer(f.ttf.CapHeight),
		"StemV":       types.Integer(70),
		"FontFile2":   ref(file),
	})
	pw.stream(file, types.Dict{"Filter": types.Name("FlateDecode"), "Length1": types.Integer(len(program))}, deflate(program))

	cmap := fmt.Appendf(nil, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"+
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"+
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"+
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(gids); i += 100 { // at most 100 entries a block
		block := gids[i:min(i+100, len(gids))]
		cmap = fmt.Appendf(cmap, "%d beginbfchar\n", len(block))
		for _, g := range block {
			cmap = fmt.Appendf(cmap, "<%04X> <", g)
			for _, u := range utf16.Encode([]rune{e.used[uint16(g)]}) {
				cmap = fmt.Appendf(cmap, "%04X", u)
			}
			cmap = append(cmap, ">\n"...)
		}
		cmap = append(cmap, "endbfchar\n"...)
	}
	cmap = append(cmap, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"...)
	pw.stream(toUni, types.Dict{"Filter": types.Name("FlateDecode")}, deflate(cmap))
	return pw.err
}

// deflate is p compressed for /FlateDecode.
func deflate(p []byte) []byte {
	var buf bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
	zw.Write(p)
	zw.Close()
	return buf.Bytes()
}

// firstFontOfCollection writes the first font of the TrueType collection at ttc to out as a
// TrueType file of its own: its table directory with the offsets made new, then its tables,
// each copied from the collection on its own.
func firstFontOfCollection(ttc, out string) error {
	in, err := os.Open(ttc)
	if err != nil {
		return err
	}
	defer in.Close()
	var head [16]byte
	if _, err := in.ReadAt(head[:], 0); err != nil {
		return fmt.Errorf("font collection %s: header: %w", ttc, err)
	}
	if string(head[:4]) != "ttcf" || binary.BigEndian.Uint32(head[8:]) == 0 {
		return fmt.Errorf("font collection %s: not a TrueType collection", ttc)
	}
	at := int64(binary.BigEndian.Uint32(head[12:]))
	var dir [12]byte
	if _, err := in.ReadAt(dir[:], at); err != nil {
		return fmt.Errorf("font collection %s: first font: %w", ttc, err)
	}
	n := int(binary.BigEndian.Uint16(dir[4:]))
	if n == 0 || n > 200 {
		return fmt.Errorf("font collection %s: first font has %d tables", ttc, n)
	}
	records := make([]byte, 16*n)
	if _, err := in.ReadAt(records, at+12); err != nil {
		return fmt.Errorf("font collection %s: table directory: %w", ttc, err)
	}
	// New offsets: the tables one after the other after the directory, each on 4 bytes.
	type table struct{ from, length, to int64 }
	tables := make([]table, n)
	next := int64(12 + 16*n)
	for i := range tables {
		r := records[16*i:]
		tables[i] = table{from: int64(binary.BigEndian.Uint32(r[8:])), length: int64(binary.BigEndian.Uint32(r[12:])), to: next}
		binary.BigEndian.PutUint32(r[8:], uint32(next))
		next += (tables[i].length + 3) &^ 3
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	w.Write(dir[:])
	w.Write(records)
	for _, t := range tables {
		if m, err := io.Copy(w, io.NewSectionReader(in, t.from, t.length)); err != nil || m != t.length {
			f.Close()
			return fmt.Errorf("font collection %s: table at %d: %d of %d bytes: %v", ttc, t.from, m, t.length, err)
		}
		w.Write(make([]byte, (4-t.length%4)%4))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
