// Package procmem reads what the kernel says of a process's memory (/proc/<pid>/status).
package procmem

import (
	"os"
	"strconv"
	"strings"
)

// Memory is the process's VmRSS and VmHWM in KB (0 when it is gone).
func Memory(pid int) (rss, hwm int64) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		switch k {
		case "VmRSS":
			rss, _ = strconv.ParseInt(f[0], 10, 64)
		case "VmHWM":
			hwm, _ = strconv.ParseInt(f[0], 10, 64)
		}
	}
	return rss, hwm
}

// ResetPeak sets this process's VmHWM back to its resident set (Linux 4.0 and later).
func ResetPeak() error {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}
