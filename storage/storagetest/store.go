package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shenbao/doc"
	"shenbao/intake"
)

// TestStore runs the conformance suite of intake.Store. newStore returns a fresh, empty store.
func TestStore(t *testing.T, newStore func(t *testing.T) intake.Store) {
	tests := []struct {
		name string
		test func(*testing.T, intake.Store)
	}{
		{"Ping", func(t *testing.T, s intake.Store) {
			if err := s.Ping(t.Context()); err != nil {
				t.Errorf("Ping: %v", err)
			}
		}},
		{"Applications/CreateGet", testCreateGetApplication},
		{"Applications/CreateDuplicate", testCreateDuplicateApplication},
		{"Applications/List", testListApplications},
		{"Applications/ListDefaultLimit", testListApplicationsDefaultLimit},
		{"Applications/Update", testUpdateApplication},
		{"Applications/NoState", testApplicationWithoutState},
		{"Applications/Query", testQueryApplications},
		{"Applications/QueryPaging", testQueryApplicationsPaging},
		{"Documents/AddGet", testAddGetDocument},
		{"Documents/AddDuplicateSHA256", testAddDuplicateSHA256},
		{"Documents/AddDuplicateID", testAddDuplicateID},
		{"Documents/AddConcurrentSameSHA256", testAddConcurrentSameSHA256},
		{"Documents/ListUploadOrder", testListDocuments},
		{"Documents/Update", testUpdateDocument},
		{"Queue/ClaimOldest", testClaimOldest},
		{"Queue/ClaimNone", testClaimNone},
		{"Queue/UpdateMovesInAndOut", testQueueFollowsUpdates},
		{"Queue/ClaimConcurrent", testClaimConcurrent},
		{"Queue/LeaseExpiryReclaims", testLeaseExpiry},
		{"Queue/RenewalKeepsLease", testRenewalKeepsLease},
		{"Queue/StaleOwnerRefused", testStaleOwner},
		{"Queue/ClaimFairAcrossApplications", testClaimFair},
		{"Pages/SaveLoad", testSavePages},
		{"Pages/Replace", testReplacePages},
		{"Pages/PerDocument", testPagesPerDocument},
		{"Users/CreateGet", testCreateGetUser},
		{"Users/CreateDuplicate", testCreateDuplicateUser},
		{"Users/CreateConcurrentSameLogin", testCreateConcurrentSameLogin},
		{"Users/List", testListUsers},
		{"Users/ListDefaultLimit", testListUsersDefaultLimit},
		{"Users/Update", testUpdateUser},
		{"Sessions/CreateGet", testCreateGetSession},
		{"Sessions/Touch", testTouchSession},
		{"Sessions/Delete", testDeleteSession},
		{"Sessions/DeleteUserSessions", testDeleteUserSessions},
		{"Events/AppendList", testAppendListEvents},
		{"Events/AppendConcurrent", testAppendConcurrentEvents},
		{"Events/ListDefaultLimit", testListEventsDefaultLimit},
		{"Rounds/PutGetList", testRounds},
		{"Filings/AddGetList", testFilings},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, newStore(t)) })
	}
}

// t0 has nanoseconds and a zone other than UTC, to check stores keep the instant within TimeMargin.
var t0 = time.Date(2025, 3, 3, 9, 30, 0, 123456789, time.FixedZone("CST", 8*3600))

// The actors of the fixtures.
var (
	applicant   = intake.Actor{ID: "usr-applicant", Name: "江苏省中小企业公共服务中心", Role: intake.RoleApplicant}
	recommender = intake.Actor{ID: "usr-recommender", Name: "南京市工业和信息化局", Role: intake.RoleRecommender}
	expert1     = intake.Actor{ID: "usr-expert-1", Name: "赵专家", Role: intake.RoleExpert}
	expert2     = intake.Actor{ID: "usr-expert-2", Name: "钱专家", Role: intake.RoleExpert}
	staff       = intake.Actor{ID: "usr-staff", Name: "王审核", Role: intake.RoleStaff}
	staff2      = intake.Actor{ID: "usr-staff-2", Name: "李审核", Role: intake.RoleStaff}
)

