package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"shenbao/internal/testpdf"
)

// answers reports whether the server answers /healthz with 200.
func (s *suite) answers() bool {
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(s.srv.Base() + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// hostile uploads each hostile file into an application of its own: a refusal is judged at once, an
// accepted file once it has drained.
func (s *suite) hostile(files []hostileFile) []*row {
	var rows []*row
	for _, f := range files {
		r := s.add(&row{name: f.name, notes: nil})
		if f.note != "" {
			r.note("%s", f.note)
		}
		r.note("%s", kb(len(f.data)))
		rows = append(rows, r)
		appID, err := s.app.newApplication("西藏可靠性测试有限公司")
		if err != nil {
			r.fail("%v", err)
			continue
		}
		resp, id := s.app.upload(r.st, appID, f.file, f.data)
		if !s.answers() {
			r.fail("the service does not answer after the upload")
		}
		switch {
		case resp.err != nil:
			r.fail("upload: %v", resp.err)
		case f.want == "refuse":
			msg := resp.message()
			if resp.status < 400 || resp.status >= 500 || (f.status != 0 && resp.status != f.status) || !hasChinese(msg) || id != "" {
				r.fail("got %d %q; want %d with a Chinese message", resp.status, msg, f.status)
			} else {
				r.note("%d %s", resp.status, msg)
			}
			var docs struct{ Items []document }
			s.app.getJSON(nil, "/api/v1/applications/"+appID+"/documents", &docs)
			if len(docs.Items) != 0 {
				r.fail("refused, yet %d documents stored", len(docs.Items))
			}
		case id == "":
			r.fail("got %d %q; want it accepted (201)", resp.status, resp.message())
		default:
			s.addDoc(r, id)
			want, reason := f.want, f.reason
			r.after = func(r *row, docs map[string]*document) {
				d := docs[id]
				if d == nil {
					return // lost: counted
				}
				switch {
				case d.Status != "done" && d.Status != "failed":
					return // stuck: counted
				case want == "fail" && (d.Status != "failed" || !strings.Contains(d.Reason, reason)):
					r.fail("%s %q; want failed, the reason saying %q", d.Status, d.Reason, reason)
				case d.Status == "failed" && !hasChinese(d.Reason):
					r.fail("failed without a Chinese reason: %q", d.Reason)
				case d.Status == "failed":
					r.note("failed: %s", d.Reason)
				default:
					r.note("done, kind %q, %d pages", d.Kind, len(d.Pages))
				}
			}
		}
	}
	return rows
}

func kb(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f KB", float64(n)/1024)
}

// trickle sends an upload a byte every 3 s, in the background: the server must cut it off (within about
// its 30 s window) and store nothing. The returned channel closes when the case is judged.
func (s *suite) trickle() <-chan struct{} {
	r := s.add(&row{name: "trickled upload (1 B / 3 s)"})
	done := make(chan struct{})
	appID, err := s.app.newApplication("西藏可靠性测试有限公司")
	if err != nil {
		r.fail("%v", err)
		close(done)
		return done
	}
	go func() {
		defer close(done)
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("files", "营业执照.png")
		fw.Write(scanPNG(1))
		mw.Close()
		conn, err := net.Dial("tcp", s.srv.Addr)
		if err != nil {
			r.fail("%v", err)
			return
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /api/v1/applications/%s/documents HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
			appID, s.srv.Addr, s.app.Token, mw.FormDataContentType(), body.Len())
		start := time.Now()
		sent := 0
		for _, c := range body.Bytes() {
			if _, err := conn.Write([]byte{c}); err != nil {
				break
			}
			sent++
			time.Sleep(3 * time.Second)
			if time.Since(start) > 90*time.Second {
				break
			}
		}
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		took := time.Since(start)
		status := 0
		if err == nil {
			status = res.StatusCode
			res.Body.Close()
		}
		r.st.add(took, true)
		answer := "the connection closed"
		if status != 0 {
			answer = fmt.Sprintf("answer %d", status)
		}
		r.note("cut off after %s, %d of %d bytes sent, %s", took.Round(time.Second), sent, body.Len(), answer)
		if took > 75*time.Second || (status != 0 && status < 400) {
			r.fail("the trickled upload was taken")
		}
		var docs struct{ Items []document }
		if resp := s.app.getJSON(nil, "/api/v1/applications/"+appID+"/documents", &docs); resp.status == http.StatusOK && len(docs.Items) != 0 {
			r.fail("%d documents stored from a trickled upload", len(docs.Items))
		}
	}()
	return done
}

// paddedPDF is a PDF of one small blank page (100 points a side) and about size bytes (an
// unreferenced stream of random bytes): quick to read, big enough to be mid-transfer when the server
// is killed, distinct for each seed.
func paddedPDF(seed, size int) []byte {
	pad := make([]byte, size)
	r := rand.New(rand.NewPCG(uint64(seed), 11))
	for i := range pad {
		pad[i] = byte(r.UintN(256))
	}
	return testpdf.Assemble("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(pad), pad))
}

var seed atomic.Int64

func nextSeed() int { return int(seed.Add(1)) + int(time.Now().UnixNano()%1_000_000)*1000 }

// load runs uploaders and readers at once for the load duration: every request must succeed, and every
// original read must be the bytes uploaded.
func (s *suite) load() {
	r := s.add(&row{name: fmt.Sprintf("load: uploads + reads (%s)", s.opt.load)})
	apps := make([]string, 2)
	for i := range apps {
		id, err := s.app.newApplication("西藏可靠性测试有限公司")
		if err != nil {
			r.fail("%v", err)
			return
		}
		apps[i] = id
	}
	var mu sync.Mutex
	type up struct{ id, sum, app string }
	var ups []up
	deadline := time.Now().Add(s.opt.load)
	var wg sync.WaitGroup
	var uploads, reads, mismatched atomic.Int32
	perUploader := 12
	if s.opt.short {
		perUploader = 4
	}
	for u := range 3 {
		wg.Go(func() {
			for i := 0; i < perUploader && time.Now().Before(deadline); i++ {
				data := scanPNG(nextSeed())
				app := apps[(u+i)%len(apps)]
				resp, id := s.app.upload(r.st, app, fmt.Sprintf("扫描%d-%d.png", u, i), data)
				uploads.Add(1)
				if id == "" {
					r.fail("upload: %d %v %s", resp.status, resp.err, resp.message())
					continue
				}
				s.addDoc(r, id)
				mu.Lock()
				ups = append(ups, up{id, sha256hex(data), app})
				mu.Unlock()
				time.Sleep(time.Duration(float64(s.opt.load) / float64(perUploader) * 0.8))
			}
		})
	}
	for g := range 4 {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				mu.Lock()
				var u up
				if len(ups) > 0 {
					u = ups[(g*7+i)%len(ups)]
				}
				mu.Unlock()
				if u.id == "" {
					time.Sleep(50 * time.Millisecond)
					continue
				}
				reads.Add(3)
				s.app.getJSON(r.st, "/api/v1/applications/"+u.app+"/documents", nil)
				s.app.getJSON(r.st, "/api/v1/documents/"+u.id, nil)
				resp := s.app.do(r.st, "GET", "/api/v1/documents/"+u.id+"/original", nil, "")
				if resp.err == nil && resp.status == http.StatusOK && sha256hex(resp.body) != u.sum {
					mismatched.Add(1)
				}
			}
		})
	}
	wg.Wait()
	r.note("%d uploads, %d reads", uploads.Load(), reads.Load())
	if r.st.errors > 0 {
		r.fail("%d requests failed under load", r.st.errors)
	}
	if mismatched.Load() > 0 {
		r.fail("%d originals served with other bytes than uploaded", mismatched.Load())
	}
}

