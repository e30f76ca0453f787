package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/projection"
)

// insideEvenOdd is the brute-force even-odd test, written apart from the
// region package.
func insideEvenOdd(poly []float64, x, y float64) bool {
	in := false
	n := len(poly) / 2
	for i, j := 0, n-1; i < n; j, i = i, i+1 {
		xi, yi, xj, yj := poly[2*i], poly[2*i+1], poly[2*j], poly[2*j+1]
		if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}

// A lasso drawn through injected events over a known region chooses
// exactly the rows the brute force finds inside it, and the exported CSV
// holds them.
func TestLassoChoosesWhatIsInside(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	state, layout := filepath.Join(dir, "s.json"), filepath.Join(dir, "l.npy")
	// A concave lasso in window coordinates (window = framebuffer here).
	lasso := [][2]float64{{300, 200}, {700, 220}, {760, 520}, {520, 380}, {330, 560}, {360, 380}}
	steps := []string{"wait-layout", "state " + filepath.Join(dir, "before.json"),
		fmt.Sprintf("press %v %v shift", lasso[0][0], lasso[0][1])}
	for _, p := range lasso[1:] {
		steps = append(steps, fmt.Sprintf("move %v %v", p[0], p[1]))
	}
	steps = append(steps, "release", "wait-frames 2", "key e", "state "+state, "layout "+layout)
	code, _, errs := runApp(t, nil, "--n", "3000", "--layout", "pca", "--no-cache", "--size", "1024x700",
		"--export-dir", dir, "--script", strings.Join(steps, "; "))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	before, st := readState(t, filepath.Join(dir, "before.json")), readState(t, state)
	pos, err := projection.ReadLayoutFile(layout, 3000)
	if err != nil {
		t.Fatal(err)
	}
	// The lasso's vertices in world coordinates, through the camera the
	// state reports (the view did not move while drawing).
	cx, cy, zoom := before.Camera[0], before.Camera[1], before.Camera[2]
	w, h := float64(before.Viewport[0]), float64(before.Viewport[1])
	var poly []float64
	for _, p := range lasso {
		poly = append(poly, cx+(p[0]-w/2)/zoom, cy-(p[1]-h/2)/zoom)
	}
	var want []int32
	for i := 0; i < len(pos)/2; i++ {
		if insideEvenOdd(poly, float64(pos[2*i]), float64(pos[2*i+1])) {
			want = append(want, int32(i))
		}
	}
	if len(want) < 50 {
		t.Fatalf("the lasso holds only %d rows: the test's region is off", len(want))
	}
	if fmt.Sprint(st.Chosen) != fmt.Sprint(want) {
		t.Fatalf("chosen %d rows, brute force %d (first %v vs %v)", len(st.Chosen), len(want), head(st.Chosen), head(want))
	}
	// The export holds the same rows with their labels and places.
	f, err := os.Open(strings.TrimSuffix(st.LastExport, filepath.Ext(st.LastExport)) + ".csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(want)+1 || strings.Join(recs[0], ",") != "row,split,label,x,y,id" {
		t.Fatalf("CSV has %d records, header %v; want %d rows", len(recs), recs[0], len(want))
	}
	for i, r := range recs[1:] {
		row, _ := strconv.Atoi(r[0])
		x, _ := strconv.ParseFloat(r[3], 64)
		if int32(row) != want[i] || float32(x) != pos[2*row] {
			t.Fatalf("CSV record %d: %v, want row %d at x %v", i, r, want[i], pos[2*want[i]])
		}
	}
}

func head(r []int32) []int32 { return r[:min(len(r), 5)] }
