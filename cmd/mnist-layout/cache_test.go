package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/clitest"
)

// layoutRun is one in-process run of mnist-layout.
type layoutRun struct {
	code           int
	stdout, stderr string
}

func runLayout(t *testing.T, args ...string) layoutRun {
	t.Helper()
	var out, errb strings.Builder
	code := run(args, &out, &errb)
	return layoutRun{code, out.String(), errb.String()}
}

// cachePath returns the entry a run read ("cache     PATH"), or "".
func (r layoutRun) cachePath() string {
	for _, line := range strings.Split(r.stdout, "\n") {
		if p, ok := strings.CutPrefix(line, "cache     "); ok {
			return p
		}
	}
	return ""
}

func (r layoutRun) computed() bool { return strings.Contains(r.stdout, "\ntotal ") }

// TestCache runs --cache through its cases: a miss computes and stores, a
// hit reads and prints the entry, a damaged entry is reported, recomputed
// and replaced, --recompute computes, and PCA is never cached.
func TestCache(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	data, dir := smallDataset(t), t.TempDir()
	umap := func(out string, extra ...string) layoutRun {
		t.Helper()
		args := append([]string{"--data", data, "--method", "umap", "--workers", "1", "--quiet", "--cache", "--out", filepath.Join(dir, out)}, extra...)
		r := runLayout(t, args...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
		}
		return r
	}
	if r := umap("a.npy"); !r.computed() || r.cachePath() != "" {
		t.Fatalf("first run did not compute:\n%s", r.stdout)
	}
	hit := umap("b.npy")
	path := hit.cachePath()
	if path == "" || hit.computed() {
		t.Fatalf("second run did not read the cache:\n%s", hit.stdout)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "a.npy"))
	if b, _ := os.ReadFile(filepath.Join(dir, "b.npy")); len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("the cached layout differs from the computed one")
	}
	if err := os.WriteFile(path, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := umap("c.npy"); !r.computed() || !strings.HasPrefix(r.stderr, "mnist-layout: ignoring cached layout: layoutcache: invalid entry: "+path) {
		t.Errorf("damaged entry: computed %v, stderr %q", r.computed(), r.stderr)
	}
	if r := umap("d.npy"); r.cachePath() != path {
		t.Errorf("the damaged entry was not replaced:\n%s", r.stdout)
	}
	if r := umap("e.npy", "--recompute"); !r.computed() || r.cachePath() != "" {
		t.Errorf("--recompute read the cache:\n%s", r.stdout)
	}
	for range 2 {
		if r := runLayout(t, "--data", data, "--method", "pca", "--quiet", "--cache", "--out", filepath.Join(dir, "p.npy")); r.code != 0 || !r.computed() || r.cachePath() != "" {
			t.Errorf("pca --cache: exit %d, stdout %q, stderr %q; want computed each time", r.code, r.stdout, r.stderr)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("%d cache entries, want UMAP's only", len(entries))
	}
}

// A named pipe where the cache entry should be is reported and replaced,
// not waited on.
func TestCacheEntryIsANamedPipe(t *testing.T) {
	bin := layoutBinary(t)
	cacheHome := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cacheHome)
	data := smallDataset(t)
	args := []string{"--data", data, "--method", "umap", "--quiet", "--cache", "--metrics"}
	runLayout(t, args...)
	path := runLayout(t, args...).cachePath()
	if path == "" {
		t.Fatal("no cache entry written")
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := mkfifo(path); err != nil {
		t.Skip("no named pipes:", err)
	}
	r := clitest.Run(t, evalTimeout, []string{"XDG_CACHE_HOME=" + cacheHome}, bin, args...)
	if r.Code != 0 || !strings.Contains(r.Stderr, "ignoring cached layout") || !strings.Contains(r.Stderr, path) {
		t.Errorf("exit %d, stderr %q; want 0 and the entry reported", r.Code, r.Stderr)
	}
	if st, err := os.Lstat(path); err != nil || !st.Mode().IsRegular() {
		t.Errorf("the pipe was not replaced by an entry: %v", err)
	}
}