// waitEnded waits, at most max, until the documents of rows are done or failed.
func (s *suite) waitEnded(rows []*row, max time.Duration) {
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.docs...)
	}
	start := time.Now()
	for time.Since(start) < max {
		left := 0
		for _, id := range ids {
			var d document
			if resp := s.staff.getJSON(nil, "/api/v1/documents/"+id, &d); resp.status != http.StatusOK || (d.Status != "done" && d.Status != "failed") {
				left++
			}
		}
		if left == 0 {
			s.logf("the hostile files have ended (%s)", time.Since(start).Round(time.Second))
			return
		}
		time.Sleep(time.Second)
	}
	s.logf("hostile files not ended after %s: going on", max)
}

// killWorkers uploads scanned PDFs and kills the server's OCR workers again and again while they are
// read: each must end done with every page read, or failed with a reason to try again later — never
// done with a verdict on pages that were not read.
func (s *suite) killWorkers(lease []byte) error {
	r := s.add(&row{name: "kill OCR workers (SIGKILL, repeatedly)"})
	w, h, err := imageSize(lease)
	if err != nil {
		return err
	}
	appID, err := s.app.newApplication("西藏可靠性测试有限公司")
	if err != nil {
		return err
	}
	for i := range 3 {
		resp, id := s.app.upload(r.st, appID, fmt.Sprintf("租赁合同%d.pdf", i), scanPDF(lease, w, h, 2, nextSeed()))
		if id == "" {
			r.fail("upload: %d %v %s", resp.status, resp.err, resp.message())
			continue
		}
		s.addDoc(r, id)
	}
	rounds := 10
	if s.opt.short {
		rounds = 4
	}
	kills := 0
	time.Sleep(500 * time.Millisecond)
	for range rounds {
		for _, p := range s.srv.workers() {
			if err := killPid(p); err == nil {
				kills++
			}
		}
		s.app.getJSON(r.st, "/api/v1/applications/"+appID+"/documents", nil)
		time.Sleep(time.Second)
	}
	r.note("%d workers killed in %d s", kills, rounds)
	if kills == 0 {
		r.fail("no worker was killed: the case tested nothing")
	}
	if !s.answers() {
		r.fail("the service does not answer")
	}
	r.after = func(r *row, docs map[string]*document) {
		outcomes := map[string]int{}
		for _, id := range r.docs {
			d := docs[id]
			if d == nil || (d.Status != "done" && d.Status != "failed") {
				continue
			}
			pageErrors := 0
			for _, p := range d.Pages {
				if p.Error != "" {
					pageErrors++
				}
			}
			switch {
			case d.Status == "done" && pageErrors > 0:
				r.fail("%s done with %d of %d pages not read", id, pageErrors, len(d.Pages))
			case d.Status == "failed" && !strings.Contains(d.Reason, "稍后"):
				r.fail("%s failed, reason %q; want a reason to try again later", id, d.Reason)
			}
			outcomes[d.Status]++
		}
		r.note("%d done, %d failed to try again", outcomes["done"], outcomes["failed"])
	}
	return nil
}

