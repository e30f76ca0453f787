package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// scaleStages are the stage columns of .ci/bench-scale.sh's TSV, in
// pipeline order, then the total (load is outside the total).
var scaleStages = []string{"load_s", "pca_s", "knn_s", "graph_s", "init_s", "optimize_s", "total_s"}

// scaleRun is one row of the scaling TSV: a method at a row count.
type scaleRun struct {
	method string
	rows   float64
	// secs holds each of scaleStages' seconds; absent (not run, or not
	// finished in a stopped run) stages are missing.
	secs   map[string]float64
	rssMB  float64
	status string
	cells  map[string]string // every column by its header, as written
}

// parseScale reads the scaling TSV's rows (header first). A stopped run
// (status other than "ok") keeps the stages it finished; the one it was in
// (the status names it with "@", as "optimize=812.40@43%") is dropped, and
// so is its total.
func parseScale(rows [][]string) ([]scaleRun, error) {
	if len(rows) < 2 {
		return nil, fmt.Errorf("no results")
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range append([]string{"method", "rows", "peak_rss_mb", "status"}, scaleStages...) {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("no column %q", h)
		}
	}
	var runs []scaleRun
	for li, r := range rows[1:] {
		if len(r) != len(rows[0]) {
			return nil, fmt.Errorf("line %d: %d fields, want %d", li+2, len(r), len(rows[0]))
		}
		n, err := strconv.ParseFloat(r[col["rows"]], 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("line %d: rows %q", li+2, r[col["rows"]])
		}
		run := scaleRun{method: r[col["method"]], rows: n, secs: map[string]float64{}, status: r[col["status"]], cells: map[string]string{}}
		for h, i := range col {
			run.cells[h] = r[i]
		}
		unfinished := ""
		if run.status != "ok" {
			unfinished = "total_s"
			if at := strings.Index(run.status, "@"); at >= 0 {
				head := run.status[:at]
				if eq := strings.LastIndex(head, "="); eq >= 0 {
					head = head[:eq]
				}
				unfinished = head[strings.LastIndexAny(head, " :")+1:] + "_s"
				if unfinished == "affinity_s" {
					unfinished = "graph_s"
				}
			}
		}
		for _, s := range scaleStages {
			if v, err := strconv.ParseFloat(r[col[s]], 64); err == nil && v > 0 && s != unfinished && (s != "total_s" || run.status == "ok") {
				run.secs[s] = v
			}
		}
		if v, err := strconv.ParseFloat(r[col["peak_rss_mb"]], 64); err == nil {
			run.rssMB = v
		}
		runs = append(runs, run)
	}
	return runs, nil
}

// exponent is the fitted power of N between two runs: t ∝ N^k, k =
// log(t2/t1) / log(n2/n1); NaN where either time is missing.
func exponent(n1, t1, n2, t2 float64) float64 {
	if t1 <= 0 || t2 <= 0 || n1 <= 0 || n2 <= 0 || n1 == n2 {
		return math.NaN()
	}
	return math.Log(t2/t1) / math.Log(n2/n1)
}

// methods lists the runs' methods in order of first appearance.
func methods(runs []scaleRun) []string {
	var ms []string
	for _, r := range runs {
		if !slices.Contains(ms, r.method) {
			ms = append(ms, r.method)
		}
	}
	return ms
}

// ofMethod returns m's runs by growing row count.
func ofMethod(runs []scaleRun, m string) []scaleRun {
	var out []scaleRun
	for _, r := range runs {
		if r.method == m {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b scaleRun) int { return int(a.rows - b.rows) })
	return out
}

// rowsLabel writes a row count short: 10k, 280k, 1M.
func rowsLabel(n float64) string {
	switch {
	case n >= 1e6 && math.Mod(n, 1e6) == 0:
		return fmt.Sprintf("%gM", n/1e6)
	case n >= 1e3 && math.Mod(n, 1e3) == 0:
		return fmt.Sprintf("%gk", n/1e3)
	}
	return fmt.Sprintf("%g", n)
}

// scaleTable renders every run (stage seconds, total, peak RSS, load
// average, status), then for each method the fitted exponent of each stage
// and of the peak RSS between consecutive sizes.
func scaleTable(runs []scaleRun) string {
	var b strings.Builder
	b.WriteString("| rows | method | load s | pca s | knn s | graph/affinity s | init s | optimize s | total s | wall s | peak RSS MB | load avg start→end | status |\n")
	b.WriteString("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n")
	cols := []string{"load_s", "pca_s", "knn_s", "graph_s", "init_s", "optimize_s", "total_s", "wall_s", "peak_rss_mb"}
	for _, m := range methods(runs) {
		for _, r := range ofMethod(runs, m) {
			fmt.Fprintf(&b, "| %s | %s |", rowsLabel(r.rows), r.method)
			for _, c := range cols {
				fmt.Fprintf(&b, " %s |", r.cells[c])
			}
			fmt.Fprintf(&b, " %s→%s | %s |\n", r.cells["loadavg_start"], r.cells["loadavg_end"], r.status)
		}
	}
	b.WriteString("\nGrowth: the exponent k in time ∝ N^k between consecutive sizes (1 = linear).\n\n")
	for _, m := range methods(runs) {
		rs := ofMethod(runs, m)
		if len(rs) < 2 {
			continue
		}
		b.WriteString("| " + m + " |")
		for i := 1; i < len(rs); i++ {
			fmt.Fprintf(&b, " %s→%s |", rowsLabel(rs[i-1].rows), rowsLabel(rs[i].rows))
		}
		b.WriteString("\n|---|" + strings.Repeat("---:|", len(rs)-1) + "\n")
		row := func(name string, val func(scaleRun) float64) {
			var cells []string
			any := false
			for i := 1; i < len(rs); i++ {
				k := exponent(rs[i-1].rows, val(rs[i-1]), rs[i].rows, val(rs[i]))
				if math.IsNaN(k) {
					cells = append(cells, "-")
					continue
				}
				any = true
				cells = append(cells, fmt.Sprintf("%.2f", k))
			}
			if any {
				b.WriteString("| " + name + " | " + strings.Join(cells, " | ") + " |\n")
			}
		}
		for _, s := range scaleStages {
			row(stageName(m, s), func(r scaleRun) float64 { return r.secs[s] })
		}
		row("peak RSS", func(r scaleRun) float64 { return r.rssMB })
		b.WriteString("\n")
	}
	return b.String()
}

