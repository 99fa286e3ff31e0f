package extract

import (
	"math"
	"strconv"
)

// Checks of a document's values against each other and against what such values can be. A value
// that fails one is kept (a reviewer sees what was read) but flagged and its confidence lowered
// below the UI's threshold, so that it is never shown as certain.

const doubtfulConf = 0.5 // the confidence of a value that a check contradicts

// flag marks field name as doubtful for reason.
func (fs *fieldSet) flag(name, reason string) {
	f, ok := fs.m[name]
	if !ok {
		return
	}
	for _, x := range f.Flags {
		if x == reason {
			return
		}
	}
	f.Flags = append(f.Flags, reason)
	f.Confidence = math.Min(f.Confidence, doubtfulConf)
	fs.m[name] = f
}

func (fs *fieldSet) number(name string) (float64, bool) {
	f, ok := fs.m[name]
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(f.Value, 64)
	return v, err == nil
}

// checkValues flags the values that cannot be right:
//   - an amount of a legal person's assets or capital under 1,000 yuan (a 行次 or a page number
//     read for the amount: audited entities hold far more);
//   - a balance sheet whose totals break 资产 = 负债 + 所有者权益 (beyond rounding);
//   - more qualified staff than staff;
//   - a date before 1949 for an organisation's founding, a lease that ends before it starts.
func checkValues(fs *fieldSet) {
	for _, n := range []string{"total_assets_yuan", "registered_capital_yuan"} {
		if v, ok := fs.number(n); ok && v > 0 && v < 1000 {
			fs.flag(n, "implausible")
		}
	}
	a, okA := fs.number("total_assets_yuan")
	l, okL := fs.number("total_liabilities_yuan")
	e, okE := fs.number("net_assets_yuan")
	if okA && okL && okE && math.Abs(a-(l+e)) > math.Max(1, 0.001*math.Abs(a)) {
		for _, n := range []string{"total_assets_yuan", "total_liabilities_yuan", "net_assets_yuan"} {
			fs.flag(n, "inconsistent")
		}
	}
	if s, ok := fs.number("staff_total"); ok {
		if q, ok := fs.number("staff_qualified"); ok && q > s {
			fs.flag("staff_qualified", "inconsistent")
			fs.flag("staff_total", "inconsistent")
		}
	}
	if f, ok := fs.m["established_date"]; ok && f.Value < "1949-10-01" {
		fs.flag("established_date", "implausible")
	}
	if s, ok := fs.m["lease_start"]; ok {
		if e, ok := fs.m["lease_end"]; ok && e.Value <= s.Value {
			fs.flag("lease_start", "inconsistent")
			fs.flag("lease_end", "inconsistent")
		}
	}
}
