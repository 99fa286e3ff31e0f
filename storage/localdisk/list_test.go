package localdisk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// List gives the keys under a prefix with their sizes, and not the store's own files nor keys
// beside the prefix.
func TestList(t *testing.T) {
	ctx := context.Background()
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"originals/sha256/aa", "originals/sha256/bb", "originals-not/x", "derived/pages/aa/1-1000.jpg"} {
		sum := sha256.Sum256([]byte(k))
		if err := s.Put(ctx, k, strings.NewReader(k), int64(len(k)), hex.EncodeToString(sum[:])); err != nil {
			t.Fatal(err)
		}
	}
	// An unfinished upload left by a crash.
	if err := os.WriteFile(filepath.Join(s.root, "originals", "sha256", ".put-123"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	list := func(prefix string) []string {
		var got []string
		if err := s.List(ctx, prefix, func(key string, size int64) error {
			if size != int64(len(key)) {
				t.Errorf("%s: size %d; want %d", key, size, len(key))
			}
			got = append(got, key)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got, want := list("originals/"), []string{"originals/sha256/aa", "originals/sha256/bb"}; !slices.Equal(got, want) {
		t.Errorf("List(originals/): %v; want %v", got, want)
	}
	if got := list(""); len(got) != 4 {
		t.Errorf("List(\"\"): %v; want the 4 keys", got)
	}
	if got := list("nothing/here/"); len(got) != 0 {
		t.Errorf("List of an empty prefix: %v", got)
	}
}
