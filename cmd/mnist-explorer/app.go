package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/go-gl/glfw/v3.3/glfw"

	"github.com/mnist-explorer/mnist-explorer/atlas"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/layoutcache"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/render"
)

// Look of the map.
const (
	transitionSeconds = 0.7
	defaultSpriteSize = 2.2 // sprite side in units of the layout's mean spacing
	fitMargin         = 0.04
)

var background = [3]float32{0.07, 0.075, 0.09}

// view is one layout as the app knows it: its job and what of it is on the GPU.
type view struct {
	method string
	job    *job
	seq    int       // last snapshot sequence seen
	pos    []float32 // latest positions (nil before the first snapshot)
	bounds [4]float64
	status jobStatus
}

// app is the explorer: one window, one GL thread, background layout jobs.
type app struct {
	cfg     *config
	ds      *mnist.Dataset
	win     *glfw.Window
	in      *input
	cam     *render.Camera
	sprites *render.SpriteRenderer
	logf    func(string, ...any)

	ctx    context.Context
	cancel context.CancelFunc
	env    *jobEnv

	views   []*view
	current int // index into views of the layout shown

	follow     bool      // keep fitting the layout while it forms, until the user moves the view
	spriteMul  float64   // user scale of the sprite size
	transStart time.Time // when the running transition began
	inTrans    bool
	fromSize   float64 // sprite size and camera at the start of a transition
	fromCam    render.Camera
	title      string
	titleState titleState
	lastFrame  time.Time
	frameTime  time.Duration
	sawFrame   bool // --timings: the first frame was reported
	timed      int  // --timings: still frames measured so far
	timedStart time.Time
	memStart   runtime.MemStats
}

func newApp(c *config, stderr io.Writer) (*app, error) {
	logger := log.New(stderr, "mnist-explorer: ", 0)
	ds, err := loadData(c)
	if err != nil {
		return nil, err
	}
	win, err := openWindow(c.width, c.height, "MNIST Explorer")
	if err != nil {
		return nil, err
	}
	a := &app{cfg: c, ds: ds, in: newInput(), logf: logger.Printf, follow: true, spriteMul: 1}
	a.win = win
	glfw.SwapInterval(1)
	if c.screenshot != "" {
		glfw.SwapInterval(0)
	}
	if err := render.Init(); err != nil {
		a.close()
		return nil, err
	}
	tPack := time.Now()
	at, err := atlas.Pack(ds.Pixels, ds.Len(), ds.Width, ds.Height, atlas.Options{})
	if err != nil {
		a.close()
		return nil, fmt.Errorf("packing %d images: %w", ds.Len(), err)
	}
	tUp := time.Now()
	a.sprites, err = render.NewSpriteRenderer(at, ds.Labels)
	if os.Getenv("MNIST_EXPLORER_TRACE") != "" {
		a.logf("trace: start->pack %.3fs, pack %.3fs, upload %.3fs", tPack.Sub(processStart).Seconds(), tUp.Sub(tPack).Seconds(), time.Since(tUp).Seconds())
	}
	if err != nil {
		a.close()
		return nil, err
	}
	fw, fh := win.GetFramebufferSize()
	a.cam = render.NewCamera(fw, fh)
	a.in.attach(win)
	a.in.winW, a.in.winH = win.GetSize()
	win.SetFramebufferSizeCallback(func(_ *glfw.Window, w, h int) { a.cam.SetViewport(w, h) })

	a.ctx, a.cancel = context.WithCancel(context.Background())
	a.env = &jobEnv{ds: ds, opts: pipeline.Options{Seed: c.seed}, hash: onceHash(ds), logf: a.logf}
	if !c.noCache {
		if cache, err := layoutcache.Default(); err == nil {
			a.env.cache = cache
		} else {
			a.logf("no layout cache: %v", err)
		}
	}
	for _, m := range pipeline.Methods {
		a.views = append(a.views, &view{method: m})
	}
	// PCA first (it is quick and gives something to look at), then the
	// requested layout. Other layouts start when the user asks for them.
	a.current = a.viewIndex(c.layout)
	a.startView(a.viewIndex("pca"))
	a.startView(a.current)
	return a, nil
}

