package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// M adds the min_dist 0.8 variant of UMAP: computed on the neighbour graph
// (no new search once the graph is known), warm-started, cached; the next
// start reads it from the cache.
func TestMinDistVariant(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	env := []string{"XDG_CACHE_HOME=" + filepath.Join(dir, "cache")}
	state := filepath.Join(dir, "s.json")
	args := []string{"--n", "1500", "--layout", "umap", "--size", "1024x700", "--script",
		"wait-layout; key m; wait-layout; state " + state}
	code, _, errs := runApp(t, env, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	st := readState(t, state)
	if st.Layout != "umap min_dist=0.8" || len(st.Layouts) != 4 {
		t.Fatalf("layout %q of %v", st.Layout, st.Layouts)
	}
	for _, want := range []string{"UMAP min_dist 0.8: kNN reused", "init warm start", "UMAP min_dist 0.8 computed"} {
		if !strings.Contains(errs, want) {
			t.Errorf("log lacks %q:\n%s", want, errs)
		}
	}
	// Again: the variant and the graph come from the cache.
	code, _, errs = runApp(t, env, args...)
	if code != 0 || !strings.Contains(errs, "UMAP min_dist 0.8 loaded from cache") {
		t.Errorf("second start: exit %d, log:\n%s", code, errs)
	}
	// A second variant reuses the cached graph: no search.
	args[len(args)-1] = "wait-layout; key t; key down; key right; key right; key enter; wait-layout; state " + state
	code, _, errs = runApp(t, env, args...)
	if code != 0 || !strings.Contains(errs, "UMAP neighbour graph (k=14) from the cache") || !strings.Contains(errs, "UMAP min_dist 0.5: kNN reused") {
		t.Errorf("tuning panel variant: exit %d, log:\n%s", code, errs)
	}
	if st := readState(t, state); st.Layout != "umap min_dist=0.5" {
		t.Errorf("tuned layout %q", st.Layout)
	}
}

// The tuning panel's Tab reaches t-SNE and PCA: a t-SNE variant with
// another exaggeration and iteration count becomes a layout of its own,
// computed and named after its settings; a PCA variant shows other
// components.
func TestTSNEAndPCAVariants(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	env := []string{"XDG_CACHE_HOME=" + filepath.Join(dir, "cache")}
	s1, s2 := filepath.Join(dir, "tsne.json"), filepath.Join(dir, "pca.json")
	script := strings.Join([]string{"wait-layout",
		"key t", "key tab", "key down", "key left", "key down", "key left", "key enter", "wait-layout", "state " + s1,
		"key t", "key left", "key enter", "wait-layout",
		"key t", "key tab", "key right", "key right", "key enter", "wait-layout", "state " + s2}, "; ")
	code, _, errs := runApp(t, env, "--n", "1200", "--layout", "pca", "--size", "1024x700", "--script", script)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if st := readState(t, s1); st.Layout != "tsne exaggeration=4 iterations=500" {
		t.Errorf("t-SNE variant: layout %q of %v", st.Layout, st.Layouts)
	}
	// The first variant searches t-SNE's graph, the second keeps it.
	for _, want := range []string{"t-SNE exaggeration 4 iterations 500 computed", "t-SNE neighbour graph (perplexity 30) searched",
		"t-SNE neighbour graph (perplexity 30) kept", "t-SNE exaggeration 4 iterations 250: kNN reused", "t-SNE exaggeration 4 iterations 250 computed"} {
		if !strings.Contains(errs, want) {
			t.Errorf("log lacks %q:\n%s", want, errs)
		}
	}
	if st := readState(t, s2); st.Layout != "pca 3,2" {
		t.Errorf("PCA variant: layout %q of %v", st.Layout, st.Layouts)
	}
}
