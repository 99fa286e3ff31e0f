package intake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"shenbao/internal/bagit"
)

// The log is a hash chain (EventHash): each event holds the hash of the one before. A rewrite of the
// metadata store can recompute the whole chain, so its head is also written, once a day, as an
// object of the blob store (AnchorKey), whose objects are never rewritten (and kept under retention on
// MinIO): verify checks the chain against every anchor it finds.

// AnchorKey is the blob key of the log's anchored head of a day: "audit/heads/2026-12-02.json".
func AnchorKey(day time.Time) string {
	return "audit/heads/" + day.In(chinaTime).Format(time.DateOnly) + ".json"
}

// Anchor is an anchored head of the log.
type Anchor struct {
	Seq  int64     `json:"seq"`
	Hash string    `json:"hash"`
	At   time.Time `json:"at"`
}

// AnchorLog writes the log's current head as today's anchor, if today has none yet, and returns it.
// Run calls it hourly; archiving calls it too.
func (s *Service) AnchorLog(ctx context.Context) (*Anchor, error) {
	evs, _, err := s.store.ListEvents(ctx, EventQuery{ListOptions: ListOptions{Limit: 1}})
	if err != nil || len(evs) == 0 {
		return nil, err
	}
	a := &Anchor{Seq: evs[0].Seq, Hash: evs[0].Hash, At: s.now().UTC()}
	b, _ := json.Marshal(a)
	sum := sha256.Sum256(b)
	key := AnchorKey(s.now())
	if _, err := s.blobs.Stat(ctx, key); err == nil {
		return nil, nil // today's head is anchored already; objects are never rewritten
	}
	if err := s.blobs.Put(ctx, key, bytes.NewReader(b), int64(len(b)), hex.EncodeToString(sum[:])); err != nil {
		return nil, fmt.Errorf("anchor the log: %w", err)
	}
	if r, ok := s.blobs.(Retainer); ok {
		if err := r.Retain(ctx, key, s.now().AddDate(s.cfg.RetentionYears, 0, 0)); err != nil {
			return nil, fmt.Errorf("retain the anchor: %w", err)
		}
	}
	return a, nil
}

// Finding is one check of Verify: what was checked, of which object, and what was wrong ("" if
// nothing).
type Finding struct {
	// Check is one of: "chain" (the log's numbering, hashes and links), "anchor" (an anchored head),
	// "state" (an application's state against its last recorded transition), "original" (an
	// original's SHA-256), "usability" (an original's first page drawn), "package" (an archive
	// package: there, unchanged, a valid bag), "compilation" (a package's 汇编 against pdfcpu's
	// validation), "retention" and "store" (the blob store's protection).
	Check string
	// Object is an event's number, an anchor's key, an application's or a document's id, a package's
	// key, or a package's key and the 汇编's path in it ("archive/…/2026-12-02.tar:data/汇编.pdf").
	Object  string
	Problem string // in Chinese; "" when the check passed
}

// VerifyReport is what Verify found.
type VerifyReport struct {
	Events, Anchors, Originals, Packages int
	Rendered                             int // originals whose first page was drawn (可用性)
	Compilations                         int // 汇编 of packages checked with pdfcpu
	Failures                             []Finding
	Notes                                []string // what could not be checked, and why
}

// OK reports whether every check passed.
func (r *VerifyReport) OK() bool { return len(r.Failures) == 0 }

func (r *VerifyReport) fail(check, object, format string, args ...any) {
	r.Failures = append(r.Failures, Finding{check, object, fmt.Sprintf(format, args...)})
}

// VerifyLog checks the log alone (staff and auditors): its chain and its anchored heads, what the
// log's view shows as the chain's status. It reads no original and no package.
func (s *Service) VerifyLog(ctx context.Context, p Principal) (*VerifyReport, error) {
	r, _, err := s.verifyLog(ctx, p)
	return r, err
}