func loadData(c *config) (*mnist.Dataset, error) {
	var ds *mnist.Dataset
	var err error
	if c.dataDir != "" {
		ds, err = mnist.Load(c.dataDir)
	} else {
		ds, err = mnist.LoadDefault()
	}
	if err != nil {
		return nil, err
	}
	return ds.Head(c.n), nil
}

func (a *app) viewIndex(method string) int {
	for i, v := range a.views {
		if v.method == method {
			return i
		}
	}
	return 0
}

func (a *app) startView(i int) {
	if v := a.views[i]; v.job == nil {
		v.job = startJob(a.ctx, a.env, v.method)
	}
}

func (a *app) close() {
	if a.cancel != nil {
		a.cancel()
	}
	if a.sprites != nil {
		a.sprites.Delete()
	}
	if a.win != nil {
		a.win.Destroy()
	}
	glfw.Terminate()
}

// loop runs until the window closes, or, with --screenshot, until the
// requested layout is finished and saved.
func (a *app) loop() error {
	a.lastFrame = time.Now()
	for !a.win.ShouldClose() {
		glfw.PollEvents()
		now := time.Now()
		a.frameTime, a.lastFrame = now.Sub(a.lastFrame), now
		if err := a.poll(); err != nil {
			return err
		}
		a.handleInput()
		a.in.endFrame()
		a.draw(now)
		if a.cfg.screenshot != "" {
			if done, err := a.trySnapshot(); done || err != nil {
				return err
			}
		}
		a.win.SwapBuffers()
		a.updateTitle()
		if a.cfg.timings {
			render.Finish()
		}
		if a.cfg.timings && a.reportTimings() {
			return nil
		}
	}
	return nil
}

// poll drains the jobs' mailboxes and uploads new positions.
func (a *app) poll() error {
	for i, v := range a.views {
		if v.job == nil {
			continue
		}
		st := v.job.status()
		if st.err != nil && v.status.err == nil {
			a.logf("%s failed: %v", pipeline.Title(v.method), st.err)
		}
		if st.done && !v.status.done && st.err == nil {
			how := "computed"
			if st.fromDisk {
				how = "loaded from cache"
			}
			a.logf("%s %s in %.1fs", pipeline.Title(v.method), how, st.elapsed.Seconds())
		}
		v.status = st
		if st.seq == v.seq || st.snap == nil {
			continue
		}
		v.seq, v.pos = st.seq, st.snap
		v.bounds = bounds(v.pos)
		if i == a.current {
			a.showCurrent()
		}
	}
	if a.cfg.screenshot != "" {
		if err := a.views[a.current].status.err; err != nil {
			return err
		}
	}
	return nil
}

// showCurrent uploads the current view's positions: the first ones
// appear directly; later ones replace the target of a running transition.
func (a *app) showCurrent() {
	v := a.views[a.current]
	if v.pos == nil {
		return
	}
	if a.inTrans {
		a.sprites.SetPositionsTo(v.pos)
	} else {
		a.sprites.SetPositions(v.pos)
	}
	if a.follow && !a.inTrans {
		a.fit()
	}
}

// switchTo starts an animated transition to view i.
func (a *app) switchTo(i int) {
	if i == a.current {
		return
	}
	a.startView(i)
	from, to := a.views[a.current], a.views[i]
	a.current = i
	if to.pos == nil {
		return // it appears when its first snapshot arrives
	}
	if from.pos == nil {
		a.showCurrent()
		return
	}
	a.fromSize = a.spriteSize(from)
	a.fromCam = *a.cam
	a.sprites.SetPositionsFrom(a.blendedFrom(from))
	a.sprites.SetPositionsTo(to.pos)
	a.sprites.SetMix(0)
	a.inTrans, a.transStart = true, time.Now()
}

// blendedFrom returns the positions the sprites are drawn at now, which is
// from's positions unless a transition is under way (then the GPU is mid
// blend; restarting from the old target is a fine approximation).
func (a *app) blendedFrom(from *view) []float32 { return from.pos }

func (a *app) fit() {
	v := a.views[a.current]
	if v.pos == nil {
		return
	}
	b := v.bounds
	a.cam.Fit(b[0], b[1], b[2], b[3], fitMargin)
	if a.cfg.zoom != 1 || a.cfg.focus >= 0 {
		a.applyInitialView(v)
	}
}

