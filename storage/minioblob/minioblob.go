// Package minioblob is the production intake.BlobStore: originals kept in one bucket of MinIO (or another
// S3-compatible server with object locking), through minio-go.
//
// # Layout
//
// The blob under key K is the object K of the bucket, holding the original's bytes and nothing else
// (content type application/octet-stream, no user metadata). New creates the bucket if it is missing with
// object locking enabled, which also enables versioning, and refuses a bucket whose versioning is not
// enabled: an original that is overwritten or deleted by mistake stays as an older version, and a default
// retention rule on the bucket (mc retention set --default GOVERNANCE 10y ALIAS/BUCKET) makes the originals
// WORM; MinIO then refuses to delete a locked version with HTTP 400 "Object is WORM protected".
//
// Put sends the caller's SHA-256 as the object's x-amz-checksum-sha256 in a single PUT (no multipart,
// so up to 5 GiB), which needs a client with trailing headers: the server hashes what it receives and
// refuses bytes that do not match (ErrInvalid) before anything is stored. Put first asks whether the key
// exists and then writes with If-None-Match: *, so an existing object is never replaced, even by a
// concurrent Put.
package minioblob

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"shenbao/intake"
)

var _ intake.BlobStore = (*Store)(nil)

// Config says where the bucket is.
type Config struct {
	Endpoint  string // host:port, without a scheme
	AccessKey string
	SecretKey string
	Bucket    string
	UseSSL    bool
}

// Store keeps blobs as objects of one bucket. It is safe for concurrent use.
type Store struct {
	client *minio.Client
	bucket string
}

// New connects to the server, creates the bucket with object locking if it is missing and checks that its
// versioning is enabled. It returns ErrUnavailable if the server does not answer.
func New(ctx context.Context, cfg Config) (*Store, error) {
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:           credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:          cfg.UseSSL,
		TrailingHeaders: true,
		MaxRetries:      3,
	})
	if err != nil {
		return nil, fmt.Errorf("minio %s: %w: %w", cfg.Endpoint, intake.ErrInvalid, err)
	}
	s := &Store{client: client, bucket: cfg.Bucket}
	if err := s.ensureBucket(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Store) ensureBucket(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return s.errorf(err, "bucket exists")
	}
	if !ok {
		err := s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{ObjectLocking: true})
		if err != nil && minio.ToErrorResponse(err).Code != "BucketAlreadyOwnedByYou" {
			return s.errorf(err, "make bucket")
		}
	}
	v, err := s.client.GetBucketVersioning(ctx, s.bucket)
	if err != nil {
		return s.errorf(err, "get bucket versioning")
	}
	if !v.Enabled() {
		return fmt.Errorf("minio bucket %s: versioning is %q, not enabled: create the bucket with object locking: %w",
			s.bucket, v.Status, intake.ErrInvalid)
	}
	return nil
}

// Put stores size bytes from r under key unless the key exists. It returns ErrInvalid if sha256hex is not
// 64 hex digits or the server finds the bytes do not hash to it.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, sha256hex string) error {
	sum, err := hex.DecodeString(sha256hex)
	if err != nil || len(sum) != 32 {
		return fmt.Errorf("minio put %s/%s: sha256 %q is not 64 hex digits: %w", s.bucket, key, sha256hex, intake.ErrInvalid)
	}
	if size < 0 {
		return fmt.Errorf("minio put %s/%s: size %d: %w", s.bucket, key, size, intake.ErrInvalid)
	}
	if _, err := s.Stat(ctx, key); err == nil || !errors.Is(err, intake.ErrNotFound) {
		return err
	}
	opts := minio.PutObjectOptions{
		ContentType:      "application/octet-stream",
		DisableMultipart: true, // one PUT: the server checks the SHA-256 of the whole object
		UserMetadata:     map[string]string{"x-amz-checksum-sha256": base64.StdEncoding.EncodeToString(sum)},
	}
	opts.SetMatchETagExcept("*")
	er := &exactReader{r: r, left: size}
	if size == 0 { // no body is read: check r is empty too
		if err := er.checkEnd(); err != io.EOF {
			return fmt.Errorf("minio put %s/%s: %w", s.bucket, key, err)
		}
	}
	_, err = s.client.PutObject(ctx, s.bucket, key, er, size, opts)
	switch {
	case err == nil:
		return nil
	case er.err != nil:
		return fmt.Errorf("minio put %s/%s: %w", s.bucket, key, er.err)
	case minio.ToErrorResponse(err).Code == "PreconditionFailed":
		return nil // a concurrent Put stored it first
	}
	return s.errorf(err, "put %s", key)
}

