package compare

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// TestMNISTBlend ranks the most blended digit pairs in the 10-NN graph of all
// 70,000 MNIST digits in pixel space (NN-descent, seed 42) and logs the top 8
// and bottom 3 as the Markdown table in BENCHMARKS.md ("Which classes
// blend"). It runs only with MNIST_FULL=1 and without -short (the kNN takes
// ~10-40 s on two cores):
//
//	MNIST_FULL=1 go test -run TestMNISTBlend -v ./cmd/internal/compare
func TestMNISTBlend(t *testing.T) {
	if testing.Short() || os.Getenv("MNIST_FULL") == "" {
		t.Skip("set MNIST_FULL=1 (and drop -short) to rank the digit pairs of full MNIST")
	}
	ds, err := mnist.LoadDefault()
	if err != nil {
		t.Skipf("MNIST not available: %v", err)
	}
	const k = 10
	start := time.Now()
	g, err := projection.NearestNeighbors(context.Background(), projection.Materialize(ds), k,
		projection.KNNSettings{Seed: 42}, nil)
	if err != nil {
		t.Fatal(err)
	}
	knnTime := time.Since(start)
	start = time.Now()
	m := Confusion(ds.Labels, g.Index, g.K, ds.NumClasses())
	t.Logf("%d rows: 10-NN graph %.1fs, Confusion %.1fms", ds.Len(), knnTime.Seconds(),
		float64(time.Since(start).Microseconds())/1000)

	var b strings.Builder
	b.WriteString("| rank | pair A-B | A's neighbours that are B | B's neighbours that are A | score | boundary digits |\n" +
		"|---|---|---|---|---|---|\n")
	row := func(r int) {
		p := m.Pairs[r]
		fmt.Fprintf(&b, "| %d | %d-%d | %d | %d | %.4f | %d |\n", r+1, p.A, p.B, p.AB, p.BA, p.Score,
			len(Boundary(ds.Labels, g.Index, g.K, p.A, p.B)))
	}
	for r := range 8 {
		row(r)
	}
	b.WriteString("| … | | | | | |\n")
	for r := len(m.Pairs) - 3; r < len(m.Pairs); r++ {
		row(r)
	}
	t.Logf("\n%s", b.String())

	rank := func(a, b int) int {
		for r, p := range m.Pairs {
			if p.A == a && p.B == b {
				return r
			}
		}
		return -1
	}
	// What every MNIST map shows: 4s and 9s, 3s and 5s, 7s and 9s, 3s and
	// 8s blend most; 0s and 1s almost never.
	for _, p := range [][2]int{{4, 9}, {3, 5}, {7, 9}, {3, 8}} {
		if r := rank(p[0], p[1]); r > 4 {
			t.Errorf("%d-%d ranked %d, want among the top 5", p[0], p[1], r+1)
		}
	}
	if r := rank(0, 1); r < len(m.Pairs)-5 {
		t.Errorf("0-1 ranked %d of %d, want among the bottom 5", r+1, len(m.Pairs))
	}
}
