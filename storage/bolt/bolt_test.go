package bolt

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bbolt "go.etcd.io/bbolt"

	"shenbao/intake"
	"shenbao/storage/storagetest"
)

func open(t *testing.T, path string) *Store {
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close(t.Context()) })
	return s
}

func TestStore(t *testing.T) {
	storagetest.TestStore(t, func(t *testing.T) intake.Store {
		return open(t, filepath.Join(t.TempDir(), "shenbao.db"))
	})
}

// TestReopen checks what is stored survives closing and opening the file again.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shenbao.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if err := s.CreateApplication(ctx, &intake.Application{ID: "app-1", OrgName: "机构"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(ctx); !errors.Is(err, intake.ErrUnavailable) {
		t.Errorf("Ping after Close: error = %v; want ErrUnavailable", err)
	}
	s = open(t, path)
	a, err := s.GetApplication(ctx, "app-1")
	if err != nil || a.OrgName != "机构" {
		t.Errorf("GetApplication after reopening = %+v, %v; want 机构", a, err)
	}
}

// TestLocked checks a second Open of a file in use gives ErrUnavailable instead of waiting.
func TestLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shenbao.db")
	open(t, path)
	if _, err := Open(path); !errors.Is(err, intake.ErrUnavailable) {
		t.Errorf("second Open: error = %v; want ErrUnavailable", err)
	}
}

func TestInvalidIDs(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "shenbao.db"))
	ctx := t.Context()
	if err := s.CreateApplication(ctx, &intake.Application{}); !errors.Is(err, intake.ErrInvalid) {
		t.Errorf("CreateApplication without id: error = %v; want ErrInvalid", err)
	}
	if _, err := s.AddDocument(ctx, &intake.Document{ID: "d\x00", ApplicationID: "a"}); !errors.Is(err, intake.ErrInvalid) {
		t.Errorf("AddDocument with NUL in the id: error = %v; want ErrInvalid", err)
	}
}

