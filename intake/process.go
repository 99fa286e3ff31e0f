package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"shenbao/doc"
	"shenbao/extract"
)

// Run processes documents until ctx ends: Documents goroutines claim waiting documents from the store,
// read them, classify them and extract their fields. Their pages share Workers readers, a page at a
// time, fairly across applications (see turns). Several processes may share a store: each claim is a
// lease that the process renews while it reads (see hold), and a document whose process died is
// claimed again once its lease runs out, by any of them. With Documents negative Run reads nothing,
// and only keeps the service's housekeeping (expiries, the log's anchors, orphaned originals). It
// returns when every worker has stopped.
func (s *Service) Run(ctx context.Context) error {
	if s.cfg.Documents > 0 {
		s.log.InfoContext(ctx, "reading documents", "process", s.id, "documents", s.cfg.Documents, "lease", s.cfg.Lease.String())
	}
	var wg sync.WaitGroup
	wg.Go(func() { s.expireHourly(ctx) })
	wg.Go(func() { s.removeOrphans(ctx) })
	for i := range s.cfg.Documents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.work(ctx, i)
		}()
	}
	wg.Wait()
	return nil
}

// expireHourly moves recognitions past their three years to expired and anchors the log's head, at
// start and then every hour.
func (s *Service) expireHourly(ctx context.Context) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if n, err := s.ExpireRecognitions(ctx); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "expire recognitions", "err", err)
		} else if n > 0 {
			s.log.InfoContext(ctx, "recognitions expired", "count", n)
		}
		if a, err := s.AnchorLog(ctx); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "anchor the log", "err", err)
		} else if a != nil {
			s.log.InfoContext(ctx, "log anchored", "seq", a.Seq)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (s *Service) work(ctx context.Context, worker int) {
	tick := time.NewTicker(s.cfg.PollEvery)
	defer tick.Stop()
	for ctx.Err() == nil {
		now := s.now()
		d, err := s.store.ClaimDocument(ctx, fmt.Sprintf("%s/%d", s.id, s.claims.Add(1)), now, now.Add(s.cfg.Lease))
		if err != nil {
			if !errors.Is(err, ErrNotFound) && ctx.Err() == nil {
				s.log.WarnContext(ctx, "claim document", "worker", worker, "err", err)
			}
			select {
			case <-ctx.Done():
			case <-s.wake:
			case <-tick.C:
			}
			continue
		}
		s.process(ctx, d)
		s.poke() // there may be more
	}
}

// process reads one claimed document and records the outcome. A failure of the file itself (it cannot
// be read, or is over a page cap) fails the document at once, with a reason for the applicant. A fault
// of the service (a reader that died, timed out or ran out of memory; a store that failed a reading)
// is not the file's: the document is read again after a growing delay, ReadAttempts times in all, and
// then fails with a reason that says to try again later — never done with a verdict on the scan. A
// store that is down (its Ping fails too) takes none of those tries: the process waits until it
// answers again and then reads the document again (awaitStores), however long the outage. While it
// reads or waits, the process renews its lease on the document (hold); if it loses it, it stops and
// stores nothing more of the document, which another process is reading; if ctx ends, the document
// is put back for the next process to claim.
func (s *Service) process(ctx context.Context, d *Document) {
	start := time.Now()
	log := s.log.With("document", d.ID, "application", d.ApplicationID, "attempt", d.Attempts, "claim", d.Owner)
	log.InfoContext(ctx, "processing")
	if d.Attempts > s.cfg.MaxAttempts {
		// Claimed again and again, each time left processing until its lease ran out: the service
		// stopped while reading it (a crash, or it was killed). Not the file's fault as far as anyone
		// knows; not to loop on.
		s.fail(ctx, d, fmt.Sprintf(notReadReason, d.Attempts-1), fmt.Errorf("claimed %d times", d.Attempts))
		return
	}
	held, release := s.hold(ctx, d)
	defer release()
	var path string
	var pages []doc.Page
	var err error
	for try := 1; ; {
		d.PagesDone = 0
		path, pages, err = s.read(s.withProgress(held, d), d)
		if err == nil || held.Err() != nil || isFileError(err) {
			break
		}
		if path != "" {
			os.Remove(path)
			path = ""
		}
		if errors.Is(err, ErrUnavailable) && s.awaitStores(held, log, err) {
			// A store was down and answers again: its outage was no fault of the document's, nor of
			// a reader's, and takes none of the document's tries.
			continue
		}
		if held.Err() != nil || try >= s.cfg.ReadAttempts {
			break
		}
		wait := s.retryDelay(try)
		log.WarnContext(ctx, "document not read; reading it again later", "try", try, "wait", wait.String(), "err", err)
		select {
		case <-held.Done():
		case <-time.After(wait):
		}
		try++
	}
	if path != "" {
		defer os.Remove(path)
	}
	if ctx.Err() != nil {
		// Shutting down: put it back for the next process to claim.
		d.Status = StatusReceived
		d.UpdatedAt = s.now()
		if err := s.updateDocument(context.WithoutCancel(ctx), d); err != nil {
			log.Error("requeue on shutdown", "err", err)
		}
		return
	}
	if held.Err() != nil {
		log.WarnContext(ctx, "document dropped: its lease was lost to another process", "err", context.Cause(held))
		return
	}
	var fileErr *fileError
	switch {
	case errors.As(err, &fileErr):
		s.fail(ctx, d, fileErr.reason, err)
		return
	case err != nil:
		s.fail(ctx, d, fmt.Sprintf(notReadReason, s.cfg.ReadAttempts), err)
		return
	}
	// The applicant's name tells extraction which organisation a list (of recognised platforms, of
	// trainees' firms) is about.
	var opt extract.Options
	if a, err := s.store.GetApplication(ctx, d.ApplicationID); err == nil {
		opt = declared(a)
	}
	res, err := safeExtract(pages, opt)
	if err != nil {
		s.fail(ctx, d, "材料已读取，但提取字段时出错，请联系管理员或稍后重试。", err)
		return
	}
	if rr, ok := s.rec.(RegionReader); ok {
		res.Fields = Reread(held, rr, path, d.ContentType, pages, res.Fields)
	}
	d.Kind, d.KindConfidence, d.Fields = res.Kind, res.KindConfidence, res.Fields
	d.PageCount, d.PagesDone = len(pages), len(pages)
	d.Pages = PageSummaries(pages)
	d.Status, d.Reason = StatusDone, ""
	d.UpdatedAt = s.now()
	if err := s.saveDocument(held, d); errors.Is(err, ErrConflict) {
		log.WarnContext(ctx, "result dropped: another process holds the document now", "err", err)
		return
	} else if err != nil {
		log.ErrorContext(ctx, "save result", "err", err)
		return
	}
	log.InfoContext(ctx, "processed", "kind", d.Kind, "pages", len(pages), "fields", len(d.Fields), "seconds", time.Since(start).Seconds())
}

// maxStoreWait is the longest wait between two pings of a store that does not answer (awaitStores).
const maxStoreWait = 30 * time.Second

// awaitStores is called when a reading failed with ErrUnavailable. If the blob store or the metadata
// store does not answer its Ping, it waits for both to answer again — pinging them RetryDelay apart,
// then twice as long each time up to maxStoreWait — and returns true once they do: the caller reads
// the document again without counting the try. It returns false at once if both answer (the failure
// is counted as any other: a store that answers but fails its reads must not hold a document for
// ever), and false when ctx ends while it waits (shutdown, or the lease lost). The caller's lease is
// renewed meanwhile by its heartbeat (hold), which tries again at every beat while the database is
// down. It logs when the wait starts and when the stores are back.
func (s *Service) awaitStores(ctx context.Context, log *slog.Logger, cause error) bool {
	down := s.pingStores(ctx)
	if down == nil || ctx.Err() != nil {
		return false
	}
	log.WarnContext(ctx, "store unavailable: the document is read again when it answers, its tries not counted", "err", down, "read", cause)
	start := time.Now()
	wait := s.cfg.RetryDelay
	for {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
		}
		if s.pingStores(ctx) == nil {
			log.InfoContext(ctx, "store answers again: reading the document again", "seconds", time.Since(start).Seconds())
			return true
		}
		wait = min(2*wait, maxStoreWait)
	}
}

