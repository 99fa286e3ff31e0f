package minioblob

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"shenbao/intake"
	"shenbao/storage/storagetest"
)

// config returns the test server's Config with a new random bucket name; the test is skipped (or fails in
// CI) without a server.
func config(t *testing.T) Config {
	env := storagetest.ServerEnv(t, "SHENBAO_TEST_MINIO_ENDPOINT", "SHENBAO_TEST_MINIO_ACCESS_KEY", "SHENBAO_TEST_MINIO_SECRET_KEY")
	b := make([]byte, 6)
	rand.Read(b)
	return Config{Endpoint: env[0], AccessKey: env[1], SecretKey: env[2], Bucket: "shenbao-test-" + hex.EncodeToString(b)}
}

// newStore returns a store on a new bucket, removed with all its object versions when the test ends.
func newStore(t *testing.T, cfg Config) *Store {
	s, err := New(t.Context(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { removeBucket(t, s.client, cfg.Bucket) })
	return s
}

func removeBucket(t *testing.T, c *minio.Client, bucket string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for obj := range c.ListObjects(ctx, bucket, minio.ListObjectsOptions{WithVersions: true, Recursive: true}) {
		if obj.Err != nil {
			t.Errorf("list %s: %v", bucket, obj.Err)
			return
		}
		err := c.RemoveObject(ctx, bucket, obj.Key, minio.RemoveObjectOptions{VersionID: obj.VersionID, GovernanceBypass: true})
		if err != nil {
			t.Errorf("remove %s/%s version %s: %v", bucket, obj.Key, obj.VersionID, err)
		}
	}
	if err := c.RemoveBucket(ctx, bucket); err != nil {
		t.Errorf("remove bucket %s: %v", bucket, err)
	}
}

func TestBlobStore(t *testing.T) {
	config(t) // skip the suite at once without a server
	storagetest.TestBlobStore(t, func(t *testing.T) intake.BlobStore { return newStore(t, config(t)) })
}

func TestNewCreatesLockedVersionedBucket(t *testing.T) {
	cfg := config(t)
	s := newStore(t, cfg)
	ctx := t.Context()
	lock, _, _, _, err := s.client.GetObjectLockConfig(ctx, cfg.Bucket)
	if err != nil {
		t.Fatalf("GetObjectLockConfig: %v", err)
	}
	if lock != "Enabled" {
		t.Errorf("object lock = %q; want Enabled", lock)
	}
	// A second New on the existing bucket is fine.
	if _, err := New(ctx, cfg); err != nil {
		t.Errorf("New on an existing bucket: %v", err)
	}
}

func TestNewRefusesUnversionedBucket(t *testing.T) {
	cfg := config(t)
	s := newStore(t, cfg)
	ctx := t.Context()
	plain := cfg
	plain.Bucket += "-plain"
	if err := s.client.MakeBucket(ctx, plain.Bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("MakeBucket: %v", err)
	}
	t.Cleanup(func() { removeBucket(t, s.client, plain.Bucket) })
	if _, err := New(ctx, plain); err == nil || !strings.Contains(err.Error(), "versioning") {
		t.Errorf("New on a bucket without versioning: error = %v; want one about versioning", err)
	}
}

// TestPutSendsSHA256 checks the server, not only the client, holds the object's SHA-256.
func TestPutSendsSHA256(t *testing.T) {
	s := newStore(t, config(t))
	ctx := t.Context()
	data := "营业执照"
	sum := sha256.Sum256([]byte(data))
	if err := s.Put(ctx, "originals/x", strings.NewReader(data), int64(len(data)), hex.EncodeToString(sum[:])); err != nil {
		t.Fatalf("Put: %v", err)
	}
	info, err := s.client.StatObject(ctx, s.bucket, "originals/x", minio.StatObjectOptions{Checksum: true})
	if err != nil {
		t.Fatalf("StatObject: %v", err)
	}
	if want := base64.StdEncoding.EncodeToString(sum[:]); info.ChecksumSHA256 != want {
		t.Errorf("server's ChecksumSHA256 = %q; want %q", info.ChecksumSHA256, want)
	}
}

// TestUnavailable checks a server that is down gives ErrUnavailable in seconds rather than hanging.
func TestUnavailable(t *testing.T) {
	addr := closedAddr(t)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	start := time.Now()
	_, err := New(ctx, Config{Endpoint: addr, AccessKey: "k", SecretKey: "s", Bucket: "shenbao-down"})
	if !errors.Is(err, intake.ErrUnavailable) {
		t.Errorf("New on a closed port: error = %v; want ErrUnavailable", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("New on a closed port took %v; want under 10s", d)
	}
}

// closedAddr returns a 127.0.0.1 address where nothing listens.
func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// Retention on the real MinIO: a retained object cannot be deleted (not even bypassing governance) nor
// replaced; a retention is never shortened; a legal hold keeps it after its retention ends.
func TestRetention(t *testing.T) {
	s := newStore(t, config(t))
	ctx := t.Context()
	body := "an original"
	sum := sha256.Sum256([]byte(body))
	key := "originals/" + hex.EncodeToString(sum[:])
	if err := s.Put(ctx, key, strings.NewReader(body), int64(len(body)), hex.EncodeToString(sum[:])); err != nil {
		t.Fatal(err)
	}
	if until, hold, err := s.Retention(ctx, key); err != nil || !until.IsZero() || hold {
		t.Fatalf("a new object: retained until %v, hold %v, %v; want neither", until, hold, err)
	}
	until := time.Now().Add(3 * time.Second).Truncate(time.Second)
	if err := s.Retain(ctx, key, until); err != nil {
		t.Fatal(err)
	}
	if err := s.Retain(ctx, key, until.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.Retention(ctx, key); err != nil || !got.Equal(until) {
		t.Errorf("retention %v, %v; want %v, never shortened", got, err, until)
	}
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{VersionID: info.VersionID, GovernanceBypass: true}); err == nil {
		t.Error("a retained version was deleted")
	}
	if err := s.SetLegalHold(ctx, key, true); err != nil {
		t.Fatal(err)
	}
	if _, hold, _ := s.Retention(ctx, key); !hold {
		t.Error("legal hold not reported")
	}
	time.Sleep(time.Until(until) + time.Second)
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{VersionID: info.VersionID}); err == nil {
		t.Error("a version under legal hold was deleted after its retention ended")
	}
	if err := s.SetLegalHold(ctx, key, false); err != nil {
		t.Fatal(err)
	}
	// Now the bucket can be cleaned up by newStore's cleanup.
}

// The bucket Shenbao makes passes its own audit: versioning and object lock enabled.
func TestAuditStore(t *testing.T) {
	s := newStore(t, config(t))
	if p := s.AuditStore(t.Context()); len(p) != 0 {
		t.Errorf("a new bucket: %v; want no problem", p)
	}
	var _ intake.StoreAuditor = s
}