// TestLegacyRecords checks that records written before applications had a state and reviews an actor
// still load: no state gives draft or submitted, a reviewer's name given as a string gives the actor's
// name. The records are the JSON the store wrote then.
func TestLegacyRecords(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "shenbao.db"))
	ctx := t.Context()
	created := time.Date(2025, 3, 3, 1, 30, 0, 123456789, time.UTC)
	raw := []struct {
		bucket, key []byte
		value       string
	}{
		{bucketApps, []byte("app-old"), `{"id":"app-old","org_name":"江苏省中小企业公共服务中心","credit_code":"12320000466000000X",` +
			`"region":"南京市","year":2025,"functions":["information","training"],"submitted_at":"2025-03-03T02:30:00.123456789Z",` +
			`"created_at":"2025-03-03T01:30:00.123456789Z","updated_at":"2025-03-03T03:30:00.123456789Z",` +
			`"item_reviews":[{"item":3,"decision":"reject","comment":"审计报告缺少盖章页","by":"张三","at":"2025-03-03T04:30:00.123456789Z"},` +
			`{"item":0,"decision":"accept","by":"","at":"2025-03-03T05:30:00.123456789Z"}]}`},
		{bucketAppsCreated, []byte("2025-03-03T01:30:00.123456789Zapp-old"), "app-old"},
		{bucketApps, []byte("app-old-draft"), `{"id":"app-old-draft","org_name":"某某服务中心","credit_code":"","region":"南京市",` +
			`"year":2025,"created_at":"2025-03-03T01:31:00Z","updated_at":"2025-03-03T01:31:00Z"}`},
		{bucketAppsCreated, []byte("2025-03-03T01:31:00.000000000Zapp-old-draft"), "app-old-draft"},
		{bucketDocs, []byte("doc-old"), `{"id":"doc-old","application_id":"app-old","file_name":"营业执照.pdf",` +
			`"content_type":"application/pdf","size":7,"sha256":"abc","blob_key":"sha256/ab/abc","status":"done","attempts":1,` +
			`"kind":"business_licence","kind_confidence":0.9,"page_count":1,"pages_done":1,` +
			`"reviews":[{"field":"credit_code","action":"correct","value":"12320000466000001X","ocr_value":"12320000466000000X",` +
			`"by":"张三","at":"2025-03-03T06:30:00Z"}],` +
			`"kind_review":{"kind":"legal_person_certificate","ocr_kind":"business_licence","by":"李四","at":"2025-03-03T07:30:00Z"},` +
			`"uploaded_at":"2025-03-03T01:40:00Z","updated_at":"2025-03-03T01:50:00Z"}`},
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		for _, r := range raw {
			if err := tx.Bucket(r.bucket).Put(r.key, []byte(r.value)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	wantApp := &intake.Application{
		ID: "app-old", State: intake.StateSubmitted, OrgName: "江苏省中小企业公共服务中心", CreditCode: "12320000466000000X",
		Region: "南京市", Year: 2025, Functions: []string{"information", "training"},
		SubmittedAt: created.Add(time.Hour), CreatedAt: created, UpdatedAt: created.Add(2 * time.Hour),
		ItemReviews: []intake.ItemReview{
			{Item: 3, Decision: "reject", Comment: "审计报告缺少盖章页", By: intake.Actor{Name: "张三"}, At: created.Add(3 * time.Hour)},
			{Item: 0, Decision: "accept", At: created.Add(4 * time.Hour)},
		},
	}
	got, err := s.GetApplication(ctx, "app-old")
	if err != nil {
		t.Fatalf("GetApplication(app-old): %v", err)
	}
	if diff := cmp.Diff(got, wantApp); diff != "" {
		t.Errorf("GetApplication(app-old) mismatch (-got +want):\n%s", diff)
	}
	draft, err := s.GetApplication(ctx, "app-old-draft")
	if err != nil || draft.State != intake.StateDraft {
		t.Errorf("GetApplication(app-old-draft) = %+v, %v; want state draft", draft, err)
	}
	for _, tt := range []struct {
		q    intake.ApplicationQuery
		want []string
	}{
		{intake.ApplicationQuery{NotDraft: true}, []string{"app-old"}},
		{intake.ApplicationQuery{States: []intake.State{intake.StateDraft}}, []string{"app-old-draft"}},
		{intake.ApplicationQuery{Region: "南京市"}, []string{"app-old-draft", "app-old"}},
	} {
		list, total, err := s.ListApplications(ctx, tt.q)
		var ids []string
		for _, a := range list {
			ids = append(ids, a.ID)
		}
		if err != nil || total != len(tt.want) || !slices.Equal(ids, tt.want) {
			t.Errorf("ListApplications(%+v) = %v, total %d, %v; want %v", tt.q, ids, total, err, tt.want)
		}
	}

	d, err := s.GetDocument(ctx, "doc-old")
	if err != nil {
		t.Fatalf("GetDocument(doc-old): %v", err)
	}
	wantReviews := []intake.FieldReview{{Field: "credit_code", Action: "correct", Value: "12320000466000001X",
		OCRValue: "12320000466000000X", By: intake.Actor{Name: "张三"}, At: time.Date(2025, 3, 3, 6, 30, 0, 0, time.UTC)}}
	if diff := cmp.Diff(d.Reviews, wantReviews); diff != "" {
		t.Errorf("GetDocument(doc-old).Reviews mismatch (-got +want):\n%s", diff)
	}
	wantKind := &intake.KindReview{Kind: "legal_person_certificate", OCRKind: "business_licence",
		By: intake.Actor{Name: "李四"}, At: time.Date(2025, 3, 3, 7, 30, 0, 0, time.UTC)}
	if diff := cmp.Diff(d.KindReview, wantKind); diff != "" {
		t.Errorf("GetDocument(doc-old).KindReview mismatch (-got +want):\n%s", diff)
	}

	// Written again, the old application keeps what it had and gains a state and actors.
	if err := s.UpdateApplication(ctx, got); err != nil {
		t.Fatalf("UpdateApplication(app-old): %v", err)
	}
	again, err := s.GetApplication(ctx, "app-old")
	if err != nil {
		t.Fatalf("GetApplication(app-old) after rewriting: %v", err)
	}
	if diff := cmp.Diff(again, wantApp); diff != "" {
		t.Errorf("GetApplication(app-old) after rewriting mismatch (-got +want):\n%s", diff)
	}
}
