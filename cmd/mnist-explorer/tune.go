package main

import (
	"fmt"
	"strconv"

	"github.com/go-gl/glfw/v3.3/glfw"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
)

// tuneSetting is one setting the tuning panel offers: its choices and
// which is the method's default.
type tuneSetting struct {
	name    string
	choices []float64
	deflt   int
}

// tuneMethod is a method the panel tunes (Tab cycles them): the layout it
// makes variants of and the settings it offers, at most tuneRows.
type tuneMethod struct {
	layout, title, help string
	settings            []tuneSetting
}

// tuneRows is the most settings a method offers.
const tuneRows = 4

// tuneMethods are the panel's methods, in Tab order.
var tuneMethods = []tuneMethod{
	{"umap", "UMAP", "a new layout, warm-started, on the same neighbours", []tuneSetting{
		{"n_neighbors", []float64{5, 10, 15, 30, 50, 100}, 2},
		{"min_dist", []float64{0.01, 0.05, 0.1, 0.25, 0.5, 0.8, 0.99}, 2},
		{"spread", []float64{0.5, 1, 1.5, 2, 3}, 1},
		{"epochs", []float64{100, 200, 500, 1000}, 1},
	}},
	{"tsne", "t-SNE", "a new layout, warm-started, on the same neighbours", []tuneSetting{
		{"perplexity", []float64{5, 10, 30, 50, 100}, 2},
		{"exaggeration", []float64{1, 4, 12, 24, 48}, 2},
		{"iterations", []float64{250, 500, 1000, 2000}, 2},
	}},
	{"pca", "PCA", "which principal components the axes show", []tuneSetting{
		{"x: component", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0},
		{"y: component", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 1},
	}},
}

// tuner is the tuning panel (T): the method tuned, the choice made in each
// of its rows and the row the arrows move.
type tuner struct {
	open   bool
	method int // index into tuneMethods
	row    int
	pick   [][tuneRows]int // per method, an index into each row's choices
	title  string
	lines  []string // the rows' text
}

func newTuner() tuner {
	t := tuner{pick: make([][tuneRows]int, len(tuneMethods))}
	for m, tm := range tuneMethods {
		for i, s := range tm.settings {
			t.pick[m][i] = s.deflt
		}
	}
	t.describe()
	return t
}

// value returns the choice of row i of method m, and whether it is the
// default.
func (t *tuner) value(m, i int) (float64, bool) {
	s := tuneMethods[m].settings[i]
	return s.choices[t.pick[m][i]], t.pick[m][i] == s.deflt
}

// changed returns the choice of row i of method m, or 0 for its default.
func (t *tuner) changed(m, i int) float64 {
	if x, deflt := t.value(m, i); !deflt {
		return x
	}
	return 0
}

// variant returns the variant the panel's method and choices make.
func (t *tuner) variant() variant {
	m := t.method
	switch tuneMethods[m].layout {
	case "tsne":
		return variant{method: "tsne", tsne: pipeline.TSNETuning{Perplexity: t.changed(m, 0), Exaggeration: t.changed(m, 1), Iterations: int(t.changed(m, 2))}}
	case "pca":
		x, _ := t.value(m, 0)
		y, _ := t.value(m, 1)
		return variant{method: "pca", pca: [2]int{int(x), int(y)}}
	}
	return umapVariant(pipeline.UMAPTuning{NNeighbors: int(t.changed(m, 0)), MinDist: t.changed(m, 1), Spread: t.changed(m, 2), NEpochs: int(t.changed(m, 3))})
}

// key moves through the panel; it reports whether to apply the settings.
func (t *tuner) key(k glfw.Key) (apply bool) {
	n := len(tuneMethods[t.method].settings)
	p := &t.pick[t.method]
	switch k {
	case glfw.KeyTab:
		t.method = (t.method + 1) % len(tuneMethods)
		t.row = 0
	case glfw.KeyUp:
		t.row = (t.row + n - 1) % n
	case glfw.KeyDown:
		t.row = (t.row + 1) % n
	case glfw.KeyLeft, glfw.KeyMinus:
		p[t.row] = max(p[t.row]-1, 0)
	case glfw.KeyRight, glfw.KeyEqual:
		p[t.row] = min(p[t.row]+1, len(tuneMethods[t.method].settings[t.row].choices)-1)
	case glfw.KeyEnter, glfw.KeyKPEnter:
		return true
	}
	t.describe()
	return false
}

// describe rebuilds the title and the rows' text.
func (t *tuner) describe() {
	m := tuneMethods[t.method]
	t.title = "Tune " + m.title + ": " + m.help
	t.lines = t.lines[:0]
	for i, s := range m.settings {
		x, deflt := t.value(t.method, i)
		mark := ""
		if deflt {
			mark = " (default)"
		}
		t.lines = append(t.lines, fmt.Sprintf("%-14s < %s >%s", s.name, strconv.FormatFloat(x, 'g', 4, 64), mark))
	}
}

// addVariant switches to the variant v of a method, adding it to the
// layouts when it is new. A UMAP or t-SNE variant starts from the method's
// default layout when it is known (a warm start) and reuses the neighbour
// graph kept from an earlier variant; a PCA one picks components.
func (a *app) addVariant(v variant) {
	name, title := v.name()
	if name == v.method { // the defaults: the method's own layout
		a.switchTo(a.layouts.index(name))
		return
	}
	i := a.layouts.index(name)
	if i < 0 {
		// Warm start from the method's default layout when it is there.
		if u := a.layouts.index(v.method); v.method != "pca" && u >= 0 && a.layouts.entries[u].status.final {
			v.init = a.scene.layouts[u].pos
		}
		e := &layoutEntry{name: name, title: title, variant: &v}
		a.label(len(a.layouts.entries), e)
		a.layouts.entries = append(a.layouts.entries, e)
		for _, sc := range a.scenes() {
			sc.layouts = append(sc.layouts, placed{})
		}
		i = len(a.layouts.entries) - 1
		a.logf("%s: new layout", title)
	}
	a.switchTo(i)
}

// label sets e's button text (its key, layout i, and its title, shortened
// to fit the widest button) and its width.
func (a *app) label(i int, e *layoutEntry) {
	s := a.g.scale
	e.label = fitText(strconv.Itoa(i+1)+"  "+e.title, (buttonMax-buttonGap-12)*s, a.g.text.Measure)
	a.buttonText = append(a.buttonText[:i], a.g.text.Measure(e.label))
}
