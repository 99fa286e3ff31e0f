package storagetest

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"sync"
	"testing"

	"shenbao/intake"
)

// TestBlobStore runs the conformance suite of intake.BlobStore. newStore returns a fresh, empty store.
func TestBlobStore(t *testing.T, newStore func(t *testing.T) intake.BlobStore) {
	t.Run("PutGetStat", func(t *testing.T) { testPutGetStat(t, newStore(t)) })
	t.Run("PutEmpty", func(t *testing.T) { testPutEmpty(t, newStore(t)) })
	t.Run("PutExistingKeyIsNoOp", func(t *testing.T) { testPutExisting(t, newStore(t)) })
	t.Run("PutConcurrentSameKey", func(t *testing.T) { testPutConcurrent(t, newStore(t)) })
	t.Run("PutWrongSize", func(t *testing.T) { testPutWrongSize(t, newStore(t)) })
	t.Run("PutWrongSHA256", func(t *testing.T) { testPutWrongSHA256(t, newStore(t)) })
	t.Run("Missing", func(t *testing.T) { testBlobMissing(t, newStore(t)) })
	t.Run("Remove", func(t *testing.T) { testRemove(t, newStore(t)) })
	t.Run("Ping", func(t *testing.T) {
		if err := newStore(t).Ping(t.Context()); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
}

// blob is a test blob: its key, bytes and their hex SHA-256.
type blob struct {
	key  string
	data []byte
	sum  string
}

func newBlob(key string, data []byte) blob { return blob{key: key, data: data, sum: sha256Hex(data)} }

func randomBlob(t *testing.T, key string, n int) blob {
	data := make([]byte, n)
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	return newBlob(key, data)
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// reader hides bytes.Reader's Seek and ReadAt, so stores are tested on a plain stream like an upload.
func reader(b []byte) io.Reader { return struct{ io.Reader }{bytes.NewReader(b)} }

func put(t *testing.T, s intake.BlobStore, b blob) {
	t.Helper()
	if err := s.Put(t.Context(), b.key, reader(b.data), int64(len(b.data)), b.sum); err != nil {
		t.Fatalf("Put(%q): %v", b.key, err)
	}
}

// checkBlob fails unless Get and Stat give b's bytes and size.
func checkBlob(t *testing.T, s intake.BlobStore, b blob) {
	t.Helper()
	ctx := t.Context()
	size, err := s.Stat(ctx, b.key)
	if err != nil {
		t.Fatalf("Stat(%q): %v", b.key, err)
	}
	if size != int64(len(b.data)) {
		t.Errorf("Stat(%q) = %d; want %d", b.key, size, len(b.data))
	}
	rc, err := s.Get(ctx, b.key)
	if err != nil {
		t.Fatalf("Get(%q): %v", b.key, err)
	}
	got, err := io.ReadAll(rc)
	if cerr := rc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("reading Get(%q): %v", b.key, err)
	}
	if sum := sha256Hex(got); sum != b.sum {
		t.Errorf("Get(%q) gave %d bytes with sha256 %s; want %d bytes with sha256 %s", b.key, len(got), sum, len(b.data), b.sum)
	}
}

// checkNoBlob fails unless both Get and Stat return intake.ErrNotFound for key.
func checkNoBlob(t *testing.T, s intake.BlobStore, key string) {
	t.Helper()
	ctx := t.Context()
	if _, err := s.Stat(ctx, key); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("Stat(%q) error = %v; want ErrNotFound", key, err)
	}
	rc, err := s.Get(ctx, key)
	if err == nil {
		rc.Close()
	}
	if !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("Get(%q) error = %v; want ErrNotFound", key, err)
	}
}

func testPutGetStat(t *testing.T, s intake.BlobStore) {
	small := newBlob("small.txt", []byte("营业执照 91110000MA01ABCD2X\n"))
	nested := randomBlob(t, "sha256/ab/cd/abcdef0123456789", 64<<10)
	large := randomBlob(t, "large/3MiB.bin", 3<<20)
	for _, b := range []blob{small, nested, large} {
		put(t, s, b)
	}
	for _, b := range []blob{small, nested, large} {
		checkBlob(t, s, b)
	}
}

func testPutEmpty(t *testing.T, s intake.BlobStore) {
	b := newBlob("empty", nil)
	put(t, s, b)
	checkBlob(t, s, b)
}

