package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"shenbao/intake"
	"shenbao/internal/testreq"
)

// runMainEnv makes the test binary the program itself (TestMain runs main), so that a test can start
// it as serve and worker processes.
const runMainEnv = "SHENBAO_TEST_RUN_MAIN"

// proc is the program running as a process of its own, its log (JSON lines) in a file.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	addr string // serve's base URL
	done chan struct{}
}

// startProc starts `shenbao args…` as a process with env over the test's, in its own data directory,
// and stops it (SIGTERM, then SIGKILL after 30 s) when the test ends. For serve it waits for the
// listening line and sets addr.
func startProc(t *testing.T, name string, env []string, args ...string) *proc {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := &proc{name: name, log: filepath.Join(dir, "log.jsonl"), done: make(chan struct{})}
	logf, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(exe, args...)
	p.cmd.Env = append(append(os.Environ(), env...), runMainEnv+"=1", "SHENBAO_DATA_DIR="+filepath.Join(dir, "data"))
	p.cmd.Stderr = logf
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.cmd.Wait()
		logf.Close()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(30 * time.Second):
			t.Errorf("%s did not stop within 30 s of SIGTERM", name)
			p.cmd.Process.Kill()
			<-p.done
		}
		if dir := os.Getenv("SCALEOUT_LOGS"); dir != "" {
			b, _ := os.ReadFile(p.log)
			os.WriteFile(filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".jsonl"), b, 0o644)
		}
		if t.Failed() {
			b, _ := os.ReadFile(p.log)
			if len(b) > 20000 {
				b = b[len(b)-20000:]
			}
			t.Logf("%s (pid %d) log, last 20 kB:\n%s", name, p.cmd.Process.Pid, b)
		}
	})
	lines := bufio.NewReader(out)
	if args[0] == "serve" {
		got := make(chan string, 1)
		go func() {
			line, _ := lines.ReadString('\n')
			got <- line
		}()
		select {
		case line := <-got:
			p.addr = strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
			if !strings.HasPrefix(p.addr, "http://") {
				b, _ := os.ReadFile(p.log)
				t.Fatalf("%s did not start: %q\n%s", name, line, b)
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("%s did not listen within 60 s", name)
		}
	}
	go io.Copy(io.Discard, lines)
	return p
}

// claimedBy reports whether a claim's owner (host-pid-random/n) is this process's.
func (p *proc) claimedBy(owner string) bool {
	return strings.Contains(owner, fmt.Sprintf("-%d-", p.cmd.Process.Pid))
}

// logged counts, by document, the lines of p's log with message msg.
func (p *proc) logged(t *testing.T, msg string) map[string]int {
	t.Helper()
	b, err := os.ReadFile(p.log)
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for line := range bytes.Lines(b) {
		var e struct{ Msg, Document string }
		if json.Unmarshal(line, &e) == nil && e.Msg == msg && e.Document != "" {
			n[e.Document]++
		}
	}
	return n
}

