package testreq

import (
	"fmt"
	"testing"
)

// recorder is a testing.TB that records whether it was failed or skipped.
type recorder struct {
	testing.TB
	failed, skipped string
}

func (r *recorder) Helper()                        {}
func (r *recorder) Fatalf(format string, a ...any) { r.failed = fmt.Sprintf(format, a...) }
func (r *recorder) Skip(a ...any)                  { r.skipped = fmt.Sprint(a...) }

func TestSkip(t *testing.T) {
	for _, tc := range []struct {
		require, ci string
		wantFail    bool
	}{
		{"", "", false},
		{"0", "", false},
		{"", "false", false},
		{"", "0", false},
		{"1", "", true},
		{"true", "", true},
		{"", "true", true},
		{"", "1", true},
		{"", "yes", true},
		{"0", "true", true},
	} {
		t.Setenv("SHENBAO_REQUIRE_SERVERS", tc.require)
		t.Setenv("CI", tc.ci)
		r := &recorder{}
		Skip(r, "corpus not found at %s", "dev")
		name := fmt.Sprintf("SHENBAO_REQUIRE_SERVERS=%q CI=%q", tc.require, tc.ci)
		switch {
		case tc.wantFail && (r.failed == "" || r.skipped != ""):
			t.Errorf("%s: failed %q, skipped %q; want it failed", name, r.failed, r.skipped)
		case !tc.wantFail && (r.skipped != "corpus not found at dev" || r.failed != ""):
			t.Errorf("%s: failed %q, skipped %q; want it skipped with the message", name, r.failed, r.skipped)
		}
		if tc.wantFail && r.failed != "corpus not found at dev (required: SHENBAO_REQUIRE_SERVERS=1 or CI is set)" {
			t.Errorf("%s: failure message %q; want what is missing and why it is required", name, r.failed)
		}
	}
}
