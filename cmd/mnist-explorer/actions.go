package main

import (
	"time"

	"github.com/mnist-explorer/mnist-explorer/render"
)

// poll drains the tasks' mailboxes: new positions go to the scene (one
// buffer update per snapshot, never per frame); a finished neighbour graph
// becomes the suspects.
func (a *app) poll(now time.Time) error {
	a.updateOriginal()
	a.layouts.poll(now, func(i int, pos []float32) {
		for _, sc := range a.scenes() {
			sc.receive(i, pos, now)
		}
	}, func(e *layoutEntry, old taskStatus[[]float32]) {
		a.logTask(e.title, old.err, old.done, e.status.err, e.status.done, e.status.fromCache, e.status.elapsed)
	})
	if st := a.layouts.entries[a.scene.current].status; st.final {
		a.startGraph()
	}
	if a.graph != nil {
		st := a.graph.status()
		a.logTask("neighbour graph", a.graphSt.err, a.graphSt.done, st.err, st.done, st.fromCache, st.elapsed)
		a.graphSt = st
		if st.final && a.sus == nil && !a.ds.Unlabelled { // unlabelled data has no suspicious labels
			a.sus = newSuspects(a.ds.Labels, st.snap)
			a.bl.know(a.ds.Labels, st.snap, a.sus.k, a.ds.NumClasses())
			a.bl.describe(a.ds.ClassName)
			a.sel.dirty = true
		}
	}
	a.pollAgreement()
	if a.sus != nil && a.sel.suspOn && a.rev == nil {
		a.openReview()
	}
	if a.cfg.screenshot != "" && a.scr == nil {
		// --screenshot waits for this layout: its failure ends the run.
		if err := a.layouts.entries[a.scene.current].status.err; err != nil {
			return err
		}
	}
	return nil
}

// logTask logs a task's failure or completion once.
func (a *app) logTask(name string, oldErr error, oldDone bool, err error, done, fromCache bool, elapsed time.Duration) {
	if err != nil && oldErr == nil {
		a.logf("%s failed: %v", name, err)
		a.txt.toast("%s failed: %v", name, err)
	}
	if done && !oldDone && err == nil {
		how := "computed"
		if fromCache {
			how = "loaded from cache"
		}
		a.logf("%s %s in %.1fs", name, how, elapsed.Seconds())
	}
}

// startGraph starts the pixel-space neighbour graph once a layout is
// final, so that it does not compete with the first layout for the cores.
func (a *app) startGraph() {
	if a.graph == nil && !a.cfg.timings { // --timings measures the frame loop alone
		a.graph = startTask(a.ctx, graphJob, a.env.graphWork())
	}
}

// update advances the animations, applies a pending selection and uploads
// changed flags.
func (a *app) update(now time.Time) {
	for _, p := range a.panes() {
		p.scene.update(now)
	}
	if s := &a.sel; s.pending >= 0 && a.scene.shown() != nil && a.currentFinal() {
		row := s.pending
		s.pending = -1
		a.flyToRow(row)
	}
	if a.sel.refreshFlags(a.labels(), a.sus, a.chosen, &a.bl) {
		a.g.sprites.SetFlags(a.sel.flags) // shared by the split view's second pane
		if r := a.sel.row; r >= 0 && a.sel.flags[r]&render.FlagHidden != 0 {
			a.selectRow(-1)
		}
	}
}

// picker returns the pick index of the positions on screen, rebuilt when
// they changed.
func (a *app) picker() *render.PickIndex {
	if a.pickSeq != a.scene.shownSeq {
		a.pickSeq = a.scene.shownSeq
		a.pick.Build(a.scene.shown())
	}
	return a.pick
}

// currentFinal reports whether the chosen layout is final (a --select
// waits for it).
func (a *app) currentFinal() bool {
	return a.layouts.entries[a.scene.current].status.final
}

