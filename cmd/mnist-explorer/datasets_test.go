package main

import (
	"bytes"
	"compress/gzip"
	le "encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/projection"
)

// writeShapes writes an IDX dataset of n 16x16 images in 3 classes
// (horizontal bar, vertical bar, hollow box) with classes.txt; test rows
// only when withTest is set.
func writeShapes(t *testing.T, n int, withTest bool) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(7, 7))
	write := func(name string, ndims byte, dims []uint32, body []byte) {
		var b bytes.Buffer
		b.Write([]byte{0, 0, 8, ndims})
		le.Write(&b, le.BigEndian, dims)
		b.Write(body)
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		w.Write(b.Bytes())
		w.Close()
		if err := os.WriteFile(filepath.Join(dir, name+".gz"), z.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	split := func(prefix string, n int) {
		pix := make([]byte, n*256)
		lbl := make([]byte, n)
		for i := 0; i < n; i++ {
			c := i % 3
			lbl[i] = byte(c)
			img := pix[i*256 : (i+1)*256]
			o := rng.IntN(6)
			for y := 0; y < 16; y++ {
				for x := 0; x < 16; x++ {
					var on bool
					switch c {
					case 0:
						on = y >= 5+o/2 && y < 9+o/2 && x >= 2 && x < 14
					case 1:
						on = x >= 5+o/2 && x < 9+o/2 && y >= 2 && y < 14
					case 2:
						on = (x == 3 || x == 12 || y == 3 || y == 12) && x >= 3 && x <= 12 && y >= 3 && y <= 12
					}
					if on {
						img[y*16+x] = byte(200 + rng.IntN(56))
					}
				}
			}
		}
		write(prefix+"-images-idx3-ubyte", 3, []uint32{uint32(n), 16, 16}, pix)
		write(prefix+"-labels-idx1-ubyte", 1, []uint32{uint32(n)}, lbl)
	}
	split("train", n)
	if withTest {
		split("t10k", n/5)
	}
	if err := os.WriteFile(filepath.Join(dir, "classes.txt"), []byte("bar\npillar\nbox\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestOtherDatasetLoadsAndRenders(t *testing.T) {
	needDisplay(t)
	for _, withTest := range []bool{true, false} {
		t.Run(fmt.Sprintf("test-split=%v", withTest), func(t *testing.T) {
			dir := writeShapes(t, 600, withTest)
			out := t.TempDir()
			shot, state := filepath.Join(out, "s.png"), filepath.Join(out, "s.json")
			code, _, errs := runApp(t, nil, "--data", dir, "--layout", "pca", "--no-cache", "--size", "800x600",
				"--script", "wait-layout; screenshot "+shot+"; state "+state)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			st := readState(t, state)
			want := 600
			if withTest {
				want += 120
			}
			if st.Visible != want || strings.Join(st.Classes, ",") != "bar,pillar,box" {
				t.Errorf("visible %d (want %d), classes %v", st.Visible, want, st.Classes)
			}
			_, ink, hues := countPixels(readPNG(t, shot))
			if ink < 2000 || hues < 3 {
				t.Errorf("%d ink pixels in %d hues: the 3 classes are not drawn", ink, hues)
			}
		})
	}
}

func TestLayoutFiles(t *testing.T) {
	needDisplay(t)
	const n = 300
	dir := t.TempDir()
	good := make([]float32, 2*n)
	for i := 0; i < n; i++ {
		good[2*i], good[2*i+1] = float32(i%20), float32(i/20)
	}
	goodPath := filepath.Join(dir, "grid.csv")
	var csv bytes.Buffer
	projection.WriteLayout(&csv, projection.LayoutCSV, good)
	if err := os.WriteFile(goodPath, csv.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "s.json")
	code, _, errs := runApp(t, nil, "--n", "300", "--no-cache", "--layout-file", "grid="+goodPath, "--layout", "grid",
		"--script", "wait-layout; state "+state+"; layout "+filepath.Join(dir, "shown.npy"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	st := readState(t, state)
	if st.Layout != "grid" || strings.Join(st.Layouts, ",") != "pca,umap,tsne,grid" {
		t.Errorf("layout %q of %v", st.Layout, st.Layouts)
	}
	if strings.Contains(errs, "PCA computed") || slices.Contains(st.Running, "pca") {
		t.Errorf("a layout file needs no PCA stand-in, yet PCA ran:\n%s", errs)
	}
	shown, err := projection.ReadLayoutFile(filepath.Join(dir, "shown.npy"), n)
	if err != nil || len(shown) != 2*n || shown[2*57] != good[2*57] || shown[2*57+1] != good[2*57+1] {
		t.Fatalf("shown positions differ from the file (%v)", err)
	}

	short := filepath.Join(dir, "short.npy")
	os.WriteFile(short, npyOf(good[:2*(n-1)]), 0o644)
	bad := append([]float32(nil), good...)
	bad[2*7+1] = float32(math.Inf(1))
	nonFinite := filepath.Join(dir, "inf.npy")
	os.WriteFile(nonFinite, npyOf(bad), 0o644)
	for _, c := range []struct{ path, want string }{
		{short, "has 299 rows, the dataset 300"},
		{nonFinite, "row 7: non-finite"},
	} {
		code, _, errs := runApp(t, nil, "--n", "300", "--no-cache", "--layout-file", "x="+c.path, "--layout", "x", "--screenshot", filepath.Join(dir, "x.png"))
		if code == 0 || !strings.Contains(errs, c.path) || !strings.Contains(errs, c.want) || strings.Contains(errs, "goroutine") {
			t.Errorf("%s: exit %d, stderr %q; want an error naming the file and %q", c.path, code, errs, c.want)
		}
	}
	if code, _, errs := runApp(t, nil, "--layout-file", "umap=x.csv"); code != 2 || !strings.Contains(errs, "built-in") {
		t.Errorf("a file layout named umap: exit %d, %q", code, errs)
	}
}

// npyOf encodes an N x 2 float32 .npy without WriteLayout's checks.
func npyOf(v []float32) []byte {
	header := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%d, 2), }", len(v)/2)
	header += strings.Repeat(" ", 63-(10+len(header))%64) + "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	le.Write(&b, le.LittleEndian, uint16(len(header)))
	b.WriteString(header)
	le.Write(&b, le.LittleEndian, v)
	return b.Bytes()
}