// newApplication returns an application that has been through the whole cycle, every field set.
func newApplication(id string, created time.Time) *intake.Application {
	recognised := created.Add(20 * 24 * time.Hour)
	return &intake.Application{
		ID:          id,
		OwnerID:     applicant.ID,
		State:       intake.StateRevoked,
		OrgName:     "江苏省中小企业公共服务中心",
		CreditCode:  "12320000466000000X",
		Region:      "南京市",
		Year:        2025,
		Functions:   []string{"information", "training"},
		SubmittedAt: created.Add(time.Hour),
		CreatedAt:   created,
		UpdatedAt:   created.Add(2 * time.Hour),
		ItemReviews: []intake.ItemReview{
			{Item: 3, Decision: "reject", Comment: "审计报告缺少盖章页", By: staff, At: created.Add(3 * time.Hour)},
			{Item: 0, Decision: "accept", By: staff2, At: created.Add(4 * time.Hour)},
		},
		Acknowledged: []intake.Acknowledgement{
			{Code: "missing_item:6", Reason: "场地租赁合同正在续签，续签后补交", By: applicant, At: created.Add(50 * time.Minute)},
			{Code: "seal_missing", Reason: "原件已寄出", By: applicant, At: created.Add(55 * time.Minute)},
		},
		Returns: []intake.Return{
			{Reasons: []string{"审计报告缺少盖章页", "服务记录不足二十条"}, By: recommender, At: created.Add(90 * time.Minute)},
			{Reasons: []string{"营业执照副本模糊"}, By: recommender, At: created.Add(100 * time.Minute)},
		},
		Recommendation: &intake.Recommendation{Opinion: "同意推荐", Operation: "优秀", Performance: "良好",
			Satisfaction: "合格", By: recommender, At: created.Add(5 * time.Hour)},
		Experts: []string{expert1.ID, expert2.ID},
		ExpertReviews: []intake.ExpertReview{
			{Score: 86, Conclusion: "pass", Comment: "服务功能齐全", By: expert1, At: created.Add(6 * time.Hour)},
			{Score: 59, Conclusion: "fail", Comment: "培训场次不足", By: expert2, At: created.Add(7 * time.Hour)},
		},
		Decision:  &intake.Decision{Outcome: "pass", Comment: "综合评审通过", By: staff, At: created.Add(8 * time.Hour)},
		Publicity: &intake.Publicity{Start: created.Add(9 * time.Hour), End: created.Add(9*time.Hour + 9*24*time.Hour), By: staff},
		Recognition: &intake.Recognition{CertificateNo: "苏中小服〔2025〕017号", Date: recognised,
			ValidUntil: recognised.AddDate(3, 0, 0), By: staff2},
		Revocation: &intake.Revocation{Reason: "第三方评估不合格", By: staff, At: recognised.AddDate(1, 0, 0)},
		Evaluations: []intake.Evaluation{
			{Result: "fail", Comment: "服务业绩未达标", By: staff2, At: recognised.AddDate(0, 11, 0)},
		},
	}
}

// newDocument returns a received document of app whose bytes are content.
func newDocument(id, app, content string, uploaded time.Time) *intake.Document {
	sum := sha256Hex([]byte(content))
	return &intake.Document{
		ID:            id,
		ApplicationID: app,
		FileName:      "营业执照（副本）.pdf",
		ContentType:   "application/pdf",
		Size:          int64(len(content)),
		SHA256:        sum,
		BlobKey:       "sha256/" + sum[:2] + "/" + sum,
		Status:        intake.StatusReceived,
		UploadedAt:    uploaded,
		UpdatedAt:     uploaded,
	}
}