// killMidUpload kills the server (kill -9) while uploads of 1.5 MB files are under way — one of them
// sent slowly, over about 3 s, so that it surely is — starts it again and uploads on: no acknowledged
// upload may be lost. It returns the documents acknowledged with their SHA-256, for killMidRead.
func (s *suite) killMidUpload() (map[string]string, error) {
	r := s.add(&row{name: "kill -9 server mid-upload, restart"})
	appID, err := s.app.newApplication("西藏可靠性测试有限公司")
	if err != nil {
		return nil, err
	}
	acked := map[string]string{}
	var mu sync.Mutex
	var stop atomic.Bool
	var wg sync.WaitGroup
	var inFlight atomic.Int32
	uploader := func(u int, slow bool) {
		for i := 0; i < 8 && !stop.Load(); i++ {
			data := paddedPDF(nextSeed(), 1500<<10)
			name := fmt.Sprintf("大文件%d-%d.pdf", u, i)
			inFlight.Add(1)
			var id string
			if slow {
				_, id = s.app.uploadSlowly(r.st, appID, name, data, 64<<10, 120*time.Millisecond)
			} else {
				_, id = s.app.upload(r.st, appID, name, data)
			}
			inFlight.Add(-1)
			if id != "" {
				s.addDoc(r, id)
				mu.Lock()
				acked[id] = sha256hex(data)
				mu.Unlock()
			}
			time.Sleep(300 * time.Millisecond)
		}
	}
	wg.Go(func() { uploader(0, true) })
	for u := 1; u <= 2; u++ {
		wg.Go(func() { uploader(u, false) })
	}
	time.Sleep(1500 * time.Millisecond)
	flying := inFlight.Load()
	s.srv.kill()
	killed := time.Now()
	err = s.srv.start()
	back := time.Since(killed)
	if err != nil {
		stop.Store(true)
		wg.Wait()
		r.fail("restart: %v", err)
		return acked, err
	}
	time.Sleep(2 * time.Second)
	stop.Store(true)
	wg.Wait()
	r.note("killed with %d uploads in flight, back in %s; %d acknowledged", flying, back.Round(100*time.Millisecond), len(acked))
	if flying == 0 {
		r.fail("no upload was under way at the kill: the case tested nothing")
	}
	return acked, nil
}

