package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// config is everything the program can be told. Each setting comes from its environment variable, and a
// flag overrides it.
type config struct {
	Addr        string
	DataDir     string
	MaxFileMB   int
	Workers     int
	OCRLang     string
	OCREngine   string
	PageTimeout time.Duration
	OCRMemMB    int
	OCRNice     int
	LogLevel    string
	LogFormat   string

	// Limits and retries of reading (README: Processing and limits).
	RenderTimeout time.Duration
	RenderMemMB   int
	MaxDocPages   int
	MaxAppPages   int
	ReadAttempts  int
	RetryDelay    time.Duration

	// Scale-out (README: Several processes).
	APIOnly   bool
	Documents int
	Lease     time.Duration

	HolidaysFile   string
	RetentionYears int
	ScrubEvery     time.Duration
	SessionIdle    time.Duration
	SessionMax     time.Duration

	MinioEndpoint  string
	MinioAccessKey string
	MinioSecretKey string
	MinioBucket    string
	MinioSSL       bool

	MongoURI string
	MongoDB  string
}

type setting struct {
	env, usage string
	ptr        any
	secret     bool
}

func (c *config) settings() []setting {
	return []setting{
		{"SHENBAO_ADDR", "address to listen on", &c.Addr, false},
		{"SHENBAO_DATA_DIR", "directory of the embedded stores (originals and metadata)", &c.DataDir, false},
		{"SHENBAO_MAX_FILE_MB", "largest accepted file, in MB", &c.MaxFileMB, false},
		{"SHENBAO_WORKERS", "OCR worker processes (pages read at once)", &c.Workers, false},
		{"SHENBAO_OCR_LANG", "Tesseract languages", &c.OCRLang, false},
		{"SHENBAO_OCR_ENGINE", "reader: auto (the most accurate combination), tesseract or ppocr", &c.OCREngine, false},
		{"SHENBAO_OCR_PAGE_TIMEOUT", "longest time to read one page", &c.PageTimeout, false},
		{"SHENBAO_OCR_MEM_MB", "address-space limit of each OCR worker, in MB", &c.OCRMemMB, false},
		{"SHENBAO_OCR_NICE", "CPU niceness of the OCR workers (1–19; the API runs at the service's own)", &c.OCRNice, false},
		{"SHENBAO_RENDER_TIMEOUT", "longest time to draw one PDF page (apart from the page timeout); a page over it fails as the file's", &c.RenderTimeout, false},
		{"SHENBAO_RENDER_MEM_MB", "address-space limit of drawing one PDF page, in MB", &c.RenderMemMB, false},
		{"SHENBAO_MAX_DOC_PAGES", "most pages of one document", &c.MaxDocPages, false},
		{"SHENBAO_MAX_APP_PAGES", "most pages of an application's documents", &c.MaxAppPages, false},
		{"SHENBAO_READ_ATTEMPTS", "readings of a document the service failed (a worker died, a store did not answer) before it fails", &c.ReadAttempts, false},
		{"SHENBAO_RETRY_DELAY", "wait before reading such a document again, three times as long each next time", &c.RetryDelay, false},
		{"SHENBAO_API_ONLY", "serve reads no documents: only the API and web UI (run `shenbao worker` processes to read them)", &c.APIOnly, false},
		{"SHENBAO_DOCUMENTS", "documents a process reads at once (0: twice the workers and two, at least 4)", &c.Documents, false},
		{"SHENBAO_LEASE", "how long a claimed document stays its process's without a heartbeat (renewed every third of it); a document whose process died is read again after it", &c.Lease, false},
		{"SHENBAO_LOG_LEVEL", "debug, info, warn or error", &c.LogLevel, false},
		{"SHENBAO_LOG_FORMAT", "text or json", &c.LogFormat, false},
		{"SHENBAO_HOLIDAYS_FILE", "a holidays file over the shipped calendar (see calendar/holidays.json)", &c.HolidaysFile, false},
		{"SHENBAO_RETENTION_YEARS", "years a decided application's originals are kept under retention (MinIO)", &c.RetentionYears, false},
		{"SHENBAO_SCRUB_EVERY", "re-hash every original in the blob store this often, reporting missing or corrupt ones on /readyz and in the log (0: off)", &c.ScrubEvery, false},
		{"SHENBAO_SESSION_IDLE", "a browser session ends after this long unused", &c.SessionIdle, false},
		{"SHENBAO_SESSION_MAX", "a browser session ends this long after login", &c.SessionMax, false},
		{"SHENBAO_MINIO_ENDPOINT", "MinIO host:port; set to keep originals in MinIO", &c.MinioEndpoint, false},
		{"SHENBAO_MINIO_ACCESS_KEY", "MinIO access key", &c.MinioAccessKey, false},
		{"SHENBAO_MINIO_SECRET_KEY", "MinIO secret key", &c.MinioSecretKey, true},
		{"SHENBAO_MINIO_BUCKET", "MinIO bucket (created with object locking)", &c.MinioBucket, false},
		{"SHENBAO_MINIO_SSL", "use TLS to MinIO", &c.MinioSSL, false},
		{"SHENBAO_MONGO_URI", "MongoDB URI; set to keep metadata in MongoDB", &c.MongoURI, true},
		{"SHENBAO_MONGO_DB", "MongoDB database", &c.MongoDB, false},
	}
}