// read fills in what a worker finds in d, so every field of a document is stored.
func read(d *intake.Document) {
	d.Status = intake.StatusDone
	d.Attempts = 1
	d.Kind = "business_licence"
	d.KindConfidence = 0.9375
	d.PageCount = 2
	d.PagesDone = 2
	d.ReplacedBy = "doc-9"
	d.Fields = []doc.Field{
		{Name: "org_name", Value: "江苏省中小企业公共服务中心", Text: "名称 江苏省中小企业公共服务中心", Confidence: 0.91, Page: 1,
			Box: doc.Box{X0: 310, Y0: 820, X1: 1620, Y1: 890}},
		{Name: "credit_code", Value: "12320000466000000X", Text: "12320000466000000X", Confidence: 0.4567891234,
			Page: 1, Box: doc.Box{X0: 300, Y0: 700, X1: 1100, Y1: 760}, Flags: []string{"check_failed", "corrected"}},
		{Name: "has_seal", Value: "true", Confidence: 1},
	}
	d.Pages = []intake.PageSummary{
		{Number: 1, Seals: 2},
		{Number: 2, Blank: true, Illegible: true, Seals: -1, Error: "页面空白"},
	}
	d.Reviews = []intake.FieldReview{
		{Field: "credit_code", Action: "correct", Value: "12320000466000001X", OCRValue: "12320000466000000X",
			Page: 2, Box: doc.Box{X0: 620, Y0: 300, X1: 1500, Y1: 360}, By: staff, At: d.UploadedAt.Add(time.Hour)},
		{Field: "org_name", Action: "confirm", Value: "江苏省中小企业公共服务中心", By: expert1, At: d.UploadedAt.Add(2 * time.Hour)},
	}
	d.KindReview = &intake.KindReview{Kind: "legal_person_certificate", OCRKind: "business_licence", By: staff2,
		At: d.UploadedAt.Add(3 * time.Hour)}
	d.UpdatedAt = d.UploadedAt.Add(90 * time.Second)
}

func samplePage(n int) doc.Page {
	p := doc.Page{
		Number: n, Width: 2480, Height: 3508, DPI: 300, Source: doc.SourceOCR, Rotation: 90,
		Lines: []doc.Line{
			{Box: doc.Box{X0: 100, Y0: 200, X1: 700, Y1: 260}, Words: []doc.Word{
				{Text: "营业执照", Box: doc.Box{X0: 100, Y0: 200, X1: 400, Y1: 260}, Confidence: 0.9712},
				{Text: "（副本）", Box: doc.Box{X0: 420, Y0: 200, X1: 700, Y1: 260}, Confidence: 0.88},
			}},
			{Box: doc.Box{X0: 100, Y0: 300, X1: 1500, Y1: 360}, Words: []doc.Word{
				{Text: "统一社会信用代码", Box: doc.Box{X0: 100, Y0: 300, X1: 600, Y1: 360}, Confidence: 0.93},
				{Text: fmt.Sprintf("12320000466000000%d", n), Box: doc.Box{X0: 620, Y0: 300, X1: 1500, Y1: 360},
					Confidence: 0.6543210987654321},
			}},
		},
		Seals:          []doc.Box{{X0: 1800, Y0: 2900, X1: 2200, Y1: 3300}},
		SealTexts:      []doc.SealText{{Box: doc.Box{X0: 1800, Y0: 2900, X1: 2200, Y1: 3300}, Text: "西藏某某科技有限公司", Confidence: 0.62}},
		MeanConfidence: 0.8754,
	}
	switch n % 3 {
	case 2:
		p = doc.Page{Number: n, Width: 1240, Height: 1754, DPI: 150, Source: doc.SourceTextLayer, Blank: true}
	case 0:
		p.Illegible = true
		p.SealUnknown = true
		p.Error = "页面模糊，无法识别"
	}
	return p
}

