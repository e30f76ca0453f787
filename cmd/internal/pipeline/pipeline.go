// Package pipeline wires the dataset to the layout algorithms: a registry
// of layout methods (All, Lookup), the input they share (Input), and one
// path from the layout cache or the algorithm to a checked result (Obtain,
// and ObtainGraph for the neighbour graph behind the label checks). Both
// commands (the explorer and the headless mnist-layout) use it, so a layout
// computed by one is found in the cache by the other.
package pipeline

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sync"
	"time"
	"unsafe"

	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// Options are the user-facing knobs shared by every method.
type Options struct {
	Seed    uint64 // random seed; the same seed gives the same layout for one worker
	Workers int    // goroutines; zero means all cores
	// TSNEPCADims is the dimension t-SNE reduces the data to before its kNN
	// (TSNESettings.PCADims): zero means 100, negative means no PCA.
	TSNEPCADims int
	// TSNETheta and TSNELearningRate override t-SNE's Barnes-Hut accuracy
	// and its learning rate (one rate for both phases); zero means the
	// defaults (TSNESettings). They exist for parameter sweeps.
	TSNETheta, TSNELearningRate float64
	// TSNEGradient chooses t-SNE's repulsive forces
	// (TSNESettings.Gradient): "fft", "bh", or empty for automatic.
	TSNEGradient string
	// UMAP tunes UMAP's settings (a variant of the default layout); its
	// zero value is UMAP's defaults. It is part of the cache key.
	UMAP UMAPTuning
	// TSNE tunes t-SNE's settings (a variant of the default layout); its
	// zero value is t-SNE's defaults. It is part of the cache key.
	TSNE TSNETuning
	// PCAComponents are the principal components PCA shows on x and y,
	// counted from 1; zero means components 1 and 2.
	PCAComponents [2]int
	// Warm, when not nil, lets UMAP reuse a neighbour graph (ObtainUMAPGraph)
	// and start from a layout instead of its spectral initialisation. It
	// changes how fast a layout comes, not which settings made it, and is
	// not part of any cache key.
	Warm *Warm
	// Recompute makes Obtain and ObtainGraph compute afresh (for
	// benchmarks) and replace what the cache holds; false reads the cache
	// first. It is not part of any cache key.
	Recompute bool
	// BeforeCompute, when not nil, is called by Obtain once it knows the
	// layout must be computed (not in the cache, or Recompute), before
	// computing; an error stops Obtain with that error. The explorer uses
	// it to let its quick stand-in layout finish first on few cores. It is
	// not part of any cache key.
	BeforeCompute func(ctx context.Context) error
}

// UMAPTuning holds the UMAP settings a user tunes; zero fields mean
// projection.UMAPSettings' defaults (n_neighbors 15, min_dist 0.1,
// spread 1, 200 or 500 epochs).
type UMAPTuning struct {
	NNeighbors      int
	MinDist, Spread float64
	NEpochs         int
}

// TSNETuning holds the t-SNE settings a user tunes; zero fields mean
// projection.TSNESettings' defaults (perplexity 30, early exaggeration
// 12, 1000 iterations).
type TSNETuning struct {
	Perplexity, Exaggeration float64
	Iterations               int
}

// Warm is what a UMAP or t-SNE variant may start from: the neighbour graph
// of the same data (with at least the neighbours the variant needs) and an
// initial layout (N x 2); any may be nil.
type Warm struct {
	Graph *projection.KNN
	Init  []float32
	// TSNE is t-SNE's neighbour graph and initial layout
	// (ObtainTSNEGraph); a t-SNE variant whose perplexity it has the
	// neighbours for starts from it, and from Init when that is set.
	TSNE *projection.TSNEGraph
}

// Stage is one timed step of a computation.
type Stage struct {
	Name     string
	Duration time.Duration
}

// Result is a layout, computed or read from the cache.
type Result struct {
	Layout []float32 // N x 2, interleaved, in dataset row order; all finite
	Stages []Stage   // timing of each step (none when read from the cache)
	KL     float64   // final KL divergence (t-SNE only; 0 if not computed)
	Note   string    // e.g. the initialisation actually used
	// Elapsed is the wall time of the computation (building the shared
	// matrix included, if it did); 0 when read from the cache.
	Elapsed time.Duration
	// FromCache reports that Layout was read from the cache.
	FromCache bool
	// CachePath is the cache entry Layout was read from or written to; ""
	// when it was neither.
	CachePath string
}

// Input is a dataset as the methods read it: its pixels, its float32
// matrix and its content hash, the last two built on first use (once, for
// every job that shares the Input). It is safe for concurrent use.
type Input struct {
	ds       *mnist.Dataset
	matrix   func() *projection.Matrix
	hash     func() [32]byte
	features bool // matrix holds the user's features, not the pixels
}

// NewInput returns the input of ds, which must not change afterwards.
func NewInput(ds *mnist.Dataset) *Input {
	return &Input{
		ds:     ds,
		matrix: sync.OnceValue(func() *projection.Matrix { return projection.MaterializeConcurrent(ds, 0) }),
		hash:   sync.OnceValue(ds.Hash),
	}
}

// NewFeatureInput returns the input of ds whose layouts, neighbours and
// suspicious labels are computed on features (N x D, row-aligned with ds,
// from mnist.ReadFeatures) instead of the pixels. Its hash covers both, so
// its cached layouts are its own.
func NewFeatureInput(ds *mnist.Dataset, features *projection.Matrix) *Input {
	return &Input{
		ds:     ds,
		matrix: func() *projection.Matrix { return features },
		hash: sync.OnceValue(func() [32]byte {
			h := sha256.New()
			dh := ds.Hash()
			h.Write(dh[:])
			h.Write([]byte(fmt.Sprintf("features %dx%d", features.N, features.D)))
			h.Write(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(features.Data))), 4*len(features.Data)))
			var out [32]byte
			h.Sum(out[:0])
			return out
		}),
		features: true,
	}
}

// Space says what the layouts and neighbours are computed on: "pixels
// 28×28" (×4 for colour) or "features 512-d".
func (in *Input) Space() string {
	if in.features {
		return fmt.Sprintf("features %d-d", in.matrix().D)
	}
	sp := fmt.Sprintf("pixels %d×%d", in.ds.Width, in.ds.Height)
	if in.ds.NumChannels() > 1 {
		sp += "×4"
	}
	return sp
}

// Dataset returns the dataset.
func (in *Input) Dataset() *mnist.Dataset { return in.ds }

// Len returns the number of rows.
func (in *Input) Len() int { return in.ds.Len() }

// Matrix returns the dataset as float32 pixels in [0, 1], N x D, building
// it on the first call. Callers share it and must not modify it.
func (in *Input) Matrix() *projection.Matrix { return in.matrix() }

// Hash returns the dataset's content hash, computing it on the first call.
func (in *Input) Hash() [32]byte { return in.hash() }

// Load reads the dataset at path, of any kind mnist.Open knows (a folder
// of IDX files or of images, a .npy or .npz), or MNIST from the GoMNIST
// module when path is "". Both commands load through it. Unreadable image
// files are skipped by mnist and listed in the dataset's Skipped.
func Load(ctx context.Context, path string, o mnist.Options) (*mnist.Dataset, error) {
	if path == "" {
		return mnist.LoadDefaultWith(o)
	}
	return mnist.OpenContext(ctx, path, o)
}
