package mongo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"testing"
	"time"

	"shenbao/intake"
	"shenbao/storage/storagetest"
)

// newStore returns a store on a new database of the test server, dropped when the test ends; the test is
// skipped (or fails in CI) without a server.
func newStore(t *testing.T) *Store {
	uri := storagetest.ServerEnv(t, "SHENBAO_TEST_MONGO_URI")[0]
	b := make([]byte, 6)
	rand.Read(b)
	s, err := New(t.Context(), uri, "shenbao_test_"+hex.EncodeToString(b))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.db.Drop(ctx); err != nil {
			t.Errorf("drop database %s: %v", s.db.Name(), err)
		}
		if err := s.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestStore(t *testing.T) {
	storagetest.ServerEnv(t, "SHENBAO_TEST_MONGO_URI") // skip the suite at once without a server
	storagetest.TestStore(t, func(t *testing.T) intake.Store { return newStore(t) })
}

// TestNewTwice checks New on a database that already has the collections and indexes is fine.
func TestNewTwice(t *testing.T) {
	s := newStore(t)
	uri := storagetest.ServerEnv(t, "SHENBAO_TEST_MONGO_URI")[0]
	again, err := New(t.Context(), uri, s.db.Name())
	if err != nil {
		t.Fatalf("second New: %v", err)
	}
	again.Close(t.Context())
}

// TestUnavailable checks a server that is down gives ErrUnavailable in seconds rather than hanging.
func TestUnavailable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	start := time.Now()
	_, err = New(ctx, "mongodb://"+addr+"/", "")
	if !errors.Is(err, intake.ErrUnavailable) {
		t.Errorf("New on a closed port: error = %v; want ErrUnavailable", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("New on a closed port took %v; want under 10s", d)
	}
}