func createApplication(t *testing.T, s intake.Store, a *intake.Application) {
	t.Helper()
	if err := s.CreateApplication(t.Context(), a); err != nil {
		t.Fatalf("CreateApplication(%s): %v", a.ID, err)
	}
}

func addDocument(t *testing.T, s intake.Store, d *intake.Document) {
	t.Helper()
	got, err := s.AddDocument(t.Context(), d)
	if err != nil {
		t.Fatalf("AddDocument(%s): %v", d.ID, err)
	}
	if got != nil {
		if diff := cmp.Diff(got, d, cmpOpts); diff != "" {
			t.Errorf("AddDocument(%s) returned a document other than the one added (-got +want):\n%s", d.ID, diff)
		}
	}
}

func getDocument(t *testing.T, s intake.Store, id string) *intake.Document {
	t.Helper()
	d, err := s.GetDocument(t.Context(), id)
	if err != nil {
		t.Fatalf("GetDocument(%s): %v", id, err)
	}
	return d
}

func checkDocument(t *testing.T, s intake.Store, want *intake.Document) {
	t.Helper()
	if diff := cmp.Diff(getDocument(t, s, want.ID), want, cmpOpts); diff != "" {
		t.Errorf("GetDocument(%s) mismatch (-got +want):\n%s", want.ID, diff)
	}
}

func docIDs(ds []*intake.Document) []string {
	return ids(ds, func(d *intake.Document) string { return d.ID })
}

func appIDs(as []*intake.Application) []string {
	return ids(as, func(a *intake.Application) string { return a.ID })
}

func testCreateGetApplication(t *testing.T, s intake.Store) {
	ctx := t.Context()
	want := newApplication("app-1", t0)
	createApplication(t, s, want)
	draft := &intake.Application{ID: "app-draft", OwnerID: applicant.ID, State: intake.StateDraft, OrgName: "某某服务中心",
		Region: "苏州市", Year: 2026, CreatedAt: t0.Add(time.Minute), UpdatedAt: t0.Add(time.Minute)}
	createApplication(t, s, draft)

	for _, want := range []*intake.Application{want, draft} {
		got, err := s.GetApplication(ctx, want.ID)
		if err != nil {
			t.Fatalf("GetApplication(%s): %v", want.ID, err)
		}
		if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
			t.Errorf("GetApplication(%s) mismatch (-got +want):\n%s", want.ID, diff)
		}
		if got.SubmittedAt.IsZero() != want.SubmittedAt.IsZero() {
			t.Errorf("GetApplication(%s).SubmittedAt.IsZero() = %v; want %v", want.ID, got.SubmittedAt.IsZero(), want.SubmittedAt.IsZero())
		}
		checkUTC(t, "GetApplication("+want.ID+")", got)
	}
	if _, err := s.GetApplication(ctx, "app-none"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("GetApplication(app-none) error = %v; want ErrNotFound", err)
	}
}

func testCreateDuplicateApplication(t *testing.T, s intake.Store) {
	ctx := t.Context()
	first := newApplication("app-1", t0)
	createApplication(t, s, first)
	dup := newApplication("app-1", t0.Add(time.Hour))
	dup.OrgName = "另一家机构"
	if err := s.CreateApplication(ctx, dup); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("CreateApplication with a used id: error = %v; want ErrConflict", err)
	}
	got, err := s.GetApplication(ctx, "app-1")
	if err != nil {
		t.Fatalf("GetApplication(app-1): %v", err)
	}
	if diff := cmp.Diff(got, first, cmpOpts); diff != "" {
		t.Errorf("application changed by a refused create (-got +want):\n%s", diff)
	}
}

