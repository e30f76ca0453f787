package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"strings"
	"time"

	"github.com/go-gl/glfw/v3.3/glfw"

	"github.com/mnist-explorer/mnist-explorer/atlas"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/region"
	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/render"
)

// app is the explorer's loop and the wiring between its parts: one
// window, one GL thread running input -> update -> draw -> swap, over pure
// types that each own one concern:
//
//	scene     what is on screen: layouts' positions, transition, camera flight
//	layoutSet the layout tasks: started when asked for, cancelled when not needed
//	selection hover, selection and its neighbour query, hidden classes, flags
//	suspects  the one suspicious-label rule applied to the neighbour graph
//	hudLayout the HUD's geometry (layoutHUD), hudText its strings, gfx draws them
type app struct {
	cfg  *config
	ds   *mnist.Dataset
	win  *glfw.Window
	in   *input
	g    gfx
	logf func(string, ...any)

	ctx    context.Context
	cancel context.CancelFunc
	env    *jobEnv

	layouts layoutSet
	pane                   // the active pane: its scene, camera, renderer and pick index
	split   splitView      // the second pane, when the split view is on (B)
	graph   *task[[]int32] // the neighbour graph behind the suspicious labels
	graphSt taskStatus[[]int32]
	sus     *suspects  // nil until the graph is known
	tune    tuner      // the UMAP tuning panel (T)
	mode    spriteMode // how sprites are drawn (U)
	opacity int        // index into opacities (Shift+U)
	agree   agreement  // colouring by neighbourhood agreement between two layouts (V)
	// prevLayout is the layout shown before the current one (-1 for none).
	prevLayout int
	bl         blend     // which classes blend: the panel (C), a pair's view, the outline (O)
	rev        *reviewer // the review queue; nil until the suspicious view first opens with the suspects known
	sel        selection
	chosen     *region.Set // rows chosen with the lasso or box (many at once)
	mq         marquee     // the lasso or box being drawn
	cv         chosenView  // what the selection panel shows of chosen
	// lastExport is the last file an export wrote.
	lastExport string

	txt                 *hudText
	leg                 *legend      // the legend's list, scroll and filter (legend.go)
	orig                originalView // the inspector's image at its original resolution (original.go)
	lay                 hudLayout
	panel, help         bool
	pressing, pressOnUI bool
	find                findPrompt
	scr                 *script
	title               titleState
	buttonText          []float64 // the switcher buttons' text widths

	frameTime time.Duration // between the starts of the last two frames
	drawTime  time.Duration // input, update and draw of the last frame (the status line shows it)
	lastFrame time.Time
	grey      []uint8   // a colour dataset's images in grey for the exports, made when first asked for; nil for grey data
	keyAt     time.Time // when the last review key was handled (MNIST_EXPLORER_TRACE times it to the next frame)
	timing    frameTiming
	quit      bool
}

// newApp reads the dataset while the window opens and shows the reading's
// progress, then builds the app on it. Without a window (no display, an
// old driver) a bad dataset is still reported first: its error says more.
func newApp(c *config, stderr io.Writer) (*app, error) {
	logger := log.New(stderr, "mnist-explorer: ", 0)
	var scr *script
	if c.script != "" {
		var err error
		if scr, err = parseScript(c.script); err != nil {
			return nil, err
		}
	}
	l := startLoading(c, logger.Printf)
	win, err := openWindow(c.width, c.height, "MNIST Explorer — reading "+datasetName(c.dataDir)+" …")
	if err != nil {
		if _, _, lerr := l.wait(); lerr != nil {
			return nil, lerr
		}
		return nil, err
	}
	a := &app{cfg: c, win: win, in: newInput(), logf: logger.Printf, scr: scr, tune: newTuner(), prevLayout: -1}
	glfw.SwapInterval(1)
	if c.screenshot != "" || c.timings || scr != nil {
		glfw.SwapInterval(0)
	}
	if err := a.initUI(); err != nil {
		l.cancel()
		a.close()
		return nil, err
	}
	if err := a.showLoading(l, datasetName(c.dataDir)); err != nil {
		a.close()
		return nil, err
	}
	ds, features, err := l.wait()
	if err != nil {
		a.close()
		return nil, err
	}
	if trace {
		logger.Printf("trace: %d rows of %dx%d from %s", ds.Len(), ds.Width, ds.Height, strings.Join(ds.Files, ", "))
	}
	a.ds, a.sel, a.chosen, a.bl = ds, newSelection(ds.Len()), region.NewSet(ds.Len()), newBlend()
	win.SetTitle(windowTitle(ds, "…"))
	if err := a.initSprites(); err != nil {
		a.close()
		return nil, err
	}
	a.in.attach(win)
	a.in.winW, a.in.winH = win.GetSize()
	win.SetFramebufferSizeCallback(func(_ *glfw.Window, w, h int) {
		a.cam.SetViewport(w, h)
		if o := a.split.other.cam; o != nil {
			o.SetViewport(w, h)
		}
	})

	a.ctx, a.cancel = context.WithCancel(context.Background())
	a.env = newJobEnv(ds, features, c, a.logf)
	a.layouts = layoutSet{ctx: a.ctx, produce: a.env.layoutWork, snapGap: snapshotGap}
	for _, m := range pipeline.All() {
		a.layouts.entries = append(a.layouts.entries, &layoutEntry{name: m.Name, title: m.Title})
	}
	for _, f := range c.layoutFiles {
		a.layouts.entries = append(a.layouts.entries, &layoutEntry{name: f.name, title: f.name})
	}
	for i, e := range a.layouts.entries {
		a.label(i, e)
	}
	current := a.layouts.index(c.layout)
	a.sprites = a.g.sprites
	a.scene = newScene(a.sprites, a.cam, len(a.layouts.entries), current)
	a.scene.zoom, a.scene.focus = c.zoom, c.focus
	a.scene.frame = a.newFrameFunc(a.scene)
	a.pick = render.NewPickIndex(nil)
	a.txt = newHUDText(ds)
	a.leg = datasetLegend(ds)
	a.txt.space = a.env.in.Space()
	a.txt.blendTitle = "Which classes blend: each row's 10 nearest neighbours in " + a.txt.space
	// Room for a name: the legend row less its padding, colour swatch and
	// count ("70,000").
	s := a.g.scale
	a.txt.fitNames((legendWidth-2*uiPad-8)*s-0.7*a.g.text.LineHeight()-a.g.text.Measure(" 000,000"), a.g.text.Measure)
	// PCA first (it is quick and gives something to look at), then the
	// requested layout: read from the cache at once, or computed once PCA
	// is done, so that the two do not share the cores (on two cores
	// together they took 1.3-1.5x as long). A layout file needs no
	// stand-in (it is read, not computed: at a million rows PCA would only
	// slow it down). Other layouts start when the user asks for them.
	if standIn := a.layouts.index("pca"); standIn != current {
		if _, isFile := a.env.files[c.layout]; !isFile {
			a.layouts.ensure(standIn)
			a.layouts.entries[current].after = a.layouts.entries[standIn].task.Done()
		}
	}
	a.layouts.ensure(current)
	if c.selectRow >= 0 {
		a.sel.pending = c.selectRow
		a.panel = true
	}
	return a, nil
}

