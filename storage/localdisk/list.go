package localdisk

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"shenbao/intake"
)

// The scrub lists the originals to find those that no document or filing names.
var _ intake.BlobLister = (*Store)(nil)

// List calls fn with each key under prefix (a key's leading part, "" for all) and its size, in
// lexical order, until fn returns an error, which List returns. The store's own files (.put-*) are
// not keys and are left out.
func (s *Store) List(ctx context.Context, prefix string, fn func(key string, size int64) error) error {
	// Walk the deepest directory the prefix names whole; keys in it are filtered by the prefix.
	dir := s.root
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		dir = filepath.Join(s.root, filepath.FromSlash(prefix[:i]))
	}
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if strings.HasPrefix(e.Name(), ".") && path != dir {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if e.IsDir() || !e.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(s.root, path)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if !strings.HasPrefix(key, prefix) {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed meanwhile
			}
			return err
		}
		return fn(key, info.Size())
	})
	if err != nil {
		return fmt.Errorf("localdisk list %s: %w", prefix, err)
	}
	return nil
}
