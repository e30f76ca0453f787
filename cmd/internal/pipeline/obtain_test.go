package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/layoutcache"
	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// tinyInput returns n distinct 4x4 images.
func tinyInput(n int) *Input {
	ds := &mnist.Dataset{Width: 4, Height: 4, Pixels: make([]uint8, 16*n), Labels: make([]uint8, n), NumTrain: n}
	for i := range ds.Pixels {
		ds.Pixels[i] = uint8(i*37 + i/16*i/16)
	}
	for i := range ds.Labels {
		ds.Labels[i] = uint8(i % 3)
	}
	return NewInput(ds)
}

// fake is a cacheable method that counts its runs and returns layout(run).
type fake struct {
	runs   int
	layout func(n, run int) []float32
}

func (f *fake) method() *Method {
	return &Method{
		Name: "fake", Title: "Fake", Cacheable: true, Needs: NeedsMatrix,
		Settings: func(o Options) string { return "v1" },
		Run: func(ctx context.Context, src projection.Source, o Options, h *projection.Hooks) (*Result, error) {
			f.runs++
			n, _ := src.Dims()
			return &Result{Layout: f.layout(n, f.runs), Stages: []Stage{{Name: "fake"}}}, nil
		},
	}
}

// ramp gives run r the layout x = i + 1000r, y = -i.
func ramp(n, run int) []float32 {
	l := make([]float32, 2*n)
	for i := range n {
		l[2*i], l[2*i+1] = float32(i+1000*run), float32(-i)
	}
	return l
}

// logs collects what Obtain reports.
type logs []string

func (l *logs) logf(format string, args ...any) { *l = append(*l, fmt.Sprintf(format, args...)) }

func TestObtainComputesOnceThenReadsTheCache(t *testing.T) {
	in, c := tinyInput(6), &layoutcache.Cache{Dir: t.TempDir()}
	f := &fake{layout: ramp}
	m := f.method()
	var log logs
	first, err := Obtain(context.Background(), m, in, Options{}, c, nil, log.logf)
	if err != nil || first.FromCache || first.CachePath != c.Path(m.Key(in, Options{})) || len(first.Stages) != 1 {
		t.Fatalf("first: %+v, %v", first, err)
	}
	second, err := Obtain(context.Background(), m, in, Options{}, c, nil, log.logf)
	if err != nil || !second.FromCache || second.CachePath != first.CachePath || !slices.Equal(second.Layout, first.Layout) {
		t.Fatalf("second: %+v, %v", second, err)
	}
	if f.runs != 1 || len(log) != 0 {
		t.Errorf("%d runs, log %q; want 1 run, no log", f.runs, log)
	}
	re, err := Obtain(context.Background(), m, in, Options{Recompute: true}, c, nil, log.logf)
	if err != nil || re.FromCache || f.runs != 2 {
		t.Fatalf("recompute: %+v, %v, %d runs", re, err, f.runs)
	}
	if got, err := c.Get(m.Key(in, Options{})); err != nil || !slices.Equal(got, ramp(6, 2)) {
		t.Errorf("after recompute the cache holds %v, %v; want run 2's layout", got, err)
	}
}

// BeforeCompute runs before a layout is computed, never before one read
// from the cache, and its error stops Obtain before computing.
func TestObtainBeforeCompute(t *testing.T) {
	in, c := tinyInput(6), &layoutcache.Cache{Dir: t.TempDir()}
	f := &fake{layout: ramp}
	m := f.method()
	var calls, runsAtCall []int
	o := Options{BeforeCompute: func(ctx context.Context) error {
		calls = append(calls, len(calls))
		runsAtCall = append(runsAtCall, f.runs)
		return nil
	}}
	if _, err := Obtain(context.Background(), m, in, o, c, nil, nil); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 1 || runsAtCall[0] != 0 || f.runs != 1 {
		t.Fatalf("miss: %d calls (runs at the call %v), %d runs; want 1 call before the 1 run", len(calls), runsAtCall, f.runs)
	}
	if res, err := Obtain(context.Background(), m, in, o, c, nil, nil); err != nil || !res.FromCache || len(calls) != 1 {
		t.Fatalf("hit: %v, %v, %d calls; want the cached layout and no call", res, err, len(calls))
	}
	stop := errors.New("stand-in failed")
	o.Recompute = true
	o.BeforeCompute = func(context.Context) error { return stop }
	if _, err := Obtain(context.Background(), m, in, o, c, nil, nil); !errors.Is(err, stop) || f.runs != 1 {
		t.Fatalf("failing BeforeCompute: %v, %d runs; want its error and no run", err, f.runs)
	}
}

