// Package testreq decides what a test does when something it needs is missing: a corpus, a model, a
// program, a font or a test server. On a developer's machine it skips, saying what is missing; where
// everything is required it fails, so that a run that ought to test everything cannot pass without
// its subjects.
//
// Everything is required when SHENBAO_REQUIRE_SERVERS is true ("1"; scripts/test.sh sets it) or when CI
// is set to anything but a false value ("", "0", "false"). Tests read the environment only through
// this package.
package testreq

import (
	"fmt"
	"os"
	"strconv"
	"testing"
)

// Required reports whether every test must run: SHENBAO_REQUIRE_SERVERS is true or CI is set.
func Required() bool {
	if req, err := strconv.ParseBool(os.Getenv("SHENBAO_REQUIRE_SERVERS")); err == nil && req {
		return true
	}
	ci := os.Getenv("CI")
	if ci == "" {
		return false
	}
	on, err := strconv.ParseBool(ci)
	return err != nil || on // CI=yes, CI=true, CI=1: on; CI=0, CI=false: off
}

// Skip stops t because what it needs is missing: the message (fmt.Sprintf(format, args...)) says
// what, and how to get it. When Required it fails the test with that message instead of skipping.
func Skip(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if Required() {
		t.Fatalf("%s (required: SHENBAO_REQUIRE_SERVERS=1 or CI is set)", msg)
		return
	}
	t.Skip(msg)
}
