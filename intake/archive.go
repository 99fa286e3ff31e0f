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
	"strings"
	"time"

	"shenbao/checklist"
	"shenbao/doc"
	"shenbao/internal/bagit"
)

// The archive package of an application is a BagIt bag (RFC 8493) in a tar stream, named after the
// application:
//
//	app_…/bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt
//	app_…/data/originals/NN-<第十七条 item>-<file name>   every original as uploaded (replaced ones too)
//	app_…/data/records/application.json                 the application and its cycle
//	app_…/data/records/documents.json                   each document: kind, fields, reviews, pages
//	app_…/data/records/checklist.json                   the checklist as of the submission date
//	app_…/data/records/events.json                      the application's events, oldest first
//	app_…/data/汇编.pdf                                  the 材料汇编, when a Compiler is configured
//
// PackageKey names where packages are kept in the blob store, under retention.

// PackageKey is the blob key of the n-th package of an application made on a day (n from 1):
// archive/<application>/<YYYY-MM-DD>.tar, then <YYYY-MM-DD>-2.tar, …
func PackageKey(applicationID string, day time.Time, n int) string {
	k := "archive/" + applicationID + "/" + day.In(chinaTime).Format(time.DateOnly)
	if n > 1 {
		k += fmt.Sprintf("-%d", n)
	}
	return k + ".tar"
}

// WritePackage writes the archive package of an application to w (staff and auditors).
func (s *Service) WritePackage(ctx context.Context, p Principal, applicationID string, w io.Writer) error {
	a, err := s.application(ctx, p, applicationID)
	if err != nil {
		return err
	}
	if err := allowed(p, RoleStaff, RoleAuditor); err != nil {
		return err
	}
	return s.writePackage(ctx, a, w)
}

func (s *Service) writePackage(ctx context.Context, a *Application, w io.Writer) error {
	docs, err := s.store.ListDocuments(ctx, a.ID)
	if err != nil {
		return err
	}
	evs, err := s.allEvents(ctx, a.ID)
	if err != nil {
		return err
	}
	now := s.now()
	bag := bagit.NewWriter(w, a.ID, []bagit.Tag{
		{Label: "Source-Organization", Value: "西藏自治区经济和信息化厅（Shenbao 申报材料系统）"},
		{Label: "External-Identifier", Value: a.ID},
		{Label: "External-Description", Value: fmt.Sprintf("%s %d 年度西藏自治区中小企业公共服务示范平台申报材料，状态：%s", a.OrgName, a.Year, a.State.Label())},
		{Label: "Bagging-Date", Value: now.In(chinaTime).Format(time.DateOnly)},
	})
	items := map[string]int{}
	for _, k := range doc.Kinds {
		items[k.Name] = k.Item
	}
	for i, d := range docs {
		rc, err := s.blobs.Get(ctx, d.BlobKey)
		if err != nil {
			return fmt.Errorf("package %s: original of %s: %w", a.ID, d.ID, err)
		}
		name := fmt.Sprintf("originals/%02d-%d-%s", i+1, items[d.EffectiveKind()], d.FileName)
		if d.ReplacedBy != "" {
			name = fmt.Sprintf("originals/replaced/%02d-%s", i+1, d.FileName)
		}
		err = bag.Add(name, d.Size, d.UploadedAt, rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("package %s: %w", a.ID, err)
		}
	}
	if s.cfg.Compiler != nil {
		if err := s.addCompilation(ctx, bag, a, now); err != nil {
			return fmt.Errorf("package %s: 汇编: %w", a.ID, err)
		}
	}
	report := Evaluate(a, docs, now)
	for _, rec := range []struct {
		name string
		v    any
	}{{"application.json", a}, {"documents.json", docs}, {"checklist.json", report}, {"events.json", evs}} {
		b, err := json.MarshalIndent(rec.v, "", "  ")
		if err != nil {
			return fmt.Errorf("package %s: %s: %w", a.ID, rec.name, err)
		}
		if err := bag.Add("records/"+rec.name, int64(len(b)), now, bytes.NewReader(b)); err != nil {
			return fmt.Errorf("package %s: %w", a.ID, err)
		}
	}
	return bag.Close()
}

