package bolt

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"shenbao/intake"
	"shenbao/storage/localdisk"
)

// TestVerifyNamesTampering: verify passes on an untouched archive and names each tampering — an
// event edited, an event deleted, the whole chain recomputed after an edit (caught by the anchored
// head), and an original's byte flipped on disk.
func TestVerifyNamesTampering(t *testing.T) {
	ctx := context.Background()
	setup := func(t *testing.T) (*intake.Service, *Store, string, string) {
		dir := t.TempDir()
		blobs, err := localdisk.New(filepath.Join(dir, "blobs"))
		if err != nil {
			t.Fatal(err)
		}
		store, err := Open(filepath.Join(dir, "meta.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close(ctx) })
		now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		svc := intake.NewService(blobs, store, nil, slog.New(slog.DiscardHandler), func() time.Time { return now }, intake.Config{TempDir: dir})
		owner := intake.Principal{UserID: "usr_1", Name: "申报单位", Role: intake.RoleApplicant}
		a, err := svc.CreateApplication(ctx, owner, intake.NewApplication{OrgName: "西藏某某科技有限公司", Region: "拉萨市", Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		d, _, err := svc.Upload(ctx, owner, a.ID, "营业执照.jpg", strings.NewReader("\xFF\xD8\xFF a scan"))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Upload(ctx, owner, a.ID, "租赁合同.jpg", strings.NewReader("\xFF\xD8\xFF a lease")); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AnchorLog(ctx); err != nil {
			t.Fatal(err)
		}
		return svc, store, filepath.Join(dir, "blobs", filepath.FromSlash(d.BlobKey)), d.ID
	}
	verify := func(t *testing.T, svc *intake.Service) *intake.VerifyReport {
		t.Helper()
		r, err := svc.Verify(ctx, intake.System, "")
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	want := func(t *testing.T, r *intake.VerifyReport, check, object string) {
		t.Helper()
		for _, f := range r.Failures {
			if f.Check == check && f.Object == object {
				return
			}
		}
		t.Errorf("failures %+v; want a %s failure naming %s", r.Failures, check, object)
	}
	editEvent := func(t *testing.T, store *Store, seq uint64, edit func(*eventRecord)) {
		t.Helper()
		err := store.db.Update(func(tx *bbolt.Tx) error {
			b := tx.Bucket(bucketEvents)
			k := binary.BigEndian.AppendUint64(nil, seq)
			var r eventRecord
			if err := json.Unmarshal(b.Get(k), &r); err != nil {
				return err
			}
			edit(&r)
			v, _ := json.Marshal(r)
			return b.Put(k, v)
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	t.Run("untouched", func(t *testing.T) {
		svc, _, _, _ := setup(t)
		r := verify(t, svc)
		if !r.OK() || r.Events != 3 || r.Anchors != 1 || r.Originals != 2 {
			t.Errorf("untouched archive: %+v; want 3 events, 1 anchor, 2 originals, no failure", r)
		}
	})
	t.Run("event edited", func(t *testing.T) {
		svc, store, _, _ := setup(t)
		editEvent(t, store, 2, func(r *eventRecord) { r.Comment = "another file" })
		want(t, verify(t, svc), "chain", "2")
	})
	t.Run("event deleted", func(t *testing.T) {
		svc, store, _, _ := setup(t)
		store.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketEvents).Delete(binary.BigEndian.AppendUint64(nil, 2)) })
		want(t, verify(t, svc), "chain", "2")
	})
	t.Run("chain rewritten", func(t *testing.T) {
		svc, store, _, _ := setup(t)
		// Edit event 2 and recompute every hash after it: the chain holds, the anchor does not.
		prev := ""
		for seq := uint64(1); seq <= 3; seq++ {
			editEvent(t, store, seq, func(r *eventRecord) {
				if seq == 2 {
					r.Comment = "another file"
				}
				r.Prev = prev
				e := r.event()
				r.Hash = intake.EventHash(e)
				prev = r.Hash
			})
		}
		r := verify(t, svc)
		want(t, r, "anchor", intake.AnchorKey(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)))
		for _, f := range r.Failures {
			if f.Check == "chain" {
				t.Errorf("a consistently rewritten chain reported as %+v; only the anchor can tell", f)
			}
		}
	})
	t.Run("package file replaced", func(t *testing.T) {
		svc, _, path, _ := setup(t)
		key, err := svc.Archive(ctx, intake.System, "")
		if err == nil || key != "" {
			t.Fatalf("archive without an application: %q, %v", key, err)
		}
		apps, _, _ := svc.Applications(ctx, intake.System, intake.ApplicationQuery{})
		key, err = svc.Archive(ctx, intake.System, apps[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if k2, err := svc.Archive(ctx, intake.System, apps[0].ID); err != nil || k2 == key {
			t.Fatalf("second archive the same day: %q, %v; want another key", k2, err)
		}
		if r := verify(t, svc); !r.OK() || r.Packages != 2 {
			t.Fatalf("after archiving twice: %+v; want ok with two packages", r)
		}
		pkg := filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(path))), filepath.FromSlash(key))
		os.Chmod(pkg, 0o600)
		b, err := os.ReadFile(pkg)
		if err != nil {
			t.Fatal(err)
		}
		b[600] ^= 1 // inside the first payload file
		os.WriteFile(pkg, b, 0o600)
		want(t, verify(t, svc), "package", key)
	})
	t.Run("original changed", func(t *testing.T) {
		svc, _, path, docID := setup(t)
		os.Chmod(path, 0o600)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)-1] ^= 1
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		want(t, verify(t, svc), "original", docID)
	})
}
