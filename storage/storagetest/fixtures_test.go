package storagetest

import (
	"reflect"
	"testing"
	"time"

	"shenbao/doc"
	"shenbao/intake"
)

// TestFixturesFillEveryField fails when a stored domain type gains a field that every fixture of the
// suite leaves zero: a store that forgot the field would then still pass the roundtrip tests.
func TestFixturesFillEveryField(t *testing.T) {
	done := newDocument("doc-1", "app-1", "x", t0)
	read(done)
	failed := newDocument("doc-2", "app-1", "y", t0)
	failed.Reason = "无法识别"
	claimed := newDocument("doc-3", "app-1", "z", t0)
	held(claimed, "host-1-abcdef/1", now0) // the owner and lease only a claim sets (the queue tests)
	event := newEvent("app-1", 1)
	event.Seq, event.Prev, event.Hash = 2, "prev", "hash" // the store sets them
	fixtures := []any{
		newApplication("app-1", t0), done, failed, claimed,
		samplePage(1), samplePage(2), samplePage(3),
		newUser("usr-1", "login"), newSession("s", "usr-1", intake.SessionAPI), event, newRound(2026),
		newFiling("fil-1", intake.WorkSummary, 2026, 1),
	}
	set := map[string]bool{}
	for _, f := range fixtures {
		walk(reflect.ValueOf(f), set)
	}
	for _, typ := range []reflect.Type{
		reflect.TypeFor[intake.Application](), reflect.TypeFor[intake.Document](),
		reflect.TypeFor[intake.ItemReview](), reflect.TypeFor[intake.PageSummary](),
		reflect.TypeFor[intake.FieldReview](), reflect.TypeFor[intake.KindReview](),
		reflect.TypeFor[doc.Field](), reflect.TypeFor[doc.Page](), reflect.TypeFor[doc.Line](),
		reflect.TypeFor[doc.Word](), reflect.TypeFor[doc.Box](),
		reflect.TypeFor[intake.Actor](), reflect.TypeFor[intake.Acknowledgement](), reflect.TypeFor[intake.Return](),
		reflect.TypeFor[intake.Recommendation](), reflect.TypeFor[intake.ExpertReview](), reflect.TypeFor[intake.Decision](),
		reflect.TypeFor[intake.Publicity](), reflect.TypeFor[intake.Recognition](), reflect.TypeFor[intake.Revocation](),
		reflect.TypeFor[intake.Evaluation](), reflect.TypeFor[intake.User](), reflect.TypeFor[intake.Session](),
		reflect.TypeFor[intake.Event](), reflect.TypeFor[intake.Round](), reflect.TypeFor[intake.Filing](),
	} {
		for f := range typ.Fields() {
			if name := typ.Name() + "." + f.Name; !set[name] {
				t.Errorf("no fixture sets %s; fill it in newApplication, newDocument, read, samplePage, newUser, newSession, newEvent or newRound", name)
			}
		}
	}
}

// walk records in set "Type.Field" for every non-zero field of the structs reachable from v.
func walk(v reflect.Value, set map[string]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walk(v.Elem(), set)
		}
	case reflect.Slice:
		for i := range v.Len() {
			walk(v.Index(i), set)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !v.Field(i).IsZero() {
				set[v.Type().Name()+"."+f.Name] = true
			}
			walk(v.Field(i), set)
		}
	}
}
