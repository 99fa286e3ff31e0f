package calendar

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// d is the civil date "YYYY-MM-DD" at midnight, Asia/Shanghai.
func d(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation(time.DateOnly, s, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustDefault(t *testing.T) *Calendar {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return c
}

// TestLunarGoRange pins the years lunar-go v1.4.7's table holds, as the package comment states them (2002–2027,
// with only the New Year 2002 weekend of 2001). If lunar-go is upgraded, update the package comment with this test.
func TestLunarGoRange(t *testing.T) {
	counts := map[int]int{}
	for y := lunarScanFrom; y <= lunarScanTo; y++ {
		if n := HolidayUtil.GetHolidaysByYear(y).Len(); n > 0 {
			counts[y] = n
		}
	}
	var present []int
	for y := range counts {
		present = append(present, y)
	}
	slices.Sort(present)
	if len(present) == 0 || present[0] != 2001 || present[len(present)-1] != 2027 {
		t.Fatalf("years present in lunar-go's table: %v; want 2001 to 2027", present)
	}
	var first []string
	for e := HolidayUtil.GetHolidaysByYear(2001).Front(); e != nil; e = e.Next() {
		first = append(first, e.Value.(*HolidayUtil.Holiday).String())
	}
	if want := []string{"2001-12-29 元旦节调休 2002-01-01", "2001-12-30 元旦节调休 2002-01-01"}; !slices.Equal(first, want) {
		t.Errorf("lunar-go's 2001 records: got %q; want %q", first, want)
	}

	lunar, err := lunarYears()
	if err != nil {
		t.Fatal(err)
	}
	var covered []int
	for y := range lunar {
		covered = append(covered, y)
	}
	slices.Sort(covered)
	var want []int
	for y := 2002; y <= 2027; y++ {
		want = append(want, y)
	}
	if !slices.Equal(covered, want) {
		t.Errorf("years covered by lunar-go: got %v; want %v", covered, want)
	}
}

// holidaySet is one year of data as sorted "YYYY-MM-DD" strings, for comparison.
func holidaySet(y yearData) (holidays, workdays []string) {
	str := func(ks []day) []string {
		var out []string
		for _, k := range ks {
			out = append(out, k.date().Format(time.DateOnly))
		}
		slices.Sort(out)
		return out
	}
	return str(y.holidays), str(y.workdays)
}

// span lists the dates from..to inclusive.
func span(t *testing.T, from, to string) []string {
	var out []string
	for v := d(t, from); !v.After(d(t, to)); v = v.AddDate(0, 0, 1) {
		out = append(out, v.Format(time.DateOnly))
	}
	return out
}

// TestNotice2026 compares lunar-go's 2026 and the embedded file's 2026 with the notice 国办发明电〔2025〕7号 as
// written there.
func TestNotice2026(t *testing.T) {
	var holidays []string
	for _, r := range [][2]string{
		{"2026-01-01", "2026-01-03"}, // 元旦
		{"2026-02-15", "2026-02-23"}, // 春节
		{"2026-04-04", "2026-04-06"}, // 清明节
		{"2026-05-01", "2026-05-05"}, // 劳动节
		{"2026-06-19", "2026-06-21"}, // 端午节
		{"2026-09-25", "2026-09-27"}, // 中秋节
		{"2026-10-01", "2026-10-07"}, // 国庆节
	} {
		holidays = append(holidays, span(t, r[0], r[1])...)
	}
	workdays := []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}

	lunar, err := lunarYears()
	if err != nil {
		t.Fatal(err)
	}
	file, err := parse(strings.NewReader(string(embedded)))
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []struct {
		name string
		data map[int]yearData
	}{{"lunar-go", lunar}, {"holidays.json", file}} {
		h, w := holidaySet(src.data[2026])
		if !slices.Equal(h, holidays) {
			t.Errorf("%s 2026 holidays: got %v; want %v", src.name, h, holidays)
		}
		if !slices.Equal(w, workdays) {
			t.Errorf("%s 2026 workdays: got %v; want %v", src.name, w, workdays)
		}
	}
}

// TestEmbeddedAgreesWithLunarGo: the embedded file repeats lunar-go for the years both hold (2026, 2027). A
// deliberate correction must be listed here with the reason.
func TestEmbeddedAgreesWithLunarGo(t *testing.T) {
	lunar, err := lunarYears()
	if err != nil {
		t.Fatal(err)
	}
	file, err := parse(strings.NewReader(string(embedded)))
	if err != nil {
		t.Fatal(err)
	}
	var years []int
	for y := range file {
		years = append(years, y)
	}
	slices.Sort(years)
	if want := []int{2026, 2027}; !slices.Equal(years, want) {
		t.Errorf("years in holidays.json: got %v; want %v", years, want)
	}
	for _, y := range years {
		l, ok := lunar[y]
		if !ok {
			continue
		}
		fh, fw := holidaySet(file[y])
		lh, lw := holidaySet(l)
		if !slices.Equal(fh, lh) || !slices.Equal(fw, lw) {
			t.Errorf("%d: holidays.json has holidays %v, workdays %v; lunar-go has %v, %v", y, fh, fw, lh, lw)
		}
	}
}

func TestCoversAndYears(t *testing.T) {
	c := mustDefault(t)
	for _, tc := range []struct {
		year int
		want bool
	}{
		{2000, false},
		{2001, false}, // only the New Year 2002 weekend is in lunar-go's table
		{2002, true},
		{2015, true},
		{2025, true},
		{2026, true},
		{2027, true},
		{2028, false},
		{2031, false},
	} {
		if got := c.Covers(tc.year); got != tc.want {
			t.Errorf("Covers(%d): got %v; want %v", tc.year, got, tc.want)
		}
	}
	var want []int
	for y := 2002; y <= 2027; y++ {
		want = append(want, y)
	}
	got := c.Years()
	if !slices.Equal(got, want) {
		t.Errorf("Years(): got %v; want %v", got, want)
	}
	got[0] = 1900
	if c.Years()[0] != 2002 {
		t.Errorf("Years() shares its slice with the calendar")
	}
}

func TestIsWorkday(t *testing.T) {
	c := mustDefault(t)
	for _, tc := range []struct {
		date string
		want bool
		why  string
	}{
		{"2026-01-01", false, "元旦 (Thursday)"},
		{"2026-01-03", false, "元旦 (Saturday)"},
		{"2026-01-04", true, "调休 Sunday"},
		{"2026-01-05", true, "ordinary Monday"},
		{"2026-01-09", true, "ordinary Friday"},
		{"2026-01-10", false, "ordinary Saturday"},
		{"2026-01-11", false, "ordinary Sunday"},
		{"2026-02-14", true, "调休 Saturday before 春节"},
		{"2026-02-23", false, "春节 (Monday)"},
		{"2026-09-20", true, "调休 Sunday before 国庆"},
		{"2026-09-25", false, "中秋 (Friday)"},
		{"2026-10-01", false, "国庆"},
		{"2026-10-07", false, "国庆 (Wednesday)"},
		{"2026-10-08", true, "Thursday after 国庆"},
		{"2026-10-10", true, "调休 Saturday after 国庆"},
		{"2026-10-11", false, "ordinary Sunday"},
		{"2025-09-28", true, "调休 Sunday 2025 (lunar-go)"},
		{"2025-10-06", false, "国庆中秋 2025 (Monday, lunar-go)"},
		{"2025-10-08", false, "国庆中秋 2025 (Wednesday, lunar-go)"},
		{"2025-10-11", true, "调休 Saturday 2025 (lunar-go)"},
		{"2025-10-12", false, "ordinary Sunday 2025"},
		{"2027-02-14", true, "调休 Sunday 2027 (holidays.json)"},
		{"2027-10-01", false, "国庆 2027 (holidays.json)"},
	} {
		got, err := c.IsWorkday(d(t, tc.date))
		if err != nil {
			t.Errorf("IsWorkday(%s): %v", tc.date, err)
			continue
		}
		if got != tc.want {
			t.Errorf("IsWorkday(%s) [%s]: got %v; want %v", tc.date, tc.why, got, tc.want)
		}
	}
}

// TestIsWorkdayZone: the date that counts is the one in Asia/Shanghai, not the one in the argument's location.
func TestIsWorkdayZone(t *testing.T) {
	c := mustDefault(t)
	for _, tc := range []struct {
		instant string
		want    bool
	}{
		{"2026-09-30T16:30:00Z", false},     // 2026-10-01 00:30 in Shanghai: 国庆
		{"2026-09-30T15:59:00Z", true},      // 2026-09-30 23:59 in Shanghai: Wednesday
		{"2026-10-09T20:00:00Z", true},      // 2026-10-10 04:00 in Shanghai: 调休 Saturday
		{"2026-10-10T23:00:00+08:00", true}, // same date, given in Shanghai's offset
		{"2026-10-10T16:00:00Z", false},     // 2026-10-11 00:00 in Shanghai: Sunday
	} {
		at, err := time.Parse(time.RFC3339, tc.instant)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.IsWorkday(at)
		if err != nil {
			t.Fatalf("IsWorkday(%s): %v", tc.instant, err)
		}
		if got != tc.want {
			t.Errorf("IsWorkday(%s): got %v; want %v", tc.instant, got, tc.want)
		}
	}
}

func TestAddWorkdays(t *testing.T) {
	c := mustDefault(t)
	for _, tc := range []struct {
		start string
		n     int
		want  string
		why   string
	}{
		// 2026 (holidays.json; the notice 国办发明电〔2025〕7号). 9-20 Sun worked; 9-25..9-27 中秋; 10-1..10-7 国庆;
		// 10-10 Sat worked.
		{"2026-09-21", 7, "2026-09-30", "Mon 9-21..Thu 9-24 (4), 中秋 9-25..27, Mon 9-28..Wed 9-30 (7)"},
		{"2026-09-21", 8, "2026-10-08", "as above, 国庆 10-1..7, Thu 10-8 (8)"},
		{"2026-09-21", 10, "2026-10-10", "as above, Fri 10-9 (9), 调休 Sat 10-10 (10)"},
		{"2026-09-21", 11, "2026-10-12", "as above, Sun 10-11 off, Mon 10-12 (11)"},
		{"2026-09-24", 7, "2026-10-10", "Thu 9-24 (1), 9-28..9-30 (4), 10-8, 10-9 (6), 调休 Sat 10-10 (7)"},
		{"2026-10-10", 7, "2026-10-19", "starts on the 调休 Saturday: 10-10 (1), Mon 10-12..Fri 10-16 (6), Mon 10-19 (7)"},
		{"2026-10-10", 1, "2026-10-10", "the 调休 Saturday is day 1"},
		{"2026-09-20", 7, "2026-09-29", "starts on the 调休 Sunday: 9-20 (1), 9-21..9-24 (5), 9-28 (6), 9-29 (7)"},
		{"2026-10-01", 7, "2026-10-15", "starts on a holiday: 10-8, 10-9, 10-10, 10-12, 10-13, 10-14, 10-15"},
		{"2026-10-01", 1, "2026-10-08", "starts on a holiday, n = 1: the first working day after"},
		{"2026-09-25", 7, "2026-10-12", "starts on 中秋: 9-28, 9-29, 9-30, 10-8, 10-9, 10-10, 10-12"},
		{"2026-10-17", 1, "2026-10-19", "starts on an ordinary Saturday"},
		{"2026-09-22", 1, "2026-09-22", "a working day is day 1"},
		// 2025 (lunar-go). 国庆中秋 10-1..10-8; 9-28 Sun and 10-11 Sat worked.
		{"2025-09-22", 7, "2025-09-29", "Mon 9-22..Fri 9-26 (5), Sat 9-27 off, 调休 Sun 9-28 (6), Mon 9-29 (7)"},
		{"2025-09-29", 7, "2025-10-14", "9-29, 9-30 (2), 10-1..10-8 off, 10-9, 10-10 (4), 调休 Sat 10-11 (5), 10-13, 10-14 (7)"},
		{"2025-09-26", 7, "2025-10-11", "9-26 (1), 调休 9-28 (2), 9-29, 9-30 (4), 10-9, 10-10 (6), 调休 10-11 (7)"},
		{"2025-09-28", 7, "2025-10-13", "starts on the 调休 Sunday: 9-28, 9-29, 9-30, 10-9, 10-10, 10-11, 10-13"},
		{"2025-10-11", 7, "2025-10-20", "starts on the 调休 Saturday: 10-11, 10-13..10-17 (6), 10-20 (7)"},
		{"2025-10-03", 7, "2025-10-16", "starts on a holiday: 10-9, 10-10, 10-11, 10-13, 10-14, 10-15, 10-16"},
		// Across the year from lunar-go's 2025 into the file's 2026: 元旦 1-1..1-3, 1-4 Sun worked.
		{"2025-12-29", 7, "2026-01-07", "12-29..12-31 (3), 元旦 1-1..1-3, 调休 Sun 1-4 (4), 1-5..1-7 (7)"},
	} {
		got, err := c.AddWorkdays(d(t, tc.start), tc.n)
		if err != nil {
			t.Errorf("AddWorkdays(%s, %d): %v", tc.start, tc.n, err)
			continue
		}
		if want := d(t, tc.want); !got.Equal(want) || got.Location() != shanghai {
			t.Errorf("AddWorkdays(%s, %d) [%s]: got %v; want %v", tc.start, tc.n, tc.why, got, want)
		}
	}
}

// TestAddWorkdaysTruncates: a start with a time of day counts from its Shanghai date and returns midnight.
func TestAddWorkdaysTruncates(t *testing.T) {
	c := mustDefault(t)
	start := time.Date(2026, 9, 20, 17, 0, 0, 0, time.UTC) // 2026-09-21 01:00 in Shanghai, a Monday
	got, err := c.AddWorkdays(start, 7)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 9, 30, 0, 0, 0, 0, shanghai); !got.Equal(want) {
		t.Errorf("AddWorkdays(%v, 7): got %v; want %v", start, got, want)
	}
}

