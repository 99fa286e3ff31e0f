package api

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"shenbao/intake"
)

// Only staff may have documents read again; the others see the answer their sight of the application
// gives (404 for what they cannot see, 403 for what they can).
func TestReadAgainAccess(t *testing.T) {
	tb := newTestbed(t)
	for _, c := range []struct{ path, want string }{
		{"/api/v1/documents/{doc}/reread", "403 404 403 404 404 404 202 403 401"},
		{"/api/v1/applications/{app}/reread", "403 404 403 404 404 404 202 403 401"},
		{"/api/v1/applications/{app}/reread?only=failed", "403 404 403 404 404 404 202 403 401"},
	} {
		var got []string
		for _, col := range columns {
			app, docID := tb.fixture(t, intake.StateSubmitted)
			status, _ := tb.do(t, col, "POST", strings.NewReplacer("{app}", app, "{doc}", docID).Replace(c.path), "")
			got = append(got, strconv.Itoa(status))
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("POST %s:\n got %s\nwant %s\n     %s", c.path, strings.Join(got, " "), c.want, strings.Join(columns, " "))
		}
	}
}

// Staff's reading again queues the document (its status is received again) and says which.
func TestReadAgainQueues(t *testing.T) {
	tb := newTestbed(t)
	ctx := context.Background()
	app, docID := tb.fixture(t, intake.StateSubmitted)

	status, body := tb.do(t, "staff", "POST", "/api/v1/applications/"+app+"/reread?only=failed", "")
	var out readAgainJSON
	if err := json.Unmarshal([]byte(body), &out); status != 202 || err != nil || out.Queued != 0 {
		t.Fatalf("only failed, none failed: %d %s; want 202, none queued", status, body)
	}
	status, body = tb.do(t, "staff", "POST", "/api/v1/applications/"+app+"/reread", "")
	if err := json.Unmarshal([]byte(body), &out); status != 202 || err != nil || out.Queued != 1 || out.Documents[0].ID != docID || out.Documents[0].Status != intake.StatusReceived {
		t.Fatalf("the application: %d %s; want 202 with %s received", status, body, docID)
	}
	if d, err := tb.store.GetDocument(ctx, docID); err != nil || d.Status != intake.StatusReceived {
		t.Fatalf("stored: %v %v; want received", d, err)
	}
	// Already waiting: answered as it is.
	status, body = tb.do(t, "staff", "POST", "/api/v1/documents/"+docID+"/reread", "")
	if status != 202 || !strings.Contains(body, `"status":"received"`) {
		t.Errorf("waiting already: %d %s; want 202 received", status, body)
	}
	// Being read: refused.
	if _, err := tb.store.ClaimDocument(ctx, "test/1", time.Now(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	status, body = tb.do(t, "staff", "POST", "/api/v1/documents/"+docID+"/reread", "")
	if status != 409 || !strings.Contains(body, "being_read") {
		t.Errorf("being read: %d %s; want 409 being_read", status, body)
	}
}
