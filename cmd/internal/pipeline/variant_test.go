package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/layoutcache"
)

// A UMAP variant (another min_dist) warm-started from the default layout
// reuses the cached neighbour graph: no search, its own cache entry.
func TestUMAPVariantReusesTheGraph(t *testing.T) {
	ctx := context.Background()
	in, c := tinyInput(300), &layoutcache.Cache{Dir: t.TempDir()}
	base := Options{Seed: 3, Workers: 1}
	g, hit, err := ObtainUMAPGraph(ctx, in, base, c, nil, t.Errorf)
	if err != nil || hit {
		t.Fatalf("first graph: hit %v, %v", hit, err)
	}
	g2, hit, err := ObtainUMAPGraph(ctx, in, base, c, nil, t.Errorf)
	if err != nil || !hit || g2.K != g.K || g2.Index[17] != g.Index[17] || g2.Dist[17] != g.Dist[17] {
		t.Fatalf("second graph: hit %v, %v; rebuilt from the cache it differs", hit, err)
	}
	umap, _ := Lookup("umap")
	def, err := Obtain(ctx, umap, in, base, c, nil, t.Errorf)
	if err != nil {
		t.Fatal(err)
	}
	v := base
	v.UMAP.MinDist = 0.8
	v.Warm = &Warm{Graph: g2, Init: def.Layout}
	res, err := Obtain(ctx, umap, in, v, c, nil, t.Errorf)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Note, "kNN reused") || !strings.Contains(res.Note, "warm start") || res.Stages[0].Duration != 0 {
		t.Errorf("variant: note %q, knn stage %v", res.Note, res.Stages[0].Duration)
	}
	if umap.Key(in, v) == umap.Key(in, base) {
		t.Error("the variant shares the default's cache key")
	}
	again, err := Obtain(ctx, umap, in, v, c, nil, t.Errorf)
	if err != nil || !again.FromCache {
		t.Errorf("the variant was not cached: %v", err)
	}
}
