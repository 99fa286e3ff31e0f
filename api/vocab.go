package api

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"shenbao/doc"
)

// vocabJSON is the shared vocabulary as the web UI and programs take it: the kinds of document (with
// the 第十七条 item each serves), the 第十三条 functions, the confidence from which a value is shown
// as certain, and the credit code's alphabet and weights (GB 32100-2015), so that nothing of it is
// written twice.
type vocabJSON struct {
	Kinds          [][3]any `json:"kinds"`     // [name, 中文, item]
	Functions      [][2]any `json:"functions"` // [name, 中文]
	SureConfidence float64  `json:"sure_confidence"`
	CreditAlphabet string   `json:"credit_alphabet"`
	CreditWeights  [17]int  `json:"credit_weights"`
	Fields         []string `json:"fields"`
}

func vocabulary() vocabJSON {
	v := vocabJSON{SureConfidence: doc.SureConfidence, CreditAlphabet: doc.CreditCodeAlphabet, CreditWeights: doc.CreditWeights}
	for _, k := range doc.Kinds {
		v.Kinds = append(v.Kinds, [3]any{k.Name, k.Zh, k.Item})
	}
	for _, f := range doc.Functions {
		v.Functions = append(v.Functions, [2]any{f.Name, f.Zh})
	}
	for n := range doc.FieldTypes {
		v.Fields = append(v.Fields, n)
	}
	return v
}

// getVocabulary answers GET /api/v1/vocabulary.
func (s *Server) getVocabulary(c *gin.Context) error {
	c.JSON(http.StatusOK, vocabulary())
	return nil
}

// vocabularyJS serves the vocabulary as a script that sets window.SB_VOCAB, loaded before the UI's
// own scripts (no inline script: the CSP allows none).
func (s *Server) vocabularyJS(c *gin.Context) {
	b, _ := json.Marshal(vocabulary())
	h := c.Writer.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	c.Status(http.StatusOK)
	c.Writer.WriteString("window.SB_VOCAB = ")
	c.Writer.Write(b)
	c.Writer.WriteString(";\n")
}
