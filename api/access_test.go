package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"shenbao/calendar"
	"shenbao/doc"
	"shenbao/intake"
	"shenbao/storage/bolt"
	"shenbao/storage/localdisk"
)

// noReader stands in for OCR: no document is read in these tests, they are stored as read.
type noReader struct{}

func (noReader) Recognize(ctx context.Context, path, contentType string) ([]doc.Page, error) {
	return nil, nil
}

type testbed struct {
	srv   *Server
	http  *httptest.Server
	svc   *intake.Service
	store intake.Store
	blobs intake.BlobStore
	users map[string]*intake.User // by column name
	token map[string]string       // bearer token by column name
}

// columns are the principals of the access matrix, in its column order: the fixture's owner, another
// applicant, the recommender of its region and of another, the expert assigned to it (once under
// review) and another, staff, an auditor, and nobody signed in.
var columns = []string{"owner", "other", "rec", "far", "expert", "expert2", "staff", "auditor", "anon"}

func newTestbed(t *testing.T) *testbed {
	t.Helper()
	dir := t.TempDir()
	blobs, err := localdisk.New(dir + "/blobs")
	if err != nil {
		t.Fatal(err)
	}
	store, err := bolt.Open(dir + "/meta.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close(context.Background()) })
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	svc := intake.NewService(blobs, store, noReader{}, log, time.Now, intake.Config{TempDir: dir, Calendar: cal})
	srv := New(svc, log, Config{Ready: map[string]Pinger{"store": store}})
	tb := &testbed{srv: srv, http: httptest.NewServer(srv), svc: svc, store: store, blobs: blobs, users: map[string]*intake.User{}, token: map[string]string{}}
	t.Cleanup(tb.http.Close)
	ctx := context.Background()
	for _, u := range []struct {
		col, login string
		role       intake.Role
		region     string
	}{
		{"owner", "owner", intake.RoleApplicant, ""}, {"other", "other", intake.RoleApplicant, ""},
		{"rec", "lasa", intake.RoleRecommender, "拉萨市"}, {"far", "ali", intake.RoleRecommender, "阿里地区"},
		{"expert", "expert1", intake.RoleExpert, ""}, {"expert2", "expert2", intake.RoleExpert, ""},
		{"staff", "staff", intake.RoleStaff, ""}, {"auditor", "auditor", intake.RoleAuditor, ""},
	} {
		user, err := svc.AddUser(ctx, intake.System, intake.NewUser{Login: u.login, Name: u.login + " 名称", Role: u.role, Region: u.region, Password: "password 12345"})
		if err != nil {
			t.Fatal(err)
		}
		tok, _, err := svc.CreateToken(ctx, user.Principal(), "测试", 0)
		if err != nil {
			t.Fatal(err)
		}
		tb.users[u.col], tb.token[u.col] = user, tok
	}
	return tb
}

// fixture stores an application of the owner, in the region 拉萨市, in the given state, with one read
// document; from under_review on, the expert is assigned to it.
func (tb *testbed) fixture(t *testing.T, state intake.State) (appID, docID string) {
	t.Helper()
	ctx := context.Background()
	a, err := tb.svc.CreateApplication(ctx, tb.users["owner"].Principal(), intake.NewApplication{OrgName: "西藏某某科技有限公司", Region: "拉萨市", Year: time.Now().Year()})
	if err != nil {
		t.Fatal(err)
	}
	a.State = state
	now := time.Now()
	if state != intake.StateDraft {
		a.SubmittedAt = now
	}
	if i := slices.Index(intake.States, state); i >= slices.Index(intake.States, intake.StateUnderReview) {
		a.Experts = []string{tb.users["expert"].ID}
	}
	a.Publicity = &intake.Publicity{Start: now.AddDate(0, 0, -20), End: now.AddDate(0, 0, -10)}
	a.Recognition = &intake.Recognition{CertificateNo: "1", Date: now, ValidUntil: now.AddDate(3, 0, 0)}
	if err := tb.store.UpdateApplication(ctx, a); err != nil {
		t.Fatal(err)
	}
	content := "\xFF\xD8\xFF a jpeg of " + a.ID
	if err := tb.blobs.Put(ctx, intake.BlobKey(sha(content)), strings.NewReader(content), int64(len(content)), sha(content)); err != nil {
		t.Fatal(err)
	}
	d := &intake.Document{ID: "doc_" + a.ID[4:], ApplicationID: a.ID, FileName: "营业执照.jpg", ContentType: "image/jpeg",
		Size: int64(len(content)), SHA256: sha(content), BlobKey: intake.BlobKey(sha(content)), Status: intake.StatusDone,
		Kind: "business_licence", KindConfidence: 0.9, PageCount: 1, PagesDone: 1, Pages: []intake.PageSummary{{Number: 1}},
		Fields: []doc.Field{{Name: "established_date", Value: "2017-02-22", Confidence: 0.9, Page: 1}}, UploadedAt: now, UpdatedAt: now}
	if _, err := tb.store.AddDocument(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := tb.store.SavePages(ctx, d.ID, []doc.Page{{Number: 1, Width: 100, Height: 100}}); err != nil {
		t.Fatal(err)
	}
	return a.ID, d.ID
}

func (tb *testbed) do(t *testing.T, col, method, path, body string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, tb.http.URL+path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if col != "anon" {
		req.Header.Set("Authorization", "Bearer "+tb.token[col])
	}
	resp, err := tb.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestAccessMatrix runs every endpoint as every role on an application in the state the endpoint acts
// on. "vis" stands for a status other than 401, 403 and 404: the principal may see the object, and
// what happens next is another test's business. A mutation sent by a role that may do it carries a body
// that is either valid (the transition happens: 200) or deliberately not (400/409), so that the
// matrix tests the order visibility (404) → role (403) → validation (400) → state (409).
func TestAccessMatrix(t *testing.T) {
	tb := newTestbed(t)
	S := func(s string) intake.State { return intake.State(s) }
	read := "200 404 200 404 404 404 200 200 401"
	cases := []struct {
		method, path string // {app} and {doc} are the fixture's, {user} another account
		state        intake.State
		body, want   string
	}{
		{"GET", "/api/v1/applications/{app}", S("draft"), "", "200 404 404 404 404 404 200 200 401"},
		{"GET", "/api/v1/applications/{app}", S("submitted"), "", read},
		{"GET", "/api/v1/applications/{app}", S("under_review"), "", "200 404 200 404 200 404 200 200 401"},
		{"GET", "/api/v1/applications/{app}/documents", S("submitted"), "", read},
		{"GET", "/api/v1/applications/{app}/checklist", S("submitted"), "", read},
		{"GET", "/api/v1/applications/{app}/events", S("submitted"), "", read},
		{"GET", "/api/v1/documents/{doc}", S("submitted"), "", read},
		{"GET", "/api/v1/documents/{doc}/original", S("submitted"), "", read},
		{"GET", "/api/v1/documents/{doc}/pages", S("submitted"), "", read},
		{"GET", "/api/v1/documents/{doc}/fields", S("submitted"), "", read},
		{"GET", "/api/v1/documents/{doc}/declared", S("submitted"), "", read},
		{"GET", "/api/v1/documents/{doc}/pages/1/image?size=1000", S("submitted"), "", "vis 404 vis 404 404 404 vis vis 401"},
		{"GET", "/api/v1/applications", S("submitted"), "", "200 200 200 200 200 200 200 200 401"},
		{"GET", "/api/v1/dashboard", S("submitted"), "", "200 200 200 200 200 200 200 200 401"},
		{"GET", "/api/v1/rounds", S("submitted"), "", "200 200 200 200 200 200 200 200 401"},
		{"GET", "/api/v1/session", S("submitted"), "", "200 200 200 200 200 200 200 200 401"},
		{"GET", "/api/v1/vocabulary", S("submitted"), "", "200 200 200 200 200 200 200 200 401"},
		{"GET", "/api/v1/events", S("submitted"), "", "403 403 403 403 403 403 200 200 401"},
		{"GET", "/api/v1/duties", S("submitted"), "", "200 200 200 200 200 200 200 200 401"},
		{"GET", "/api/v1/counts", S("submitted"), "", "200 200 200 200 200 200 200 200 401"},
		{"GET", "/api/v1/verify", S("submitted"), "", "403 403 403 403 403 403 200 200 401"},
		{"POST", "/api/v1/applications/{app}/archive", S("submitted"), "", "403 404 403 404 404 404 201 403 401"},
		{"GET", "/api/v1/applications/{app}/compilation", S("submitted"), "", "415 404 415 404 404 404 415 415 401"},
		{"GET", "/api/v1/applications/{app}/package?day=2020-01-01", S("submitted"), "", "403 404 403 404 404 404 404 404 401"},
		{"POST", "/api/v1/duties", S("submitted"), `{}`, "400 400 400 400 400 400 400 400 401"},
		{"GET", "/api/v1/filings/fil_0000000000000000/original", S("submitted"), "", "404 404 404 404 404 404 404 404 401"},
		{"GET", "/api/v1/users", S("submitted"), "", "403 403 403 403 403 403 200 200 401"},

		{"POST", "/api/v1/applications", S("draft"), `{}`, "400 400 403 403 403 403 403 403 401"},
		{"POST", "/api/v1/applications/{app}/documents", S("draft"), `{}`, "400 404 404 404 404 404 403 403 401"},
		{"POST", "/api/v1/applications/{app}/documents", S("submitted"), `{}`, "409 404 400 404 404 404 403 403 401"},
		{"POST", "/api/v1/applications/{app}/submit", S("draft"), `{}`, "409 404 404 404 404 404 403 403 401"},
		{"POST", "/api/v1/applications/{app}/withdraw", S("submitted"), ``, "200 404 403 404 404 404 403 403 401"},
		{"POST", "/api/v1/applications/{app}/return", S("submitted"), `{"reasons":["请补充审计报告"]}`, "403 404 200 404 404 404 403 403 401"},
		{"POST", "/api/v1/applications/{app}/recommend", S("submitted"), `{"opinion":"同意","operation":"优秀","performance":"良好","satisfaction":"合格"}`, "403 404 409 404 404 404 403 403 401"},
		{"POST", "/api/v1/applications/{app}/experts", S("recommended"), `{"experts":["{expert}"]}`, "403 404 403 404 404 404 200 403 401"},
		{"POST", "/api/v1/applications/{app}/conclusion", S("under_review"), `{"score":80,"conclusion":"pass"}`, "403 404 403 404 200 404 403 403 401"},
		{"POST", "/api/v1/applications/{app}/decision", S("reviewed"), `{"outcome":"fail","comment":"不符合第十二条"}`, "403 404 403 404 403 404 200 403 401"},
		{"POST", "/api/v1/applications/{app}/grant", S("publicized"), `{"certificate_no":"XZ-1"}`, "403 404 403 404 403 404 200 403 401"},
		{"POST", "/api/v1/applications/{app}/refuse", S("publicized"), `{"reason":"公示期间有异议"}`, "403 404 403 404 403 404 200 403 401"},
		{"POST", "/api/v1/applications/{app}/revoke", S("recognised"), `{"reason":"违规"}`, "403 404 403 404 403 404 200 403 401"},
		{"POST", "/api/v1/applications/{app}/evaluations", S("recognised"), `{"result":"pass"}`, "403 404 403 404 403 404 200 403 401"},
		{"POST", "/api/v1/applications/{app}/hold", S("recognised"), `{"on":true}`, "403 404 403 404 403 404 415 403 401"},
		{"POST", "/api/v1/documents/{doc}/fields/established_date", S("under_review"), `{"action":"confirm"}`, "403 404 403 404 200 404 200 403 401"},
		{"POST", "/api/v1/documents/{doc}/kind", S("under_review"), `{"kind":"business_licence"}`, "403 404 403 404 200 404 200 403 401"},
		{"POST", "/api/v1/applications/{app}/items/2", S("under_review"), `{"decision":"accept"}`, "403 404 403 404 200 404 200 403 401"},
		{"POST", "/api/v1/rounds", S("draft"), `{}`, "403 403 403 403 403 403 400 403 401"},
		{"POST", "/api/v1/users", S("draft"), `{}`, "403 403 403 403 403 403 400 403 401"},
		{"PATCH", "/api/v1/users/{user}", S("draft"), `{}`, "403 403 403 403 403 403 200 403 401"},
		{"POST", "/api/v1/tokens", S("draft"), `{}`, "400 400 400 400 400 400 400 400 401"},
		{"POST", "/api/v1/session/password", S("draft"), `{}`, "400 400 400 400 400 400 400 400 401"},
	}
	for _, c := range cases {
		want := strings.Fields(c.want)
		if len(want) != len(columns) {
			t.Fatalf("%s %s: %d expectations for %d columns", c.method, c.path, len(want), len(columns))
		}
		var got []string
		for i, col := range columns {
			app, docID := tb.fixture(t, c.state)
			r := strings.NewReplacer("{app}", app, "{doc}", docID, "{user}", tb.users["other"].ID, "{expert}", tb.users["expert"].ID)
			status, body := tb.do(t, col, c.method, r.Replace(c.path), r.Replace(c.body))
			g := strconv.Itoa(status)
			if want[i] == "vis" && status != 401 && status != 403 && status != 404 {
				g = "vis"
			}
			got = append(got, g)
			if g != want[i] {
				t.Logf("%s %s as %s: %d %s", c.method, c.path, col, status, truncate(body, 200))
			}
			if status == 404 && strings.Contains(body, "西藏某某") {
				t.Errorf("%s %s as %s: a 404 that reveals the application: %s", c.method, c.path, col, body)
			}
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s %s (%s):\n got %s\nwant %s\n     %s", c.method, c.path, c.state, strings.Join(got, " "), c.want, strings.Join(columns, " "))
		}
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Reaching for another's application answers exactly as for an id nobody has.
func TestNotFoundRevealsNothing(t *testing.T) {
	tb := newTestbed(t)
	app, docID := tb.fixture(t, intake.StateSubmitted)
	for _, p := range []string{"/api/v1/applications/%s", "/api/v1/documents/%s", "/api/v1/documents/%s/original", "/api/v1/documents/%s/pages/1/image"} {
		id := app
		if strings.Contains(p, "documents") {
			id = docID
		}
		s1, b1 := tb.do(t, "other", "GET", strings.Replace(p, "%s", id, 1), "")
		s2, b2 := tb.do(t, "other", "GET", strings.Replace(p, "%s", id[:4]+"0000000000000000", 1), "")
		if s1 != 404 || s1 != s2 || b1 != b2 {
			t.Errorf("%s: another's %d %s; a missing one %d %s; want the same 404", p, s1, b1, s2, b2)
		}
	}
}

// Only signing in, the health checks, the metrics and the UI's files answer without a principal; every
// other route answers 401.
func TestEveryRouteNeedsAPrincipal(t *testing.T) {
	tb := newTestbed(t)
	public := map[string]bool{"GET /healthz": true, "GET /readyz": true, "GET /metrics": true, "POST /api/v1/session": true,
		"GET /": true, "GET /vocabulary.js": true, "GET /static/*path": true}
	n := 0
	for _, r := range tb.srv.engine.Routes() {
		key := r.Method + " " + r.Path
		path := strings.NewReplacer(":id", "x", ":n", "1", ":name", "org_name", "*path", "app.js").Replace(r.Path)
		status, _ := tb.do(t, "anon", r.Method, path, "")
		if public[key] {
			if status == 401 {
				t.Errorf("%s: 401; want it public", key)
			}
			continue
		}
		n++
		if status != 401 {
			t.Errorf("%s without a principal: %d; want 401", key, status)
		}
	}
	if n < 30 {
		t.Errorf("only %d guarded routes found", n)
	}
	status, body := tb.do(t, "anon", "GET", "/metrics", "")
	if status != 200 || !strings.Contains(body, `shenbao_applications{state="draft"}`) {
		t.Errorf("metrics: %d %s", status, body)
	}
	tb.fixture(t, intake.StateSubmitted)
	if _, body := tb.do(t, "anon", "GET", "/metrics", ""); strings.Contains(body, "西藏") || !strings.Contains(body, `{state="submitted"} 1`) {
		t.Errorf("metrics reveal applicant data or miscount: %s", body)
	}
}

// A browser signs in with a cookie; its state-changing requests need the CSRF token and this origin;
// failed logins are limited per address.
func TestBrowserSession(t *testing.T) {
	tb := newTestbed(t)
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar}
	post := func(path, body string, hdr map[string]string) (*http.Response, string) {
		req, _ := http.NewRequest("POST", tb.http.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	resp, body := post("/api/v1/session", `{"login":"owner","password":"wrong password 1"}`, nil)
	if resp.StatusCode != 401 || !strings.Contains(body, "登录名或密码不正确") {
		t.Errorf("wrong password: %d %s", resp.StatusCode, body)
	}
	resp, body = post("/api/v1/session", `{"login":"owner","password":"password 12345"}`, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("login: %d %s", resp.StatusCode, body)
	}
	ck := resp.Header.Get("Set-Cookie")
	if !strings.Contains(ck, "HttpOnly") || !strings.Contains(ck, "SameSite=Lax") {
		t.Errorf("cookie %q; want HttpOnly and SameSite", ck)
	}
	var s struct {
		CSRF string `json:"csrf_token"`
		User struct {
			Role string `json:"role"`
		} `json:"user"`
	}
	json.Unmarshal([]byte(body), &s)
	if s.CSRF == "" || s.User.Role != "applicant" {
		t.Fatalf("session answer %s", body)
	}
	create := `{"org_name":"西藏某某科技有限公司","region":"拉萨市"}`
	if resp, body := post("/api/v1/applications", create, nil); resp.StatusCode != 403 || !strings.Contains(body, "csrf") {
		t.Errorf("POST without the CSRF token: %d %s; want 403 csrf", resp.StatusCode, body)
	}
	if resp, _ := post("/api/v1/applications", create, map[string]string{csrfHeader: s.CSRF, "Origin": "https://evil.example"}); resp.StatusCode != 403 {
		t.Errorf("POST from another origin: %d; want 403", resp.StatusCode)
	}
	if resp, body := post("/api/v1/applications", create, map[string]string{csrfHeader: s.CSRF, "Origin": tb.http.URL}); resp.StatusCode != 201 {
		t.Errorf("POST with the token from this origin: %d %s; want 201", resp.StatusCode, body)
	}
	req, _ := http.NewRequest("DELETE", tb.http.URL+"/api/v1/session", nil)
	req.Header.Set(csrfHeader, s.CSRF)
	if resp, err := cl.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatalf("logout: %v %v", err, resp)
	}
	u, _ := url.Parse(tb.http.URL)
	for _, c := range jar.Cookies(u) {
		if c.Name == sessionCookie && c.Value != "" {
			t.Errorf("cookie still set after logout")
		}
	}
	if resp, err := cl.Get(tb.http.URL + "/api/v1/session"); err != nil || resp.StatusCode != 401 {
		t.Errorf("after logout: %v %v; want 401", err, resp.StatusCode)
	}
	// 20 failures from one address, over several accounts, close it for everyone there.
	for i := range 20 {
		login := []string{"other", "lasa", "ali", "expert1"}[i%4]
		post("/api/v1/session", `{"login":"`+login+`","password":"wrong password 1"}`, nil)
	}
	resp, body = post("/api/v1/session", `{"login":"staff","password":"password 12345"}`, nil)
	if resp.StatusCode != 429 || !strings.Contains(body, "15 分钟") {
		t.Errorf("after 20 failures from one address: %d %s; want 429 with a Chinese message", resp.StatusCode, body)
	}
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// Counts by state are of what the caller may see.
func TestCountsAreScoped(t *testing.T) {
	tb := newTestbed(t)
	tb.fixture(t, intake.StateSubmitted)
	tb.fixture(t, intake.StateDraft)
	for col, want := range map[string]string{"owner": `"draft":1`, "other": `"draft":0`, "rec": `"draft":0`, "staff": `"draft":1`} {
		status, body := tb.do(t, col, "GET", "/api/v1/counts", "")
		if status != 200 || !strings.Contains(body, want) {
			t.Errorf("%s: %d %s; want %s", col, status, body, want)
		}
	}
	_, body := tb.do(t, "rec", "GET", "/api/v1/counts", "")
	if !strings.Contains(body, `"submitted":1`) {
		t.Errorf("the region's recommender: %s; want the submitted one counted", body)
	}
}

// Dates are the civil dates of China, whatever zone a store gives a time back in.
func TestDayIsChinese(t *testing.T) {
	if got := day(time.Date(2026, 9, 23, 16, 0, 0, 0, time.UTC)); got != "2026-09-24" {
		t.Errorf("day(2026-09-23T16:00Z) = %s; want 2026-09-24", got)
	}
}
