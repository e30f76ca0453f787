package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/go-gl/glfw/v3.3/glfw"

	"github.com/mnist-explorer/mnist-explorer/atlas"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/layoutcache"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
	"github.com/mnist-explorer/mnist-explorer/render"
)

// app is the explorer: one window, one GL thread running one loop (input,
// update, draw, swap, poll), and background jobs that compute layouts and
// neighbours and hand their results over through mailboxes.
type app struct {
	cfg  *config
	ds   *mnist.Dataset
	win  *glfw.Window
	in   *input
	cam  *render.Camera
	logf func(string, ...any)

	sprites *render.SpriteRenderer
	images  *render.ImageRenderer
	shapes  *render.ShapeRenderer
	text    *render.TextRenderer
	small   *render.TextRenderer
	atlas   *atlas.Atlas
	uiScale float64 // framebuffer pixels per screen coordinate (HiDPI)

	ctx    context.Context
	cancel context.CancelFunc
	env    *jobEnv

	views       []*view
	current     int // index into views of the chosen layout
	placeholder int // index of the layout on screen while the chosen one has no positions yet; -1 for none
	trans       transition
	fly         flight
	follow      bool    // keep fitting the layout while it forms, until the user moves the view
	spriteMu    float64 // user scale of the sprite size

	sel       selection
	neighbors *job // pixel-space neighbour graph for suspicious labels

	hud  hud
	find findPrompt
	scr  *script

	frameTime time.Duration // between the starts of the last two frames
	drawTime  time.Duration // input, update and draw of the last frame (what the status line shows)
	lastFrame time.Time
	timing    frameTiming
	quit      bool
	hold      float64 // scripted: freeze animations at this fraction; -1 runs them
}

func newApp(c *config, stderr io.Writer) (*app, error) {
	logger := log.New(stderr, "mnist-explorer: ", 0)
	ds, err := loadData(c)
	if err != nil {
		return nil, err
	}
	var scr *script
	if c.script != "" {
		if scr, err = parseScript(c.script); err != nil {
			return nil, err
		}
	}
	if c.selectRow >= ds.Len() {
		return nil, fmt.Errorf("--select %d: the dataset has %d rows", c.selectRow, ds.Len())
	}
	win, err := openWindow(c.width, c.height, windowTitle(ds, "…"))
	if err != nil {
		return nil, err
	}
	a := &app{cfg: c, ds: ds, win: win, in: newInput(), logf: logger.Printf, follow: true, spriteMu: 1, scr: scr, placeholder: -1, hold: -1}
	a.sel = newSelection(ds.Len())
	glfw.SwapInterval(1)
	if c.screenshot != "" || c.timings || scr != nil {
		glfw.SwapInterval(0)
	}
	if err := a.initGL(); err != nil {
		a.close()
		return nil, err
	}
	a.in.attach(win)
	a.in.winW, a.in.winH = win.GetSize()
	win.SetFramebufferSizeCallback(func(_ *glfw.Window, w, h int) { a.cam.SetViewport(w, h) })

	a.ctx, a.cancel = context.WithCancel(context.Background())
	a.env = &jobEnv{
		ds:    ds,
		data:  sync.OnceValue(func() *projection.Matrix { return projection.Materialize(ds) }),
		opts:  pipeline.Options{Seed: c.seed},
		hash:  onceHash(ds),
		logf:  a.logf,
		files: map[string]string{},
	}
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
	for _, f := range c.layoutFiles {
		a.views = append(a.views, &view{method: f.name})
		a.env.files[f.name] = f.path
	}
	// PCA first (it is quick and gives something to look at), then the
	// requested layout. Other layouts start when the user asks for them.
	a.current = a.viewIndex(c.layout)
	a.startView(a.viewIndex("pca"))
	a.startView(a.current)
	if c.selectRow >= 0 {
		a.sel.pending = c.selectRow
		a.hud.panel = true
	}
	a.hud.init(a)
	return a, nil
}

// initGL creates the renderers and uploads the atlas.
func (a *app) initGL() error {
	if err := render.Init(); err != nil {
		return err
	}
	tPack := time.Now()
	at, err := atlas.Pack(a.ds.Pixels, a.ds.Len(), a.ds.Width, a.ds.Height, atlas.Options{})
	if err != nil {
		return fmt.Errorf("packing %d images: %w", a.ds.Len(), err)
	}
	a.atlas = at
	tUp := time.Now()
	if a.sprites, err = render.NewSpriteRenderer(at, a.ds.Labels); err != nil {
		return err
	}
	if os.Getenv("MNIST_EXPLORER_TRACE") != "" {
		a.logf("trace: start->pack %.3fs, pack %.3fs, upload %.3fs", tPack.Sub(processStart).Seconds(), tUp.Sub(tPack).Seconds(), time.Since(tUp).Seconds())
	}
	if a.images, err = render.NewImageRenderer(a.sprites, at); err != nil {
		return err
	}
	if a.shapes, err = render.NewShapeRenderer(); err != nil {
		return err
	}
	fw, fh := a.win.GetFramebufferSize()
	ww, _ := a.win.GetSize()
	a.uiScale = 1
	if ww > 0 && fw > 0 {
		a.uiScale = float64(fw) / float64(ww)
	}
	if a.text, err = render.NewTextRenderer(15 * a.uiScale); err != nil {
		return err
	}
	if a.small, err = render.NewTextRenderer(12 * a.uiScale); err != nil {
		return err
	}
	a.cam = render.NewCamera(fw, fh)
	return nil
}

