package api

import "github.com/gin-gonic/gin"

// noSniff tells browsers to take every response for the type it declares (JSON as JSON, an original
// as what was sniffed from it), never to guess a page or a script from its bytes.
func noSniff(c *gin.Context) {
	c.Header("X-Content-Type-Options", "nosniff")
	c.Next()
}
