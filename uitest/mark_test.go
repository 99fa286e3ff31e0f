package uitest

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// TestReviewerMarksCorrection (issue 15, the reviewer's desk): staff correct a field and drag a
// rectangle on the page where the value is printed (人工标注); saved and reloaded, the desk draws the
// box where it was dragged, labelled 人工标注, and the API holds it in the page's pixels. On a phone the
// reviewer redraws it with a finger; the log records both marks.
func TestReviewerMarksCorrection(t *testing.T) {
	requireChromium(t)
	svc := startService(t, time.Date(2026, 9, 10, 9, 30, 0, 0, cst))
	b := newBrowser(t)
	defer b.checkErrors()

	// An application with one document read, submitted, so that staff may review it.
	b.navigate(svc.base + "/#/")
	b.login(staff)
	eval[bool](b, `SB.api.post('/rounds', {year: 2026, opens: '2026-09-01', closes: '2026-09-30', notice: '藏经信发〔2026〕12号'}).then(() => true)`)
	b.as(applicant)
	app := eval[string](b, `SB.api.post('/applications', {org_name: '西藏天路检验检测技术有限公司', region: '拉萨市', year: 2026}).then(a => a.id)`)
	b.navigate(svc.base + "/#/apps/" + app)
	b.waitJS("the drop zone", `!!document.querySelector('#dropzone')`, 20*time.Second)
	b.dropFiles("#dropzone", filepath.Join("..", "testdata", "documents", "certificate.png"))
	docs := fmt.Sprintf(`fetch('/api/v1/applications/%s/documents').then(r => r.json())`, app)
	b.waitJS("the document read", docs+`.then(j => j.items.length === 1 && j.items[0].status === 'done')`, 2*time.Minute)
	docID := eval[string](b, docs+`.then(j => j.items[0].id)`)
	eval[bool](b, fmt.Sprintf(`(async () => {
		const r = await SB.api.get('/applications/%[1]s/checklist');
		const acks = (r.warnings || []).filter(w => w.severity === 'blocking').map(w => ({code: w.code, reason: '测试：稍后补交。'}));
		await SB.api.post('/applications/%[1]s/submit', {acknowledgements: acks});
		return true; })()`, app))

	b.as(staff)
	desk := svc.base + "/#/docs/" + docID
	b.navigate(desk)
	const field = "org_name"
	row := fmt.Sprintf(`.field-row[data-field=%s]`, field)
	b.waitJS("the field on the desk", fmt.Sprintf(`!!document.querySelector(%q) && !!document.querySelector('.page-img[src]')`, row+` button[data-action=correct]`), 30*time.Second)
	type page struct{ Width, Height int }
	pg := apiGet[struct{ Items []page }](b, "/documents/"+docID+"/pages")
	if len(pg.Items) != 1 || pg.Items[0].Width == 0 {
		t.Fatalf("pages of the certificate: %+v", pg.Items)
	}
	pw, ph := float64(pg.Items[0].Width), float64(pg.Items[0].Height)

	type rect struct{ Left, Top, Width, Height float64 }
	stage := func() rect {
		return eval[rect](b, `(() => { const r = document.querySelector('.stage').getBoundingClientRect();
			return {left: r.left, top: r.top, width: r.width, height: r.height}; })()`)
	}
	// from and to: two corners, as fractions of the stage's visible part, in the window's pixels.
	corners := func(fx0, fy0, fx1, fy1 float64) (x0, y0, x1, y1 float64) {
		v := eval[rect](b, `(() => { const s = document.querySelector('.stage').getBoundingClientRect(), v = document.querySelector('.viewport').getBoundingClientRect();
			const top = Math.max(s.top, v.top), bottom = Math.min(s.bottom, v.bottom, window.innerHeight);
			return {left: s.left, top, width: s.width, height: bottom - top}; })()`)
		return v.Left + v.Width*fx0, v.Top + v.Height*fy0, v.Left + v.Width*fx1, v.Top + v.Height*fy1
	}
	// inPage is the box the page's pixels give for two corners in the window.
	inPage := func(x0, y0, x1, y1 float64) [4]float64 {
		s := stage()
		return [4]float64{(x0 - s.Left) / s.Width * pw, (y0 - s.Top) / s.Height * ph, (x1 - s.Left) / s.Width * pw, (y1 - s.Top) / s.Height * ph}
	}
	type review struct {
		Action string
		Page   int
		BBox   *[4]int
	}
	saved := func() review {
		d := apiGet[struct {
			Fields map[string]struct{ Review *review }
		}](b, "/documents/"+docID)
		if r := d.Fields[field].Review; r != nil {
			return *r
		}
		return review{}
	}
	near := func(what string, got *[4]int, want [4]float64, tol float64) {
		t.Helper()
		if got == nil {
			t.Errorf("%s: no box; want %.0f", what, want)
			return
		}
		for i := range got {
			if math.Abs(float64(got[i])-want[i]) > tol {
				t.Errorf("%s: box %v; want %.0f (±%.0f)", what, *got, want, tol)
				return
			}
		}
	}
	tol := math.Max(3, 2*pw/stage().Width) // two screen pixels, in the page's pixels

	// ---- desktop: correct, drag a rectangle, save ----
	b.click(row + ` button[data-action=correct]`)
	b.setValue(`#corr-`+field, "西藏天路检验检测技术有限公司")
	if got := b.text(row + ` .mark-row`); !strings.Contains(got, "未标注") {
		t.Errorf("the correction form's mark says %q; want 未标注（可选）", got)
	}
	b.click(row + ` button[data-action=draw-box]`)
	b.waitJS("drawing mode", `document.querySelector('.viewport').classList.contains('drawing') && !document.querySelector('.draw-hint').hidden`, 10*time.Second)
	x0, y0, x1, y1 := corners(0.2, 0.3, 0.7, 0.45)
	held := func(p *input.DispatchMouseEventParams) { p.Button, p.Buttons = input.MouseButtonLeft, 1 }
	b.do(15*time.Second,
		chromedp.MouseEvent(chromedp.MouseMoved, x0, y0),
		chromedp.MouseEvent(chromedp.MousePressed, x0, y0, held, chromedp.ClickCount(1)),
		chromedp.MouseEvent(chromedp.MouseMoved, (x0+x1)/2, (y0+y1)/2, held),
		chromedp.MouseEvent(chromedp.MouseMoved, x1, y1, held),
		chromedp.MouseEvent(chromedp.MouseReleased, x1, y1, held, chromedp.ClickCount(1)))
	want := inPage(x0, y0, x1, y1)
	b.waitJS("the drawn box, unsaved", `!!document.querySelector('.mbox.pending[data-field=org_name]') && !document.querySelector('.viewport').classList.contains('drawing')`, 10*time.Second)
	if got := b.text(row + ` .mark-row`); !strings.Contains(got, "已标注位置：第 1 页") || !strings.Contains(got, "重新标注") {
		t.Errorf("after drawing, the form says %q; want 已标注位置：第 1 页 and 重新标注", got)
	}
	b.shot("50-reviewer-mark-drawn")
	b.click(row + ` .correct-form button[type=submit]`)
	b.waitJS("the correction saved", `!!document.querySelector('.field-row[data-field=org_name] .fr-review') && !!document.querySelector('.mbox[data-field=org_name]:not(.pending)')`, 20*time.Second)
	r := saved()
	if r.Action != "correct" || r.Page != 1 {
		t.Errorf("saved review %+v; want a correction marked on page 1", r)
	}
	near("the saved box", r.BBox, want, tol)

	// ---- reloaded: the box drawn where it was dragged, labelled 人工标注 ----
	b.navigate(svc.base + "/#/")
	b.navigate(desk)
	b.waitJS("the mark after reloading", `!!document.querySelector('.mbox[data-field=org_name] .mbox-label') && !!document.querySelector('.page-img[src]')`, 30*time.Second)
	if got := b.text(`.mbox[data-field=org_name] .mbox-label`); got != "人工标注" {
		t.Errorf("the mark's label is %q; want 人工标注", got)
	}
	box := eval[rect](b, `(() => { const s = document.querySelector('.stage').getBoundingClientRect(), r = document.querySelector('.mbox[data-field=org_name]').getBoundingClientRect();
		return {left: (r.left - s.left) / s.width, top: (r.top - s.top) / s.height, width: r.width / s.width, height: r.height / s.height}; })()`)
	near("the box drawn after reloading", &[4]int{int(math.Round(box.Left * pw)), int(math.Round(box.Top * ph)),
		int(math.Round((box.Left + box.Width) * pw)), int(math.Round((box.Top + box.Height) * ph))}, want, tol+2*pw/stage().Width)
	if c := eval[string](b, `getComputedStyle(document.querySelector('.mbox[data-field=org_name]')).borderTopColor`); c == eval[string](b, `(() => { const f = document.querySelector('.fbox'); return f ? getComputedStyle(f).borderTopColor : ''; })()`) {
		t.Errorf("the mark has the colour of an extracted box (%s)", c)
	}
	if got := b.text(row + ` .fr-meta`); !strings.Contains(got, "人工标注") {
		t.Errorf("the field's row says %q; want its place as 人工标注", got)
	}
	b.shot("51-reviewer-mark-saved")

	// ---- a phone: redraw the mark with a finger ----
	b.setViewport(phone)
	b.click(row + ` button[data-action=correct]`)
	if got := b.text(row + ` .mark-row`); !strings.Contains(got, "已标注位置：第 1 页") {
		t.Errorf("correcting again, the form's mark says %q; want the saved one kept", got)
	}
	b.click(row + ` button[data-action=draw-box]`)
	b.waitJS("drawing mode on the phone, the page in sight", `document.querySelector('.viewport').classList.contains('drawing') &&
		document.querySelector('.viewport').getBoundingClientRect().top < window.innerHeight / 2`, 10*time.Second)
	tx0, ty0, tx1, ty1 := corners(0.1, 0.55, 0.5, 0.8)
	touch := func(typ input.DispatchTouchEventType, x, y float64) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			pts := []*input.TouchPoint{{X: x, Y: y}}
			if typ == input.DispatchTouchEventTypeTouchEnd {
				pts = []*input.TouchPoint{}
			}
			_, err := chromedp.Call(ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: pts})
			return err
		})
	}
	b.do(15*time.Second,
		touch(input.DispatchTouchEventTypeTouchStart, tx0, ty0),
		touch(input.DispatchTouchEventTypeTouchMove, (tx0+tx1)/2, (ty0+ty1)/2),
		touch(input.DispatchTouchEventTypeTouchMove, tx1, ty1),
		touch(input.DispatchTouchEventTypeTouchEnd, tx1, ty1))
	wantTouch := inPage(tx0, ty0, tx1, ty1)
	b.waitJS("the box drawn with a finger", `!!document.querySelector('.mbox.pending[data-field=org_name]')`, 10*time.Second)
	b.click(row + ` .correct-form button[type=submit]`)
	b.waitJS("the redrawn mark saved", `!document.querySelector('.mbox.pending') && !!document.querySelector('.mbox[data-field=org_name]')`, 20*time.Second)
	b.setViewport(desktop)
	near("the box drawn on the phone", saved().BBox, wantTouch, math.Max(3, 2*pw/stage().Width))

	// ---- the log: both marks ----
	var comments []string
	for _, e := range apiGet[struct {
		Items []struct{ Action, Comment string }
	}](b, "/applications/"+app+"/events?action=document.review_field").Items {
		comments = append(comments, e.Comment)
	}
	if len(comments) != 2 || !strings.HasPrefix(comments[0], "org_name correct 位置 第1页 [") || !strings.HasPrefix(comments[1], "org_name correct 位置 第1页 [") || comments[0] == comments[1] {
		t.Errorf("review events say %q; want two corrections of org_name, each with its box", comments)
	}
}
