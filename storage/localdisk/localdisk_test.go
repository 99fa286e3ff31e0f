package localdisk

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"shenbao/intake"
	"shenbao/storage/storagetest"
)

func newStore(t *testing.T) *Store {
	s, err := New(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBlobStore(t *testing.T) {
	storagetest.TestBlobStore(t, func(t *testing.T) intake.BlobStore { return newStore(t) })
}

func TestInvalidKeys(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	sum := strings.Repeat("0", 64)
	for _, key := range []string{"", ".", "..", "../x", "a/../../x", "/etc/passwd", "a//b", "a/", "./a", "a/.put-1", ".hidden", `a\b`, "a\x00b"} {
		if err := s.Put(ctx, key, strings.NewReader(""), 0, sum); !errors.Is(err, intake.ErrInvalid) {
			t.Errorf("Put(%q) error = %v; want ErrInvalid", key, err)
		}
		if _, err := s.Get(ctx, key); !errors.Is(err, intake.ErrInvalid) {
			t.Errorf("Get(%q) error = %v; want ErrInvalid", key, err)
		}
		if _, err := s.Stat(ctx, key); !errors.Is(err, intake.ErrInvalid) {
			t.Errorf("Stat(%q) error = %v; want ErrInvalid", key, err)
		}
	}
}

// TestLayout checks the blob is the file ROOT/key and no temporary file is left, also after a refused Put.
func TestLayout(t *testing.T) {
	s := newStore(t)
	data := "原件"
	sum := sha256.Sum256([]byte(data))
	wrong := sha256.Sum256([]byte("other"))
	err := s.Put(t.Context(), "originals/sha256/x", strings.NewReader(data), int64(len(data)), hex.EncodeToString(wrong[:]))
	if !errors.Is(err, intake.ErrInvalid) {
		t.Fatalf("Put with a wrong sha256: error = %v; want ErrInvalid", err)
	}
	if err := s.Put(t.Context(), "originals/sha256/x", strings.NewReader(data), int64(len(data)), hex.EncodeToString(sum[:])); err != nil {
		t.Fatalf("Put: %v", err)
	}
	got, err := os.ReadFile(filepath.Join(s.root, "originals", "sha256", "x"))
	if err != nil || string(got) != data {
		t.Errorf("ROOT/originals/sha256/x = %q, %v; want %q", got, err, data)
	}
	err = filepath.WalkDir(s.root, func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".put-") {
			t.Errorf("temporary file %s left behind", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestKeyIsDirectory checks a key that names a directory of other keys is neither a blob nor writable.
func TestKeyIsDirectory(t *testing.T) {
	s := newStore(t)
	sum := sha256.Sum256([]byte("x"))
	if err := s.Put(t.Context(), "a/b", strings.NewReader("x"), 1, hex.EncodeToString(sum[:])); err != nil {
		t.Fatalf("Put(a/b): %v", err)
	}
	if err := s.Put(t.Context(), "a", strings.NewReader("x"), 1, hex.EncodeToString(sum[:])); !errors.Is(err, intake.ErrInvalid) {
		t.Errorf("Put(a) with a/b stored: error = %v; want ErrInvalid", err)
	}
	if err := s.Put(t.Context(), "a/b/c", strings.NewReader("x"), 1, hex.EncodeToString(sum[:])); !errors.Is(err, intake.ErrInvalid) {
		t.Errorf("Put(a/b/c) with a/b stored: error = %v; want ErrInvalid", err)
	}
}

func TestPing(t *testing.T) {
	s := newStore(t)
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if err := os.RemoveAll(s.root); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(t.Context()); !errors.Is(err, intake.ErrUnavailable) {
		t.Errorf("Ping after the root was removed: error = %v; want ErrUnavailable", err)
	}
}

// Originals are readable by the service's user only, and writable by nobody.
func TestPermissions(t *testing.T) {
	root := filepath.Join(t.TempDir(), "blobs")
	s, err := New(root)
	if err != nil {
		t.Fatal(err)
	}
	body := "an original"
	sum := sha256.Sum256([]byte(body))
	if err := s.Put(t.Context(), "originals/x", strings.NewReader(body), int64(len(body)), hex.EncodeToString(sum[:])); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{root: 0o700, filepath.Join(root, "originals"): 0o700, filepath.Join(root, "originals", "x"): 0o400} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v; want %v", path, got, want)
		}
	}
}