// layoutHUD lays the HUD out for this frame.
func (a *app) layoutHUD() {
	nb, _, _ := a.sel.neighbors()
	c := hudContent{
		classes: len(a.txt.classNames), layouts: len(a.layouts.entries), buttonText: a.buttonText, suspects: a.sus != nil,
		panel: a.panel, thumbs: nb, imgW: a.ds.Width, imgH: a.ds.Height, help: a.help, find: a.find.active,
		review: (a.rev != nil && a.sel.suspOn) || a.bl.viewing() || a.agree.on,
		chosen: len(a.cv.rows), chosenRows: a.cv.rows[min(a.cv.scroll*chosenGridCols, len(a.cv.rows)):],
		legend: a.leg.view(),
	}
	if a.bl.open && a.bl.mix != nil {
		c.blend, c.blendPairs = a.bl.mix.C, len(a.bl.pairs)
	}
	if a.tune.open {
		c.tune = tuneRows
	}
	a.lay = layoutHUD(a.g.metrics(a.cam.Width, a.cam.Height), c, a.lay.elems)
	a.leg.setFit(a.lay.lg.fit)
}

// draw renders the map and the HUD.
func (a *app) draw(now time.Time) {
	render.Clear(a.cam.Width, a.cam.Height, background[0], background[1], background[2])
	nb, dist, ok := a.sel.neighbors()
	a.txt.refresh(a.ds, a.sel.row, nb, dist, ok, a.sus, a.sel.suspOn, a.rev)
	a.drawPanes()
	if a.mq.active {
		a.g.shapes.Begin(a.cam.Width, a.cam.Height)
		a.mq.draw(a.g.shapes, a.cam, 1.5*a.g.scale)
		a.g.shapes.End()
	}
	a.layoutHUD()
	f := hudFrame{cam: a.cam, lay: &a.lay, txt: a.txt, layouts: a.layouts.entries, current: a.scene.current,
		placeholder: a.scene.placeholder, sel: &a.sel, leg: a.leg, orig: &a.orig, labels: a.labels(), cv: &a.cv, blend: &a.bl, tune: &a.tune, findBuf: a.find.buf, drawTime: a.drawTime, now: now}
	if a.graph != nil {
		f.graph = &a.graphSt
	}
	a.g.drawHUD(&f)
	a.drawSplitChrome()
}

// switchTo chooses layout i (see switchLayout).
func (a *app) switchTo(i int) {
	prev := a.scene.current
	var keep []int
	if o := a.split.other.scene; a.split.on {
		keep = append(keep, o.current)
		if o.placeholder >= 0 {
			keep = append(keep, o.placeholder)
		}
	}
	changed, cancelled := switchLayout(a.scene, &a.layouts, i, a.sel.row, time.Now(), keep...)
	if changed {
		a.prevLayout = prev
		a.layoutsChanged()
	}
	for _, c := range cancelled {
		if o := a.split.other.scene; o != nil {
			o.forget(c)
		}
		a.logf("%s cancelled: no longer shown", a.layouts.entries[c].title)
	}
}

// layoutsChanged follows a change of the layouts on screen: the panel's
// text, and the agreement colouring, which compares the new pair.
func (a *app) layoutsChanged() {
	a.txt.invalidate()
	if a.agree.on {
		a.startAgreement()
	}
}

// selectRow selects row (or clears the selection for -1) and starts its
// exact neighbour query.
func (a *app) selectRow(row int) {
	if row != a.sel.row {
		a.sel.choose(a.ctx, row, a.env.data)
		a.txt.invalidate()
	}
}

// flyToRow selects row, shows its class if hidden, and flies the camera to
// it, zooming in until its sprite is comfortably large.
func (a *app) flyToRow(row int) {
	if row < 0 || row >= a.ds.Len() || a.scene.shown() == nil {
		return
	}
	a.selectRow(row)
	if l := a.ds.Labels[row]; a.sel.hidden[l] {
		a.sel.toggleClass(int(l))
	}
	a.scene.focusRow(row, 64*a.g.scale, time.Now())
}

