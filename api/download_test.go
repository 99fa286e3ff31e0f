package api

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"shenbao/intake"
)

// An original downloads with the extension of the type sniffed from its bytes: a PNG uploaded as
// x.html comes back as x.png, as image/png, never as a page (issue 13).
func TestDownloadNameFollowsType(t *testing.T) {
	tb := newTestbed(t)
	appID, _ := tb.fixture(t, intake.StateDraft)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "x.html")
	fw.Write([]byte("\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"))
	mw.Close()
	req, _ := http.NewRequest("POST", tb.http.URL+"/api/v1/applications/"+appID+"/documents", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+tb.token["owner"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var up struct {
		Files []struct {
			Document struct {
				ID string `json:"id"`
			} `json:"document"`
		} `json:"files"`
	}
	json.NewDecoder(resp.Body).Decode(&up)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || len(up.Files) != 1 {
		t.Fatalf("upload: %d %+v; want 201 with one document", resp.StatusCode, up)
	}
	req, _ = http.NewRequest("GET", tb.http.URL+"/api/v1/documents/"+up.Files[0].Document.ID+"/original", nil)
	req.Header.Set("Authorization", "Bearer "+tb.token["owner"])
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cd := resp.Header.Get("Content-Disposition")
	if resp.StatusCode != http.StatusOK || !strings.Contains(cd, `filename="x.png"`) || strings.Contains(cd, "html") || resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("original: %d, %s, Content-Disposition %q; want image/png as x.png", resp.StatusCode, resp.Header.Get("Content-Type"), cd)
	}
}
