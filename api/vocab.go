package api

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"shenbao/doc"
	"shenbao/intake"
)

// vocabJSON is the shared vocabulary as the web UI and programs take it: the kinds of document (with
// the 第十七条 item each serves), the 第十三条 functions, the confidence from which a value is shown
// as certain, the credit code's alphabet and weights (GB 32100-2015), and the names of the cycle's
// states, the roles, the grades and the yearly duties, so that nothing of it is written twice.
type vocabJSON struct {
	Kinds          [][3]any    `json:"kinds"`     // [name, 中文, item]
	Functions      [][2]any    `json:"functions"` // [name, 中文]
	SureConfidence float64     `json:"sure_confidence"`
	CreditAlphabet string      `json:"credit_alphabet"`
	CreditWeights  [17]int     `json:"credit_weights"`
	Fields         []string    `json:"fields"`
	States         [][2]string `json:"states"`         // [state, 中文] in the order of the cycle
	Roles          [][2]string `json:"roles"`          // [role, 中文]
	Grades         []string    `json:"grades"`         // the recommender's 测评 grades
	FilingKinds    [][2]string `json:"filing_kinds"`   // the yearly duties
	PublicityDays  int         `json:"publicity_days"` // 第十八条
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
	slices.Sort(v.Fields)
	for _, st := range intake.States {
		v.States = append(v.States, [2]string{string(st), st.Label()})
	}
	for _, r := range intake.Roles {
		v.Roles = append(v.Roles, [2]string{string(r), r.Label()})
	}
	v.Grades = intake.Grades
	for _, k := range []intake.FilingKind{intake.WorkSummary, intake.InspectionReport} {
		v.FilingKinds = append(v.FilingKinds, [2]string{string(k), k.Label()})
	}
	v.PublicityDays = intake.PublicityDays
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
