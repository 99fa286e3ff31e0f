// Package storagetest is the conformance suite of Shenbao's storage backends, the way perkeep's
// storagetest.Test is: TestBlobStore runs against every intake.BlobStore (local disk, MinIO) and TestStore
// against every intake.Store (bbolt, MongoDB), each as subtests that read the contracts of the interfaces'
// doc comments. The constructor passed in must return a fresh, empty store for each subtest and close or
// drop it in t.Cleanup.
//
// ServerEnv points the tests of the server backends at the servers that scripts/testservers.sh starts.
package storagetest

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"shenbao/internal/testreq"
)

// TimeMargin is how far a stored time may be from the one written: stores may truncate to milliseconds
// (BSON dates do).
const TimeMargin = time.Millisecond

// cmpOpts compares what a store returns with what was written: times within TimeMargin in any location,
// nil and empty slices alike.
var cmpOpts = cmp.Options{cmpopts.EquateApproxTime(TimeMargin), cmpopts.EquateEmpty()}

// ServerEnv returns the values of the named environment variables, which scripts/testservers.sh writes
// to point tests at real servers. If one is missing the test is skipped with a message saying how to start
// them, unless they are required (internal/testreq): then it fails, so CI never skips silently.
func ServerEnv(t testing.TB, names ...string) []string {
	t.Helper()
	var missing []string
	vals := make([]string, len(names))
	for i, n := range names {
		vals[i] = os.Getenv(n)
		if vals[i] == "" {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return vals
	}
	msg := "test servers not configured: " + strings.Join(missing, ", ") + " unset; run " +
		"scripts/testservers.sh start && eval \"$(scripts/testservers.sh env)\""
	testreq.Skip(t, "%s", msg)
	return nil
}

// ids returns the ids of xs, for failure messages that read well.
func ids[T any](xs []T, id func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

// checkUTC checks that every time reachable from v is in UTC, as the stores give them back.
func checkUTC(t *testing.T, what string, v any) {
	t.Helper()
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(path, v.Elem())
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(fmt.Sprintf("%s[%d]", path, i), v.Index(i))
			}
		case reflect.Struct:
			if tm, ok := v.Interface().(time.Time); ok {
				if tm.Location() != time.UTC {
					t.Errorf("%s%s = %v; want it in UTC", what, path, tm)
				}
				return
			}
			for i := range v.NumField() {
				walk(path+"."+v.Type().Field(i).Name, v.Field(i))
			}
		}
	}
	walk("", reflect.ValueOf(v))
}
