// Package calendar is the official Chinese working-day calendar (工作日历): it says whether a civil date in
// Asia/Shanghai is a working day under the State Council's yearly holiday notice (国务院办公厅关于某年部分节假日
// 安排的通知), and counts working days, e.g. for the end of a 公示 period of 7 working days (第十八条).
//
// A date is a working day when the notice makes it one (调休上班, a Saturday or Sunday worked in exchange for a
// longer holiday), otherwise when the notice does not list it as a holiday (放假) and it is Monday to Friday.
// Ordinary Saturdays and Sundays are not working days.
//
// # Sources
//
// The holiday tables come from two sources, layered year by year:
//
//  1. github.com/6tail/lunar-go v1.4.7, package HolidayUtil. Its table holds the years 2002 to 2027 in full.
//     Its first records are 2001-12-29 and 2001-12-30, the weekend worked for New Year 2002; 2001's own holidays
//     are not in it, so 2001 does not count as covered. A year counts as covered by lunar-go when the table lists
//     at least one holiday of that year (a record whose festival falls in that year).
//  2. A holiday file (format below): the file embedded in this package, holidays.json, which ships 2026 (the
//     notice 国办发明电〔2025〕7号, identical to lunar-go's data) and 2027 (copied from lunar-go v1.4.7, not yet
//     checked against the notice's text), and an optional file that staff keep beside the service, read by
//     [Load] or [LoadFile], for years lunar-go does not have yet or where it is wrong.
//
// A year that a file lists replaces the whole year of the layer beneath it (the override file over the embedded
// file, the embedded file over lunar-go): its holidays and working weekend days are exactly those the file lists,
// nothing of the lower layer's year is kept. A year that no source lists is not covered, and every question about a
// date in it fails with [ErrNotCovered] rather than guessing from the weekday.
//
// # Holiday file
//
// The file is JSON (UTF-8) of this form:
//
//	{
//	  "years": {
//	    "2026": {
//	      "source": "国办发明电〔2025〕7号",
//	      "holidays": ["2026-01-01", "2026-01-02", "2026-01-03", "..."],
//	      "workdays": ["2026-01-04", "2026-02-14", "..."]
//	    }
//	  }
//	}
//
// Keys of "years" are four-digit years. In a year, "holidays" lists every date off work under the notice,
// weekend days of a holiday included (e.g. 2026-01-03, a Saturday inside 元旦); "workdays" lists the Saturdays and
// Sundays the notice makes working days (调休上班). Dates are YYYY-MM-DD and must lie in their year, so a weekend
// worked in late December for the next New Year belongs to the December's year. "source" is free text for people
// (the notice's number) and is not read. A year must list at least one holiday; "workdays" may be empty or left
// out. A date may not appear twice, nor in both lists; a "workdays" date must be a Saturday or Sunday; unknown
// fields, duplicate years and anything after the top-level object are errors. When the notice for the next year
// moves a December weekend of the current year to a working day, the current year must be listed again in full.
//
// # Dates
//
// Dates are civil dates in Asia/Shanghai. A [time.Time] argument is taken as an instant, converted to
// Asia/Shanghai and reduced to its date there; results are midnight, Asia/Shanghai. The zone comes from the time
// zone database (time/tzdata is linked in), with the fixed zone UTC+8 "CST" as a fallback: the two agree for every
// date since 1992.
//
// A [Calendar] never changes after it is built and is safe for concurrent use. Nothing in the service may call
// HolidayUtil.Fix, which rewrites lunar-go's table in place without locking.
package calendar

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the zone database, so that Asia/Shanghai loads on hosts without one

	"github.com/6tail/lunar-go/HolidayUtil"
)

// ErrNotCovered is wrapped by every error about a date in a year whose holidays no source lists. The error's own
// message is Chinese and meant for people, e.g. "2031 年的法定节假日安排尚未载入，请在节假日文件中补充。".
var ErrNotCovered = errors.New("calendar: year not covered by the holiday calendar")

// notCoveredError is the error of a question about a date in a year the calendar does not cover.
type notCoveredError struct{ year int }

func (e *notCoveredError) Error() string {
	return fmt.Sprintf("%d 年的法定节假日安排尚未载入，请在节假日文件中补充。", e.year)
}

func (e *notCoveredError) Unwrap() error { return ErrNotCovered }

// maxFileSize bounds a holiday file; a real one is a few kilobytes per year.
const maxFileSize = 1 << 20

// lunarScanFrom and lunarScanTo bound the years looked up in lunar-go's table, which starts in 2001.
const (
	lunarScanFrom = 1990
	lunarScanTo   = 2200
)

//go:embed holidays.json
var embedded []byte

// shanghai is the zone of the calendar's dates.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// day is a civil date as yyyymmdd, e.g. 20261001.
type day int

func dayOf(y int, m time.Month, d int) day { return day(y*10000 + int(m)*100 + d) }

// yearData is one year of a notice: the dates off work and the weekend dates worked.
type yearData struct {
	holidays []day
	workdays []day
}

