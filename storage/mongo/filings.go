package mongo

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"shenbao/intake"
)

// Filings (the yearly duties of 第二十一、二十三条) are the collection "filings", _id the filing's id,
// read by year (index year_at, created by New with the other indexes).

// AddFiling stores a new filing. It returns ErrConflict if the id is used.
func (s *Store) AddFiling(ctx context.Context, f *intake.Filing) error {
	if f.ID == "" {
		return fmt.Errorf("mongo add filing: no id: %w", intake.ErrInvalid)
	}
	_, err := s.db.Collection("filings").InsertOne(ctx, filingRecordOf(f))
	return wrap(err, "add filing %s", f.ID)
}

// GetFiling returns ErrNotFound if there is no filing with that id.
func (s *Store) GetFiling(ctx context.Context, id string) (*intake.Filing, error) {
	var r filingRecord
	if err := s.db.Collection("filings").FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r); err != nil {
		return nil, wrap(err, "get filing %s", id)
	}
	return r.filing(), nil
}

// ListFilings returns the filings reporting on year, oldest first.
func (s *Store) ListFilings(ctx context.Context, year int) ([]*intake.Filing, error) {
	cur, err := s.db.Collection("filings").Find(ctx, bson.D{{Key: "year", Value: year}}, options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, wrap(err, "list filings %d", year)
	}
	var rs []filingRecord
	if err := cur.All(ctx, &rs); err != nil {
		return nil, wrap(err, "list filings %d", year)
	}
	out := make([]*intake.Filing, len(rs))
	for i, r := range rs {
		out[i] = r.filing()
	}
	return out, nil
}

type filingRecord struct {
	ID            string      `bson:"_id"`
	Kind          string      `bson:"kind"`
	Year          int         `bson:"year"`
	ApplicationID string      `bson:"application_id,omitempty"`
	Region        string      `bson:"region,omitempty"`
	FileName      string      `bson:"file_name"`
	ContentType   string      `bson:"content_type"`
	Size          int64       `bson:"size"`
	SHA256        string      `bson:"sha256"`
	BlobKey       string      `bson:"blob_key"`
	By            actorRecord `bson:"by"`
	At            time.Time   `bson:"at"`
}

func filingRecordOf(f *intake.Filing) filingRecord {
	return filingRecord{f.ID, string(f.Kind), f.Year, f.ApplicationID, f.Region, f.FileName, f.ContentType, f.Size, f.SHA256, f.BlobKey, actorRecordOf(f.By), f.At.UTC()}
}

func (r filingRecord) filing() *intake.Filing {
	return &intake.Filing{ID: r.ID, Kind: intake.FilingKind(r.Kind), Year: r.Year, ApplicationID: r.ApplicationID, Region: r.Region,
		FileName: r.FileName, ContentType: r.ContentType, Size: r.Size, SHA256: r.SHA256, BlobKey: r.BlobKey, By: r.By.actor(), At: r.At}
}
