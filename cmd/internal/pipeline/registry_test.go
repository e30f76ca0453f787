package pipeline

import (
	"slices"
	"testing"
)

func TestRegistry(t *testing.T) {
	if got, want := Names(), []string{"pca", "umap", "tsne"}; !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want %v (the order the app offers them)", got, want)
	}
	seen := map[string]bool{}
	for _, m := range All() {
		if seen[m.Name] {
			t.Errorf("%s registered twice", m.Name)
		}
		seen[m.Name] = true
		if got, ok := Lookup(m.Name); !ok || got != m {
			t.Errorf("Lookup(%q) = %v, %v", m.Name, got, ok)
		}
		if m.Title == "" || m.Run == nil {
			t.Errorf("%s: no title or no Run", m.Name)
		}
		if m.Cacheable != (m.Settings != nil) {
			t.Errorf("%s: Cacheable %v but Settings set %v", m.Name, m.Cacheable, m.Settings != nil)
		}
	}
	for _, name := range []string{"", "knn10", "UMAP", "umap "} {
		if _, ok := Lookup(name); ok {
			t.Errorf("Lookup(%q) found a method", name)
		}
	}
	all := All()
	all[0] = nil
	if All()[0] == nil {
		t.Error("All returned the registry itself")
	}
}

// TestCacheKeysUnchanged pins the keys' settings strings to those earlier
// builds wrote, so that layouts already cached are found (and `make
// bench-*` reads the same entries). If a settings struct in projection
// gains a field, these change and every cached layout is recomputed once:
// update them on purpose.
func TestCacheKeysUnchanged(t *testing.T) {
	const knn = "KNN:{Method: ForestAbove:0 ExactBelow:0 Seed:0 Workers:0 NTrees:0 LeafSize:0 MaxIters:0 RefineFan:0 MaxCandidates:0 Delta:0}"
	sweep := Options{Seed: 7, Workers: 8, TSNEPCADims: -1, TSNETheta: 0.5, TSNELearningRate: 200, Recompute: true}
	for _, c := range []struct {
		method string
		o      Options
		want   string
	}{
		{"pca", Options{Seed: 42}, "pca seed=42 "},
		{"umap", Options{Seed: 42}, "umap seed=42 v2 {NNeighbors:0 MinDist:0 Spread:0 A:0 B:0 NEpochs:0 NegativeSampleRate:0 LearningRate:0 RepulsionStrength:0 RandomInit:false Seed:42 Workers:0 " + knn + "}"},
		{"tsne", Options{Seed: 42}, "tsne seed=42 v2 {Perplexity:0 Theta:0 NIter:0 EarlyExaggeration:0 EarlyExaggerationIters:0 LearningRate:0 Momentum:0 FinalMomentum:0 PCADims:0 Seed:42 Workers:0 KLEvery:0 " + knn + "}"},
		{"umap", Options{Seed: 7, Workers: 1}, "umap seed=7 v2 {NNeighbors:0 MinDist:0 Spread:0 A:0 B:0 NEpochs:0 NegativeSampleRate:0 LearningRate:0 RepulsionStrength:0 RandomInit:false Seed:7 Workers:1 " + knn + "}"},
		{"tsne", Options{Seed: 7, Workers: 1}, "tsne seed=7 v2 {Perplexity:0 Theta:0 NIter:0 EarlyExaggeration:0 EarlyExaggerationIters:0 LearningRate:0 Momentum:0 FinalMomentum:0 PCADims:0 Seed:7 Workers:0 KLEvery:0 " + knn + "}"},
		{"umap", sweep, "umap seed=7 v2 {NNeighbors:0 MinDist:0 Spread:0 A:0 B:0 NEpochs:0 NegativeSampleRate:0 LearningRate:0 RepulsionStrength:0 RandomInit:false Seed:7 Workers:2 " + knn + "}"},
		{"tsne", sweep, "tsne seed=7 v2 {Perplexity:0 Theta:0.5 NIter:0 EarlyExaggeration:0 EarlyExaggerationIters:0 LearningRate:200 Momentum:0 FinalMomentum:0 PCADims:-1 Seed:7 Workers:0 KLEvery:0 " + knn + "}"},
	} {
		m, _ := Lookup(c.method)
		in := tinyInput(5)
		k := m.Key(in, c.o)
		if k.Settings != c.want || k.Method != c.method || k.N != 5 || k.Dataset != in.Hash() || k.Cols != 0 {
			t.Errorf("%s %+v: key %+v\nwant settings %q", c.method, c.o, k, c.want)
		}
	}
}