func TestAddWorkdaysBadN(t *testing.T) {
	c := mustDefault(t)
	for _, n := range []int{0, -1} {
		if _, err := c.AddWorkdays(d(t, "2026-09-21"), n); err == nil {
			t.Errorf("AddWorkdays(2026-09-21, %d): got no error; want one", n)
		}
	}
}

func TestNotCovered(t *testing.T) {
	c := mustDefault(t)
	for _, tc := range []struct {
		name string
		call func() error
		msg  string
	}{
		{"IsWorkday 2031", func() error { _, err := c.IsWorkday(d(t, "2031-03-03")); return err },
			"2031 年的法定节假日安排尚未载入，请在节假日文件中补充。"},
		{"IsWorkday 2028", func() error { _, err := c.IsWorkday(d(t, "2028-01-03")); return err },
			"2028 年的法定节假日安排尚未载入，请在节假日文件中补充。"},
		{"IsWorkday 2001", func() error { _, err := c.IsWorkday(d(t, "2001-10-08")); return err },
			"2001 年的法定节假日安排尚未载入，请在节假日文件中补充。"},
		{"AddWorkdays into 2028", func() error { _, err := c.AddWorkdays(d(t, "2027-12-27"), 7); return err },
			"2028 年的法定节假日安排尚未载入，请在节假日文件中补充。"},
		{"AddWorkdays from 2031", func() error { _, err := c.AddWorkdays(d(t, "2031-03-03"), 1); return err },
			"2031 年的法定节假日安排尚未载入，请在节假日文件中补充。"},
	} {
		err := tc.call()
		if !errors.Is(err, ErrNotCovered) {
			t.Errorf("%s: got %v; want an error wrapping ErrNotCovered", tc.name, err)
			continue
		}
		if err.Error() != tc.msg {
			t.Errorf("%s: message got %q; want %q", tc.name, err.Error(), tc.msg)
		}
	}
	// Within the covered years the same span works.
	if got, err := c.AddWorkdays(d(t, "2027-12-27"), 5); err != nil || !got.Equal(d(t, "2027-12-31")) {
		t.Errorf("AddWorkdays(2027-12-27, 5): got %v, %v; want 2027-12-31", got, err)
	}
}

