package intake_test

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shenbao/checklist"
	"shenbao/intake"
	"shenbao/internal/testreq"
	"shenbao/storage/bolt"
	"shenbao/storage/localdisk"
)

// bagitPython is the Library of Congress's bagit-python, vendored (see its README.md beside it).
const bagitPython = "../internal/bagit/testdata/bagit-python/bagit.py"

// runBagitPython runs `bagit.py --validate dir` with python3 and returns its exit code and output.
// The module reads its installed version at import; run from a file, it is given one.
func runBagitPython(t *testing.T, dir string) (int, string) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		testreq.Skip(t, "python3 not found: bagit-python cannot run (scripts/deps.sh --test)")
	}
	const wrapper = `import importlib.metadata, runpy, sys
importlib.metadata.version = lambda name: "vendored"
script = sys.argv[1]
sys.argv = [script] + sys.argv[2:]
runpy.run_path(script, run_name="__main__")`
	cmd := exec.Command(py, "-c", wrapper, bagitPython, "--validate", dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String()
	}
	t.Fatalf("run bagit-python: %v\n%s", err, out.String())
	return 0, ""
}

// untar writes the files of a tar stream under dir.
func untar(t *testing.T, r io.Reader, dir string) {
	t.Helper()
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if !filepath.IsLocal(hdr.Name) {
			t.Fatalf("tar entry %q outside the bag", hdr.Name)
		}
		path := filepath.Join(dir, filepath.FromSlash(hdr.Name))
		switch hdr.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(path, 0o755)
		case tar.TypeReg:
			var b []byte
			if b, err = io.ReadAll(tr); err == nil {
				if err = os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
					err = os.WriteFile(path, b, 0o644)
				}
			}
		default:
			t.Fatalf("tar entry %q of type %q", hdr.Name, hdr.Typeflag)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// pdfCompiler stands in for package compile: the 汇编 is a few bytes, which is all BagIt cares about.
type pdfCompiler struct{}

func (pdfCompiler) Compile(ctx context.Context, w io.Writer, a *intake.Application, report checklist.Report, docs []*intake.Document, open func(*intake.Document) (io.ReadCloser, error)) error {
	_, err := io.WriteString(w, "%PDF-1.7\n% 材料汇编 of "+a.ID+"\n%%EOF\n")
	return err
}

// TestPackageValidatesWithBagitPython: an archive package written by the Service — originals with
// Chinese names and a space, the 汇编, the records — extracted from its tar, is a valid bag for
// bagit-python; once a payload file is changed, it is not.
//
// A file name with a percent sign is left out: RFC 8493 §2.1.3 has a manifest write "%" as "%25",
// as internal/bagit does, while bagit-python encodes and decodes only CR and LF, and so looks for
// "100%25.jpg" on disk (README, the audit archive).
func TestPackageValidatesWithBagitPython(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	blobs, err := localdisk.New(dir + "/blobs")
	if err != nil {
		t.Fatal(err)
	}
	store, err := bolt.Open(dir + "/meta.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close(ctx) })
	svc := intake.NewService(blobs, store, &textRecognizer{lines: licence}, slog.New(slog.DiscardHandler),
		func() time.Time { return time.Date(2024, 5, 20, 10, 0, 0, 0, time.UTC) }, intake.Config{TempDir: dir, Compiler: pdfCompiler{}})
	a := createApp(t, svc)
	for name, body := range map[string]string{"营业执照.jpg": jpeg, "租赁 合同（2024）.jpg": jpeg + " of a lease"} {
		if _, _, err := svc.Upload(ctx, applicant, a.ID, name, strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
	}
	key, err := svc.Archive(ctx, staff, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := svc.Package(ctx, staff, a.ID, key, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	untar(t, rc, out)
	rc.Close()
	bag := filepath.Join(out, a.ID)
	for _, p := range []string{"data/汇编.pdf", "data/records/events.json", "manifest-sha256.txt", "tagmanifest-sha256.txt"} {
		if _, err := os.Stat(filepath.Join(bag, filepath.FromSlash(p))); err != nil {
			t.Errorf("the package lacks %s: %v", p, err)
		}
	}
	originals, _ := filepath.Glob(filepath.Join(bag, "data", "originals", "*"))
	if len(originals) != 2 {
		t.Fatalf("originals in the package: %q; want 2", originals)
	}

	code, msg := runBagitPython(t, bag)
	if code != 0 || !strings.Contains(msg, "is valid") {
		t.Fatalf("bagit-python on Shenbao's package: exit %d; want 0, valid\n%s", code, msg)
	}

	// A changed original: bagit-python must say so, or its "valid" above meant nothing.
	var lease string
	for _, p := range originals {
		if strings.Contains(p, "租赁") {
			lease = p
		}
	}
	b, err := os.ReadFile(lease)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] ^= 1 // same size: Payload-Oxum holds, only the checksum can tell
	if err := os.WriteFile(lease, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, msg = runBagitPython(t, bag)
	if code == 0 || !strings.Contains(msg, "invalid") || !strings.Contains(msg, "租赁 合同（2024）.jpg") {
		t.Errorf("bagit-python on a package with a changed original: exit %d; want non-zero, naming the file\n%s", code, msg)
	}
}
