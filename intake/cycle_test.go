package intake_test

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"shenbao/calendar"
	"shenbao/checklist"
	"shenbao/doc"
	"shenbao/intake"
	"shenbao/internal/bagit"
)

// Principals of the tests that need no account behind them.
var (
	applicant = intake.Principal{UserID: "usr_applicant", Name: "西藏天路检验检测技术有限公司", Role: intake.RoleApplicant}
	staff     = intake.Principal{UserID: "usr_staff", Name: "卓玛", Role: intake.RoleStaff}
)

// submit opens the application's round (as staff) and submits it, acknowledging every blocking warning.
func submit(t *testing.T, svc *intake.Service, id string) *intake.Application {
	t.Helper()
	ctx := context.Background()
	a, r, err := svc.Checklist(ctx, staff, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.OpenRound(ctx, staff, a.Year, time.Date(a.Year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(a.Year, 12, 31, 0, 0, 0, 0, time.UTC), "测试通知"); err != nil {
		t.Fatal(err)
	}
	var acks []intake.Ack
	for _, w := range r.Warnings {
		if w.Severity == checklist.Blocking {
			acks = append(acks, intake.Ack{Code: w.Code, Reason: "测试：稍后补充"})
		}
	}
	owner := intake.Principal{UserID: a.OwnerID, Name: "申报单位", Role: intake.RoleApplicant}
	a, err = svc.Submit(ctx, owner, id, acks)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// byMarker "reads" a file as the lines of the first marker its bytes contain: a fake of intake's own
// Recognizer port, not of a server.
type byMarker map[string][]string

func (m byMarker) Recognize(ctx context.Context, path, contentType string) ([]doc.Page, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	for marker, lines := range m {
		if strings.Contains(string(b), marker) {
			return (&textRecognizer{lines: lines}).Recognize(ctx, path, contentType)
		}
	}
	return (&textRecognizer{}).Recognize(ctx, path, contentType)
}

var recommendationForm = []string{
	"附件1", "西藏自治区中小企业公共服务示范平台推荐表", "平台运营单位 西藏天路检验检测技术有限公司",
	"推荐单位意见 同意推荐", "推荐单位（盖章） 拉萨市经济和信息化局", "2026年4月1日",
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// cycleService is a service on the embedded stores with a clock the test moves and the official
// calendar.
func cycleService(t *testing.T, c *clock) (*intake.Service, intake.Store) {
	t.Helper()
	dir, blobs, store := embeddedStores(t)
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	rec := byMarker{"licence": licence, "recommend": recommendationForm}
	svc := intake.NewService(blobs, store, rec, slog.New(slog.DiscardHandler), c.now, intake.Config{TempDir: dir, PollEvery: 20 * time.Millisecond, Calendar: cal})
	return svc, store
}

// people makes one account of each kind and signs each in.
type people struct {
	applicant, other, recommender, farRecommender, expert1, expert2, expert3, staff, auditor intake.Principal
}

func signIn(t *testing.T, svc *intake.Service) people {
	t.Helper()
	ctx := context.Background()
	mk := func(login, name string, role intake.Role, region string) intake.Principal {
		t.Helper()
		if _, err := svc.AddUser(ctx, intake.System, intake.NewUser{Login: login, Name: name, Role: role, Region: region, Password: "correct horse 42"}); err != nil {
			t.Fatalf("add %s: %v", login, err)
		}
		_, _, p, err := svc.Login(ctx, login, "correct horse 42")
		if err != nil {
			t.Fatalf("login %s: %v", login, err)
		}
		return p
	}
	return people{
		applicant:      mk("tianlu", "西藏天路检验检测技术有限公司", intake.RoleApplicant, ""),
		other:          mk("other", "另一家公司", intake.RoleApplicant, ""),
		recommender:    mk("lasa", "拉萨市经济和信息化局", intake.RoleRecommender, "拉萨市"),
		farRecommender: mk("ali", "阿里地区经济和信息化局", intake.RoleRecommender, "阿里地区"),
		expert1:        mk("expert1", "次仁", intake.RoleExpert, ""),
		expert2:        mk("expert2", "格桑", intake.RoleExpert, ""),
		expert3:        mk("expert3", "未分配的专家", intake.RoleExpert, ""),
		staff:          mk("staff", "卓玛", intake.RoleStaff, ""),
		auditor:        mk("audit", "审计员", intake.RoleAuditor, ""),
	}
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: got %v; want %v", what, err, want)
	}
	var ie *intake.Error
	if err != nil && errors.As(err, &ie) && ie.Message == "" {
		t.Errorf("%s: error %v has no message for people", what, err)
	}
}

func wantState(t *testing.T, a *intake.Application, err error, want intake.State) {
	t.Helper()
	if err != nil {
		t.Fatalf("want %s: %v", want, err)
	}
	if a.State != want {
		t.Fatalf("state %s; want %s", a.State, want)
	}
}

// TestCycle walks one application from draft to recognised and expired, checking at each step what
// each role may and may not do, that the submission date is frozen, and that the 公示 ends on the 7th
// working day of the official calendar across National Day 2026 and its 调休 Saturday.
func TestCycle(t *testing.T) {
	ctx := context.Background()
	c := &clock{time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	svc, _ := cycleService(t, c)
	pp := signIn(t, svc)

	if _, err := svc.CreateApplication(ctx, pp.staff, intake.NewApplication{OrgName: "某公司"}); !errors.Is(err, intake.ErrForbidden) {
		t.Errorf("staff creating an application: %v; want ErrForbidden", err)
	}
	a, err := svc.CreateApplication(ctx, pp.applicant, intake.NewApplication{OrgName: "西藏天路检验检测技术有限公司", CreditCode: "91540102MA6TKJPG5T", Region: "拉萨市", Year: 2026})
	wantState(t, a, err, intake.StateDraft)
	d, _, err := svc.Upload(ctx, pp.applicant, a.ID, "营业执照.jpg", strings.NewReader(jpeg+" licence"))
	if err != nil {
		t.Fatal(err)
	}
	runUntil(t, svc, func() bool { return status(t, svc, d.ID) == intake.StatusDone })

	// Nobody but the owner (and staff, auditors) sees a draft.
	for name, p := range map[string]intake.Principal{"other applicant": pp.other, "recommender": pp.recommender, "expert": pp.expert1} {
		_, err := svc.Application(ctx, p, a.ID)
		wantErr(t, name+" reading a draft", err, intake.ErrNotFound)
		_, err = svc.Document(ctx, p, d.ID)
		wantErr(t, name+" reading a draft's document", err, intake.ErrNotFound)
		_, _, err = svc.Original(ctx, p, d.ID)
		wantErr(t, name+" reading a draft's original", err, intake.ErrNotFound)
		_, err = svc.Pages(ctx, p, d.ID)
		wantErr(t, name+" reading a draft's pages", err, intake.ErrNotFound)
	}
	if apps, n, _ := svc.Applications(ctx, pp.other, intake.ApplicationQuery{}); n != 0 || len(apps) != 0 {
		t.Errorf("another applicant lists %d applications; want 0", n)
	}
	_, _, err = svc.Upload(ctx, pp.auditor, a.ID, "x.jpg", strings.NewReader(jpeg+" x"))
	wantErr(t, "auditor uploading", err, intake.ErrForbidden)

	// No round yet: submission is refused; then blocking warnings must be acknowledged.
	_, err = svc.Submit(ctx, pp.applicant, a.ID, nil)
	wantErr(t, "submit without a round", err, intake.ErrState)
	_, err = svc.OpenRound(ctx, pp.applicant, 2026, c.t, c.t.AddDate(0, 2, 0), "")
	wantErr(t, "applicant opening a round", err, intake.ErrForbidden)
	if _, err := svc.OpenRound(ctx, pp.staff, 2026, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC), "藏经信发〔2026〕1号"); err != nil {
		t.Fatal(err)
	}
	_, err = svc.Submit(ctx, pp.applicant, a.ID, nil)
	wantErr(t, "submit with unacknowledged blocking warnings", err, intake.ErrState)
	a = submit(t, svc, a.ID)
	if a.State != intake.StateSubmitted || !a.SubmittedAt.Equal(c.t) {
		t.Fatalf("after submit: %s at %v; want submitted at %v", a.State, a.SubmittedAt, c.t)
	}
	_, before, _ := svc.Checklist(ctx, pp.applicant, a.ID)
	c.t = c.t.AddDate(3, 0, 0) // the checklist of a submitted application does not move with the date
	_, after, _ := svc.Checklist(ctx, pp.applicant, a.ID)
	if !before.AsOf.Equal(after.AsOf) || strings.Join(before.Score().Warnings, ",") != strings.Join(after.Score().Warnings, ",") {
		t.Errorf("checklist changed with today's date: as of %v %v → %v %v", before.AsOf, before.Score().Warnings, after.AsOf, after.Score().Warnings)
	}
	c.t = time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)

	_, _, err = svc.Upload(ctx, pp.applicant, a.ID, "补充.jpg", strings.NewReader(jpeg+" more"))
	wantErr(t, "applicant uploading after submitting", err, intake.ErrState)
	_, err = svc.Application(ctx, pp.farRecommender, a.ID)
	wantErr(t, "another region's recommender", err, intake.ErrNotFound)
	_, err = svc.ReturnApplication(ctx, pp.recommender, a.ID, nil)
	wantErr(t, "return without reasons", err, intake.ErrInvalid)
	a, err = svc.ReturnApplication(ctx, pp.recommender, a.ID, []string{"请补充近三年的审计报告", "场地租赁合同已过期"})
	wantState(t, a, err, intake.StateReturned)
	_, err = svc.Submit(ctx, pp.applicant, a.ID, nil)
	wantErr(t, "resubmit without acknowledging", err, intake.ErrState)
	a = submit(t, svc, a.ID)

	_, err = svc.Recommend(ctx, pp.recommender, a.ID, intake.Recommendation{Opinion: "同意推荐", Operation: "优秀", Performance: "良好", Satisfaction: "优秀"})
	wantErr(t, "recommend without the 推荐表", err, intake.ErrState)
	f, _, err := svc.Upload(ctx, pp.recommender, a.ID, "推荐表.jpg", strings.NewReader(jpeg+" recommend"))
	if err != nil {
		t.Fatalf("recommender attaching the 推荐表: %v", err)
	}
	runUntil(t, svc, func() bool { return status(t, svc, f.ID) == intake.StatusDone })
	if f, _ = svc.Document(ctx, pp.staff, f.ID); f.Kind != "recommendation_form" {
		t.Fatalf("推荐表 read as %q", f.Kind)
	}
	_, err = svc.Recommend(ctx, pp.recommender, a.ID, intake.Recommendation{Opinion: "同意推荐", Operation: "很好", Performance: "良好", Satisfaction: "优秀"})
	wantErr(t, "recommend with a bad grade", err, intake.ErrInvalid)
	a, err = svc.Recommend(ctx, pp.recommender, a.ID, intake.Recommendation{Opinion: "同意推荐", Operation: "优秀", Performance: "良好", Satisfaction: "优秀"})
	wantState(t, a, err, intake.StateRecommended)
	_, err = svc.Withdraw(ctx, pp.applicant, a.ID)
	wantErr(t, "withdraw after recommendation", err, intake.ErrState)

	_, err = svc.AssignExperts(ctx, pp.staff, a.ID, []string{pp.staff.UserID})
	wantErr(t, "assign a non-expert", err, intake.ErrInvalid)
	_, err = svc.AssignExperts(ctx, pp.recommender, a.ID, []string{pp.expert1.UserID})
	wantErr(t, "recommender assigning experts", err, intake.ErrForbidden)
	a, err = svc.AssignExperts(ctx, pp.staff, a.ID, []string{pp.expert1.UserID, pp.expert2.UserID})
	wantState(t, a, err, intake.StateUnderReview)
	_, err = svc.Application(ctx, pp.expert3, a.ID)
	wantErr(t, "unassigned expert", err, intake.ErrNotFound)
	if _, err := svc.ReviewField(ctx, pp.expert1, d.ID, "established_date", "confirm", "", 0, doc.Box{}); err != nil {
		t.Errorf("assigned expert confirming a field: %v", err)
	}
	_, err = svc.ReviewField(ctx, pp.auditor, d.ID, "established_date", "confirm", "", 0, doc.Box{})
	wantErr(t, "auditor reviewing", err, intake.ErrForbidden)
	a, err = svc.Conclude(ctx, pp.expert1, a.ID, 86, "pass", "材料齐全")
	wantState(t, a, err, intake.StateUnderReview)
	a, err = svc.Conclude(ctx, pp.expert2, a.ID, 80, "pass", "")
	wantState(t, a, err, intake.StateReviewed)

	// 公示 from Thursday 2026-09-24: 24, 28, 29, 30 September, 8, 9 October and the 调休 Saturday
	// 10 October are the seven working days (25–27 September 中秋, 1–7 October 国庆).
	c.t = time.Date(2026, 9, 23, 9, 0, 0, 0, time.UTC)
	a, err = svc.Decide(ctx, pp.staff, a.ID, "pass", "评审通过", time.Date(2026, 9, 24, 0, 0, 0, 0, time.UTC))
	wantState(t, a, err, intake.StatePublicized)
	if got := a.Publicity.End.Format(time.DateOnly); got != "2026-10-10" {
		t.Errorf("公示 from 2026-09-24 ends %s; want 2026-10-10", got)
	}
	c.t = time.Date(2026, 10, 10, 9, 0, 0, 0, time.UTC)
	_, err = svc.Grant(ctx, pp.staff, a.ID, "XZSME-2026-001")
	wantErr(t, "grant during the 公示", err, intake.ErrState)
	c.t = time.Date(2026, 10, 12, 9, 0, 0, 0, time.UTC)
	a, err = svc.Grant(ctx, pp.staff, a.ID, "XZSME-2026-001")
	wantState(t, a, err, intake.StateRecognised)
	if got := a.Recognition.ValidUntil.Format(time.DateOnly); got != "2029-10-11" {
		t.Errorf("recognised 2026-10-12, valid until %s; want 2029-10-11", got)
	}
	// The recognition archived the application as a BagIt package that validates and holds the
	// originals and the records; verify checks it.
	_, err = svc.Package(ctx, pp.applicant, a.ID, "", c.t)
	wantErr(t, "applicant downloading the package", err, intake.ErrForbidden)
	rc, err := svc.Package(ctx, pp.auditor, a.ID, "", c.t)
	if err != nil {
		t.Fatal(err)
	}
	var tarball bytes.Buffer
	io.Copy(&tarball, rc)
	rc.Close()
	rep, err := bagit.Validate(bytes.NewReader(tarball.Bytes()))
	if err != nil || !rep.Valid() || rep.PayloadFiles != 6 {
		t.Errorf("package: %v, %+v; want a valid bag of 2 originals and 4 records", err, rep)
	}
	names := tarNames(t, tarball.Bytes())
	for _, want := range []string{a.ID + "/data/records/events.json", a.ID + "/data/records/checklist.json", a.ID + "/manifest-sha256.txt"} {
		if !slices.Contains(names, want) {
			t.Errorf("package lacks %s: %v", want, names)
		}
	}
	if r, err := svc.Verify(ctx, pp.auditor, ""); err != nil || !r.OK() || r.Packages != 1 {
		t.Errorf("verify after archiving: %+v, %v; want ok with 1 package", r, err)
	}
	_, err = svc.Revoke(ctx, pp.auditor, a.ID, "x")
	wantErr(t, "auditor revoking", err, intake.ErrForbidden)
	a, err = svc.RecordEvaluation(ctx, pp.staff, a.ID, "pass", "2027 年第三方测评合格")
	wantState(t, a, err, intake.StateRecognised)

	c.t = time.Date(2029, 10, 11, 12, 0, 0, 0, time.UTC)
	if n, err := svc.ExpireRecognitions(ctx); err != nil || n != 0 {
		t.Errorf("on its last day: %d expired (%v); want 0", n, err)
	}
	c.t = time.Date(2029, 10, 12, 12, 0, 0, 0, time.UTC)
	if n, err := svc.ExpireRecognitions(ctx); err != nil || n != 1 {
		t.Errorf("the day after: %d expired (%v); want 1", n, err)
	}
	a, _ = svc.Application(ctx, pp.auditor, a.ID)
	wantState(t, a, nil, intake.StateExpired)

	// Every transition is one event with who, role, from and to.
	evs, _, err := svc.Events(ctx, pp.auditor, intake.EventQuery{ApplicationID: a.ID, ListOptions: intake.ListOptions{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	var trail []string
	for i := len(evs) - 1; i >= 0; i-- {
		e := evs[i]
		if e.From != e.To || e.Action == "application.create" {
			trail = append(trail, string(e.To))
		}
		if e.Actor.ID == "" || e.Actor.Role == "" {
			t.Errorf("event %d %s has no actor", e.Seq, e.Action)
		}
	}
	want := "draft submitted returned submitted recommended under_review reviewed publicized recognised expired"
	if got := strings.Join(trail, " "); got != want {
		t.Errorf("transitions:\n got %s\nwant %s", got, want)
	}
	_, _, err = svc.Events(ctx, pp.applicant, intake.EventQuery{})
	wantErr(t, "applicant reading the whole log", err, intake.ErrForbidden)
}

// A failed third-party evaluation revokes the recognition (第二十三条).
func TestFailedEvaluationRevokes(t *testing.T) {
	ctx := context.Background()
	c := &clock{time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	svc, store := cycleService(t, c)
	a, err := svc.CreateApplication(ctx, applicant, intake.NewApplication{OrgName: "某公司", Region: "拉萨市", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	a.State = intake.StateRecognised // the way here is TestCycle's
	a.Recognition = &intake.Recognition{CertificateNo: "1", Date: c.t, ValidUntil: c.t.AddDate(3, 0, -1)}
	if err := store.UpdateApplication(ctx, a); err != nil {
		t.Fatal(err)
	}
	a, err = svc.RecordEvaluation(ctx, staff, a.ID, "fail", "服务收费不规范")
	wantState(t, a, err, intake.StateRevoked)
	if a.Revocation == nil || !strings.Contains(a.Revocation.Reason, "服务收费不规范") {
		t.Errorf("revocation %+v; want the evaluation's reason", a.Revocation)
	}
}

// Sessions: wrong passwords lock the account, an expired or logged-out session lets nobody in, a
// password change ends the other sessions, and a disabled account cannot sign in.
func TestSessions(t *testing.T) {
	ctx := context.Background()
	c := &clock{time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	svc, store := cycleService(t, c)
	if _, err := svc.AddUser(ctx, intake.System, intake.NewUser{Login: "Zhuoma", Name: "卓玛", Role: intake.RoleStaff, Password: "short1"}); !errors.Is(err, intake.ErrInvalid) {
		t.Errorf("weak password: %v; want ErrInvalid", err)
	}
	u, err := svc.AddUser(ctx, intake.System, intake.NewUser{Login: "Zhuoma", Name: "卓玛", Role: intake.RoleStaff, Password: "long enough 2026"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Login != "zhuoma" || strings.Contains(u.PasswordHash, "long enough") || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Errorf("user %q hash %q; want a lower-case login and an argon2id hash", u.Login, u.PasswordHash)
	}
	if _, err := svc.AddUser(ctx, intake.System, intake.NewUser{Login: "zhuoma", Name: "x", Role: intake.RoleStaff, Password: "long enough 2026"}); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("same login twice: %v; want ErrConflict", err)
	}
	_, _, _, err = svc.Login(ctx, "nobody", "long enough 2026")
	wantErr(t, "unknown login", err, intake.ErrUnauthenticated)

	tok, sess, p, err := svc.Login(ctx, "ZHUOMA ", "long enough 2026")
	if err != nil || p.UserID != u.ID || sess.CSRF == "" || sess.ID == tok {
		t.Fatalf("login: %v %+v; want a session with a CSRF token, stored by hash", err, sess)
	}
	if got, _, err := svc.Authenticate(ctx, tok); err != nil || got != p {
		t.Errorf("authenticate: %+v %v", got, err)
	}
	c.t = c.t.Add(3 * time.Hour) // idle past 2 h
	_, _, err = svc.Authenticate(ctx, tok)
	wantErr(t, "idle session", err, intake.ErrUnauthenticated)

	tok, _, _, _ = svc.Login(ctx, "zhuoma", "long enough 2026")
	tok2, _, _, _ := svc.Login(ctx, "zhuoma", "long enough 2026")
	api, _, err := svc.CreateToken(ctx, p, "统计脚本", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.ChangePassword(ctx, p, tok, "long enough 2026", "another one 2027"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Authenticate(ctx, tok); err != nil {
		t.Errorf("the session that changed the password: %v; want kept", err)
	}
	for name, tk := range map[string]string{"other browser": tok2, "api token": api} {
		_, _, err := svc.Authenticate(ctx, tk)
		wantErr(t, name+" after a password change", err, intake.ErrUnauthenticated)
	}
	if err := svc.Logout(ctx, p, tok); err != nil {
		t.Fatal(err)
	}
	_, _, err = svc.Authenticate(ctx, tok)
	wantErr(t, "after logout", err, intake.ErrUnauthenticated)

	for range 5 {
		_, _, _, err = svc.Login(ctx, "zhuoma", "wrong password 1")
		wantErr(t, "wrong password", err, intake.ErrUnauthenticated)
	}
	_, _, _, err = svc.Login(ctx, "zhuoma", "another one 2027")
	wantErr(t, "locked account, right password", err, intake.ErrTooMany)
	c.t = c.t.Add(16 * time.Minute)
	if _, _, _, err := svc.Login(ctx, "zhuoma", "another one 2027"); err != nil {
		t.Errorf("after the lock: %v", err)
	}

	other, _ := svc.AddUser(ctx, intake.System, intake.NewUser{Login: "gesang", Name: "格桑", Role: intake.RoleExpert, Password: "long enough 2026"})
	etok, _, _, _ := svc.Login(ctx, "gesang", "long enough 2026")
	yes := true
	if _, err := svc.UpdateUser(ctx, p, other.ID, intake.UserChange{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	_, _, err = svc.Authenticate(ctx, etok)
	wantErr(t, "disabled account's session", err, intake.ErrUnauthenticated)
	_, _, _, err = svc.Login(ctx, "gesang", "long enough 2026")
	wantErr(t, "disabled account's login", err, intake.ErrUnauthenticated)
	if _, err := svc.UpdateUser(ctx, intake.Principal{UserID: other.ID, Role: intake.RoleExpert}, u.ID, intake.UserChange{Disabled: &yes}); !errors.Is(err, intake.ErrForbidden) {
		t.Errorf("expert managing accounts: %v; want ErrForbidden", err)
	}
	if n, _, _ := store.ListUsers(ctx, intake.ListOptions{}); n == nil {
		t.Error("no users listed")
	}
}

// The deadline board: a platform recognised in 2026 owes its 2026 work summary by 2027-02-28 and its
// recommender the inspection report by 2027-03-10; what is handed in shows, what is not is overdue
// once the day has passed.
func TestDuties(t *testing.T) {
	ctx := context.Background()
	c := &clock{time.Date(2027, 3, 5, 10, 0, 0, 0, time.UTC)}
	svc, store := cycleService(t, c)
	pp := signIn(t, svc)
	mk := func(owner intake.Principal, region string, recognised time.Time) *intake.Application {
		a, err := svc.CreateApplication(ctx, owner, intake.NewApplication{OrgName: owner.Name, Region: region, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		a.State = intake.StateRecognised
		a.Recognition = &intake.Recognition{CertificateNo: "1", Date: recognised, ValidUntil: recognised.AddDate(3, 0, -1)}
		if err := store.UpdateApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	mine := mk(pp.applicant, "拉萨市", time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC))
	other := mk(pp.other, "阿里地区", time.Date(2025, 1, 5, 0, 0, 0, 0, time.UTC))
	mk(pp.other, "阿里地区", time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)) // not recognised in 2026: owes nothing for it

	if _, err := svc.HandIn(ctx, pp.applicant, intake.WorkSummary, 2026, other.ID, "总结.pdf", strings.NewReader("%PDF-1.4 x")); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("a work summary for another's platform: %v; want ErrNotFound", err)
	}
	if _, err := svc.HandIn(ctx, pp.applicant, intake.InspectionReport, 2026, "", "报告.pdf", strings.NewReader("%PDF-1.4 x")); !errors.Is(err, intake.ErrForbidden) {
		t.Errorf("an applicant handing in an inspection report: %v; want ErrForbidden", err)
	}
	if _, err := svc.HandIn(ctx, pp.recommender, intake.InspectionReport, 2024, "", "报告.pdf", strings.NewReader("%PDF-1.4 early")); !errors.Is(err, intake.ErrInvalid) {
		t.Errorf("an inspection report for a year with no platform recognised: %v; want ErrInvalid", err)
	}
	f, err := svc.HandIn(ctx, pp.applicant, intake.WorkSummary, 2026, mine.ID, "2026年度工作总结.pdf", strings.NewReader("%PDF-1.4 summary"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.HandIn(ctx, pp.recommender, intake.InspectionReport, 2026, "", "检查报告.pdf", strings.NewReader("%PDF-1.4 report")); err != nil {
		t.Fatal(err)
	}
	board := func(p intake.Principal) string {
		t.Helper()
		ds, err := svc.Duties(ctx, p, 2026)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range ds {
			s := fmt.Sprintf("%s %s due %s", d.Kind, d.Region, d.Due.Format(time.DateOnly))
			if len(d.Filings) > 0 {
				s += " handed in"
			}
			if d.Overdue {
				s += " overdue"
			}
			out = append(out, s)
		}
		slices.Sort(out)
		return strings.Join(out, "; ")
	}
	want := "inspection_report 拉萨市 due 2027-03-10 handed in; inspection_report 阿里地区 due 2027-03-10; work_summary 拉萨市 due 2027-02-28 handed in; work_summary 阿里地区 due 2027-02-28 overdue"
	if got := board(pp.staff); got != want {
		t.Errorf("staff's board on 2027-03-05:\n got %s\nwant %s", got, want)
	}
	if got, want := board(pp.applicant), "work_summary 拉萨市 due 2027-02-28 handed in"; got != want {
		t.Errorf("the applicant's board: %s; want %s", got, want)
	}
	if got, want := board(pp.farRecommender), "inspection_report 阿里地区 due 2027-03-10; work_summary 阿里地区 due 2027-02-28 overdue"; got != want {
		t.Errorf("阿里's recommender's board: %s; want %s", got, want)
	}
	c.t = time.Date(2027, 3, 11, 10, 0, 0, 0, time.UTC)
	if got := board(pp.staff); !strings.Contains(got, "inspection_report 阿里地区 due 2027-03-10 overdue") {
		t.Errorf("after 10 March: %s; want 阿里's report overdue", got)
	}
	if _, _, err := svc.FilingOriginal(ctx, pp.farRecommender, f.ID); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("another region's recommender opening a work summary: %v; want ErrNotFound", err)
	}
	if _, rc, err := svc.FilingOriginal(ctx, pp.recommender, f.ID); err != nil {
		t.Errorf("the region's recommender opening its platform's summary: %v", err)
	} else {
		rc.Close()
	}
}

func tarNames(t *testing.T, b []byte) []string {
	t.Helper()
	var names []string
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		names = append(names, h.Name)
	}
	return names
}