// Calendar answers whether a date is a working day. Build one with [Default], [Load] or [LoadFile]; the zero
// value covers no year. A Calendar never changes after it is built and is safe for concurrent use.
type Calendar struct {
	years   []int        // covered years, sorted
	covered map[int]bool // the same years, for lookup
	special map[day]bool // dates the notices list: true worked (调休上班), false off (放假)
}

// build layers the sources: each layer's years replace the same years of the layers before it.
func build(layers ...map[int]yearData) *Calendar {
	merged := map[int]yearData{}
	for _, l := range layers {
		for y, d := range l {
			merged[y] = d
		}
	}
	c := &Calendar{covered: map[int]bool{}, special: map[day]bool{}}
	for y, d := range merged {
		c.years = append(c.years, y)
		c.covered[y] = true
		for _, h := range d.holidays {
			c.special[h] = false
		}
		for _, w := range d.workdays {
			c.special[w] = true
		}
	}
	slices.Sort(c.years)
	return c
}

// lunarYears reads lunar-go's table: the years it covers (those with at least one holiday whose festival falls in
// the year) with every record dated in them.
func lunarYears() (map[int]yearData, error) {
	out := map[int]yearData{}
	for y := lunarScanFrom; y <= lunarScanTo; y++ {
		var d yearData
		covered := false
		for e := HolidayUtil.GetHolidaysByYear(y).Front(); e != nil; e = e.Next() {
			h := e.Value.(*HolidayUtil.Holiday)
			t, err := time.Parse(time.DateOnly, h.GetDay())
			if err != nil || t.Year() != y {
				return nil, fmt.Errorf("calendar: lunar-go record %q: bad date", h.String())
			}
			target, err := time.Parse(time.DateOnly, h.GetTarget())
			if err != nil {
				return nil, fmt.Errorf("calendar: lunar-go record %q: bad festival date", h.String())
			}
			if target.Year() == y {
				covered = true
			}
			k := dayOf(t.Date())
			if h.IsWork() {
				d.workdays = append(d.workdays, k)
			} else {
				d.holidays = append(d.holidays, k)
			}
		}
		if covered {
			out[y] = d
		}
	}
	return out, nil
}

// base is lunar-go's years overlaid by the embedded file, read once.
var base = sync.OnceValues(func() (map[int]yearData, error) {
	lunar, err := lunarYears()
	if err != nil {
		return nil, err
	}
	file, err := parse(bytes.NewReader(embedded))
	if err != nil {
		return nil, fmt.Errorf("calendar: embedded holidays.json: %w", err)
	}
	for y, d := range file {
		lunar[y] = d
	}
	return lunar, nil
})

// defaultCalendar is the calendar of [Default], built once.
var defaultCalendar = sync.OnceValues(func() (*Calendar, error) {
	b, err := base()
	if err != nil {
		return nil, err
	}
	return build(b), nil
})

// Default returns the calendar of lunar-go's table overlaid by the embedded holidays.json. It fails only if the
// embedded file is broken. Every call returns the same Calendar.
func Default() (*Calendar, error) { return defaultCalendar() }

// Load returns the default calendar (see [Default]) overlaid by the holiday file read from r: each year r lists
// replaces that year entirely. A malformed file is an error naming what is wrong and where; nothing of it is used.
func Load(r io.Reader) (*Calendar, error) {
	b, err := base()
	if err != nil {
		return nil, err
	}
	file, err := parse(r)
	if err != nil {
		return nil, fmt.Errorf("calendar: holiday file: %w", err)
	}
	return build(b, file), nil
}

// LoadFile is [Load] of the file at path; its errors name the path.
func LoadFile(path string) (*Calendar, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("calendar: holiday file: %w", err)
	}
	defer f.Close()
	b, err := base()
	if err != nil {
		return nil, err
	}
	file, err := parse(f)
	if err != nil {
		return nil, fmt.Errorf("calendar: holiday file %s: %w", path, err)
	}
	return build(b, file), nil
}

// fileFormat is the holiday file; see the package comment.
type fileFormat struct {
	Years json.RawMessage `json:"years"`
}

type fileYear struct {
	Source   string   `json:"source"`
	Holidays []string `json:"holidays"`
	Workdays []string `json:"workdays"`
}

// parse reads and checks a holiday file. Its errors are lower-case and carry no "calendar:" prefix; the callers
// add it.
func parse(r io.Reader) (map[int]yearData, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("larger than %d bytes", maxFileSize)
	}
	var f fileFormat
	if err := decodeStrict(data, &f); err != nil {
		return nil, err
	}
	if len(f.Years) == 0 || string(f.Years) == "null" {
		return nil, errors.New(`no "years" object`)
	}
	keys, err := objectKeys(f.Years)
	if err != nil {
		return nil, fmt.Errorf(`"years": %w`, err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(f.Years, &raw); err != nil {
		return nil, fmt.Errorf(`"years": %w`, err)
	}
	out := map[int]yearData{}
	for _, key := range keys {
		year, err := parseYear(key)
		if err != nil {
			return nil, err
		}
		var fy fileYear
		if err := decodeStrict(raw[key], &fy); err != nil {
			return nil, fmt.Errorf("year %s: %w", key, err)
		}
		d, err := checkYear(year, fy)
		if err != nil {
			return nil, fmt.Errorf("year %s: %w", key, err)
		}
		out[year] = d
	}
	return out, nil
}

// decodeStrict decodes one JSON value into v, refusing unknown fields and anything after the value.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("invalid JSON: data after the top-level value")
	}
	return nil
}