// killMidRead kills the server while originals are being read, starts it again and reads on: no read
// may return other bytes than uploaded, and reads succeed again after the restart.
func (s *suite) killMidRead(originals map[string]string) error {
	r := s.add(&row{name: "kill -9 server mid-read, restart"})
	var ids []string
	for id := range originals {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		r.fail("no original to read")
		return nil
	}
	var stop atomic.Bool
	var after atomic.Bool
	var wg sync.WaitGroup
	var mismatched, okAfter atomic.Int32
	for g := range 4 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				id := ids[(g*5+i)%len(ids)]
				resp := s.app.do(r.st, "GET", "/api/v1/documents/"+id+"/original", nil, "")
				switch {
				case resp.err != nil || resp.status != http.StatusOK:
					time.Sleep(100 * time.Millisecond)
				case sha256hex(resp.body) != originals[id]:
					mismatched.Add(1)
				case after.Load():
					okAfter.Add(1)
				}
			}
		})
	}
	time.Sleep(1500 * time.Millisecond)
	s.srv.kill()
	killed := time.Now()
	err := s.srv.start()
	back := time.Since(killed)
	if err != nil {
		stop.Store(true)
		wg.Wait()
		r.fail("restart: %v", err)
		return err
	}
	after.Store(true)
	time.Sleep(2 * time.Second)
	stop.Store(true)
	wg.Wait()
	r.note("back in %s; %d whole reads after the restart", back.Round(100*time.Millisecond), okAfter.Load())
	if mismatched.Load() > 0 {
		r.fail("%d reads gave other bytes than uploaded", mismatched.Load())
	}
	if okAfter.Load() == 0 {
		r.fail("no read succeeded after the restart")
	}
	return nil
}

// outage stops one of the test servers (minio or ferretdb) under uploads and reads, and starts it
// again: every answer is a success or a 503 with Retry-After and a Chinese message; nothing
// acknowledged is lost.
func (s *suite) outage(name string) error {
	label := map[string]string{"minio": "MinIO", "ferretdb": "database (FerretDB)"}[name]
	r := s.add(&row{name: label + " outage under load"})
	if !s.servers {
		r.outcome = "skip"
		r.note("embedded stores: run on the test servers (scripts/reliability.sh)")
		return nil
	}
	appID, err := s.app.newApplication("西藏可靠性测试有限公司")
	if err != nil {
		return err
	}
	var mu sync.Mutex
	var ids []string
	bad := map[string]int{}
	var unavailable atomic.Int32
	judge := func(what string, resp response) {
		switch {
		case resp.err != nil:
			mu.Lock()
			bad[what+": "+firstWords(resp.err.Error())]++
			mu.Unlock()
		case resp.status == http.StatusServiceUnavailable:
			unavailable.Add(1)
			if resp.retryAfter == "" || !strings.Contains(resp.message(), "稍后") {
				mu.Lock()
				bad[fmt.Sprintf("%s: 503 without Retry-After or the Chinese message (%q)", what, resp.message())]++
				mu.Unlock()
			}
		case resp.status >= 400:
			mu.Lock()
			bad[fmt.Sprintf("%s: %d", what, resp.status)]++
			mu.Unlock()
		}
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for u := range 1 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				resp, id := s.app.upload(r.st, appID, fmt.Sprintf("材料%d-%d.png", u, i), scanPNG(nextSeed()))
				judge("upload", resp)
				if id != "" {
					s.addDoc(r, id)
					mu.Lock()
					ids = append(ids, id)
					mu.Unlock()
				}
				time.Sleep(400 * time.Millisecond)
			}
		})
	}
	for g := range 2 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				mu.Lock()
				id := ""
				if len(ids) > 0 {
					id = ids[(g+i)%len(ids)]
				}
				mu.Unlock()
				if id != "" {
					judge("read", s.app.do(r.st, "GET", "/api/v1/documents/"+id+"/original", nil, ""))
					judge("list", s.app.do(r.st, "GET", "/api/v1/applications/"+appID+"/documents", nil, ""))
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
	down := 6 * time.Second
	if s.opt.short {
		down = 3 * time.Second
	}
	time.Sleep(2 * time.Second)
	if err := s.testServer("stop-one", name); err != nil {
		stop.Store(true)
		wg.Wait()
		return err
	}
	time.Sleep(down)
	if err := s.testServer("start-one", name); err != nil {
		stop.Store(true)
		wg.Wait()
		return err
	}
	time.Sleep(4 * time.Second)
	stop.Store(true)
	wg.Wait()
	r.note("down %s; %d answered 503", down, unavailable.Load())
	for what, n := range bad {
		r.fail("%d× %s", n, what)
	}
	if unavailable.Load() == 0 {
		r.note("no request met the outage")
	}
	if !s.answers() {
		r.fail("the service does not answer")
	}
	return nil
}

