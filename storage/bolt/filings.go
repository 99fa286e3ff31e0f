package bolt

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bbolt "go.etcd.io/bbolt"

	"shenbao/intake"
)

// Filings (the yearly duties of 第二十一、二十三条) live in two buckets, made on the first filing:
//
//	filings        id                               → filing record
//	filings_year   u32(year) T(at) id               → id     ListFilings, oldest first
var (
	bucketFilings     = []byte("filings")
	bucketFilingsYear = []byte("filings_year")
)

// AddFiling stores a new filing. It returns ErrConflict if the id is used.
func (s *Store) AddFiling(ctx context.Context, f *intake.Filing) error {
	if err := checkID("filing", f.ID); err != nil {
		return err
	}
	b, err := json.Marshal(filingRecordOf(f))
	if err != nil {
		return err
	}
	return s.update(ctx, "add filing "+f.ID, func(tx *bbolt.Tx) error {
		byID, err := tx.CreateBucketIfNotExists(bucketFilings)
		if err != nil {
			return err
		}
		byYear, err := tx.CreateBucketIfNotExists(bucketFilingsYear)
		if err != nil {
			return err
		}
		if byID.Get([]byte(f.ID)) != nil {
			return fmt.Errorf("filing id is used: %w", intake.ErrConflict)
		}
		if err := byID.Put([]byte(f.ID), b); err != nil {
			return err
		}
		return byYear.Put(filingYearKey(f), []byte(f.ID))
	})
}

// GetFiling returns ErrNotFound if there is no filing with that id.
func (s *Store) GetFiling(ctx context.Context, id string) (*intake.Filing, error) {
	var f *intake.Filing
	err := s.view(ctx, "get filing "+id, func(tx *bbolt.Tx) (err error) {
		f, err = getFiling(tx, []byte(id))
		return err
	})
	return f, err
}

// ListFilings returns the filings reporting on year, oldest first.
func (s *Store) ListFilings(ctx context.Context, year int) ([]*intake.Filing, error) {
	var out []*intake.Filing
	err := s.view(ctx, fmt.Sprintf("list filings %d", year), func(tx *bbolt.Tx) error {
		byYear := tx.Bucket(bucketFilingsYear)
		if byYear == nil {
			return nil
		}
		pre := yearKey(year)
		c := byYear.Cursor()
		for k, id := c.Seek(pre); k != nil && len(k) >= 4 && string(k[:4]) == string(pre); k, id = c.Next() {
			f, err := getFiling(tx, id)
			if err != nil {
				return err
			}
			out = append(out, f)
		}
		return nil
	})
	return out, err
}

func getFiling(tx *bbolt.Tx, id []byte) (*intake.Filing, error) {
	b := tx.Bucket(bucketFilings)
	if b == nil {
		return nil, intake.ErrNotFound
	}
	v := b.Get(id)
	if v == nil {
		return nil, intake.ErrNotFound
	}
	var r filingRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("decode filing %s: %w", id, err)
	}
	return r.filing(), nil
}

func filingYearKey(f *intake.Filing) []byte {
	k := binary.BigEndian.AppendUint32(nil, uint32(f.Year))
	return append(k, timeKey(f.At)+f.ID...)
}

type filingRecord struct {
	ID            string      `json:"id"`
	Kind          string      `json:"kind"`
	Year          int         `json:"year"`
	ApplicationID string      `json:"application_id,omitempty"`
	Region        string      `json:"region,omitempty"`
	FileName      string      `json:"file_name"`
	ContentType   string      `json:"content_type"`
	Size          int64       `json:"size"`
	SHA256        string      `json:"sha256"`
	BlobKey       string      `json:"blob_key"`
	By            actorRecord `json:"by"`
	At            time.Time   `json:"at"`
}

func filingRecordOf(f *intake.Filing) filingRecord {
	return filingRecord{f.ID, string(f.Kind), f.Year, f.ApplicationID, f.Region, f.FileName, f.ContentType, f.Size, f.SHA256, f.BlobKey, actorRecordOf(f.By), f.At}
}

func (r filingRecord) filing() *intake.Filing {
	return &intake.Filing{ID: r.ID, Kind: intake.FilingKind(r.Kind), Year: r.Year, ApplicationID: r.ApplicationID, Region: r.Region,
		FileName: r.FileName, ContentType: r.ContentType, Size: r.Size, SHA256: r.SHA256, BlobKey: r.BlobKey, By: r.By.actor(), At: r.At.UTC()}
}