// applyInitialView applies --zoom and --focus on top of the fitted view.
func (a *app) applyInitialView(v *view) {
	if f := a.cfg.focus; f >= 0 && 2*f+1 < len(v.pos) {
		a.cam.CenterX, a.cam.CenterY = float64(v.pos[2*f]), float64(v.pos[2*f+1])
	}
	a.cam.Zoom *= a.cfg.zoom
}

// spriteSize returns the side of a sprite in v's world units: a multiple
// of the mean spacing of points over the layout's bounding box.
func (a *app) spriteSize(v *view) float64 {
	if v.pos == nil {
		return 1
	}
	b := v.bounds
	area := math.Max((b[2]-b[0])*(b[3]-b[1]), 1e-12)
	return defaultSpriteSize * a.spriteMul * math.Sqrt(area/float64(len(v.pos)/2))
}

func bounds(pos []float32) [4]float64 {
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for i := 0; i+1 < len(pos); i += 2 {
		x, y := float64(pos[i]), float64(pos[i+1])
		b[0], b[1] = math.Min(b[0], x), math.Min(b[1], y)
		b[2], b[3] = math.Max(b[2], x), math.Max(b[3], y)
	}
	if b[0] > b[2] {
		return [4]float64{-1, -1, 1, 1}
	}
	return b
}

// handleInput applies this frame's input to the camera and the app.
func (a *app) handleInput() {
	in := a.in
	scale := 1.0
	if in.winW > 0 {
		scale = float64(a.cam.Width) / float64(in.winW) // window -> framebuffer pixels (HiDPI)
	}
	dt := math.Min(a.frameTime.Seconds(), 0.1)
	moved := false
	if dx, dy := in.dragDelta(); dx != 0 || dy != 0 {
		a.cam.PanPixels(dx*scale, dy*scale)
		moved = true
	}
	if in.scroll != 0 {
		a.cam.ZoomAbout(in.cursorX*scale, in.cursorY*scale, math.Pow(1.15, in.scroll))
		moved = true
	}
	pan := 700 * dt
	keyPan := func(dx, dy float64, keys ...glfw.Key) {
		for _, k := range keys {
			if in.held[k] {
				a.cam.PanPixels(dx, dy)
				moved = true
				return
			}
		}
	}
	keyPan(pan, 0, glfw.KeyLeft, glfw.KeyA)
	keyPan(-pan, 0, glfw.KeyRight, glfw.KeyD)
	keyPan(0, pan, glfw.KeyUp, glfw.KeyW)
	keyPan(0, -pan, glfw.KeyDown, glfw.KeyS)
	cx, cy := float64(a.cam.Width)/2, float64(a.cam.Height)/2
	if in.held[glfw.KeyEqual] || in.held[glfw.KeyKPAdd] {
		a.cam.ZoomAbout(cx, cy, math.Pow(3, dt))
		moved = true
	}
	if in.held[glfw.KeyMinus] || in.held[glfw.KeyKPSubtract] {
		a.cam.ZoomAbout(cx, cy, math.Pow(3, -dt))
		moved = true
	}
	if moved {
		a.follow = false
	}
	for _, p := range in.pressed {
		switch p.key {
		case glfw.KeyQ, glfw.KeyEscape:
			a.win.SetShouldClose(true)
		case glfw.KeyR, glfw.KeyHome:
			a.follow = true
			a.fit()
		case glfw.KeyLeftBracket:
			a.spriteMul = math.Max(a.spriteMul/1.25, 0.1)
		case glfw.KeyRightBracket:
			a.spriteMul = math.Min(a.spriteMul*1.25, 20)
		case glfw.Key1, glfw.Key2, glfw.Key3:
			if i := int(p.key - glfw.Key1); i < len(a.views) {
				a.switchTo(i)
			}
		}
	}
}

