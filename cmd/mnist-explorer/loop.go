package main

import (
	"time"

	"github.com/go-gl/glfw/v3.3/glfw"
	"github.com/mnist-explorer/mnist-explorer/render"
)

// loop runs until the window closes, or, with --screenshot, --timings or
// --script, until their work is done.
func (a *app) loop() error {
	a.lastFrame = time.Now()
	for !a.win.ShouldClose() && !a.quit {
		a.waitForEvents()
		now := time.Now()
		a.frameTime, a.lastFrame = now.Sub(a.lastFrame), now
		if a.scr != nil {
			if err := a.scr.step(a, a.in, now); err != nil {
				return err
			}
		}
		if err := a.poll(now); err != nil {
			return err
		}
		a.handleInput(now)
		a.in.endFrame()
		a.update(now)
		a.draw(now)
		if a.cfg.screenshot != "" && a.scr == nil {
			if done, err := a.tryScreenshot(); done || err != nil {
				return err
			}
		}
		a.win.SwapBuffers()
		a.drawTime = time.Since(now)
		if !a.keyAt.IsZero() {
			render.Finish()
			a.logf("trace: review key to the next item on screen %.1f ms", time.Since(a.keyAt).Seconds()*1000)
			a.keyAt = time.Time{}
		}
		a.updateTitle()
		if a.cfg.timings {
			render.Finish()
			if a.reportTimings() {
				return nil
			}
		}
	}
	return nil
}

// snapshotGap is the least time between two snapshots of a forming
// layout on screen (layoutSet.snapGap).
const snapshotGap = 250 * time.Millisecond

// waitForEvents polls input without blocking while something moves (an
// animation, a held key or button, a scripted or measured run) and
// otherwise sleeps until input arrives or a short timeout passes, so an
// idle window leaves the cores to the background tasks: a wake-up every
// snapshotGap while a task may publish something (input wakes it at once;
// under a software rasteriser every frame takes CPU time from the layout),
// 2 a second when nothing is running. --screenshot waits like any window, so that a
// layout computed for a screenshot takes the time it takes a user.
func (a *app) waitForEvents() {
	if a.cfg.timings || a.scr != nil || a.animating() || a.in.active() || a.refining() {
		glfw.PollEvents()
		return
	}
	timeout := 0.5
	if a.busy() {
		timeout = snapshotGap.Seconds()
	}
	glfw.WaitEventsTimeout(timeout)
}

// busy reports whether background work may change what is shown.
func (a *app) busy() bool {
	return a.layouts.busy() || (a.graph != nil && !a.graphSt.done) ||
		!a.sel.settled() || a.txt.toastShown(time.Now())
}

// tryScreenshot saves --screenshot once the requested layout is final and
// any --select has been applied.
func (a *app) tryScreenshot() (bool, error) {
	if !a.layoutSettled() || !a.sel.settled() {
		return false, nil
	}
	return true, a.saveScreenshot(a.cfg.screenshot)
}

// layoutSettled reports whether the chosen layout is final and on screen
// with no animation running.
func (a *app) layoutSettled() bool {
	return a.currentFinal() && !a.animating()
}

// animating reports whether a pane's transition or camera flight runs.
func (a *app) animating() bool {
	for _, p := range a.panes() {
		if p.scene.animating() {
			return true
		}
	}
	return false
}

// refining reports whether a pane showed a draft that a still frame
// redraws at full quality.
func (a *app) refining() bool {
	for _, p := range a.panes() {
		if p.sprites.Refining() {
			return true
		}
	}
	return false
}
