//go:build testclock

package main

import (
	"os"
	"strings"
	"time"
)

// With the testclock tag, SHENBAO_TEST_CLOCK_FILE names a file holding an RFC 3339 time T: the clock
// reads T plus the time since the file was last written, so a test moves the service's date by
// rewriting the file. Production builds do not have this file.
func init() {
	path := os.Getenv("SHENBAO_TEST_CLOCK_FILE")
	if path == "" {
		return
	}
	setClockFunc(func() time.Time {
		b, err := os.ReadFile(path)
		fi, err2 := os.Stat(path)
		if err != nil || err2 != nil {
			return time.Now()
		}
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(string(b)))
		if err != nil {
			return time.Now()
		}
		return t.Add(time.Since(fi.ModTime()))
	})
}
