package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A damaged cache entry is reported, ignored and replaced by a recomputed
// layout; the next start trusts the new entry.
func TestDamagedCacheIsRecomputed(t *testing.T) {
	needDisplay(t)
	cache := t.TempDir()
	env := []string{"XDG_CACHE_HOME=" + cache}
	args := []string{"--n", "400", "--layout", "umap", "--screenshot", filepath.Join(t.TempDir(), "s.png")}
	if code, _, errs := runApp(t, env, args...); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, errs)
	}
	entries, _ := filepath.Glob(filepath.Join(cache, "mnist-explorer", "layouts", "umap-*.layout"))
	if len(entries) != 1 {
		t.Fatalf("cache holds %v, want one UMAP entry", entries)
	}
	for _, damage := range []string{"bit flip", "truncation"} {
		b, err := os.ReadFile(entries[0])
		if err != nil {
			t.Fatal(err)
		}
		if damage == "bit flip" {
			b[len(b)/2] ^= 0x04
		} else {
			b = b[:len(b)-9]
		}
		os.WriteFile(entries[0], b, 0o644)
		code, _, errs := runApp(t, env, args...)
		if code != 0 || !strings.Contains(errs, "ignoring cached layout") || !strings.Contains(errs, "UMAP computed") {
			t.Fatalf("%s: exit %d, stderr %q: want a notice and a recomputed UMAP", damage, code, errs)
		}
		code, _, errs = runApp(t, env, args...)
		if code != 0 || !strings.Contains(errs, "UMAP loaded from cache") {
			t.Fatalf("%s: the recomputed entry was not trusted next time: exit %d, %q", damage, code, errs)
		}
	}
}

// A panic inside a background job is reported and the rest of the app
// stays usable.
func TestJobPanicIsReportedAndAppStaysUsable(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "s.json")
	code, _, errs := runApp(t, []string{"MNIST_EXPLORER_FAULT=tsne"}, "--n", "500", "--layout", "pca", "--no-cache",
		"--script", "wait-layout; key 3; wait-frames 20; key 1; wait-layout; move-to-row 10; click; wait-neighbors; state "+state)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "t-SNE failed") || !strings.Contains(errs, "injected fault") {
		t.Errorf("stderr %q does not report the failure", errs)
	}
	st := readState(t, state)
	if !strings.Contains(st.Errors["tsne"], "injected fault") {
		t.Errorf("state errors %v", st.Errors)
	}
	if st.Layout != "pca" || st.Selected < 0 || len(st.Neighbors) != inspectK {
		t.Errorf("after the failure: layout %s, selected %d, %d neighbours", st.Layout, st.Selected, len(st.Neighbors))
	}
}
