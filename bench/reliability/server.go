package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"shenbao/bench/internal/svc"
)

// server is the real program (`shenbao serve`) on 127.0.0.1, started as its own process group so that
// it and its OCR workers can be killed together, and started again on the same address and data
// (Addr the same at every start, Log appended to).
type server struct{ svc.Server }

// start runs the server and waits until it listens and /healthz answers (60 s at most).
func (s *server) start() error {
	logf, err := os.OpenFile(s.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	return s.Server.Start(logf, s.kill)
}

// alive reports whether the server process is still running.
func (s *server) alive() bool {
	if s.Cmd == nil {
		return false
	}
	select {
	case <-s.Done:
		return false
	default:
		return true
	}
}

// kill sends SIGKILL to the server (kill -9) and to its OCR workers, which a real kill -9 of the
// server would leave to die by themselves, and waits.
func (s *server) kill() {
	if s.Cmd == nil {
		return
	}
	pid := s.Cmd.Process.Pid
	left := descendants(pid)
	s.Cmd.Process.Signal(syscall.SIGKILL)
	<-s.Done
	for _, p := range left {
		syscall.Kill(p, syscall.SIGKILL)
	}
}

// stop asks the server to stop (SIGTERM) and waits for it, 60 s at most, then kills it. It reports
// whether the server stopped by itself with exit code 0.
func (s *server) stop() (clean bool) {
	if !s.alive() {
		return false
	}
	s.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.Done:
		return s.Cmd.ProcessState.ExitCode() == 0
	case <-time.After(60 * time.Second):
		s.kill()
		return false
	}
}

// workers are the pids of the server's OCR worker processes.
func (s *server) workers() []int {
	if !s.alive() {
		return nil
	}
	var out []int
	for _, p := range descendants(s.Cmd.Process.Pid) {
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p)); err == nil && strings.Contains(string(b), "ocr-worker") {
			out = append(out, p)
		}
	}
	return out
}

// descendants are the pids of the processes below pid (its children, theirs, …).
func descendants(pid int) []int {
	children := map[int][]int{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		i := strings.LastIndexByte(string(b), ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(string(b[i+1:])) // state, ppid, …
		if len(fields) < 2 {
			continue
		}
		ppid, err1 := strconv.Atoi(fields[1])
		p, err2 := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		if err1 == nil && err2 == nil {
			children[ppid] = append(children[ppid], p)
		}
	}
	var out []int
	var walk func(int)
	walk = func(p int) {
		for _, c := range children[p] {
			out = append(out, c)
			walk(c)
		}
	}
	walk(pid)
	return out
}

// runCommand runs the program with args and env, stdin given, and returns its stdout.
func runCommand(ctx context.Context, bin string, env []string, stdin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w: %s", filepath.Base(bin), strings.Join(args, " "), err, lastLines(stderr.String(), 5))
	}
	return string(out), nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
