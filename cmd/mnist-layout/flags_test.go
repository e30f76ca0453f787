package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/clitest"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// TestTSNEFlags checks that each t-SNE override reaches the algorithm: the
// same flags give the same layout twice (t-SNE is deterministic), and each
// override gives a different one.
func TestTSNEFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("five t-SNE runs; the full (non-short) test run has them")
	}
	dir := t.TempDir()
	layout := func(name string, extra ...string) []float32 {
		t.Helper()
		out := filepath.Join(dir, name+".npy")
		args := append([]string{"--method", "tsne", "--n", "300", "--quiet", "--out", out}, extra...)
		var stderr strings.Builder
		if code := run(args, io.Discard, &stderr); code != 0 {
			t.Fatalf("mnist-layout %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
		}
		l, err := projection.ReadLayoutFile(out, 300)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	base := layout("default")
	if again := layout("again"); !slices.Equal(base, again) {
		t.Fatal("two runs with the same flags differ")
	}
	for _, c := range [][]string{
		{"--tsne-theta", "-1"},
		{"--tsne-learning-rate", "50"},
		{"--tsne-pca-dims", "10"},
		{"--tsne-gradient", "fft"}, // 300 rows: bh by default
	} {
		if l := layout(strings.TrimPrefix(c[0], "--"), c...); slices.Equal(base, l) {
			t.Errorf("%s %s left the layout unchanged", c[0], c[1])
		}
	}
	var stderr strings.Builder
	if code := run([]string{"--tsne-theta", "x"}, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), "tsne-theta") {
		t.Errorf("a bad --tsne-theta: exit %d, %q; want 2 and the flag named", code, stderr.String())
	}
}

// TestTSNEFlagsRefused runs t-SNE with settings that cannot give a layout
// (they used to give an all-NaN one and exit 0): each must end with exit
// status 1, one line naming the setting, and no output file.
func TestTSNEFlagsRefused(t *testing.T) {
	bin := layoutBinary(t)
	data := smallDataset(t)
	for _, c := range [][]string{
		{"--tsne-learning-rate", "NaN", "learning rate NaN"},
		{"--tsne-learning-rate", "Inf", "learning rate +Inf"},
		{"--tsne-learning-rate", "-1", "learning rate -1"},
		{"--tsne-theta", "NaN", "theta NaN"},
		{"--tsne-gradient", "fast", `gradient "fast"`},
	} {
		t.Run(c[0]+"="+c[1], func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "l.npy")
			r := clitest.RunLimited(t, evalTimeout, evalMemory, []string{"XDG_CACHE_HOME=" + t.TempDir()},
				bin, "--data", data, "--method", "tsne", c[0], c[1], "--out", out, "--quiet")
			clitest.WantOneLineError(t, r, c[2], evalSlow)
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s was written (%v)", out, err)
			}
		})
	}
}

// TestWorkersClamped asks every method for a million workers on 500 rows
// (it took 7.7 GB and 44 s): under a memory limit far below that, each run
// must succeed.
func TestWorkersClamped(t *testing.T) {
	bin := layoutBinary(t)
	data := datasetOf(t, 500)
	for _, method := range []string{"pca", "umap", "tsne"} {
		t.Run(method, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "l.npy")
			r := clitest.RunLimited(t, time.Minute, evalMemory, []string{"XDG_CACHE_HOME=" + t.TempDir()},
				bin, "--data", data, "--method", method, "--workers", "1000000", "--out", out, "--quiet")
			if r.Code != 0 {
				t.Fatalf("exit %d: %s", r.Code, lastLines(r.Stderr, 3))
			}
			if _, err := projection.ReadLayoutFile(out, 500); err != nil {
				t.Error(err)
			}
		})
	}
}

// lastLines returns the last n lines of s (a stack trace's end).
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
