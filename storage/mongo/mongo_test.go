package mongo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"shenbao/intake"
	"shenbao/storage/storagetest"
)

// newStore returns a store on a new database of the test server, dropped when the test ends; the test is
// skipped (or fails in CI) without a server.
func newStore(t *testing.T) *Store {
	uri := storagetest.ServerEnv(t, "SHENBAO_TEST_MONGO_URI")[0]
	b := make([]byte, 6)
	rand.Read(b)
	s, err := New(t.Context(), uri, "shenbao_test_"+hex.EncodeToString(b))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.db.Drop(ctx); err != nil {
			t.Errorf("drop database %s: %v", s.db.Name(), err)
		}
		if err := s.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestStore(t *testing.T) {
	storagetest.ServerEnv(t, "SHENBAO_TEST_MONGO_URI") // skip the suite at once without a server
	storagetest.TestStore(t, func(t *testing.T) intake.Store { return newStore(t) })
}

// TestNewTwice checks New on a database that already has the collections and indexes is fine.
func TestNewTwice(t *testing.T) {
	s := newStore(t)
	uri := storagetest.ServerEnv(t, "SHENBAO_TEST_MONGO_URI")[0]
	again, err := New(t.Context(), uri, s.db.Name())
	if err != nil {
		t.Fatalf("second New: %v", err)
	}
	again.Close(t.Context())
}

// TestUnavailable checks a server that is down gives ErrUnavailable in seconds rather than hanging.
func TestUnavailable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	start := time.Now()
	_, err = New(ctx, "mongodb://"+addr+"/", "")
	if !errors.Is(err, intake.ErrUnavailable) {
		t.Errorf("New on a closed port: error = %v; want ErrUnavailable", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("New on a closed port took %v; want under 10s", d)
	}
}

// TestLegacyRecords checks that records written before applications had a state and reviews an actor
// still load: no state gives draft or submitted, a reviewer's name given as a string gives the actor's
// name. The records are the bson the store wrote then; New gives the applications their state, so that
// queries by state find them.
func TestLegacyRecords(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	created := time.Date(2025, 3, 3, 1, 30, 0, 123000000, time.UTC)
	apps := []any{
		bson.D{
			{Key: "_id", Value: "app-old"}, {Key: "org_name", Value: "江苏省中小企业公共服务中心"},
			{Key: "credit_code", Value: "12320000466000000X"}, {Key: "region", Value: "南京市"}, {Key: "year", Value: 2025},
			{Key: "functions", Value: bson.A{"information", "training"}}, {Key: "submitted_at", Value: created.Add(time.Hour)},
			{Key: "created_at", Value: created}, {Key: "updated_at", Value: created.Add(2 * time.Hour)},
			{Key: "item_reviews", Value: bson.A{
				bson.D{{Key: "item", Value: 3}, {Key: "decision", Value: "reject"}, {Key: "comment", Value: "审计报告缺少盖章页"},
					{Key: "by", Value: "张三"}, {Key: "at", Value: created.Add(3 * time.Hour)}},
				bson.D{{Key: "item", Value: 0}, {Key: "decision", Value: "accept"}, {Key: "comment", Value: ""},
					{Key: "by", Value: ""}, {Key: "at", Value: created.Add(4 * time.Hour)}},
			}},
		},
		bson.D{
			{Key: "_id", Value: "app-old-draft"}, {Key: "org_name", Value: "某某服务中心"}, {Key: "credit_code", Value: ""},
			{Key: "region", Value: "南京市"}, {Key: "year", Value: 2025}, {Key: "functions", Value: nil},
			{Key: "submitted_at", Value: time.Time{}}, {Key: "created_at", Value: created.Add(time.Minute)},
			{Key: "updated_at", Value: created.Add(time.Minute)}, {Key: "item_reviews", Value: nil},
		},
	}
	if _, err := s.apps.InsertMany(ctx, apps); err != nil {
		t.Fatal(err)
	}
	_, err := s.docs.InsertOne(ctx, bson.D{
		{Key: "_id", Value: "doc-old"}, {Key: "application_id", Value: "app-old"}, {Key: "file_name", Value: "营业执照.pdf"},
		{Key: "content_type", Value: "application/pdf"}, {Key: "size", Value: int64(7)}, {Key: "sha256", Value: "abc"},
		{Key: "blob_key", Value: "sha256/ab/abc"}, {Key: "status", Value: "done"}, {Key: "attempts", Value: 1},
		{Key: "reviews", Value: bson.A{bson.D{{Key: "field", Value: "credit_code"}, {Key: "action", Value: "correct"},
			{Key: "value", Value: "12320000466000001X"}, {Key: "ocr_value", Value: "12320000466000000X"},
			{Key: "by", Value: "张三"}, {Key: "at", Value: created.Add(5 * time.Hour)}}}},
		{Key: "kind_review", Value: bson.D{{Key: "kind", Value: "legal_person_certificate"}, {Key: "ocr_kind", Value: "business_licence"},
			{Key: "by", Value: "李四"}, {Key: "at", Value: created.Add(6 * time.Hour)}}},
		{Key: "uploaded_at", Value: created}, {Key: "updated_at", Value: created}, {Key: "rev", Value: "r1"},
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
	checkApplication := func(when string) {
		t.Helper()
		got, err := s.GetApplication(ctx, "app-old")
		if err != nil {
			t.Fatalf("GetApplication(app-old) %s: %v", when, err)
		}
		if diff := cmp.Diff(got, wantApp); diff != "" {
			t.Errorf("GetApplication(app-old) %s mismatch (-got +want):\n%s", when, diff)
		}
		draft, err := s.GetApplication(ctx, "app-old-draft")
		if err != nil || draft.State != intake.StateDraft || !draft.SubmittedAt.IsZero() {
			t.Errorf("GetApplication(app-old-draft) %s = %+v, %v; want state draft, not submitted", when, draft, err)
		}
	}
	checkApplication("as stored")

	d, err := s.GetDocument(ctx, "doc-old")
	if err != nil {
		t.Fatalf("GetDocument(doc-old): %v", err)
	}
	wantReviews := []intake.FieldReview{{Field: "credit_code", Action: "correct", Value: "12320000466000001X",
		OCRValue: "12320000466000000X", By: intake.Actor{Name: "张三"}, At: created.Add(5 * time.Hour)}}
	if diff := cmp.Diff(d.Reviews, wantReviews); diff != "" {
		t.Errorf("GetDocument(doc-old).Reviews mismatch (-got +want):\n%s", diff)
	}
	wantKind := &intake.KindReview{Kind: "legal_person_certificate", OCRKind: "business_licence",
		By: intake.Actor{Name: "李四"}, At: created.Add(6 * time.Hour)}
	if diff := cmp.Diff(d.KindReview, wantKind); diff != "" {
		t.Errorf("GetDocument(doc-old).KindReview mismatch (-got +want):\n%s", diff)
	}

	// The next start gives the old applications their state in the database.
	uri := storagetest.ServerEnv(t, "SHENBAO_TEST_MONGO_URI")[0]
	again, err := New(ctx, uri, s.db.Name())
	if err != nil {
		t.Fatalf("second New: %v", err)
	}
	defer again.Close(context.WithoutCancel(ctx))
	for id, want := range map[string]intake.State{"app-old": intake.StateSubmitted, "app-old-draft": intake.StateDraft} {
		var r struct {
			State string `bson:"state"`
		}
		if err := s.apps.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r); err != nil || r.State != string(want) {
			t.Errorf("state stored for %s after New = %q, %v; want %q", id, r.State, err, want)
		}
	}
	checkApplication("after New")
	for _, tt := range []struct {
		q    intake.ApplicationQuery
		want []string
	}{
		{intake.ApplicationQuery{NotDraft: true}, []string{"app-old"}},
		{intake.ApplicationQuery{States: []intake.State{intake.StateDraft}}, []string{"app-old-draft"}},
		{intake.ApplicationQuery{States: []intake.State{intake.StateSubmitted}, Region: "南京市"}, []string{"app-old"}},
	} {
		list, total, err := again.ListApplications(ctx, tt.q)
		var ids []string
		for _, a := range list {
			ids = append(ids, a.ID)
		}
		if err != nil || total != len(tt.want) || !slices.Equal(ids, tt.want) {
			t.Errorf("ListApplications(%+v) = %v, total %d, %v; want %v", tt.q, ids, total, err, tt.want)
		}
	}
}

// TestLegacyQueue checks the documents written before claims were leases (no owner, no lease_until):
// one left processing by an old version is waiting (its process is gone), and one done can be updated.
func TestLegacyQueue(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	at := time.Date(2025, 3, 3, 1, 30, 0, 0, time.UTC)
	doc := func(id, status string, uploaded time.Time) bson.D {
		return bson.D{
			{Key: "_id", Value: id}, {Key: "application_id", Value: "app-old"}, {Key: "file_name", Value: id + ".pdf"},
			{Key: "content_type", Value: "application/pdf"}, {Key: "size", Value: int64(7)}, {Key: "sha256", Value: id},
			{Key: "blob_key", Value: "sha256/" + id}, {Key: "status", Value: status}, {Key: "attempts", Value: 1},
			{Key: "uploaded_at", Value: uploaded}, {Key: "updated_at", Value: uploaded}, {Key: "rev", Value: "r1"},
		}
	}
	if _, err := s.docs.InsertMany(ctx, []any{doc("doc-done", "done", at), doc("doc-left", "processing", at.Add(time.Minute))}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	d, err := s.ClaimDocument(ctx, "p/1", now, now.Add(time.Minute))
	if err != nil || d.ID != "doc-left" || d.Attempts != 2 || d.Owner != "p/1" {
		t.Fatalf("ClaimDocument = %+v, %v; want doc-left at its second attempt, owned by p/1", d, err)
	}
	if _, err := s.ClaimDocument(ctx, "p/2", now, now.Add(time.Minute)); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("second ClaimDocument: %v; want ErrNotFound", err)
	}
	done, err := s.GetDocument(ctx, "doc-done")
	if err != nil {
		t.Fatal(err)
	}
	done.Kind = "business_licence"
	if err := s.UpdateDocument(ctx, done); err != nil {
		t.Fatalf("UpdateDocument of a document written without an owner: %v", err)
	}
	if got, err := s.GetDocument(ctx, "doc-done"); err != nil || got.Kind != "business_licence" {
		t.Errorf("after the update: %+v, %v; want kind business_licence", got, err)
	}
}
