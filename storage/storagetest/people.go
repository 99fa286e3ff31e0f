package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"shenbao/intake"
)

// The conformance tests of accounts and sessions.

// newUser returns a user with every field set.
func newUser(id, login string) *intake.User {
	return &intake.User{
		ID:           id,
		Login:        login,
		Name:         "南京市工业和信息化局",
		Role:         intake.RoleRecommender,
		Region:       "南京市",
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
		Disabled:     true,
		FailedLogins: 3,
		LockedUntil:  t0.Add(15 * time.Minute),
		CreatedAt:    t0,
		UpdatedAt:    t0.Add(time.Hour),
	}
}

func createUser(t *testing.T, s intake.Store, u *intake.User) {
	t.Helper()
	if err := s.CreateUser(t.Context(), u); err != nil {
		t.Fatalf("CreateUser(%s, %s): %v", u.ID, u.Login, err)
	}
}

// checkUser checks that the user is stored as want, by id and by login.
func checkUser(t *testing.T, s intake.Store, want *intake.User) {
	t.Helper()
	got, err := s.GetUser(t.Context(), want.ID)
	if err != nil {
		t.Fatalf("GetUser(%s): %v", want.ID, err)
	}
	if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
		t.Errorf("GetUser(%s) mismatch (-got +want):\n%s", want.ID, diff)
	}
	got, err = s.GetUserByLogin(t.Context(), want.Login)
	if err != nil {
		t.Fatalf("GetUserByLogin(%s): %v", want.Login, err)
	}
	if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
		t.Errorf("GetUserByLogin(%s) mismatch (-got +want):\n%s", want.Login, diff)
	}
}

func userIDs(us []*intake.User) []string {
	return ids(us, func(u *intake.User) string { return u.ID })
}

func testCreateGetUser(t *testing.T, s intake.Store) {
	ctx := t.Context()
	want := newUser("usr-1", "nanjing")
	createUser(t, s, want)
	plain := &intake.User{ID: "usr-2", Login: "applicant@example.com", Name: "某某服务中心", Role: intake.RoleApplicant,
		PasswordHash: "$argon2id$x", CreatedAt: t0, UpdatedAt: t0}
	createUser(t, s, plain)
	for _, u := range []*intake.User{want, plain} {
		checkUser(t, s, u)
	}
	got, err := s.GetUser(ctx, want.ID)
	if err == nil {
		checkUTC(t, "GetUser", got)
	}
	if _, err := s.GetUser(ctx, "usr-none"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("GetUser(usr-none) error = %v; want ErrNotFound", err)
	}
	for _, login := range []string{"none", "Nanjing", "nanjing ", "nanjin"} { // compared exactly
		if u, err := s.GetUserByLogin(ctx, login); !errors.Is(err, intake.ErrNotFound) {
			t.Errorf("GetUserByLogin(%q) = %v, %v; want ErrNotFound", login, u, err)
		}
	}
}

func testCreateDuplicateUser(t *testing.T, s intake.Store) {
	ctx := t.Context()
	first := newUser("usr-1", "nanjing")
	createUser(t, s, first)

	sameID := newUser("usr-1", "suzhou")
	if err := s.CreateUser(ctx, sameID); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("CreateUser with a used id: error = %v; want ErrConflict", err)
	}
	if _, err := s.GetUserByLogin(ctx, "suzhou"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("GetUserByLogin(suzhou) of a refused create: error = %v; want ErrNotFound", err)
	}
	sameLogin := newUser("usr-2", "nanjing")
	sameLogin.Name = "另一个局"
	if err := s.CreateUser(ctx, sameLogin); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("CreateUser with a used login: error = %v; want ErrConflict", err)
	}
	if _, err := s.GetUser(ctx, "usr-2"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("GetUser(usr-2) of a refused create: error = %v; want ErrNotFound", err)
	}
	checkUser(t, s, first)
	if _, total, err := s.ListUsers(ctx, intake.ListOptions{}); err != nil || total != 1 {
		t.Errorf("ListUsers after refused creates: total %d, %v; want 1", total, err)
	}
}

