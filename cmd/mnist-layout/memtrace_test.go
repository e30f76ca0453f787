package main

import (
	"io"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestMemTrace runs a small t-SNE with --mem-trace: a line after loading,
// one at the start and the end of each stage (and each kNN unit), one when
// done, in that order, each with its time and memory; none without the
// flag.
func TestMemTrace(t *testing.T) {
	out := filepath.Join(t.TempDir(), "l.npy")
	args := []string{"--method", "tsne", "--n", "600", "--quiet", "--out", out}
	var stdout, stderr strings.Builder
	if code := run(append(args, "--mem-trace"), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	line := regexp.MustCompile(`^mem +(\S+)(?: \d+/\d+)? +[0-9.]+s  rss +\d+ MB  peak +\d+ MB  heap +\d+ MB$`)
	var events []string
	for _, l := range strings.Split(stdout.String(), "\n") {
		if !strings.HasPrefix(l, "mem ") {
			continue
		}
		m := line.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("malformed trace line %q", l)
		}
		if len(events) == 0 || events[len(events)-1] != m[1] {
			events = append(events, m[1])
		}
	}
	want := []string{"loaded", "pca", "knn", "affinity", "optimize", "done"}
	if strings.Join(events, " ") != strings.Join(want, " ") {
		t.Errorf("trace events %v, want %v\n%s", events, want, stdout.String())
	}
	if runtime.GOOS == "linux" && strings.Contains(stdout.String(), "peak      0 MB") {
		t.Error("no peak memory read on Linux")
	}
	stdout.Reset()
	if code := run(args, &stdout, io.Discard); code != 0 || strings.Contains(stdout.String(), "mem ") {
		t.Errorf("exit %d; without --mem-trace the output has trace lines:\n%s", code, stdout.String())
	}
}