// pingStores returns the error of the first store that does not answer its Ping, or nil.
func (s *Service) pingStores(ctx context.Context) error {
	if err := s.blobs.Ping(ctx); err != nil {
		return fmt.Errorf("blob store: %w", err)
	}
	if err := s.store.Ping(ctx); err != nil {
		return fmt.Errorf("metadata store: %w", err)
	}
	return nil
}

// errLeaseLost ends the reading of a document whose lease another process took over.
var errLeaseLost = errors.New("lease lost")

// hold keeps this process's lease on the claimed document d while it is read: every third of the lease
// it renews it. The context it returns ends with ctx, or with errLeaseLost when the store says the
// document is no longer d's claim's (its lease ran out and another process claimed it, or staff put it
// back). A renewal the store fails (it is down) is tried again at the next beat: if the store comes
// back before the lease ends, nothing is lost. release stops the heartbeat.
func (s *Service) hold(ctx context.Context, d *Document) (held context.Context, release func()) {
	held, lose := context.WithCancelCause(ctx)
	id, owner := d.ID, d.Owner
	writing := &sync.Mutex{}
	s.writing.Store(id, writing)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		beat := time.NewTicker(max(s.cfg.Lease/3, 10*time.Millisecond))
		defer beat.Stop()
		for {
			select {
			case <-stop:
				return
			case <-held.Done():
				return
			case <-beat.C:
			}
			writing.Lock()
			err := s.store.RenewLease(held, id, owner, s.now().Add(s.cfg.Lease))
			writing.Unlock()
			switch {
			case err == nil:
			case errors.Is(err, ErrConflict), errors.Is(err, ErrNotFound):
				lose(fmt.Errorf("%w: %w", errLeaseLost, err))
				return
			case held.Err() == nil:
				s.log.WarnContext(ctx, "renew lease: trying again at the next beat", "document", id, "claim", owner, "err", err)
			}
		}
	})
	return held, func() {
		close(stop)
		wg.Wait()
		s.writing.Delete(id)
		lose(nil)
	}
}