// draw renders one frame.
func (a *app) draw(now time.Time) {
	render.Clear(a.cam.Width, a.cam.Height, background[0], background[1], background[2])
	v := a.views[a.current]
	if v.pos == nil {
		return
	}
	size := a.spriteSize(v)
	if a.inTrans {
		t := now.Sub(a.transStart).Seconds() / transitionSeconds
		if t >= 1 {
			a.inTrans = false
			a.sprites.SetMix(1)
			if a.follow {
				a.fit()
			}
		} else {
			e := easeInOut(t)
			a.sprites.SetMix(float32(e))
			size = a.fromSize + (size-a.fromSize)*e
			if a.follow {
				target := *a.cam
				b := v.bounds
				target.Fit(b[0], b[1], b[2], b[3], fitMargin)
				a.cam.CenterX = lerp(a.fromCam.CenterX, target.CenterX, e)
				a.cam.CenterY = lerp(a.fromCam.CenterY, target.CenterY, e)
				a.cam.Zoom = math.Exp(lerp(math.Log(a.fromCam.Zoom), math.Log(target.Zoom), e))
			}
		}
	}
	a.sprites.Draw(a.cam, float32(size))
}

// reportTimings prints the time from process start to the first frame and
// to the first frame showing digits, then measures timedFrames more frames
// of the still view: mean frame time (draw + swap, with glFinish) and heap
// allocations per frame. It returns true when done.
func (a *app) reportTimings() bool {
	const timedFrames = 60
	if !a.sawFrame {
		a.sawFrame = true
		fmt.Printf("first_frame_s  %.3f\n", time.Since(processStart).Seconds())
	}
	if a.views[a.current].pos == nil {
		return false
	}
	if a.timed == 0 {
		fmt.Printf("first_digits_s %.3f\n", time.Since(processStart).Seconds())
		if os.Getenv("MNIST_EXPLORER_MEMPROFILE") != "" {
			runtime.MemProfileRate = 1
		}
		runtime.ReadMemStats(&a.memStart)
		a.timedStart = time.Now()
	}
	a.timed++
	if a.timed <= timedFrames {
		return false
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if p := os.Getenv("MNIST_EXPLORER_MEMPROFILE"); p != "" {
		runtime.GC()
		if f, err := os.Create(p); err == nil {
			pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	per := time.Since(a.timedStart) / timedFrames
	fmt.Printf("frame_ms       %.2f (%d sprites, mean of %d still frames)\n", per.Seconds()*1000, a.ds.Len(), timedFrames)
	fmt.Printf("allocs_per_frame %.2f\n", float64(m.Mallocs-a.memStart.Mallocs)/timedFrames)
	return true
}

func easeInOut(t float64) float64 { return t * t * (3 - 2*t) }

func lerp(a, b, t float64) float64 { return a + (b-a)*t }

// trySnapshot saves the screenshot once the requested layout is final.
func (a *app) trySnapshot() (bool, error) {
	v := a.views[a.current]
	if !v.status.final || a.inTrans {
		return false, nil
	}
	img := render.ReadPixels(a.cam.Width, a.cam.Height)
	if err := render.SavePNG(a.cfg.screenshot, img); err != nil {
		return true, err
	}
	return true, nil
}

// titleState is what the window title shows; the title is rebuilt only
// when it changes, so a still frame allocates nothing.
type titleState struct {
	current    int
	stage      string
	percent    int
	done, fail bool
}

// updateTitle sets the window title when its text changes.
func (a *app) updateTitle() {
	v := a.views[a.current]
	st := v.status
	ts := titleState{current: a.current, stage: st.progress.Stage, percent: -1, done: st.done, fail: st.err != nil}
	if st.progress.Total > 0 {
		ts.percent = 100 * st.progress.Done / st.progress.Total
	}
	if ts == a.titleState && a.title != "" {
		return
	}
	a.titleState = ts
	state := ""
	switch {
	case ts.fail:
		state = " (failed)"
	case v.job != nil && !ts.done:
		state = " (computing"
		if ts.stage != "" {
			state += " " + ts.stage
			if ts.percent >= 0 {
				state += fmt.Sprintf(" %d%%", ts.percent)
			}
		}
		state += ")"
	}
	a.title = fmt.Sprintf("MNIST Explorer — %s — %d images — %s%s", dataName(a.ds), a.ds.Len(), pipeline.Title(v.method), state)
	a.win.SetTitle(a.title)
}

func dataName(ds *mnist.Dataset) string {
	if ds.Dir == "" {
		return "MNIST"
	}
	parts := strings.Split(strings.TrimRight(ds.Dir, "/"), "/")
	name := parts[len(parts)-1]
	if name == "data" && len(parts) > 1 && strings.Contains(parts[len(parts)-2], "!go!m!n!i!s!t") {
		return "MNIST"
	}
	return name
}
