package main

import (
	"os"
	"path/filepath"
	"shenbao/bench/internal/procmem"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// clockTicks is the kernel's USER_HZ, the unit of the CPU times in /proc/<pid>/stat (100 on Linux).
const clockTicks = 100

// sampler reads /proc for the serve process and the processes below it: the memory of each, and the
// CPU time of each OCR worker (its own, its children's once reaped, and its live children's, so that a
// page drawn by pdftoppm counts as the worker's).
type sampler struct {
	serve int

	mu                            sync.Mutex
	serveRSS, servePeak, serveHWM int64 // KB
	workers                       map[int]*proc
	others                        map[int]int64 // pid → peak VmRSS (KB) of a worker's child
	samples                       []cpuSample
}

type proc struct {
	pid          int
	firstRSS     int64 // KB, at its first sample (its models loaded, if it was sampled after)
	hwm, peakRSS int64 // KB
	ticks        int64 // CPU of the worker and its children, at the latest sample
}

func (p *proc) cpuSeconds() float64 { return float64(p.ticks) / clockTicks }

// cpuSample is the CPU ticks of each worker at one time, and which workers were reading: a thread of
// theirs (or of a child's) runnable or in disk sleep, whether it had a core or waited for one. An idle
// worker's threads all sleep, waiting for a request.
type cpuSample struct {
	at      time.Time
	ticks   map[int]int64
	running map[int]bool
}

func newSampler(serve int) *sampler {
	return &sampler{serve: serve, workers: map[int]*proc{}, others: map[int]int64{}}
}

// every samples every d until the returned function is called.
func (s *sampler) every(d time.Duration) (stop func()) {
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				s.sample()
			}
		}
	}()
	return func() { close(done); <-stopped }
}

func (s *sampler) sample() {
	now := time.Now()
	tree := processTree()
	s.mu.Lock()
	defer s.mu.Unlock()
	if rss, hwm := procmem.Memory(s.serve); rss > 0 {
		s.serveRSS, s.servePeak, s.serveHWM = rss, max(s.servePeak, rss), max(s.serveHWM, hwm)
	}
	cs := cpuSample{at: now, ticks: map[int]int64{}, running: map[int]bool{}}
	for _, c := range tree[s.serve] {
		if !isWorker(c) {
			continue
		}
		p := s.workers[c]
		if p == nil {
			p = &proc{pid: c}
			s.workers[c] = p
		}
		rss, hwm := procmem.Memory(c)
		if rss == 0 {
			continue // gone
		}
		if p.firstRSS == 0 {
			p.firstRSS = rss
		}
		p.hwm, p.peakRSS = max(p.hwm, hwm), max(p.peakRSS, rss)
		own, reaped := cpuTicks(c)
		total := own + reaped
		cs.running[c] = running(c)
		for _, d := range below(tree, c) {
			t, _ := cpuTicks(d)
			total += t
			cs.running[c] = cs.running[c] || running(d)
			if r, _ := procmem.Memory(d); r > s.others[d] {
				s.others[d] = r
			}
		}
		p.ticks = max(p.ticks, total)
		cs.ticks[c] = p.ticks
	}
	s.samples = append(s.samples, cs)
}

// busy is, between from and to, the mean number of workers reading (see cpuSample), the share of the
// samples when all n were, and the mean number of cores the workers had. On a machine busy with other
// work the workers (niced) read with less than a core each: the first two tell whether pages were
// given to both workers at once, the last how much CPU they got.
func (s *sampler) busy(from, to time.Time, n int) (reading, all, onCPU float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var span, used float64
	samples, allSamples, runningSum := 0, 0, 0
	for i := 1; i < len(s.samples); i++ {
		a, b := s.samples[i-1], s.samples[i]
		if a.at.Before(from) || b.at.After(to) {
			continue
		}
		dt := b.at.Sub(a.at).Seconds()
		for pid, t := range b.ticks {
			if t0, ok := a.ticks[pid]; ok {
				used += min(float64(t-t0)/clockTicks/dt, 1) * dt
			}
		}
		span += dt
		r := 0
		for _, on := range b.running {
			if on {
				r++
			}
		}
		samples++
		runningSum += r
		if r >= n {
			allSamples++
		}
	}
	if span == 0 || samples == 0 {
		return 0, 0, 0
	}
	return float64(runningSum) / float64(samples), float64(allSamples) / float64(samples), used / span
}

// workerCPU is the CPU-seconds of the workers between from and to.
func (s *sampler) workerCPU(from, to time.Time) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ticks int64
	for i := 1; i < len(s.samples); i++ {
		a, b := s.samples[i-1], s.samples[i]
		if b.at.Before(from) || a.at.After(to) {
			continue
		}
		for pid, t := range b.ticks {
			ticks += t - a.ticks[pid] // a worker that started since: all its time
		}
	}
	return float64(ticks) / clockTicks
}

func (s *sampler) workerList() []*proc {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*proc
	for _, p := range s.workers {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *proc) int { return a.pid - b.pid })
	return out
}

func (s *sampler) otherPeak() (n int, peak int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.others {
		peak = max(peak, r)
	}
	return len(s.others), peak
}

// processTree maps each pid to its children's.
func processTree() map[int][]int {
	children := map[int][]int{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		fields := statFields(f)
		if len(fields) < 2 {
			continue
		}
		ppid, err1 := strconv.Atoi(fields[1])
		p, err2 := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		if err1 == nil && err2 == nil {
			children[ppid] = append(children[ppid], p)
		}
	}
	return children
}

// below is every process under pid.
func below(tree map[int][]int, pid int) []int {
	var out []int
	for _, c := range tree[pid] {
		out = append(out, c)
		out = append(out, below(tree, c)...)
	}
	return out
}

// statFields are the fields of /proc/<pid>/stat after the command's name: state, ppid, ….
func statFields(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(string(b[i+1:]))
}

// cpuTicks is the process's own user+system time, and that of its children it has waited for.
func cpuTicks(pid int) (own, reaped int64) {
	f := statFields("/proc/" + strconv.Itoa(pid) + "/stat")
	if len(f) < 15 {
		return 0, 0
	}
	n := func(i int) int64 { v, _ := strconv.ParseInt(f[i], 10, 64); return v }
	// After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
	return n(11) + n(12), n(13) + n(14)
}

// running reports whether a thread of the process is runnable (R) or in disk sleep (D).
func running(pid int) bool {
	tasks, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/[0-9]*/stat")
	for _, t := range tasks {
		if f := statFields(t); len(f) > 0 && (f[0] == "R" || f[0] == "D") {
			return true
		}
	}
	return false
}

func isWorker(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	return err == nil && strings.Contains(string(b), "ocr-worker")
}
