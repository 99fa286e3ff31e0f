package bolt

import (
	"errors"
	"path/filepath"
	"testing"

	"shenbao/intake"
	"shenbao/storage/storagetest"
)

func open(t *testing.T, path string) *Store {
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close(t.Context()) })
	return s
}

func TestStore(t *testing.T) {
	storagetest.TestStore(t, func(t *testing.T) intake.Store {
		return open(t, filepath.Join(t.TempDir(), "shenbao.db"))
	})
}

// TestReopen checks what is stored survives closing and opening the file again.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shenbao.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if err := s.CreateApplication(ctx, &intake.Application{ID: "app-1", OrgName: "机构"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(ctx); !errors.Is(err, intake.ErrUnavailable) {
		t.Errorf("Ping after Close: error = %v; want ErrUnavailable", err)
	}
	s = open(t, path)
	a, err := s.GetApplication(ctx, "app-1")
	if err != nil || a.OrgName != "机构" {
		t.Errorf("GetApplication after reopening = %+v, %v; want 机构", a, err)
	}
}

// TestLocked checks a second Open of a file in use gives ErrUnavailable instead of waiting.
func TestLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shenbao.db")
	open(t, path)
	if _, err := Open(path); !errors.Is(err, intake.ErrUnavailable) {
		t.Errorf("second Open: error = %v; want ErrUnavailable", err)
	}
}

func TestInvalidIDs(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "shenbao.db"))
	ctx := t.Context()
	if err := s.CreateApplication(ctx, &intake.Application{}); !errors.Is(err, intake.ErrInvalid) {
		t.Errorf("CreateApplication without id: error = %v; want ErrInvalid", err)
	}
	if _, err := s.AddDocument(ctx, &intake.Document{ID: "d\x00", ApplicationID: "a"}); !errors.Is(err, intake.ErrInvalid) {
		t.Errorf("AddDocument with NUL in the id: error = %v; want ErrInvalid", err)
	}
}