// verifyLog checks the log's chain and anchors, and returns the whole log too, oldest first.
func (s *Service) verifyLog(ctx context.Context, p Principal) (*VerifyReport, []*Event, error) {
	if p.Role != RoleStaff && p.Role != RoleAuditor {
		return nil, nil, forbidden("只有经信厅工作人员和审计人员可以核验档案。")
	}
	r := &VerifyReport{}
	evs, err := s.allEvents(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	r.Events = len(evs)
	bySeq := map[int64]*Event{}
	prev := ""
	for i, e := range evs {
		bySeq[e.Seq] = e
		if want := int64(i + 1); e.Seq != want {
			r.fail("chain", fmt.Sprint(want), "第 %d 条操作记录缺失（其后一条为第 %d 条）", want, e.Seq)
			prev = e.Prev // go on from here
		}
		if e.Hash != EventHash(e) {
			r.fail("chain", fmt.Sprint(e.Seq), "第 %d 条操作记录被改动：其内容的哈希与记录的哈希不符", e.Seq)
		}
		if e.Prev != prev {
			r.fail("chain", fmt.Sprint(e.Seq), "第 %d 条操作记录与第 %d 条不相链接", e.Seq, e.Seq-1)
		}
		prev = e.Hash
	}
	// The anchors: one per day from the first event's day to today.
	if len(evs) > 0 {
		for d := dateOf(evs[0].At); !d.After(dateOf(s.now())); d = d.AddDate(0, 0, 1) {
			key := AnchorKey(d)
			rc, err := s.blobs.Get(ctx, key)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			var a Anchor
			err = json.NewDecoder(io.LimitReader(rc, 4096)).Decode(&a)
			rc.Close()
			r.Anchors++
			switch e := bySeq[a.Seq]; {
			case err != nil:
				r.fail("anchor", key, "锚定记录无法读取：%v", err)
			case e == nil:
				r.fail("anchor", key, "锚定的是第 %d 条操作记录，而操作记录中已没有这一条", a.Seq)
			case e.Hash != a.Hash:
				r.fail("anchor", key, "锚定的第 %d 条操作记录哈希不同：%s 之后操作记录被改写", a.Seq, a.At.In(chinaTime).Format(time.DateTime))
			}
		}
	}
	return r, evs, nil
}

// Verify checks the archive (staff and auditors): the log (VerifyLog); the archive packages (each
// there, with the SHA-256 its event holds, a valid bag, and its 汇编 a valid PDF); the blob store's
// protection; and, of every application (or of one, when applicationID is set), its state against
// its last recorded transition, each original against its SHA-256 and, if it was read at upload, its
// first page drawn; and the retention of a decided application's originals.
func (s *Service) Verify(ctx context.Context, p Principal, applicationID string) (*VerifyReport, error) {
	r, evs, err := s.verifyLog(ctx, p)
	if err != nil {
		return nil, err
	}
	lastTo := map[string]*Event{} // an application's last event that says which state it led to
	for _, e := range evs {
		if e.ApplicationID != "" && e.To != "" {
			lastTo[e.ApplicationID] = e
		}
		if e.Action != "application.archive" || (applicationID != "" && e.ApplicationID != applicationID) {
			continue
		}
		r.Packages++
		if err := s.checkPackage(ctx, r, e.Object, e.Digest); err != nil {
			return nil, err
		}
	}
	if a, ok := s.blobs.(StoreAuditor); ok {
		for _, p := range a.AuditStore(ctx) {
			r.fail("store", "blobs", "%s", p)
		}
	}
	if _, ok := s.blobs.(Retainer); !ok {
		r.Notes = append(r.Notes, "存储为本地磁盘，不设保存期限：原件为只读文件，本机管理员仍可改动；SHA-256 核验会发现改动。")
	}
	// The applications: of one, or of all.
	var apps []*Application
	if applicationID != "" {
		a, err := s.application(ctx, p, applicationID)
		if err != nil {
			return nil, err
		}
		apps = []*Application{a}
	} else if apps, err = s.allApplications(ctx, ApplicationQuery{}, 0); err != nil {
		return nil, err
	}
	render, _ := s.rec.(PageRenderer)
	var failedAtUpload, unread []string
	for _, a := range apps {
		if e := lastTo[a.ID]; e != nil && e.To != a.State {
			r.fail("state", a.ID, "申报状态为“%s”，而最后一条流转记录（第 %d 条，%s）为“%s”：状态的改变没有记录，或记录的改变没有保存", a.State.Label(), e.Seq, e.Action, e.To.Label())
		}
		docs, err := s.store.ListDocuments(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			r.Originals++
			if ret, ok := s.blobs.(Retainer); ok && (decided(a.State) || a.State == StateRevoked || a.State == StateExpired) {
				until, _, err := ret.Retention(ctx, d.BlobKey)
				if err != nil {
					r.fail("retention", d.ID, "无法读取保存期限：%v", err)
				} else if !until.After(s.now()) {
					r.fail("retention", d.ID, "%s（%s，已有认定结果）未设保存期限", d.FileName, a.ID)
				}
			}
			rd := render
			switch d.Status {
			case StatusDone:
			case StatusFailed:
				rd, failedAtUpload = nil, append(failedAtUpload, d.ID)
			default:
				rd, unread = nil, append(unread, d.ID)
			}
			check, problem, err := s.verifyOriginal(ctx, d, rd)
			if err != nil {
				r.fail("original", d.ID, "无法读取：%v", err)
			} else if problem != "" {
				r.fail(check, d.ID, "%s（%s）%s", d.FileName, a.ID, problem)
			} else if rd != nil {
				r.Rendered++
			}
		}
	}
	r.Notes = append(r.Notes, usabilityNotes(render != nil, failedAtUpload, unread)...)
	return r, nil
}

// checkPackage checks the package under key: there, with the SHA-256 sum its archive event holds, a
// valid bag, and its 汇编 (if it has one) valid for pdfcpu. What is wrong goes into r; the error is
// one of the stores.
func (s *Service) checkPackage(ctx context.Context, r *VerifyReport, key, sum string) error {
	rc, err := s.blobs.Get(ctx, key)
	if errors.Is(err, ErrNotFound) {
		r.fail("package", key, "归档包缺失：存储中没有该对象")
		return nil
	}
	if err != nil {
		return fmt.Errorf("open package %s: %w", key, err)
	}
	defer rc.Close()
	pv, _ := s.cfg.Compiler.(PDFValidator)
	var visit func(string, int64, io.Reader) error
	var pdf string
	if pv != nil {
		visit = s.visitCompilation(&pdf)
	}
	defer func() {
		if pdf != "" {
			os.Remove(pdf)
		}
	}()
	h := sha256.New()
	rep, err := bagit.ValidateVisit(io.TeeReader(rc, h), visit)
	if err != nil {
		r.fail("package", key, "无法读取：%v", err)
		return nil
	}
	io.Copy(h, rc)
	switch {
	case hex.EncodeToString(h.Sum(nil)) != sum:
		r.fail("package", key, "与归档时不同：SHA-256 已改变")
	case !rep.Valid():
		r.fail("package", key, "不是有效的 BagIt 包：%v", rep.Problems)
	}
	switch {
	case pv == nil:
		r.Notes = appendOnce(r.Notes, "本进程没有 PDF 校验程序，未检查归档包中的材料汇编。")
	case pdf != "":
		r.Compilations++
		if err := pv.ValidatePDF(ctx, pdf); err != nil {
			r.fail("compilation", key+":"+CompilationPath, "材料汇编未通过 pdfcpu 校验：%v", err)
		}
	}
	return nil
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