func testCreateConcurrentSameLogin(t *testing.T, s intake.Store) {
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = s.CreateUser(t.Context(), newUser(fmt.Sprintf("usr-%d", i), "zhangsan")) })
	}
	wg.Wait()
	winner := ""
	for i, err := range errs {
		switch {
		case err == nil && winner == "":
			winner = fmt.Sprintf("usr-%d", i)
		case err == nil:
			t.Errorf("CreateUser(usr-%d) succeeded after %s with the same login", i, winner)
		case !errors.Is(err, intake.ErrConflict):
			t.Errorf("CreateUser(usr-%d): error = %v; want nil or ErrConflict", i, err)
		}
	}
	if winner == "" {
		t.Fatalf("no concurrent CreateUser succeeded")
	}
	u, err := s.GetUserByLogin(t.Context(), "zhangsan")
	if err != nil || u.ID != winner {
		t.Errorf("GetUserByLogin(zhangsan) = %v, %v; want %s", u, err, winner)
	}
	list, total, err := s.ListUsers(t.Context(), intake.ListOptions{})
	if err != nil || total != 1 || len(list) != 1 {
		t.Errorf("ListUsers = %v, total %d, %v; want only %s", userIDs(list), total, err, winner)
	}
}

func testListUsers(t *testing.T, s intake.Store) {
	ctx := t.Context()
	logins := []string{"wang", "li.si", "zhao", "a@b.cn", "li", "qian_1"}
	for i, login := range logins {
		createUser(t, s, newUser(fmt.Sprintf("usr-%d", i), login))
	}
	// By login, bytewise: "a@b.cn" "li" "li.si" "qian_1" "wang" "zhao".
	all := []string{"usr-3", "usr-4", "usr-1", "usr-5", "usr-0", "usr-2"}
	for _, tt := range []struct {
		opt  intake.ListOptions
		want []string
	}{
		{intake.ListOptions{}, all},
		{intake.ListOptions{Limit: 2}, all[:2]},
		{intake.ListOptions{Limit: 2, Offset: 2}, all[2:4]},
		{intake.ListOptions{Offset: 5}, all[5:]},
		{intake.ListOptions{Limit: 3, Offset: 6}, []string{}},
	} {
		got, total, err := s.ListUsers(ctx, tt.opt)
		if err != nil {
			t.Errorf("ListUsers(%+v): %v", tt.opt, err)
			continue
		}
		if diff := cmp.Diff(userIDs(got), tt.want, cmpOpts); diff != "" || total != len(logins) {
			t.Errorf("ListUsers(%+v): total %d, want %d; ids mismatch (-got +want):\n%s", tt.opt, total, len(logins), diff)
		}
	}
	got, _, err := s.ListUsers(ctx, intake.ListOptions{Limit: 1})
	if err == nil && len(got) == 1 {
		if diff := cmp.Diff(got[0], newUser("usr-3", "a@b.cn"), cmpOpts); diff != "" {
			t.Errorf("ListUsers gave a user other than the one stored (-got +want):\n%s", diff)
		}
	}
}

func testListUsersDefaultLimit(t *testing.T, s intake.Store) {
	const n = 51
	for i := range n {
		createUser(t, s, newUser(fmt.Sprintf("usr-%02d", i), fmt.Sprintf("user%02d", n-1-i)))
	}
	got, total, err := s.ListUsers(t.Context(), intake.ListOptions{})
	if err != nil {
		t.Fatalf("ListUsers: %v", err)
	}
	if len(got) != 50 || total != n || got[0].Login != "user00" || got[49].Login != "user49" {
		t.Errorf("ListUsers({}) = %d users from %s, total %d; want 50 from user00 to user49, total %d",
			len(got), got[0].Login, total, n)
	}
}

