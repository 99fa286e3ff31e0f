// Package api is Shenbao's HTTP edge: the JSON API under /api/v1, health checks, and the web UI. It is
// the only package that imports gin. Handlers return errors; one adapter maps them to statuses and a JSON
// body with a machine code and a Chinese message, so internals never leak.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"shenbao/intake"
)

// Pinger is anything whose health /readyz asks.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Server serves the API.
type Server struct {
	svc     *intake.Service
	log     *slog.Logger
	ready   map[string]Pinger
	maxBody int64
	limiter *addrLimiter
	engine  *gin.Engine
	prom    *Metrics
	scrub   ScrubStatus
}

// ScrubStatus is the periodic scrub of the originals (intake.ScrubLoop), whose last report /readyz
// shows.
type ScrubStatus interface {
	Last() *intake.ScrubReport // nil before the first scrub has ended
	Every() time.Duration      // 0: the scrub is off
}

// Config configures the Server.
type Config struct {
	// MaxUploadBytes bounds one upload request (all its files); default 500 MB.
	MaxUploadBytes int64
	// Ready lists what /readyz pings, by name (e.g. "blobs", "store").
	Ready map[string]Pinger
	// Metrics records requests and serves /metrics; nil: the Server makes its own.
	Metrics *Metrics
	// Scrub, when set, is the scrub whose last report /readyz shows under "originals".
	Scrub ScrubStatus
}

// New builds the routes.
func New(svc *intake.Service, log *slog.Logger, cfg Config) *Server {
	gin.SetMode(gin.ReleaseMode)
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = 500 << 20
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics("")
	}
	s := &Server{svc: svc, log: log, ready: cfg.Ready, maxBody: cfg.MaxUploadBytes, limiter: newAddrLimiter(20, 15*time.Minute), prom: cfg.Metrics, scrub: cfg.Scrub}
	s.prom.watch(svc, log)
	e := gin.New()
	e.Use(s.prom.measure, noSniff, s.recoverer, s.accessLog)
	e.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	e.GET("/readyz", s.handle(s.readyz))
	e.GET("/metrics", s.handle(s.metrics))

	// Only signing in, the health checks, the metrics and the UI's files answer without a principal.
	e.POST("/api/v1/session", s.handle(s.login))
	v1 := e.Group("/api/v1", s.authenticate)
	v1.GET("/session", s.handle(s.getSession))
	v1.DELETE("/session", s.handle(s.logout))
	v1.POST("/session/password", s.handle(s.changePassword))
	v1.POST("/tokens", s.handle(s.createToken))
	v1.GET("/users", s.handle(s.listUsers))
	v1.POST("/users", s.handle(s.createUser))
	v1.PATCH("/users/:id", s.handle(s.updateUser))
	s.cycleRoutes(v1)
	v1.POST("/applications", s.handle(s.createApplication))
	v1.GET("/applications", s.handle(s.listApplications))
	v1.GET("/applications/:id", s.handle(s.getApplication))
	v1.POST("/applications/:id/documents", s.handle(s.upload))
	v1.GET("/applications/:id/documents", s.handle(s.listDocuments))
	v1.GET("/applications/:id/checklist", s.handle(s.getChecklist))
	v1.GET("/documents/:id", s.handle(s.getDocument))
	v1.GET("/documents/:id/original", s.handle(s.getOriginal))
	v1.GET("/documents/:id/pages", s.handle(s.getPages))
	v1.GET("/documents/:id/fields", s.handle(s.getFields))
	v1.GET("/documents/:id/declared", s.handle(s.getDeclared))
	v1.GET("/documents/:id/pages/:n/image", s.handle(s.getPageImage))
	v1.POST("/documents/:id/fields/:name", s.handle(s.reviewField))
	v1.POST("/documents/:id/kind", s.handle(s.setKind))
	v1.POST("/applications/:id/items/:n", s.handle(s.reviewItem))
	v1.POST("/documents/:id/reread", s.handle(s.readDocumentAgain))
	v1.POST("/applications/:id/reread", s.handle(s.readApplicationAgain))
	v1.GET("/dashboard", s.handle(s.dashboard))
	v1.GET("/dashboard/export", s.handle(s.exportDashboard))
	v1.GET("/vocabulary", s.handle(s.getVocabulary))
	s.webRoutes(e)
	e.NoRoute(func(c *gin.Context) {
		writeError(c, http.StatusNotFound, "not_found", "请求的地址不存在。")
	})
	s.engine = e
	return s
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// handle adapts a handler that returns an error.
func (s *Server) handle(f func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := f(c); err != nil {
			s.writeErr(c, err)
		}
	}
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func writeError(c *gin.Context, status int, code, msg string) {
	c.AbortWithStatusJSON(status, errorBody{Error: errorDetail{Code: code, Message: msg}})
}

