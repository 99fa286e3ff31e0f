package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
)

// cmdWorker is `shenbao worker`: it reads documents — claims them from the metadata store, reads them
// with its own OCR workers and stores what it found — and serves no HTTP. Run it beside `serve`
// processes (with --api-only, or reading too) that share one MinIO and one MongoDB: each claim is a
// lease the worker renews while it reads, and a document whose worker died is read again by another
// once its lease (SHENBAO_LEASE) runs out. It stops on SIGINT or SIGTERM, putting the documents it is
// reading back in the queue.
func cmdWorker(ctx context.Context, args []string, stderr io.Writer) int {
	c, _, err := parseConfig("worker", args, stderr, nil)
	if err != nil {
		fmt.Fprintln(stderr, "shenbao worker:", err)
		return 2
	}
	log := newLogger(c, stderr)
	log.Info("starting worker", c.logValue()...)
	if err := work(ctx, c, log); err != nil {
		log.Error("worker", "err", err)
		return 1
	}
	return 0
}

func work(ctx context.Context, c config, log *slog.Logger) error {
	if c.MongoURI == "" {
		log.Warn("no SHENBAO_MONGO_URI: the embedded store is one process's, so this worker cannot share it with a running serve")
	}
	blobs, store, err := openStores(ctx, c, log)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	pool, err := newPool(c, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	c.APIOnly = false // a worker is for reading
	svc, err := newService(c, log, blobs, store, pool, nil)
	if err != nil {
		return err
	}
	err = svc.Run(ctx)
	log.Info("stopped")
	return err
}
