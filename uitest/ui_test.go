package uitest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

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

// cst is China's time, the zone of the cycle's dates.
var cst = time.FixedZone("CST", 8*3600)

func sha256File(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// TestUI walks one application through the whole recognition cycle in the browser, signing in as
// each role in turn, and checks on the way the screens of each: upload with progress, the checklist,
// the reviewer desk (highlighting, zoom, corrections, kinds), the flow's actions, what each role may
// not see, and the printable notice and list of materials.
func TestUI(t *testing.T) {
	requireChromium(t)
	began := time.Now()
	const dir = "app01_lhasa"
	licence := corpusFile(t, dir+"/02_营业执照复印件.pdf")
	declaration := corpusFile(t, dir+"/08_真实性声明.jpg")
	lease := corpusFile(t, dir+"/04_经营场所租赁合同.pdf") // two pages
	qualification := corpusFile(t, dir+"/07_检验检测机构资质认定证书.jpg")
	prior := corpusFile(t, dir+"/06_示范平台认定文件.jpg")
	form := corpusFile(t, dir+"/00_推荐表.jpg")
	tmp := t.TempDir()
	notAScan := filepath.Join(tmp, "说明.txt")
	if err := os.WriteFile(notAScan, []byte("这不是扫描件，只是一段文字。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(tmp, "损坏的扫描件.pdf") // a PDF by its first bytes, unreadable after them
	if err := os.WriteFile(broken, append([]byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), bytes.Repeat([]byte("garbage "), 200)...), 0o644); err != nil {
		t.Fatal(err)
	}

	svc := startService(t, time.Date(2026, 9, 10, 9, 30, 0, 0, cst))
	checkServing(t, svc)
	b := newBrowser(t)
	t.Logf("screenshots in %s", b.shots)
	defer b.checkErrors()
	step := func(what string) { t.Logf("%5.1fs %s", time.Since(began).Seconds(), what) }

	// ---- nobody signed in: the login page; a wrong password is refused in Chinese ----
	step("login page")
	b.navigate(svc.base + "/#/apps/new")
	b.waitJS("the login page", `!!document.querySelector('main[data-screen=login] #login-name')`, 20*time.Second)
	if got := b.text(".topbar"); !strings.Contains(got, "示范平台申报材料审核") {
		t.Errorf("top bar = %q; want the Chinese title", got)
	}
	if got := eval[string](b, `document.documentElement.lang`); got != "zh-CN" {
		t.Errorf("lang = %q; want zh-CN", got)
	}
	b.setValue("#login-name", staff.login)
	b.setValue("#login-password", "not the password 1")
	b.click(`.login-form button[type=submit]`)
	b.waitText("the login error", ".login-form .form-error", "登录名或密码不正确", 20*time.Second)
	b.shot("00-login")

	// ---- staff: open the 2026 round, manage accounts ----
	step("staff opens the round")
	b.login(staff)
	if got := b.text("#user-box"); !strings.Contains(got, "经信厅工作人员") || !strings.Contains(got, "退出") || !strings.Contains(got, "账户设置") {
		t.Errorf("user box = %q; want the name, the role label, 账户设置 and 退出", got)
	}
	if !strings.HasPrefix(b.hash(), "#/apps/new") {
		t.Errorf("after signing in the address is %q; want the one asked for", b.hash())
	}
	b.navigate(svc.base + "/#/")
	b.waitJS("the staff home", `!!document.querySelector('main[data-screen=home] .rounds-card') && !document.querySelector('.rounds-list .loading')`, 20*time.Second)
	b.click(`.round-form summary`)
	b.setValue("#r-year", "2026")
	b.setValue("#r-opens", "2026-09-01")
	b.setValue("#r-closes", "2026-09-30")
	b.setValue("#r-notice", "藏经信发〔2026〕12号")
	b.click(`.round-form button[type=submit]`)
	b.waitJS("the open round", `!!document.querySelector('.round[data-year="2026"][data-open=true]')`, 20*time.Second)
	if got := b.text(".round-form .form-msg"); !strings.Contains(got, "2026-09-01 至 2026-09-30") {
		t.Errorf("round form answer = %q; want 2026-09-01 至 2026-09-30", got)
	}
	checkDays(t, "the round as listed", b.text(`.round[data-year="2026"]`), "2026-09-01 至 2026-09-30", "受理中")
	b.waitJS("the counts by state", `document.querySelectorAll('.state-counts a').length === 12`, 20*time.Second)
	b.waitJS("the yearly duties of 2025: none", `!!document.querySelector('.duties-card[data-year="2025"] .duty-empty')`, 20*time.Second)
	b.shot("01-staff-home")

	step("staff accounts")
	b.click(`a[data-nav=accounts]`)
	b.waitJS("the accounts", `document.querySelectorAll('.user-row').length === 7`, 20*time.Second)
	b.click(`.create-user summary`)
	b.setValue("#u-login", "gesang")
	b.setValue("#u-name", "格桑科技有限公司")
	b.setValue("#u-role", "applicant")
	b.setValue("#u-password", "short")
	b.click(`.create-user button[type=submit]`)
	b.waitText("the weak password refused", ".create-user .form-msg.error", "密码须为", 20*time.Second)
	b.setValue("#u-password", "Gesang2026pass")
	b.click(`.create-user button[type=submit]`)
	b.waitJS("the new account", `!!document.querySelector('.user-row[data-login=gesang]')`, 20*time.Second)
	b.click(`.user-row[data-login=gesang] button[data-action=disable]`)
	b.waitJS("the account disabled", `!!document.querySelector('.user-row[data-login=gesang][data-disabled=true]')`, 20*time.Second)
	b.click(`.user-row[data-login=gesang] button[data-action=reset]`)
	b.setValue(`.user-row[data-login=gesang] .reset-form input`, "Gesang2026new1")
	b.click(`.user-row[data-login=gesang] .reset-form button[type=submit]`)
	b.waitText("the password reset", `.user-row[data-login=gesang] .form-msg`, "密码已重置", 20*time.Second)
	if b.exists(fmt.Sprintf(`.user-row[data-login=%q] button[data-action=disable]`, staff.login)) {
		t.Errorf("staff may disable their own account in the UI")
	}
	b.shot("02-accounts")

	// ---- applicant: a new application ----
	step("applicant creates the application")
	b.as(applicant)
	b.waitJS("the applicant's empty home", `!!document.querySelector('main[data-screen=home] .empty')`, 20*time.Second)
	if b.exists(".duties-card") {
		t.Errorf("an applicant without a recognised platform is shown the yearly duties")
	}
	if got := b.text(".round-note"); !strings.Contains(got, "2026 年度申报正在受理") {
		t.Errorf("applicant home round note = %q", got)
	}
	if b.exists(`a[data-nav=accounts]`) || b.exists(`a[data-nav=events]`) {
		t.Errorf("the applicant's navigation offers staff pages")
	}
	b.click(`a[data-nav=new]`)
	b.waitJS("the new application form", `!!document.querySelector('#a-org')`, 10*time.Second)
	b.click(`form.form button[type=submit]`)
	b.waitJS("the form's error", `!!document.querySelector('.form-error .alert')`, 10*time.Second)
	if got := b.text(".form-error"); !strings.Contains(got, "请填写单位名称") {
		t.Errorf("empty form error = %q; want it to ask for the 单位名称", got)
	}
	b.do(20*time.Second,
		chromedp.SendKeys(chromedp.ID("a-org"), "西藏天路检验检测技术有限公司"),
		chromedp.SendKeys(chromedp.ID("a-code"), "91540102ma6tkjpg5t"),
		chromedp.SetValue(chromedp.ID("a-region"), "拉萨市"),
		chromedp.Click(chromedp.CSS(`input[name=functions][value=startup]`)),
		chromedp.Click(chromedp.CSS(`input[name=functions][value=financing]`)),
	)
	if got := eval[string](b, `document.querySelector('#a-org').value + '|' + document.querySelector('#a-code').value + '|' + document.querySelector('#a-year').value`); got != "西藏天路检验检测技术有限公司|91540102MA6TKJPG5T|2026" {
		t.Errorf("typed org|code|year = %q; want the year of the open round", got)
	}
	b.shot("03-new-application")
	b.click(`form.form button[type=submit]`)
	b.waitJS("the application page", `location.hash.startsWith('#/apps/app') && !!document.querySelector('#dropzone') && !document.querySelector('.upload-card').hidden`, 20*time.Second)
	appID := strings.TrimPrefix(b.hash(), "#/apps/")
	appURL := svc.base + "/#/apps/" + appID
	type cycleJSON struct {
		Returns []struct {
			Reasons []string `json:"reasons"`
		} `json:"returns"`
		Experts []string `json:"experts"`
	}
	type appJSON struct {
		OrgName    string    `json:"org_name"`
		CreditCode string    `json:"credit_code"`
		Region     string    `json:"region"`
		Year       int       `json:"year"`
		State      string    `json:"state"`
		Functions  []string  `json:"functions"`
		Cycle      cycleJSON `json:"cycle"`
	}
	app := apiGet[appJSON](b, "/applications/"+appID)
	if app.OrgName != "西藏天路检验检测技术有限公司" || app.CreditCode != "91540102MA6TKJPG5T" || app.Region != "拉萨市" || app.Year != 2026 ||
		app.State != "draft" || strings.Join(app.Functions, ",") != "financing,startup" {
		t.Errorf("created application = %+v", app)
	}
	b.waitJS("the empty checklist", `!!document.querySelector('#checklist .checklist')`, 20*time.Second)
	b.waitText("the flow", "#flow .flow-state", "草稿", 10*time.Second)
	if !b.exists(`#flow button[data-action=submit]`) {
		t.Errorf("a draft shows no 提交申报 to its applicant")
	}

	// ---- drop five files at once; each has its own progress bar ----
	step("applicant uploads")
	b.dropFiles("#dropzone", licence, declaration, lease, broken, notAScan)
	var rows []uploadRow
	seen := map[string]map[string]bool{}
	deadline := time.Now().Add(60 * time.Second)
	for {
		rows = eval[[]uploadRow](b, `Array.from(document.querySelectorAll('.upload')).map(li => ({
			name: li.dataset.name, state: li.dataset.state,
			now: li.querySelector('[role=progressbar]').getAttribute('aria-valuenow'),
			max: li.dataset.max || '', text: li.querySelector('.up-state').textContent}))`)
		finished := len(rows) == 5
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
	b.waitJS("four document cards", `document.querySelectorAll('.doc-card').length === 4`, 20*time.Second)
	b.shot("04-application-uploaded")

	// ---- documents are read; their state is polled until done ----
	waitRead := func(n int, within time.Duration) []docRow {
		t.Helper()
		start := time.Now()
		last := ""
		for {
			docs := eval[[]docRow](b, `Array.from(document.querySelectorAll('.doc-card')).map(c => ({
				id: c.dataset.docId, status: c.dataset.status, kind: c.dataset.kind,
				name: c.querySelector('.doc-name').innerText, text: c.innerText}))`)
			var states []string
			busy := len(docs) < n
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
				return docs
			}
			if time.Since(start) > within {
				t.Fatalf("documents still being read after %v: %v", within, states)
			}
			time.Sleep(time.Second)
		}
	}
	for _, d := range waitRead(4, 4*time.Minute) {
		switch {
		case strings.Contains(d.Name, "损坏的扫描件"):
			if d.Status != "failed" || !strings.Contains(d.Text, "识别失败：") {
				t.Errorf("broken PDF is %s, shown as %q; want failed with the reason", d.Status, d.Text)
			}
		case d.Status != "done":
			t.Errorf("document %s is %s: %s", d.Name, d.Status, d.Text)
		}
	}
	step("documents read")

	// ---- the checklist (一次告知) shows item 2 present ----
	b.waitJS("item 2 present in the checklist", `(() => { const it = document.querySelector('#checklist [data-item="2"]');
		return !!it && it.dataset.present === 'true'; })()`, 30*time.Second)
	summary := b.text("#checklist .summary")
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
	// The applicant's notice lists the problems by severity, each saying what to do; what is not
	// uploaded yet is listed apart, as still to upload (TestApplicantNotice looks closer).
	if got := eval[string](b, `Array.from(document.querySelectorAll('#checklist .sev-group h4')).map(h => h.innerText).join('|')`); !strings.Contains(got, "必须整改") {
		t.Errorf("warning groups = %q; want 必须整改 (the lease has ended)", got)
	}
	if !b.exists(`#checklist .todo-list li[data-item="1"]`) {
		t.Errorf("the applicant's notice does not list the 申请报告 as still to upload")
	}
	if b.exists(`#checklist .item-review`) {
		t.Errorf("the applicant is offered to accept or reject checklist items")
	}
	b.shot("05-application-checked")

	// ---- the same licence again is a duplicate, not a second document ----
	b.dropFiles("#dropzone", licence)
	b.waitJS("the duplicate's row", `(() => { const r = document.querySelectorAll('.upload'); const l = r[r.length - 1];
		return !!l && l.dataset.state === 'duplicate'; })()`, 30*time.Second)

	// ---- replace the broken scan with the right file: the new one is uploaded, the old one stays ----
	step("applicant replaces the broken scan")
	b.do(20*time.Second,
		chromedp.Click(chromedp.CSS(`.doc-card[data-status=failed] button[data-action=replace]`)),
		chromedp.SetUploadFiles(chromedp.ID("replace-input"), []string{qualification}))
	b.waitJS("the replacement's upload", `(() => { const r = document.querySelectorAll('.upload'); const l = r[r.length - 1];
		return !!l && l.dataset.state !== 'uploading' && l.dataset.state !== 'queued' && l.innerText.includes('替换'); })()`, 30*time.Second)
	if got := eval[string](b, `(() => { const r = document.querySelectorAll('.upload'); return r[r.length - 1].innerText; })()`); !strings.Contains(got, "原文件仍保留在档案中") {
		t.Errorf("replacement row = %q; want it to say the old file stays in the archive", got)
	}
	b.waitJS("five document cards, one replaced", `document.querySelectorAll('.doc-card').length === 5 && document.querySelectorAll('.doc-card.replaced').length === 1`, 20*time.Second)

	// ---- the reviewer desk of the licence, read-only for the applicant ----
	step("reviewer desk")
	licenceID := eval[string](b, `(document.querySelector('.doc-card[data-kind=business_licence]') || {dataset: {}}).dataset.docId || ''`)
	if licenceID == "" {
		t.Fatalf("no document was recognised as a business licence")
	}
	b.click(`.doc-card[data-kind=business_licence] .btn-row a[href^="#/docs/"]`)
	b.waitJS("the page image and the fields", `(() => { const i = document.querySelector('.page-img');
		return !!i && i.complete && i.naturalWidth > 0 && document.querySelectorAll('.field-row').length > 0; })()`, 60*time.Second)
	if b.exists(".fr-actions") || b.exists(".kind-form") || b.exists(".add-field") {
		t.Errorf("the applicant is offered to confirm or correct fields or change the kind")
	}
	type pageJSON struct {
		Items []struct{ Number, Width, Height int } `json:"items"`
	}
	type licenceJSON struct {
		Fields map[string]struct {
			Value      any     `json:"value"`
			Confidence float64 `json:"confidence"`
			Page       int     `json:"page"`
			BBox       [4]int  `json:"bbox"`
		} `json:"fields"`
	}
	pages := apiGet[pageJSON](b, "/documents/"+licenceID+"/pages")
	lic := apiGet[licenceJSON](b, "/documents/"+licenceID)
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
	// Fields the experts confirm: not org_name, which the first one corrects.
	var confirmable []string
	for _, name := range []string{"credit_code", "legal_representative", "established_date", "registered_capital_yuan", "operating_term_end"} {
		if _, ok := lic.Fields[name]; ok {
			confirmable = append(confirmable, name)
		}
	}
	if len(confirmable) == 0 {
		t.Fatalf("the licence has no field for the experts to confirm: %+v", lic.Fields)
	}
	checkHighlight("fit to width")
	if !eval[bool](b, fmt.Sprintf(`document.querySelector('.field-row[data-field=%q]').classList.contains('hover')`, field)) {
		t.Errorf("the hovered field row is not highlighted")
	}
	b.shot("06-reviewer-hover")

	// Where the declared name stands on the licence: found on page 1, and 定位 draws its box.
	b.waitJS("the declared name's place", `(() => { const l = document.querySelector('.declared-list');
		return !!l && /单位名称：西藏天路检验检测技术有限公司 — 第 1 页/.test(l.innerText); })()`, 20*time.Second)
	b.click(`.declared-list li:first-child .btn-link`)
	if !b.exists(`.overlay .dbox`) {
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
	b.click(`button[title=按宽度显示整页]`)
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
	b.click(`button[title=按宽度显示整页]`)

	// The OCR text of the page.
	b.click("#ocr-toggle")
	b.waitJS("the OCR text", `(() => { const p = document.querySelector('.ocr-text'); return !!p && !p.hidden && p.innerText.length > 20; })()`, 10*time.Second)
	if got := b.text(".ocr-text"); !strings.Contains(got, "营业执照") && !strings.Contains(got, "统一社会信用代码") {
		t.Errorf("OCR text panel does not look like a licence: %.200q", got)
	}
	b.click("#ocr-toggle")

	// ---- a two-page document: page through it ----
	b.navigate(appURL)
	b.waitJS("the lease's card", `!!document.querySelector('.doc-card[data-kind=premises_lease] a[href^="#/docs/"]')`, 20*time.Second)
	b.click(`.doc-card[data-kind=premises_lease] .btn-row a[href^="#/docs/"]`)
	b.waitJS("page 1 of 2", `(() => { const i = document.querySelector('.page-img');
		return !!i && i.complete && i.naturalWidth > 0 && document.querySelector('.page-info').textContent.includes('第 1 / 2 页'); })()`, 60*time.Second)
	b.click(`button[aria-label=下一页]`)
	b.waitJS("page 2 of 2", `(() => { const i = document.querySelector('.page-img');
		return !!i && i.complete && i.naturalWidth > 0 && /\/pages\/2\/image/.test(i.src) &&
			document.querySelector('.page-info').textContent.includes('第 2 / 2 页'); })()`, 60*time.Second)
	if !eval[bool](b, `document.querySelector('button[aria-label=下一页]').disabled && !document.querySelector('button[aria-label=上一页]').disabled`) {
		t.Errorf("on the last page, 下一页 should be disabled and 上一页 enabled")
	}
	if !strings.Contains(b.hash(), "page=2") {
		t.Errorf("address %q does not keep the page", b.hash())
	}

	// ---- a warning's evidence link opens the reviewer at the page, with the field selected ----
	b.navigate(appURL)
	b.waitJS("the warnings", `!!document.querySelector('#checklist .sev-groups')`, 20*time.Second)
	if href := eval[string](b, `(() => { const a = document.querySelector('#checklist .warnings a.evidence[href*="field="]'); return a ? a.getAttribute('href') : ''; })()`); href == "" {
		t.Log("no warning points at a field")
	} else {
		b.click(`#checklist .warnings a.evidence[href*="field="]`)
		want := href[strings.Index(href, "field=")+len("field="):]
		b.waitJS("the selected field", `!!document.querySelector('.field-row.selected')`, 30*time.Second)
		if got := eval[string](b, `document.querySelector('.field-row.selected').dataset.field`); got != want {
			t.Errorf("evidence %s selected field %q", href, got)
		}
		b.shot("08-reviewer-from-evidence")
	}

	// ---- submit: the dialog lists what is missing and asks a reason for each blocking warning ----
	step("applicant submits")
	b.navigate(appURL)
	waitRead(5, 2*time.Minute) // the replacement must be read before submitting
	b.waitJS("item 7 present after the replacement", `(() => { const it = document.querySelector('#checklist [data-item="7"]');
		return !!it && it.dataset.present === 'true'; })()`, 30*time.Second)
	submit := func(first bool) {
		t.Helper()
		b.click(`#flow button[data-action=submit]`)
		b.waitJS("the submit dialog", `!!document.querySelector('dialog.submit-dialog[open]')`, 20*time.Second)
		dlg := b.text("dialog.submit-dialog")
		for _, want := range []string{"尚缺的材料", "必须整改的问题", "第十七条（一）", "租赁合同"} {
			if !strings.Contains(dlg, want) {
				t.Errorf("submit dialog lacks %q:\n%s", want, dlg)
			}
		}
		if strings.Contains(dlg, "第十六条：缺少") {
			t.Errorf("submit dialog asks the applicant for the 推荐表:\n%s", dlg)
		}
		n := eval[int](b, `document.querySelectorAll('dialog.submit-dialog li.ack textarea').length`)
		if n == 0 {
			t.Fatalf("no reason boxes in the submit dialog:\n%s", dlg)
		}
		if first {
			// Confirming with the reasons empty is refused before anything is sent.
			b.click(`dialog.submit-dialog button[data-action=submit-confirm]`)
			b.waitText("the missing reasons", "dialog.submit-dialog .form-error", "未说明理由", 10*time.Second)
			b.shot("09-submit-dialog")
		}
		eval[bool](b, `(() => { for (const t of document.querySelectorAll('dialog.submit-dialog li.ack textarea')) {
			if (!t.value) { t.value = '该项材料正在补办，将于推荐前补交。'; t.dispatchEvent(new Event('input', {bubbles: true})); } } return true; })()`)
		b.click(`dialog.submit-dialog button[data-action=submit-confirm]`)
		b.waitJS("the submitted state", `!document.querySelector('dialog.submit-dialog') && !!document.querySelector('#flow .flow-state [data-state=submitted]')`, 20*time.Second)
	}
	submit(true)
	b.waitJS("the withdraw button", `!!document.querySelector('#flow button[data-action=withdraw]')`, 10*time.Second)
	for _, sel := range []string{"#act-assign", "#act-decide", "#act-grant", "#act-refuse", "#act-revoke", "#act-evaluate", "#act-return", "#act-recommend", "#act-conclude"} {
		if b.exists(sel) {
			t.Errorf("the applicant sees %s", sel)
		}
	}
	if !b.exists(`.upload-card[hidden]`) || b.exists(`button[data-action=replace]`) {
		t.Errorf("a submitted application still offers its applicant to upload or replace files")
	}
	if got := b.text("#flow .facts"); !strings.Contains(got, "申报单位说明") || !strings.Contains(got, "正在补办") {
		t.Errorf("flow facts = %q; want the acknowledgements", got)
	}
	b.waitJS("the history", `document.querySelectorAll('.history .event-row[data-action="application.submit"]').length === 1`, 20*time.Second)
	// Withdraw (the acknowledgements go with the submission) and submit again.
	b.click(`#flow button[data-action=withdraw]`)
	b.click(`#flow button[data-action=withdraw-confirm]`)
	b.waitJS("the draft again", `!!document.querySelector('#flow .flow-state [data-state=draft]')`, 20*time.Second)
	submit(false)
	b.shot("10-submitted")

	// ---- who may not see it: another region's recommender, an expert not assigned ----
	step("not found for others")
	for _, a := range []account{ngari, expert2} {
		b.as(a)
		b.waitJS("the home of "+a.login, `!!document.querySelector('main[data-screen=home]') && !document.querySelector('main .loading')`, 20*time.Second)
		if b.exists(fmt.Sprintf(`.dash-row[data-id=%q]`, appID)) {
			t.Errorf("%s lists the application", a.login)
		}
		b.navigate(appURL)
		b.waitText("the not-found page for "+a.login, "main .not-found", "未找到该申报", 20*time.Second)
		if strings.Contains(b.text("main"), "天路") {
			t.Errorf("the not-found page for %s reveals the application", a.login)
		}
	}
	b.shot("11-not-found")

	// ---- the recommender of 拉萨市 returns it, with every problem at once ----
	step("recommender returns")
	b.as(lhasa)
	b.waitJS("the queue", fmt.Sprintf(`!!document.querySelector('.queue .dash-row[data-id=%q] a[data-act=return]')`, appID), 20*time.Second)
	b.shot("12-recommender-queue")
	b.click(fmt.Sprintf(`.queue .dash-row[data-id=%q] a[data-act=return]`, appID))
	b.waitJS("the return form, pre-filled", `(() => { const d = document.querySelector('#act-return'); const t = document.querySelector('#return-reasons');
		return !!d && d.open && !!t && t.value.includes('第十七条（一）'); })()`, 20*time.Second)
	reasons := eval[string](b, `document.querySelector('#return-reasons').value`)
	if !strings.Contains(reasons, "租赁合同") || strings.Contains(reasons, "第十六条：缺少") {
		t.Errorf("return reasons pre-filled = %q; want the checklist's problems without the 推荐表", reasons)
	}
	if b.exists(`#checklist .item-review`) || b.exists(`#flow button[data-action=submit]`) {
		t.Errorf("the recommender is offered the reviewers' or the applicant's actions")
	}
	b.setValue("#return-reasons", "请补充第十七条（一）申请报告（附件2）。\n"+reasons+"\n请补充地（市）级示范平台认定文件。")
	b.click(`#act-return button[type=submit]`)
	b.waitJS("the returned state", `!!document.querySelector('#flow .flow-state [data-state=returned]')`, 20*time.Second)

	// ---- the applicant sees the reasons, adds a file and submits again ----
	step("applicant fixes and resubmits")
	b.as(applicant)
	b.waitJS("the returned application on the home", fmt.Sprintf(`(() => { const r = document.querySelector('.dash-row[data-id=%q]');
		return !!r && r.dataset.state === 'returned' && r.innerText.includes('按退回意见修改'); })()`, appID), 20*time.Second)
	b.navigate(appURL)
	b.waitText("the return reasons", "#flow .returns", "请补充地（市）级示范平台认定文件", 20*time.Second)
	if got := b.text("#flow .returns"); !strings.Contains(got, lhasa.name) || !strings.Contains(got, "申请报告") {
		t.Errorf("returns shown to the applicant = %q", got)
	}
	b.shot("13-applicant-returned")
	b.waitJS("the drop zone again", `!document.querySelector('.upload-card').hidden`, 10*time.Second)
	b.dropFiles("#dropzone", prior)
	waitRead(6, 2*time.Minute)
	b.waitJS("item 6 present", `(() => { const it = document.querySelector('#checklist [data-item="6"]'); return !!it && it.dataset.present === 'true'; })()`, 30*time.Second)
	submit(false)

	// ---- the recommender uploads the 推荐表 and recommends ----
	step("recommender recommends")
	b.as(lhasa)
	b.navigate(appURL + "?act=recommend")
	b.waitJS("the recommend form", `(() => { const d = document.querySelector('#act-recommend'); return !!d && d.open; })()`, 20*time.Second)
	b.do(20*time.Second, chromedp.SetUploadFiles(chromedp.ID("rec-file"), []string{form}))
	b.waitJS("the 推荐表 read", `!!document.querySelector('#act-recommend .rec-status [data-ready=true]')`, 2*time.Minute)
	b.setValue("#rec-operation", "优秀")
	b.setValue("#rec-performance", "良好")
	b.setValue("#rec-satisfaction", "优秀")
	b.shot("14-recommend-form")
	b.click(`#act-recommend button[type=submit]`)
	b.waitJS("the recommended state", `!!document.querySelector('#flow .flow-state [data-state=recommended]')`, 20*time.Second)
	if got := b.text("#flow .fact-recommendation"); !strings.Contains(got, "优秀") || !strings.Contains(got, "同意推荐") {
		t.Errorf("recommendation shown = %q", got)
	}

	// ---- staff assigns the two experts ----
	step("staff assigns experts")
	b.as(staff)
	b.navigate(appURL + "?act=assign")
	b.waitJS("the expert list, open", `document.querySelectorAll('#act-assign input[name=expert]').length === 2 && document.querySelector('#act-assign').open`, 20*time.Second)
	eval[bool](b, `(() => { for (const c of document.querySelectorAll('#act-assign input[name=expert]')) c.checked = true; return true; })()`)
	b.click(`#act-assign button[type=submit]`)
	b.waitJS("under review", `!!document.querySelector('#flow .flow-state [data-state=under_review]')`, 20*time.Second)
	if got := b.text("#flow .fact-experts"); !strings.Contains(got, expert1.name) || !strings.Contains(got, expert2.name) {
		t.Errorf("experts shown to staff = %q", got)
	}

	// ---- each expert checks the materials and concludes ----
	conclude := func(a account, score, comment string, correct bool, confirm string) {
		t.Helper()
		step("expert " + a.login)
		b.as(a)
		b.waitJS("the assignment", fmt.Sprintf(`!!document.querySelector('.dash-row[data-id=%q] a[data-act=docs]')`, appID), 20*time.Second)
		if correct {
			b.shot("15-expert-home")
		}
		b.click(fmt.Sprintf(`.dash-row[data-id=%q] a[data-act=docs]`, appID))
		b.waitJS("the licence card", `!!document.querySelector('.doc-card[data-kind=business_licence] .btn-row a[href^="#/docs/"]')`, 20*time.Second)
		b.click(`.doc-card[data-kind=business_licence] .btn-row a[href^="#/docs/"]`)
		b.waitJS("the reviewer desk with actions", `document.querySelectorAll('.field-row .fr-actions').length > 0`, 30*time.Second)
		b.click(fmt.Sprintf(`.field-row[data-field=%q] button[data-action=confirm]`, confirm))
		b.waitJS("the confirmation", fmt.Sprintf(`(() => { const r = document.querySelector('.field-row[data-field=%q]');
			return !!r && (!!r.querySelector('.fr-review') || !!r.querySelector('.form-msg.error')); })()`, confirm), 20*time.Second)
		if got := b.text(fmt.Sprintf(`.field-row[data-field=%q]`, confirm)); !strings.Contains(got, "已确认") || !strings.Contains(got, a.name) {
			t.Errorf("confirmed row = %q; want 已确认 by %s", got, a.name)
		}
		if correct {
			correctField(t, b, a)
			changeKind(t, b, appURL)
		}
		b.navigate(appURL + "?act=conclude")
		b.waitJS("the conclusion form", `(() => { const d = document.querySelector('#act-conclude'); return !!d && d.open; })()`, 20*time.Second)
		b.setValue("#c-score", score)
		b.click(`#act-conclude input[name=conclusion][value=pass]`)
		b.setValue("#c-comment", comment)
		b.click(`#act-conclude button[type=submit]`)
		b.waitText("the conclusion", "#flow .fact-reviews", a.name, 20*time.Second)
	}
	conclude(expert1, "86", "材料齐全，服务业绩突出。", true, confirmable[0])
	if !b.exists(`#flow .flow-state [data-state=under_review]`) {
		t.Errorf("one of two experts concluded, and the application is %q", b.text("#flow .flow-state"))
	}
	conclude(expert2, "82", "符合第十二条、第十三条的条件。", false, confirmable[len(confirmable)-1])
	b.waitJS("reviewed", `!!document.querySelector('#flow .flow-state [data-state=reviewed]')`, 20*time.Second)
	b.shot("16-reviewed")

	// ---- staff decides: 公示 from 2026-09-24 for 7 working days, across 中秋 and 国庆 ----
	step("staff decides")
	b.as(staff)
	b.navigate(appURL + "?act=decide")
	b.waitJS("the decision form", `(() => { const d = document.querySelector('#act-decide'); return !!d && d.open; })()`, 20*time.Second)
	b.setValue("#d-start", "2026-09-24")
	b.setValue("#d-comment", "经专家评审，符合认定条件，予以公示。")
	b.click(`#act-decide button[type=submit]`)
	b.waitJS("the 公示", `!!document.querySelector('#flow .flow-state [data-state=publicized]')`, 20*time.Second)
	if got := b.text("#flow .fact-publicity"); !strings.Contains(got, "2026-09-24 至 2026-10-10") {
		t.Errorf("公示期 shown = %q; want 2026-09-24 至 2026-10-10 (7 working days over 中秋/国庆 and the 调休 Saturday)", got)
	}
	// Granting before the 公示 has ended is refused, with the server's reason.
	b.click(`#act-grant > summary`)
	b.setValue("#g-cert", "藏经信认〔2026〕8号")
	b.click(`#act-grant button[type=submit]`)
	b.waitText("the refusal to grant early", "#act-grant .form-msg.error", "公示期满后方可认定", 20*time.Second)
	b.shot("17-publicized")

	// ---- two days after the 公示: the session has expired; staff signs in again and grants ----
	step("staff grants")
	svc.setClock(t, time.Date(2026, 10, 12, 9, 0, 0, 0, cst))
	b.click(`a[data-nav=home]`)
	b.waitJS("the login page after the session expired", `!!document.querySelector('main[data-screen=login] #login-name')`, 20*time.Second)
	b.login(staff)
	b.navigate(appURL)
	b.waitJS("the application again", `!!document.querySelector('#flow .flow-state [data-state=publicized]')`, 20*time.Second)
	b.click(`#act-grant > summary`)
	b.setValue("#g-cert", "藏经信认〔2026〕8号")
	b.click(`#act-grant button[type=submit]`)
	b.waitJS("recognised", `!!document.querySelector('#flow .flow-state [data-state=recognised]')`, 20*time.Second)
	if got := b.text("#flow .fact-recognition"); !strings.Contains(got, "有效期至 2029-10-11") || !strings.Contains(got, "藏经信认〔2026〕8号") {
		t.Errorf("recognition shown = %q; want the certificate, valid until 2029-10-11", got)
	}
	if got := b.text("#flow .flow-state"); !strings.Contains(got, "已认定") {
		t.Errorf("state shown = %q; want 已认定", got)
	}
	b.shot("18-recognised")
	// The same dates, read back from the store.
	b.click(`a[data-nav=home]`)
	b.waitJS("the staff home", `!!document.querySelector('main[data-screen=home] .rounds-card')`, 10*time.Second)
	b.navigate(appURL)
	b.waitJS("the recognised application", `!!document.querySelector('#flow .flow-state [data-state=recognised]')`, 20*time.Second)
	checkDays(t, "the 公示 read back", b.text("#flow .fact-publicity"), "2026-09-24 至 2026-10-10")
	checkDays(t, "the recognition read back", b.text("#flow .fact-recognition"), "认定日期 2026-10-12，有效期至 2029-10-11")
	for _, sel := range []string{"#act-revoke", "#act-evaluate"} {
		if !b.exists(sel) {
			t.Errorf("staff is not offered %s on a recognised application", sel)
		}
	}
	// A third-party evaluation (第二十三条) that passes keeps the recognition.
	b.click(`#act-evaluate > summary`)
	b.click(`#act-evaluate input[name=result][value=pass]`)
	b.setValue("#e-comment", "2027 年第三方测评：服务质量良好。")
	b.click(`#act-evaluate button[type=submit]`)
	b.waitText("the evaluation", "#flow .fact-evaluations", "服务质量良好", 20*time.Second)
	if !b.exists(`#flow .flow-state [data-state=recognised]`) {
		t.Errorf("a passed evaluation changed the state to %q", b.text("#flow .flow-state"))
	}

	// ---- the printable 一次告知书 and 材料清单 ----
	step("print pages")
	b.click(`.head-links a[href$="/notice"]`)
	b.waitJS("the notice", `!!document.querySelector('.print-sheet[data-ready=true]')`, 20*time.Second)
	notice := b.text(".print-sheet")
	for _, want := range []string{"一次告知书", "西藏天路检验检测技术有限公司", "2026 年度", "2026-09-10", "尚缺的申报材料", "必须整改的问题", "推荐单位退回意见", "请补充地（市）级示范平台认定文件"} {
		if !strings.Contains(notice, want) {
			t.Errorf("notice lacks %q:\n%s", want, notice)
		}
	}
	if !b.exists(`.print-toolbar button[data-action=print]`) {
		t.Errorf("the notice has no 打印 button")
	}
	if !b.exists(`.print-sheet .notice-blocking li .sheet-advice`) {
		t.Errorf("the printed notice's problems do not say what to do (the report's advice)")
	}
	b.printShot("19-notice")
	b.navigate(appURL + "/materials")
	b.waitJS("the materials", `!!document.querySelector('.print-sheet[data-ready=true]')`, 20*time.Second)
	materials := b.text(".print-sheet")
	for _, want := range []string{"申报材料清单", "02_营业执照复印件.pdf", sha256File(t, licence), "00_推荐表.jpg", sha256File(t, form), "（二）"} {
		if !strings.Contains(materials, want) {
			t.Errorf("materials list lacks %q:\n%s", want, materials)
		}
	}
	if strings.Contains(materials, "损坏的扫描件") {
		t.Errorf("the materials list names the replaced file")
	}
	b.shot("20-materials")
	b.printShot("20-materials")

	// ---- the staff list: counts, filters and sorting in the address ----
	step("staff list")
	b.navigate(svc.base + "/#/")
	b.waitJS("the dashboard row", fmt.Sprintf(`!!document.querySelector('.dash-row[data-id=%q]')`, appID), 20*time.Second)
	b.waitJS("the count of recognised", `(() => { const a = document.querySelector('.state-counts a[data-state=recognised]'); return !!a && a.dataset.count === '1'; })()`, 20*time.Second)
	if got := b.text(fmt.Sprintf(`.dash-row[data-id=%q]`, appID)); !strings.Contains(got, "/8") || !strings.Contains(got, "已认定") {
		t.Errorf("dashboard row = %q; want the completeness of the 8 items and the state", got)
	}
	b.setValue("#f-region", "阿里地区")
	b.waitJS("no application from 阿里地区", `location.hash.includes('region=') && !!document.querySelector('.dash-body .empty')`, 10*time.Second)
	b.setValue("#f-region", "拉萨市")
	b.waitJS("the application from 拉萨市", fmt.Sprintf(`!!document.querySelector('.dash-row[data-id=%q]')`, appID), 10*time.Second)
	b.setValue("#f-sort", "blocking")
	b.waitJS("sorted by blocking warnings", fmt.Sprintf(`location.hash.includes('sort=blocking') && !!document.querySelector('.dash-row[data-id=%q]')`, appID), 10*time.Second)
	b.click(`.state-counts a[data-state=recognised]`)
	b.waitJS("filtered by state", fmt.Sprintf(`location.hash.includes('state=recognised') && !!document.querySelector('.dash-row[data-id=%q]')`, appID), 10*time.Second)
	b.shot("21-staff-list")
	b.click(fmt.Sprintf(`.dash-row[data-id=%q] a.org`, appID))
	b.waitJS("the application page from the list", fmt.Sprintf(`location.hash === '#/apps/%s'`, appID), 10*time.Second)

	// ---- the yearly duties of 2026 (第二十一、二十三条), on 2027-03-05: the platform's work summary,
	// due by the end of February, is late; the 拉萨市 inspection report is due by 10 March ----
	step("yearly duties")
	svc.setClock(t, time.Date(2027, 3, 5, 9, 0, 0, 0, cst))
	summaryFile := filepath.Join(tmp, "2026年度工作总结.pdf")
	reportFile := filepath.Join(tmp, "拉萨市2026年度检查情况报告.jpg")
	for src, dst := range map[string]string{licence: summaryFile, declaration: reportFile} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const summaryRow = `.duties-card .duty-row[data-kind=work_summary]`
	const reportRow = `.duties-card .duty-row[data-kind=inspection_report][data-region="拉萨市"]`
	// Months later, the session has ended.
	b.navigate(svc.base + "/#/")
	b.login(applicant)
	b.waitJS("the applicant's work summary due", fmt.Sprintf(`!!document.querySelector(%q)`, summaryRow+`[data-app="`+appID+`"]`), 20*time.Second)
	if got := b.text(summaryRow); !strings.Contains(got, "年度工作总结") || !strings.Contains(got, "2027-02-28") || !strings.Contains(got, "逾期未交") {
		t.Errorf("the applicant's work summary on 2027-03-05 = %q; want 年度工作总结, due 2027-02-28, 逾期未交", got)
	}
	if b.exists(`.duties-card .duty-row[data-kind=inspection_report]`) {
		t.Errorf("the applicant is shown the recommender's inspection report")
	}
	b.shot("23-applicant-duties")
	b.do(20*time.Second, chromedp.SetUploadFiles(chromedp.CSS(summaryRow+` input.duty-file`), []string{summaryFile}))
	b.waitJS("the work summary handed in", fmt.Sprintf(`!!document.querySelector(%q)`, summaryRow+`[data-done=true]`), 30*time.Second)
	if got := b.text(summaryRow); !strings.Contains(got, "2026年度工作总结.pdf") || !strings.Contains(got, "逾期提交") || !strings.Contains(got, applicant.name) {
		t.Errorf("the work summary handed in = %q; want the file, by whom, marked 逾期提交", got)
	}

	b.as(staff)
	b.waitJS("the staff's board of 2026", `document.querySelectorAll('.duties-card[data-year="2026"] .duty-row').length === 2`, 20*time.Second)
	if got := b.text(summaryRow); !strings.Contains(got, "已提交") || !strings.Contains(got, "2026年度工作总结.pdf") || !strings.Contains(got, "西藏天路") {
		t.Errorf("the staff's work summary row = %q; want it handed in", got)
	}
	if !b.exists(reportRow+`[data-overdue=false][data-done=false][data-due="2027-03-10"]`) || !strings.Contains(b.text(reportRow), "待提交") {
		t.Errorf("the 拉萨市 inspection report on 2027-03-05 = %q; want due 2027-03-10, 待提交, not overdue", b.text(reportRow))
	}
	if b.exists(`.duties-card button[data-action=hand-in]`) {
		t.Errorf("staff is offered to hand in a duty")
	}
	// The file handed in downloads as it was.
	dl := eval[string](b, fmt.Sprintf(`fetch(document.querySelector(%q).getAttribute('href')).then(r => r.status + ' ' + r.headers.get('Content-Length'))`, summaryRow+` .filing a`))
	if info, _ := os.Stat(summaryFile); dl != fmt.Sprintf("200 %d", info.Size()) {
		t.Errorf("downloading the work summary: %q; want 200 and its %d bytes", dl, info.Size())
	}
	b.shot("24-staff-duties")

	// ---- 2027-03-11: the inspection report is overdue, in red; the recommender hands it in ----
	svc.setClock(t, time.Date(2027, 3, 11, 9, 0, 0, 0, cst))
	b.navigate(svc.base + "/#/duties")
	b.login(staff)
	b.waitJS("the inspection report overdue", fmt.Sprintf(`!!document.querySelector(%q)`, reportRow+`.overdue[data-overdue=true]`), 20*time.Second)
	if got := eval[string](b, fmt.Sprintf(`getComputedStyle(document.querySelector(%q)).backgroundColor`, reportRow+` td`)); got != "rgb(253, 236, 234)" {
		t.Errorf("the overdue row's background = %s; want the red of var(--red-soft)", got)
	}
	if got := b.text(reportRow); !strings.Contains(got, "逾期未交") {
		t.Errorf("the overdue inspection report = %q; want 逾期未交", got)
	}
	if got := eval[string](b, `document.querySelector('#duty-year').value`); got != "2026" {
		t.Errorf("the board's year = %q on 2027-03-11; want 2026", got)
	}
	b.shot("25-duties-overdue")

	b.as(lhasa)
	b.waitJS("the recommender's board", fmt.Sprintf(`!!document.querySelector(%q)`, reportRow+` button[data-action=hand-in]`), 20*time.Second)
	if b.exists(summaryRow + ` button[data-action=hand-in]`) {
		t.Errorf("the recommender is offered to hand in the platform's work summary")
	}
	b.do(20*time.Second, chromedp.SetUploadFiles(chromedp.CSS(reportRow+` input.duty-file`), []string{reportFile}))
	b.waitJS("the inspection report handed in", fmt.Sprintf(`!!document.querySelector(%q)`, reportRow+`[data-done=true]`), 30*time.Second)
	b.shot("26-recommender-duties")

	b.as(staff)
	b.waitJS("the board all done", `document.querySelectorAll('.duties-card .duty-row[data-done=true]').length === 2`, 20*time.Second)
	if b.exists(`.duties-card .duty-row.overdue`) {
		t.Errorf("a duty handed in is still shown overdue")
	}
	if got := b.text(reportRow); !strings.Contains(got, "拉萨市2026年度检查情况报告.jpg") || !strings.Contains(got, lhasa.name) {
		t.Errorf("the inspection report handed in = %q", got)
	}

	// ---- the auditor reads everything, changes nothing ----
	step("auditor")
	b.as(auditor)
	b.waitJS("the auditor's list", fmt.Sprintf(`!!document.querySelector('.dash-row[data-id=%q]')`, appID), 20*time.Second)
	if b.exists(".round-form") || b.exists("#new-app") {
		t.Errorf("the auditor is offered to open a round or create an application")
	}
	b.navigate(appURL)
	b.waitJS("the history for the auditor", `document.querySelectorAll('.history .event-row').length > 5`, 20*time.Second)
	b.waitJS("the documents for the auditor", `document.querySelectorAll('.doc-card').length >= 6 && !!document.querySelector('#checklist .checklist')`, 20*time.Second)
	for _, sel := range []string{"#flow .cycle-actions", "#flow button", ".upload-card:not([hidden])", "button[data-action=replace]", "#checklist .item-review"} {
		if b.exists(sel) {
			t.Errorf("the auditor sees %s", sel)
		}
	}
	if got := b.text("#flow .fact-experts"); !strings.Contains(got, expert1.name) || !strings.Contains(got, expert2.name) {
		t.Errorf("experts shown to the auditor = %q", got)
	}
	hist := b.text(".history")
	for _, want := range []string{"授予称号", "作出决定", "分配评审专家", "推荐", "退回修改", "提交申报", staff.name} {
		if !strings.Contains(hist, want) {
			t.Errorf("history lacks %q:\n%s", want, hist)
		}
	}
	b.click(`.doc-card[data-kind=business_licence] .btn-row a[href^="#/docs/"]`)
	b.waitJS("the reviewer desk for the auditor", `document.querySelectorAll('.field-row').length > 0`, 30*time.Second)
	if b.exists(".fr-actions") || b.exists(".kind-form") || b.exists(".add-field") || b.exists(".item-review") {
		t.Errorf("the auditor is offered to review")
	}
	b.click(`a[data-nav=events]`)
	b.waitJS("the event log", `document.querySelectorAll('.event-table .event-row').length > 0`, 20*time.Second)
	if n := eval[int](b, `document.querySelectorAll('.event-table .event-row').length`); n != 50 {
		t.Errorf("the first page of the event log has %d events; want 50 after the whole cycle", n)
	}
	b.shot("22-events")
	log := b.text(".events-body")
	for page := 2; eval[bool](b, `!!document.querySelector('.events-body button[data-page=next]:not([disabled])')`) && page < 10; page++ {
		b.click(`.events-body button[data-page=next]`)
		b.waitJS(fmt.Sprintf("page %d of the event log", page), fmt.Sprintf(`location.hash.includes('offset=%d') && !!document.querySelector('.pager-info') &&
			document.querySelector('.pager-info').innerText.includes('第 %d ')`, (page-1)*50, page), 20*time.Second)
		log += b.text(".events-body")
	}
	for _, want := range []string{"登录", "登录失败", "发布年度申报", "新建账户", "修改账户", "提交申报", "授予称号", lhasa.name, "提交年度工作总结", "提交年度检查情况报告"} {
		if !strings.Contains(log, want) {
			t.Errorf("event log lacks %q", want)
		}
	}

	// The log's hash chain: each row shows the first 8 hex digits of its event's hash, the whole hash
	// as its title.
	if first := apiGet[struct {
		Items []struct {
			Hash string `json:"hash"`
		} `json:"items"`
	}](b, "/events?limit=1"); len(first.Items) == 1 && first.Items[0].Hash != "" {
		b.click(`a[data-nav=events]`)
		// The table may be drawn again while it loads: wait for a row that shows the event's hash,
		// its first 8 digits as text and the whole hash in its title.
		full := first.Items[0].Hash
		b.waitJS("the event's hash in the log", fmt.Sprintf(`[...document.querySelectorAll('.event-table .event-row .event-hash code')].some(c => c.textContent === %q && c.title.includes(%q))`, full[:8], full), 20*time.Second)
	} else {
		t.Logf("NOTE: GET /api/v1/events answers no hash: the event log shows — in its 哈希 column")
		if !b.exists(`.event-table .event-hash`) {
			t.Errorf("the event log has no 哈希 column")
		}
	}

	// ---- the archive: the auditor checks it, and downloads the package written at the grant ----
	step("archive verify")
	b.click(`a[data-nav=verify]`)
	b.waitJS("the verify page", `!!document.querySelector('main[data-screen=verify] button[data-action=verify]')`, 10*time.Second)
	b.click(`main[data-screen=verify] button[data-action=verify]`)
	b.waitJS("the verify report", `!!document.querySelector('.verify-report')`, 60*time.Second)
	if got := b.text(".verify-out"); eval[string](b, `document.querySelector('.verify-report').dataset.ok`) != "true" || !strings.Contains(got, "全部通过") {
		t.Errorf("the archive's check = %q; want 全部通过", got)
	} else {
		t.Logf("verify: %s", strings.ReplaceAll(got, "\n", " | "))
	}
	if got := b.text(".verify-counts"); !strings.Contains(got, "条操作记录") || !strings.Contains(got, "份原件") {
		t.Errorf("the counts checked = %q", got)
	}
	b.shot("28-verify")
	b.navigate(appURL)
	b.waitJS("the application's packages", `document.querySelectorAll('.archive-card .package-row').length > 0`, 20*time.Second)
	if n := eval[int](b, `document.querySelectorAll('.archive-card .package-row').length`); n != 1 {
		t.Errorf("the auditor sees %d packages; want the one written at the grant", n)
	}
	for _, sel := range []string{".archive-card button[data-action=archive]", ".archive-card button[data-action=hold-on]"} {
		if b.exists(sel) {
			t.Errorf("the auditor is offered %s", sel)
		}
	}
	type download struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Magic  string `json:"magic"`
		Size   int    `json:"size"`
		Href   string `json:"href"`
	}
	pkg := eval[download](b, `(async () => {
		const a = document.querySelector('.archive-card .package-row a[data-action=download]');
		const r = await fetch(a.href);
		const buf = new Uint8Array(await r.arrayBuffer());
		return {status: r.status, type: r.headers.get('Content-Type') || '', magic: String.fromCharCode(...buf.slice(257, 262)), size: buf.length, href: a.getAttribute('href')};
	})()`)
	if pkg.Status != http.StatusOK || pkg.Type != "application/x-tar" || pkg.Magic != "ustar" || !strings.Contains(pkg.Href, "2026-10-12.tar") {
		t.Errorf("the package's download (%s) = %d %q, %d bytes, magic %q; want 200, a tar archived on 2026-10-12", pkg.Href, pkg.Status, pkg.Type, pkg.Size, pkg.Magic)
	}
	b.click(`.archive-card button[data-action=verify]`)
	b.waitJS("the application's check", `!!document.querySelector('.archive-card .verify-report')`, 60*time.Second)
	if got := b.text(".archive-card .verify-out"); !strings.Contains(got, "全部通过") {
		t.Errorf("the application's check = %q; want 全部通过", got)
	}
	b.shot("29-archive-auditor")

	// Staff archives again now (a second package of the day), and tries a legal hold, which the
	// local-disk store of this test cannot keep.
	step("archive now, legal hold")
	b.as(staff)
	b.navigate(appURL)
	b.waitJS("the packages for staff", `document.querySelectorAll('.archive-card .package-row').length === 1`, 20*time.Second)
	b.click(`.archive-card button[data-action=archive]`)
	b.waitJS("the second package", `document.querySelectorAll('.archive-card .package-row').length === 2`, 30*time.Second)
	// The clock is now 2027-03-11 (the yearly duties): the package of today, beside the grant's.
	keys := eval[[]string](b, `Array.from(document.querySelectorAll('.archive-card .package-row')).map((r) => r.dataset.key)`)
	want := "archive/" + appID + "/2027-03-11.tar"
	if got := b.text(".archive-card .archive-msg"); !strings.Contains(got, "已归档") || !strings.Contains(got, want) || len(keys) != 2 || keys[0] != want || !strings.HasSuffix(keys[1], "/2026-10-12.tar") {
		t.Errorf("archiving now says %q, packages %q; want %s, newest first, beside the grant's", got, keys, want)
	}
	b.click(`.archive-card button[data-action=hold-on]`)
	b.waitJS("the legal hold's answer", `(() => { const m = document.querySelector('.archive-card .archive-msg'); return !!m && m.classList.contains('error'); })()`, 20*time.Second)
	if got := b.text(".archive-card .archive-msg"); !strings.Contains(got, "本地磁盘") || !strings.Contains(got, "法律保全") {
		t.Errorf("the legal hold's answer = %q; want the message that the local disk cannot hold", got)
	}
	b.shot("30-archive-staff")
	b.as(auditor)

	// ---- account settings: an API token for a program, shown once; then a new password ----
	step("account settings")
	b.click(`#user-box a[href="#/account"]`)
	b.waitJS("the account settings", `!!document.querySelector('#pw-old') && !!document.querySelector('#tk-label')`, 10*time.Second)
	b.setValue("#tk-label", "审计抽查脚本")
	b.setValue("#tk-days", "30")
	b.click(`.token-form button[type=submit]`)
	b.waitJS("the token", `(() => { const v = document.querySelector('#tk-value'); return !!v && v.value.length >= 32; })()`, 20*time.Second)
	if got := b.text(".token-shown"); !strings.Contains(got, "只显示这一次") || !strings.Contains(got, "审计抽查脚本") || !strings.Contains(got, "2027-04-10") {
		t.Errorf("the token shown = %q; want its label, that it is shown only once, and valid until 2027-04-10", got)
	}
	b.click(`.token-shown button[data-action=copy]`)
	b.waitJS("the copy's answer", `document.querySelector('.token-shown .form-msg').textContent !== ''`, 10*time.Second)
	b.shot("27-account")
	token := eval[string](b, `document.querySelector('#tk-value').value`)
	bearerSession := func() (int, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, svc.base+"/api/v1/session", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var s struct {
			User struct{ Name, Role string } `json:"user"`
		}
		json.NewDecoder(res.Body).Decode(&s)
		return res.StatusCode, s.User.Role + " " + s.User.Name
	}
	if code, who := bearerSession(); code != http.StatusOK || who != "auditor "+auditor.name {
		t.Errorf("GET /api/v1/session with the token: %d %q; want 200 as the auditor", code, who)
	}
	b.setValue("#pw-old", testPassword)
	b.setValue("#pw-new", "Audit2026second")
	b.setValue("#pw-again", "Audit2026second")
	b.click(`.password-form button[type=submit]`)
	b.waitText("the password changed", ".password-form .form-error", "密码已修改", 20*time.Second)
	// As the page says, a new password ends the tokens.
	if code, _ := bearerSession(); code != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/session with the token after the password changed: %d; want 401", code)
	}
	step("done")
}

// checkDays checks that text shows the dates of want (China's civil dates, as the API answers them
// however the store returns times) and the other strings.
func checkDays(t *testing.T, what, text, want string, also ...string) {
	t.Helper()
	for _, s := range append([]string{want}, also...) {
		if !strings.Contains(text, s) {
			t.Errorf("%s = %q; want %q", what, text, s)
		}
	}
}

// correctField corrects the licence's org_name as an expert, sees the checklist follow, and accepts
// item 2 with a comment.
func correctField(t *testing.T, b *browser, a account) {
	t.Helper()
	const corrected = "西藏天路更正测试有限公司"
	before := b.text(".rv-warnings")
	b.click(`.field-row[data-field=org_name] button[data-action=correct]`)
	// Select what OCR read and type over it, as a person would.
	eval[bool](b, `(() => { const i = document.getElementById('corr-org_name'); i.focus(); i.select(); return true; })()`)
	b.do(10*time.Second,
		chromedp.SendKeys(chromedp.ID("corr-org_name"), corrected),
		chromedp.Click(chromedp.CSS(`.field-row[data-field=org_name] .correct-form button[type=submit]`)),
	)
	b.waitJS("the correction's answer", `(() => { const r = document.querySelector('.field-row[data-field=org_name]');
		return !!r && (!!r.querySelector('.fr-review') || !!r.querySelector('.form-msg.error')); })()`, 30*time.Second)
	if msg := eval[string](b, `(document.querySelector('.field-row[data-field=org_name] .form-msg.error') || {}).textContent || ''`); msg != "" {
		t.Fatalf("correcting org_name failed: %s", msg)
	}
	if got := b.text(`.field-row[data-field=org_name] .fr-value`); got != corrected {
		t.Errorf("corrected value shown = %q; want %q", got, corrected)
	}
	row := b.text(`.field-row[data-field=org_name]`)
	if !strings.Contains(row, corrected) || !strings.Contains(row, "已更正") || !strings.Contains(row, a.name) {
		t.Errorf("corrected row = %q; want the new value, 已更正 and the reviewer", row)
	}
	if !strings.Contains(row, "识别原值") {
		t.Errorf("corrected row = %q; want the OCR value kept beside the correction", row)
	}
	b.waitJS("the checklist to name the corrected value", fmt.Sprintf(`document.querySelector('.rv-warnings').innerText.includes(%q)`, corrected), 20*time.Second)
	if after := b.text(".rv-warnings"); after == before {
		t.Errorf("warnings about the licence did not change after the correction: %q", after)
	}
	b.shot("15-reviewer-corrected")

	// Back on the application page, the checklist says so too; accept item 2 with a comment.
	b.click(`.page-head a[href^="#/apps/"]`)
	b.waitJS("the checklist with the correction", fmt.Sprintf(`(() => { const c = document.querySelector('#checklist .checklist');
		return !!c && c.innerText.includes(%q); })()`, corrected), 30*time.Second)
	b.do(10*time.Second,
		chromedp.Click(chromedp.CSS(`#checklist [data-item="2"] details summary`)),
		chromedp.SendKeys(chromedp.CSS(`#checklist [data-item="2"] textarea`), "营业执照复印件清晰，已核对原件。"),
		chromedp.Click(chromedp.CSS(`#checklist [data-item="2"] button[data-action=accept]`)),
	)
	b.waitJS("item 2's review", `(() => { const it = document.querySelector('#checklist [data-item="2"]');
		return !!it && (!!it.querySelector('.review-state') || !!it.querySelector('.form-msg.error')); })()`, 30*time.Second)
	if item := b.text(`#checklist [data-item="2"]`); !strings.Contains(item, "已接受") || !strings.Contains(item, "已核对原件") || !strings.Contains(item, a.name) {
		t.Errorf("item 2 after acceptance = %q", item)
	}
}

// changeKind marks the declaration as another kind, sees item 8 go missing, and marks it back.
func changeKind(t *testing.T, b *browser, appURL string) {
	t.Helper()
	setKind := func(kind, want string) {
		t.Helper()
		b.navigate(appURL)
		b.waitJS("the declaration's card", `Array.from(document.querySelectorAll('.doc-card')).some(c => c.innerText.includes('08_真实性声明.jpg'))`, 20*time.Second)
		id := eval[string](b, `(() => { const c = Array.from(document.querySelectorAll('.doc-card')).find(c => c.innerText.includes('08_真实性声明.jpg')); return c ? c.dataset.docId : ''; })()`)
		if id == "" {
			t.Fatalf("no card for the declaration")
		}
		b.navigate(appURL[:strings.Index(appURL, "#")] + "#/docs/" + id)
		b.waitJS("the kind form", `!!document.querySelector('#kind-select')`, 20*time.Second)
		b.setValue("#kind-select", kind)
		b.click(`.kind-form button[type=submit]`)
		b.waitJS("the new kind", fmt.Sprintf(`(() => { const d = document.querySelector('.doc-info'); return !!d && (d.innerText.includes(%q) || !!d.querySelector('.form-msg.error')); })()`, want), 20*time.Second)
		if msg := eval[string](b, `(document.querySelector('.kind-form .form-msg.error') || {}).textContent || ''`); msg != "" {
			t.Fatalf("changing the kind failed: %s", msg)
		}
	}
	setKind("other", "原识别为")
	if got := b.text(".doc-info"); !strings.Contains(got, "其他材料") || !strings.Contains(got, "真实性声明") {
		t.Errorf("document info after the change = %q; want 其他材料, recognised as 真实性声明", got)
	}
	b.click(`.page-head a[href^="#/apps/"]`)
	b.waitJS("item 8 missing", `(() => { const it = document.querySelector('#checklist [data-item="8"]');
		return !!it && it.dataset.present === 'false'; })()`, 20*time.Second)
	setKind("authenticity_declaration", "真实性声明")
}
