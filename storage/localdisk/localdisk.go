// Package localdisk is an intake.BlobStore on a directory of the local file system, for one machine
// (development, a single-host deployment, tests).
//
// # Layout
//
// The blob under key K is the regular file ROOT/K: a key's '/' separate directories, created as needed
// (mode 0700; files 0400: only the service's user may read them, and nobody writes them). The bytes are the original's, nothing else is stored. A key is a clean,
// relative, slash-separated path (io/fs.ValidPath) without "..", and no element may begin with '.': those
// names are the store's own. Nor can a key name a directory of other keys ("a" beside "a/b").
//
// Put writes ROOT/dir/.put-* beside the final file, hashes the bytes as they are written and refuses
// them unless they are exactly size bytes with the given SHA-256, fsyncs the file, hard-links it to its
// final name (which, unlike rename, never replaces a file that a concurrent Put published first), removes
// the temporary name and fsyncs the directory, so a blob is either complete and durable or absent. A
// .put-* file found after a crash is an unfinished upload and may be deleted.
package localdisk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"shenbao/intake"
)

var _ intake.BlobStore = (*Store)(nil)

// Store keeps blobs as files under a root directory. It is safe for concurrent use, also by several
// processes sharing the directory.
type Store struct {
	root string
}

// New returns a store on the directory root, creating it if needed; root is made private to the
// service's user (0700).
func New(root string) (*Store, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("localdisk %s: %w", root, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("localdisk: create %s: %w", abs, err)
	}
	// Private to the service's user, also when an older version made the directory open to others.
	if err := os.Chmod(abs, 0o700); err != nil {
		return nil, fmt.Errorf("localdisk: %w", err)
	}
	return &Store{root: abs}, nil
}

// Put stores size bytes from r under key unless the key exists. It returns ErrInvalid for a bad key, a
// sha256 that is not 64 hex digits, bytes that do not hash to it, or fewer or more than size bytes.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, sha256hex string) error {
	name, err := s.path(key)
	if err != nil {
		return err
	}
	want, err := hex.DecodeString(sha256hex)
	if err != nil || len(want) != sha256.Size {
		return fmt.Errorf("localdisk put %s: sha256 %q is not 64 hex digits: %w", key, sha256hex, intake.ErrInvalid)
	}
	if size < 0 {
		return fmt.Errorf("localdisk put %s: size %d: %w", key, size, intake.ErrInvalid)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("localdisk put %s: %w", key, err)
	}
	if done, err := exists(name); done || err != nil {
		return wrapPut(key, err)
	}
	dir := filepath.Dir(name)
	if err := s.mkdirAll(dir); err != nil {
		return wrapPut(key, err)
	}
	tmp, err := writeTemp(ctx, dir, r, size, want)
	if err != nil {
		return wrapPut(key, err)
	}
	return wrapPut(key, publish(tmp, name))
}

// publish gives the temporary file tmp its final name unless a file has it, removes tmp and fsyncs the
// directory.
func publish(tmp, name string) error {
	defer os.Remove(tmp)
	if err := os.Link(tmp, name); errors.Is(err, fs.ErrExist) {
		_, err := exists(name) // published by a concurrent Put, or a directory
		return err
	} else if err != nil {
		return err
	}
	if err := os.Remove(tmp); err != nil {
		return err
	}
	return syncDir(filepath.Dir(name))
}

// exists reports whether a blob is stored at name. It returns ErrInvalid if name is a directory: the key
// is a prefix of other keys.
func exists(name string) (bool, error) {
	fi, err := os.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		return false, nil
	case err != nil:
		return false, err
	case !fi.Mode().IsRegular():
		return false, fmt.Errorf("key names a directory of other keys: %w", intake.ErrInvalid)
	}
	return true, nil
}

func wrapPut(key string, err error) error {
	if err != nil {
		return fmt.Errorf("localdisk put %s: %w", key, err)
	}
	return nil
}

