package uitest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// maxPhoneHeight bounds the application page at 390 px wide with eleven documents read: the issue
// found 9,132 px when every upload stayed as a row beside its document's card.
const maxPhoneHeight = 5500

// TestApplicantNotice walks an applicant's day (issue 15): the form's 申报年度 with the year audited,
// the 一次告知 of an empty application (what to upload, neutral), an unknown application (no upload
// box, no endless loading, no polling after the 404), eleven documents dropped at once (one list with
// the recognition state and an overall progress bar, nothing called missing while being read, a
// broken PDF shown once as failed, the page's height on a phone), the server out of reach while they
// are read (the list stays, with a banner), and the notice once they are read: what to do first,
// another organisation's licence to be checked, no "请人工核对" addressed to the applicant.
func TestApplicantNotice(t *testing.T) {
	requireChromium(t)
	began := time.Now()
	const dir = "app01_lhasa"
	files := []string{
		corpusFile(t, dir+"/01_附件2-申请报告.pdf"),
		corpusFile(t, dir+"/02_营业执照复印件.pdf"),
		corpusFile(t, dir+"/03_审计报告及服务收支专项审计.pdf"),
		corpusFile(t, dir+"/04_经营场所租赁合同.pdf"),
		corpusFile(t, dir+"/05_服务证明-工作简报2.pdf"),
		corpusFile(t, dir+"/06_示范平台认定文件.jpg"),
		corpusFile(t, dir+"/07_检验检测机构资质认定证书.jpg"),
		corpusFile(t, dir+"/08_真实性声明.jpg"),
		corpusFile(t, dir+"/IMG_20240428_155124.jpg"),
		corpusFile(t, "app02_shigatse/2.法人证书.jpg"), // another organisation's
	}
	broken := filepath.Join(t.TempDir(), "损坏的扫描件.pdf")
	if err := os.WriteFile(broken, append([]byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), bytes.Repeat([]byte("garbage "), 200)...), 0o644); err != nil {
		t.Fatal(err)
	}
	files = append(files, broken)

	svc := startService(t, time.Date(2026, 9, 10, 9, 30, 0, 0, cst))
	b := newBrowser(t)
	defer b.checkErrors()
	step := func(what string) { t.Logf("%5.1fs %s", time.Since(began).Seconds(), what) }

	// ---- staff open the 2026 round (an application is submitted into it) ----
	b.navigate(svc.base + "/#/")
	b.login(staff)
	b.waitJS("the staff home", `!!document.querySelector('main[data-screen=home] .rounds-card') && !document.querySelector('.rounds-list .loading')`, 20*time.Second)
	b.click(`.round-form summary`)
	b.setValue("#r-year", "2026")
	b.setValue("#r-opens", "2026-09-01")
	b.setValue("#r-closes", "2026-09-30")
	b.setValue("#r-notice", "藏经信发〔2026〕12号")
	b.click(`.round-form button[type=submit]`)
	b.waitJS("the open round", `!!document.querySelector('.round[data-year="2026"][data-open=true]')`, 20*time.Second)

	// ---- the form: the year audited is the 申报年度 − 1; the year before looks like a mistake ----
	step("the form's year")
	b.as(applicant)
	b.navigate(svc.base + "/#/apps/new")
	b.waitJS("the new application form", `!!document.querySelector('#a-year-hint')`, 20*time.Second)
	b.waitText("the year's hint", "#a-year-hint", "审核年度（上一年度）为 2025 年", 10*time.Second)
	b.setValue("#a-year", "2025")
	b.waitJS("the warning for the year audited", `document.querySelector('#a-year-hint').dataset.warn === 'true'`, 10*time.Second)
	if got := b.text("#a-year-hint"); !strings.Contains(got, "像是审核年度") || !strings.Contains(got, "请填 2026") {
		t.Errorf("hint for 2025 = %q; want a warning that 2025 is the year audited and 2026 the 申报年度", got)
	}
	b.shot("40-new-application-year-warning")
	b.setValue("#a-year", "2026")
	if b.exists(`#a-year-hint[data-warn=true]`) {
		t.Errorf("2026 is still warned about: %q", b.text("#a-year-hint"))
	}
	b.setValue("#a-org", "西藏天路检验检测技术有限公司")
	b.setValue("#a-code", "91540102MA6TKJPG5T")
	b.setValue("#a-region", "拉萨市")
	b.click(`form.form button[type=submit]`)
	b.waitJS("the application page", `location.hash.startsWith('#/apps/app') && !!document.querySelector('#dropzone')`, 20*time.Second)
	appURL := svc.base + "/" + b.hash()

	// ---- an empty application: what is still to upload, neutrally ----
	step("the empty notice")
	b.waitJS("the empty checklist", `!!document.querySelector('#checklist .checklist')`, 20*time.Second)
	if n := eval[int](b, `document.querySelectorAll('#checklist .todo-list > li').length`); n != 8 {
		t.Errorf("the empty application lists %d items to upload; want the 8 of 第十七条", n)
	}
	if got := eval[string](b, `Array.from(document.querySelectorAll('#checklist .todo-list > li')).map(l => l.innerText).join('\n')`); !strings.Contains(got, "请上传") ||
		!strings.Contains(got, "租期覆盖申报日") || !strings.Contains(got, "2025 年度的审计报告") {
		t.Errorf("items to upload:\n%s\nwant each to say what to upload (a lease covering the submission date, the 2025 audit)", got)
	}
	check := b.text("#checklist")
	for _, not := range []string{"缺少", "必须整改 9", "人工核对"} {
		if strings.Contains(check, not) {
			t.Errorf("the empty application's notice says %q:\n%s", not, check)
		}
	}
	if b.exists(`#checklist .sev-group[data-severity=blocking]`) || b.exists(`#checklist .badge.sev-blocking`) {
		t.Errorf("the empty application shows a red 必须整改 before anything is uploaded")
	}
	if !strings.Contains(b.text("#checklist .form-note"), "经济和信息化局") {
		t.Errorf("the notice does not say that the 推荐表 comes from the prefecture's 经信局:\n%s", check)
	}
	b.shot("41-empty-notice")
	// A seal that cannot be told from a black-and-white scan, as the applicant reads it: what to do,
	// the reason without 请人工核对, the article last.
	if got := eval[string](b, `SB.checklist.plainMessage({article: '第十七条（八）',
		message: '第十七条（八）：无法从扫描件判断真实性声明（08.jpg）是否加盖公章（如黑白扫描），请人工核对。'})`); strings.Contains(got, "人工核对") ||
		strings.HasPrefix(got, "第") || !strings.HasSuffix(got, "（第十七条（八））") {
		t.Errorf("seal_unknown for the applicant reads %q; want the reason, no 人工核对, the article last", got)
	}

	// ---- an unknown application: the not-found page, no upload box, no polling after the 404 ----
	step("unknown application")
	b.navigate(svc.base + "/#/apps/app-does-not-exist")
	b.waitText("the not-found page", "main .not-found", "未找到该申报", 20*time.Second)
	requests := `performance.getEntriesByType('resource').filter(e => e.name.includes('/app-does-not-exist')).length`
	n0 := eval[int](b, requests)
	time.Sleep(5 * time.Second)
	if n := eval[int](b, requests); n != n0 {
		t.Errorf("the page asked the server %d more times after the 404", n-n0)
	}
	if b.exists("#dropzone") || strings.Contains(b.text("main"), "正在加载") {
		t.Errorf("the unknown application shows an upload box or a loading message: %q", b.text("main"))
	}

	// ---- eleven documents at once ----
	step("eleven documents")
	b.navigate(appURL)
	b.waitJS("the drop zone", `!!document.querySelector('#dropzone') && !document.querySelector('.upload-card').hidden`, 20*time.Second)
	b.dropFiles("#dropzone", files...)
	b.waitJS("every upload finished", `document.querySelectorAll('.upload').length === 11 &&
		Array.from(document.querySelectorAll('.upload')).every(r => r.dataset.state !== 'queued' && r.dataset.state !== 'uploading')`, 90*time.Second)
	if n := eval[int](b, `Array.from(document.querySelectorAll('.upload')).filter(r => !r.hidden).length`); n != 0 {
		t.Errorf("%d upload rows stay beside the list of documents; want each folded into its document's card", n)
	}
	if got := b.text(".upload-summary"); !strings.Contains(got, "已上传 11 个文件") {
		t.Errorf("upload summary = %q; want 已上传 11 个文件", got)
	}
	b.waitJS("eleven cards", `document.querySelectorAll('.doc-card').length === 11`, 20*time.Second)
	b.waitJS("the overall progress", `(() => { const p = document.querySelector('#read-progress');
		return !!p && !p.hidden && +p.dataset.total >= 11 && !!p.querySelector('[role=progressbar]'); })()`, 20*time.Second)

	// While documents are read, nothing is called missing.
	if b.exists(`#read-progress[data-state=reading]`) {
		b.waitJS("the checklist waiting for the documents", `!!document.querySelector('#checklist .checklist[data-pending]:not([data-pending="0"])')`, 20*time.Second)
		if got := b.text("#checklist"); strings.Contains(got, "缺少") {
			t.Errorf("documents still being read, and the notice says 缺少:\n%s", got)
		}
		if got := b.text("#read-progress"); !strings.Contains(got, "已识别") || !strings.Contains(got, "页") {
			t.Errorf("progress text = %q; want pages done of the total", got)
		}
		b.shot("42-reading")
	} else {
		t.Log("the documents were read before the page was looked at")
	}

	// The server out of reach: the list stays, with a banner, and comes back.
	if b.exists(`#read-progress[data-state=reading]`) {
		step("server out of reach")
		block := func(patterns ...string) {
			var ps []*network.BlockPattern
			for _, p := range patterns {
				ps = append(ps, &network.BlockPattern{URLPattern: p, Block: true})
			}
			ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
			defer cancel()
			if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: ps}); err != nil {
				t.Fatal(err)
			}
		}
		block(svc.base + "/api/*")
		b.waitJS("the banner", `(() => { const o = document.querySelector('.offline-banner'); return !!o && !o.hidden; })()`, 20*time.Second)
		if n := eval[int](b, `document.querySelectorAll('.doc-card').length`); n != 11 {
			t.Errorf("with the server out of reach the page shows %d documents; want the 11 it had", n)
		}
		if got := b.text(".offline-banner"); !strings.Contains(got, "服务器暂时无法连接，正在重试") {
			t.Errorf("banner = %q", got)
		}
		b.shot("43-offline")
		block()
		b.waitJS("the banner gone", `document.querySelector('.offline-banner').hidden`, 60*time.Second)
	}

	step("reading")
	b.waitJS("every document read", `(() => { const p = document.querySelector('#read-progress'); return !!p && p.dataset.state === 'done'; })()`, 6*time.Minute)
	step("read")
	if got := b.text("#read-progress"); !strings.Contains(got, "11 份材料已全部识别完") || !strings.Contains(got, "1 份识别失败") {
		t.Errorf("progress when done = %q; want all 11 read, one failed", got)
	}
	// The broken PDF: once, as failed with its reason.
	shown := eval[[]string](b, `Array.from(document.querySelectorAll('.doc-card, .upload')).filter(e => !e.hidden && e.innerText.includes('损坏的扫描件')).map(e => e.innerText)`)
	if len(shown) != 1 || !strings.Contains(shown[0], "识别失败：") || strings.Contains(shown[0], "已上传") {
		t.Errorf("the broken PDF is shown as %q; want once, as failed with its reason", shown)
	}

	// ---- the notice once read: what to do first, in the applicant's words ----
	b.waitJS("the checklist of the read documents", `!!document.querySelector('#checklist .checklist[data-pending="0"]') &&
		document.querySelector('#checklist [data-item="2"]').dataset.present === 'true'`, 30*time.Second)
	warnings := eval[[]struct {
		Code, Severity, Advice, Why string
	}](b, `Array.from(document.querySelectorAll('#checklist .warning')).map(w => ({code: w.dataset.code,
		severity: w.closest('.sev-group').dataset.severity,
		advice: (w.querySelector('.advice') || {innerText: ''}).innerText, why: (w.querySelector('.why') || {innerText: ''}).innerText}))`)
	t.Logf("notice: %+v", warnings)
	other := false
	for _, w := range warnings {
		if w.Advice == "" || strings.HasPrefix(w.Advice, "第") {
			t.Errorf("warning %s: advice %q; want what to do, before any article", w.Code, w.Advice)
		}
		if strings.Contains(w.Advice+w.Why, "人工核对") {
			t.Errorf("warning %s asks the applicant for a manual check: %q %q", w.Code, w.Advice, w.Why)
		}
		if strings.HasPrefix(w.Code, "missing_item") || w.Code == "missing_recommendation_form" {
			t.Errorf("an item not uploaded is listed as a problem: %+v", w)
		}
		if w.Code == "other_registration" {
			other = true
			if w.Severity != "attention" {
				t.Errorf("another organisation's 法人证书 is %s; want 需要核实", w.Severity)
			}
		}
	}
	if !other {
		t.Errorf("another organisation's 法人证书 in the application is not pointed out: %+v", warnings)
	}
	if got := b.text("#checklist"); strings.Contains(got, "人工核对") {
		t.Errorf("the applicant's notice says 人工核对:\n%s", got)
	}

	// ---- the page's height on a phone ----
	b.setViewport(phone)
	time.Sleep(500 * time.Millisecond)
	height := eval[int](b, `document.documentElement.scrollHeight`)
	t.Logf("application page with 11 documents at 390 px: %d px tall", height)
	if height > maxPhoneHeight {
		t.Errorf("the application page is %d px tall at 390 px wide; want at most %d", height, maxPhoneHeight)
	}
	b.setViewport(desktop)
	b.shot("44-read-notice")

	// ---- the broken scan replaced, the application submitted ----
	step("replace and submit")
	b.do(20*time.Second,
		chromedp.Click(chromedp.CSS(`.doc-card[data-status=failed] button[data-action=replace]`)),
		chromedp.SetUploadFiles(chromedp.ID("replace-input"), []string{corpusFile(t, "app02_shigatse/IMG_20240425_113222.jpg")}))
	b.waitJS("the replacement read", `document.querySelectorAll('.doc-card').length === 12 &&
		document.querySelector('#read-progress').dataset.state === 'done'`, 3*time.Minute)
	b.click(`#flow button[data-action=submit]`)
	b.waitJS("the submit dialog", `!!document.querySelector('dialog.submit-dialog[open]')`, 20*time.Second)
	if got := b.text("dialog.submit-dialog li.ack[data-code=expired_lease] .advice"); !strings.Contains(got, "续租协议") {
		t.Errorf("the submit dialog's expired lease says %q; want what to do (a renewal agreement)", got)
	}
	eval[bool](b, `(() => { for (const t of document.querySelectorAll('dialog.submit-dialog li.ack textarea')) {
		t.value = '续租协议正在办理，将于推荐前补交。'; t.dispatchEvent(new Event('input', {bubbles: true})); } return true; })()`)
	b.click(`dialog.submit-dialog button[data-action=submit-confirm]`)
	b.waitJS("the submitted state", `!!document.querySelector('#flow .flow-state [data-state=submitted]')`, 20*time.Second)
	appID := strings.TrimPrefix(strings.SplitN(b.hash(), "?", 2)[0], "#/apps/")

	// ---- staff: accept an item; the list finds it by name or code, sorts by a column, exports ----
	step("staff dashboard")
	b.as(staff)
	b.navigate(appURL)
	b.waitJS("the item review form", `!!document.querySelector('#checklist [data-item="2"] details.item-review')`, 20*time.Second)
	b.do(10*time.Second,
		chromedp.Click(chromedp.CSS(`#checklist [data-item="2"] details.item-review summary`)),
		chromedp.Click(chromedp.CSS(`#checklist [data-item="2"] button[data-action=accept]`)))
	b.waitJS("item 2 accepted", `!!document.querySelector('#checklist [data-item="2"] .review-state')`, 20*time.Second)
	if b.exists(`#checklist .todo-list`) {
		t.Errorf("staff are shown the applicant's list of what to upload")
	}

	// Figures of the conditions in Chinese: the level of the recognising department, not its code.
	if got := b.text("#checklist .verdicts"); strings.Contains(got, "prefecture") || !strings.Contains(got, "地（市）级") {
		t.Errorf("the verdicts show the issuer's level as %q; want 地（市）级", got)
	}

	// ---- the reviewer desk: the documents in the order of the items, the fields to check ----
	step("reviewer desk")
	// The broken scan, replaced, still opens: the desk says why it failed.
	b.click(`.doc-card[data-status=failed] .btn-row a[href^="#/docs/"]`)
	b.waitText("the failed document's reason", ".rv-status", "识别失败：", 30*time.Second)
	b.navigate(appURL)
	b.waitJS("the audit's card", `!!document.querySelector('.doc-card[data-kind=audit_report] .btn-row a[href^="#/docs/"]')`, 20*time.Second)
	b.click(`.doc-card[data-kind=audit_report] .btn-row a[href^="#/docs/"]`)
	b.waitText("the audit among the documents", ".doc-nav .doc-pos", "（三）", 30*time.Second)
	if got := b.text(".doc-nav .doc-pos"); !strings.Contains(got, "/ 11 份") {
		t.Errorf("document position = %q; want one of the 11 documents in use (the replaced scan left out)", got)
	}
	b.click(`a[data-nav=prev-doc]`)
	b.waitText("the document before the audit", ".doc-nav .doc-pos", "（二）", 30*time.Second)
	b.click(`a[data-nav=next-doc]`)
	b.waitText("the audit again", ".doc-nav .doc-pos", "（三）", 30*time.Second)
	b.click(`a[data-nav=next-doc]`)
	b.waitText("the document after the audit", ".doc-nav .doc-pos", "（四）", 30*time.Second)
	b.click(`a[data-nav=prev-doc]`)
	b.waitJS("the audit's fields", `(() => { const p = document.querySelector('.doc-nav .doc-pos');
		return !!p && p.innerText.includes('（三）') && document.querySelectorAll('.field-row').length > 0; })()`, 30*time.Second)
	if got := b.text(`.field-row[data-field=total_assets_yuan] .fr-value`); !regexp.MustCompile(`^\d{1,3}(,\d{3})+(\.\d\d)? 元`).MatchString(got) {
		t.Errorf("total assets shown as %q; want thousands separated as printed", got)
	}
	// The audit's pages as thumbnails: one of them opens its page.
	if n := eval[int](b, `document.querySelectorAll('.thumbs .thumb img').length`); n != 5 {
		t.Errorf("the five-page audit shows %d thumbnails", n)
	} else {
		b.click(`.thumbs .thumb[data-page="3"]`)
		b.waitJS("page 3 from its thumbnail", `document.querySelector('.page-info').textContent.includes('第 3 / 5 页') &&
			document.querySelector('.thumbs .thumb[data-page="3"]').getAttribute('aria-current') === 'page'`, 20*time.Second)
	}
	// The application report has a field read with little confidence: the filter keeps it alone.
	b.navigate(appURL)
	b.waitJS("the report's card", `!!document.querySelector('.doc-card[data-kind=application_report] .btn-row a[href^="#/docs/"]')`, 20*time.Second)
	b.click(`.doc-card[data-kind=application_report] .btn-row a[href^="#/docs/"]`)
	b.waitJS("the report's fields", `document.querySelectorAll('.field-row').length > 0`, 30*time.Second)
	all := eval[int](b, `document.querySelectorAll('.field-row').length`)
	b.click("#only-check")
	b.waitJS("only the fields to check", `document.querySelector('.field-list').classList.contains('only-check')`, 10*time.Second)
	rows := eval[[]string](b, `Array.from(document.querySelectorAll('.field-row')).map(r => r.dataset.field + ':' + r.dataset.low + ':' + !!r.querySelector('.fr-flags') + ':' + !!r.querySelector('.fr-review'))`)
	for _, r := range rows {
		if strings.HasSuffix(r, ":true") || strings.Contains(r, ":false:false:") {
			t.Errorf("only the fields to check, and %s is shown (field:low:flagged:reviewed)", r)
		}
	}
	t.Logf("fields to check: %d of %d: %v", len(rows), all, rows)
	if len(rows) == 0 || len(rows) >= all {
		t.Errorf("only the fields to check: %d of %d shown; want the doubtful ones alone", len(rows), all)
	}
	// The keyboard: Y confirms the focused field and moves on; ] goes to the next document.
	if len(rows) > 0 {
		field := strings.SplitN(rows[0], ":", 2)[0]
		eval[bool](b, fmt.Sprintf(`(() => { document.querySelector('.field-row[data-field=%q]').focus(); return true; })()`, field))
		b.do(10*time.Second, chromedp.KeyEvent("y"))
		b.waitJS("the field confirmed from the keyboard", `!!document.querySelector('.field-list .none-to-check')`, 20*time.Second)
		f := apiGet[struct {
			Fields map[string]struct {
				Review *struct{ Action string } `json:"review"`
			} `json:"fields"`
		}](b, "/documents/"+eval[string](b, `decodeURIComponent(location.hash.split('/')[2].split('?')[0])`))
		if r := f.Fields[field].Review; r == nil || r.Action != "confirm" {
			t.Errorf("Y on %s did not confirm it: %+v", field, r)
		}
	}
	b.shot("46-reviewer-doc-nav")
	b.do(10*time.Second, chromedp.KeyEvent("]"))
	b.waitText("the next document from the keyboard", ".doc-nav .doc-pos", "（二）", 20*time.Second)

	// Another organisation's certificate: its name is marked for checking, as the notice says.
	b.navigate(appURL)
	b.waitJS("the certificate's card", `!!document.querySelector('.doc-card[data-kind=legal_person_certificate] .btn-row a[href^="#/docs/"]')`, 20*time.Second)
	b.click(`.doc-card[data-kind=legal_person_certificate] .btn-row a[href^="#/docs/"]`)
	b.waitJS("the certificate's name marked", `!!document.querySelector('.field-row[data-field=org_name] .contested')`, 30*time.Second)
	// On a phone, tapping a field brings its box on the page into sight.
	b.setViewport(phone)
	b.mouseTo(`.field-row[data-field=org_name]`)
	b.click(`.field-row[data-field=org_name] .fr-label`)
	b.waitJS("the tapped field's box in sight", `(() => { const x = document.querySelector('.fbox[data-field=org_name]'); if (!x) return false;
		const r = x.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; })()`, 10*time.Second)
	b.setViewport(desktop)
	if got := eval[string](b, `SB.flagNames({flags: ['implausible', 'inconsistent', 'contradicted', 'point_restored', 'name_restored', 'matched_region', 'unlabelled', 'matched_declared', 'derived', 'reread', 'boxes_disagree', 'from_seal', 'unfinished_name']}).join('|')`); regexp.MustCompile(`[a-z]`).MatchString(got) {
		t.Errorf("flags shown as %q; want them in Chinese", got)
	}

	b.navigate(svc.base + "/#/")
	row := fmt.Sprintf(`.dash-row[data-id=%q]`, appID)
	b.waitJS("the dashboard row", fmt.Sprintf(`!!document.querySelector(%q)`, row), 20*time.Second)
	got := b.text(row)
	if !strings.Contains(got, "接受 1") {
		t.Errorf("dashboard row = %q; want the reviewers' decision (接受 1)", got)
	}
	if strings.Contains(got, "失败") {
		t.Errorf("dashboard row = %q; the replaced broken scan is still counted as failed", got)
	}
	for _, q := range []string{"天路检验", "ma6tkjpg5t"} {
		b.setValue("#f-q", q)
		b.waitJS("search "+q, fmt.Sprintf(`location.hash.includes('q=') && !!document.querySelector(%q)`, row), 10*time.Second)
	}
	b.setValue("#f-q", "不存在的单位")
	b.waitJS("search with no match", `!!document.querySelector('.dash-body .empty')`, 10*time.Second)
	b.setValue("#f-q", "")
	b.waitJS("the list again", fmt.Sprintf(`!location.hash.includes('q=') && !!document.querySelector(%q)`, row), 10*time.Second)
	b.click(`th button[data-sort=org]`)
	b.waitJS("sorted by name", `location.hash.includes('sort=org') && !!document.querySelector('th button[data-sort=org][data-active=true]')`, 10*time.Second)
	b.click(`th button[data-sort=org]`)
	b.waitJS("sorted by name, reversed", `(() => { const th = document.querySelector('th[aria-sort=descending] button');
		return location.hash.includes('desc=1') && !!th && th.dataset.sort === 'org'; })()`, 10*time.Second)
	b.shot("45-staff-dashboard")
	type download struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Head   string `json:"head"`
	}
	for _, f := range []string{"xlsx", "csv"} {
		d := eval[download](b, fmt.Sprintf(`(async () => { const a = document.querySelector('a[data-export=%s]');
			const r = await fetch(a.href); const b = new Uint8Array(await r.arrayBuffer());
			return {status: r.status, type: r.headers.get('Content-Type'), head: new TextDecoder("utf-8", {ignoreBOM: true}).decode(b.slice(0, 40))}; })()`, f))
		switch {
		case d.Status != 200:
			t.Errorf("export %s: %d", f, d.Status)
		case f == "xlsx" && !strings.HasPrefix(d.Head, "PK"):
			t.Errorf("export xlsx starts %q; want a zip (PK)", d.Head)
		case f == "csv" && !strings.HasPrefix(d.Head, "\uFEFF申报单位"):
			t.Errorf("export csv starts %q; want the header after a byte-order mark", d.Head)
		}
	}
	b.as(auditor)
	b.waitJS("the auditor's list", fmt.Sprintf(`!!document.querySelector(%q)`, row), 20*time.Second)
	if b.exists(`a[data-export]`) {
		t.Errorf("the auditor is offered the staff's export")
	}
}