func testUpdateUser(t *testing.T, s intake.Store) {
	ctx := t.Context()
	u := newUser("usr-1", "nanjing")
	createUser(t, s, u)
	createUser(t, s, newUser("usr-2", "suzhou"))

	u.Name, u.Role, u.Region = "无锡市工业和信息化局", intake.RoleExpert, "无锡市"
	u.PasswordHash = "$argon2id$v=19$new"
	u.Disabled, u.FailedLogins, u.LockedUntil = false, 0, time.Time{}
	u.UpdatedAt = t0.Add(48 * time.Hour)
	if err := s.UpdateUser(ctx, u); err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
	checkUser(t, s, u)

	renamed := *u
	renamed.Login = "wuxi"
	if err := s.UpdateUser(ctx, &renamed); !errors.Is(err, intake.ErrInvalid) {
		t.Errorf("UpdateUser changing the login: error = %v; want ErrInvalid", err)
	}
	if _, err := s.GetUserByLogin(ctx, "wuxi"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("GetUserByLogin(wuxi) after a refused login change: error = %v; want ErrNotFound", err)
	}
	checkUser(t, s, u)

	if err := s.UpdateUser(ctx, newUser("usr-none", "none")); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("UpdateUser(usr-none) error = %v; want ErrNotFound", err)
	}
	if _, err := s.GetUser(ctx, "usr-none"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("GetUser(usr-none) after a refused update: error = %v; want ErrNotFound", err)
	}
}

// newSession returns a session of user with every field set. Its ExpiresAt is in the future, so that a
// store that removes expired sessions keeps it through the test.
func newSession(id, user string, kind intake.SessionKind) *intake.Session {
	now := time.Now().Truncate(time.Second)
	return &intake.Session{
		ID:        id,
		UserID:    user,
		Kind:      kind,
		Label:     "数据上报脚本",
		CSRF:      "csrf-" + id,
		CreatedAt: now.Add(-time.Hour),
		LastSeen:  now.Add(-time.Minute),
		ExpiresAt: now.Add(7 * 24 * time.Hour),
	}
}

func createSession(t *testing.T, s intake.Store, ss *intake.Session) {
	t.Helper()
	if err := s.CreateSession(t.Context(), ss); err != nil {
		t.Fatalf("CreateSession(%s): %v", ss.ID, err)
	}
}

func checkSession(t *testing.T, s intake.Store, want *intake.Session) {
	t.Helper()
	got, err := s.GetSession(t.Context(), want.ID)
	if err != nil {
		t.Fatalf("GetSession(%s): %v", want.ID, err)
	}
	if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
		t.Errorf("GetSession(%s) mismatch (-got +want):\n%s", want.ID, diff)
	}
}

// checkSessions checks which of ids are stored.
func checkSessions(t *testing.T, s intake.Store, ids []string, stored map[string]bool) {
	t.Helper()
	for _, id := range ids {
		_, err := s.GetSession(t.Context(), id)
		switch {
		case stored[id] && err != nil:
			t.Errorf("GetSession(%s): %v; want it kept", id, err)
		case !stored[id] && !errors.Is(err, intake.ErrNotFound):
			t.Errorf("GetSession(%s) error = %v; want ErrNotFound, it was removed", id, err)
		}
	}
}

func testCreateGetSession(t *testing.T, s intake.Store) {
	ctx := t.Context()
	want := newSession("3f9a0c", "usr-1", intake.SessionAPI)
	createSession(t, s, want)
	browser := newSession("77b1e2", "usr-1", intake.SessionBrowser)
	browser.Label = ""
	createSession(t, s, browser)
	checkSession(t, s, want)
	checkSession(t, s, browser)
	if got, err := s.GetSession(ctx, want.ID); err == nil {
		checkUTC(t, "GetSession", got)
	}
	dup := newSession("3f9a0c", "usr-2", intake.SessionBrowser)
	if err := s.CreateSession(ctx, dup); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("CreateSession with a used id: error = %v; want ErrConflict", err)
	}
	checkSession(t, s, want)
	if _, err := s.GetSession(ctx, "none"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("GetSession(none) error = %v; want ErrNotFound", err)
	}
}

