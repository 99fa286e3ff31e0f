package api

import (
	"embed"
	"io/fs"
	"net/http"
	"os"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed web
var webFS embed.FS

// webRoutes serves the web UI: the embedded files, or those of SHENBAO_WEB_DIR when set (development).
func (s *Server) webRoutes(e *gin.Engine) {
	var files fs.FS
	if dir := os.Getenv("SHENBAO_WEB_DIR"); dir != "" {
		files = os.DirFS(dir)
	} else {
		files, _ = fs.Sub(webFS, "web")
	}
	fileServer := http.FileServer(http.FS(files))
	serve := func(c *gin.Context) {
		if p := c.Request.URL.Path; p != "/" && strings.HasSuffix(p, "/") {
			writeError(c, http.StatusNotFound, "not_found", "请求的地址不存在。") // no directory listings
			return
		}
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		fileServer.ServeHTTP(c.Writer, c.Request)
	}
	e.GET("/", serve)
	e.GET("/vocabulary.js", s.vocabularyJS)
	e.GET("/static/*path", serve)
}
