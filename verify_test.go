package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"shenbao/internal/testpdf"
	"strings"
	"testing"

	"shenbao/checklist"
	"shenbao/compile"
	"shenbao/intake"
)

// onePagePDF is a well-formed PDF of one empty A4 page, with a correct cross-reference table.
func onePagePDF() []byte {
	return testpdf.Assemble("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
}

// brokenCompiler makes a 汇编 that is not a valid PDF: a header, then nothing a reader can use.
type brokenCompiler struct{}

func (brokenCompiler) Compile(ctx context.Context, w io.Writer, a *intake.Application, report checklist.Report, docs []*intake.Document, open func(*intake.Document) (io.ReadCloser, error)) error {
	_, err := io.WriteString(w, "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
	return err
}

// TestVerifyUsability runs `shenbao verify` on an embedded archive with the service's real renderer
// (the OCR worker processes drawing the first page) and pdfcpu: an original read at upload that no
// longer draws fails "usability" by its document's id; one that was unreadable already at upload is
// only noted; a package whose 汇编 is not a valid PDF fails "compilation" by the package's key and the
// 汇编's path in it, while the real compiler's 汇编 passes. The human table names the same.
func TestVerifyUsability(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv("SHENBAO_DATA_DIR", dir)
	t.Setenv("SHENBAO_WORKERS", "1")
	c, _, err := parseConfig("verify", nil, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	blobs, store, err := openStores(ctx, c, log)
	if err != nil {
		t.Fatal(err)
	}
	owner := intake.Principal{UserID: "usr_owner", Name: "西藏测试服务有限公司", Role: intake.RoleApplicant}
	broken := intake.NewService(blobs, store, nil, log, clock, intake.Config{TempDir: dir, Compiler: brokenCompiler{}})
	real := intake.NewService(blobs, store, nil, log, clock, intake.Config{TempDir: dir, Compiler: compiler{opt: compile.Options{TempDir: dir}}})

	// The applications' documents, stored as the worker left them: read (done) or not (failed).
	upload := func(app, name string, body []byte, st intake.Status) *intake.Document {
		t.Helper()
		d, _, err := broken.Upload(ctx, owner, app, name, bytes.NewReader(body))
		if err != nil {
			t.Fatalf("upload %s: %v", name, err)
		}
		d.Status, d.PageCount, d.PagesDone = st, 1, 1
		if st == intake.StatusFailed {
			d.Reason, d.PageCount, d.PagesDone = "文件已损坏，无法读取。", 0, 0
		}
		if err := store.UpdateDocument(ctx, d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	newApp := func() *intake.Application {
		t.Helper()
		a, err := broken.CreateApplication(ctx, owner, intake.NewApplication{OrgName: "西藏测试服务有限公司", Region: "拉萨市", Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	pdf := onePagePDF()
	a := newApp()
	good := upload(a.ID, "营业执照.pdf", pdf, intake.StatusDone)
	// Cut before its cross-reference table: no reader opens it.
	cut := pdf[:bytes.Index(pdf, []byte("xref"))]
	unreadable := upload(a.ID, "审计报告.pdf", cut, intake.StatusFailed)
	// The same kind of file, but the store says it was read at upload: it no longer draws.
	lost := upload(a.ID, "租赁合同.pdf", append(append([]byte{}, cut...), "% a lease\n"...), intake.StatusDone)
	brokenKey, err := broken.Archive(ctx, intake.System, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	b := newApp()
	upload(b.ID, "营业执照.pdf", append(append([]byte{}, pdf...), "% of another applicant\n"...), intake.StatusDone)
	goodKey, err := real.Archive(ctx, intake.System, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Close(ctx); err != nil { // verify opens the embedded store itself
		t.Fatal(err)
	}

	var out, errb bytes.Buffer
	if code := cmdVerify(ctx, []string{"--json"}, &out, &errb); code != 1 {
		t.Fatalf("verify --json: exit %d; want 1\n%s%s", code, out.String(), errb.String())
	}
	var r struct {
		OK                                                   bool
		Originals, Rendered, Packages, Compilations, Anchors int
		Failures                                             []struct{ Check, Object, Problem string }
		Notes                                                []string
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("verify --json: %v\n%s", err, out.String())
	}
	var got []string
	for _, f := range r.Failures {
		got = append(got, f.Check+" "+f.Object)
	}
	want := []string{"compilation " + brokenKey + ":data/汇编.pdf", "usability " + lost.ID}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("failures:\n%s\nwant:\n%s\n(full report: %s)", strings.Join(got, "\n"), strings.Join(want, "\n"), out.String())
	}
	if r.OK || r.Originals != 4 || r.Rendered != 2 || r.Packages != 2 || r.Compilations != 2 {
		t.Errorf("report %s; want 4 originals, 2 drawn (%s and the other applicant's), 2 packages and their 汇编 checked", out.String(), good.ID)
	}
	if notes := strings.Join(r.Notes, "\n"); !strings.Contains(notes, unreadable.ID) {
		t.Errorf("notes %q; want %s, unreadable since its upload, named", notes, unreadable.ID)
	}

	out.Reset()
	if code := cmdVerify(ctx, nil, &out, &errb); code != 1 {
		t.Fatalf("verify: exit %d; want 1\n%s%s", code, out.String(), errb.String())
	}
	lines := strings.Split(out.String(), "\n")
	for _, w := range [][]string{{"usability", lost.ID, "租赁合同.pdf", "第 1 页"}, {"compilation", brokenKey + ":data/汇编.pdf", "pdfcpu"}, {"说明", unreadable.ID}, {"核验未通过：2 处问题"}} {
		found := false
		for _, l := range lines {
			all := true
			for _, s := range w {
				all = all && strings.Contains(l, s)
			}
			found = found || all
		}
		if !found {
			t.Errorf("no line of the table says %q:\n%s", w, out.String())
		}
	}
	if strings.Contains(out.String(), goodKey) {
		t.Errorf("the table names the package whose 汇编 is valid (%s):\n%s", goodKey, out.String())
	}
}