// scaleChart draws, on log-log axes against the row count, each method's
// seconds per stage (one panel a method) and every method's peak memory
// (the last panel), into a PNG at path.
func scaleChart(runs []scaleRun, path string) error {
	var sizes []float64
	for _, r := range runs {
		if !slices.Contains(sizes, r.rows) {
			sizes = append(sizes, r.rows)
		}
	}
	slices.Sort(sizes)
	xticks := make(plot.ConstantTicks, len(sizes))
	for i, n := range sizes {
		xticks[i] = plot.Tick{Value: n, Label: rowsLabel(n)}
	}
	newPanel := func(title, ylabel string) *plot.Plot {
		p := plot.New()
		p.Title.Text = title
		p.X.Label.Text = "rows (N)"
		p.Y.Label.Text = ylabel
		p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
		p.X.Tick.Marker = xticks
		p.Y.Tick.Marker = logTicks125{}
		p.Legend.Top, p.Legend.Left = true, true
		return p
	}
	// roomForLegend raises a panel's top so that the legend (top left)
	// stays clear of the lines: 8 times the highest value on a log axis.
	roomForLegend := func(p *plot.Plot) {
		p.Y.Max *= 8 // Add has set it to the highest value
	}
	// addLine adds one series; a series with no positive point is left out.
	drawn := map[*plot.Plot]int{}
	addLine := func(p *plot.Plot, name string, i int, rs []scaleRun, val func(scaleRun) float64) error {
		var xys plotter.XYs
		for _, r := range rs {
			if v := val(r); v > 0 {
				xys = append(xys, plotter.XY{X: r.rows, Y: v})
			}
		}
		if len(xys) == 0 {
			return nil
		}
		l, s, err := plotter.NewLinePoints(xys)
		if err != nil {
			return err
		}
		l.Color, s.Color = plotutil.Color(i), plotutil.Color(i)
		l.Dashes = plotutil.Dashes(i)
		s.Shape = plotutil.Shape(i)
		p.Add(l, s)
		p.Legend.Add(name, l, s)
		drawn[p]++
		return nil
	}
	var row []*plot.Plot
	for _, m := range methods(runs) {
		p := newPanel(m+": seconds per stage", "seconds")
		for i, st := range scaleStages {
			if err := addLine(p, stageName(m, st), i, ofMethod(runs, m), func(r scaleRun) float64 { return r.secs[st] }); err != nil {
				return err
			}
		}
		row = append(row, p)
	}
	mem := newPanel("peak memory", "MB (peak RSS)")
	for i, m := range methods(runs) {
		if err := addLine(mem, m, i, ofMethod(runs, m), func(r scaleRun) float64 { return r.rssMB }); err != nil {
			return err
		}
	}
	row = append(row, mem)
	for _, p := range row {
		if drawn[p] == 0 {
			return fmt.Errorf("%s: nothing to draw", p.Title.Text)
		}
		roomForLegend(p)
	}
	img := vgimg.New(vg.Length(280*len(row)), 12*vg.Centimeter)
	tiles := draw.Tiles{Rows: 1, Cols: len(row), PadX: vg.Millimeter * 6, PadY: vg.Millimeter * 2, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 4}
	plots := [][]*plot.Plot{row}
	canvases := plot.Align(plots, tiles, draw.New(img))
	for i, p := range row {
		p.Draw(canvases[0][i])
	}
	return savePNG(img, path)
}

// stageName names a stage column as the method's own output does: t-SNE's
// graph is its affinity stage.
func stageName(method, col string) string {
	name := strings.TrimSuffix(col, "_s")
	if name == "graph" && strings.Contains(strings.ToLower(method), "tsne") {
		return "affinity"
	}
	return name
}

// logTicks125 marks a log axis at 1, 2 and 5 times each power of ten,
// labelled, and the other integers between, unlabelled.
type logTicks125 struct{}

// Ticks returns the ticks between lo and hi (both positive).
func (logTicks125) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for p := math.Pow10(int(math.Floor(math.Log10(lo)))); p <= hi; p *= 10 {
		for i := 1; i < 10; i++ {
			v := p * float64(i)
			if v < lo || v > hi {
				continue
			}
			t := plot.Tick{Value: v}
			if i == 1 || i == 2 || i == 5 {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}
