// Package uitest drives the web UI in a headless Chromium against the real service: the program is
// built (with the testclock tag, so that the test sets the service's date), its accounts are made with
// `shenbao user add`, and it is started with `serve` on 127.0.0.1:0 in a temporary data directory and
// stopped with SIGTERM.
//
// Screenshots of every screen, at 1366×768 and 390×844, go to $SHENBAO_SCREENSHOTS (default: a
// temporary directory that is removed afterwards).
package uitest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"shenbao/internal/testreq"
)

const chromium = "/usr/bin/chromium"

// corpusDir holds the development corpus, relative to this package.
var corpusDir = filepath.Join("..", "..", "shared", "corpus", "dev")

func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromium); err == nil {
		return
	}
	msg := chromium + " is not installed (apt-get install -y chromium fonts-noto-cjk, or scripts/deps.sh --test)"
	testreq.Skip(t, "skipping the browser tests: %s", msg)
}

// service is the real program, started for one test.
type service struct {
	base  string // the service's address, http://127.0.0.1:PORT
	clock string // the file the service's clock reads (clock_testclock.go)
	logs  *lockedBuffer
}

// account is one of the test's users; every one has the password testPassword.
type account struct {
	login, name, role, region string
}

const testPassword = "Shenbao2026test"

var (
	applicant  = account{"tianlu", "西藏天路检验检测技术有限公司", "applicant", ""}
	lhasa      = account{"lasa-jxj", "拉萨市经济和信息化局", "recommender", "拉萨市"}
	ngari      = account{"ali-jxj", "阿里地区经济和信息化局", "recommender", "阿里地区"}
	expert1    = account{"expert-tsering", "次仁多吉", "expert", ""}
	expert2    = account{"expert-drolma", "卓玛", "expert", ""}
	staff      = account{"jxt-zhang", "经信厅 张明", "staff", ""}
	auditor    = account{"audit-li", "审计处 李华", "auditor", ""}
	everyone   = []account{applicant, lhasa, ngari, expert1, expert2, staff, auditor}
	rfc3339CST = "2006-01-02T15:04:05+08:00"
)

// setClock moves the service's date: it reads the time in the file plus the time since the file was
// written. The browser goes by the real date, and keeps the session cookie all the same (the service
// gives it a Max-Age, not an Expires by its own clock); the service ends sessions by its clock.
func (s *service) setClock(t *testing.T, at time.Time) {
	t.Helper()
	if err := os.WriteFile(s.clock, []byte(at.Format(time.RFC3339)), 0o644); err != nil {
		t.Fatal(err)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// noteSources looks at the program's sources (Go, the embedded UI and data) so that `go test` reuses a
// cached result only while none of them has changed: the program is built in a subprocess, whose
// reads the test cache does not see.
func noteSources() {
	filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if n := d.Name(); p != ".." && (strings.HasPrefix(n, ".") || n == "testdata" || n == "bench" || n == "scripts") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(p) {
		case ".go", ".js", ".css", ".html", ".json", ".mod", ".sum":
			os.Stat(p)
		}
		return nil
	})
}

// startService builds the program with the test clock set to start, makes the accounts of everyone,
// and runs `serve` on a free port in a fresh data directory.
func startService(t *testing.T, start time.Time) *service {
	t.Helper()
	noteSources()
	dir := t.TempDir()
	bin := filepath.Join(dir, "shenbao")
	build := exec.Command("go", "build", "-tags", "testclock", "-o", bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	svc := &service{clock: filepath.Join(dir, "clock"), logs: &lockedBuffer{}}
	svc.setClock(t, start)
	data := filepath.Join(dir, "data")
	env := append(os.Environ(), "SHENBAO_TEST_CLOCK_FILE="+svc.clock)
	// Accounts first: the embedded store is opened by one process at a time.
	for _, a := range everyone {
		args := []string{"user", "add", "--login", a.login, "--name", a.name, "--role", a.role, "--password-stdin", "--data-dir", data}
		if a.region != "" {
			args = append(args, "--region", a.region)
		}
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		cmd.Stdin = strings.NewReader(testPassword + "\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("shenbao %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data-dir", data)
	cmd.Env = append(env, "SHENBAO_LOG_LEVEL=info")
	cmd.Stderr = svc.logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start service: %v", err)
	}
	done := make(chan error, 1)
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lines <- line
		io.Copy(io.Discard, r)
	}()
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("service exited: %v", err)
			}
		case <-time.After(60 * time.Second):
			cmd.Process.Kill()
			t.Error("service did not stop within 60 s of SIGTERM")
		}
		if t.Failed() {
			t.Logf("service log (last 6000 bytes):\n%s", tail(svc.logs.String(), 6000))
		}
	})
	var line string
	select {
	case line = <-lines:
	case err := <-done:
		t.Fatalf("service exited before listening: %v\n%s", err, svc.logs.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("service did not say where it listens within 60 s\n%s", svc.logs.String())
	}
	svc.base = strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	if !strings.HasPrefix(svc.base, "http://") {
		t.Fatalf("first stdout line = %q; want \"listening on http://ADDR\"", line)
	}
	return svc
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// browser is one headless Chromium tab.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots string

	mu     sync.Mutex
	errors []string // uncaught exceptions and console errors other than failed requests
}