// An entry that cannot be used is reported, recomputed and replaced.
func TestObtainReplacesBadEntries(t *testing.T) {
	in := tinyInput(6)
	for name, plant := range map[string]func(path string) error{
		"garbage":         func(p string) error { return os.WriteFile(p, []byte("not an entry"), 0o644) },
		"link to nothing": func(p string) error { return os.Symlink("/nonexistent/entry", p) },
		"link to zeros":   func(p string) error { return os.Symlink("/dev/zero", p) },
		"wrong rows": func(p string) error {
			k := (&fake{}).method().Key(in, Options{})
			return os.WriteFile(p, layoutcache.Encode(k, []float32{1, 2}), 0o644)
		},
	} {
		c := &layoutcache.Cache{Dir: t.TempDir()}
		f := &fake{layout: ramp}
		m := f.method()
		if err := plant(c.Path(m.Key(in, Options{}))); err != nil {
			t.Fatal(err)
		}
		var log logs
		res, err := Obtain(context.Background(), m, in, Options{}, c, nil, log.logf)
		if err != nil || res.FromCache || f.runs != 1 {
			t.Fatalf("%s: %+v, %v, %d runs", name, res, err, f.runs)
		}
		if len(log) != 1 || !strings.HasPrefix(log[0], "ignoring cached layout: ") || !strings.Contains(log[0], "invalid entry") {
			t.Errorf("%s: log %q, want one line saying the entry is ignored", name, log)
		}
		if got, err := c.Get(m.Key(in, Options{})); err != nil || !slices.Equal(got, res.Layout) {
			t.Errorf("%s: entry not replaced: %v", name, err)
		}
	}
}

// A cache that cannot be read or written is reported; the layout is still
// computed and returned.
func TestObtainWithABrokenCache(t *testing.T) {
	dir := t.TempDir() + "/file"
	if err := os.WriteFile(dir, nil, 0o644); err != nil { // the cache "directory" is a file
		t.Fatal(err)
	}
	f := &fake{layout: ramp}
	var log logs
	res, err := Obtain(context.Background(), f.method(), tinyInput(6), Options{}, &layoutcache.Cache{Dir: dir}, nil, log.logf)
	if err != nil || len(res.Layout) != 12 || res.FromCache || res.CachePath != "" {
		t.Fatalf("%+v, %v", res, err)
	}
	if len(log) != 2 || !strings.HasPrefix(log[0], "ignoring cached layout: ") || !strings.Contains(log[1], "layoutcache") {
		t.Errorf("log %q: want the failed read and the failed write", log)
	}
}

