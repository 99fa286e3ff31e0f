package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"

	"shenbao/intake"
)

// cmdVerify checks the archive — the log's hash chain, the chain against its anchored heads, every
// original against its SHA-256 — prints what it found (a table, or JSON with --json) and exits 1 if
// anything failed, naming the object and the check.
func cmdVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var asJSON bool
	var app string
	c, _, err := parseConfig("verify", args, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
		fs.StringVar(&app, "application", "", "check the originals of this application only")
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
	svc := intake.NewService(blobs, store, nil, log, clock, intake.Config{})
	r, err := svc.Verify(ctx, intake.System, app)
	if err != nil {
		fmt.Fprintln(stderr, "shenbao verify:", err)
		return 1
	}
	if asJSON {
		type finding struct {
			Check   string `json:"check"`
			Object  string `json:"object"`
			Problem string `json:"problem"`
		}
		out := struct {
			OK        bool      `json:"ok"`
			Events    int       `json:"events"`
			Anchors   int       `json:"anchors"`
			Originals int       `json:"originals"`
			Packages  int       `json:"packages"`
			Failures  []finding `json:"failures"`
			Notes     []string  `json:"notes"`
		}{OK: r.OK(), Events: r.Events, Anchors: r.Anchors, Originals: r.Originals, Packages: r.Packages, Failures: []finding{}, Notes: append([]string{}, r.Notes...)}
		for _, f := range r.Failures {
			out.Failures = append(out.Failures, finding{f.Check, f.Object, f.Problem})
		}
		json.NewEncoder(stdout).Encode(out)
	} else {
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "checked\tevents %d\tanchors %d\toriginals %d\tpackages %d\n", r.Events, r.Anchors, r.Originals, r.Packages)
		for _, f := range r.Failures {
			fmt.Fprintf(tw, "FAIL\t%s\t%s\t%s\n", f.Check, f.Object, f.Problem)
		}
		for _, n := range r.Notes {
			fmt.Fprintf(tw, "note\t%s\t\t\n", n)
		}
		if r.OK() {
			fmt.Fprintln(tw, "ok\tevery check passed\t\t")
		}
		tw.Flush()
	}
	if !r.OK() {
		return 1
	}
	return 0
}
