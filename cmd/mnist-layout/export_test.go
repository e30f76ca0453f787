package main

import (
	"encoding/csv"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/clitest"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/export"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/review"
	"github.com/mnist-explorer/mnist-explorer/mnist"
)

// The headless tool exports what the explorer saved: a selection as CSV or
// a contact sheet, a review file as corrections CSV or IDX labels.
func TestExportFromSavedFiles(t *testing.T) {
	bin := layoutBinary(t)
	data := smallDataset(t)
	ds, err := mnist.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sel, err := export.SelectionNPY(filepath.Join(dir, "sel.npy"), []int32{1, 4, 9})
	if err != nil {
		t.Fatal(err)
	}
	// A review file as the explorer writes it: row 4 relabelled, row 9 flagged.
	journal := filepath.Join(dir, "d.review")
	c, err := review.Open(journal, review.Dataset{Hash: ds.Hash(), Labels: ds.Labels, Classes: ds.NumClasses()})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Set(4, review.Decision{Kind: review.Relabelled, Label: 2}); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(9, review.Decision{Kind: review.Flagged}); err != nil {
		t.Fatal(err)
	}
	c.Close()

	run := func(args ...string) {
		t.Helper()
		if r := clitest.Run(t, time.Minute, nil, bin, append([]string{"--data", data, "--quiet"}, args...)...); r.Code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.Code, r.Stderr)
		}
	}
	out := func(name string) string { return filepath.Join(dir, name) }
	run("--selection", sel.Path, "--export", out("sel.csv"))
	run("--selection", sel.Path, "--export", out("sel.png"))
	run("--corrections", journal, "--export", out("fix.csv"))
	run("--corrections", journal, "--export", out("labels.idx1-ubyte"))

	recs := readCSV(t, out("sel.csv"))
	if len(recs) != 4 || recs[1][0] != "1" || recs[3][0] != "9" {
		t.Errorf("selection CSV: %v", recs)
	}
	f, err := os.Open(out("sel.png"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(f); err != nil {
		t.Errorf("contact sheet: %v", err)
	}
	f.Close()
	fix := readCSV(t, out("fix.csv"))
	if len(fix) != 3 || strings.Join(fix[1][:4], ",") != "4,1,2,false" || strings.Join(fix[2][:4], ",") != "9,0,0,true" {
		t.Errorf("corrections CSV: %v", fix)
	}
	labels, err := mnist.ReadLabels(out("labels.idx1-ubyte"))
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) != ds.Len() || labels[4] != 2 || labels[9] != ds.Labels[9] || labels[1] != ds.Labels[1] {
		t.Errorf("corrected labels: %v", labels[:10])
	}
	// A review file of another dataset is refused, and so is a bad selection.
	other := smallDataset(t)
	os.WriteFile(filepath.Join(other, mnist.TrainLabels), clitest.IDX([]uint32{evalRows}, make([]byte, evalRows)), 0o644)
	os.WriteFile(out("far.csv"), []byte("row\n99999\n"), 0o644)
	for _, args := range [][]string{
		{"--data", other, "--corrections", journal, "--export", out("x.csv")},
		{"--data", data, "--selection", out("far.csv"), "--export", out("y.csv")},
		{"--data", data, "--export", out("z.csv")},
	} {
		r := clitest.Run(t, time.Minute, nil, bin, append(args, "--quiet")...)
		if r.Code == 0 || strings.Count(strings.TrimSpace(r.Stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, %q: want a one-line error", args, r.Code, r.Stderr)
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