// initUI initialises GL and creates the renderers that need no dataset:
// shapes and text (the loading screen draws with them), and the camera.
func (a *app) initUI() error {
	if err := render.Init(); err != nil {
		return err
	}
	g := &a.g
	var err error
	if g.shapes, err = render.NewShapeRenderer(); err != nil {
		return err
	}
	fw, fh := a.win.GetFramebufferSize()
	ww, _ := a.win.GetSize()
	g.scale = 1
	if ww > 0 && fw > 0 {
		g.scale = float64(fw) / float64(ww)
	}
	if g.text, err = render.NewTextRenderer(15 * g.scale); err != nil {
		return err
	}
	if g.small, err = render.NewTextRenderer(12 * g.scale); err != nil {
		return err
	}
	g.quads = make([]render.ImageQuad, 0, inspectK+1)
	a.cam = render.NewCamera(fw, fh)
	return nil
}

// initSprites packs and uploads the atlas and creates the sprite and image
// renderers.
func (a *app) initSprites() error {
	tPack := time.Now()
	at, err := atlas.Pack(a.ds.Pixels, a.ds.Len(), a.ds.Width, a.ds.Height, atlas.Options{Channels: a.ds.NumChannels()})
	if err != nil {
		return fmt.Errorf("packing %d images: %w", a.ds.Len(), err)
	}
	g := &a.g
	tUp := time.Now()
	if g.sprites, err = render.NewSpriteRenderer(at, a.ds.Labels); err != nil {
		return err
	}
	if trace {
		a.logf("trace: start->pack %.3fs, pack %.3fs, upload %.3fs", tPack.Sub(processStart).Seconds(), tUp.Sub(tPack).Seconds(), time.Since(tUp).Seconds())
	}
	if g.images, err = render.NewImageRenderer(g.sprites, at); err != nil {
		return err
	}
	return nil
}

func (a *app) close() {
	if a.cancel != nil {
		a.cancel()
	}
	if a.rev != nil {
		a.rev.c.Close()
	}
	a.orig.reset()
	a.g.Delete()
	if a.win != nil {
		a.win.Destroy()
	}
	glfw.Terminate()
}

func (a *app) saveScreenshot(path string) error {
	return render.SavePNG(path, render.ReadPixels(a.cam.Width, a.cam.Height))
}

// updateTitle sets the window title when the layout or its state changes.
func (a *app) updateTitle() {
	e := a.layouts.entries[a.scene.current]
	key := titleState{set: true, current: a.scene.current, done: e.status.done, fail: e.status.err != nil}
	if key == a.title {
		return
	}
	a.title = key
	state := ""
	switch {
	case key.fail:
		state = " (failed)"
	case !key.done:
		state = " (computing)"
	}
	a.win.SetTitle(windowTitle(a.ds, e.title+state))
}

// titleState is what the window title depends on.
type titleState struct {
	set, done, fail bool
	current         int
}

func windowTitle(ds *mnist.Dataset, layout string) string {
	return fmt.Sprintf("MNIST Explorer — %s (%d images) — %s", ds.Name(), ds.Len(), layout)
}

// greyPixels returns the images as one grey byte a pixel: the dataset's
// own for grey data; for colour, each pixel's luminance over black (what
// the exports draw; the sprites keep their colours).
func (a *app) greyPixels() []uint8 {
	if a.ds.NumChannels() == 1 {
		return a.ds.Pixels
	}
	if a.grey == nil {
		px := a.ds.Pixels
		a.grey = make([]uint8, len(px)/4)
		for i := range a.grey {
			r, g, b, al := float64(px[4*i]), float64(px[4*i+1]), float64(px[4*i+2]), float64(px[4*i+3])
			a.grey[i] = uint8((0.299*r + 0.587*g + 0.114*b) * al / 255)
		}
	}
	return a.grey
}

// image returns row i's image as grey pixels (what the exports draw).
func (a *app) image(i int) []uint8 {
	s := a.ds.Width * a.ds.Height
	return a.greyPixels()[i*s : (i+1)*s]
}
