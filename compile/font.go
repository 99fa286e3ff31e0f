package compile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/font"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// DefaultFontPaths are the CJK TrueType fonts tried, in order, when Options.FontPath is empty.
// A .ttc collection is installed member by member and its first member is used. A font must have
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
		n, err := installFont(p)
		if err != nil {
			if path != "" {
				return "", fmt.Errorf("%w: %s: %v", ErrNoFont, p, err)
			}
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
		rep, err = font.InstallTrueTypeCollectionResults(font.UserFontDir, p)
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
