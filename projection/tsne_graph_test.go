package projection

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// A t-SNE variant from a graph kept from another run is the run it would
// have been: the graph for perplexity 30 (90 neighbours, exact at this
// size) cut to 30 neighbours gives perplexity 10's layout bit for bit, and
// a different exaggeration likewise; a perplexity the graph is too small
// for is an error; a warm start is used.
func TestTSNEFromNeighborsMatchesTSNE(t *testing.T) {
	data, _ := blobs(400, 8, 4, 0.5, 3)
	ctx := context.Background()
	base := TSNESettings{Seed: 5, Workers: 2, NIter: 300}
	g, err := TSNENeighbors(ctx, data, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	if g.KNN.K != 90 {
		t.Fatalf("graph of %d neighbours, want 90", g.KNN.K)
	}
	for _, s := range []TSNESettings{
		{Seed: 5, Workers: 2, NIter: 300, Perplexity: 10},
		{Seed: 5, Workers: 2, NIter: 300, EarlyExaggeration: 4},
	} {
		direct, err := TSNE(ctx, data, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		reused, err := TSNEFromNeighbors(ctx, g, nil, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(direct.Layout, reused.Layout) {
			t.Errorf("%+v: the layout from the kept graph differs from TSNE's", s)
		}
	}
	if _, err := TSNEFromNeighbors(ctx, g, nil, TSNESettings{Perplexity: 50}, nil); err == nil || !strings.Contains(err.Error(), "needs 150 neighbours") {
		t.Errorf("perplexity 50 from a 90-NN graph: %v", err)
	}
	// A warm start from a finished layout: fewer iterations keep its shape.
	full, err := TSNEFromNeighbors(ctx, g, nil, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	warm, err := TSNEFromNeighbors(ctx, g, full.Layout, TSNESettings{Seed: 5, Workers: 2, NIter: 50, EarlyExaggerationIters: -1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, lab := blobs(400, 8, 4, 0.5, 3)
	if acc := layoutKNNAccuracy(warm.Layout, lab, 10); acc < 0.95 {
		t.Errorf("warm start from a separated layout: 10-NN accuracy %.3f", acc)
	}
	if _, err := TSNEFromNeighbors(ctx, g, make([]float32, 10), base, nil); err == nil {
		t.Error("an initial layout of the wrong length was accepted")
	}
}