func TestLoadOverride(t *testing.T) {
	const file = `{"years": {
		"2026": {"source": "test: a made-up 2026", "holidays": ["2026-01-01"]},
		"2025": {"holidays": ["2025-01-01", "2025-09-29"], "workdays": ["2025-09-27"]},
		"2031": {"holidays": ["2031-01-01", "2031-03-04"], "workdays": ["2031-03-08"]}
	}}`
	c, err := Load(strings.NewReader(file))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, tc := range []struct {
		date string
		want bool
		why  string
	}{
		{"2026-01-01", false, "listed holiday"},
		{"2026-01-02", true, "Friday no longer a holiday: the year was replaced"},
		{"2026-01-04", false, "Sunday no longer worked: the year was replaced, not merged"},
		{"2026-10-01", true, "Thursday, not listed any more"},
		{"2026-10-10", false, "Saturday, not listed any more"},
		{"2025-09-27", true, "listed working Saturday, replacing lunar-go's 2025"},
		{"2025-09-28", false, "lunar-go's 调休 Sunday is gone"},
		{"2025-09-29", false, "listed holiday (Monday)"},
		{"2025-10-01", true, "lunar-go's 国庆 is gone"},
		{"2024-10-01", false, "2024 still from lunar-go"},
		{"2027-10-01", false, "2027 still from holidays.json"},
		{"2031-03-04", false, "new year: listed holiday"},
		{"2031-03-05", true, "new year: Wednesday"},
		{"2031-03-08", true, "new year: listed working Saturday"},
		{"2031-03-09", false, "new year: Sunday"},
	} {
		got, err := c.IsWorkday(d(t, tc.date))
		if err != nil {
			t.Errorf("IsWorkday(%s): %v", tc.date, err)
			continue
		}
		if got != tc.want {
			t.Errorf("IsWorkday(%s) [%s]: got %v; want %v", tc.date, tc.why, got, tc.want)
		}
	}
	if !c.Covers(2031) || c.Covers(2030) {
		t.Errorf("Covers(2031), Covers(2030): got %v, %v; want true, false", c.Covers(2031), c.Covers(2030))
	}
	if got := c.Years(); got[len(got)-1] != 2031 || slices.Contains(got, 2028) {
		t.Errorf("Years(): got %v; want 2002..2027 and 2031", got)
	}

	// The default calendar is untouched.
	def := mustDefault(t)
	if w, _ := def.IsWorkday(d(t, "2026-01-04")); !w {
		t.Errorf("Default after Load: 2026-01-04 got not a working day; want a working day")
	}
	if def.Covers(2031) {
		t.Errorf("Default after Load: Covers(2031) got true; want false")
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "holidays.json")
	if err := os.WriteFile(path, []byte(`{"years": {"2028": {"holidays": ["2028-01-01"], "workdays": []}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadFile(path)
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	// 2027-12-27 (Mon) ..12-31 (5), 2028-01-01 Sat holiday, 01-02 Sun, 01-03 Mon (6), 01-04 (7).
	got, err := c.AddWorkdays(d(t, "2027-12-27"), 7)
	if err != nil || !got.Equal(d(t, "2028-01-04")) {
		t.Errorf("AddWorkdays(2027-12-27, 7) with 2028 loaded: got %v, %v; want 2028-01-04", got, err)
	}

	missing := filepath.Join(dir, "none.json")
	_, err = LoadFile(missing)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("LoadFile(missing): got %v; want a not-exist error naming the path", err)
	}

	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"years": {"2028": {"holidays": ["2028-02-30"]}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadFile(bad)
	if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), `"2028-02-30"`) {
		t.Errorf("LoadFile(bad): got %v; want an error naming the path and the date", err)
	}
}

func TestLoadMalformed(t *testing.T) {
	for _, tc := range []struct {
		name, file, want string
	}{
		{"not JSON", `years: 2026`, "invalid JSON"},
		{"empty", ``, "invalid JSON"},
		{"truncated", `{"years": {"2026": {"holidays": ["2026-01-01"]`, "invalid JSON"},
		{"no years", `{}`, `no "years" object`},
		{"years null", `{"years": null}`, `no "years" object`},
		{"years not an object", `{"years": ["2026"]}`, "not an object"},
		{"unknown top-level field", `{"year": {}}`, `unknown field "year"`},
		{"unknown year field", `{"years": {"2026": {"holiday": ["2026-01-01"]}}}`, `unknown field "holiday"`},
		{"trailing data", `{"years": {}} {}`, "data after the top-level value"},
		{"bad year key", `{"years": {"26": {"holidays": ["2026-01-01"]}}}`, `year "26"`},
		{"year key with sign", `{"years": {"+202": {"holidays": ["2026-01-01"]}}}`, `year "+202"`},
		{"year given twice", `{"years": {"2026": {"holidays": ["2026-01-01"]}, "2026": {"holidays": ["2026-01-02"]}}}`,
			"year 2026 given twice"},
		{"no holidays", `{"years": {"2026": {"workdays": ["2026-01-04"]}}}`, `"holidays" is empty`},
		{"not a date", `{"years": {"2026": {"holidays": ["2026-13-01"]}}}`, `holidays[0] "2026-13-01": not a date`},
		{"short date", `{"years": {"2026": {"holidays": ["2026-1-1"]}}}`, `"2026-1-1": not a date`},
		{"date as number", `{"years": {"2026": {"holidays": [20260101]}}}`, "invalid JSON"},
		{"date outside its year", `{"years": {"2026": {"holidays": ["2026-01-01", "2027-01-01"]}}}`,
			`holidays[1] "2027-01-01": not in 2026`},
		{"date twice", `{"years": {"2026": {"holidays": ["2026-01-01", "2026-01-01"]}}}`, `already listed in "holidays"`},
		{"date in both lists", `{"years": {"2026": {"holidays": ["2026-01-03"], "workdays": ["2026-01-03"]}}}`,
			`workdays[0] "2026-01-03": already listed in "holidays"`},
		{"workday on a weekday", `{"years": {"2026": {"holidays": ["2026-01-01"], "workdays": ["2026-01-05"]}}}`,
			`workdays[0] "2026-01-05": a monday is a working day anyway`},
	} {
		c, err := Load(strings.NewReader(tc.file))
		if err == nil {
			t.Errorf("%s: Load got a calendar (years %v); want an error containing %q", tc.name, c.Years(), tc.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), "calendar: holiday file: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %q; want one starting \"calendar: holiday file: \" and containing %q", tc.name, err, tc.want)
		}
	}
}

func TestLoadEmptyYears(t *testing.T) {
	c, err := Load(strings.NewReader(`{"years": {}}`))
	if err != nil {
		t.Fatalf("Load of an empty \"years\": %v", err)
	}
	if got, want := c.Years(), mustDefault(t).Years(); !slices.Equal(got, want) {
		t.Errorf("Years(): got %v; want the default %v", got, want)
	}
}

func TestZeroCalendar(t *testing.T) {
	var c Calendar
	if c.Covers(2026) || len(c.Years()) != 0 {
		t.Errorf("zero Calendar: Covers(2026) %v, Years %v; want false, none", c.Covers(2026), c.Years())
	}
	if _, err := c.IsWorkday(d(t, "2026-10-10")); !errors.Is(err, ErrNotCovered) {
		t.Errorf("zero Calendar IsWorkday: got %v; want ErrNotCovered", err)
	}
}

// TestConcurrent exercises one Calendar from many goroutines (meaningful under -race).
func TestConcurrent(t *testing.T) {
	c := mustDefault(t)
	start, want := d(t, "2026-09-21"), d(t, "2026-09-30")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for range 50 {
				got, err := c.AddWorkdays(start, 7)
				if err != nil || !got.Equal(want) {
					errs <- errors.New("AddWorkdays(2026-09-21, 7): got " + got.String())
					return
				}
				_ = c.Years()
				_ = c.Covers(2027)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
