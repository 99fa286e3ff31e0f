package minioblob

import (
	"context"
	"fmt"
	"time"

	"github.com/minio/minio-go/v7"

	"shenbao/intake"
)

var _ intake.Retainer = (*Store)(nil)

// Retain puts the object under key under COMPLIANCE-mode retention until until (MinIO object lock):
// until then no one, not even the bucket's owner, can delete or overwrite that version. A retention
// is only ever extended: an until before the object's current one leaves it as it is.
func (s *Store) Retain(ctx context.Context, key string, until time.Time) error {
	cur, _, err := s.Retention(ctx, key)
	if err != nil {
		return err
	}
	if !until.After(cur) {
		return nil
	}
	mode := minio.Compliance
	until = until.UTC()
	err = s.client.PutObjectRetention(ctx, s.bucket, key, minio.PutObjectRetentionOptions{Mode: &mode, RetainUntilDate: &until})
	return s.errorf(err, "retain %s until %s", key, until.Format(time.DateOnly))
}

// SetLegalHold sets or lifts a legal hold on the object under key: while it is on, the object cannot
// be deleted whatever its retention.
func (s *Store) SetLegalHold(ctx context.Context, key string, on bool) error {
	st := minio.LegalHoldDisabled
	if on {
		st = minio.LegalHoldEnabled
	}
	err := s.client.PutObjectLegalHold(ctx, s.bucket, key, minio.PutObjectLegalHoldOptions{Status: &st})
	return s.errorf(err, "legal hold %s %v", key, on)
}

// Retention returns the date until which the object under key is retained (zero if it is not) and
// whether it is under a legal hold. It returns ErrNotFound if there is no such object.
func (s *Store) Retention(ctx context.Context, key string) (time.Time, bool, error) {
	if _, err := s.Stat(ctx, key); err != nil {
		return time.Time{}, false, err
	}
	var until time.Time
	mode, date, err := s.client.GetObjectRetention(ctx, s.bucket, key, "")
	switch code := minio.ToErrorResponse(err).Code; {
	case err == nil && date != nil && mode != nil:
		until = *date
	case err == nil, code == "NoSuchObjectLockConfiguration", code == "ObjectLockConfigurationNotFoundError", code == "InvalidRequest":
	default:
		return time.Time{}, false, s.errorf(err, "retention of %s", key)
	}
	hold := false
	st, err := s.client.GetObjectLegalHold(ctx, s.bucket, key, minio.GetObjectLegalHoldOptions{})
	switch code := minio.ToErrorResponse(err).Code; {
	case err == nil && st != nil:
		hold = *st == minio.LegalHoldEnabled
	case err == nil, code == "NoSuchObjectLockConfiguration", code == "ObjectLockConfigurationNotFoundError", code == "InvalidRequest":
	default:
		return time.Time{}, false, fmt.Errorf("legal hold of %s: %w", key, s.errorf(err, "legal hold"))
	}
	return until, hold, nil
}

// AuditStore checks the bucket's own protection: versioning enabled and object locking on. It returns
// what is wrong, in words, or nothing.
func (s *Store) AuditStore(ctx context.Context) []string {
	var problems []string
	v, err := s.client.GetBucketVersioning(ctx, s.bucket)
	if err != nil {
		problems = append(problems, fmt.Sprintf("bucket %s: versioning unknown: %v", s.bucket, err))
	} else if !v.Enabled() {
		problems = append(problems, fmt.Sprintf("bucket %s: versioning is %q, not enabled", s.bucket, v.Status))
	}
	lock, _, _, _, err := s.client.GetObjectLockConfig(ctx, s.bucket)
	if err != nil {
		problems = append(problems, fmt.Sprintf("bucket %s: object lock unknown: %v", s.bucket, err))
	} else if lock != "Enabled" {
		problems = append(problems, fmt.Sprintf("bucket %s: object lock is %q, not enabled", s.bucket, lock))
	}
	return problems
}