// writeTemp copies exactly size bytes of r into a new temporary file in dir, checks they hash to want,
// fsyncs the file and returns its name. It leaves no file behind on error.
func writeTemp(ctx context.Context, dir string, r io.Reader, size int64, want []byte) (name string, err error) {
	f, err := os.CreateTemp(dir, ".put-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(ctxReader{ctx, r}, size+1))
	if err != nil {
		return "", fmt.Errorf("write: %w", err)
	}
	if n != size {
		return "", fmt.Errorf("got more or fewer bytes than the size %d: %w", size, intake.ErrInvalid)
	}
	if got := h.Sum(nil); string(got) != string(want) {
		return "", fmt.Errorf("bytes have sha256 %x; want %x: %w", got, want, intake.ErrInvalid)
	}
	if err := f.Chmod(0o400); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", fmt.Errorf("fsync: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return f.Name(), nil
}

// Get opens the blob under key. It returns ErrNotFound if there is none.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	name, err := s.path(key)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("localdisk get %s: %w", key, err)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("localdisk get %s: %w", key, notFound(err))
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("localdisk get %s: not a blob: %w", key, intake.ErrNotFound)
	}
	return f, nil
}

// The service removes an original that an upload stored without its document.
var _ intake.BlobRemover = (*Store)(nil)

// Remove removes the blob under key; removing one that does not exist is not an error.
func (s *Store) Remove(ctx context.Context, key string) error {
	name, err := s.path(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("localdisk remove %s: %w", key, err)
	}
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("localdisk remove %s: %w", key, err)
	}
	return nil
}

// Stat returns the size of the blob under key. It returns ErrNotFound if there is none.
func (s *Store) Stat(ctx context.Context, key string) (int64, error) {
	name, err := s.path(key)
	if err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("localdisk stat %s: %w", key, err)
	}
	fi, err := os.Stat(name)
	if err != nil {
		return 0, fmt.Errorf("localdisk stat %s: %w", key, notFound(err))
	}
	if !fi.Mode().IsRegular() {
		return 0, fmt.Errorf("localdisk stat %s: not a blob: %w", key, intake.ErrNotFound)
	}
	return fi.Size(), nil
}

// Ping reports whether the root is still a directory. It returns ErrUnavailable if not.
func (s *Store) Ping(ctx context.Context) error {
	fi, err := os.Stat(s.root)
	if err == nil && !fi.IsDir() {
		err = errors.New("not a directory")
	}
	if err != nil {
		return fmt.Errorf("localdisk %s: %w: %w", s.root, intake.ErrUnavailable, err)
	}
	return nil
}

// path returns the file name of key, or ErrInvalid if key is not a valid key (see the package doc).
func (s *Store) path(key string) (string, error) {
	if !fs.ValidPath(key) || key == "." || strings.ContainsAny(key, "\\\x00") {
		return "", fmt.Errorf("localdisk: key %q: %w", key, intake.ErrInvalid)
	}
	for el := range strings.SplitSeq(key, "/") {
		if strings.HasPrefix(el, ".") {
			return "", fmt.Errorf("localdisk: key %q: element %q begins with '.': %w", key, el, intake.ErrInvalid)
		}
	}
	return filepath.Join(s.root, filepath.FromSlash(key)), nil
}

// mkdirAll creates dir and its missing parents below the root, fsyncing the parent of each directory it
// creates so the new entries survive a crash.
func (s *Store) mkdirAll(dir string) error {
	if dir == s.root {
		return nil
	}
	if fi, err := os.Stat(dir); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s is a blob, not a directory: %w", dir, intake.ErrInvalid)
		}
		return nil
	}
	parent := filepath.Dir(dir)
	if err := s.mkdirAll(parent); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil // made by a concurrent Put
		}
		return err
	}
	return syncDir(parent)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}

// notFound turns a missing file, or a path through a file (ENOTDIR), into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return fmt.Errorf("%w: %w", intake.ErrNotFound, err)
	}
	return err
}

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}
