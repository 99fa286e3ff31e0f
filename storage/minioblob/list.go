package minioblob

import (
	"context"

	"github.com/minio/minio-go/v7"

	"shenbao/intake"
)

// The scrub lists the originals to find those that no document or filing names.
var _ intake.BlobLister = (*Store)(nil)

// List calls fn with each key under prefix (a key's leading part, "" for all) and its size, in
// lexical order, until fn returns an error, which List returns. Only current objects are listed: one
// hidden by Remove's delete marker is not (its retained version stays in the bucket). It returns
// ErrUnavailable if the server does not answer.
func (s *Store) List(ctx context.Context, prefix string, fn func(key string, size int64) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the listing when fn ends it early
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if obj.Err != nil {
			return s.errorf(obj.Err, "list %s", prefix)
		}
		if err := fn(obj.Key, obj.Size); err != nil {
			return err
		}
	}
	return ctx.Err()
}
