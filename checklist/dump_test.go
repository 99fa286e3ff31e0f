package checklist

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestDump(t *testing.T) {
	name := os.Getenv("DUMP")
	if name == "" {
		t.Skip()
	}
	app, docs, _ := loadFolder(t, filepath.Join(corpusDir, name))
	r := Evaluate(app, docs, app.SubmissionDate)
	b, _ := json.MarshalIndent(r, "", " ")
	os.Stdout.Write(b)
	for _, w := range r.Warnings {
		t.Logf("%s %s: %s", w.Severity, w.Code, w.Message)
	}
	s, _ := json.Marshal(r.Score())
	t.Log(string(s))
}
