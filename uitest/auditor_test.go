package uitest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestAuditorLog: on 档案核验 the auditor sees the chain's status and searches the log by action,
// actor and dates; the filters live in the address, and 清除条件 shows the whole log again.
func TestAuditorLog(t *testing.T) {
	requireChromium(t)
	svc := startService(t, time.Date(2026, 9, 10, 9, 30, 0, 0, cst))
	b := newBrowser(t)
	defer b.checkErrors()

	// Some actions to find: staff signs in and out, someone mistypes the auditor's password.
	b.navigate(svc.base + "/#/")
	b.login(staff)
	b.logout()
	b.setValue("#login-name", auditor.login)
	b.setValue("#login-password", "not the password 1")
	b.click(`.login-form button[type=submit]`)
	b.waitText("the login error", ".login-form .form-error", "登录名或密码不正确", 20*time.Second)
	b.navigate(svc.base + "/#/verify")
	b.login(auditor)

	b.waitJS("the chain's status", `!!document.querySelector('.chain-status[data-ok]')`, 30*time.Second)
	if got := b.text(".chain-status"); !strings.Contains(got, "哈希链完好") || eval[string](b, `document.querySelector('.chain-status').dataset.ok`) != "true" {
		t.Errorf("chain status = %q; want 哈希链完好", got)
	}
	// The screen is drawn again on every search (and may be while the chain's status loads): a log
	// drawn before a search is marked stale, and figures are read in one evaluation, never from a
	// node found by an earlier one.
	const current = `.log-body:not([data-stale]) .log-total`
	total := func() int {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			v := eval[string](b, `(() => { const e = document.querySelector('`+current+`'); return e ? e.dataset.total : ''; })()`)
			if v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			if time.Now().After(deadline) {
				t.Fatalf("no log total after 20 s:\n%s", b.text("main"))
			}
			time.Sleep(150 * time.Millisecond)
		}
	}
	markStale := func() {
		eval[bool](b, `(() => { document.querySelectorAll('.log-body').forEach((e) => { e.dataset.stale = '1'; }); return true; })()`)
	}
	whole := total()
	if whole < 10 { // seven accounts made, two sign-ins, a sign-out, a failed sign-in
		t.Errorf("the whole log has %d events; want at least 10", whole)
	}
	b.shot("auditor-log")

	search := func(what string, set map[string]string, wantHash string) {
		t.Helper()
		for sel, v := range set {
			b.setValue(sel, v)
		}
		markStale()
		b.click(`.log-filters button[data-action=search-log]`)
		b.waitJS(what, fmt.Sprintf(`location.hash.includes(%q) && !!document.querySelector('`+current+`')`, wantHash), 20*time.Second)
	}
	rows := func(js string) []string {
		return eval[[]string](b, `[...document.querySelectorAll('.log-body:not([data-stale]) .event-row')].map((r) => `+js+`)`)
	}

	search("sign-ins", map[string]string{"#l-action": "user.login"}, "action=user.login")
	if n, actions := total(), rows(`r.dataset.action`); n != 2 || len(actions) != 2 || actions[0] != "user.login" || actions[1] != "user.login" {
		t.Errorf("action user.login: total %d, rows %q; want the two sign-ins", n, actions)
	}
	search("the family of user actions by 张明", map[string]string{"#l-action": "user.", "#l-actor": "张明"}, "actor=")
	if n, who := total(), rows(`r.children[1].innerText`); n < 2 || len(who) != n || !allContain(who, "张明") {
		t.Errorf("user. by 张明: total %d, actors %q; want staff's sign-in and sign-out, only theirs", n, who)
	}
	b.shot("auditor-log-filtered")
	search("a failed sign-in", map[string]string{"#l-action": "user.login_failed", "#l-actor": ""}, "action=user.login_failed")
	if n := total(); n != 1 {
		t.Errorf("action user.login_failed: total %d; want 1", n)
	}
	search("tomorrow", map[string]string{"#l-action": "", "#l-from": "2026-09-11"}, "from=2026-09-11")
	if n := total(); n != 0 || !strings.Contains(b.text(".log-body"), "没有符合条件的操作记录") {
		t.Errorf("from tomorrow: total %d, %q; want none, said so", n, b.text(".log-body"))
	}
	search("today", map[string]string{"#l-from": "2026-09-10", "#l-to": "2026-09-10"}, "to=2026-09-10")
	if n := total(); n < whole {
		t.Errorf("today: total %d; want the whole log (%d or more)", n, whole)
	}
	markStale()
	b.click(`.log-filters button[data-action=reset-log]`)
	b.waitJS("the log without filters", `location.hash === '#/verify' && (document.querySelector('`+current+`')?.textContent || '').startsWith('操作记录共')`, 20*time.Second)
	if got := eval[string](b, `document.querySelector('#l-from').value + document.querySelector('#l-action').value`); got != "" {
		t.Errorf("after 清除条件 the filters hold %q; want none", got)
	}
}

func allContain(list []string, s string) bool {
	for _, x := range list {
		if !strings.Contains(x, s) {
			return false
		}
	}
	return true
}
