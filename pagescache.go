package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"

	"shenbao/doc"
	"shenbao/intake"
)

const pagesCacheUsage = "keep the pages read from each file in this folder and reuse them (for measuring extraction and the checklist without reading again)"

// pagesCacheVersion changes whenever what the reader produces changes, so that no stale pages are used.
const pagesCacheVersion = "13"

// cachedRecognizer reuses the pages read from a file with the same content and reading settings.
type cachedRecognizer struct {
	rec  intake.Recognizer
	dir  string
	salt string
}

func withPagesCache(rec intake.Recognizer, dir string, c config) intake.Recognizer {
	if dir == "" {
		return rec
	}
	return &cachedRecognizer{rec: rec, dir: dir, salt: pagesCacheVersion + "|" + c.OCRLang + "|" + c.OCREngine}
}

func (r *cachedRecognizer) Recognize(ctx context.Context, path, contentType string) ([]doc.Page, error) {
	key, err := r.key(path)
	if err != nil {
		return nil, err
	}
	file := filepath.Join(r.dir, key+".json")
	if b, err := os.ReadFile(file); err == nil {
		var pages []doc.Page
		if json.Unmarshal(b, &pages) == nil {
			return pages, nil
		}
	}
	pages, err := r.rec.Recognize(ctx, path, contentType)
	if err != nil {
		return nil, err
	}
	if b, err := json.Marshal(pages); err == nil && os.MkdirAll(r.dir, 0o755) == nil {
		tmp := file + ".tmp"
		if os.WriteFile(tmp, b, 0o644) == nil {
			os.Rename(tmp, file)
		}
	}
	return pages, nil
}

func (r *cachedRecognizer) key(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	io.WriteString(h, r.salt+"\n")
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ReadRegion passes a constrained re-reading on to the reader behind the cache (never cached).
func (r *cachedRecognizer) ReadRegion(ctx context.Context, path, contentType string, page int, box doc.Box, rotation int, whitelist string) (string, float64, error) {
	rr, ok := r.rec.(intake.RegionReader)
	if !ok {
		return "", 0, errors.New("the reader cannot read regions")
	}
	return rr.ReadRegion(ctx, path, contentType, page, box, rotation, whitelist)
}
