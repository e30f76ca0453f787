package main

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const scaleHeader = "method\trows\tload_s\tpca_s\tknn_s\tgraph_s\tinit_s\toptimize_s\ttotal_s\twall_s\tpeak_rss_mb\tloadavg_start\tloadavg_end\tstatus"

// scaleRows builds TSV rows: umap's knn grows as N^1.5 and its optimize as
// N; tsne's last run stopped in optimize.
func scaleRows() [][]string {
	text := scaleHeader + `
umap	10000	1.0	-	2.0	0.1	0.2	4.0	6.3	7.5	100	2.1	2.3	ok
umap	40000	4.0	-	16.0	0.4	0.8	16.0	33.2	38.0	400	2.3	2.4	ok
tsne	10000	1.0	1.0	2.0	0.5	-	40.0	43.5	45.0	200	2.0	2.2	ok
tsne	40000	4.0	4.0	8.0	2.0	-	160.0	174.0	180.0	800	2.2	3.0	stopped (rc 124): pca=4.00 knn=8.00 affinity=2.00 optimize=160.00@40%`
	var rows [][]string
	for _, l := range strings.Split(text, "\n") {
		rows = append(rows, strings.Split(l, "\t"))
	}
	return rows
}

func TestExponent(t *testing.T) {
	if k := exponent(1e4, 3, 1e6, 3*math.Pow(100, 1.25)); math.Abs(k-1.25) > 1e-12 {
		t.Errorf("exponent of N^1.25 = %v", k)
	}
	for _, c := range [][4]float64{{1e4, 0, 1e5, 1}, {1e4, 1, 1e4, 2}, {1e4, 1, 1e5, -1}} {
		if k := exponent(c[0], c[1], c[2], c[3]); !math.IsNaN(k) {
			t.Errorf("exponent%v = %v, want NaN", c, k)
		}
	}
}

func TestParseScaleStoppedRun(t *testing.T) {
	runs, err := parseScale(scaleRows())
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 4 {
		t.Fatalf("%d runs, want 4", len(runs))
	}
	stopped := runs[3]
	if stopped.method != "tsne" || stopped.rows != 40000 || stopped.rssMB != 800 {
		t.Fatalf("run 4 = %+v", stopped)
	}
	// The stage it was in and its total are unfinished; the others count.
	for _, s := range []string{"optimize_s", "total_s", "init_s"} {
		if v, ok := stopped.secs[s]; ok {
			t.Errorf("stopped run has %s = %v", s, v)
		}
	}
	if stopped.secs["knn_s"] != 8 || stopped.secs["graph_s"] != 2 || stopped.secs["pca_s"] != 4 {
		t.Errorf("stopped run's finished stages = %v", stopped.secs)
	}
	if runs[2].secs["optimize_s"] != 40 || runs[2].secs["total_s"] != 43.5 {
		t.Errorf("finished run's stages = %v", runs[2].secs)
	}
}

func TestParseScaleRejects(t *testing.T) {
	rows := scaleRows()
	cases := map[string][][]string{
		"no results":    rows[:1],
		"missing col":   {strings.Split(strings.Replace(scaleHeader, "knn_s", "knn", 1), "\t"), rows[1]},
		"short line":    {rows[0], rows[1][:5]},
		"rows not a nr": {rows[0], append([]string{"umap", "many"}, rows[1][2:]...)},
	}
	for name, c := range cases {
		if _, err := parseScale(c); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestScaleTable(t *testing.T) {
	runs, err := parseScale(scaleRows())
	if err != nil {
		t.Fatal(err)
	}
	md := scaleTable(runs)
	for _, want := range []string{
		"| 10k | umap | 1.0 | - | 2.0 | 0.1 | 0.2 | 4.0 | 6.3 | 7.5 | 100 | 2.1→2.3 | ok |",
		"| 40k | tsne |",
		"| umap | 10k→40k |",
		"| knn | 1.50 |",      // 2 s to 16 s over 4x rows
		"| optimize | 1.00 |", // umap: linear
		"| peak RSS | 1.00 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("table lacks %q:\n%s", want, md)
		}
	}
	// t-SNE's optimize did not finish at 40k: no exponent for it.
	tsne := md[strings.Index(md, "| tsne | 10k→40k |"):]
	if strings.Contains(tsne, "| optimize |") || strings.Contains(tsne, "| total |") {
		t.Errorf("exponent from an unfinished stage:\n%s", tsne)
	}
	if !strings.Contains(tsne, "| affinity | 1.00 |") {
		t.Errorf("t-SNE's finished affinity stage lacks its exponent:\n%s", tsne)
	}
}

func TestLogTicks125(t *testing.T) {
	var labels []string
	n := 0
	for _, tk := range (logTicks125{}).Ticks(0.3, 2500) {
		if tk.Value < 0.3 || tk.Value > 2500 {
			t.Errorf("tick %v outside [0.3, 2500]", tk.Value)
		}
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
		n++
	}
	if got, want := strings.Join(labels, " "), "0.5 1 2 5 10 20 50 100 200 500 1000 2000"; got != want {
		t.Errorf("labels %q, want %q", got, want)
	}
	if n != 7+9*3+2 { // 0.3-0.9, three full decades, 1000 and 2000
		t.Errorf("%d ticks, want %d", n, 7+9*3+2)
	}
}

func TestScaleChart(t *testing.T) {
	runs, err := parseScale(scaleRows())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "scale.png")
	var bounds image.Rectangle
	if err := scaleChart(runs, path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err == nil {
		var img image.Image
		img, err = png.Decode(bytes.NewReader(b))
		if err == nil {
			bounds = img.Bounds()
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	// Three panels side by side: umap, tsne, memory.
	if b := bounds; b.Dx() < 2*b.Dy() {
		t.Errorf("chart is %v, want three panels in a row", b)
	}
	// A method with no positive value cannot be drawn on log axes.
	bad := scaleRows()[:2]
	for i := 2; i < 11; i++ {
		bad[1][i] = "-"
	}
	runs, err = parseScale(bad)
	if err != nil {
		t.Fatal(err)
	}
	if err := scaleChart(runs, path); err == nil {
		t.Error("chart of nothing: no error")
	}
}