func firstWords(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// testServer stops or starts one of the test servers (scripts/testservers.sh stop-one/start-one).
func (s *suite) testServer(action, name string) error {
	out, err := exec.Command(s.opt.testservers, action, name).CombinedOutput()
	if err != nil {
		return fmt.Errorf("testservers.sh %s %s: %v\n%s", action, name, err, out)
	}
	s.logf("%s %s", action, name)
	return nil
}

// drainAndCount waits, at most the drain duration, until every acknowledged document is done or
// failed, then counts each case's lost (acknowledged, then not found) and stuck (neither done nor
// failed) documents and judges the cases that wait for their documents.
func (s *suite) drainAndCount() {
	s.mu.Lock()
	rows := append([]*row(nil), s.rows...)
	s.mu.Unlock()
	docs := map[string]*document{}
	all := 0
	for _, r := range rows {
		all += len(r.docs)
	}
	start := time.Now()
	for {
		ended := 0
		for _, r := range rows {
			for _, id := range r.docs {
				if d := docs[id]; d != nil && (d.Status == "done" || d.Status == "failed") {
					ended++
					continue
				}
				var d document
				resp := s.staff.getJSON(nil, "/api/v1/documents/"+id, &d)
				switch {
				case resp.status == http.StatusOK:
					docs[id] = &d
					if d.Status == "done" || d.Status == "failed" {
						ended++
					}
				case resp.status == http.StatusNotFound:
					delete(docs, id)
				}
			}
		}
		if ended == all || time.Since(start) > s.opt.drain {
			break
		}
		time.Sleep(2 * time.Second)
	}
	s.logf("drained %d documents in %s", all, time.Since(start).Round(time.Second))
	for _, r := range rows {
		for _, id := range r.docs {
			var d document
			resp := s.staff.getJSON(nil, "/api/v1/documents/"+id, &d)
			switch {
			case resp.status == http.StatusNotFound:
				r.lost++
				delete(docs, id)
			case resp.status != http.StatusOK:
				r.stuck++ // cannot tell: not ended as far as anyone can see
			case d.Status != "done" && d.Status != "failed":
				r.stuck++
				docs[id] = &d
			default:
				docs[id] = &d
			}
		}
		if r.after != nil {
			r.after(r, docs)
		}
		if r.lost > 0 {
			r.fail("%d acknowledged uploads lost", r.lost)
		}
		if r.stuck > 0 {
			r.fail("%d documents not done or failed after the drain (%s)", r.stuck, s.opt.drain)
		}
	}
}

// final checks that the service still answers, stops it as an operator would, and scrubs its
// originals with `shenbao scrub`: none missing or corrupt.
func (s *suite) final(bin string) {
	r := s.add(&row{name: "still answering, clean stop, scrub"})
	for _, path := range []string{"/healthz", "/readyz"} {
		resp := s.staff.do(r.st, "GET", path, nil, "")
		if resp.err != nil || resp.status != http.StatusOK {
			r.fail("%s: %d %v", path, resp.status, resp.err)
		}
	}
	if !s.srv.stop() {
		r.fail("the server did not stop cleanly on SIGTERM")
	}
	out, err := runCommand(context.Background(), bin, s.env, "", "scrub", "--json")
	res, perr := parseScrub(out)
	switch {
	case perr != nil:
		r.fail("scrub: %v %v", err, perr)
	case len(res.Missing) > 0 || len(res.Corrupt) > 0 || res.Error != "":
		r.fail("scrub: %d missing, %d corrupt %s", len(res.Missing), len(res.Corrupt), res.Error)
	default:
		r.note("scrub: %d documents, %d objects, none missing or corrupt, %d orphaned originals (kept)", res.Documents, res.Objects, len(res.Orphans))
	}
}

// killPid sends SIGKILL to one process.
func killPid(pid int) error { return syscall.Kill(pid, syscall.SIGKILL) }
