package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"shenbao/intake"
)

// readDocumentAgain queues a document to be read again (staff): 202 with the document.
func (s *Server) readDocumentAgain(c *gin.Context) error {
	d, err := s.svc.ReadAgain(c.Request.Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusAccepted, toDocument(d, intake.Shown{}))
	return nil
}

type readAgainJSON struct {
	Queued    int            `json:"queued"`
	Documents []documentJSON `json:"documents"`
}

// readApplicationAgain queues an application's documents to be read again (staff), those that failed
// only with ?only=failed: 202 with the documents queued.
func (s *Server) readApplicationAgain(c *gin.Context) error {
	docs, err := s.svc.ReadApplicationAgain(c.Request.Context(), principal(c), c.Param("id"), c.Query("only") == "failed")
	if err != nil {
		return err
	}
	out := readAgainJSON{Queued: len(docs), Documents: []documentJSON{}}
	for _, d := range docs {
		out.Documents = append(out.Documents, toDocument(d, intake.Shown{}))
	}
	c.JSON(http.StatusAccepted, out)
	return nil
}