// errorStatus maps a domain error to a status, a code and a Chinese message.
func errorStatus(err error) (int, string, string) {
	var ie *intake.Error
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, intake.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, intake.ErrInvalid), errors.Is(err, intake.ErrEmpty):
		status = http.StatusBadRequest
	case errors.Is(err, intake.ErrUnsupported):
		status = http.StatusUnsupportedMediaType
	case errors.Is(err, intake.ErrTooLarge):
		status = http.StatusRequestEntityTooLarge
	case errors.Is(err, intake.ErrConflict), errors.Is(err, intake.ErrState):
		status = http.StatusConflict
	case errors.Is(err, intake.ErrUnauthenticated):
		status = http.StatusUnauthorized
	case errors.Is(err, intake.ErrForbidden):
		status = http.StatusForbidden
	case errors.Is(err, intake.ErrTooMany):
		status = http.StatusTooManyRequests
	case errors.Is(err, intake.ErrUnavailable):
		status = http.StatusServiceUnavailable
	}
	if errors.As(err, &ie) {
		return status, ie.Code, ie.Message
	}
	switch status {
	case http.StatusNotFound:
		return status, "not_found", "未找到请求的对象。"
	case http.StatusBadRequest:
		return status, "invalid_argument", "请求参数有误。"
	case http.StatusServiceUnavailable:
		return status, "unavailable", "存储服务暂时不可用，请稍后重试；已上传的材料不会丢失。"
	case http.StatusConflict:
		return status, "conflict", "对象已存在。"
	case http.StatusUnauthorized:
		return status, "unauthenticated", "请先登录。"
	case http.StatusForbidden:
		return status, "forbidden", "无权进行此操作。"
	}
	return status, "internal", "内部错误，请稍后重试。"
}

func (s *Server) writeErr(c *gin.Context, err error) {
	status, code, msg := errorStatus(err)
	if status >= 500 {
		s.log.ErrorContext(c.Request.Context(), "request failed", "method", c.Request.Method, "path", c.FullPath(), "err", err)
	}
	retryAfter(c, status)
	writeError(c, status, code, msg)
}

// retryAfterSeconds is how long a client is asked to wait after a 503 (a store that does not answer):
// long enough for a restarted MinIO or database to be back, short enough for a person to try again.
const retryAfterSeconds = "30"

// retryAfter sets Retry-After on a 503 response.
func retryAfter(c *gin.Context, status int) {
	if status == http.StatusServiceUnavailable {
		c.Header("Retry-After", retryAfterSeconds)
	}
}

func (s *Server) recoverer(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r) // a response cut short on purpose: net/http closes the connection
			}
			s.log.ErrorContext(c.Request.Context(), "panic in handler", "path", c.FullPath(), "panic", r)
			writeError(c, http.StatusInternalServerError, "internal", "内部错误，请稍后重试。")
		}
	}()
	c.Next()
}

func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.log.InfoContext(c.Request.Context(), "http", "method", c.Request.Method, "path", c.FullPath(),
		"status", c.Writer.Status(), "ms", time.Since(start).Milliseconds())
}

