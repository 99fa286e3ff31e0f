package ocr

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"syscall"
)

// WorkerMain is the whole of a worker process (the hidden "ocr-worker" subcommand): it limits its own
// memory to memLimit bytes of address space (0: no limit), then serves requests on fd 3 and answers on
// fd 4 until fd 3 closes. It returns the process exit code.
func WorkerMain(cfg EngineConfig, memLimit int64) int {
	if memLimit > 0 {
		lim := &syscall.Rlimit{Cur: uint64(memLimit), Max: uint64(memLimit)}
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, lim); err != nil {
			fmt.Fprintln(os.Stderr, "ocr-worker: set memory limit:", err)
			return 1
		}
		debug.SetMemoryLimit(memLimit / 2)
	}
	// A page's work leaves tens of MB of garbage (the decoded page, check-box and seal maps); at Go's
	// default (GOGC=100) it piles up to twice the page's live memory before it is collected. Its
	// buffers hold no pointers, so collecting more often costs little (issue 14: GOGC=20 held a worker
	// over 100 dev pages at 384 MB against 417, in 109.9 against 116.7 CPU-seconds). The operator's
	// GOGC wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(25)
	}
	in := os.NewFile(3, "requests")
	out := os.NewFile(4, "responses")
	if in == nil || out == nil {
		fmt.Fprintln(os.Stderr, "ocr-worker: fd 3 and 4 must be the request and response pipes")
		return 2
	}
	if err := ServeWorker(context.Background(), in, out, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "ocr-worker:", err)
		return 1
	}
	return 0
}
