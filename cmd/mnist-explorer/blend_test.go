package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/compare"
	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// The blend panel lists the most blended pairs; clicking one shows its
// boundary digits (as the brute-force count on the same graph gives them)
// and N visits them.
func TestBlendPanelPairView(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	s1, s2, s3 := filepath.Join(dir, "1.json"), filepath.Join(dir, "2.json"), filepath.Join(dir, "3.json")
	args := []string{"--n", "2000", "--layout", "pca", "--no-cache", "--size", "1280x800"}
	// First learn where the top pair is listed, then click it.
	code, _, errs := runApp(t, nil, append(args, "--script", "wait-layout; wait-suspects; key c; wait-frames 1; state "+s1)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	st1 := readState(t, s1)
	if st1.Blend == nil || !st1.Blend.Open || len(st1.Blend.PairRects) == 0 {
		t.Fatalf("blend panel: %+v", st1.Blend)
	}
	r := st1.Blend.PairRects[0]
	script := strings.Join([]string{"wait-layout", "wait-suspects", "key c", "wait-frames 1",
		fmt.Sprintf("move %v %v", (r[0]+r[2])/2, (r[1]+r[3])/2), "click", "wait-frames 1", "state " + s2,
		"key n", "wait-neighbors", "state " + s3}, "; ")
	if code, _, errs = runApp(t, nil, append(args, "--script", script)...); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	st2, st3 := readState(t, s2), readState(t, s3)

	ds, err := mnist.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	ds = ds.Head(2000)
	g, err := projection.NearestNeighbors(context.Background(), projection.Materialize(ds), suspectK, projection.KNNSettings{Seed: 42}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mix := compare.Confusion(ds.Labels, g.Index, g.K, ds.NumClasses())
	top := mix.Pairs[0]
	if st1.Blend.Pairs[0] != [2]int{top.A, top.B} {
		t.Errorf("top pair listed %v, brute force %d-%d", st1.Blend.Pairs[0], top.A, top.B)
	}
	want := compare.Boundary(ds.Labels, g.Index, g.K, top.A, top.B)
	if st2.Blend.Pair != [2]int{top.A, top.B} || st2.Blend.Open || fmt.Sprint(st2.Blend.Boundary) != fmt.Sprint(want) {
		t.Fatalf("after clicking the top pair: pair %v open %v, %d boundary rows (want %d-%d, %d rows)",
			st2.Blend.Pair, st2.Blend.Open, len(st2.Blend.Boundary), top.A, top.B, len(want))
	}
	if !slices.Contains(want, int32(st3.Selected)) {
		t.Errorf("N selected row %d, not a boundary digit of %d-%d", st3.Selected, top.A, top.B)
	}
}