func testListApplications(t *testing.T, s intake.Store) {
	ctx := t.Context()
	apps := make([]*intake.Application, 5)
	for i := range apps {
		apps[i] = newApplication(fmt.Sprintf("app-%d", i), t0.Add(time.Duration(i)*time.Minute))
		apps[i].OrgName = fmt.Sprintf("机构 %d", i)
	}
	for _, i := range []int{2, 0, 4, 1, 3} { // created out of order: the list is by CreatedAt
		createApplication(t, s, apps[i])
	}

	got, total, err := s.ListApplications(ctx, intake.ApplicationQuery{})
	if err != nil {
		t.Fatalf("ListApplications: %v", err)
	}
	want := []*intake.Application{apps[4], apps[3], apps[2], apps[1], apps[0]}
	if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
		t.Errorf("ListApplications({}) mismatch (-got +want):\n%s", diff)
	}
	if total != 5 {
		t.Errorf("ListApplications({}) total = %d; want 5", total)
	}

	for _, tt := range []struct {
		opt  intake.ListOptions
		want []string
	}{
		{intake.ListOptions{Limit: 2}, []string{"app-4", "app-3"}},
		{intake.ListOptions{Limit: 2, Offset: 2}, []string{"app-2", "app-1"}},
		{intake.ListOptions{Limit: 10, Offset: 1}, []string{"app-3", "app-2", "app-1", "app-0"}},
		{intake.ListOptions{Offset: 4}, []string{"app-0"}},
		{intake.ListOptions{Offset: 5}, []string{}},
		{intake.ListOptions{Limit: 3, Offset: 100}, []string{}},
	} {
		got, total, err := s.ListApplications(ctx, intake.ApplicationQuery{ListOptions: tt.opt})
		if err != nil {
			t.Errorf("ListApplications(%+v): %v", tt.opt, err)
			continue
		}
		if diff := cmp.Diff(appIDs(got), tt.want); diff != "" {
			t.Errorf("ListApplications(%+v) ids mismatch (-got +want):\n%s", tt.opt, diff)
		}
		if total != 5 {
			t.Errorf("ListApplications(%+v) total = %d; want 5", tt.opt, total)
		}
	}
}

func testListApplicationsDefaultLimit(t *testing.T, s intake.Store) {
	const n = 53
	for i := range n {
		a := newApplication(fmt.Sprintf("app-%03d", i), t0.Add(time.Duration(i)*time.Second))
		if i == 10 || i == 20 {
			a.Region = "苏州市"
		}
		createApplication(t, s, a)
	}
	for _, tt := range []struct {
		q           intake.ApplicationQuery
		total       int
		first, last string
	}{
		{intake.ApplicationQuery{}, n, "app-052", "app-003"},
		{intake.ApplicationQuery{Region: "南京市"}, n - 2, "app-052", "app-001"}, // 52…21, 19…11, 9…1
	} {
		got, total, err := s.ListApplications(t.Context(), tt.q)
		if err != nil {
			t.Fatalf("ListApplications(%+v): %v", tt.q, err)
		}
		if len(got) != 50 || total != tt.total {
			t.Fatalf("ListApplications(%+v) = %d applications, total %d; want 50, total %d", tt.q, len(got), total, tt.total)
		}
		if got[0].ID != tt.first || got[49].ID != tt.last {
			t.Errorf("ListApplications(%+v) runs from %s to %s; want %s to %s", tt.q, got[0].ID, got[49].ID, tt.first, tt.last)
		}
	}
}