type viewport struct {
	name          string
	width, height int64
	scale         float64
	mobile        bool
}

var (
	desktop = viewport{"1366x768", 1366, 768, 1, false}
	phone   = viewport{"390x844", 390, 844, 2, true}
)

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cctx, ccancel := context.WithTimeout(ctx, 15*time.Second)
		defer ccancel()
		chromedp.Cancel(cctx)
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser, bound to ctx
		t.Fatalf("start chromium: %v", err)
	}
	shots := os.Getenv("SHENBAO_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, ctx: ctx, shots: shots}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			switch {
			case m.IsException():
				b.addError("exception: " + m.String())
			case m.Type == "error" && m.Source != "network":
				// Failed requests (an expected 404 or 415) are the page's business; a CSP
				// violation or a script error is not.
				b.addError(fmt.Sprintf("console %s %s: %s", m.Source, m.Type, m.Text))
			}
		}
	}()
	b.setViewport(desktop)
	return b
}

func (b *browser) addError(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.errors = append(b.errors, s)
}

// checkErrors fails the test for any script error or CSP violation seen so far.
func (b *browser) checkErrors() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.errors {
		b.t.Errorf("browser: %s", e)
	}
	b.errors = nil
}

func (b *browser) do(timeout time.Duration, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// eval evaluates a JavaScript expression (awaiting a promise) and decodes its value.
func eval[T any](b *browser, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %.200s: %v", js, err)
	}
	return v
}

// waitJS waits until the expression is truthy.
func (b *browser) waitJS(what, js string, timeout time.Duration) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout+5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](js,
		chromedp.WithPollingInterval(150*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		state, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector('main')||document.body).innerText.slice(0, 3000)`))
		b.t.Fatalf("waiting for %s: %v\npage text:\n%s", what, err, state)
	}
}

func (b *browser) setViewport(v viewport) {
	b.t.Helper()
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(v.scale)}
	if v.mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	b.do(10*time.Second, chromedp.EmulateViewport(v.width, v.height, opts...))
}

// shot saves the screen at both sizes (what is visible, and the whole page when it is taller), then
// returns to the desktop size.
func (b *browser) shot(name string) {
	b.t.Helper()
	for _, v := range []viewport{desktop, phone} {
		b.setViewport(v)
		b.waitJS("images of "+name, `new Promise(r => setTimeout(r, 500)).then(() =>
			Array.from(document.images).every(i => i.complete))`, 20*time.Second)
		ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err == nil {
			err = os.WriteFile(filepath.Join(b.shots, name+"-"+v.name+".png"), png, 0o644)
		}
		if err == nil && eval[bool](b, `document.documentElement.scrollHeight > window.innerHeight + 8`) {
			var full []byte
			full, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err == nil {
				err = os.WriteFile(filepath.Join(b.shots, name+"-"+v.name+"-full.png"), full, 0o644)
			}
		}
		cancel()
		if err != nil {
			b.t.Fatalf("screenshot %s at %s: %v", name, v.name, err)
		}
		// Nothing may stick out sideways on any screen.
		if over := eval[int](b, `document.documentElement.scrollWidth - window.innerWidth`); over > 1 {
			b.t.Errorf("%s at %s: the page is %d px wider than the window", name, v.name, over)
		}
	}
	b.setViewport(desktop)
	b.waitJS("layout back at desktop size", `new Promise(r => setTimeout(() => r(true), 300))`, 10*time.Second)
}

func (b *browser) navigate(url string) {
	b.t.Helper()
	b.do(30*time.Second, chromedp.Navigate(url))
}

func (b *browser) hash() string {
	b.t.Helper()
	return eval[string](b, `location.hash`)
}

// mouseTo moves the mouse to the centre of the first element matching sel, scrolling it into view.
func (b *browser) mouseTo(sel string) (x, y float64) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el) return null;
		el.scrollIntoView({block: 'center', inline: 'center'});
		const r = el.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()`, sel)
	p := eval[[]float64](b, js)
	if len(p) != 2 {
		b.t.Fatalf("no element %s to move the mouse to", sel)
	}
	b.do(10*time.Second, chromedp.MouseEvent(chromedp.MouseMoved, p[0], p[1]))
	return p[0], p[1]
}

