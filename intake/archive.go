package intake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

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
//
// PackageKey is where a decided application's package is kept in the blob store, under retention.

// PackageKey is the blob key of an application's package made on a day.
func PackageKey(applicationID string, day time.Time) string {
	return "archive/" + applicationID + "/" + day.In(chinaTime).Format(time.DateOnly) + ".tar"
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
	var evs []*Event
	for off := 0; ; off += 200 {
		page, total, err := s.store.ListEvents(ctx, EventQuery{ApplicationID: a.ID, ListOptions: ListOptions{Limit: 200, Offset: off}})
		if err != nil {
			return err
		}
		evs = append(evs, page...)
		if off+len(page) >= total || len(page) == 0 {
			break
		}
	}
	slices.Reverse(evs)
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
func (s *Service) archive(ctx context.Context, a *Application) error {
	f, err := os.CreateTemp(s.cfg.TempDir, "package-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	h := sha256.New()
	if err := s.writePackage(ctx, a, io.MultiWriter(f, h)); err != nil {
		return err
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	key := PackageKey(a.ID, s.now())
	sum := hex.EncodeToString(h.Sum(nil))
	if err := s.blobs.Put(ctx, key, f, size, sum); err != nil {
		return fmt.Errorf("store package: %w", err)
	}
	if r, ok := s.blobs.(Retainer); ok {
		if err := r.Retain(ctx, key, dateOf(s.now()).AddDate(s.cfg.RetentionYears, 0, 0)); err != nil {
			return fmt.Errorf("retain package: %w", err)
		}
	}
	s.record(ctx, System, Event{Action: "application.archive", ApplicationID: a.ID, Object: key, Digest: sum})
	if _, err := s.AnchorLog(ctx); err != nil {
		return err
	}
	return nil
}

// Package opens the package of an application kept in the blob store on day (staff and auditors).
func (s *Service) Package(ctx context.Context, p Principal, applicationID string, day time.Time) (io.ReadCloser, error) {
	if _, err := s.application(ctx, p, applicationID); err != nil {
		return nil, err
	}
	if err := allowed(p, RoleStaff, RoleAuditor); err != nil {
		return nil, err
	}
	return s.blobs.Get(ctx, PackageKey(applicationID, day))
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
	if err := s.archive(ctx, a); err != nil {
		return "", err
	}
	return PackageKey(a.ID, s.now()), nil
}
