package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"shenbao/doc"
)

// TestVocabulary: the UI's kinds, functions, threshold and credit-code weights come from package doc.
func TestVocabulary(t *testing.T) {
	gin.SetMode(gin.TestMode)
	s := &Server{}
	e := gin.New()
	e.GET("/api/v1/vocabulary", s.handle(s.getVocabulary))
	e.GET("/vocabulary.js", s.vocabularyJS)

	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/v1/vocabulary", nil))
	var v struct {
		Kinds          [][]any   `json:"kinds"`
		Functions      [][]any   `json:"functions"`
		SureConfidence float64   `json:"sure_confidence"`
		CreditAlphabet string    `json:"credit_alphabet"`
		CreditWeights  []float64 `json:"credit_weights"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil || w.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/vocabulary: %d %v", w.Code, err)
	}
	if len(v.Kinds) != len(doc.Kinds) || len(v.Functions) != len(doc.Functions) || v.SureConfidence != doc.SureConfidence ||
		v.CreditAlphabet != doc.CreditCodeAlphabet || len(v.CreditWeights) != 17 {
		t.Errorf("vocabulary = %+v", v)
	}
	if v.Functions[0][0] != "information" || v.Functions[0][1] != "信息服务" {
		t.Errorf("first function = %v", v.Functions[0])
	}

	w = httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/vocabulary.js", nil))
	if body := w.Body.String(); !strings.HasPrefix(body, "window.SB_VOCAB = {") || !strings.Contains(w.Header().Get("Content-Type"), "javascript") {
		t.Errorf("vocabulary.js: %q (%s)", body[:min(len(body), 40)], w.Header().Get("Content-Type"))
	}
}
