// Package svc starts the built `shenbao serve` for the benches and signs in to it.
package svc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Server is `shenbao serve` on 127.0.0.1, in a process group of its own (with its OCR workers).
type Server struct {
	Bin  string
	Env  []string
	Addr string // host:port
	Log  string // the server's stderr

	Cmd  *exec.Cmd
	Done chan struct{} // closed once the process has exited
}

// FreeAddr is an address on 127.0.0.1 that nobody listens on now.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// Base is the server's URL.
func (s *Server) Base() string { return "http://" + s.Addr }

// Start runs the server, its stderr written to logf (closed when it exits), and waits until it
// listens (60 s at most) and /healthz answers 200 (30 s at most). If the server prints anything but
// "listening on …" first, or nothing within 60 s, Start calls abort to end it.
func (s *Server) Start(logf *os.File, abort func()) error {
	cmd := exec.Command(s.Bin, "serve", "--addr", s.Addr)
	cmd.Env = s.Env
	cmd.Stderr = logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return err
	}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return err
	}
	s.Cmd, s.Done = cmd, make(chan struct{})
	first := make(chan string, 1)
	go func() {
		r := bufio.NewReader(out)
		line, _ := r.ReadString('\n')
		first <- line
		io.Copy(io.Discard, r)
	}()
	go func() {
		cmd.Wait()
		logf.Close()
		close(s.Done)
	}()
	select {
	case line := <-first:
		if !strings.HasPrefix(line, "listening on ") {
			abort()
			return fmt.Errorf("serve did not start (first line %q); see %s", line, s.Log)
		}
	case <-s.Done:
		return fmt.Errorf("serve exited at start; see %s", s.Log)
	case <-time.After(60 * time.Second):
		abort()
		return fmt.Errorf("serve did not listen within 60 s; see %s", s.Log)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(s.Base() + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("/healthz does not answer 200 within 30 s of listening")
		}
	}
}

// Client calls the API with a bearer token.
type Client struct {
	Base, Token string
	HC          *http.Client
}

// SignIn signs in as login with password and makes a bearer token labelled label for the run;
// the client's requests time out after timeout.
func SignIn(base, login, password, label string, timeout time.Duration) (*Client, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 60 * time.Second}
	body, _ := json.Marshal(map[string]string{"login": login, "password": password})
	resp, err := hc.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	var s struct {
		CSRF string `json:"csrf_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&s)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || err != nil {
		return nil, fmt.Errorf("sign in as %s: %d %v", login, resp.StatusCode, err)
	}
	tb, _ := json.Marshal(map[string]any{"label": label, "days": 1})
	req, _ := http.NewRequest("POST", base+"/api/v1/tokens", bytes.NewReader(tb))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", s.CSRF)
	req.Header.Set("Origin", base)
	if resp, err = hc.Do(req); err != nil {
		return nil, err
	}
	var t struct{ Token string }
	err = json.NewDecoder(resp.Body).Decode(&t)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || err != nil || t.Token == "" {
		return nil, fmt.Errorf("token for %s: %d %v", login, resp.StatusCode, err)
	}
	return &Client{Base: base, Token: t.Token, HC: &http.Client{Timeout: timeout}}, nil
}
