package ocr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// renderBudget is what drawing one PDF page (pdftoppm) may cost, apart from the pool's PageTimeout for
// the whole reading of a page: a PDF of a few kilobytes can hold millions of drawing operators, or ask
// for a huge canvas. A page over its budget is the file's fault: it fails alone and is not read again.
type renderBudget struct {
	Time   time.Duration
	Memory int64 // bytes of address space
}

var defaultRenderBudget = renderBudget{Time: 60 * time.Second, Memory: 1 << 30}

// renderBudgetEnv carries the budget from the pool to its workers: "<duration>,<bytes>".
const renderBudgetEnv = "SHENBAO_OCR_RENDER_BUDGET"

// errOverBudget is a page that needed more than its drawing budget.
var errOverBudget = errors.New("over its drawing budget")

func (b renderBudget) env() string {
	return fmt.Sprintf("%s=%s,%d", renderBudgetEnv, b.Time, b.Memory)
}

// workerRenderBudget is the budget the pool gave this worker process, or the default.
func workerRenderBudget() renderBudget {
	b := defaultRenderBudget
	t, m, ok := strings.Cut(os.Getenv(renderBudgetEnv), ",")
	if !ok {
		return b
	}
	if d, err := time.ParseDuration(t); err == nil && d > 0 {
		b.Time = d
	}
	if n, err := strconv.ParseInt(m, 10, 64); err == nil && n > 0 {
		b.Memory = n
	}
	return b
}

// drawPage runs pdftoppm with args to draw page n within the worker's render budget: its own timeout,
// and an address-space limit set by the shell that execs it (so that it holds from pdftoppm's first
// allocation). Over budget, the error wraps errOverBudget and says which limit, without pdftoppm's
// words (an allocation failure there is the page's appetite, not the service running short).
func drawPage(ctx context.Context, n int, args ...string) error {
	b := workerRenderBudget()
	ctx, cancel := context.WithTimeout(ctx, b.Time)
	defer cancel()
	kb := strconv.FormatInt(max(b.Memory>>10, 1), 10)
	cmd := exec.CommandContext(ctx, "sh", append([]string{"-c", `ulimit -v "$0" && exec pdftoppm "$@"`, kb}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	switch {
	case err == nil && outOfMemory(stderr.String()):
		// pdftoppm says "Out of memory", writes a 1×1 image and exits 0: a blank page that is not.
		return fmt.Errorf("pdf page %d: %w: drawing needed more than %d MiB", n, errOverBudget, b.Memory>>20)
	case err == nil:
		return nil
	case ctx.Err() == context.DeadlineExceeded:
		return fmt.Errorf("pdf page %d: %w: drawing took longer than %s", n, errOverBudget, b.Time)
	case overMemory(err, stderr.String()):
		return fmt.Errorf("pdf page %d: %w: drawing needed more than %d MiB", n, errOverBudget, b.Memory>>20)
	}
	return fmt.Errorf("pdftoppm page %d: %w: %s", n, err, firstLine(stderr.String()))
}

// overMemory reports whether pdftoppm failed for want of memory: it says so, or it was killed by the
// abort or the segmentation fault that a failed allocation ends in.
func overMemory(err error, stderr string) bool {
	var ee *exec.ExitError
	if errors.As(err, &ee) && !ee.Exited() {
		return true // killed by a signal (SIGABRT on std::bad_alloc, SIGSEGV on an unchecked malloc)
	}
	return outOfMemory(stderr)
}