// dropFiles drops files onto the element sel as a user dragging them from a file manager would.
func (b *browser) dropFiles(sel string, paths ...string) {
	b.t.Helper()
	type file struct {
		Name string `json:"name"`
		Type string `json:"type"`
		B64  string `json:"b64"`
	}
	var files []file
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.t.Fatal(err)
		}
		typ := map[string]string{".jpg": "image/jpeg", ".pdf": "application/pdf", ".png": "image/png", ".txt": "text/plain"}[filepath.Ext(p)]
		files = append(files, file{filepath.Base(p), typ, base64.StdEncoding.EncodeToString(data)})
	}
	js, _ := json.Marshal(files)
	n := eval[int](b, fmt.Sprintf(`(() => {
		const dt = new DataTransfer();
		for (const f of %s) {
			const bin = atob(f.b64);
			const bytes = new Uint8Array(bin.length);
			for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
			dt.items.add(new File([bytes], f.name, {type: f.type}));
		}
		const zone = document.querySelector(%q);
		for (const type of ['dragenter', 'dragover', 'drop']) {
			zone.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: dt}));
		}
		return dt.files.length;
	})()`, js, sel))
	if n != len(paths) {
		b.t.Fatalf("dropped %d files; want %d", n, len(paths))
	}
}

func corpusFile(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(corpusDir, rel))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		testreq.Skip(t, "corpus not found (%v)", err)
	}
	return p
}

// checkServing checks the headers of the UI's files: a strict CSP, and no directory listing.
func checkServing(t *testing.T, svc *service) {
	t.Helper()
	for _, path := range []string{"/", "/static/app.js", "/static/app.css"} {
		res, err := http.Get(svc.base + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		csp := res.Header.Get("Content-Security-Policy")
		if res.StatusCode != http.StatusOK || !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "style-src 'self'") {
			t.Errorf("GET %s: %d, CSP %q; want 200 with script-src and style-src 'self'", path, res.StatusCode, csp)
		}
	}
	res, err := http.Get(svc.base + "/static/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /static/: %d; want 404, not a directory listing", res.StatusCode)
	}
}

// apiGet reads an API answer with the browser's session, as the page would.
func apiGet[T any](b *browser, path string) T {
	b.t.Helper()
	return eval[T](b, fmt.Sprintf(`fetch('/api/v1' + %q, {headers: {Accept: 'application/json'}}).then(r => r.json())`, path))
}

// text is the visible text of the first element matching sel, or "".
func (b *browser) text(sel string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.innerText : ''; })()`, sel))
}

// exists says whether an element matches sel.
func (b *browser) exists(sel string) bool {
	b.t.Helper()
	return eval[bool](b, fmt.Sprintf(`!!document.querySelector(%q)`, sel))
}

// waitText waits until the first element matching sel contains want.
func (b *browser) waitText(what, sel, want string, timeout time.Duration) {
	b.t.Helper()
	b.waitJS(what, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.innerText.includes(%q); })()`, sel, want), timeout)
}

// click clicks the first element matching sel as a person would, after scrolling it into view.
func (b *browser) click(sel string) {
	b.t.Helper()
	b.do(15*time.Second, chromedp.Click(chromedp.CSS(sel)))
}

// setValue sets a form control's value and tells the page, as typing or choosing would.
func (b *browser) setValue(sel, v string) {
	b.t.Helper()
	ok := eval[bool](b, fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false;
		e.value = %q; e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`, sel, v))
	if !ok {
		b.t.Fatalf("no form control %s", sel)
	}
}

// login signs in on the login page as a and waits for the role's home.
func (b *browser) login(a account) {
	b.t.Helper()
	b.waitJS("the login page", `!!document.querySelector('main[data-screen=login] #login-name')`, 20*time.Second)
	b.setValue("#login-name", a.login)
	b.setValue("#login-password", testPassword)
	b.click(`.login-form button[type=submit]`)
	b.waitJS("signed in as "+a.login, fmt.Sprintf(`(() => { const u = document.querySelector('#user-box');
		return !!u && !u.hidden && u.innerText.includes(%q) && document.querySelector('main').dataset.screen !== 'login'; })()`, a.name), 20*time.Second)
}

// logout signs out with the top bar's button and waits for the login page.
func (b *browser) logout() {
	b.t.Helper()
	b.click(`#user-box .btn-logout`)
	b.waitJS("the login page after signing out", `!!document.querySelector('main[data-screen=login] #login-name')`, 20*time.Second)
}

// as signs out whoever is signed in and signs in as a.
func (b *browser) as(a account) {
	b.t.Helper()
	if !b.exists(`main[data-screen=login]`) {
		b.logout()
	}
	b.login(a)
}

// printShot saves the screen as printed (the print stylesheet) and checks that the page's chrome is
// not printed.
func (b *browser) printShot(name string) {
	b.t.Helper()
	media := func(m string) {
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		defer cancel()
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m}); err != nil {
			b.t.Fatalf("emulate %q media: %v", m, err)
		}
	}
	media("print")
	defer media("")
	if !eval[bool](b, `getComputedStyle(document.querySelector('.topbar')).display === 'none' &&
		getComputedStyle(document.querySelector('.print-toolbar')).display === 'none'`) {
		b.t.Errorf("%s: the top bar or the print button is printed", name)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.WriteFile(filepath.Join(b.shots, name+"-print.png"), png, 0o644)
	}
	if err != nil {
		b.t.Fatalf("print screenshot %s: %v", name, err)
	}
}
