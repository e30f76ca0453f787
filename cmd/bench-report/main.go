// Command bench-report turns the tab-separated results of
// .ci/bench-layout.sh into a markdown table, with each reference's time
// as a ratio to ours, and a chart of time and quality per method.
//
//	bench-report --in results.tsv --md table.md --png chart.png
//
// The first row of the input is ours; ratios are reference / ours.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"image/color"
	"io"
	"os"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

func main() {
	in := flag.String("in", "", "results `TSV` (method, rows, fit_wall_s, peak_rss_mb, knn_acc10, trust15, recall15, kl)")
	md := flag.String("md", "", "markdown table to write")
	png := flag.String("png", "", "chart to write")
	flag.Parse()
	rows, err := readTSV(*in)
	if err == nil && len(rows) < 2 {
		err = fmt.Errorf("%s: no results", *in)
	}
	if err == nil && *md != "" {
		err = os.WriteFile(*md, []byte(table(rows)), 0o644)
	}
	if err == nil && *png != "" {
		err = chart(rows, *png)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench-report: %v\n", err)
		os.Exit(1)
	}
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

// chart draws fit time as bars and the three quality metrics as points.
func chart(rows [][]string, path string) error {
	p := plot.New()
	p.Title.Text = "Fit time (bars, left) and quality (points, x100) per method"
	p.Y.Label.Text = "seconds / metric x 100"
	names := make([]string, 0, len(rows)-1)
	times := make(plotter.Values, 0, len(rows)-1)
	for _, r := range rows[1:] {
		names = append(names, r[0])
		times = append(times, num(r[2]))
	}
	bars, err := plotter.NewBarChart(times, vg.Points(28))
	if err != nil {
		return err
	}
	bars.Color = color.RGBA{78, 121, 167, 255}
	p.Add(bars)
	p.Legend.Add("fit wall s", bars)
	marks := []struct {
		col   int
		name  string
		shape draw.GlyphDrawer
		color color.Color
	}{
		{4, "knn_acc10", draw.CircleGlyph{}, color.RGBA{225, 87, 89, 255}},
		{5, "trust15", draw.TriangleGlyph{}, color.RGBA{89, 161, 79, 255}},
		{6, "recall15", draw.SquareGlyph{}, color.RGBA{242, 142, 43, 255}},
	}
	for _, m := range marks {
		pts := make(plotter.XYs, 0, len(rows)-1)
		for i, r := range rows[1:] {
			pts = append(pts, plotter.XY{X: float64(i), Y: 100 * num(r[m.col])})
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		sc.GlyphStyle.Shape, sc.GlyphStyle.Color, sc.GlyphStyle.Radius = m.shape, m.color, vg.Points(4)
		p.Add(sc)
		p.Legend.Add(m.name, sc)
	}
	p.Legend.Top = true
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = 0.35
	p.X.Tick.Label.XAlign = draw.XRight
	return p.Save(vg.Length(160+90*len(names)), 12*vg.Centimeter, path)
}
