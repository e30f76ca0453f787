package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/go-gl/glfw/v3.3/glfw"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
	"github.com/mnist-explorer/mnist-explorer/render"
)

// errClosedWhileLoading is newApp's error when the user closed the window
// before the dataset was read: not a failure.
var errClosedWhileLoading = errors.New("window closed while loading")

// loading is the dataset being read in the background while the window
// shows its progress: the loader's result once done, and how far it is.
type loading struct {
	done        chan struct{}
	ds          *mnist.Dataset
	features    *projection.Matrix
	err         error
	files, read atomic.Int64 // the loader's count of files and of those decoded (folders)
	cancel      context.CancelFunc
}

// loadDelayEnv names the environment variable whose duration (such as
// "2s") the loader waits before it starts: tests use it to see the
// loading screen of a slow dataset.
const loadDelayEnv = "MNIST_EXPLORER_LOAD_DELAY"

// startLoading reads the dataset (and --features) on another goroutine.
func startLoading(c *config, logf func(string, ...any)) *loading {
	l := &loading{done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	delay, _ := time.ParseDuration(os.Getenv(loadDelayEnv))
	go func() {
		defer close(l.done)
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			l.err = ctx.Err()
			return
		}
		l.ds, l.features, l.err = loadData(ctx, c, logf, func(done, total int) {
			l.read.Store(int64(done))
			l.files.Store(int64(total))
		})
		if l.err == nil {
			l.err = c.checkRows(l.ds.Len())
		}
	}()
	return l
}

// wait returns the loader's result once it is done.
func (l *loading) wait() (*mnist.Dataset, *projection.Matrix, error) {
	<-l.done
	return l.ds, l.features, l.err
}

// finished reports whether the loader is done.
func (l *loading) finished() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}

// showLoading draws a progress screen in win until the dataset is read, so
// the window opens at once however long a big folder takes to decode; it
// returns errClosedWhileLoading (having cancelled the load) when the user
// closes the window first.
func (a *app) showLoading(l *loading, what string) error {
	start := time.Now()
	for frames := 0; !l.finished(); frames++ {
		glfw.WaitEventsTimeout(0.05)
		if a.win.ShouldClose() {
			l.cancel()
			l.wait()
			return errClosedWhileLoading
		}
		a.drawLoading(what, l.read.Load(), l.files.Load(), time.Since(start))
		a.win.SwapBuffers()
		if trace && frames == 0 {
			a.logf("trace: the loading screen is up %.2fs after start, the dataset still being read", time.Since(processStart).Seconds())
		}
	}
	return nil
}

// drawLoading draws one frame of the progress screen: what is read, a bar
// when the count of files is known, and the time so far.
func (a *app) drawLoading(what string, read, files int64, elapsed time.Duration) {
	fw, fh := a.win.GetFramebufferSize()
	render.Clear(fw, fh, background[0], background[1], background[2])
	g, s := &a.g, a.g.scale
	w, h := float64(fw), float64(fh)
	line := "Reading " + what + " …"
	frac := -1.0
	if files > 0 {
		frac = float64(read) / float64(files)
		line = fmt.Sprintf("Reading %s: %s of %s files", what, groupDigits(int(read)), groupDigits(int(files)))
	}
	bw, bh := min(w*0.6, 640*s), 8*s
	x0, y0 := (w-bw)/2, h/2
	g.shapes.Begin(fw, fh)
	g.text.Begin(fw, fh)
	g.text.Add(x0, y0-2*g.text.LineHeight(), line, colText)
	g.text.Add(x0, y0+bh+g.text.LineHeight(), fmt.Sprintf("%.1f s", elapsed.Seconds()), colDim)
	g.shapes.Rect(x0, y0, x0+bw, y0+bh, colButton)
	if frac >= 0 {
		g.shapes.Rect(x0, y0, x0+bw*min(frac, 1), y0+bh, colActive)
	} else { // unknown length: a block sweeping across
		t := elapsed.Seconds() / 1.5
		p := t - float64(int(t))
		g.shapes.Rect(x0+bw*0.8*p, y0, x0+bw*(0.8*p+0.2), y0+bh, colActive)
	}
	g.shapes.End()
	g.text.End()
}

// datasetName is what the loading screen calls the --data path.
func datasetName(path string) string {
	if path == "" {
		return "MNIST"
	}
	return filepath.Base(filepath.Clean(path))
}

// loadData reads the dataset and --features, logging a line a quarter of
// the way through big folders and passing every count to progress.
func loadData(ctx context.Context, c *config, logf func(string, ...any), progress func(done, total int)) (*mnist.Dataset, *projection.Matrix, error) {
	opts := mnist.Options{MaxBytes: c.maxDataMB << 20, Labels: c.labels, Cell: c.cell, ImageColumn: c.imageCol, LabelColumn: c.labelCol}
	last := -1
	opts.Progress = func(done, total int) {
		progress(done, total)
		if q := 4 * done / max(total, 1); total >= 2000 && q != last {
			last = q
			logf("reading %s: %d of %d files", c.dataDir, done, total)
		}
	}
	ds, err := pipeline.Load(ctx, c.dataDir, opts)
	if err != nil {
		return nil, nil, err
	}
	if n := len(ds.Skipped); n > 0 {
		logf("%d of %d files could not be read:", n, n+ds.Len())
		for _, s := range ds.Skipped {
			logf("  %s", s)
		}
	}
	features, err := readFeatures(c.features, ds, c.n)
	if err != nil {
		return nil, nil, err
	}
	return ds.Head(c.n), features, nil
}

// readFeatures reads --features (nil when not given): one row per dataset
// row, the first n (0: all) kept.
func readFeatures(path string, ds *mnist.Dataset, n int) (*projection.Matrix, error) {
	if path == "" {
		return nil, nil
	}
	data, d, err := mnist.ReadFeatures(path, ds.Len())
	if err != nil {
		return nil, err
	}
	rows := ds.Len()
	if n > 0 && n < rows {
		rows, data = n, data[:n*d]
	}
	return &projection.Matrix{N: rows, D: d, Data: data}, nil
}