func testPutExisting(t *testing.T, s intake.BlobStore) {
	b := randomBlob(t, "docs/original", 1000)
	put(t, s, b)
	put(t, s, b)
	checkBlob(t, s, b)

	// A key once written is never overwritten with other bytes, and putting it again still succeeds.
	other := randomBlob(t, b.key, 2000)
	put(t, s, other)
	checkBlob(t, s, b)
}

func testPutConcurrent(t *testing.T, s intake.BlobStore) {
	b := randomBlob(t, "concurrent/same", 256<<10)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = s.Put(t.Context(), b.key, reader(b.data), int64(len(b.data)), b.sum) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Put #%d: %v", i, err)
		}
	}
	checkBlob(t, s, b)
}

// testPutWrongSize checks that a reader with fewer or more bytes than size is refused with ErrInvalid
// and stores nothing.
func testPutWrongSize(t *testing.T, s intake.BlobStore) {
	b := randomBlob(t, "sized", 100<<10)
	for _, r := range []struct {
		name string
		data []byte
	}{
		{"fewer", b.data[:len(b.data)/2]},
		{"more", append(append([]byte(nil), b.data...), "trailing bytes"...)},
	} {
		if err := s.Put(t.Context(), b.key, reader(r.data), int64(len(b.data)), b.sum); !errors.Is(err, intake.ErrInvalid) {
			t.Errorf("Put with %d bytes of size %d: error = %v; want ErrInvalid", len(r.data), len(b.data), err)
		}
		checkNoBlob(t, s, b.key)
	}
	put(t, s, b)
	checkBlob(t, s, b)

	empty := newBlob("sized-empty", nil)
	if err := s.Put(t.Context(), empty.key, reader([]byte("x")), 0, empty.sum); !errors.Is(err, intake.ErrInvalid) {
		t.Errorf("Put with 1 byte of size 0: error = %v; want ErrInvalid", err)
	}
	checkNoBlob(t, s, empty.key)
}

// testPutWrongSHA256 checks that a store that verifies checksums refuses a wrong one with ErrInvalid
// and keeps nothing, so a later correct Put of the key succeeds. Stores may not verify: then it skips.
func testPutWrongSHA256(t *testing.T, s intake.BlobStore) {
	b := randomBlob(t, "verified/blob", 4096)
	err := s.Put(t.Context(), b.key, reader(b.data), int64(len(b.data)), sha256Hex([]byte("other bytes")))
	if err == nil {
		t.Skip("store does not verify sha256")
	}
	if !errors.Is(err, intake.ErrInvalid) {
		t.Errorf("Put with a wrong sha256: error = %v; want ErrInvalid", err)
	}
	checkNoBlob(t, s, b.key)

	if err := s.Put(t.Context(), b.key, reader(b.data), int64(len(b.data)), "not hex"); !errors.Is(err, intake.ErrInvalid) {
		t.Errorf("Put with sha256 %q: error = %v; want ErrInvalid", "not hex", err)
	}
	checkNoBlob(t, s, b.key)

	put(t, s, b)
	checkBlob(t, s, b)
}

func testBlobMissing(t *testing.T, s intake.BlobStore) {
	checkNoBlob(t, s, "no/such/blob")
	put(t, s, newBlob("dir/file", []byte("x")))
	checkNoBlob(t, s, "dir")
	checkNoBlob(t, s, "dir/fil")
	checkNoBlob(t, s, "dir/file/below")
}

// testRemove checks a store that can remove (intake.BlobRemover): the object is gone, removing it again
// is no error, and the same key can be put again.
func testRemove(t *testing.T, s intake.BlobStore) {
	r, ok := s.(intake.BlobRemover)
	if !ok {
		t.Skip("the store cannot remove objects") // an optional capability
	}
	b := randomBlob(t, "originals/sha256/removed", 1000)
	b.key = intake.BlobKey(b.sum)
	put(t, s, b)
	if err := r.Remove(t.Context(), b.key); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	checkNoBlob(t, s, b.key)
	if err := r.Remove(t.Context(), b.key); err != nil {
		t.Errorf("Remove of a removed object: %v; want no error", err)
	}
	put(t, s, b)
	checkBlob(t, s, b)
}
