package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"shenbao/api"
	"shenbao/intake"
	"shenbao/internal/testreq"
)

// drawingPage reads every file as one blank page (onePage) and draws any page as a few bytes of
// JPEG: the test is about the blob store, not the renderer.
type drawingPage struct{ onePage }

func (drawingPage) RenderPage(ctx context.Context, path, contentType string, page, maxSide int) ([]byte, error) {
	return []byte("\xFF\xD8\xFF\xE0 page image \xFF\xD9"), nil
}

// A page image asked for while MinIO is down answers 503 with Retry-After and a Chinese message, like
// the other outage paths — not 500 — whether the page was drawn and cached before or not; once MinIO
// is back it is served again.
func TestPageImageOutage(t *testing.T) {
	endpoint, uri := os.Getenv("SHENBAO_TEST_MINIO_ENDPOINT"), os.Getenv("SHENBAO_TEST_MONGO_URI")
	if endpoint == "" || uri == "" {
		testreq.Skip(t, "no test servers: SHENBAO_TEST_MINIO_ENDPOINT and SHENBAO_TEST_MONGO_URI unset (scripts/testservers.sh start)")
	}
	t.Cleanup(func() { exec.Command("scripts/testservers.sh", "start-one", "minio").Run() })
	c, suffix := outageConfig(t, endpoint, uri, "pageimage")
	logs := &syncWriter{w: &bytes.Buffer{}}
	log := slog.New(slog.NewTextHandler(logs, nil))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log:\n%s", logs.String())
		}
	})
	ctx := context.Background()
	blobs, store, err := openStores(ctx, c, log)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(ctx)
	svc := intake.NewService(blobs, store, drawingPage{}, log, time.Now, intake.Config{TempDir: t.TempDir(), PollEvery: 50 * time.Millisecond})
	workCtx, stopWork := context.WithCancel(ctx)
	workDone := make(chan error, 1)
	go func() { workDone <- svc.Run(workCtx) }()
	defer func() { stopWork(); <-workDone }()
	hs := httptest.NewServer(api.New(svc, log, api.Config{}))
	defer hs.Close()

	u, token, app := newOutageApplicant(t, ctx, svc)
	var ids []string
	for i := range 2 {
		d, _, err := svc.Upload(ctx, u.Principal(), app.ID, fmt.Sprintf("执照%d.jpg", i), bytes.NewReader(fmt.Appendf([]byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), "scan %d %s", i, suffix)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		done := 0
		for _, id := range ids {
			if d, err := store.GetDocument(ctx, id); err == nil && d.Status == intake.StatusDone {
				done++
			}
		}
		if done == len(ids) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the two documents are not read within 30 s")
		}
	}
	get := func(id string) (int, string, string) {
		req, _ := http.NewRequest("GET", hs.URL+"/api/v1/documents/"+id+"/pages/1/image?size=1000", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Error struct{ Code, Message string }
		}
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, resp.Header.Get("Retry-After"), out.Error.Message
	}
	// The first document's page is drawn and cached; the second's is not drawn yet.
	if status, _, msg := get(ids[0]); status != http.StatusOK {
		t.Fatalf("page image with MinIO up: %d %q; want 200", status, msg)
	}

	testServer(t, "stop-one", "minio")
	for i, id := range ids {
		status, retry, msg := get(id)
		if status != http.StatusServiceUnavailable || retry == "" || !strings.Contains(msg, "稍后") {
			t.Errorf("page image (%s) with MinIO down: %d, Retry-After %q, message %q; want 503, Retry-After, a Chinese message to try again later",
				[]string{"cached", "not drawn yet"}[i], status, retry, msg)
		}
	}
	testServer(t, "start-one", "minio")
	for _, id := range ids {
		if status, _, msg := get(id); status != http.StatusOK {
			t.Errorf("page image with MinIO back: %d %q; want 200", status, msg)
		}
	}
}
