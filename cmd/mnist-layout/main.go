// Command mnist-layout computes a 2-D layout of an IDX image dataset without
// a window and writes it as an N x 2 float32 .npy or .csv file in dataset
// row order (train rows, then test rows).
//
//	mnist-layout --method umap --out umap.npy --metrics
//
// It prints the time of each stage, the peak memory and, with --metrics,
// the layout's quality: knn_acc10 (leave-one-out 10-NN label accuracy in
// 2-D), trust15 (trustworthiness, k=15, on a 5,000-row sample) and
// recall15 (overlap of 15-NN sets in pixel space and in the layout).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/atomicfile"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/layoutcache"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mnist-layout", flag.ContinueOnError)
	fs.SetOutput(stderr)
	method := fs.String("method", "umap", "layout method: "+strings.Join(pipeline.Names(), ", "))
	n := fs.Int("n", 0, "use only the first `N` rows (0 = all)")
	seed := fs.Uint64("seed", 42, "random seed")
	workers := fs.Int("workers", 0, "goroutines (0 = all cores, at most 4 per core; 1 = reproducible bit for bit)")
	pcaDims := fs.Int("tsne-pca-dims", 0, "t-SNE: reduce to `D` dimensions by PCA before the kNN (0 = 100, -1 = use the raw pixels)")
	theta := fs.Float64("tsne-theta", 0, "t-SNE: Barnes-Hut accuracy `theta` (0 = 0.35, negative = exact O(N^2))")
	gradient := fs.String("tsne-gradient", "", "t-SNE: repulsive forces by `fft` (FFT interpolation) or bh (Barnes-Hut); empty = fft from 10,000 rows, bh below")
	rate := fs.Float64("tsne-learning-rate", 0, "t-SNE: one learning `rate` for all iterations (0 = N/12 during early exaggeration, N/4 after)")
	dataDir := fs.String("data", "", "the dataset: a folder of IDX files or of images (class subfolders give labels), or a .npy / .npz of images, or a .parquet of image bytes (or a folder of .parquet shards); default: MNIST from the GoMNIST Go module")
	labelsFile := fs.String("labels", "", "labels `FILE` for a .npy of images (.npy or .csv), or replacing a folder's labels.csv")
	imageCol := fs.String("image-col", "", "a Parquet dataset's image `COLUMN` (binary, or a struct of bytes and path; default: found)")
	labelCol := fs.String("label-col", "", "a Parquet dataset's label `COLUMN` (integers or text; default: found)")
	featuresFile := fs.String("features", "", "compute the layout (and --metrics) on `F.npy` (N x D, one row per image) instead of the pixels")
	cell := fs.Int("cell", 0, "fit each image into a square cell of `N` pixels (0: chosen from the count)")
	out := fs.String("out", "", "output `FILE`.npy, FILE.csv or FILE.parquet (row, split, label, x, y)")
	metrics := fs.Bool("metrics", false, "compute knn_acc10, trust15 and recall15 of the layout")
	useCache := fs.Bool("cache", false, "read and write the explorer's layout cache (the app then opens this layout at once)")
	recompute := fs.Bool("recompute", false, "with --cache: compute afresh (for benchmarks) and replace the cached layout")
	quiet := fs.Bool("quiet", false, "no progress bar")
	memTraceOn := fs.Bool("mem-trace", false, "print the time, resident and peak memory and Go heap at each stage boundary (and each kNN tree and round)")
	printDir := fs.Bool("print-data-dir", false, "print the directory of the default MNIST files and exit")
	maxDataMB := fs.Int64("max-data-mb", 0, "memory budget of the dataset in `MiB`, counting 5 bytes a pixel (the pixel and its float32 copy for layouts); 0 = half of this machine's memory")
	var ex exportJob
	fs.StringVar(&ex.to, "export", "", "compute no layout: write `FILE` from --selection or --corrections ("+exportFormats()+")")
	fs.StringVar(&ex.selection, "selection", "", "with --export: the rows the explorer exported (`FILE`.npy or .csv)")
	fs.StringVar(&ex.corrections, "corrections", "", "with --export: the explorer's review `FILE` of this dataset (see its log)")
	fs.StringVar(&ex.positions, "positions", "", "with --export and --selection to CSV: x, y from this layout `FILE`.npy|.csv")
	eval := fs.String("eval", "", "compute no layout: read `FILE`.npy|.csv (N x 2, dataset row order) and print its metrics")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: mnist-layout --method umap|tsne|pca --out FILE.npy|FILE.csv [flags]\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *printDir {
		dir, err := mnist.DefaultDir()
		if err != nil {
			fmt.Fprintf(stderr, "mnist-layout: %v\n", err)
			return 1
		}
		fmt.Fprintln(stdout, dir)
		return 0
	}
	if *maxDataMB < 0 || *maxDataMB > 1<<30 {
		fmt.Fprintf(stderr, "mnist-layout: --max-data-mb %d: must be 0..%d\n", *maxDataMB, 1<<30)
		return 2
	}
	meth, ok := pipeline.Lookup(*method)
	if !ok {
		fmt.Fprintf(stderr, "mnist-layout: --method %q: want one of %s\n", *method, strings.Join(pipeline.Names(), ", "))
		return 2
	}
	if *eval != "" {
		*metrics = true
	}
	if *out == "" && !*metrics && ex.to == "" {
		fmt.Fprintln(stderr, "mnist-layout: nothing to do: give --out FILE.npy|FILE.csv and/or --metrics")
		return 2
	}
	format := projection.LayoutFormatOf(*out)
	if err := format.Check(); *out != "" && err != nil {
		fmt.Fprintf(stderr, "mnist-layout: --out %s: %v\n", *out, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	start := time.Now()
	var ds *mnist.Dataset
	var err error
	opts := mnist.Options{MaxBytes: *maxDataMB << 20, Labels: *labelsFile, Cell: *cell, ImageColumn: *imageCol, LabelColumn: *labelCol}
	ds, err = pipeline.Load(ctx, *dataDir, opts)
	if err != nil {
		fmt.Fprintf(stderr, "mnist-layout: %v\n", err)
		return 1
	}
	if k := len(ds.Skipped); k > 0 {
		fmt.Fprintf(stderr, "mnist-layout: %d of %d files could not be read:\n", k, k+ds.Len())
		for _, s := range ds.Skipped {
			fmt.Fprintf(stderr, "  %s\n", s)
		}
	}
	all := ds.Len()
	ds = ds.Head(*n)
	fmt.Fprintf(stdout, "data      %d rows of %dx%d from %s [%s] (%.2fs)\n", ds.Len(), ds.Width, ds.Height, ds.Dir, baseNames(ds.Files), time.Since(start).Seconds())
	var trace *memTrace
	if *memTraceOn {
		trace = newMemTrace(stdout, start)
		trace.mark("loaded")
	}

	o := pipeline.Options{Seed: *seed, Workers: *workers, TSNEPCADims: *pcaDims, TSNETheta: *theta, TSNEGradient: *gradient, TSNELearningRate: *rate, Recompute: *recompute}
	in := pipeline.NewInput(ds)
	if *featuresFile != "" {
		data, d, err := mnist.ReadFeatures(*featuresFile, all)
		if err != nil {
			fmt.Fprintf(stderr, "mnist-layout: %v\n", err)
			return 1
		}
		in = pipeline.NewFeatureInput(ds, &projection.Matrix{N: ds.Len(), D: d, Data: data[:ds.Len()*d]})
	}
	fmt.Fprintf(stdout, "space     %s\n", in.Space())
	if ex.to != "" {
		if err := ex.run(ds, in.Hash(), stdout); err != nil {
			fmt.Fprintf(stderr, "mnist-layout: %v\n", err)
			return 1
		}
		return 0
	}

	var layout []float32
	if *eval != "" {
		if layout, err = projection.ReadLayoutFile(*eval, ds.Len()); err != nil {
			fmt.Fprintf(stderr, "mnist-layout: %v\n", err)
			return 1
		}
	} else if layout, err = obtain(ctx, meth, in, o, *useCache, stdout, stderr, *quiet, trace); err != nil {
		fmt.Fprintf(stderr, "mnist-layout: %v\n", err)
		return 1
	}
	if rss := peakRSSMB(); rss > 0 {
		fmt.Fprintf(stdout, "peak_rss  %8.0f MB\n", rss)
	}
	if *out != "" {
		err := atomicfile.Write(*out, func(w io.Writer) error {
			if format == projection.LayoutParquet { // row, split, label, x, y
				return projection.WriteLayoutParquet(w, layout, projection.LayoutRowInfo{Labels: ds.Labels, NumTrain: ds.NumTrain})
			}
			return projection.WriteLayout(w, format, layout)
		})
		if err != nil {
			fmt.Fprintf(stderr, "mnist-layout: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "wrote     %s\n", *out)
	}
	if *metrics {
		t0 := time.Now()
		m, err := projection.EvaluateLayout(ctx, in.Matrix(), ds.Labels, layout, projection.MetricSettings{Seed: 1})
		if err != nil {
			fmt.Fprintf(stderr, "mnist-layout: metrics: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "knn_acc10 %.4f\ntrust15   %.4f\nrecall15  %.4f\n(metrics took %.1fs)\n",
			m.KNNAcc10, m.Trust15, m.Recall15, time.Since(t0).Seconds())
	}
	return 0
}

// obtain computes m's layout of in, or reads it from the explorer's layout
// cache when useCache is set, and prints how: the cache entry read, or the
// time of each stage, the total and the method's notes; trace, when not
// nil, sees every stage boundary.
func obtain(ctx context.Context, m *pipeline.Method, in *pipeline.Input, o pipeline.Options, useCache bool, stdout, stderr io.Writer, quiet bool, trace *memTrace) ([]float32, error) {
	var cache *layoutcache.Cache
	if useCache && m.Cacheable {
		var err error
		if cache, err = layoutcache.Default(); err != nil {
			return nil, err
		}
	}
	bar := newProgressBar(stderr, quiet)
	logf := func(format string, args ...any) { fmt.Fprintf(stderr, "mnist-layout: "+format+"\n", args...) }
	progress := bar.update
	if trace != nil {
		progress = func(p projection.Progress) { trace.update(p); bar.update(p) }
	}
	res, err := pipeline.Obtain(ctx, m, in, o, cache, &projection.Hooks{Progress: progress}, logf)
	bar.done()
	if trace != nil {
		trace.mark("done")
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.Title, err)
	}
	if res.FromCache {
		fmt.Fprintf(stdout, "cache     %s\n", res.CachePath)
		return res.Layout, nil
	}
	for _, s := range res.Stages {
		fmt.Fprintf(stdout, "%-9s %8.2fs\n", s.Name, s.Duration.Seconds())
	}
	fmt.Fprintf(stdout, "total     %8.2fs  (%s)\n", res.Elapsed.Seconds(), m.Title)
	if res.KL != 0 {
		fmt.Fprintf(stdout, "kl        %8.4f\n", res.KL)
	}
	if res.Note != "" {
		fmt.Fprintf(stdout, "note      %s\n", res.Note)
	}
	return res.Layout, nil
}

// peakRSSMB returns the process's peak resident set size in MB, from
// /proc/self/status (Linux); 0 where unavailable.
func peakRSSMB() float64 { return procStatusMB("VmHWM:") }

// baseNames lists the files' base names, comma-separated: which of x and
// x.gz was read.
func baseNames(files []string) string {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = filepath.Base(f)
	}
	return strings.Join(names, ", ")
}