// archive writes a decided application's package to the blob store (under retention where it can)
// and records it. The package is written to a temporary file first: the store needs its size and
// SHA-256 before it takes it.
func (s *Service) archive(ctx context.Context, a *Application) (string, error) {
	f, err := os.CreateTemp(s.cfg.TempDir, "package-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	h := sha256.New()
	if err := s.writePackage(ctx, a, io.MultiWriter(f, h)); err != nil {
		return "", err
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	key := ""
	for n := 1; key == ""; n++ { // objects are never rewritten: the day's next free key
		k := PackageKey(a.ID, s.now(), n)
		if _, err := s.blobs.Stat(ctx, k); errors.Is(err, ErrNotFound) {
			key = k
		} else if err != nil {
			return "", err
		}
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if err := s.blobs.Put(ctx, key, f, size, sum); err != nil {
		return "", fmt.Errorf("store package: %w", err)
	}
	if r, ok := s.blobs.(Retainer); ok {
		if err := r.Retain(ctx, key, dateOf(s.now()).AddDate(s.cfg.RetentionYears, 0, 0)); err != nil {
			return "", fmt.Errorf("retain package: %w", err)
		}
	}
	s.record(ctx, System, Event{Action: "application.archive", ApplicationID: a.ID, Object: key, Digest: sum})
	if _, err := s.AnchorLog(ctx); err != nil {
		return "", err
	}
	return key, nil
}

// Package opens a package of an application kept in the blob store (staff and auditors): the one
// under key if set (it must be one of the application's), else the last one made on day.
func (s *Service) Package(ctx context.Context, p Principal, applicationID, key string, day time.Time) (io.ReadCloser, error) {
	if _, err := s.application(ctx, p, applicationID); err != nil {
		return nil, err
	}
	if err := allowed(p, RoleStaff, RoleAuditor); err != nil {
		return nil, err
	}
	if key != "" {
		if !strings.HasPrefix(key, "archive/"+applicationID+"/") || strings.Contains(key, "..") {
			return nil, &Error{Code: "not_found", Message: "未找到该档案包。", Err: ErrNotFound}
		}
		return s.blobs.Get(ctx, key)
	}
	last := ""
	for n := 1; ; n++ {
		k := PackageKey(applicationID, day, n)
		if _, err := s.blobs.Stat(ctx, k); err != nil {
			break
		}
		last = k
	}
	if last == "" {
		return nil, &Error{Code: "not_found", Message: "该日没有归档的档案包。", Err: ErrNotFound}
	}
	return s.blobs.Get(ctx, last)
}

// Archive writes the application's package to the blob store now, on staff's demand (a decided
// application is archived when it is decided), and returns its key.
func (s *Service) Archive(ctx context.Context, p Principal, applicationID string) (string, error) {
	a, err := s.application(ctx, p, applicationID)
	if err != nil {
		return "", err
	}
	if err := allowed(p, RoleStaff); err != nil {
		return "", err
	}
	return s.archive(ctx, a)
}

// Compiler makes the 材料汇编: one PDF of an application's materials in 第十七条 order, with a cover
// (package compile, wired in main).
type Compiler interface {
	Compile(ctx context.Context, w io.Writer, a *Application, report checklist.Report, docs []*Document, open func(*Document) (io.ReadCloser, error)) error
}

// WriteCompilation writes the application's 材料汇编 to w (everyone who may see the application).
func (s *Service) WriteCompilation(ctx context.Context, p Principal, applicationID string, w io.Writer) error {
	a, err := s.application(ctx, p, applicationID)
	if err != nil {
		return err
	}
	if s.cfg.Compiler == nil {
		return &Error{Code: "no_compiler", Message: "未配置材料汇编功能。", Err: ErrUnsupported}
	}
	return s.compile(ctx, a, w)
}

func (s *Service) compile(ctx context.Context, a *Application, w io.Writer) error {
	docs, err := s.store.ListDocuments(ctx, a.ID)
	if err != nil {
		return err
	}
	var current []*Document
	for _, d := range docs {
		if d.ReplacedBy == "" && d.Status == StatusDone {
			current = append(current, d)
		}
	}
	open := func(d *Document) (io.ReadCloser, error) { return s.blobs.Get(ctx, d.BlobKey) }
	return s.cfg.Compiler.Compile(ctx, w, a, Evaluate(a, docs, s.now()), current, open)
}

// addCompilation puts the 材料汇编 in the bag as data/汇编.pdf, made in a temporary file first (the
// bag needs its size).
func (s *Service) addCompilation(ctx context.Context, bag *bagit.Writer, a *Application, now time.Time) error {
	f, err := os.CreateTemp(s.cfg.TempDir, "compilation-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := s.compile(ctx, a, f); err != nil {
		return err
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return bag.Add("汇编.pdf", size, now, f)
}