func testUpdateApplication(t *testing.T, s intake.Store) {
	ctx := t.Context()
	a := newApplication("app-1", t0)
	a.State, a.SubmittedAt, a.Experts, a.Recommendation, a.Decision = intake.StateDraft, time.Time{}, nil, nil, nil
	createApplication(t, s, a)
	createApplication(t, s, newApplication("app-2", t0.Add(time.Minute)))

	a.OwnerID = "usr-applicant-2"
	a.State = intake.StateUnderReview
	a.OrgName = "江苏省中小企业公共服务中心（更名）"
	a.Region = "无锡市"
	a.Year = 2026
	a.Functions = []string{"financing", "information", "startup", "technology", "training"}
	a.SubmittedAt = t0.Add(24 * time.Hour)
	a.UpdatedAt = t0.Add(24 * time.Hour)
	a.Experts = []string{"usr-expert-9"}
	a.Recommendation = &intake.Recommendation{Opinion: "推荐", Operation: "良好", Performance: "良好", Satisfaction: "优秀",
		By: recommender, At: t0.Add(25 * time.Hour)}
	a.Returns = a.Returns[:1]
	a.Publicity = nil
	if err := s.UpdateApplication(ctx, a); err != nil {
		t.Fatalf("UpdateApplication: %v", err)
	}
	got, err := s.GetApplication(ctx, a.ID)
	if err != nil {
		t.Fatalf("GetApplication: %v", err)
	}
	if diff := cmp.Diff(got, a, cmpOpts); diff != "" {
		t.Errorf("GetApplication after update mismatch (-got +want):\n%s", diff)
	}
	// The queries follow the new values and forget the old ones.
	for _, tt := range []struct {
		q    intake.ApplicationQuery
		want []string
	}{
		{intake.ApplicationQuery{}, []string{"app-2", "app-1"}},
		{intake.ApplicationQuery{Owner: "usr-applicant-2"}, []string{"app-1"}},
		{intake.ApplicationQuery{Owner: applicant.ID}, []string{"app-2"}},
		{intake.ApplicationQuery{Region: "无锡市"}, []string{"app-1"}},
		{intake.ApplicationQuery{Region: "南京市"}, []string{"app-2"}},
		{intake.ApplicationQuery{Year: 2026}, []string{"app-1"}},
		{intake.ApplicationQuery{Expert: "usr-expert-9"}, []string{"app-1"}},
		{intake.ApplicationQuery{Expert: expert1.ID}, []string{"app-2"}},
		{intake.ApplicationQuery{States: []intake.State{intake.StateUnderReview}}, []string{"app-1"}},
		{intake.ApplicationQuery{States: []intake.State{intake.StateDraft}}, []string{}},
	} {
		checkQuery(t, s, tt.q, tt.want, len(tt.want))
	}

	if err := s.UpdateApplication(ctx, newApplication("app-none", t0)); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("UpdateApplication(app-none) error = %v; want ErrNotFound", err)
	}
	if _, err := s.GetApplication(ctx, "app-none"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("GetApplication(app-none) after a refused update: error = %v; want ErrNotFound", err)
	}
}

func testAddGetDocument(t *testing.T, s intake.Store) {
	received := newDocument("doc-1", "app-1", "received", t0)
	addDocument(t, s, received)
	done := newDocument("doc-2", "app-1", "done", t0.Add(time.Minute))
	read(done)
	addDocument(t, s, done)
	failed := newDocument("doc-3", "app-1", "failed", t0.Add(2*time.Minute))
	failed.Status, failed.Reason, failed.Attempts = intake.StatusFailed, "文件已损坏，无法打开", 3
	addDocument(t, s, failed)

	for _, want := range []*intake.Document{received, done, failed} {
		checkDocument(t, s, want)
		checkUTC(t, "GetDocument("+want.ID+")", getDocument(t, s, want.ID))
	}
	if _, err := s.GetDocument(t.Context(), "doc-none"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("GetDocument(doc-none) error = %v; want ErrNotFound", err)
	}
}

