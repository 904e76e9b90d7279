// Package deploy holds deployment files for users' clusters (Docker, compose,
// Kubernetes, NATS and ClickHouse cluster configs). No Docker engine or
// cluster runs here, so this test checks what can be checked: every YAML file
// parses, Kubernetes objects are well-formed, and the twinwatch configs they
// carry pass twinwatch's own config validation.
package deploy

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/twinwatch/twinwatch/config"
)

func yamlDocs(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []map[string]any
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs
		}
		require.NoError(t, err, path)
		if doc != nil {
			docs = append(docs, doc)
		}
	}
}

func TestKubernetesManifests(t *testing.T) {
	t.Setenv("CLICKHOUSE_PASSWORD", "test")
	files, err := filepath.Glob("k8s/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		for _, doc := range yamlDocs(t, f) {
			require.NotEmpty(t, doc["apiVersion"], f)
			require.NotEmpty(t, doc["kind"], f)
			meta, ok := doc["metadata"].(map[string]any)
			require.True(t, ok, "%s: metadata", f)
			require.NotEmpty(t, meta["name"], f)
			if doc["kind"] == "ConfigMap" {
				data := doc["data"].(map[string]any)
				_, err := config.LoadBytes(f+":twinwatch.yaml", []byte(data["twinwatch.yaml"].(string)))
				require.NoError(t, err)
			}
		}
	}
}

func TestComposeAndConfig(t *testing.T) {
	t.Setenv("CLICKHOUSE_PASSWORD", "test")
	docs := yamlDocs(t, "compose.yaml")
	require.Len(t, docs, 1)
	services := docs[0]["services"].(map[string]any)
	for _, s := range []string{"nats", "clickhouse", "migrate", "parse", "sink", "schedule"} {
		require.Contains(t, services, s)
	}
	_, err := config.Load("twinwatch.yaml")
	require.NoError(t, err)
}

func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("Dockerfile")
	require.NoError(t, err)
	require.True(t, strings.Contains(string(data), "./cmd/twinwatch"))
}