// objectKeys returns the keys of a JSON object in order, refusing a key given twice (encoding/json would keep the
// last silently).
func objectKeys(obj json.RawMessage) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not an object")
	}
	var keys []string
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		k := t.(string) // object keys are strings once the object has parsed as a whole
		if seen[k] {
			return nil, fmt.Errorf("year %s given twice", k)
		}
		seen[k] = true
		keys = append(keys, k)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
	}
	return keys, nil
}

// parseYear reads a key of "years": four digits, no sign, no leading zero.
func parseYear(key string) (int, error) {
	y, err := strconv.Atoi(key)
	if err != nil || len(key) != 4 || key[0] < '1' || key[0] > '9' {
		return 0, fmt.Errorf("year %q: want four digits, e.g. \"2026\"", key)
	}
	return y, nil
}

// checkYear checks one year of a file and turns it into dates.
func checkYear(year int, fy fileYear) (yearData, error) {
	if len(fy.Holidays) == 0 {
		return yearData{}, errors.New(`"holidays" is empty: every year has at least 元旦`)
	}
	seen := map[day]string{}
	var d yearData
	read := func(list string, dates []string, dst *[]day) error {
		for i, s := range dates {
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return fmt.Errorf("%s[%d] %q: not a date of the form YYYY-MM-DD", list, i, s)
			}
			if t.Year() != year {
				return fmt.Errorf("%s[%d] %q: not in %d", list, i, s, year)
			}
			k := dayOf(t.Date())
			if prev, ok := seen[k]; ok {
				return fmt.Errorf("%s[%d] %q: already listed in %q", list, i, s, prev)
			}
			seen[k] = list
			if list == "workdays" && !weekend(k) {
				return fmt.Errorf("%s[%d] %q: a %s is a working day anyway; only Saturdays and Sundays can be 调休 working days",
					list, i, s, strings.ToLower(t.Weekday().String()))
			}
			*dst = append(*dst, k)
		}
		return nil
	}
	if err := read("holidays", fy.Holidays, &d.holidays); err != nil {
		return yearData{}, err
	}
	if err := read("workdays", fy.Workdays, &d.workdays); err != nil {
		return yearData{}, err
	}
	return d, nil
}

// date returns the civil date of k as a time at UTC midnight, for weekday and arithmetic.
func (k day) date() time.Time {
	return time.Date(int(k)/10000, time.Month(int(k)/100%100), int(k)%100, 0, 0, 0, 0, time.UTC)
}

func weekend(k day) bool {
	wd := k.date().Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// civil returns the Asia/Shanghai date of the instant t.
func civil(t time.Time) day { return dayOf(t.In(shanghai).Date()) }

// Covers reports whether the calendar knows year's holidays, from lunar-go or from a holiday file.
func (c *Calendar) Covers(year int) bool { return c.covered[year] }

// Years returns the covered years in increasing order. The slice is the caller's.
func (c *Calendar) Years() []int { return slices.Clone(c.years) }

// IsWorkday reports whether d's date in Asia/Shanghai is a working day: a 调休 working day, or a Monday to Friday
// that is not a holiday. It fails with an error wrapping [ErrNotCovered] if the date's year is not covered.
func (c *Calendar) IsWorkday(d time.Time) (bool, error) { return c.isWorkday(civil(d)) }

func (c *Calendar) isWorkday(k day) (bool, error) {
	y := int(k) / 10000
	if !c.covered[y] {
		return false, &notCoveredError{year: y}
	}
	if work, ok := c.special[k]; ok {
		return work, nil
	}
	return !weekend(k), nil
}

// AddWorkdays returns the n-th working day counting from start's date in Asia/Shanghai inclusive, at midnight
// Asia/Shanghai: if start is a working day it is day 1, so n = 1 returns start's date, and otherwise the first
// working day after it. A 公示 of 7 working days that starts on start ends on AddWorkdays(start, 7). n must be at
// least 1. It fails with an error wrapping [ErrNotCovered] if the count reaches a year that is not covered.
func (c *Calendar) AddWorkdays(start time.Time, n int) (time.Time, error) {
	if n < 1 {
		return time.Time{}, fmt.Errorf("calendar: AddWorkdays needs n >= 1, got %d", n)
	}
	t := civil(start).date()
	for {
		k := dayOf(t.Date())
		work, err := c.isWorkday(k)
		if err != nil {
			return time.Time{}, err
		}
		if work {
			n--
			if n == 0 {
				return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, shanghai), nil
			}
		}
		t = t.AddDate(0, 0, 1)
	}
}