func testAddDuplicateSHA256(t *testing.T, s intake.Store) {
	ctx := t.Context()
	first := newDocument("doc-1", "app-1", "same bytes", t0)
	addDocument(t, s, first)

	dup := newDocument("doc-2", "app-1", "same bytes", t0.Add(time.Minute))
	dup.FileName = "copy.pdf"
	existing, err := s.AddDocument(ctx, dup)
	if !errors.Is(err, intake.ErrConflict) {
		t.Fatalf("AddDocument with the sha256 of doc-1: error = %v; want ErrConflict", err)
	}
	if diff := cmp.Diff(existing, first, cmpOpts); diff != "" {
		t.Errorf("AddDocument conflict returned a document other than the stored one (-got +want):\n%s", diff)
	}
	if _, err := s.GetDocument(ctx, "doc-2"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("GetDocument(doc-2) of a refused add: error = %v; want ErrNotFound", err)
	}

	// The same bytes in another application are another document.
	other := newDocument("doc-3", "app-2", "same bytes", t0.Add(2*time.Minute))
	addDocument(t, s, other)
	checkDocument(t, s, other)
	for app, want := range map[string][]string{"app-1": {"doc-1"}, "app-2": {"doc-3"}} {
		got, err := s.ListDocuments(ctx, app)
		if err != nil {
			t.Fatalf("ListDocuments(%s): %v", app, err)
		}
		if diff := cmp.Diff(docIDs(got), want); diff != "" {
			t.Errorf("ListDocuments(%s) ids mismatch (-got +want):\n%s", app, diff)
		}
	}
}

func testAddDuplicateID(t *testing.T, s intake.Store) {
	first := newDocument("doc-1", "app-1", "first", t0)
	addDocument(t, s, first)
	if _, err := s.AddDocument(t.Context(), newDocument("doc-1", "app-1", "second", t0.Add(time.Minute))); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("AddDocument with a used id: error = %v; want ErrConflict", err)
	}
	checkDocument(t, s, first)
}

func testAddConcurrentSameSHA256(t *testing.T, s intake.Store) {
	const n = 6
	type result struct {
		doc *intake.Document
		err error
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			d := newDocument(fmt.Sprintf("doc-%d", i), "app-1", "uploaded twice at once", t0.Add(time.Duration(i)*time.Second))
			results[i].doc, results[i].err = s.AddDocument(t.Context(), d)
		})
	}
	wg.Wait()

	winner := ""
	for i, r := range results {
		switch {
		case r.err == nil && winner == "":
			winner = fmt.Sprintf("doc-%d", i)
		case r.err == nil:
			t.Errorf("AddDocument(doc-%d) succeeded after %s with the same sha256", i, winner)
		case !errors.Is(r.err, intake.ErrConflict):
			t.Errorf("AddDocument(doc-%d): error = %v; want nil or ErrConflict", i, r.err)
		}
	}
	if winner == "" {
		t.Fatalf("no concurrent AddDocument succeeded")
	}
	for i, r := range results {
		if r.err != nil && (r.doc == nil || r.doc.ID != winner) {
			t.Errorf("AddDocument(doc-%d) conflict returned %v; want %s", i, r.doc, winner)
		}
	}
	got, err := s.ListDocuments(t.Context(), "app-1")
	if err != nil {
		t.Fatalf("ListDocuments: %v", err)
	}
	if diff := cmp.Diff(docIDs(got), []string{winner}); diff != "" {
		t.Errorf("ListDocuments ids mismatch (-got +want):\n%s", diff)
	}
}

func testListDocuments(t *testing.T, s intake.Store) {
	ctx := t.Context()
	c := newDocument("doc-c", "app-1", "c", t0)
	a := newDocument("doc-a", "app-1", "a", t0.Add(time.Minute))
	b := newDocument("doc-b", "app-1", "b", t0.Add(2*time.Minute))
	read(b)
	x := newDocument("doc-x", "app-2", "x", t0.Add(30*time.Second))
	for _, d := range []*intake.Document{b, x, c, a} {
		addDocument(t, s, d)
	}
	got, err := s.ListDocuments(ctx, "app-1")
	if err != nil {
		t.Fatalf("ListDocuments(app-1): %v", err)
	}
	if diff := cmp.Diff(got, []*intake.Document{c, a, b}, cmpOpts); diff != "" {
		t.Errorf("ListDocuments(app-1) mismatch (-got +want):\n%s", diff)
	}
	got, err = s.ListDocuments(ctx, "app-none")
	if err != nil || len(got) != 0 {
		t.Errorf("ListDocuments(app-none) = %v, %v; want none, nil", docIDs(got), err)
	}
}

