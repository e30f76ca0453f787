package main

import (
	"context"
	"fmt"
	"image/color"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/compare"
	"github.com/mnist-explorer/mnist-explorer/render"
)

// agreeK is the neighbourhood size of the agreement colouring.
const agreeK = compare.DefaultK

// agreeMost is how many of the least agreeing digits Shift+V chooses.
const agreeMost = 500

// agreeRamp colours agreement in tenths: red (none of the 15 neighbours
// kept) through yellow to green (all kept).
var agreeRamp = func() (r [10]color.RGBA) {
	for i := range r {
		t := float64(i) / 9
		r[i] = color.RGBA{uint8(230 - 150*t), uint8(60 + 160*t), 70, 255}
	}
	return r
}()

// agreement colours the map by how many of each digit's 15 nearest
// neighbours in the layout on screen are also its neighbours in another
// layout (V): neighbourhood agreement, not displacement, which means
// nothing between two unrelated coordinate systems.
type agreement struct {
	on     bool
	a, b   int // the layouts compared: the one shown and the one before
	task   *task[agreeResult]
	values []float32 // per row, once known
	bins   []uint8   // values in tenths, the labels the sprites draw
	line   [2]string
}

// agreeResult is an agreement task's result.
type agreeResult struct {
	values []float32
	mean   float64
}

// toggleAgreement switches the agreement colouring (V) between the layout
// shown and the one shown before it.
func (a *app) toggleAgreement() {
	if a.agree.on {
		a.stopAgreement()
	} else {
		a.startAgreement()
	}
}

// stopAgreement restores the class colours.
func (a *app) stopAgreement() {
	a.agree.on = false
	a.g.sprites.SetPalette(render.ClassColours(render.PaletteSize))
	a.g.sprites.SetLabels(a.labels())
}

// startAgreement (re)computes the agreement of the layout shown with the
// one shown before it, or in the split view with the other pane's; when
// there is no such pair it says so and stops.
func (a *app) startAgreement() {
	ag := &a.agree
	cur, prev := a.scene.current, a.prevLayout
	if a.split.on {
		prev = a.split.other.scene.current
	}
	if prev < 0 || prev == cur || !a.scene.has(prev) || !a.scene.has(cur) || !a.layouts.entries[prev].status.final {
		if ag.on {
			a.stopAgreement()
		}
		a.txt.toast("agreement compares two finished layouts: show one, then switch to another, then press V")
		return
	}
	pa, pb := a.scene.layouts[cur].pos, a.scene.layouts[prev].pos
	ag.on, ag.a, ag.b, ag.values, ag.line = true, cur, prev, nil, [2]string{"Agreement: computing…", ""}
	if ag.task != nil {
		ag.task.Cancel()
	}
	ag.task = startTask(a.ctx, "agreement", func(ctx context.Context, _ *task[agreeResult]) (agreeResult, bool, error) {
		v, mean, err := compare.Agreement(pa, pb, agreeK, 0)
		return agreeResult{v, mean}, false, err
	})
	a.setCard()
}

// pollAgreement shows the agreement once its task is done.
func (a *app) pollAgreement() {
	ag := &a.agree
	if !ag.on || ag.task == nil || ag.values != nil {
		return
	}
	st := ag.task.status()
	switch {
	case !st.done:
		return
	case st.err != nil:
		a.txt.toast("agreement: %v", st.err)
		ag.on = false
		return
	}
	ag.values = st.snap.values
	ag.bins = resize(ag.bins, len(ag.values))
	for i, v := range ag.values {
		ag.bins[i] = uint8(min(9, int(v*10)))
	}
	a.g.sprites.SetPalette(agreeRamp[:])
	a.g.sprites.SetLabels(ag.bins)
	ea, eb := a.layouts.entries[ag.a], a.layouts.entries[ag.b]
	ag.line[0] = fmt.Sprintf("Agreement of each digit's %d nearest neighbours, %s vs %s: mean %.3f", agreeK, ea.title, eb.title, st.snap.mean)
	ag.line[1] = fmt.Sprintf("red: none kept · green: all kept · Shift+V chooses the %d most different · V ends", agreeMost)
	a.setCard()
}

// chooseMostDifferent chooses the digits whose neighbourhoods differ most
// between the two layouts (Shift+V); the selection panel shows them.
func (a *app) chooseMostDifferent() {
	if a.agree.values == nil {
		a.txt.toast("V first: the agreement colouring picks the digits")
		return
	}
	a.chosen.Clear()
	for _, r := range compare.MostDifferent(a.agree.values, agreeMost) {
		a.chosen.SetRow(int(r), true)
	}
	a.chosenChanged()
}

// resize returns s with length n, reusing its storage when it can.
func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
