package bagit

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"shenbao/internal/testreq"
)

// TestExtractAndCheckWithTools extracts a bag with the system's tar and checks
// both manifests with coreutils sha256sum -c, whose input format
// ("<hex>  <path>") is the manifest line format. It is skipped where either
// tool is missing. It then archives the extracted bag again with tar and
// validates that archive. Paths with CR, LF or % are left out: sha256sum does not
// decode RFC 8493's percent-encoding.
func TestExtractAndCheckWithTools(t *testing.T) {
	tarPath, err1 := exec.LookPath("tar")
	sumPath, err2 := exec.LookPath("sha256sum")
	if err1 != nil || err2 != nil {
		testreq.Skip(t, "tar or sha256sum not found")
	}
	dir := t.TempDir()
	bag := writeBag(t, "app-2026-0001", testInfo, testFiles)
	if err := os.WriteFile(filepath.Join(dir, "bag.tar"), bag, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(dir, name string, args ...string) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out.String())
		}
		t.Logf("%s %v:\n%s", filepath.Base(name), args, out.String())
	}
	run(dir, tarPath, "-xf", "bag.tar")
	bagDir := filepath.Join(dir, "app-2026-0001")
	if _, err := os.Stat(filepath.Join(bagDir, "data", "原件", "营业执照.txt")); err != nil {
		t.Fatalf("extracted bag lacks the Chinese-named file: %v", err)
	}
	run(bagDir, sumPath, "--strict", "-c", "manifest-sha256.txt")
	run(bagDir, sumPath, "--strict", "-c", "tagmanifest-sha256.txt")

	// The other way: the system tar's archive of the extracted bag, in its own
	// entry order and header format, validates.
	run(dir, tarPath, "-cf", "re.tar", "app-2026-0001")
	f, err := os.Open(filepath.Join(dir, "re.tar"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := Validate(f)
	if err != nil {
		t.Fatalf("Validate(re.tar): %v", err)
	}
	if !rep.Valid() || rep.PayloadFiles != 3 {
		t.Errorf("Validate(re.tar): %d payload files, problems:\n%s", rep.PayloadFiles, problems(rep))
	}
}
