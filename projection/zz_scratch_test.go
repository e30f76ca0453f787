package projection_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mnist-explorer/mnist-explorer/projection"
)

// TestScratchAB alternates variants (KNN_VARIANTS="A=1;B=" sets env KNN_X)
func TestScratchAB(t *testing.T) {
	vars := os.Getenv("KNN_VARIANTS")
	if vars == "" {
		t.Skip()
	}
	m, _ := mnistHead(t, 70000)
	k, s := projection.UMAPSettings{Seed: 1}.Graph(m.N)
	names := strings.Split(vars, ";")
	best := map[string]time.Duration{}
	for r := 0; r < 3; r++ {
		for _, v := range names {
			kv := strings.SplitN(v, "=", 2)
			os.Setenv(kv[0], kv[1])
			c0, w0 := projection.KNNCPUTime(), time.Now()
			if _, err := projection.NearestNeighbors(context.Background(), m, k, s, nil); err != nil {
				t.Fatal(err)
			}
			c := projection.KNNCPUTime() - c0
			t.Logf("%s: cpu %.2f wall %.2f", v, c.Seconds(), time.Since(w0).Seconds())
			if b, ok := best[v]; !ok || c < b {
				best[v] = c
			}
			os.Unsetenv(kv[0])
		}
	}
	for _, v := range names {
		t.Logf("min %s: %.2f", v, best[v].Seconds())
	}
}
