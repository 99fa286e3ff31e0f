package main

import (
	"sync/atomic"
	"time"
)

// clock is the service's time. It is time.Now, except in tests: the end-to-end tests in this package set
// it with setClock, and a binary built with the testclock tag (clock_testclock.go, for the browser
// tests) reads it from a file, so that a test can walk a recognition cycle through its 公示 and
// three-year validity without waiting.
func clock() time.Time {
	if f := clockFunc.Load(); f != nil {
		return (*f)()
	}
	return time.Now()
}

var clockFunc atomic.Pointer[func() time.Time]

func setClockFunc(f func() time.Time) { clockFunc.Store(&f) }
