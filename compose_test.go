package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// No Docker engine runs here, so docker-compose.yml is checked by reading it: it must parse, hold the
// three services, and configure Shenbao only through variables the program knows.
func TestComposeFile(t *testing.T) {
	b, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Services map[string]struct {
			Environment map[string]string `yaml:"environment"`
			Healthcheck map[string]any    `yaml:"healthcheck"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	for _, s := range []string{"shenbao", "minio", "mongo"} {
		svc, ok := f.Services[s]
		if !ok {
			t.Fatalf("service %s missing", s)
		}
		if svc.Healthcheck == nil {
			t.Errorf("service %s has no health check", s)
		}
	}
	var known []string
	c := defaultConfig()
	for _, s := range c.settings() {
		known = append(known, s.env)
	}
	env := f.Services["shenbao"].Environment
	for k := range env {
		if strings.HasPrefix(k, "SHENBAO_") && !slices.Contains(known, k) {
			t.Errorf("docker-compose.yml sets %s, which the program does not read", k)
		}
	}
	for _, k := range []string{"SHENBAO_MINIO_ENDPOINT", "SHENBAO_MONGO_URI"} {
		if env[k] == "" {
			t.Errorf("docker-compose.yml does not set %s", k)
		}
	}
}
