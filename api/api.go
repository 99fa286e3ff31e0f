// Package api is Shenbao's HTTP edge: the JSON API under /api/v1, health checks, and the web UI. It is
// the only package that imports gin. Handlers return errors; one adapter maps them to statuses and a JSON
// body with a machine code and a Chinese message, so internals never leak.
package api

import (
	"context"
	"errors"
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
}

// Config configures the Server.
type Config struct {
	// MaxUploadBytes bounds one upload request (all its files); default 500 MB.
	MaxUploadBytes int64
	// Ready lists what /readyz pings, by name (e.g. "blobs", "store").
	Ready map[string]Pinger
	// Metrics records requests and serves /metrics; nil: the Server makes its own.
	Metrics *Metrics
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
	s := &Server{svc: svc, log: log, ready: cfg.Ready, maxBody: cfg.MaxUploadBytes, limiter: newAddrLimiter(20, 15*time.Minute), prom: cfg.Metrics}
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
	writeError(c, status, code, msg)
}

func (s *Server) recoverer(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
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
	if !ok {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "components": status})
		return nil
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "components": status})
	return nil
}
