package minioblob

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
)

// List gives the current keys under a prefix with their sizes: not keys beside the prefix, nor a
// key hidden by Remove's delete marker.
func TestList(t *testing.T) {
	s := newStore(t, config(t))
	ctx := t.Context()
	for _, k := range []string{"originals/sha256/aa", "originals/sha256/bb", "originals/sha256/cc", "originals-not/x", "derived/pages/aa/1-1000.jpg"} {
		sum := sha256.Sum256([]byte(k))
		if err := s.Put(ctx, k, strings.NewReader(k), int64(len(k)), hex.EncodeToString(sum[:])); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Remove(ctx, "originals/sha256/cc"); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := s.List(ctx, "originals/", func(key string, size int64) error {
		if size != int64(len(key)) {
			t.Errorf("%s: size %d; want %d", key, size, len(key))
		}
		got = append(got, key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"originals/sha256/aa", "originals/sha256/bb"}; !slices.Equal(got, want) {
		t.Errorf("List(originals/): %v; want %v", got, want)
	}
}
