package intake

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"shenbao/doc"
	"shenbao/extract"
)

// Run processes documents until ctx ends: Workers goroutines take received documents from the store
// (so the queue survives a restart: documents left processing by a crash are requeued first), read
// them, classify them and extract their fields. It returns when every worker has stopped.
func (s *Service) Run(ctx context.Context) error {
	n, err := s.store.RequeueProcessing(ctx)
	if err != nil {
		return fmt.Errorf("requeue: %w", err)
	}
	if n > 0 {
		s.log.InfoContext(ctx, "requeued documents left processing", "count", n)
	}
	var wg sync.WaitGroup
	wg.Go(func() { s.expireHourly(ctx) })
	for i := range s.cfg.Workers {
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
		d, err := s.store.ClaimDocument(ctx)
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

// process reads one claimed document and records the outcome. A failure of the file itself fails the
// document at once; a failure of the stores leaves it for another attempt, up to MaxAttempts.
func (s *Service) process(ctx context.Context, d *Document) {
	start := time.Now()
	log := s.log.With("document", d.ID, "application", d.ApplicationID, "attempt", d.Attempts)
	log.InfoContext(ctx, "processing")
	path, pages, err := s.read(s.withProgress(ctx, d), d)
	if path != "" {
		defer os.Remove(path)
	}
	if ctx.Err() != nil {
		// Shutting down: put it back for the next start.
		d.Status = StatusReceived
		d.UpdatedAt = s.now()
		if err := s.store.UpdateDocument(context.WithoutCancel(ctx), d); err != nil {
			log.Error("requeue on shutdown", "err", err)
		}
		return
	}
	var fileErr *fileError
	switch {
	case errors.As(err, &fileErr):
		s.fail(ctx, d, fileErr.reason, err)
		return
	case err != nil:
		if d.Attempts >= s.cfg.MaxAttempts {
			s.fail(ctx, d, "处理失败：多次重试后仍无法读取该文件，请联系管理员。", err)
			return
		}
		log.WarnContext(ctx, "processing failed; will retry", "err", err)
		d.Status = StatusReceived
		d.UpdatedAt = s.now()
		if err := s.store.UpdateDocument(ctx, d); err != nil {
			log.ErrorContext(ctx, "requeue", "err", err)
		}
		return
	}
	// The applicant's name tells extraction which organisation a list (of recognised platforms, of
	// trainees' firms) is about.
	var opt extract.Options
	if a, err := s.store.GetApplication(ctx, d.ApplicationID); err == nil {
		opt.Applicant = []string{a.OrgName}
	}
	res, err := safeExtract(pages, opt)
	if err != nil {
		s.fail(ctx, d, "材料已读取，但提取字段时出错，请联系管理员或稍后重试。", err)
		return
	}
	if rr, ok := s.rec.(RegionReader); ok {
		res.Fields = Reread(ctx, rr, path, d.ContentType, pages, res.Fields)
	}
	d.Kind, d.KindConfidence, d.Fields = res.Kind, res.KindConfidence, res.Fields
	d.PageCount, d.PagesDone = len(pages), len(pages)
	d.Pages = PageSummaries(pages)
	d.Status, d.Reason = StatusDone, ""
	d.UpdatedAt = s.now()
	if err := s.store.UpdateDocument(ctx, d); err != nil {
		log.ErrorContext(ctx, "save result", "err", err)
		return
	}
	log.InfoContext(ctx, "processed", "kind", d.Kind, "pages", len(pages), "fields", len(d.Fields), "seconds", time.Since(start).Seconds())
}

// fileError is a failure of the file itself (malformed, unreadable): retrying will not help.
type fileError struct {
	reason string
	err    error
}

func (e *fileError) Error() string { return e.err.Error() }
func (e *fileError) Unwrap() error { return e.err }

// read fetches the original to a temporary file (whose path it returns: the caller removes it),
// recognises its pages and stores them.
func (s *Service) read(ctx context.Context, d *Document) (string, []doc.Page, error) {
	path, err := s.fetchOriginal(ctx, d)
	if err != nil {
		return "", nil, err
	}
	pages, err := s.rec.Recognize(ctx, path, d.ContentType)
	if err != nil {
		if ctx.Err() != nil {
			return path, nil, ctx.Err()
		}
		reason := "无法读取该文件：文件可能已损坏或格式不规范，请重新扫描或导出后上传。"
		if l := strings.ToLower(err.Error()); strings.Contains(l, "encrypt") || strings.Contains(l, "password") {
			reason = "该 PDF 设有密码保护，无法读取：请去掉密码（或导出为不加密的 PDF）后重新上传。"
		}
		return path, nil, &fileError{reason: reason, err: fmt.Errorf("recognize: %w", err)}
	}
	for i := range pages {
		if e := pages[i].Error; e != "" {
			// The reader's error is for the log; people read what it means for them.
			s.log.WarnContext(ctx, "page not read", "document", d.ID, "page", pages[i].Number, "err", e)
			pages[i].Error = pageErrorMessage(e)
		}
	}
	if err := s.store.SavePages(ctx, d.ID, pages); err != nil {
		return path, nil, fmt.Errorf("save pages: %w", err)
	}
	return path, pages, nil
}

// pageErrorMessage says in Chinese what a reader's error on a page means for the applicant, without
// the reader's internals (paths, library messages).
func pageErrorMessage(e string) string {
	l := strings.ToLower(e)
	switch {
	case strings.Contains(l, "timeout"), strings.Contains(l, "deadline"), strings.Contains(l, "timed out"):
		return "读取该页超时：页面过于复杂或服务繁忙，请稍后由工作人员重新识别。"
	case strings.Contains(l, "worker"), strings.Contains(l, "memory"), strings.Contains(l, "alloc"), strings.Contains(l, "internal"):
		return "识别服务暂时出错，该页未能读取，请稍后由工作人员重新识别；不影响已上传的原件。"
	}
	return "该页无法读取：图像可能损坏或格式不规范，请重新扫描或导出后上传。"
}

func (s *Service) fail(ctx context.Context, d *Document, reason string, err error) {
	s.log.WarnContext(ctx, "document failed", "document", d.ID, "err", err)
	d.Status, d.Reason = StatusFailed, reason
	d.UpdatedAt = s.now()
	if err := s.store.UpdateDocument(context.WithoutCancel(ctx), d); err != nil {
		s.log.ErrorContext(ctx, "record failure", "document", d.ID, "err", err)
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
		if err := s.store.UpdateDocument(ctx, d); err != nil && ctx.Err() == nil {
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
