package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"shenbao/intake"
)

// scrubJSON is what `shenbao scrub --json` prints.
type scrubJSON struct {
	OK        bool     `json:"ok"`
	Documents int      `json:"documents"`
	Filings   int      `json:"filings"`
	Objects   int      `json:"objects"`
	Missing   []string `json:"missing"` // document and filing (fil_…) ids
	Corrupt   []string `json:"corrupt"` // document and filing (fil_…) ids
	// Orphans are the keys of originals no document or filing names, kept (null: not looked for,
	// the blob store cannot list its objects).
	Orphans []string `json:"orphans"`
	Seconds float64  `json:"seconds"`
	Error   string   `json:"error,omitempty"`
}

// cmdScrub re-hashes every document's and filing's original in the blob store — what the service
// does every SHENBAO_SCRUB_EVERY — and lists the originals that nothing names (orphans, kept), prints
// what it found (or JSON with --json), each missing or corrupt original also logged to stderr, and
// exits 1 if any is missing or corrupt or the stores did not answer (orphans alone do not fail it).
// Unlike verify it neither checks the log nor draws pages: it is quick enough to run from cron.
func cmdScrub(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var asJSON bool
	c, _, err := parseConfig("scrub", args, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	})
	if err != nil {
		return 2
	}
	log := newLogger(c, stderr)
	blobs, store, err := openStores(ctx, c, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintln(stderr, "shenbao scrub:", err)
		return 1
	}
	defer store.Close(context.WithoutCancel(ctx))
	tmp, err := os.MkdirTemp("", "shenbao-scrub-")
	if err != nil {
		fmt.Fprintln(stderr, "shenbao scrub:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	svc := intake.NewService(blobs, store, nil, log, clock, intake.Config{TempDir: tmp})
	r, err := svc.Scrub(ctx)
	j := scrubJSON{OK: r.OK(), Documents: r.Documents, Filings: r.Filings, Objects: r.Objects, Missing: append([]string{}, r.Missing...),
		Corrupt: append([]string{}, r.Corrupt...), Seconds: r.Duration.Seconds(), Error: r.Err}
	if r.Listed {
		j.Orphans = append([]string{}, r.Orphans...)
	}
	if asJSON {
		json.NewEncoder(stdout).Encode(j)
	} else {
		fmt.Fprintf(stdout, "已校验：%d 份材料、%d 份年度报送文件的原件（%d 个对象），用时 %.1f 秒\n", r.Documents, r.Filings, r.Objects, r.Duration.Seconds())
		if len(r.Missing) > 0 {
			fmt.Fprintf(stdout, "✗ 原件缺失 %d 份：%s\n", len(r.Missing), strings.Join(r.Missing, "、"))
		}
		if len(r.Corrupt) > 0 {
			fmt.Fprintf(stdout, "✗ 原件与上传时不一致 %d 份：%s\n", len(r.Corrupt), strings.Join(r.Corrupt, "、"))
		}
		if len(r.Orphans) > 0 {
			fmt.Fprintf(stdout, "! 存储中有 %d 个原件没有任何材料或报送文件引用（已保留，未删除，请核查）：%s\n", len(r.Orphans), strings.Join(r.Orphans, "、"))
		}
		switch {
		case err != nil:
			fmt.Fprintf(stdout, "✗ 校验未完成：%v\n", err)
		case r.OK():
			fmt.Fprintln(stdout, "✓ 全部原件与上传时一致")
		}
	}
	if err != nil || !r.OK() {
		return 1
	}
	return 0
}