// updateDocument stores d, a document this process reads, apart from the renewals of its lease: on
// FerretDB 1.x an update is a read and a separate write, so a renewal under way while the process
// stored the document's outcome could write back the document as it read it (processing), and the
// outcome would be lost and the document read again once the lease ran out (seen in TestScaleOut).
func (s *Service) updateDocument(ctx context.Context, d *Document) error {
	if m, ok := s.writing.Load(d.ID); ok {
		m.(*sync.Mutex).Lock()
		defer m.(*sync.Mutex).Unlock()
	}
	return s.store.UpdateDocument(ctx, d)
}

// notReadReason is what the applicant reads of a document the service failed to read (%d: readings).
const notReadReason = "暂未能识别：识别服务出现故障（不是文件本身的问题），已尝试 %d 次仍未成功，原件已妥善保存。请稍后重新上传同一文件，或请经信厅工作人员重新识别。"

// retryDelay is the wait before reading a document again after its try-th reading failed for the
// service's fault: RetryDelay, then three times as long each time.
func (s *Service) retryDelay(try int) time.Duration {
	d := s.cfg.RetryDelay
	for range try - 1 {
		d *= 3
	}
	return d
}

// fileError is a failure of the file itself (malformed, unreadable, over a page cap): retrying will
// not help. reason is for the applicant.
type fileError struct {
	reason string
	err    error
}

func (e *fileError) Error() string { return e.err.Error() }
func (e *fileError) Unwrap() error { return e.err }

func isFileError(err error) bool {
	var fe *fileError
	return errors.As(err, &fe)
}

// unreadable is the fileError of a file the reader cannot open or count.
func unreadable(err error) *fileError {
	reason := "无法读取该文件：文件可能已损坏或格式不规范，请重新扫描或导出后上传。"
	if l := strings.ToLower(err.Error()); strings.Contains(l, "encrypt") || strings.Contains(l, "password") {
		reason = "该 PDF 设有密码保护，无法读取：请去掉密码（或导出为不加密的 PDF）后重新上传。"
	}
	return &fileError{reason: reason, err: fmt.Errorf("recognize: %w", err)}
}

// read fetches the original to a temporary file (whose path it returns: the caller removes it),
// recognises its pages and stores them. A file none of whose pages can be read is a fileError; an
// error that is not a fileError is the service's (see process).
func (s *Service) read(ctx context.Context, d *Document) (string, []doc.Page, error) {
	path, err := s.fetchOriginal(ctx, d)
	if err != nil {
		return "", nil, err
	}
	var pages []doc.Page
	if pr, ok := s.rec.(PageReader); ok {
		pages, err = s.readPages(ctx, pr, d, path)
	} else {
		pages, err = s.recognize(ctx, d, path)
	}
	if err != nil {
		if ctx.Err() != nil {
			return path, nil, ctx.Err()
		}
		return path, nil, err
	}
	failed := 0
	for i := range pages {
		if e := pages[i].Error; e != "" {
			// The reader's error is for the log; people read what it means for them.
			s.log.WarnContext(ctx, "page not read", "document", d.ID, "page", pages[i].Number, "err", e)
			pages[i].Error = pageErrorMessage(e)
			failed++
		}
	}
	if failed == len(pages) {
		// Not one page: the file as a whole cannot be read (a truncated or damaged image, say).
		return path, nil, &fileError{reason: allPagesReason(pages), err: fmt.Errorf("no page of %d could be read", len(pages))}
	}
	if err := s.store.SavePages(ctx, d.ID, pages); err != nil {
		return path, nil, fmt.Errorf("save pages: %w", err)
	}
	return path, pages, nil
}

