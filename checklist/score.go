package checklist

import (
	"bytes"
	"encoding/json"
	"slices"
)

// ScoreLine is a report as `score --checklist` reads it (one JSON line per application): the
// application, the 第十七条 items present, the shared contract's warning codes (see Scored) and the
// verdicts.
type ScoreLine struct {
	Application  string
	ItemsPresent []int              // sorted
	Warnings     []string           // sorted, unique, scored codes only
	Verdicts     map[string]Outcome // by VerdictKeys
}

// Score reduces the report to its score line.
func (r Report) Score() ScoreLine {
	s := ScoreLine{Application: r.Application.ID, ItemsPresent: []int{}, Warnings: []string{},
		Verdicts: map[string]Outcome{}}
	for _, it := range r.Items {
		if it.Present && it.Number > 0 {
			s.ItemsPresent = append(s.ItemsPresent, it.Number)
		}
	}
	slices.Sort(s.ItemsPresent)
	for _, w := range r.Warnings {
		if Scored(w.Code) {
			s.Warnings = append(s.Warnings, w.Code)
		}
	}
	slices.Sort(s.Warnings)
	s.Warnings = slices.Compact(s.Warnings)
	for _, v := range r.Verdicts {
		s.Verdicts[v.Key] = v.Outcome
	}
	return s
}

// MarshalJSON writes the line in the shape of `score --checklist`:
// {"application": …, "items_present": […], "warnings": […], "verdicts": {…}}, keys in that order and
// verdicts in VerdictKeys order.
func (s ScoreLine) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	write := func(key string, v any) error {
		k, _ := json.Marshal(key)
		b.Write(k)
		b.WriteByte(':')
		enc, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b.Write(enc)
		return nil
	}
	items, warns := s.ItemsPresent, s.Warnings
	if items == nil {
		items = []int{}
	}
	if warns == nil {
		warns = []string{}
	}
	b.WriteByte('{')
	if err := write("application", s.Application); err != nil {
		return nil, err
	}
	b.WriteByte(',')
	if err := write("items_present", items); err != nil {
		return nil, err
	}
	b.WriteByte(',')
	if err := write("warnings", warns); err != nil {
		return nil, err
	}
	b.WriteString(`,"verdicts":{`)
	n := 0
	keys := slices.Clone(VerdictKeys)
	for k := range s.Verdicts {
		if !slices.Contains(VerdictKeys, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys[len(VerdictKeys):])
	for _, k := range keys {
		v, ok := s.Verdicts[k]
		if !ok {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		if err := write(k, string(v)); err != nil {
			return nil, err
		}
	}
	b.WriteString("}}")
	return b.Bytes(), nil
}
