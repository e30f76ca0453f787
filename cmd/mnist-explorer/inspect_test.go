package main

import (
	"encoding/json"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

func readState(t *testing.T, path string) appState {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st appState
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// exactNeighbors returns row's k nearest rows by brute force (float64).
func exactNeighbors(ds *mnist.Dataset, row, k int) []int {
	type cand struct {
		i int
		d float64
	}
	q := ds.Image(row)
	var cs []cand
	for i := 0; i < ds.Len(); i++ {
		if i == row {
			continue
		}
		var d float64
		for j, p := range ds.Image(i) {
			x := (float64(p) - float64(q[j])) / 255
			d += x * x
		}
		cs = append(cs, cand{i, d})
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].d < cs[b].d })
	out := make([]int, k)
	for i := range out {
		out[i] = cs[i].i
	}
	return out
}

// correlation returns the Pearson correlation between the image's pixels
// and the brightness sampled at the centres of a w x h grid over rect r.
func correlation(img image.Image, r [4]float64, pix []uint8, w, h int) float64 {
	var xs, ys []float64
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sx := int(r[0] + (float64(x)+0.5)*(r[2]-r[0])/float64(w))
			sy := int(r[1] + (float64(y)+0.5)*(r[3]-r[1])/float64(h))
			cr, cg, cb, _ := img.At(sx, sy).RGBA()
			xs = append(xs, float64(max(cr, cg, cb)))
			ys = append(ys, float64(pix[y*w+x]))
		}
	}
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(len(xs))
	my /= float64(len(ys))
	var sxy, sxx, syy float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
		syy += (ys[i] - my) * (ys[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

// The real app, driven by injected cursor and click events: the sprite
// under the cursor gets selected, and the panel shows it and its exact
// pixel-space neighbours.
func TestInspectEndToEnd(t *testing.T) {
	needDisplay(t)
	const n, target = 3000, 123
	dir := t.TempDir()
	shot, state, layout := filepath.Join(dir, "shot.png"), filepath.Join(dir, "state.json"), filepath.Join(dir, "layout.npy")
	script := strings.Join([]string{
		"wait-layout", "move-to-row 123", "wait-frames 2", "click", "wait-neighbors", "wait-frames 2",
		"screenshot " + shot, "state " + state, "layout " + layout,
	}, "; ")
	code, _, errs := runApp(t, nil, "--n", "3000", "--layout", "pca", "--no-cache", "--size", "1280x800", "--script", script)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	st := readState(t, state)
	pos, err := projection.ReadLayoutFile(layout, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pos) != 2*n {
		t.Fatalf("layout has %d values", len(pos))
	}
	// The expected pick: the highest-index sprite whose square contains
	// the cursor (instanced sprites are drawn in index order).
	half := st.SpriteSize / 2
	want := -1
	for i := 0; i < n; i++ {
		dx, dy := math.Abs(float64(pos[2*i])-st.CursorWorld[0]), math.Abs(float64(pos[2*i+1])-st.CursorWorld[1])
		if dx <= half && dy <= half {
			want = i
		}
	}
	if want < target {
		t.Fatalf("brute force finds sprite %d under the cursor placed on %d", want, target)
	}
	if st.Selected != want || !st.Panel {
		t.Fatalf("selected %d (panel %v), want %d", st.Selected, st.Panel, want)
	}
	ds, err := mnist.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	ds = ds.Head(n)
	nb := exactNeighbors(ds, want, inspectK)
	if len(st.Neighbors) != inspectK {
		t.Fatalf("%d neighbours", len(st.Neighbors))
	}
	for i := range nb {
		if int(st.Neighbors[i]) != nb[i] {
			t.Fatalf("neighbours %v, brute force %v", st.Neighbors, nb)
		}
	}
	img := readPNG(t, shot)
	if c := correlation(img, st.DigitRect, ds.Image(want), ds.Width, ds.Height); c < 0.95 {
		t.Errorf("panel digit correlates %.3f with row %d's pixels", c, want)
	}
	if len(st.Thumbs) != inspectK {
		t.Fatalf("%d thumbnails", len(st.Thumbs))
	}
	for k, th := range st.Thumbs {
		if th.Row != nb[k] {
			t.Errorf("thumbnail %d shows row %d, want %d", k, th.Row, nb[k])
		}
		if c := correlation(img, th.Rect, ds.Image(th.Row), ds.Width, ds.Height); c < 0.8 {
			t.Errorf("thumbnail %d correlates %.3f with row %d's pixels", k, c, th.Row)
		}
		// A neighbour's image should not match the selected digit as well
		// as its own: the thumbnails are really the neighbours.
	}
}

// Clicking a neighbour thumbnail selects it; hiding a class makes its
// sprites unpickable and clears a selection of that class; find selects a row.
func TestInspectControls(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	s1, s2, s3, s4 := filepath.Join(dir, "1.json"), filepath.Join(dir, "2.json"), filepath.Join(dir, "3.json"), filepath.Join(dir, "4.json")
	script := strings.Join([]string{
		"wait-layout", "key slash", "type 42", "key enter", "wait-neighbors", "state " + s1,
		"move-to-thumb 0", "click", "wait-neighbors", "state " + s4,
		"key 5 shift", "wait-frames 2", "state " + s2,
		"key a shift", "key l", "wait-suspects", "key n", "wait-neighbors", "state " + s3,
	}, "; ")
	code, _, errs := runApp(t, nil, "--n", "2000", "--layout", "pca", "--no-cache", "--size", "1024x700", "--script", script)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	ds, err := mnist.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	st1 := readState(t, s1)
	if st1.Selected != 42 || !st1.Panel || len(st1.Neighbors) != inspectK {
		t.Fatalf("find 42: selected %d, panel %v, %d neighbours", st1.Selected, st1.Panel, len(st1.Neighbors))
	}
	st4 := readState(t, s4)
	if st4.Selected != int(st1.Neighbors[0]) {
		t.Errorf("clicking the first thumbnail selected %d, want %d", st4.Selected, st1.Neighbors[0])
	}
	st2 := readState(t, s2)
	count5 := 0
	for _, l := range ds.Labels[:2000] {
		if l == 5 {
			count5++
		}
	}
	if len(st2.Hidden) != 1 || st2.Hidden[0] != 5 || st2.Visible != 2000-count5 {
		t.Errorf("after Shift+5: hidden %v, visible %d, want [5] and %d", st2.Hidden, st2.Visible, 2000-count5)
	}
	if sel := st4.Selected; ds.Labels[sel] == 5 && st2.Selected != -1 {
		t.Errorf("row %d (a 5) still selected after hiding 5s", sel)
	}
	st3 := readState(t, s3)
	if len(st3.Hidden) != 0 || !st3.SuspectsOn || st3.Suspects <= 0 {
		t.Fatalf("after Shift+A, L, N: hidden %v, suspects on %v, %d suspects", st3.Hidden, st3.SuspectsOn, st3.Suspects)
	}
	// N selects a suspicious row: most of its exact neighbours disagree.
	same := 0
	for _, r := range st3.Neighbors {
		if ds.Labels[r] == ds.Labels[st3.Selected] {
			same++
		}
	}
	if st3.Selected < 0 || 2*same >= len(st3.Neighbors)+2 {
		t.Errorf("N selected row %d with %d of %d neighbours sharing its label", st3.Selected, same, len(st3.Neighbors))
	}
}