// scaleOutImages returns n distinct small PNGs, one line of a certificate each (a fraction of a second
// to read with Tesseract), and slow distinct larger ones, the whole certificate at twice its size (a
// page that takes long enough to be killed in the middle of it).
func scaleOutImages(t *testing.T, n, slow int) (small, large [][]byte) {
	t.Helper()
	f, err := os.Open("testdata/documents/certificate.png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// mark writes i in the first row, a bit a pixel, so that every file has its own SHA-256.
	mark := func(img *image.RGBA, i int) {
		for b := range 16 {
			c := color.RGBA{255, 255, 255, 255}
			if i>>b&1 == 1 {
				c = color.RGBA{0, 0, 0, 255}
			}
			img.Set(b, 0, c)
		}
	}
	encode := func(img image.Image) []byte {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	bounds := src.Bounds()
	for i := range n {
		y := bounds.Min.Y + 150 + (i%12)*60
		strip := image.NewRGBA(image.Rect(0, 0, 900, 110))
		draw.Draw(strip, strip.Bounds(), src, image.Pt(bounds.Min.X+100, y), draw.Src)
		mark(strip, i)
		small = append(small, encode(strip))
	}
	for i := range slow {
		big := image.NewRGBA(image.Rect(0, 0, 2*bounds.Dx(), 2*bounds.Dy()))
		for y := range big.Bounds().Dy() {
			for x := range big.Bounds().Dx() {
				big.Set(x, y, src.At(bounds.Min.X+x/2, bounds.Min.Y+y/2))
			}
		}
		mark(big, 1000+i)
		large = append(large, encode(big))
	}
	return small, large
}

// Two serve processes (API only) and two worker processes share the test servers' MinIO and FerretDB.
// 100 documents of four applicants are uploaded through both servers; one worker is killed (SIGKILL)
// while it reads a page; every document is read, each exactly once but the killed one, which the other
// worker reads once its lease runs out.
func TestScaleOut(t *testing.T) {
	endpoint, uri := os.Getenv("SHENBAO_TEST_MINIO_ENDPOINT"), os.Getenv("SHENBAO_TEST_MONGO_URI")
	if endpoint == "" || uri == "" {
		testreq.Skip(t, "no test servers: SHENBAO_TEST_MINIO_ENDPOINT and SHENBAO_TEST_MONGO_URI unset (scripts/testservers.sh start)")
	}
	const (
		apps    = 4
		perApp  = 25
		slowDoc = "慢"
		lease   = 3 * time.Second
	)
	suffix := fmt.Sprintf("%d", time.Now().UnixNano())
	bucket, db := "scale-"+suffix, "scale_"+suffix
	t.Cleanup(func() { dropTestServerState(t, endpoint, uri, bucket, db) })
	env := []string{
		"SHENBAO_MINIO_ENDPOINT=" + endpoint, "SHENBAO_MINIO_BUCKET=" + bucket,
		"SHENBAO_MINIO_ACCESS_KEY=" + os.Getenv("SHENBAO_TEST_MINIO_ACCESS_KEY"), "SHENBAO_MINIO_SECRET_KEY=" + os.Getenv("SHENBAO_TEST_MINIO_SECRET_KEY"),
		"SHENBAO_MONGO_URI=" + uri, "SHENBAO_MONGO_DB=" + db,
		"SHENBAO_OCR_ENGINE=tesseract", "SHENBAO_WORKERS=1", "SHENBAO_LEASE=" + lease.String(),
		"SHENBAO_LOG_FORMAT=json", "SHENBAO_SCRUB_EVERY=0",
	}

	// The accounts and applications, made on the shared stores by a service that reads nothing.
	ctx := context.Background()
	c := defaultConfig()
	c.MinioEndpoint, c.MinioBucket = endpoint, bucket
	c.MinioAccessKey, c.MinioSecretKey = os.Getenv("SHENBAO_TEST_MINIO_ACCESS_KEY"), os.Getenv("SHENBAO_TEST_MINIO_SECRET_KEY")
	c.MongoURI, c.MongoDB = uri, db
	blobs, store, err := openStores(ctx, c, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(ctx)
	setup := intake.NewService(blobs, store, nil, slog.New(slog.DiscardHandler), time.Now, intake.Config{TempDir: t.TempDir(), Documents: -1})
	type applicant struct{ token, app string }
	var people []applicant
	for i := range apps {
		u, err := setup.AddUser(ctx, intake.System, intake.NewUser{Login: fmt.Sprintf("app%d", i), Name: fmt.Sprintf("西藏测试服务%d有限公司", i), Role: intake.RoleApplicant, Password: "password 12345"})
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := setup.CreateToken(ctx, u.Principal(), "测试", 0)
		if err != nil {
			t.Fatal(err)
		}
		a, err := setup.CreateApplication(ctx, u.Principal(), intake.NewApplication{OrgName: u.Name, Region: "拉萨市", Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		people = append(people, applicant{token, a.ID})
	}
	small, large := scaleOutImages(t, apps*(perApp-1), apps)

	serves := []*proc{
		startProc(t, "serve A", append(env, "SHENBAO_API_ONLY=true"), "serve", "--addr", "127.0.0.1:0"),
		startProc(t, "serve B", append(env, "SHENBAO_API_ONLY=true"), "serve", "--addr", "127.0.0.1:0"),
	}
	workers := []*proc{startProc(t, "worker 1", env, "worker"), startProc(t, "worker 2", env, "worker")}

	// Watch the documents in the database (what the processes share), to kill a worker mid-page.
	mc, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Disconnect(ctx)
	docs := mc.Database(db).Collection("documents")
	type docRecord struct {
		ID        string `bson:"_id"`
		FileName  string `bson:"file_name"`
		Status    string `bson:"status"`
		Attempts  int    `bson:"attempts"`
		PageCount int    `bson:"page_count"`
		PagesDone int    `bson:"pages_done"`
		Owner     string `bson:"owner"`
	}
	all := func() []docRecord {
		cur, err := docs.Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		var rs []docRecord
		if err := cur.All(ctx, &rs); err != nil {
			t.Fatal(err)
		}
		return rs
	}

	// Each applicant uploads small pages and, halfway, a large one, alternately through both servers.
	start := time.Now()
	var uploads sync.WaitGroup
	uploadErrs := make(chan error, apps*perApp)
	for i, who := range people {
		uploads.Go(func() {
			client := &http.Client{Timeout: 60 * time.Second}
			for k := range perApp {
				name, data := fmt.Sprintf("%s%d.png", slowDoc, i), large[i]
				if k < perApp/2 {
					name, data = fmt.Sprintf("扫描件%d-%02d.png", i, k), small[i*(perApp-1)+k]
				} else if k > perApp/2 {
					name, data = fmt.Sprintf("扫描件%d-%02d.png", i, k), small[i*(perApp-1)+k-1]
				}
				var body bytes.Buffer
				mw := multipart.NewWriter(&body)
				fw, _ := mw.CreateFormFile("file", name)
				fw.Write(data)
				mw.Close()
				req, _ := http.NewRequest("POST", serves[(i+k)%2].addr+"/api/v1/applications/"+who.app+"/documents", &body)
				req.Header.Set("Content-Type", mw.FormDataContentType())
				req.Header.Set("Authorization", "Bearer "+who.token)
				resp, err := client.Do(req)
				if err != nil {
					uploadErrs <- err
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					uploadErrs <- fmt.Errorf("upload %s: %d %s", name, resp.StatusCode, b)
				}
			}
		})
	}

	// Kill the first worker seen reading a large page: counted (page_count 1), not yet read.
	var killed *proc
	var killedDoc docRecord
	deadline := time.Now().Add(90 * time.Second)
	for killed == nil {
		if time.Now().After(deadline) {
			t.Fatal("no worker was seen reading a large page within 90 s")
		}
		snapshot := all()
		for _, d := range snapshot {
			if d.Status != "processing" || !strings.HasPrefix(d.FileName, slowDoc) || d.PageCount != 1 || d.PagesDone != 0 {
				continue
			}
			for _, w := range workers {
				if w.claimedBy(d.Owner) {
					killed, killedDoc = w, d
					break
				}
			}
			if killed != nil {
				break
			}
		}
		if killed == nil {
			time.Sleep(10 * time.Millisecond)
		}
	}
	if err := killed.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killedAt := time.Now()
	<-killed.done
	// The documents it held (the one it was reading, those waiting for its reader) are the ones to be
	// claimed again.
	// A claim the worker sent just before it died may still reach the database after it: look
	// twice, a second apart (well within the lease, so nothing has been claimed again yet).
	held := map[string]bool{}
	for look := range 2 {
		if look > 0 {
			time.Sleep(time.Second)
		}
		for _, d := range all() {
			if d.Status == "processing" && killed.claimedBy(d.Owner) {
				held[d.ID] = true
			}
		}
	}
	t.Logf("killed %s (pid %d) %.1f s after the first upload, reading page 1 of %s (%s), holding %d documents", killed.name, killed.cmd.Process.Pid, killedAt.Sub(start).Seconds(), killedDoc.ID, killedDoc.FileName, len(held))
	other := workers[0]
	if other == killed {
		other = workers[1]
	}

	uploads.Wait()
	uploaded := time.Since(start)
	close(uploadErrs)
	for err := range uploadErrs {
		t.Error(err)
	}

	// Every document is read.
	var rs []docRecord
	var killedDone time.Duration
	deadline = time.Now().Add(150 * time.Second)
	for {
		rs = all()
		done := 0
		for _, d := range rs {
			if d.Status == "done" || d.Status == "failed" {
				done++
			}
			if d.ID == killedDoc.ID && d.Status == "done" && killedDone == 0 {
				killedDone = time.Since(killedAt)
			}
		}
		if len(rs) == apps*perApp && done == len(rs) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d documents read 150 s after the kill", done, len(rs))
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("%d documents uploaded through 2 servers in %.1f s, all read %.1f s after the first upload; the killed worker's document done %.1f s after the kill (lease %s)",
		len(rs), uploaded.Seconds(), time.Since(start).Seconds(), killedDone.Seconds(), lease)

	// Each read exactly once: one claim and one result of each, in the logs of the processes and in
	// the database; the killed worker's documents claimed twice (the first claim in its log unless it
	// died before the line was written) and finished once, by the other worker.
	processing, processed := map[string]int{}, map[string]int{}
	for _, p := range append(serves, workers...) {
		claims, results := p.logged(t, "processing"), p.logged(t, "processed")
		if p.addr != "" && (len(claims) > 0 || len(results) > 0) {
			t.Errorf("%s (API only) read %d documents; want none", p.name, len(claims))
		}
		for id, n := range claims {
			if p == killed && held[id] {
				continue // the claim that died with it
			}
			processing[id] += n
		}
		for id, n := range results {
			processed[id] += n
		}
	}
	perWorker := map[string]int{}
	for _, d := range rs {
		wantAttempts := 1
		if held[d.ID] {
			wantAttempts = 2
			if !other.claimedBy(d.Owner) {
				t.Errorf("the killed worker's document %s was finished under claim %q; want %s's (pid %d)", d.ID, d.Owner, other.name, other.cmd.Process.Pid)
			}
		}
		finished := processed[d.ID]
		if finished == 0 && killed.claimedBy(d.Owner) {
			finished = 1 // stored by the killed worker, which died before its log line
		}
		if d.Status != "done" || d.Attempts != wantAttempts || processing[d.ID] != 1 || finished != 1 {
			t.Errorf("%s (%s): %s, attempts %d, claimed %d times and finished %d times (the killed worker's last claims left out); want done, %d, once, once",
				d.ID, d.FileName, d.Status, d.Attempts, processing[d.ID], finished, wantAttempts)
		}
		for _, w := range workers {
			if w.claimedBy(d.Owner) {
				perWorker[w.name]++
			}
		}
	}
	t.Logf("documents finished by worker: %v", perWorker)
}
