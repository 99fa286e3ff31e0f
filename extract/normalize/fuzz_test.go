package normalize

import (
	"math"
	"testing"
)

func FuzzAmount(f *testing.F) {
	for _, s := range []string{"500万元", "人民币伍拾万元整", "1,234,567.89", "壹万肆仟壹佰捌拾贰元柒角贰分", "一亿二千万", "万万万", "零零零元零角", "1e309", "-5", ",,,.", "９９９万"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := Amount(s)
		if ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Errorf("Amount(%q) = %v", s, v)
		}
		Number(s)
		Integer(s)
		Percent(s)
		Area(s)
		ChineseInt(s)
		FormatNumber(v)
		Name(s)
		CorrectCreditCode(s)
	})
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"2023年3月5日", "二〇二三年三月五日", "2023-02-29", "长期有效", "自2020年至长期", "0000.00.00", "二〇二三年十十十月三十三日"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, ok := Date(s); ok && v != LongTerm && len(v) != 10 {
			t.Errorf("Date(%q) = %q", s, v)
		}
		TermEnd(s)
		for _, m := range FindDates(s) {
			if m.Start < 0 || m.End > len(Fold(s)) || m.Start > m.End {
				t.Errorf("FindDates(%q): bad span %v", s, m)
			}
		}
	})
}
