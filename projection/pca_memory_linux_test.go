//go:build linux

package projection

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// pcaChildEnv marks the child process of TestPCALargeImagesBoundedMemory.
const pcaChildEnv = "PROJECTION_PCA_MEMORY_CHILD"

// TestPCALargeImagesBoundedMemory runs PCA of 2,000 synthetic 200x200
// "images" (D = 40,000) in a child process whose heap is limited to 800 MB
// (RLIMIT_DATA): the data take 320 MB, and a 40,000 x 40,000 covariance
// would take 12.8 GB (the old method's, per worker: the child died at once,
// out of memory). The child must succeed within the deadline.
// BenchmarkPCALargeImages times it, and also to 100 components.
func TestPCALargeImagesBoundedMemory(t *testing.T) {
	if os.Getenv(pcaChildEnv) != "" {
		pcaMemoryChild(t)
		return
	}
	if testing.Short() {
		t.Skip("a child process with 320 MB of data; the full (non-short) run has it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestPCALargeImagesBoundedMemory$", "-test.v")
	cmd.Env = append(os.Environ(), pcaChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("child still running after 2 minutes (killed):\n%s", lastLinesOf(out, 5))
	}
	if err != nil {
		t.Fatalf("child: %v\n%s", err, lastLinesOf(out, 10))
	}
	if !strings.Contains(string(out), "PCA of 2000 x 40000") {
		t.Errorf("child said:\n%s", out)
	}
}

func pcaMemoryChild(t *testing.T) {
	const limit = 800 << 20
	if err := syscall.Setrlimit(syscall.RLIMIT_DATA, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
		t.Skipf("no memory limit: %v", err)
	}
	m := largeImageData(2000, 40000)
	start := time.Now()
	r, err := PCA(context.Background(), m, 2, PCASettings{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Scores.N != 2000 || r.Variance[0] < r.Variance[1] || !(r.Variance[1] > 0) {
		t.Fatalf("scores %dx%d, variances %v", r.Scores.N, r.Scores.D, r.Variance)
	}
	t.Logf("PCA of 2000 x 40000 in %v, variances %v of %v", time.Since(start), r.Variance, r.TotalVariance)
}

// lastLinesOf returns the last n lines of b, after its "fatal error" line
// if it has one (the runtime's out-of-memory report).
func lastLinesOf(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	tail := strings.Join(lines[max(0, len(lines)-n):], "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "fatal error") {
			return l + "\n...\n" + tail
		}
	}
	return tail
}
