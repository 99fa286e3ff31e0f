package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"sync"
	"time"
	"unicode"

	"shenbao/bench/internal/svc"
)

// stats are the requests of one case: how many, how many failed, and how long each took.
type stats struct {
	mu       sync.Mutex
	requests int
	errors   int
	lat      []time.Duration
}

func (s *stats) add(d time.Duration, failed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	s.lat = append(s.lat, d)
	if failed {
		s.errors++
	}
}

// percentile is the q-th quantile of the latencies (0 when there are none).
func (s *stats) percentile(q float64) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.lat) == 0 {
		return 0
	}
	l := slices.Clone(s.lat)
	slices.Sort(l)
	return l[min(len(l)-1, int(q*float64(len(l))))]
}

// client calls the API with a bearer token.
type client struct{ *svc.Client }

// signIn signs in as login with password and makes a bearer token for the run.
func signIn(base, login, password string) (*client, error) {
	c, err := svc.SignIn(base, login, password, "reliability", 60*time.Second)
	if err != nil {
		return nil, err
	}
	return &client{c}, nil
}

// response is what a request got: a status (0 when the request failed: err), the Retry-After
// header, the body.
type response struct {
	status     int
	retryAfter string
	body       []byte
	took       time.Duration
	err        error
}

// message is the Chinese message of an error response ("" if none).
func (r response) message() string {
	var out struct {
		Error *struct{ Message string }
		Files []struct {
			Error *struct{ Message string }
		}
	}
	json.Unmarshal(r.body, &out)
	if out.Error != nil {
		return out.Error.Message
	}
	if len(out.Files) > 0 && out.Files[0].Error != nil {
		return out.Files[0].Error.Message
	}
	return ""
}

// hasChinese reports whether s has a Han character.
func hasChinese(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func (c *client) do(st *stats, method, path string, body io.Reader, contentType string) response {
	req, err := http.NewRequest(method, c.Base+path, body)
	if err != nil {
		return response{err: err}
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	start := time.Now()
	resp, err := c.HC.Do(req)
	r := response{err: err}
	if err == nil {
		r.body, r.err = io.ReadAll(resp.Body)
		resp.Body.Close()
		r.status, r.retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
	}
	r.took = time.Since(start)
	if st != nil {
		st.add(r.took, r.err != nil || r.status >= 400)
	}
	return r
}

func (c *client) getJSON(st *stats, path string, out any) response {
	r := c.do(st, "GET", path, nil, "")
	if r.err == nil && r.status == http.StatusOK && out != nil {
		r.err = json.Unmarshal(r.body, out)
	}
	return r
}

func (c *client) postJSON(st *stats, path string, in, out any) response {
	b, _ := json.Marshal(in)
	r := c.do(st, "POST", path, bytes.NewReader(b), "application/json")
	if r.err == nil && r.status < 300 && out != nil {
		r.err = json.Unmarshal(r.body, out)
	}
	return r
}

// upload sends one file to an application and returns the response and the stored document's id
// ("" unless the upload was acknowledged with 201).
func (c *client) upload(st *stats, appID, name string, data []byte) (response, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("files", name)
	fw.Write(data)
	mw.Close()
	r := c.do(st, "POST", "/api/v1/applications/"+appID+"/documents", &b, mw.FormDataContentType())
	if r.err != nil || r.status != http.StatusCreated {
		return r, ""
	}
	var out struct {
		Files []struct {
			Document *struct{ ID string }
		}
	}
	json.Unmarshal(r.body, &out)
	if len(out.Files) == 1 && out.Files[0].Document != nil {
		return r, out.Files[0].Document.ID
	}
	return r, ""
}

// uploadSlowly is upload with the file's bytes sent chunk bytes every every (above the server's
// minimum rate): an upload that is surely under way when the server is killed.
func (c *client) uploadSlowly(st *stats, appID, name string, data []byte, chunk int, every time.Duration) (response, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, err := mw.CreateFormFile("files", name)
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		for rest := data; len(rest) > 0; rest = rest[min(chunk, len(rest)):] {
			if _, err := fw.Write(rest[:min(chunk, len(rest))]); err != nil {
				pw.CloseWithError(err)
				return
			}
			time.Sleep(every)
		}
		pw.CloseWithError(mw.Close())
	}()
	r := c.do(st, "POST", "/api/v1/applications/"+appID+"/documents", pr, mw.FormDataContentType())
	pr.Close()
	if r.err != nil || r.status != http.StatusCreated {
		return r, ""
	}
	var out struct {
		Files []struct {
			Document *struct{ ID string }
		}
	}
	json.Unmarshal(r.body, &out)
	if len(out.Files) == 1 && out.Files[0].Document != nil {
		return r, out.Files[0].Document.ID
	}
	return r, ""
}

// document is what the run reads of a document.
type document struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Reason string `json:"reason"`
	Kind   string `json:"kind"`
	SHA256 string `json:"sha256"`
	Pages  []struct {
		Error string `json:"error"`
	} `json:"pages"`
}

// newApplication makes an application of the applicant's and returns its id.
func (c *client) newApplication(name string) (string, error) {
	var app struct{ ID string }
	r := c.postJSON(nil, "/api/v1/applications", map[string]any{"org_name": name, "region": "拉萨市", "year": time.Now().Year()}, &app)
	if r.err != nil || r.status != http.StatusCreated {
		return "", fmt.Errorf("create application: %d %v %s", r.status, r.err, r.body)
	}
	return app.ID, nil
}

func sha256hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
