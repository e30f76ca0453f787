package main

import (
	"fmt"
	"strconv"

	"github.com/go-gl/glfw/v3.3/glfw"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
)

// tuneSetting is one UMAP setting the tuning panel offers: its choices
// and which is UMAP's default.
type tuneSetting struct {
	name    string
	choices []float64
	deflt   int
}

// tuneSettings are the panel's rows, in order: n_neighbors, min_dist,
// spread, epochs.
var tuneSettings = []tuneSetting{
	{"n_neighbors", []float64{5, 10, 15, 30, 50, 100}, 2},
	{"min_dist", []float64{0.01, 0.05, 0.1, 0.25, 0.5, 0.8, 0.99}, 2},
	{"spread", []float64{0.5, 1, 1.5, 2, 3}, 1},
	{"epochs", []float64{100, 200, 500, 1000}, 1},
}

// tuner is the UMAP tuning panel (T): the choice made in each row and the
// row the arrows move.
type tuner struct {
	open  bool
	row   int
	pick  [4]int // index into each row's choices
	lines [4]string
}

func newTuner() tuner {
	t := tuner{}
	for i, s := range tuneSettings {
		t.pick[i] = s.deflt
	}
	t.describe()
	return t
}

// tuning returns the settings picked, zero where they are the defaults.
func (t *tuner) tuning() pipeline.UMAPTuning {
	v := func(i int) float64 {
		if t.pick[i] == tuneSettings[i].deflt {
			return 0
		}
		return tuneSettings[i].choices[t.pick[i]]
	}
	return pipeline.UMAPTuning{NNeighbors: int(v(0)), MinDist: v(1), Spread: v(2), NEpochs: int(v(3))}
}

// key moves through the panel; it reports whether to apply the settings.
func (t *tuner) key(k glfw.Key) (apply bool) {
	switch k {
	case glfw.KeyUp:
		t.row = (t.row + len(tuneSettings) - 1) % len(tuneSettings)
	case glfw.KeyDown:
		t.row = (t.row + 1) % len(tuneSettings)
	case glfw.KeyLeft, glfw.KeyMinus:
		t.pick[t.row] = max(t.pick[t.row]-1, 0)
	case glfw.KeyRight, glfw.KeyEqual:
		t.pick[t.row] = min(t.pick[t.row]+1, len(tuneSettings[t.row].choices)-1)
	case glfw.KeyEnter, glfw.KeyKPEnter:
		return true
	}
	t.describe()
	return false
}

// describe rebuilds the rows' text.
func (t *tuner) describe() {
	for i, s := range tuneSettings {
		v := strconv.FormatFloat(s.choices[t.pick[i]], 'g', 4, 64)
		mark := ""
		if t.pick[i] == s.deflt {
			mark = " (default)"
		}
		t.lines[i] = fmt.Sprintf("%-12s < %s >%s", s.name, v, mark)
	}
}

// addVariant switches to the UMAP variant with tuning t, adding it to the
// layouts when it is new: it starts from the default UMAP's positions
// when they are known (a warm start) and reuses its neighbour graph.
func (a *app) addVariant(t pipeline.UMAPTuning) {
	name, title := variantName(t)
	i := a.layouts.index(name)
	if i < 0 {
		var init []float32
		if u := a.layouts.index("umap"); u >= 0 && a.layouts.entries[u].status.final {
			init = a.scene.layouts[u].pos
		}
		e := &layoutEntry{name: name, title: title, variant: &variant{t, init}}
		a.label(len(a.layouts.entries), e)
		a.layouts.entries = append(a.layouts.entries, e)
		a.scene.layouts = append(a.scene.layouts, placed{})
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