func testUpdateDocument(t *testing.T, s intake.Store) {
	ctx := t.Context()
	d := newDocument("doc-1", "app-1", "content", t0)
	addDocument(t, s, d)
	addDocument(t, s, newDocument("doc-2", "app-1", "other", t0.Add(time.Minute)))

	read(d)
	if err := s.UpdateDocument(ctx, d); err != nil {
		t.Fatalf("UpdateDocument: %v", err)
	}
	checkDocument(t, s, d)

	d.Status, d.Reason, d.Fields = intake.StatusFailed, "无法识别", nil
	if err := s.UpdateDocument(ctx, d); err != nil {
		t.Fatalf("UpdateDocument: %v", err)
	}
	checkDocument(t, s, d)

	list, err := s.ListDocuments(ctx, "app-1")
	if err != nil {
		t.Fatalf("ListDocuments: %v", err)
	}
	if diff := cmp.Diff(docIDs(list), []string{"doc-1", "doc-2"}); diff != "" {
		t.Errorf("ListDocuments after updates: ids mismatch (-got +want):\n%s", diff)
	}
	// The updated document still holds its sha256 in its application.
	if existing, err := s.AddDocument(ctx, newDocument("doc-3", "app-1", "content", t0)); !errors.Is(err, intake.ErrConflict) || existing == nil || existing.ID != "doc-1" {
		t.Errorf("AddDocument with the sha256 of updated doc-1 = %v, %v; want doc-1, ErrConflict", existing, err)
	}

	if err := s.UpdateDocument(ctx, newDocument("doc-none", "app-1", "none", t0)); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("UpdateDocument(doc-none) error = %v; want ErrNotFound", err)
	}
	if _, err := s.GetDocument(ctx, "doc-none"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("GetDocument(doc-none) after a refused update: error = %v; want ErrNotFound", err)
	}
}

func checkPages(t *testing.T, s intake.Store, id string, want []doc.Page) {
	t.Helper()
	got, err := s.Pages(t.Context(), id)
	if err != nil {
		t.Fatalf("Pages(%s): %v", id, err)
	}
	if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
		t.Errorf("Pages(%s) mismatch (-got +want):\n%s", id, diff)
	}
}

func savePages(t *testing.T, s intake.Store, id string, pages []doc.Page) {
	t.Helper()
	if err := s.SavePages(t.Context(), id, pages); err != nil {
		t.Fatalf("SavePages(%s, %d pages): %v", id, len(pages), err)
	}
}

func testSavePages(t *testing.T, s intake.Store) {
	p1, p2, p3 := samplePage(1), samplePage(2), samplePage(3)
	savePages(t, s, "doc-1", []doc.Page{p2, p3, p1}) // out of order: Pages returns them by number
	checkPages(t, s, "doc-1", []doc.Page{p1, p2, p3})
}

func testReplacePages(t *testing.T, s intake.Store) {
	savePages(t, s, "doc-1", []doc.Page{samplePage(1), samplePage(2), samplePage(3)})
	again := samplePage(1)
	again.Rotation, again.MeanConfidence = 0, 0.99
	again.Lines = again.Lines[:1]
	savePages(t, s, "doc-1", []doc.Page{again})
	checkPages(t, s, "doc-1", []doc.Page{again})
	savePages(t, s, "doc-1", nil)
	checkPages(t, s, "doc-1", nil)
}

func testPagesPerDocument(t *testing.T, s intake.Store) {
	checkPages(t, s, "doc-none", nil)
	one := []doc.Page{samplePage(1)}
	two := []doc.Page{samplePage(1), samplePage(2)}
	two[0].Lines[0].Words[0].Text = "审计报告"
	savePages(t, s, "doc-1", one)
	savePages(t, s, "doc-10", two)
	checkPages(t, s, "doc-1", one)
	checkPages(t, s, "doc-10", two)
}
