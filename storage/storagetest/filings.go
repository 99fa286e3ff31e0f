package storagetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shenbao/intake"
)

// newFiling is a filing with every field set.
func newFiling(id string, kind intake.FilingKind, year, minute int) *intake.Filing {
	return &intake.Filing{
		ID: id, Kind: kind, Year: year, ApplicationID: "app-1", Region: "拉萨市", FileName: "2026年度工作总结.pdf",
		ContentType: "application/pdf", Size: 1234, SHA256: fmt.Sprintf("%064d", minute), BlobKey: "originals/x",
		By: applicant, At: t0.Add(time.Duration(minute) * time.Minute),
	}
}

func testFilings(t *testing.T, s intake.Store) {
	ctx := t.Context()
	if got, err := s.ListFilings(ctx, 2026); err != nil || len(got) != 0 {
		t.Fatalf("ListFilings of an empty store = %v, %v; want none", got, err)
	}
	if _, err := s.GetFiling(ctx, "nope"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("GetFiling(nope) = %v; want ErrNotFound", err)
	}
	late := newFiling("fil-2", intake.InspectionReport, 2026, 30)
	early := newFiling("fil-1", intake.WorkSummary, 2026, 10)
	other := newFiling("fil-3", intake.WorkSummary, 2025, 20)
	for _, f := range []*intake.Filing{late, early, other} {
		if err := s.AddFiling(ctx, f); err != nil {
			t.Fatalf("AddFiling(%s): %v", f.ID, err)
		}
	}
	if err := s.AddFiling(ctx, newFiling("fil-1", intake.WorkSummary, 2026, 40)); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("AddFiling with a used id = %v; want ErrConflict", err)
	}
	got, err := s.GetFiling(ctx, "fil-1")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(early, got, cmpOpts); d != "" {
		t.Errorf("GetFiling round trip (-want +got):\n%s", d)
	}
	list, err := s.ListFilings(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]*intake.Filing{early, late}, list, cmpOpts); d != "" {
		t.Errorf("ListFilings(2026): want the two of 2026, oldest first (-want +got):\n%s", d)
	}
}
