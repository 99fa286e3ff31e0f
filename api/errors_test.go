package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"shenbao/intake"
)

func TestErrorStatus(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int
		code   string
	}{
		{intake.ErrNotFound, http.StatusNotFound, "not_found"},
		{fmt.Errorf("get document: %w", intake.ErrNotFound), http.StatusNotFound, "not_found"},
		{&intake.Error{Code: "unsupported_type", Message: "不支持", Err: intake.ErrUnsupported}, http.StatusUnsupportedMediaType, "unsupported_type"},
		{&intake.Error{Code: "file_too_large", Message: "过大", Err: intake.ErrTooLarge}, http.StatusRequestEntityTooLarge, "file_too_large"},
		{&intake.Error{Code: "empty_file", Message: "空", Err: intake.ErrEmpty}, http.StatusBadRequest, "empty_file"},
		{fmt.Errorf("store original: %w", intake.ErrUnavailable), http.StatusServiceUnavailable, "unavailable"},
		{errors.New("mongo: connection reset by peer at 10.1.2.3"), http.StatusInternalServerError, "internal"},
	} {
		status, code, msg := errorStatus(tc.err)
		if status != tc.status || code != tc.code || msg == "" {
			t.Errorf("errorStatus(%v) = %d %s %q; want %d %s with a message", tc.err, status, code, msg, tc.status, tc.code)
		}
	}
	// Internals never reach the message.
	if _, _, msg := errorStatus(errors.New("secret detail")); msg != "内部错误，请稍后重试。" {
		t.Errorf("an unknown error's message is %q", msg)
	}
}

// A JSON endpoint takes only JSON: a text/plain body is refused with 415, not read as JSON.
func TestJSONBodiesOnly(t *testing.T) {
	tb := newTestbed(t)
	req, _ := http.NewRequest("POST", tb.http.URL+"/api/v1/applications", strings.NewReader(`{"org_name":"西藏某某有限公司"}`))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Authorization", "Bearer "+tb.token["owner"])
	resp, err := tb.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain body: %d; want 415", resp.StatusCode)
	}
}