func defaultConfig() config {
	return config{
		Addr: "127.0.0.1:8080", DataDir: "data", MaxFileMB: 50, Workers: runtime.NumCPU(), OCRLang: "chi_sim", OCREngine: "auto",
		PageTimeout: 2 * time.Minute, OCRMemMB: 3072, OCRNice: 10, LogLevel: "info", LogFormat: "text",
		RenderTimeout: time.Minute, RenderMemMB: 1024, MaxDocPages: 300, MaxAppPages: 1000, ReadAttempts: 4, RetryDelay: 5 * time.Second,
		Lease:       time.Minute,
		SessionIdle: 2 * time.Hour, SessionMax: 12 * time.Hour, RetentionYears: 10, ScrubEvery: 24 * time.Hour,
		MinioBucket: "shenbao", MongoDB: "shenbao",
	}
}

// parseConfig reads the environment, then the flags of one command.
func parseConfig(name string, args []string, stderr io.Writer, extra func(*flag.FlagSet)) (config, *flag.FlagSet, error) {
	c := defaultConfig()
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, s := range c.settings() {
		flagName := strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(s.env, "SHENBAO_")), "_", "-")
		v, set := os.LookupEnv(s.env)
		usage := s.usage + " (env " + s.env + ")"
		var err error
		switch p := s.ptr.(type) {
		case *string:
			if set {
				*p = v
			}
			fs.StringVar(p, flagName, *p, usage)
		case *int:
			if set {
				*p, err = strconv.Atoi(v)
			}
			fs.IntVar(p, flagName, *p, usage)
		case *bool:
			if set {
				*p, err = strconv.ParseBool(v)
			}
			fs.BoolVar(p, flagName, *p, usage)
		case *time.Duration:
			if set {
				*p, err = time.ParseDuration(v)
			}
			fs.DurationVar(p, flagName, *p, usage)
		}
		if err != nil {
			return c, fs, fmt.Errorf("%s=%q: %w", s.env, v, err)
		}
	}
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return c, fs, err
	}
	if c.Workers < 1 {
		c.Workers = 1
	}
	return c, fs, nil
}

// logValue dumps the configuration with secrets redacted.
func (c *config) logValue() []any {
	var out []any
	for _, s := range c.settings() {
		v := fmt.Sprint(reflectValue(s.ptr))
		if s.secret && v != "" {
			v = "[redacted]"
		}
		out = append(out, s.env, v)
	}
	return out
}

func reflectValue(p any) any {
	switch p := p.(type) {
	case *string:
		return *p
	case *int:
		return *p
	case *bool:
		return *p
	case *time.Duration:
		return *p
	}
	return nil
}

func newLogger(c config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
