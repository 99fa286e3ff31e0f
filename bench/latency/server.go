package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"shenbao/bench/internal/svc"
)

// server is `shenbao serve` on 127.0.0.1, in a process group of its own (with its OCR workers).
type server struct{ svc.Server }

// start runs the server, its log truncated, and waits until it listens and /healthz answers.
func (s *server) start() error {
	logf, err := os.Create(s.Log)
	if err != nil {
		return err
	}
	return s.Server.Start(logf, s.stop)
}

// stop asks the server to stop (SIGTERM), waits 20 s at most, then kills its process group.
func (s *server) stop() {
	if s.Cmd == nil {
		return
	}
	select {
	case <-s.Done:
		return
	default:
	}
	s.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.Done:
	case <-time.After(20 * time.Second):
		syscall.Kill(-s.Cmd.Process.Pid, syscall.SIGKILL)
		<-s.Done
	}
}

// runCommand runs the program with args and env, stdin given.
func runCommand(bin string, env []string, stdin string, args ...string) error {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("shenbao %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// client calls the API with a bearer token.
type client struct{ *svc.Client }

// signIn signs in as login and makes a bearer token for the run.
func signIn(base, login, password string) (*client, error) {
	c, err := svc.SignIn(base, login, password, "latency", 120*time.Second)
	if err != nil {
		return nil, err
	}
	return &client{c}, nil
}

func (c *client) do(method, path string, body io.Reader, contentType string) (int, []byte, error) {
	req, err := http.NewRequest(method, c.Base+path, body)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.HC.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func (c *client) getJSON(path string, out any) error {
	status, b, err := c.do("GET", path, nil, "")
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("GET %s: %d %s", path, status, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

// newApplication makes an application and returns its id.
func (c *client) newApplication(org, region string) (string, error) {
	b, _ := json.Marshal(map[string]any{"org_name": org, "region": region, "year": time.Now().Year()})
	status, body, err := c.do("POST", "/api/v1/applications", bytes.NewReader(b), "application/json")
	if err != nil {
		return "", err
	}
	var app struct{ ID string }
	if status != http.StatusCreated || json.Unmarshal(body, &app) != nil || app.ID == "" {
		return "", fmt.Errorf("create application: %d %s", status, body)
	}
	return app.ID, nil
}

// upload sends one file to an application, as the web UI does, and returns its document's id.
func (c *client) upload(appID, name string, data []byte) (string, error) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	status, body, err := c.do("POST", "/api/v1/applications/"+appID+"/documents", &b, mw.FormDataContentType())
	if err != nil {
		return "", err
	}
	var out struct {
		Files []struct {
			Document *struct{ ID string }
		}
	}
	json.Unmarshal(body, &out)
	if status != http.StatusCreated || len(out.Files) != 1 || out.Files[0].Document == nil {
		return "", fmt.Errorf("%d %s", status, body)
	}
	return out.Files[0].Document.ID, nil
}

// pageMetrics are the sums and counts of shenbao_page_read_seconds, by reader.
type pageMetrics map[string][2]float64

// scrapePages reads shenbao_page_read_seconds from /metrics.
func scrapePages(base string) (pageMetrics, error) {
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	m := pageMetrics{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		var i int
		switch {
		case strings.HasPrefix(line, "shenbao_page_read_seconds_sum{"):
			i = 0
		case strings.HasPrefix(line, "shenbao_page_read_seconds_count{"):
			i = 1
		default:
			continue
		}
		labels, value, ok := strings.Cut(line[strings.IndexByte(line, '{'):], "} ")
		if !ok {
			continue
		}
		reader := strings.TrimSuffix(strings.TrimPrefix(labels, `{reader="`), `"`)
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || math.IsNaN(v) {
			continue
		}
		e := m[reader]
		e[i] = v
		m[reader] = e
	}
	return m, sc.Err()
}

func (m pageMetrics) minus(o pageMetrics) pageMetrics {
	out := pageMetrics{}
	for k, v := range m {
		out[k] = [2]float64{v[0] - o[k][0], v[1] - o[k][1]}
	}
	return out
}

// total is the seconds and pages of every reader.
func (m pageMetrics) total() (seconds float64, pages int) {
	for _, v := range m {
		seconds += v[0]
		pages += int(v[1])
	}
	return seconds, pages
}

func (m pageMetrics) String() string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		v := m[k]
		if v[1] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d pages %.1f s (%.2f s a page)", k, int(v[1]), v[0], v[0]/v[1]))
		}
	}
	return strings.Join(parts, ", ")
}
