package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shenbao/intake"
	"shenbao/storage/bolt"
	"shenbao/storage/localdisk"
)

// `shenbao scrub` re-hashes the originals of the embedded stores and exits 1 naming a changed one; an
// original no document names is listed as an orphan, kept, and does not fail it.
func TestScrubCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("SHENBAO_DATA_DIR", dir)
	ctx := context.Background()
	blobs, err := localdisk.New(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := bolt.Open(filepath.Join(dir, "shenbao.db"))
	if err != nil {
		t.Fatal(err)
	}
	svc := intake.NewService(blobs, store, nil, slog.New(slog.DiscardHandler), time.Now, intake.Config{TempDir: t.TempDir()})
	p := intake.Principal{UserID: "usr_a", Name: "申报单位", Role: intake.RoleApplicant}
	a, err := svc.CreateApplication(ctx, p, intake.NewApplication{OrgName: "西藏某某科技有限公司", Region: "拉萨市", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := svc.Upload(ctx, p, a.ID, "a.jpg", strings.NewReader("\xFF\xD8\xFF\xE0 a jpeg"))
	if err != nil {
		t.Fatal(err)
	}
	stray := "\xFF\xD8\xFF\xE0 stored, never recorded"
	sum := sha256.Sum256([]byte(stray))
	strayKey := intake.BlobKey(hex.EncodeToString(sum[:]))
	if err := blobs.Put(ctx, strayKey, strings.NewReader(stray), int64(len(stray)), hex.EncodeToString(sum[:])); err != nil {
		t.Fatal(err)
	}
	store.Close(ctx)
	scrub := func() (int, scrubJSON, string) {
		var out, errb bytes.Buffer
		code := cmdScrub(ctx, []string{"--json"}, &out, &errb)
		var j scrubJSON
		json.Unmarshal(out.Bytes(), &j)
		return code, j, errb.String()
	}
	if code, j, _ := scrub(); code != 0 || !j.OK || j.Documents != 1 || len(j.Orphans) != 1 || j.Orphans[0] != strayKey {
		t.Fatalf("scrub of an untouched original beside an orphan: exit %d, %+v; want 0, ok, 1 document, the orphan %s named", code, j, strayKey)
	}
	if _, err := os.Stat(filepath.Join(dir, "blobs", strayKey)); err != nil {
		t.Errorf("the orphan after the scrub: %v; want it kept", err)
	}
	path := filepath.Join(dir, "blobs", d.BlobKey)
	os.Chmod(path, 0o600)
	os.WriteFile(path, []byte("\xFF\xD8\xFF\xE0 a jpEg"), 0o400)
	code, j, logs := scrub()
	if code != 1 || j.OK || len(j.Corrupt) != 1 || j.Corrupt[0] != d.ID || !strings.Contains(logs, "SCRUB") {
		t.Errorf("scrub of a changed original: exit %d, %+v, log %q; want 1 naming %s as corrupt, logged", code, j, logs, d.ID)
	}
}

// The data directory, the spool and the metadata file are private to the service's user, also when
// an older version made them open to others (the issue: 0644 files in a 0755 data directory).
func TestDataPrivate(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	os.MkdirAll(filepath.Join(data, "tmp"), 0o755)
	os.MkdirAll(filepath.Join(data, "blobs"), 0o755)
	os.Chmod(data, 0o755)
	os.WriteFile(filepath.Join(data, "shenbao.db"), nil, 0o644)
	startServer(t, map[string]string{"SHENBAO_DATA_DIR": data, "SHENBAO_SCRUB_EVERY": "0"})
	for name, want := range map[string]os.FileMode{"": 0o700, "tmp": 0o700, "blobs": 0o700, "shenbao.db": 0o600} {
		fi, err := os.Stat(filepath.Join(data, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o; want %o", filepath.Join("data", name), got, want)
		}
	}
}
