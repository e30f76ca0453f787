package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/clitest"
	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// The --eval sweep runs the real binary on damaged and malicious layout
// files (.npy and .csv) against a small valid dataset. Each must end quickly
// with exit status 1 and one line naming the file: no panic, no stack trace,
// no allocation sized by a header's claim.

const (
	evalTimeout = 20 * time.Second
	evalSlow    = 5 * time.Second
	evalRows    = 40 // rows of the test dataset (enough for the metrics' 15 neighbours)
	// evalMemory limits every run's heap: far more than a small dataset
	// and layout need, far less than any allocation a header's claim could
	// size.
	evalMemory = 512 << 20
)

var layoutCmd clitest.Builder

// layoutBinary builds mnist-layout once per test run.
func layoutBinary(t *testing.T) string {
	t.Helper()
	return layoutCmd.Build(t, "mnist-layout")
}

// smallDataset writes a valid evalRows-row dataset of 4x4 images.
func smallDataset(t *testing.T) string {
	t.Helper()
	return datasetOf(t, evalRows)
}

// datasetOf writes a valid dataset of rows 4x4 images in three classes.
func datasetOf(t *testing.T, rows int) string {
	t.Helper()
	dir := t.TempDir()
	pix := make([]byte, rows*16)
	for i := range pix {
		pix[i] = byte(i * 13)
	}
	labels := make([]byte, rows)
	for i := range labels {
		labels[i] = byte(i % 3)
	}
	files := map[string][]byte{
		mnist.TrainImages: clitest.IDX([]uint32{uint32(rows), 4, 4}, pix),
		mnist.TrainLabels: clitest.IDX([]uint32{uint32(rows)}, labels),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A dataset over --max-data-mb is refused in one line that names its images
// file and the flag; a negative budget is a usage error.
func TestDataOverBudget(t *testing.T) {
	bin := layoutBinary(t)
	dir := t.TempDir()
	const n = 1000 // of 32x32: 1 MB of pixels, 5 MiB with their float32 copy
	os.WriteFile(filepath.Join(dir, mnist.TrainImages), clitest.IDX([]uint32{n, 32, 32}, make([]byte, n*32*32)), 0o644)
	os.WriteFile(filepath.Join(dir, mnist.TrainLabels), clitest.IDX([]uint32{n}, make([]byte, n)), 0o644)
	args := []string{"--data", dir, "--method", "pca", "--metrics", "--quiet", "--max-data-mb"}
	r := clitest.Run(t, evalTimeout, nil, bin, append(args, "4")...)
	clitest.WantOneLineError(t, r, filepath.Join(dir, mnist.TrainImages), evalSlow)
	if !strings.Contains(r.Stderr, "over the budget of 4 MiB") || !strings.Contains(r.Stderr, "--max-data-mb") {
		t.Errorf("stderr %q does not give the budget and the flag", r.Stderr)
	}
	if r := clitest.Run(t, evalTimeout, nil, bin, append(args, "6")...); r.Code != 0 {
		t.Errorf("within the budget: exit %d: %s", r.Code, r.Stderr)
	}
	if r := clitest.Run(t, evalTimeout, nil, bin, append(args, "-1")...); r.Code != 2 || !strings.Contains(r.Stderr, "--max-data-mb") {
		t.Errorf("--max-data-mb -1: exit %d, %q; want 2 and the flag named", r.Code, r.Stderr)
	}
}

// npy builds a .npy file with the given header dictionary and data.
func npy(dict string, data []byte) []byte {
	hdr := dict + "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	b.Write([]byte{byte(len(hdr)), byte(len(hdr) >> 8)})
	b.WriteString(hdr)
	b.Write(data)
	return b.Bytes()
}

func npyDict(descr, shape string) string {
	return fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape)
}

// evalCase is a layout file to evaluate; its name's extension picks the reader.
type evalCase struct {
	name string // test name
	file string // file name, with extension
	data []byte
	mk   func(path string) error // makes something other than a file, if set
}

func evalCases() []evalCase {
	f32 := make([]byte, 4*2*evalRows)
	rows := fmt.Sprintf("(%d, 2)", evalRows)
	nan := npy(npyDict("<f4", rows), append([]byte{0, 0, 0xc0, 0x7f}, f32[4:]...))
	return []evalCase{
		{name: "zero-byte npy", file: "l.npy", data: []byte{}},
		{name: "zero-byte csv", file: "l.csv", data: []byte{}},
		{name: "npy magic only", file: "l.npy", data: []byte("\x93NUMPY")},
		{name: "npy version 9", file: "l.npy", data: []byte("\x93NUMPY\x09\x00\x10\x00")},
		{name: "npy 4 GB header", file: "l.npy", data: []byte("\x93NUMPY\x02\x00\xff\xff\xff\xff{")},
		{name: "npy truncated header", file: "l.npy", data: npy(npyDict("<f4", rows), f32)[:30]},
		{name: "npy 2^28 rows claimed", file: "l.npy", data: npy(npyDict("<f4", "(268435456, 2)"), f32)},
		{name: "npy 2^28 rows in a 2 GB sparse file", file: "l.npy", mk: func(p string) error {
			if err := os.WriteFile(p, npy(npyDict("<f4", "(268435456, 2)"), nil), 0o644); err != nil {
				return err
			}
			return os.Truncate(p, 128+(2<<30))
		}},
		{name: "csv with a byte order mark and too many rows", file: "l.csv", data: []byte("\ufeff1,2\n" + strings.Repeat("3,4\n", evalRows))},
		{name: "npy 2^62 rows claimed", file: "l.npy", data: npy(npyDict("<f4", "(4611686018427387904, 2)"), f32)},
		{name: "npy row count overflows", file: "l.npy", data: npy(npyDict("<f4", "(99999999999999999999999, 2)"), f32)},
		{name: "npy zero rows", file: "l.npy", data: npy(npyDict("<f4", "(0, 2)"), nil)},
		{name: "npy 3 columns", file: "l.npy", data: npy(npyDict("<f4", fmt.Sprintf("(%d, 3)", evalRows)), make([]byte, 12*evalRows))},
		{name: "npy 1-D", file: "l.npy", data: npy(npyDict("<f4", fmt.Sprintf("(%d,)", 2*evalRows)), f32)},
		{name: "npy int64", file: "l.npy", data: npy(npyDict("<i8", rows), make([]byte, 16*evalRows))},
		{name: "npy object array", file: "l.npy", data: npy(npyDict("|O", rows), make([]byte, 16*evalRows))},
		{name: "npy fortran order", file: "l.npy", data: npy("{'descr': '<f4', 'fortran_order': True, 'shape': "+rows+", }", f32)},
		{name: "npy truncated data", file: "l.npy", data: npy(npyDict("<f4", rows), f32[:37])},
		{name: "npy NaN", file: "l.npy", data: nan},
		{name: "npy too few rows", file: "l.npy", data: npy(npyDict("<f4", "(3, 2)"), f32[:24])},
		{name: "npy too many rows", file: "l.npy", data: npy(npyDict("<f4", fmt.Sprintf("(%d, 2)", evalRows+1)), make([]byte, 8*(evalRows+1)))},
		{name: "csv header only", file: "l.csv", data: []byte("x,y\n")},
		{name: "csv 3 columns", file: "l.csv", data: []byte("1,2,3\n4,5,6\n")},
		{name: "csv text", file: "l.csv", data: []byte("x,y\n1,2\nthree,four\n")},
		{name: "csv inf", file: "l.csv", data: []byte("1,2\n3,Inf\n")},
		{name: "csv beyond float32", file: "l.csv", data: []byte("1,2\n3,1e39\n")},
		{name: "csv line of 2 MB", file: "l.csv", data: append([]byte("1,"), bytes.Repeat([]byte("9"), 2<<20)...)},
		{name: "csv binary", file: "l.csv", data: bytes.Repeat([]byte{0, 0xff, 0x93}, 1000)},
		{name: "csv too few rows", file: "l.csv", data: []byte("1,2\n3,4\n")},
		{name: "unknown extension", file: "l.txt", data: []byte("1,2\n")},
		{name: "missing file", file: "gone.npy", mk: func(string) error { return nil }},
		{name: "npy is a directory", file: "l.npy", mk: func(p string) error { return os.Mkdir(p, 0o755) }},
	}
}

// corpusEvalCases writes every entry of the layout readers' committed fuzz
// corpus that the reader rejects as a layout file.
func corpusEvalCases(t *testing.T) []evalCase {
	var cases []evalCase
	for _, c := range []struct{ target, ext string }{{"FuzzReadNPY", ".npy"}, {"FuzzReadCSV", ".csv"}} {
		dir := filepath.Join("..", "..", "projection", "testdata", "fuzz", c.target)
		entries, err := os.ReadDir(dir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			data, err := clitest.ReadCorpusEntry(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
			var l []float32
			if c.ext == ".npy" {
				l, err = projection.ReadNPY(bytes.NewReader(data))
			} else {
				l, err = projection.ReadCSV(bytes.NewReader(data))
			}
			if err == nil && len(l) == 2*evalRows {
				continue // a valid layout of the right size
			}
			cases = append(cases, evalCase{name: c.target + "/" + e.Name(), file: "l" + c.ext, data: data})
		}
	}
	return cases
}

func TestEvalHostileLayoutFiles(t *testing.T) {
	bin := layoutBinary(t)
	data := smallDataset(t)
	// A valid layout passes, so the failures below are the files' fault.
	var csv strings.Builder
	csv.WriteString("x,y\n")
	for i := range evalRows {
		fmt.Fprintf(&csv, "%d,%d\n", i%3, i)
	}
	good := filepath.Join(t.TempDir(), "good.csv")
	os.WriteFile(good, []byte(csv.String()), 0o644)
	if r := runEval(t, bin, data, good); r.Code != 0 {
		t.Fatalf("a valid layout: exit %d: %s", r.Code, r.Stderr)
	}
	cases := append(evalCases(), corpusEvalCases(t)...)
	for i, c := range cases {
		if testing.Short() && i >= len(evalCases()) && i%4 != 0 {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), c.file)
			var err error
			if c.mk != nil {
				err = c.mk(path)
			} else {
				err = os.WriteFile(path, c.data, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			clitest.WantOneLineError(t, runEval(t, bin, data, path), path, evalSlow)
		})
	}
}

// runEval runs mnist-layout --eval with a deadline and a memory limit.
func runEval(t *testing.T, bin, data, layout string) clitest.Result {
	return clitest.RunLimited(t, evalTimeout, evalMemory, []string{"XDG_CACHE_HOME=" + t.TempDir()}, bin, "--data", data, "--eval", layout, "--quiet")
}

// TestEvalFarOutlier evaluates a valid 500 x 2 layout with one point at
// x = 1e20, whose squared distances overflow float32 (it panicked in the
// trustworthiness): the metrics must come out, without a panic.
func TestEvalFarOutlier(t *testing.T) {
	const rows = 500
	bin := layoutBinary(t)
	data := datasetOf(t, rows)
	layout := make([]float32, 2*rows)
	for i := range rows {
		layout[2*i], layout[2*i+1] = float32(i%17), float32(i/17)
	}
	layout[0] = 1e20
	var b bytes.Buffer
	if err := projection.WriteLayout(&b, projection.LayoutNPY, layout); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "far.npy")
	os.WriteFile(path, b.Bytes(), 0o644)
	r := runEval(t, bin, data, path)
	if r.Code != 0 || strings.Contains(r.Stderr, "panic") {
		t.Errorf("exit %d, stderr %q; want the metrics", r.Code, r.Stderr)
	}
}
