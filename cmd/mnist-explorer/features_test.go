package main

import (
	"context"
	le "encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// writeFeatures writes an N x D float32 .npy.
func writeFeatures(t *testing.T, path string, rows [][]float32) {
	t.Helper()
	d := len(rows[0])
	h := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }", len(rows), d)
	h += strings.Repeat(" ", 63-(10+len(h))%64) + "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(h)), byte(len(h)>>8))
	b = append(b, h...)
	for _, r := range rows {
		for _, v := range r {
			b = le.LittleEndian.AppendUint32(b, math.Float32bits(v))
		}
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// --features changes what the layouts and the panel's neighbours are
// computed on: one-hot labels plus a little noise separate the classes
// perfectly, every neighbour shares the label, and the panel names the
// space.
func TestFeaturesDriveLayoutsAndNeighbours(t *testing.T) {
	needDisplay(t)
	const n = 600
	ds, err := mnist.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	labels := ds.Labels[:n]
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([][]float32, ds.Len()) // one row per dataset row; the app keeps the first n
	for i := range rows {
		rows[i] = make([]float32, 10)
		for j := range rows[i] {
			rows[i][j] = float32(0.01 * rng.NormFloat64())
		}
		rows[i][ds.Labels[i]] += 1
	}
	dir := t.TempDir()
	feat, layout, state := filepath.Join(dir, "f.npy"), filepath.Join(dir, "l.npy"), filepath.Join(dir, "s.json")
	writeFeatures(t, feat, rows)
	code, _, errs := runApp(t, nil, "--n", fmt.Sprint(n), "--features", feat, "--layout", "umap", "--no-cache", "--size", "1024x700",
		"--script", "wait-layout; layout "+layout+"; move-to-row 5; click; wait-neighbors; state "+state)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	st := readState(t, state)
	if st.Space != "features 10-d" || !strings.Contains(st.PanelNeighbors, "features 10-d") {
		t.Errorf("space %q, panel %q", st.Space, st.PanelNeighbors)
	}
	for _, r := range st.Neighbors {
		if labels[r] != labels[st.Selected] {
			t.Errorf("neighbour %d (label %d) of row %d (label %d)", r, labels[r], st.Selected, labels[st.Selected])
		}
	}
	pos, err := projection.ReadLayoutFile(layout, n)
	if err != nil {
		t.Fatal(err)
	}
	data := &projection.Matrix{N: n, D: 10}
	for _, r := range rows[:n] {
		data.Data = append(data.Data, r...)
	}
	m, err := projection.EvaluateLayout(context.Background(), data, labels, pos, projection.MetricSettings{})
	if err != nil || m.KNNAcc10 != 1 {
		t.Errorf("layout on the features: knn_acc10 %v (%v), want 1", m.KNNAcc10, err)
	}
}
