package uitest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestStaffReadsAgain: a document that failed (a truncated scan) shows staff, and only staff, a
// 重新识别 button on the reviewer desk; pressing it queues the document again (document.reread in the
// log) and the desk waits for the new reading and shows its outcome.
func TestStaffReadsAgain(t *testing.T) {
	requireChromium(t)
	svc := startService(t, time.Date(2026, 9, 10, 9, 30, 0, 0, cst))
	b := newBrowser(t)
	defer b.checkErrors()

	photo, err := os.ReadFile(filepath.Join("..", "testdata", "documents", "IMG_lease_photo.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(t.TempDir(), "租赁合同.jpg")
	if err := os.WriteFile(truncated, photo[:len(photo)/3], 0o644); err != nil {
		t.Fatal(err)
	}
	b.navigate(svc.base + "/#/")
	b.login(applicant)
	app := eval[string](b, `SB.api.post('/applications', {org_name: '西藏天路检验检测技术有限公司', region: '拉萨市', year: 2026}).then(a => a.id)`)
	b.navigate(svc.base + "/#/apps/" + app)
	b.waitJS("the drop zone", `!!document.querySelector('#dropzone')`, 20*time.Second)
	b.dropFiles("#dropzone", truncated)
	docID := ""
	b.waitJS("the document failed", fmt.Sprintf(`fetch('/api/v1/applications/%s/documents').then(r => r.json()).then(j => j.items.length === 1 && j.items[0].status === 'failed')`, app), 60*time.Second)
	docID = eval[string](b, fmt.Sprintf(`fetch('/api/v1/applications/%s/documents').then(r => r.json()).then(j => j.items[0].id)`, app))

	b.navigate(svc.base + "/#/docs/" + docID)
	b.waitJS("the applicant's desk", `!!document.querySelector('.rv-status .alert-error')`, 20*time.Second)
	if b.exists(`button[data-action=reread]`) {
		t.Error("the applicant is offered 重新识别; want it for staff only")
	}

	b.as(staff)
	b.navigate(svc.base + "/#/docs/" + docID)
	b.waitJS("the 重新识别 button", `!!document.querySelector('button[data-action=reread]')`, 20*time.Second)
	b.click(`button[data-action=reread]`)
	b.waitJS("document.reread in the log", fmt.Sprintf(`fetch('/api/v1/applications/%s/events').then(r => r.json()).then(j => j.items.some(e => e.action === 'document.reread' && e.object === %q))`, app, docID), 20*time.Second)
	// the desk is drawn again while the document is queued and read: wait for the new outcome's
	// reason itself, not for the old one still on the page
	b.waitJS("the new reading's outcome with the file's reason (无法读取该文件)",
		`(document.querySelector('.rv-status .alert-error')?.textContent || '').includes('无法读取该文件') && !!document.querySelector('button[data-action=reread]')`, 60*time.Second)
}
