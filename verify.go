package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	webapi "shenbao/api"
	"shenbao/compile"
	"shenbao/intake"
	"shenbao/ocr"
)

// cmdVerify checks the archive — the log's hash chain and its anchored heads, each application's
// state against its last transition, every original against its SHA-256 and (if it was read at
// upload) its first page drawn, every package and the 汇编 in it, retention — prints what it found (a
// table, or JSON with --json) and exits 1 if anything failed, naming the object and the check.
func cmdVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var asJSON bool
	var app string
	c, _, err := parseConfig("verify", args, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
		fs.StringVar(&app, "application", "", "check this application only: its state, originals and packages (the log is checked whole)")
	})
	if err != nil {
		return 2
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	blobs, store, err := openStores(ctx, c, log)
	if err != nil {
		fmt.Fprintln(stderr, "shenbao verify:", err)
		return 1
	}
	defer store.Close(context.WithoutCancel(ctx))
	// The originals are drawn by the service's own renderer, in its worker processes with their
	// memory limit and page timeout; drawing needs no OCR models, so the workers start Tesseract only.
	c.OCREngine = ocr.ReaderTesseract
	pool, err := newPool(c, log)
	if err != nil {
		fmt.Fprintln(stderr, "shenbao verify:", err)
		return 1
	}
	defer pool.Close()
	tmp, err := os.MkdirTemp(filepath.Join(c.DataDir), "verify-")
	if err != nil {
		tmp, err = os.MkdirTemp("", "shenbao-verify-")
	}
	if err != nil {
		fmt.Fprintln(stderr, "shenbao verify:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	svc := intake.NewService(blobs, store, pool, log, clock, intake.Config{TempDir: tmp, Compiler: compiler{opt: compile.Options{TempDir: tmp}}})
	r, err := svc.Verify(ctx, intake.System, app)
	if err != nil {
		fmt.Fprintln(stderr, "shenbao verify:", err)
		return 1
	}
	if asJSON {
		json.NewEncoder(stdout).Encode(webapi.ToVerifyJSON(r, "all"))
	} else {
		fmt.Fprintf(stdout, "已核验：操作记录 %d 条，锚定 %d 个，原件 %d 份（绘制首页 %d 份），归档包 %d 个（材料汇编 %d 份）\n",
			r.Events, r.Anchors, r.Originals, r.Rendered, r.Packages, r.Compilations)
		if len(r.Failures) > 0 {
			tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "未通过\t检查项\t对象\t问题")
			for _, f := range r.Failures {
				fmt.Fprintf(tw, "✗\t%s\t%s\t%s\n", f.Check, f.Object, f.Problem)
			}
			tw.Flush()
		}
		for _, n := range r.Notes {
			fmt.Fprintf(stdout, "说明：%s\n", n)
		}
		if r.OK() {
			fmt.Fprintln(stdout, "✓ 全部检查通过")
		} else {
			fmt.Fprintf(stdout, "✗ 核验未通过：%d 处问题\n", len(r.Failures))
		}
	}
	if !r.OK() {
		return 1
	}
	return 0
}

// The 汇编 in the archive packages are checked with pdfcpu, as the compiler made them.
var _ intake.PDFValidator = compiler{}

// ValidatePDF checks the PDF at path with pdfcpu's validation in relaxed mode, what `pdfcpu validate`
// does by default.
func (compiler) ValidatePDF(_ context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	return api.Validate(f, conf)
}