// Layouts that are not one finite (x, y) per row are errors and are never
// cached; so are panics and errors inside Run.
func TestObtainRefusesBadLayouts(t *testing.T) {
	nan := float32(math.NaN())
	for name, layout := range map[string]func(n, run int) []float32{
		"NaN":      func(n, _ int) []float32 { l := ramp(n, 0); l[7] = nan; return l },
		"+Inf":     func(n, _ int) []float32 { l := ramp(n, 0); l[0] = float32(math.Inf(1)); return l },
		"short":    func(n, _ int) []float32 { return ramp(n-1, 0) },
		"panic":    func(n, _ int) []float32 { panic("boom") },
		"no value": func(n, _ int) []float32 { return nil },
	} {
		c := &layoutcache.Cache{Dir: t.TempDir()}
		f := &fake{layout: layout}
		res, err := Obtain(context.Background(), f.method(), tinyInput(6), Options{}, c, nil, nil)
		if err == nil {
			t.Errorf("%s: accepted %v", name, res.Layout)
		}
		if left, _ := os.ReadDir(c.Dir); len(left) != 0 {
			t.Errorf("%s: %d files cached", name, len(left))
		}
	}
	none := &Method{Name: "none", Run: func(context.Context, projection.Source, Options, *projection.Hooks) (*Result, error) { return nil, nil }}
	if _, err := Obtain(context.Background(), none, tinyInput(6), Options{}, nil, nil, nil); err == nil {
		t.Error("a nil result accepted")
	}
	m := &Method{Name: "fails", Cacheable: true, Settings: func(Options) string { return "" },
		Run: func(ctx context.Context, _ projection.Source, _ Options, _ *projection.Hooks) (*Result, error) {
			return nil, ctx.Err()
		}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Obtain(ctx, m, tinyInput(6), Options{}, &layoutcache.Cache{Dir: t.TempDir()}, nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

// PCA is not cached, streams the dataset (no float matrix is built), and
// gives the same layout as PCA of the float matrix, which mnist-layout
// used before.
func TestObtainPCA(t *testing.T) {
	in := tinyInput(20)
	c := &layoutcache.Cache{Dir: t.TempDir()}
	pca, _ := Lookup("pca")
	var gotSrc projection.Source
	spy := *pca
	spy.Run = func(ctx context.Context, src projection.Source, o Options, h *projection.Hooks) (*Result, error) {
		gotSrc = src
		return pca.Run(ctx, src, o, h)
	}
	res, err := Obtain(context.Background(), &spy, in, Options{Workers: 1}, c, nil, nil)
	if err != nil || res.FromCache || res.CachePath != "" {
		t.Fatalf("%+v, %v", res, err)
	}
	if gotSrc != projection.Source(in.Dataset()) {
		t.Errorf("PCA was given %T, want the dataset", gotSrc)
	}
	if left, _ := os.ReadDir(c.Dir); len(left) != 0 {
		t.Errorf("PCA cached %d files", len(left))
	}
	want, err := projection.PCA(context.Background(), in.Matrix(), 2, projection.PCASettings{Workers: 1})
	if err != nil || !slices.Equal(res.Layout, want.Scores.Data) {
		t.Errorf("PCA of the pixels differs from PCA of the matrix (%v)", err)
	}
}

// A NeedsMatrix method gets the Input's one matrix, built once.
func TestMatrixIsShared(t *testing.T) {
	in := tinyInput(6)
	var seen []*projection.Matrix
	m := &Method{Name: "m", Needs: NeedsMatrix,
		Run: func(_ context.Context, src projection.Source, _ Options, _ *projection.Hooks) (*Result, error) {
			seen = append(seen, src.(*projection.Matrix))
			return &Result{Layout: ramp(6, 0)}, nil
		}}
	for range 2 {
		if _, err := Obtain(context.Background(), m, in, Options{}, nil, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != 2 || seen[0] != seen[1] || seen[0] != in.Matrix() {
		t.Error("the matrix was built more than once")
	}
}

func TestObtainGraph(t *testing.T) {
	in, c := tinyInput(30), &layoutcache.Cache{Dir: t.TempDir()}
	const k = 4
	exact, err := projection.NearestNeighbors(context.Background(), in.Matrix(), k, projection.KNNSettings{Method: "exact"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var log logs
	idx, hit, err := ObtainGraph(context.Background(), in, k, Options{Seed: 3}, c, nil, log.logf)
	if err != nil || hit || !slices.Equal(idx, exact.Index) {
		t.Fatalf("computed: hit %v, %v; equal to exact kNN: %v", hit, err, slices.Equal(idx, exact.Index))
	}
	again, hit, err := ObtainGraph(context.Background(), in, k, Options{Seed: 3, Workers: 1}, c, nil, log.logf)
	if err != nil || !hit || !slices.Equal(again, idx) {
		t.Fatalf("cached (any worker count): hit %v, %v", hit, err)
	}
	if _, hit, _ := ObtainGraph(context.Background(), in, k, Options{Seed: 4}, c, nil, log.logf); hit {
		t.Error("another seed was served the cached graph")
	}
	if _, hit, _ := ObtainGraph(context.Background(), in, k-1, Options{Seed: 3}, c, nil, log.logf); hit {
		t.Error("another k was served the cached graph")
	}
	if _, hit, _ := ObtainGraph(context.Background(), in, k, Options{Seed: 3, Recompute: true}, c, nil, log.logf); hit {
		t.Error("Recompute read the cache")
	}
	entries, _ := os.ReadDir(c.Dir)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".graph") {
			t.Errorf("graph stored as %s", e.Name())
		}
	}
	if len(log) != 0 {
		t.Errorf("log %q", log)
	}
	if _, _, err := ObtainGraph(context.Background(), in, 30, Options{}, nil, nil, nil); err == nil {
		t.Error("k = N accepted")
	}
}

// Jobs share one Input and one cache from several goroutines.
func TestObtainConcurrently(t *testing.T) {
	in, c := tinyInput(30), &layoutcache.Cache{Dir: t.TempDir()}
	umap, _ := Lookup("umap")
	errs := make(chan error, 4)
	for range 2 {
		go func() {
			_, err := Obtain(context.Background(), umap, in, Options{Workers: 1}, c, nil, nil)
			errs <- err
		}()
		go func() {
			_, _, err := ObtainGraph(context.Background(), in, 5, Options{}, c, nil, nil)
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// PCAComponents picks which principal components PCA shows, as columns of
// the direct computation; out of range is an error.
func TestObtainPCAComponents(t *testing.T) {
	in := tinyInput(30)
	pca, _ := Lookup("pca")
	want, err := projection.PCA(context.Background(), in.Matrix(), 3, projection.PCASettings{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Obtain(context.Background(), pca, in, Options{Workers: 1, PCAComponents: [2]int{3, 1}}, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		x, y := res.Layout[2*i], res.Layout[2*i+1]
		wx, wy := want.Scores.Data[3*i+2], want.Scores.Data[3*i]
		if math.Abs(float64(x-wx)) > 1e-4*math.Max(1, math.Abs(float64(wx))) || math.Abs(float64(y-wy)) > 1e-4*math.Max(1, math.Abs(float64(wy))) {
			t.Fatalf("row %d: (%v, %v), want PC3, PC1 = (%v, %v)", i, x, y, wx, wy)
		}
	}
	for _, bad := range [][2]int{{0, 2}, {1, maxPCAComponent + 1}} {
		if _, err := Obtain(context.Background(), pca, in, Options{PCAComponents: bad}, nil, nil, nil); err == nil || !strings.Contains(err.Error(), "components") {
			t.Errorf("components %v: %v", bad, err)
		}
	}
}

// A t-SNE tuning is part of the cache key: a variant never reads the
// default layout's entry.
func TestTSNETuningInCacheKey(t *testing.T) {
	m, _ := Lookup("tsne")
	in := tinyInput(5)
	def := m.Key(in, Options{Seed: 42}).Settings
	tuned := m.Key(in, Options{Seed: 42, TSNE: TSNETuning{Perplexity: 10, Exaggeration: 4, Iterations: 500}}).Settings
	for _, want := range []string{"Perplexity:10", "EarlyExaggeration:4", "NIter:500"} {
		if !strings.Contains(tuned, want) {
			t.Errorf("tuned key %q lacks %q", tuned, want)
		}
	}
	if tuned == def {
		t.Errorf("tuned and default keys are the same: %q", def)
	}
}
