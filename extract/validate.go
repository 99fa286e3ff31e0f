package extract

import (
	"math"
	"shenbao/doc"
	"shenbao/extract/normalize"
	"strconv"
	"strings"
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
//   - an amount of a legal person's assets or capital, or of a year's revenue or service income or
//     spending, under 1,000 yuan (a 行次, a page number or a lost amount's last digits read for the
//     amount: a platform that has served for two years handles far more);
//   - a balance sheet whose totals break 资产 = 负债 + 所有者权益 (beyond rounding), unless the one
//     read badly can be derived from the others (holdToSum);
//   - more qualified staff than staff;
//   - a date before 1949 for an organisation's founding, a lease that ends before it starts.
func checkValues(fs *fieldSet) {
	for _, n := range []string{"total_assets_yuan", "registered_capital_yuan", "revenue_yuan", "service_revenue_yuan", "service_expense_yuan"} {
		if v, ok := fs.number(n); ok && v > 0 && v < 1000 {
			fs.flag(n, "implausible")
		}
	}
	fs.holdToSum(fs.term("total_assets_yuan"), fs.term("total_liabilities_yuan"), fs.term("net_assets_yuan"))
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

// sumTerm is a figure of a sum: a field of the set (name), or a value read elsewhere (name "", with
// its evidence).
type sumTerm struct {
	name string
	v    float64
	ok   bool
	ev   evidence
}

func (fs *fieldSet) term(name string) sumTerm {
	v, ok := fs.number(name)
	return sumTerm{name: name, v: v, ok: ok}
}

// evidence is where the term was read.
func (t sumTerm) evidence(fs *fieldSet) evidence {
	if t.name == "" {
		return t.ev
	}
	f := fs.m[t.name]
	return evidence{text: f.Text, page: f.Page, box: f.Box, conf: f.Confidence}
}

// holdToSum holds three figures to total = a + b (资产 = 负债 + 所有者权益; 服务收入 = 服务支出 +
// 结余): a field not read is derived from the other two; of three that break the sum (beyond
// rounding), the first field among b, a and total that was read badly (see derive) is replaced by
// its derivation, and if none was, the fields are flagged inconsistent. A derived value is reasoned,
// not read: flagged derived, below the threshold of certainty, at the place of a figure it comes from.
func (fs *fieldSet) holdToSum(total, a, b sumTerm) {
	from := func(x sumTerm) evidence { // where a derivation of another term comes from
		if x.name == total.name && total.name != "" {
			return a.evidence(fs)
		}
		return total.evidence(fs)
	}
	switch {
	case total.ok && a.ok && b.ok:
		if math.Abs(total.v-(a.v+b.v)) <= math.Max(1, 0.001*math.Abs(total.v)) {
			return
		}
		for _, x := range []struct {
			t sumTerm
			v float64
		}{{b, total.v - a.v}, {a, total.v - b.v}, {total, a.v + b.v}} {
			if x.t.name != "" && fs.derive(x.t.name, x.v, true, from(x.t)) {
				return
			}
		}
		for _, t := range []sumTerm{total, a, b} {
			if t.name != "" {
				fs.flag(t.name, "inconsistent")
			}
		}
	case total.ok && a.ok && b.name != "":
		fs.derive(b.name, total.v-a.v, false, from(b))
	case total.ok && b.ok && a.name != "":
		fs.derive(a.name, total.v-b.v, false, from(a))
	case a.ok && b.ok && total.name != "":
		fs.derive(total.name, a.v+b.v, false, from(total))
	}
}

// derive sets field name to v, reasoned from other figures (flag derived, below certainty, with
// evidence ev). A value already read is replaced only when it is v read badly: below nothing, a
// thousandth of v or less (a figure lost but a digit), or v with digits lost at its start
// (2652241.12 for 12652241.12; 370813 for 1370813.80, its fen lost too). It reports whether it set
// the field.
func (fs *fieldSet) derive(name string, v float64, read bool, ev evidence) bool {
	w := normalize.FormatNumber(v)
	if v <= 0 {
		return false
	}
	if read {
		read := fs.m[name].Value
		got := strings.ReplaceAll(read, ".", "")
		r, _ := fs.number(name)
		lost := r <= 0 || r*1000 < v
		// digits lost at its start, and perhaps its fen with them (,370,813 for 1,370,813.80)
		whole, _, _ := strings.Cut(w, ".")
		cut := len(got) >= 4 && (strings.HasSuffix(strings.ReplaceAll(w, ".", ""), got) ||
			!strings.Contains(read, ".") && len(whole) > len(read) && strings.HasSuffix(whole, read))
		if !lost && !cut {
			return false
		}
		delete(fs.m, name)
	}
	ev.conf = min(ev.conf, doc.SureConfidence-0.05)
	fs.set(name, w, ev, "derived")
	return true
}