// exactReader reads exactly left bytes from r. It fails the upload if r has fewer, or, before its last
// bytes are handed over, if r has more.
type exactReader struct {
	r       io.Reader
	left    int64
	checked bool  // r was found to end after the size
	err     error // sticky: the size does not match
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	if e.left == 0 {
		return 0, e.checkEnd()
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	switch {
	case e.left == 0:
		if err := e.checkEnd(); err != io.EOF {
			return 0, err
		}
		return n, nil
	case err == io.EOF:
		e.err = fmt.Errorf("%d bytes fewer than the size: %w", e.left, intake.ErrInvalid)
		return n, e.err
	}
	return n, err
}

// checkEnd returns io.EOF if r has no more bytes, and the sticky error if it has.
func (e *exactReader) checkEnd() error {
	if !e.checked {
		var b [1]byte
		if n, _ := io.ReadFull(e.r, b[:]); n > 0 {
			e.err = fmt.Errorf("more bytes than the size: %w", intake.ErrInvalid)
			return e.err
		}
		e.checked = true
	}
	return io.EOF
}

// Get opens the object under key. It returns ErrNotFound if there is none.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, s.errorf(err, "get %s", key)
	}
	if _, err := obj.Stat(); err != nil { // the first request: fails if there is no such object
		obj.Close()
		return nil, s.errorf(err, "get %s", key)
	}
	return obj, nil
}

// Stat returns the size of the object under key. It returns ErrNotFound if there is none.
func (s *Store) Stat(ctx context.Context, key string) (int64, error) {
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return 0, s.errorf(err, "stat %s", key)
	}
	return info.Size, nil
}

// The service removes an original that an upload stored without its document.
var _ intake.BlobRemover = (*Store)(nil)

// Remove removes the object under key: in the versioned bucket, a delete marker hides it (its version
// stays, as object locking requires). Removing one that does not exist is not an error.
func (s *Store) Remove(ctx context.Context, key string) error {
	return s.errorf(s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}), "remove %s", key)
}

// Ping reports whether the server answers and the bucket exists. It returns ErrUnavailable if not.
func (s *Store) Ping(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return s.errorf(err, "ping")
	}
	if !ok {
		return fmt.Errorf("minio ping: bucket %s is gone: %w", s.bucket, intake.ErrUnavailable)
	}
	return nil
}

// errorf wraps a minio-go error with the operation and the sentinel it means, if any; nil stays nil.
func (s *Store) errorf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	msg := fmt.Sprintf("minio %s: "+format, append([]any{s.bucket}, args...)...)
	if sentinel := sentinel(err); sentinel != nil {
		return fmt.Errorf("%s: %w: %w", msg, sentinel, err)
	}
	return fmt.Errorf("%s: %w", msg, err)
}

// sentinel returns the intake error that a minio-go error means, or nil.
func sentinel(err error) error {
	switch minio.ToErrorResponse(err).Code {
	case "NoSuchKey", "NoSuchVersion":
		return intake.ErrNotFound
	case "BadDigest", "InvalidDigest", "XAmzContentChecksumMismatch", "XAmzContentSHA256Mismatch",
		"InvalidArgument", "IncompleteBody", "EntityTooSmall", "InvalidObjectName":
		return intake.ErrInvalid
	case "NoSuchBucket", "ServiceUnavailable", "SlowDown", "XMinioServerNotInitialized", "InternalError":
		return intake.ErrUnavailable
	}
	if errors.Is(err, context.Canceled) {
		return nil
	}
	if minio.IsNetworkOrHostDown(err, false) {
		return intake.ErrUnavailable
	}
	return nil
}