// allPagesReason is the reason a file none of whose pages could be read fails with.
func allPagesReason(pages []doc.Page) string {
	if len(pages) == 1 {
		return "无法读取该文件：" + strings.TrimPrefix(pages[0].Error, "该页无法读取：")
	}
	return fmt.Sprintf("无法读取该文件：全部 %d 页都无法识别，文件可能已损坏或格式不规范，请重新扫描或导出后上传。", len(pages))
}

// recognize reads a file with a Recognizer that reads whole files, holding one reading slot for it.
func (s *Service) recognize(ctx context.Context, d *Document, path string) ([]doc.Page, error) {
	release, err := s.turns.acquire(ctx, d.ApplicationID, d.UploadedAt.UnixNano())
	if err != nil {
		return nil, err
	}
	start := time.Now()
	pages, err := s.rec.Recognize(ctx, path, d.ContentType)
	took := time.Since(start)
	release()
	switch {
	case err != nil && (ctx.Err() != nil || temporary(err)):
		return nil, err
	case err != nil:
		return nil, unreadable(err)
	}
	s.observeRead(pages, took)
	if err := s.holdToCaps(ctx, d, len(pages)); err != nil {
		return nil, err
	}
	return pages, nil
}

// readPages counts the file's pages, holds them to the page caps and reads them, each page in its turn
// among the applications waiting (see turns), at most Workers pages of the document at once. A page
// the reader failed to read (a temporary error) stops the reading with that error: the document is
// read again later.
func (s *Service) readPages(ctx context.Context, pr PageReader, d *Document, path string) ([]doc.Page, error) {
	release, err := s.turns.acquire(ctx, d.ApplicationID, d.UploadedAt.UnixNano())
	if err != nil {
		return nil, err
	}
	n, err := pr.CountPages(ctx, path, d.ContentType)
	switch {
	case err != nil && ctx.Err() == nil && !temporary(err) && !isFileError(err):
		err = unreadable(err)
	case err == nil:
		// Over a cap (a fileError), or the metadata store's failure (the service's, not the file's).
		err = s.holdToCaps(ctx, d, n)
	}
	if err != nil {
		release()
		return nil, err
	}
	// The count's turn reads the first page too: a one-page scan waits for one turn, not two.
	first := release
	doc.ReportProgress(ctx, 0, n)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	pages := make([]doc.Page, n)
	var done atomic.Int32
	var wg sync.WaitGroup
	inFlight := make(chan struct{}, s.cfg.Workers)
	for i := range n {
		select {
		case inFlight <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			if i == 0 {
				first()
			}
			break
		}
		wg.Go(func() {
			defer func() { <-inFlight }()
			release := first
			if i > 0 {
				var err error
				if release, err = s.turns.acquire(ctx, d.ApplicationID, d.UploadedAt.UnixNano()); err != nil {
					return
				}
			}
			start := time.Now()
			pg, err := pr.ReadPage(ctx, path, d.ContentType, i+1)
			took := time.Since(start)
			release()
			switch {
			case ctx.Err() != nil:
				return
			case err != nil && temporary(err):
				cancel(err)
				return
			case err != nil:
				pg = doc.Page{Error: err.Error()}
			}
			pg.Number = i + 1
			pages[i] = pg
			s.observePage(pg, took)
			doc.ReportProgress(ctx, int(done.Add(1)), n)
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return pages, nil
}

// holdToCaps refuses a file of n pages over the page cap of a document, or that would take its
// application over the cap of an application (counting the pages of its other documents, except
// those replaced or failed); otherwise it records the count on d, so that a document of the same
// application counted next counts these pages too.
func (s *Service) holdToCaps(ctx context.Context, d *Document, n int) error {
	if n > s.cfg.MaxDocumentPages {
		return &fileError{
			reason: fmt.Sprintf("该文件共 %d 页，超过每份材料 %d 页的上限：请拆分为几个文件，或只保留申报所需的页面，再重新上传。", n, s.cfg.MaxDocumentPages),
			err:    fmt.Errorf("%d pages, over the cap of %d a document", n, s.cfg.MaxDocumentPages),
		}
	}
	s.capsMu.Lock()
	defer s.capsMu.Unlock()
	docs, err := s.store.ListDocuments(ctx, d.ApplicationID)
	if err != nil {
		return fmt.Errorf("list documents: %w", err)
	}
	if used := pagesUsed(docs, d.SHA256); used+n > s.cfg.MaxApplicationPages {
		return &fileError{
			reason: fmt.Sprintf("本申报的其他材料已有 %d 页，加上该文件的 %d 页将超过每个申报 %d 页的上限：请精简材料（例如替换为页数更少的文件）后重新上传。", used, n, s.cfg.MaxApplicationPages),
			err:    fmt.Errorf("%d pages with the application's %d, over the cap of %d an application", n, used, s.cfg.MaxApplicationPages),
		}
	}
	d.PageCount = n
	d.UpdatedAt = s.now()
	if err := s.updateDocument(ctx, d); err != nil {
		return fmt.Errorf("record page count: %w", err)
	}
	return nil
}

// pagesUsed counts the pages of an application's documents that count towards its cap: not replaced,
// not failed, and not the file whose SHA-256 is except (the one being counted or uploaded again).
func pagesUsed(docs []*Document, except string) int {
	n := 0
	for _, d := range docs {
		if d.ReplacedBy == "" && d.Status != StatusFailed && d.SHA256 != except {
			n += d.PageCount
		}
	}
	return n
}

// pageErrorMessage says in Chinese what a reader's error on a page means for the applicant, without
// the reader's internals (paths, library messages).
func pageErrorMessage(e string) string {
	l := strings.ToLower(e)
	switch {
	case strings.Contains(l, "drawing budget"):
		return "该页过于复杂（绘图指令过多或画面过大），超出单页处理的限额，无法读取：请将该页扫描或导出为图像后重新上传。"
	case strings.Contains(l, "timeout"), strings.Contains(l, "deadline"), strings.Contains(l, "timed out"):
		return "读取该页超时：页面过于复杂或服务繁忙，请稍后由工作人员重新识别。"
	case strings.Contains(l, "worker"), strings.Contains(l, "memory"), strings.Contains(l, "alloc"), strings.Contains(l, "internal"):
		return "识别服务暂时出错，该页未能读取，请稍后由工作人员重新识别；不影响已上传的原件。"
	}
	return "该页无法读取：图像可能损坏或格式不规范，请重新扫描或导出后上传。"
}

func (s *Service) fail(ctx context.Context, d *Document, reason string, err error) {
	s.log.WarnContext(ctx, "document failed", "document", d.ID, "err", err)
	s.metrics().DocumentFailed(failureCause(err))
	d.Status, d.Reason = StatusFailed, reason
	d.UpdatedAt = s.now()
	if err := s.saveDocument(ctx, d); errors.Is(err, ErrConflict) {
		s.log.WarnContext(ctx, "failure not recorded: another process holds the document now", "document", d.ID, "err", err)
	} else if err != nil {
		s.log.ErrorContext(ctx, "record failure", "document", d.ID, "err", err)
	}
}

// saveDocument stores a document's outcome. While the metadata store does not answer (ErrUnavailable)
// it tries again, every few seconds, until it does or ctx ends: an outcome is not dropped, leaving the
// document processing for good, because the database was down when it came.
func (s *Service) saveDocument(ctx context.Context, d *Document) error {
	wait := 100 * time.Millisecond
	for {
		err := s.updateDocument(context.WithoutCancel(ctx), d)
		if !errors.Is(err, ErrUnavailable) {
			return err
		}
		s.log.WarnContext(ctx, "metadata store unavailable: the document's outcome is saved when it answers", "document", d.ID, "err", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// PageSummaries keeps of each read page what the lists and the checklist need.
func PageSummaries(pages []doc.Page) []PageSummary {
	out := make([]PageSummary, len(pages))
	for i, p := range pages {
		seals := len(p.Seals)
		if p.SealUnknown && seals == 0 {
			seals = -1
		}
		out[i] = PageSummary{Number: p.Number, Blank: p.Blank, Illegible: p.Illegible, Seals: seals, Error: p.Error}
	}
	return out
}

// withProgress returns a context whose readers record on d how many pages they have read, so that
// people watching a long document see it advance. Updates are serialised and only move forward.
func (s *Service) withProgress(ctx context.Context, d *Document) context.Context {
	var mu sync.Mutex
	return doc.WithProgress(ctx, func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if done <= d.PagesDone && total == d.PageCount {
			return
		}
		d.PagesDone, d.PageCount = done, total
		d.UpdatedAt = s.now()
		if err := s.updateDocument(ctx, d); err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "record progress", "document", d.ID, "err", err)
		}
	})
}

// safeExtract runs extraction, turning a panic (a bug in a rule met by an unforeseen page) into an
// error with its stack, so that one document cannot take the service down.
func safeExtract(pages []doc.Page, opt extract.Options) (res extract.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("extract: panic: %v\n%s", r, debug.Stack())
		}
	}()
	return extract.ExtractWith(pages, opt), nil
}