func loadData(c *config) (*mnist.Dataset, error) {
	var ds *mnist.Dataset
	var err error
	opts := mnist.Options{MaxBytes: c.maxDataMB << 20}
	if c.dataDir != "" {
		ds, err = mnist.LoadWith(c.dataDir, opts)
	} else {
		ds, err = mnist.LoadDefaultWith(opts)
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
	for _, d := range []interface{ Delete() }{a.text, a.small, a.shapes, a.images, a.sprites} {
		if d != nil && !isNilRenderer(d) {
			d.Delete()
		}
	}
	if a.win != nil {
		a.win.Destroy()
	}
	glfw.Terminate()
}

// isNilRenderer reports whether d holds a nil pointer of a renderer type.
func isNilRenderer(d interface{ Delete() }) bool {
	switch r := d.(type) {
	case *render.TextRenderer:
		return r == nil
	case *render.ShapeRenderer:
		return r == nil
	case *render.ImageRenderer:
		return r == nil
	case *render.SpriteRenderer:
		return r == nil
	}
	return false
}

// loop runs until the window closes, or, with --screenshot, --timings or
// --script, until their work is done.
func (a *app) loop() error {
	a.lastFrame = time.Now()
	for !a.win.ShouldClose() && !a.quit {
		a.waitForEvents()
		now := time.Now()
		a.frameTime, a.lastFrame = now.Sub(a.lastFrame), now
		if a.scr != nil {
			if err := a.scr.step(a, now); err != nil {
				return err
			}
		}
		if err := a.poll(); err != nil {
			return err
		}
		a.handleInput(now)
		a.in.endFrame()
		a.update(now)
		a.draw()
		if a.cfg.screenshot != "" && a.scr == nil {
			if done, err := a.tryScreenshot(); done || err != nil {
				return err
			}
		}
		a.win.SwapBuffers()
		a.drawTime = time.Since(now)
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

// waitForEvents polls input without blocking while something moves (an
// animation, a held key or button, a scripted or measured run) and
// otherwise sleeps until input arrives or a short timeout passes, so an
// idle window leaves the cores to the layout jobs: 30 wake-ups a second
// while a job may publish a snapshot, 2 when nothing is running.
func (a *app) waitForEvents() {
	if a.cfg.timings || a.cfg.screenshot != "" || a.scr != nil || a.trans.active || a.fly.active || a.in.active() {
		glfw.PollEvents()
		return
	}
	timeout := 0.5
	if a.busy() {
		timeout = 1.0 / 30
	}
	glfw.WaitEventsTimeout(timeout)
}

// busy reports whether background work may change what is shown.
func (a *app) busy() bool {
	for _, v := range a.views {
		if v.job != nil && !v.status.done {
			return true
		}
	}
	if a.neighbors != nil && !a.sel.nbStatus.done {
		return true
	}
	if a.sel.row >= 0 && !a.sel.settled() {
		return true
	}
	return a.hud.msg != "" && time.Now().Before(a.hud.msgUntil)
}

// tryScreenshot saves --screenshot once the requested layout is final and
// any --select has been applied.
func (a *app) tryScreenshot() (bool, error) {
	v := a.views[a.current]
	if !v.status.final || a.trans.active || a.fly.active || !a.sel.settled() {
		return false, nil
	}
	return true, a.saveScreenshot(a.cfg.screenshot)
}

func (a *app) saveScreenshot(path string) error {
	img := render.ReadPixels(a.cam.Width, a.cam.Height)
	return render.SavePNG(path, img)
}

// updateTitle sets the window title when the layout or its state changes.
func (a *app) updateTitle() {
	v := a.views[a.current]
	key := titleState{current: a.current, done: v.status.done, fail: v.status.err != nil}
	if key == a.hud.titleKey && a.hud.titleSet {
		return
	}
	a.hud.titleKey, a.hud.titleSet = key, true
	state := ""
	switch {
	case key.fail:
		state = " (failed)"
	case !key.done:
		state = " (computing)"
	}
	a.win.SetTitle(windowTitle(a.ds, pipeline.Title(v.method)+state))
}

// titleState is what the window title depends on.
type titleState struct {
	current    int
	done, fail bool
}

func windowTitle(ds *mnist.Dataset, layout string) string {
	return fmt.Sprintf("MNIST Explorer — %s (%d images) — %s", dataName(ds), ds.Len(), layout)
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
