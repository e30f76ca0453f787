// Command bench-report turns the tab-separated results of
// .ci/bench-layout.sh into a markdown table, with each reference's time
// as a ratio to ours, and a chart of time and quality per method.
//
//	bench-report --in results.tsv --md table.md --png chart.png
//
// The first row of the input is ours; ratios are reference / ours.
//
// With --scale it reads .ci/bench-scale.sh's results instead (seconds of
// each stage and peak memory of each method at each row count) and writes
// their table, with the fitted growth exponent of each stage, and a
// log-log chart of time per stage and memory against the row count.
//
//	bench-report --scale --in scale.tsv --md scale.md --png bench-scale.png
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

func main() {
	in := flag.String("in", "", "results `TSV` (method, rows, fit_wall_s, peak_rss_mb, knn_acc10, trust15, recall15, kl)")
	md := flag.String("md", "", "markdown table to write")
	png := flag.String("png", "", "chart to write")
	scale := flag.Bool("scale", false, "the input is .ci/bench-scale.sh's (stage seconds and memory by row count)")
	flag.Parse()
	rows, err := readTSV(*in)
	if err == nil && *scale {
		err = scaleReport(rows, *md, *png)
		if err != nil {
			err = fmt.Errorf("%s: %w", *in, err)
		}
		exit(err)
		return
	}
	if err == nil && len(rows) < 2 {
		err = fmt.Errorf("%s: no results", *in)
	}
	if err == nil && *md != "" {
		err = os.WriteFile(*md, []byte(table(rows)), 0o644)
	}
	if err == nil && *png != "" {
		err = chart(rows, *png)
	}
	exit(err)
}

// exit ends the command with err's message and status 1 when err is set.
func exit(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench-report: %v\n", err)
		os.Exit(1)
	}
}

// scaleReport writes the scaling results' table to md and chart to png
// (either may be empty).
func scaleReport(rows [][]string, md, png string) error {
	runs, err := parseScale(rows)
	if err != nil {
		return err
	}
	if md != "" {
		if err := os.WriteFile(md, []byte(scaleTable(runs)), 0o644); err != nil {
			return err
		}
	}
	if png != "" {
		return scaleChart(runs, png)
	}
	return nil
}

// savePNG writes img to path as PNG.
func savePNG(img *vgimg.Canvas, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readTSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		rows = append(rows, rec)
	}
}

func num(s string) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0
	}
	return v
}

// table renders the results with a ratio column: method time / our time.
func table(rows [][]string) string {
	var b strings.Builder
	hdr := rows[0]
	b.WriteString("| " + strings.Join(hdr, " | ") + " | time vs ours |\n")
	b.WriteString(strings.Repeat("|---", len(hdr)+1) + "|\n")
	ours := num(rows[1][2])
	for _, r := range rows[1:] {
		ratio := "-"
		if ours > 0 && num(r[2]) > 0 {
			ratio = fmt.Sprintf("%.2fx", num(r[2])/ours)
		}
		b.WriteString("| " + strings.Join(r, " | ") + " | " + ratio + " |\n")
	}
	return b.String()
}

// chart draws one panel per measure (fit time, peak memory, and each
// quality metric) as bars per method, ours first, side by side in one PNG.
func chart(rows [][]string, path string) error {
	names := make([]string, 0, len(rows)-1)
	for _, r := range rows[1:] {
		names = append(names, r[0])
	}
	panels := []struct {
		col   int
		title string
		zoom  bool // start the axis near the smallest value, to show small differences
	}{
		{2, "fit wall time (s, lower is better)", false},
		{3, "peak memory (MB, lower is better)", false},
		{4, "knn_acc10 (higher is better)", true},
		{5, "trust15 (higher is better)", true},
		{6, "recall15 (higher is better)", true},
	}
	plots := make([][]*plot.Plot, 1)
	for _, pn := range panels {
		vals := make(plotter.Values, 0, len(names))
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, r := range rows[1:] {
			v := num(r[pn.col])
			vals = append(vals, v)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		p := plot.New()
		p.Title.Text = pn.title
		bars, err := plotter.NewBarChart(vals, vg.Points(14))
		if err != nil {
			return err
		}
		bars.Color = color.RGBA{78, 121, 167, 255}
		p.Add(bars)
		p.NominalX(names...)
		p.X.Tick.Label.Rotation = math.Pi / 2
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
		if pn.zoom && hi > lo {
			p.Y.Min = math.Max(0, lo-(hi-lo)*1.5)
			p.Y.Max = hi + (hi-lo)*0.5
			bars.Offset = 0
		}
		plots[0] = append(plots[0], p)
	}
	w, h := vg.Length(170*len(panels)), 11*vg.Centimeter
	img := vgimg.New(w, h)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: len(panels), PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 2, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	canvases := plot.Align(plots, tiles, dc)
	for i, p := range plots[0] {
		p.Draw(canvases[0][i])
	}
	return savePNG(img, path)
}
