package pipeline_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// parityEnv turns on TestSourcesParity: it computes ten layouts of 10,000
// rows (minutes on two cores), so plain go test skips it.
const parityEnv = "MNIST_PARITY"

// parityRows is how many of MNIST's rows the parity test writes out.
const parityRows = 10000

// parityTol is how far a source's score may lie outside the IDX path's
// range over seeds 1-3.
const parityTol = 0.005

// TestSourcesParity (issue 12, done-when 1): MNIST's first 10,000 rows
// written as PNG files in class folders named after the digits, and as an
// .npz in Keras' layout, open with the same labels (the folder names are
// the class names the legend shows), and UMAP and t-SNE on them score
// within parityTol of the IDX path's range over seeds 1-3 on knn_acc10
// and trust15, although the folder's rows come in another order. Set
// MNIST_PARITY=1 to run it (make bench-sources).
func TestSourcesParity(t *testing.T) {
	if os.Getenv(parityEnv) == "" {
		t.Skip("set " + parityEnv + "=1 to compare the folder and .npz sources with IDX (minutes)")
	}
	all, err := mnist.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	idx := all.Head(parityRows)
	dir := t.TempDir()
	folder, npzPath := filepath.Join(dir, "mnist-png"), filepath.Join(dir, "mnist.npz")
	writeFolder(t, folder, idx)
	writeKerasNPZ(t, npzPath, idx, 8000)

	fds, err := mnist.Open(folder, mnist.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	checkFolderRows(t, fds, idx)
	nds, err := mnist.Open(npzPath, mnist.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(nds.Pixels, idx.Pixels) || !bytes.Equal(nds.Labels, idx.Labels) || nds.NumTrain != 8000 {
		t.Fatalf(".npz: pixels, labels or split (%d train) differ from IDX", nds.NumTrain)
	}

	for _, method := range []string{"umap", "tsne"} {
		m, _ := pipeline.Lookup(method)
		var idxScores []projection.Metrics
		for seed := uint64(1); seed <= 3; seed++ {
			idxScores = append(idxScores, score(t, m, idx, seed))
		}
		lo, hi := spread(idxScores)
		t.Logf("%s IDX seeds 1-3: knn_acc10 %.4f..%.4f, trust15 %.4f..%.4f", method, lo.KNNAcc10, hi.KNNAcc10, lo.Trust15, hi.Trust15)
		for _, src := range []struct {
			name string
			ds   *mnist.Dataset
		}{{"folder", fds}, {"npz", nds}} {
			got := score(t, m, src.ds, 1)
			t.Logf("%s %s seed 1: knn_acc10 %.4f, trust15 %.4f", method, src.name, got.KNNAcc10, got.Trust15)
			for _, c := range []struct {
				name      string
				v, lo, hi float64
			}{{"knn_acc10", got.KNNAcc10, lo.KNNAcc10, hi.KNNAcc10}, {"trust15", got.Trust15, lo.Trust15, hi.Trust15}} {
				if c.v < c.lo-parityTol || c.v > c.hi+parityTol {
					t.Errorf("%s on the %s: %s %.4f, outside IDX's %.4f..%.4f by more than %.3f", method, src.name, c.name, c.v, c.lo, c.hi, parityTol)
				}
			}
		}
	}
}

// score computes method m's layout of ds with seed and its metrics.
func score(t *testing.T, m *pipeline.Method, ds *mnist.Dataset, seed uint64) projection.Metrics {
	t.Helper()
	in := pipeline.NewInput(ds)
	res, err := m.Compute(context.Background(), in, pipeline.Options{Seed: seed}, nil)
	if err != nil {
		t.Fatal(err)
	}
	met, err := projection.EvaluateLayout(context.Background(), in.Matrix(), ds.Labels, res.Layout, projection.MetricSettings{})
	if err != nil {
		t.Fatal(err)
	}
	return met
}

// spread returns the lowest and highest of each score.
func spread(ms []projection.Metrics) (lo, hi projection.Metrics) {
	lo = projection.Metrics{KNNAcc10: math.Inf(1), Trust15: math.Inf(1)}
	hi = projection.Metrics{KNNAcc10: math.Inf(-1), Trust15: math.Inf(-1)}
	for _, m := range ms {
		lo.KNNAcc10, hi.KNNAcc10 = min(lo.KNNAcc10, m.KNNAcc10), max(hi.KNNAcc10, m.KNNAcc10)
		lo.Trust15, hi.Trust15 = min(lo.Trust15, m.Trust15), max(hi.Trust15, m.Trust15)
	}
	return lo, hi
}

// writeFolder writes ds's rows as grey PNG files in class folders named
// after the digits: dir/<digit>/<row, 5 digits>.png.
func writeFolder(t *testing.T, dir string, ds *mnist.Dataset) {
	t.Helper()
	var buf bytes.Buffer
	for i := range ds.Len() {
		sub := filepath.Join(dir, ds.ClassName(ds.Labels[i]))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		buf.Reset()
		img := &image.Gray{Pix: ds.Image(i), Stride: ds.Width, Rect: image.Rect(0, 0, ds.Width, ds.Height)}
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("%05d.png", i)), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkFolderRows checks the folder's rows against IDX: classes named
// after the folders ("0".."9", what the legend lists), each row's label
// and pixels those of the IDX row its file was written from, every row
// once.
func checkFolderRows(t *testing.T, fds, idx *mnist.Dataset) {
	t.Helper()
	if fds.Len() != idx.Len() || len(fds.Skipped) != 0 {
		t.Fatalf("folder: %d rows, %d skipped; want %d, 0", fds.Len(), len(fds.Skipped), idx.Len())
	}
	if want := []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}; !slices.Equal(fds.Classes, want) {
		t.Fatalf("folder classes %q, want the folder names %q", fds.Classes, want)
	}
	seen := make([]bool, idx.Len())
	same := 0
	for i, p := range fds.Paths {
		row, err := strconv.Atoi(strings.TrimSuffix(filepath.Base(p), ".png"))
		if err != nil || row < 0 || row >= idx.Len() || seen[row] {
			t.Fatalf("folder row %d: file %s", i, p)
		}
		seen[row] = true
		if fds.ClassName(fds.Labels[i]) != idx.ClassName(idx.Labels[row]) || !bytes.Equal(fds.Image(i), idx.Image(row)) {
			t.Fatalf("folder row %d (%s): label %s or pixels differ from IDX row %d (%s)", i, p,
				fds.ClassName(fds.Labels[i]), row, idx.ClassName(idx.Labels[row]))
		}
		if row == i {
			same++
		}
	}
	t.Logf("folder: %d rows, %d in the IDX position", fds.Len(), same)
}

// writeKerasNPZ writes ds as Keras' mnist.npz: x_train, y_train (the first
// train rows), x_test, y_test.
func writeKerasNPZ(t *testing.T, path string, ds *mnist.Dataset, train int) {
	t.Helper()
	images := func(lo, hi int) [][][]uint8 {
		out := make([][][]uint8, 0, hi-lo)
		for i := lo; i < hi; i++ {
			img := ds.Image(i)
			rows := make([][]uint8, ds.Height)
			for y := range rows {
				rows[y] = img[y*ds.Width : (y+1)*ds.Width]
			}
			out = append(out, rows)
		}
		return out
	}
	n := ds.Len()
	err := npz.Write(path, map[string]any{
		"x_train.npy": images(0, train), "y_train.npy": slices.Clone(ds.Labels[:train]),
		"x_test.npy": images(train, n), "y_test.npy": slices.Clone(ds.Labels[train:n]),
	})
	if err != nil {
		t.Fatal(err)
	}
}