// readyz answers whether the stores answer (a ping each: cheap), with the last scrub's findings
// beside them under "originals" when the scrub runs. Missing or corrupt originals do not make the
// service unready — it still serves everything else — but they are shown here and logged as errors.
// Anyone may ask, so the findings are counts; the ids of the documents and filings and the keys of the
// orphans are shown only to staff and auditors signed in (a session or a token, as for the API), and
// are in the log.
func (s *Server) readyz(c *gin.Context) error {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	status := gin.H{}
	ok := true
	for name, p := range s.ready {
		if err := p.Ping(ctx); err != nil {
			status[name] = "unavailable"
			ok = false
			s.log.WarnContext(ctx, "not ready", "component", name, "err", err)
		} else {
			status[name] = "ok"
		}
	}
	body := gin.H{"status": "ok", "components": status}
	if s.scrub != nil {
		body["originals"] = toScrubJSON(s.scrub.Last(), s.scrub.Every(), ok && s.mayAudit(ctx, c.Request))
	}
	if !ok {
		body["status"] = "unavailable"
		c.Header("Retry-After", retryAfterSeconds)
		c.JSON(http.StatusServiceUnavailable, body)
		return nil
	}
	c.JSON(http.StatusOK, body)
	return nil
}

// mayAudit reports whether r is signed in (a bearer token or a session cookie) as staff or an
// auditor, on a route that does not require signing in: anything else, an error of the stores
// included, is no.
func (s *Server) mayAudit(ctx context.Context, r *http.Request) bool {
	token := bearer(r)
	if token == "" {
		ck, err := r.Cookie(sessionCookie)
		if err != nil {
			return false
		}
		token = ck.Value
	}
	p, _, err := s.svc.Authenticate(ctx, token)
	return err == nil && (p.Role == intake.RoleStaff || p.Role == intake.RoleAuditor)
}

// scrubJSON is the last scrub's report on /readyz.
type scrubJSON struct {
	// Status is "ok", "problems" (originals missing or corrupt), "incomplete" (the scrub was stopped
	// by a store that did not answer), "pending" (none has ended yet) or "off".
	Status    string     `json:"status"`
	Message   string     `json:"message"`
	Every     string     `json:"every,omitempty"`
	At        *time.Time `json:"at,omitempty"`
	Seconds   float64    `json:"seconds,omitempty"`
	Documents int        `json:"documents"`
	Filings   int        `json:"filings"`
	Objects   int        `json:"objects"`
	Missing   int        `json:"missing"` // documents and filings whose original is missing
	Corrupt   int        `json:"corrupt"` // … or changed
	Orphans   int        `json:"orphans"` // originals no document or filing names (kept)
	// Only for staff and auditors: which.
	MissingIDs []string `json:"missing_ids,omitempty"`
	CorruptIDs []string `json:"corrupt_ids,omitempty"`
	OrphanKeys []string `json:"orphan_keys,omitempty"`
}

// toScrubJSON is r for /readyz; detail adds the ids and keys.
func toScrubJSON(r *intake.ScrubReport, every time.Duration, detail bool) scrubJSON {
	j := scrubJSON{}
	if every <= 0 {
		j.Status, j.Message = "off", "未开启原件定期校验（SHENBAO_SCRUB_EVERY=0）。"
		return j
	}
	j.Every = every.String()
	if r == nil {
		j.Status, j.Message = "pending", "原件定期校验正在进行，尚无结果。"
		return j
	}
	at := r.Start
	j.At, j.Seconds = &at, r.Duration.Round(time.Millisecond).Seconds()
	j.Documents, j.Filings, j.Objects = r.Documents, r.Filings, r.Objects
	j.Missing, j.Corrupt, j.Orphans = len(r.Missing), len(r.Corrupt), len(r.Orphans)
	if detail {
		j.MissingIDs, j.CorruptIDs, j.OrphanKeys = r.Missing, r.Corrupt, r.Orphans
	}
	switch {
	case len(r.Missing) > 0 || len(r.Corrupt) > 0:
		j.Status = "problems"
		j.Message = fmt.Sprintf("原件校验发现问题：%d 份缺失，%d 份与上传时不一致（详见日志中的 SCRUB 记录）。", len(r.Missing), len(r.Corrupt))
	case r.Err != "":
		j.Status, j.Message = "incomplete", fmt.Sprintf("原件校验未完成：存储暂时不可用（已校验 %d 份），稍后将重试。", r.Objects)
	default:
		j.Status, j.Message = "ok", fmt.Sprintf("全部 %d 份材料的原件与上传时一致。", r.Documents)
	}
	if len(r.Orphans) > 0 {
		j.Message += fmt.Sprintf("另有 %d 个原件没有任何材料引用（已保留，请核查日志中的 SCRUB 记录）。", len(r.Orphans))
	}
	return j
}