func testTouchSession(t *testing.T, s intake.Store) {
	ctx := t.Context()
	ss := newSession("aa01", "usr-1", intake.SessionBrowser)
	other := newSession("aa02", "usr-1", intake.SessionBrowser)
	createSession(t, s, ss)
	createSession(t, s, other)
	at := time.Now().Add(time.Second)
	if err := s.TouchSession(ctx, ss.ID, at); err != nil {
		t.Fatalf("TouchSession: %v", err)
	}
	ss.LastSeen = at
	checkSession(t, s, ss)
	checkSession(t, s, other)
	if err := s.TouchSession(ctx, "none", at); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("TouchSession(none) error = %v; want ErrNotFound", err)
	}
	if _, err := s.GetSession(ctx, "none"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("GetSession(none) after a refused touch: error = %v; want ErrNotFound", err)
	}
}

func testDeleteSession(t *testing.T, s intake.Store) {
	ctx := t.Context()
	ss := newSession("aa01", "usr-1", intake.SessionBrowser)
	other := newSession("aa02", "usr-1", intake.SessionBrowser)
	createSession(t, s, ss)
	createSession(t, s, other)
	for range 2 { // the second time it is gone: not an error
		if err := s.DeleteSession(ctx, ss.ID); err != nil {
			t.Errorf("DeleteSession: %v", err)
		}
	}
	if err := s.DeleteSession(ctx, "none"); err != nil {
		t.Errorf("DeleteSession(none): %v", err)
	}
	checkSessions(t, s, []string{"aa01", "aa02"}, map[string]bool{"aa02": true})
	checkSession(t, s, other)
	// Its id may be used again, and it counts among its user's sessions again.
	createSession(t, s, ss)
	if n, err := s.DeleteUserSessions(ctx, "usr-1", "", other.ID); err != nil || n != 1 {
		t.Errorf("DeleteUserSessions(usr-1) = %d, %v; want 1", n, err)
	}
	checkSessions(t, s, []string{"aa01", "aa02"}, map[string]bool{"aa02": true})
}

func testDeleteUserSessions(t *testing.T, s intake.Store) {
	ctx := t.Context()
	all := []string{"b1", "b2", "b3", "a1", "a2", "u2b", "u2a", "u10"}
	for _, ss := range []*intake.Session{
		newSession("b1", "usr-1", intake.SessionBrowser),
		newSession("b2", "usr-1", intake.SessionBrowser),
		newSession("b3", "usr-1", intake.SessionBrowser),
		newSession("a1", "usr-1", intake.SessionAPI),
		newSession("a2", "usr-1", intake.SessionAPI),
		newSession("u2b", "usr-2", intake.SessionBrowser),
		newSession("u2a", "usr-2", intake.SessionAPI),
		newSession("u10", "usr-10", intake.SessionBrowser),
	} {
		createSession(t, s, ss)
	}
	stored := map[string]bool{}
	for _, id := range all {
		stored[id] = true
	}
	for _, tt := range []struct {
		user    string
		kind    intake.SessionKind
		keep    string
		removed []string
	}{
		{"usr-1", intake.SessionBrowser, "b2", []string{"b1", "b3"}},
		{"usr-1", intake.SessionBrowser, "b2", nil},
		{"usr-1", "", "a1", []string{"b2", "a2"}},
		{"usr-1", intake.SessionBrowser, "", nil},
		{"usr-1", "", "u2a", []string{"a1"}}, // keep is another user's: nothing of theirs goes
		{"usr-1", "", "", nil},
		{"usr-none", "", "", nil},
		{"usr-2", intake.SessionAPI, "", []string{"u2a"}},
	} {
		n, err := s.DeleteUserSessions(ctx, tt.user, tt.kind, tt.keep)
		if err != nil || n != len(tt.removed) {
			t.Errorf("DeleteUserSessions(%s, %q, %q) = %d, %v; want %d", tt.user, tt.kind, tt.keep, n, err, len(tt.removed))
		}
		for _, id := range tt.removed {
			delete(stored, id)
		}
		checkSessions(t, s, all, stored)
	}
}
