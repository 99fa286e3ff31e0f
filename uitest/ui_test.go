// Package uitest drives the web UI in a headless Chromium against the real service: the program is
// built, started with `serve` on 127.0.0.1:0 in a temporary data directory, and stopped with SIGTERM.
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
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
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
	if os.Getenv("CI") != "" || os.Getenv("SHENBAO_REQUIRE_SERVERS") != "" {
		t.Fatal(msg)
	}
	t.Skip("skipping the browser tests: " + msg)
}

// service is the real program, started for one test.
type service struct {
	base string
	logs *lockedBuffer
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

// startService builds the program once and runs `serve` on a free port in a fresh data directory.
func startService(t *testing.T) *service {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "shenbao")
	build := exec.Command("go", "build", "-o", bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "data"))
	cmd.Env = append(os.Environ(), "SHENBAO_LOG_LEVEL=info")
	logs := &lockedBuffer{}
	cmd.Stderr = logs
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
			t.Logf("service log (last 6000 bytes):\n%s", tail(logs.String(), 6000))
		}
	})
	var line string
	select {
	case line = <-lines:
	case err := <-done:
		t.Fatalf("service exited before listening: %v\n%s", err, logs.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("service did not say where it listens within 60 s\n%s", logs.String())
	}
	base := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	if !strings.HasPrefix(base, "http://") {
		t.Fatalf("first stdout line = %q; want \"listening on http://ADDR\"", line)
	}
	return &service{base: base, logs: logs}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// getJSON reads an API answer into v.
func (s *service) getJSON(t *testing.T, path string, v any) int {
	t.Helper()
	res, err := http.Get(s.base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: decode: %v", path, err)
	}
	return res.StatusCode
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
		t.Skipf("corpus not found (%v)", err)
	}
	return p
}

// uploadRow is the state of one upload progress bar.
type uploadRow struct {
	Name  string `json:"name"`
	State string `json:"state"`
	Now   string `json:"now"`
	Max   string `json:"max"`
	Text  string `json:"text"`
}

type docRow struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
	Kind   string `json:"kind"`
	Text   string `json:"text"`
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