// updateHover picks the sprite under the cursor (framebuffer pixels).
func (a *app) updateHover(sx, sy float64) {
	if a.scene.shown() == nil {
		a.sel.hover = -1
		return
	}
	x, y := a.cam.ScreenToWorld(sx, sy)
	pick := a.picker()
	i := pick.Topmost(x, y, a.scene.spriteSize()/2, a.sel.flags)
	if i < 0 {
		// Tiny sprites: accept the nearest one within a few pixels.
		i, _ = pick.Nearest(x, y, 6*a.g.scale/a.cam.Zoom, a.sel.flags)
	}
	a.sel.hover = i
}

func (a *app) toggleClass(l int) {
	a.sel.toggleClass(l)
	a.txt.invalidate()
}

func (a *app) showAll() {
	a.sel.showAll()
	a.txt.invalidate()
}

// labels returns the labels as they stand: the dataset's, with the
// review's relabels applied.
func (a *app) labels() []uint8 {
	if a.rev != nil {
		return a.rev.labels
	}
	return a.ds.Labels
}

// openReview opens the review queue of the suspects and shows its first
// undecided row.
func (a *app) openReview() {
	r, warn, err := newReviewer(a.ds, a.env.in.Hash(), a.sus, a.cfg.reviewFile)
	if err != nil {
		a.logf("review: %v", err)
		a.txt.toast("review: %v", err)
		a.sel.suspOn = false
		return
	}
	a.rev = r
	switch {
	case warn != "":
		a.logf("review: %s; decisions are kept in memory only", warn)
		a.txt.toast("review not saved: %s", warn)
	case r.saved != "":
		a.logf("review: decisions saved to %s (%s)", r.saved, r.q.Progress())
	}
	a.reviewed(nil)
}

// reviewed shows the result of a review key: the new labels' colours, the
// panel and the next row under review.
func (a *app) reviewed(err error) {
	if err != nil {
		a.logf("review: %v", err)
		a.txt.toast("review: %v", err)
	}
	if a.agree.on { // the agreement's colours stand for bins, not labels
		a.stopAgreement()
	}
	a.g.sprites.SetLabels(a.rev.labels)
	a.txt.invalidate()
	a.setCard()
	if row := a.rev.current(); row >= 0 && a.sel.suspOn {
		a.flyToRow(row)
		a.panel = true
	}
}

// toggleSuspects switches the suspicious view (L).
func (a *app) toggleSuspects() {
	a.sel.suspOn = !a.sel.suspOn
	a.sel.dirty = true
	a.txt.invalidate()
	if a.sus == nil {
		a.startGraph()
		a.txt.toast("suspicious labels: the neighbour graph is still being computed")
	}
}

// nextSuspect flies to the next (dir 1) or previous (dir -1) suspicious
// row that is not hidden, turning the suspicious view on.
func (a *app) nextSuspect(dir int) {
	if a.sus == nil {
		return
	}
	if !a.sel.suspOn {
		a.sel.suspOn, a.sel.dirty = true, true
	}
	row := a.sus.step(a.sel.row, dir, func(r int) bool { return a.sel.hidden[a.ds.Labels[r]] })
	if row >= 0 {
		a.flyToRow(row)
		a.panel = true
	}
}

// toggleBlend opens or closes the blend panel (C).
func (a *app) toggleBlend() {
	if a.bl.mix == nil {
		a.startGraph()
		a.txt.toast("which classes blend: the neighbour graph is still being computed")
		return
	}
	a.bl.open = !a.bl.open
}

// viewPair shows the class pair (x, y) and its boundary digits; x == y
// leaves the pair view.
func (a *app) viewPair(x, y int) {
	if a.sus == nil {
		return
	}
	a.bl.view(a.ds.Labels, a.sus.graph, a.sus.k, x, y, a.ds.ClassName)
	a.bl.open = false
	a.sel.dirty = true
	a.setCard()
}

// setCard sets the lines of the card above the status line: the review's,
// else the pair view's.
func (a *app) setCard() {
	switch {
	case a.rev != nil && a.sel.suspOn:
		a.txt.review[0], a.txt.review[1] = a.rev.card(a.ds.ClassName)
	case a.bl.viewing():
		a.txt.review[0], a.txt.review[1] = a.bl.head, ""
	case a.agree.on:
		a.txt.review = a.agree.line
	}
}