func TestUI(t *testing.T) {
	requireChromium(t)
	licence := corpusFile(t, "app04_nyingchi/营业执照副本.jpg")
	declaration := corpusFile(t, "app04_nyingchi/申报材料真实性声明.jpg")
	form := corpusFile(t, "app04_nyingchi/附件1-推荐表.pdf")
	lease := corpusFile(t, "app04_nyingchi/房屋租赁合同.pdf") // two pages
	otherForm := corpusFile(t, "app08_lhasa/附件1-推荐表.pdf")
	tmp := t.TempDir()
	notAScan := filepath.Join(tmp, "说明.txt")
	if err := os.WriteFile(notAScan, []byte("这不是扫描件，只是一段文字。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(tmp, "损坏的扫描件.pdf") // a PDF by its first bytes, unreadable after them
	if err := os.WriteFile(broken, append([]byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), bytes.Repeat([]byte("garbage "), 200)...), 0o644); err != nil {
		t.Fatal(err)
	}

	svc := startService(t)
	checkServing(t, svc)
	b := newBrowser(t)
	t.Logf("screenshots in %s", b.shots)
	defer b.checkErrors()

	// ---- staff dashboard, empty ----
	b.navigate(svc.base + "/")
	b.waitJS("the dashboard", `document.querySelector('main[data-screen=home] .dash-body') &&
		!document.querySelector('.dash-body .loading')`, 20*time.Second)
	if got := eval[string](b, `document.querySelector('.topbar').innerText`); !strings.Contains(got, "示范平台申报材料审核") {
		t.Errorf("top bar = %q; want the Chinese title", got)
	}
	b.shot("01-dashboard-empty")

	// ---- new application: the form refuses an empty submission, then creates one ----
	b.do(10*time.Second, chromedp.Click(chromedp.CSS(`a[data-nav=new]`)))
	b.waitJS("the new application form", `document.querySelector('#a-org')`, 10*time.Second)
	b.do(10*time.Second, chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)))
	b.waitJS("the form's error", `document.querySelector('.form-error .alert')`, 10*time.Second)
	if got := eval[string](b, `document.querySelector('.form-error').innerText`); !strings.Contains(got, "请填写单位名称") {
		t.Errorf("empty form error = %q; want it to ask for the 单位名称", got)
	}
	b.do(20*time.Second,
		chromedp.SendKeys(chromedp.ID("a-org"), "林芝格桑企业管理咨询有限公司"),
		chromedp.SendKeys(chromedp.ID("a-code"), "91540424ma6tkx337w"),
		chromedp.SetValue(chromedp.ID("a-region"), "林芝市"),
		chromedp.Click(chromedp.CSS(`input[name=functions][value=startup]`)),
		chromedp.Click(chromedp.CSS(`input[name=functions][value=information]`)),
	)
	if got := eval[string](b, `document.querySelector('#a-org').value + '|' + document.querySelector('#a-code').value`); got != "林芝格桑企业管理咨询有限公司|91540424MA6TKX337W" {
		t.Errorf("typed org|code = %q", got)
	}
	b.shot("02-new-application")
	b.do(10*time.Second, chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)))
	b.waitJS("the application page", `location.hash.startsWith('#/apps/app') && document.querySelector('#dropzone')`, 20*time.Second)
	appID := strings.TrimPrefix(b.hash(), "#/apps/")
	var app struct {
		OrgName    string   `json:"org_name"`
		CreditCode string   `json:"credit_code"`
		Region     string   `json:"region"`
		Functions  []string `json:"functions"`
	}
	svc.getJSON(t, "/api/v1/applications/"+appID, &app)
	if app.OrgName != "林芝格桑企业管理咨询有限公司" || app.CreditCode != "91540424MA6TKX337W" || app.Region != "林芝市" ||
		strings.Join(app.Functions, ",") != "information,startup" {
		t.Errorf("created application = %+v", app)
	}
	b.waitJS("the empty checklist", `document.querySelector('#checklist .checklist')`, 20*time.Second)
	b.shot("03-application-empty")

	// ---- drop six files at once; each has its own progress bar ----
	b.dropFiles("#dropzone", licence, declaration, form, lease, broken, notAScan)
	var rows []uploadRow
	seen := map[string]map[string]bool{}
	deadline := time.Now().Add(60 * time.Second)
	for {
		rows = eval[[]uploadRow](b, `Array.from(document.querySelectorAll('.upload')).map(li => ({
			name: li.dataset.name, state: li.dataset.state,
			now: li.querySelector('[role=progressbar]').getAttribute('aria-valuenow'),
			max: li.dataset.max || '', text: li.querySelector('.up-state').textContent}))`)
		finished := len(rows) == 6
		for _, r := range rows {
			if seen[r.Name] == nil {
				seen[r.Name] = map[string]bool{}
			}
			seen[r.Name][r.State+" "+r.Now] = true
			if r.State == "queued" || r.State == "uploading" {
				finished = false
			}
		}
		if finished {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("uploads did not finish within 60 s: %+v", rows)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("progress bar states seen: %v", seen)
	for _, r := range rows {
		switch r.Name {
		case "说明.txt":
			if r.State != "error" || !strings.Contains(r.Text, "不支持") {
				t.Errorf("text file row = %+v; want an error saying the type is not supported", r)
			}
		default:
			if r.State != "done" || r.Now != "100" || r.Max != "100" {
				t.Errorf("upload row %+v; want done at 100%% reported by upload.onprogress", r)
			}
		}
	}
	b.waitJS("five document cards", `document.querySelectorAll('.doc-card').length === 5`, 20*time.Second)
	b.shot("04-application-uploaded")

	// ---- documents are read; their state is polled until done ----
	start := time.Now()
	last := ""
	for {
		docs := eval[[]docRow](b, `Array.from(document.querySelectorAll('.doc-card')).map(c => ({
			id: c.dataset.docId, status: c.dataset.status, kind: c.dataset.kind,
			name: c.querySelector('.doc-name').innerText, text: c.innerText}))`)
		var states []string
		busy := false
		for _, d := range docs {
			states = append(states, d.Status+":"+d.Kind)
			if d.Status == "received" || d.Status == "processing" {
				busy = true
			}
		}
		if s := strings.Join(states, " "); s != last {
			t.Logf("%5.1fs documents: %s", time.Since(start).Seconds(), s)
			last = s
		}
		if !busy {
			for _, d := range docs {
				switch {
				case strings.Contains(d.Name, "损坏的扫描件"):
					if d.Status != "failed" || !strings.Contains(d.Text, "识别失败：") {
						t.Errorf("broken PDF is %s, shown as %q; want failed with the reason", d.Status, d.Text)
					}
				case d.Status != "done":
					t.Errorf("document %s is %s: %s", d.Name, d.Status, d.Text)
				}
			}
			break
		}
		if time.Since(start) > 6*time.Minute {
			t.Fatalf("documents still being read after 6 minutes: %v", states)
		}
		time.Sleep(time.Second)
	}

	// ---- the checklist (一次告知) shows item 2 present ----
	b.waitJS("item 2 present in the checklist", `(() => { const it = document.querySelector('#checklist [data-item="2"]');
		return it && it.dataset.present === 'true'; })()`, 30*time.Second)
	summary := eval[string](b, `document.querySelector('#checklist .summary').innerText`)
	t.Logf("checklist summary: %s", strings.Join(strings.Fields(summary), " "))
	for _, want := range []string{"第十七条材料", "必须整改", "需要核实", "提示"} {
		if !strings.Contains(summary, want) {
			t.Errorf("checklist summary %q lacks %q", summary, want)
		}
	}
	if n := eval[int](b, `document.querySelectorAll('#checklist .items > li').length`); n != 9 {
		t.Errorf("checklist shows %d items; want the 8 of 第十七条 and the 推荐表", n)
	}
	if n := eval[int](b, `document.querySelectorAll('#checklist .verdict').length`); n < 7 {
		t.Errorf("checklist shows %d verdicts; want 第十二条（一）…（六） and 第十三条", n)
	}
	if got := eval[string](b, `Array.from(document.querySelectorAll('#checklist .sev-group h4')).map(h => h.innerText).join('|')`); !strings.Contains(got, "必须整改") || !strings.Contains(got, "需要核实") || !strings.Contains(got, "提示") {
		t.Errorf("warning groups = %q", got)
	}
	b.shot("05-application-checked")

	// ---- the same licence again is a duplicate, not a second document ----
	b.dropFiles("#dropzone", licence)
	b.waitJS("the duplicate's row", `(() => { const r = document.querySelectorAll('.upload'); const l = r[r.length - 1];
		return l && l.dataset.state === 'duplicate'; })()`, 30*time.Second)

	// ---- reviewer view of the licence ----
	licenceID := eval[string](b, `(document.querySelector('.doc-card[data-kind=business_licence]') || {dataset: {}}).dataset.docId || ''`)
	if licenceID == "" {
		t.Fatalf("no document was recognised as a business licence")
	}
	b.do(10*time.Second, chromedp.Click(chromedp.CSS(`.doc-card[data-kind=business_licence] .btn-row a[href^="#/docs/"]`)))
	b.waitJS("the page image and the fields", `(() => { const i = document.querySelector('.page-img');
		return i && i.complete && i.naturalWidth > 0 && document.querySelectorAll('.field-row').length > 0; })()`, 60*time.Second)

	var pages struct {
		Items []struct{ Number, Width, Height int } `json:"items"`
	}
	svc.getJSON(t, "/api/v1/documents/"+licenceID+"/pages", &pages)
	var lic struct {
		Fields map[string]struct {
			Value      any     `json:"value"`
			Confidence float64 `json:"confidence"`
			Page       int     `json:"page"`
			BBox       [4]int  `json:"bbox"`
		} `json:"fields"`
	}
	svc.getJSON(t, "/api/v1/documents/"+licenceID, &lic)
	if len(pages.Items) == 0 {
		t.Fatal("the licence has no pages")
	}
	pg := pages.Items[0]
	natural := eval[[]float64](b, `(() => { const i = document.querySelector('.page-img'); return [i.naturalWidth, i.naturalHeight]; })()`)
	if r1, r2 := natural[0]/natural[1], float64(pg.Width)/float64(pg.Height); r1/r2 < 0.98 || r1/r2 > 1.02 {
		t.Errorf("page image is %v px, page is %dx%d: proportions differ", natural, pg.Width, pg.Height)
	}
	// A field with a box on page 1; org_name if it has one.
	field := ""
	for _, name := range []string{"org_name", "credit_code", "legal_representative", "established_date", "registered_capital_yuan"} {
		if f, ok := lic.Fields[name]; ok && f.Page == 1 && f.BBox[2] > f.BBox[0] && f.BBox[3] > f.BBox[1] {
			field = name
			break
		}
	}
	if field == "" {
		t.Fatalf("no licence field has a box on page 1: %+v", lic.Fields)
	}
	checkHighlight := func(when string) {
		t.Helper()
		b.mouseTo(fmt.Sprintf(`.field-row[data-field=%q]`, field))
		got := eval[[]float64](b, fmt.Sprintf(`(() => {
			const box = document.querySelector('.fbox.active');
			if (!box || box.dataset.field !== %q) return [];
			const s = getComputedStyle(box);
			if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return [];
			const b = box.getBoundingClientRect(), i = document.querySelector('.page-img').getBoundingClientRect();
			return [b.left, b.top, b.right, b.bottom, i.left, i.top, i.width, i.height];
		})()`, field))
		if len(got) != 8 {
			t.Fatalf("%s: hovering the %s field shows no highlight box", when, field)
		}
		bb := lic.Fields[field].BBox
		sx, sy := got[6]/float64(pg.Width), got[7]/float64(pg.Height)
		want := []float64{got[4] + float64(bb[0])*sx, got[5] + float64(bb[1])*sy, got[4] + float64(bb[2])*sx, got[5] + float64(bb[3])*sy}
		for i := range 4 {
			// Borders are drawn inside the box; allow them and rounding.
			if d := got[i] - want[i]; d < -3 || d > 3 {
				t.Errorf("%s: highlight edge %d at %.1f px; want %.1f (bbox %v on a %dx%d page shown %.0fx%.0f)",
					when, i, got[i], want[i], bb, pg.Width, pg.Height, got[6], got[7])
			}
		}
		if got[0] < got[4]-1 || got[2] > got[4]+got[6]+1 || got[1] < got[5]-1 || got[3] > got[5]+got[7]+1 {
			t.Errorf("%s: highlight %v lies outside the page image", when, got[:4])
		}
	}
	checkHighlight("fit to width")
	if !eval[bool](b, fmt.Sprintf(`document.querySelector('.field-row[data-field=%q]').classList.contains('hover')`, field)) {
		t.Errorf("the hovered field row is not highlighted")
	}
	b.shot("06-reviewer-hover")

	// Where the declared name stands on the licence: found on page 1, and 定位 draws its box.
	b.waitJS("the declared name's place", `(() => { const l = document.querySelector('.declared-list');
		return l && /单位名称：林芝格桑企业管理咨询有限公司 — 第 1 页/.test(l.innerText); })()`, 20*time.Second)
	b.do(10*time.Second, chromedp.Click(chromedp.CSS(`.declared-list li:first-child .btn-link`)))
	if !eval[bool](b, `!!document.querySelector('.overlay .dbox')`) {
		t.Errorf("定位 of the declared name draws no box on the page")
	}

	// Hovering the box on the page highlights its field in the list.
	b.mouseTo(`.page-img`) // away from the list
	b.mouseTo(fmt.Sprintf(`.fbox[data-field=%q]`, field))
	if !eval[bool](b, fmt.Sprintf(`document.querySelector('.field-row[data-field=%q]').classList.contains('hover')`, field)) {
		t.Errorf("hovering the %s box does not highlight its field", field)
	}

	// The wheel over the page zooms in around the cursor; dragging with the mouse pans.
	x, y := b.mouseTo(`.page-img`)
	// The protocol wants deltaX too, and cdproto leaves out a zero: send a negligible one.
	b.do(10*time.Second, chromedp.MouseEvent(chromedp.MouseWheel, x, y, func(p *input.DispatchMouseEventParams) { p.DeltaX, p.DeltaY = 0.01, -400 }))
	b.waitJS("wheel zoom", `document.querySelector('.zoom-info').textContent !== '100%'`, 10*time.Second)
	before := eval[[]float64](b, `(() => { const v = document.querySelector('.viewport'); return [v.scrollLeft, v.scrollTop]; })()`)
	left := func(p *input.DispatchMouseEventParams) {
		p.Button = input.MouseButtonLeft
		p.Buttons = 1
		p.ClickCount = 1
	}
	b.do(10*time.Second,
		chromedp.MouseEvent(chromedp.MousePressed, x, y, left),
		chromedp.MouseEvent(chromedp.MouseMoved, x-20, y-10, left),
		chromedp.MouseEvent(chromedp.MouseMoved, x-60, y-30, left),
		chromedp.MouseEvent(chromedp.MouseMoved, x-120, y-60, left),
		chromedp.MouseEvent(chromedp.MouseReleased, x-120, y-60, left))
	after := eval[[]float64](b, `(() => { const v = document.querySelector('.viewport'); return [v.scrollLeft, v.scrollTop]; })()`)
	if after[0] < before[0]+60 || after[1] < before[1]+30 {
		t.Errorf("dragging the zoomed page by (-120, -60) scrolled it from %v to %v", before, after)
	}
	b.do(10*time.Second, chromedp.Click(chromedp.CSS(`button[title=按宽度显示整页]`)))
	b.waitJS("fit to width", `document.querySelector('.zoom-info').textContent === '100%'`, 10*time.Second)

	// Zoom in twice: a sharper image is fetched and the boxes stay on their words.
	w0 := eval[float64](b, `document.querySelector('.stage').getBoundingClientRect().width`)
	b.do(10*time.Second, chromedp.Click(chromedp.CSS(`button[aria-label=放大]`)), chromedp.Click(chromedp.CSS(`button[aria-label=放大]`)))
	b.waitJS("the zoomed image", `(() => { const i = document.querySelector('.page-img'); return i.src.includes('size=2000') && i.complete; })()`, 60*time.Second)
	if w1 := eval[float64](b, `document.querySelector('.stage').getBoundingClientRect().width`); w1 < w0*1.5 {
		t.Errorf("zoomed stage is %.0f px wide; was %.0f", w1, w0)
	}
	checkHighlight("zoomed in")
	b.shot("07-reviewer-zoomed")
	b.do(10*time.Second, chromedp.Click(chromedp.CSS(`button[title=按宽度显示整页]`)))

	// The OCR text of the page.
	b.do(10*time.Second, chromedp.Click(chromedp.ID("ocr-toggle")))
	b.waitJS("the OCR text", `(() => { const p = document.querySelector('.ocr-text'); return p && !p.hidden && p.innerText.length > 20; })()`, 10*time.Second)
	if got := eval[string](b, `document.querySelector('.ocr-text').innerText`); !strings.Contains(got, "营业执照") && !strings.Contains(got, "统一社会信用代码") {
		t.Errorf("OCR text panel does not look like a licence: %.200q", got)
	}
	b.shot("08-reviewer-ocr-text")
	b.do(10*time.Second, chromedp.Click(chromedp.ID("ocr-toggle")))

	// ---- review: correct a field and see the checklist change ----
	t.Run("CorrectField", func(t *testing.T) {
		const corrected = "林芝格桑更正测试有限公司"
		parent := b.t
		b.t = t
		defer func() { b.t = parent }()
		before := eval[string](b, `document.querySelector('.rv-warnings').innerText`)
		b.do(10*time.Second,
			chromedp.SendKeys(chromedp.ID("reviewer-name"), "次仁"),
			chromedp.Click(chromedp.CSS(`.field-row[data-field=org_name] button[data-action=correct]`)),
		)
		// Select what OCR read and type over it, as a person would.
		eval[bool](b, `(() => { const i = document.getElementById('corr-org_name'); i.focus(); i.select(); return true; })()`)
		b.do(10*time.Second,
			chromedp.SendKeys(chromedp.ID("corr-org_name"), corrected),
			chromedp.Click(chromedp.CSS(`.field-row[data-field=org_name] .correct-form button[type=submit]`)),
		)
		b.waitJS("the correction's answer", `(() => { const r = document.querySelector('.field-row[data-field=org_name]');
			return r && (r.querySelector('.fr-review') || r.querySelector('.form-msg.error')); })()`, 30*time.Second)
		if msg := eval[string](b, `(document.querySelector('.field-row[data-field=org_name] .form-msg.error') || {}).textContent || ''`); msg != "" {
			if strings.Contains(msg, "尚未提供审核功能") {
				t.Skipf("the review API (POST /api/v1/documents/{id}/fields/{name}) answers 404: not built yet (%s)", msg)
			}
			t.Fatalf("correcting org_name failed: %s", msg)
		}
		if got := eval[string](b, `document.querySelector('.field-row[data-field=org_name] .fr-value').textContent`); got != corrected {
			t.Errorf("corrected value shown = %q; want %q", got, corrected)
		}
		row := eval[string](b, `document.querySelector('.field-row[data-field=org_name]').innerText`)
		if !strings.Contains(row, corrected) || !strings.Contains(row, "已更正") || !strings.Contains(row, "次仁") {
			t.Errorf("corrected row = %q; want the new value, 已更正 and the reviewer", row)
		}
		if !strings.Contains(row, "识别原值") {
			t.Errorf("corrected row = %q; want the OCR value kept beside the correction", row)
		}
		b.waitJS("the checklist to name the corrected value", fmt.Sprintf(`document.querySelector('.rv-warnings').innerText.includes(%q)`, corrected), 20*time.Second)
		after := eval[string](b, `document.querySelector('.rv-warnings').innerText`)
		if after == before {
			t.Errorf("warnings about the licence did not change after the correction: %q", after)
		}
		b.shot("09-reviewer-corrected")

		// Back on the application page, the checklist says so too; accept item 2 with a comment.
		b.do(10*time.Second, chromedp.Click(chromedp.CSS(`.page-head a[href^="#/apps/"]`)))
		b.waitJS("the checklist with the correction", fmt.Sprintf(`(() => { const c = document.querySelector('#checklist .checklist');
			return c && c.innerText.includes(%q); })()`, corrected), 30*time.Second)
		b.do(10*time.Second,
			chromedp.Click(chromedp.CSS(`#checklist [data-item="2"] details summary`)),
			chromedp.SendKeys(chromedp.CSS(`#checklist [data-item="2"] textarea`), "营业执照副本清晰，已核对原件。"),
			chromedp.Click(chromedp.CSS(`#checklist [data-item="2"] button[data-action=accept]`)),
		)
		b.waitJS("item 2's review", `(() => { const it = document.querySelector('#checklist [data-item="2"]');
			return it && (it.querySelector('.review-state') || it.querySelector('.form-msg.error')); })()`, 30*time.Second)
		item := eval[string](b, `document.querySelector('#checklist [data-item="2"]').innerText`)
		if strings.Contains(item, "尚未提供审核功能") {
			t.Skipf("the review API (POST /api/v1/applications/{id}/items/{n}) answers 404: not built yet")
		}
		if !strings.Contains(item, "已接受") || !strings.Contains(item, "已核对原件") || !strings.Contains(item, "次仁") {
			t.Errorf("item 2 after acceptance = %q", item)
		}
		b.shot("10-application-reviewed")
	})

	// ---- review: the declaration is marked as another kind, and item 8 goes missing ----
	t.Run("ChangeKind", func(t *testing.T) {
		parent := b.t
		b.t = t
		defer func() { b.t = parent }()
		b.navigate(svc.base + "/#/apps/" + appID)
		b.waitJS("the declaration's card", `document.querySelector('.doc-card[data-kind=authenticity_declaration] a[href^="#/docs/"]')`, 20*time.Second)
		b.do(10*time.Second, chromedp.Click(chromedp.CSS(`.doc-card[data-kind=authenticity_declaration] .btn-row a[href^="#/docs/"]`)))
		b.waitJS("the kind form", `document.querySelector('#kind-select')`, 20*time.Second)
		b.do(10*time.Second,
			chromedp.SetValue(chromedp.ID("kind-select"), "other"),
			chromedp.Click(chromedp.CSS(`.kind-form button[type=submit]`)))
		b.waitJS("the new kind", `(() => { const d = document.querySelector('.doc-info'); return d && (d.innerText.includes('原识别为') || d.querySelector('.form-msg.error')); })()`, 20*time.Second)
		if msg := eval[string](b, `(document.querySelector('.kind-form .form-msg.error') || {}).textContent || ''`); msg != "" {
			if strings.Contains(msg, "尚未提供审核功能") {
				t.Skipf("the review API (POST /api/v1/documents/{id}/kind) answers 404: not built yet (%s)", msg)
			}
			t.Fatalf("changing the kind failed: %s", msg)
		}
		if got := eval[string](b, `document.querySelector('.doc-info').innerText`); !strings.Contains(got, "其他材料") || !strings.Contains(got, "真实性声明") {
			t.Errorf("document info after the change = %q; want 其他材料, recognised as 真实性声明", got)
		}
		b.do(10*time.Second, chromedp.Click(chromedp.CSS(`.page-head a[href^="#/apps/"]`)))
		b.waitJS("item 8 missing", `(() => { const it = document.querySelector('#checklist [data-item="8"]');
			return it && it.dataset.present === 'false'; })()`, 20*time.Second)
	})

	// ---- a two-page document: page through it ----
	t.Run("Pages", func(t *testing.T) {
		parent := b.t
		b.t = t
		defer func() { b.t = parent }()
		b.navigate(svc.base + "/#/apps/" + appID)
		b.waitJS("the lease's card", `document.querySelector('.doc-card[data-kind=premises_lease] a[href^="#/docs/"]')`, 20*time.Second)
		b.do(10*time.Second, chromedp.Click(chromedp.CSS(`.doc-card[data-kind=premises_lease] .btn-row a[href^="#/docs/"]`)))
		b.waitJS("page 1 of 2", `(() => { const i = document.querySelector('.page-img');
			return i && i.complete && i.naturalWidth > 0 && document.querySelector('.page-info').textContent.includes('第 1 / 2 页'); })()`, 60*time.Second)
		b.do(10*time.Second, chromedp.Click(chromedp.CSS(`button[aria-label=下一页]`)))
		b.waitJS("page 2 of 2", `(() => { const i = document.querySelector('.page-img');
			return i && i.complete && i.naturalWidth > 0 && /\/pages\/2\/image/.test(i.src) &&
				document.querySelector('.page-info').textContent.includes('第 2 / 2 页'); })()`, 60*time.Second)
		if !eval[bool](b, `document.querySelector('button[aria-label=下一页]').disabled && !document.querySelector('button[aria-label=上一页]').disabled`) {
			t.Errorf("on the last page, 下一页 should be disabled and 上一页 enabled")
		}
		if !strings.Contains(b.hash(), "page=2") {
			t.Errorf("address %q does not keep the page", b.hash())
		}
		b.shot("12-reviewer-page-2")
	})

	// ---- replace a wrong file: the new one is uploaded, the old one stays ----
	t.Run("Replace", func(t *testing.T) {
		parent := b.t
		b.t = t
		defer func() { b.t = parent }()
		b.navigate(svc.base + "/#/apps/" + appID)
		b.waitJS("the form's card", `document.querySelector('.doc-card[data-kind=recommendation_form]')`, 20*time.Second)
		n := eval[int](b, `document.querySelectorAll('.doc-card').length`)
		// The 替换 button opens the file picker; a person then picks the right file.
		b.do(20*time.Second,
			chromedp.Click(chromedp.CSS(`.doc-card[data-kind=recommendation_form] .btn-row button`)),
			chromedp.SetUploadFiles(chromedp.ID("replace-input"), []string{otherForm}))
		b.waitJS("the replacement's upload", `(() => { const r = document.querySelectorAll('.upload'); const l = r[r.length - 1];
			return l && l.dataset.state !== 'uploading' && l.dataset.state !== 'queued' && l.innerText.includes('替换'); })()`, 30*time.Second)
		if got := eval[string](b, `(() => { const r = document.querySelectorAll('.upload'); return r[r.length - 1].innerText; })()`); !strings.Contains(got, "原文件仍保留在档案中") {
			t.Errorf("replacement row = %q; want it to say the old file stays in the archive", got)
		}
		b.waitJS("one more document", fmt.Sprintf(`document.querySelectorAll('.doc-card').length === %d`, n+1), 20*time.Second)
	})

	// ---- a warning's evidence link opens the reviewer at the page, with the field selected ----
	t.Run("EvidenceLink", func(t *testing.T) {
		parent := b.t
		b.t = t
		defer func() { b.t = parent }()
		b.navigate(svc.base + "/#/apps/" + appID)
		b.waitJS("the warnings", `document.querySelector('#checklist .sev-groups')`, 20*time.Second)
		href := eval[string](b, `(() => { const a = document.querySelector('#checklist .warnings a.evidence[href*="field="]'); return a ? a.getAttribute('href') : ''; })()`)
		if href == "" {
			t.Skip("no warning points at a field")
		}
		b.do(10*time.Second, chromedp.Click(chromedp.CSS(`#checklist .warnings a.evidence[href*="field="]`)))
		field := href[strings.Index(href, "field=")+len("field="):]
		b.waitJS("the selected field", `document.querySelector('.field-row.selected')`, 30*time.Second)
		if got := eval[string](b, `document.querySelector('.field-row.selected').dataset.field`); got != field {
			t.Errorf("evidence %s selected field %q", href, got)
		}
		b.shot("13-reviewer-from-evidence")
	})

	// ---- the dashboard lists the application ----
	b.navigate(svc.base + "/#/")
	b.waitJS("the dashboard row", fmt.Sprintf(`document.querySelector('.dash-row[data-id=%q]')`, appID), 20*time.Second)
	b.shot("11-dashboard")
	if eval[bool](b, `!document.querySelector('.dash-body .alert-info')`) {
		// The dashboard API is there: the row carries the summary.
		if got := eval[string](b, fmt.Sprintf(`document.querySelector('.dash-row[data-id=%q]').innerText`, appID)); !strings.Contains(got, "/8") {
			t.Errorf("dashboard row = %q; want the completeness of the 8 items", got)
		}
	} else {
		t.Log("GET /api/v1/dashboard is not there yet: the dashboard lists applications without summaries")
	}
	// Filters and sorting go through the address, so they survive a reload.
	choose := func(sel, v string) {
		t.Helper()
		eval[bool](b, fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q;
			s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`, sel, v))
	}
	choose("#f-region", "拉萨市")
	b.waitJS("no application from 拉萨市", `location.hash.includes('region=') && document.querySelector('.dash-body .empty')`, 10*time.Second)
	choose("#f-region", "林芝市")
	b.waitJS("the application from 林芝市", fmt.Sprintf(`document.querySelector('.dash-row[data-id=%q]')`, appID), 10*time.Second)
	choose("#f-sort", "blocking")
	b.waitJS("sorted by blocking warnings", fmt.Sprintf(`location.hash.includes('sort=blocking') && document.querySelector('.dash-row[data-id=%q]')`, appID), 10*time.Second)
	b.do(10*time.Second, chromedp.Click(chromedp.CSS(fmt.Sprintf(`.dash-row[data-id=%q] a.org`, appID))))
	b.waitJS("the application page from the dashboard", fmt.Sprintf(`location.hash === '#/apps/%s'`, appID), 10*time.Second)
}
