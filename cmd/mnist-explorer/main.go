// Command mnist-explorer is a desktop explorer for MNIST-like image datasets:
// every image drawn as its own sprite, laid out in 2-D by PCA, UMAP or
// Barnes-Hut t-SNE computed in-process, with pan and zoom.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// GLFW and OpenGL must be driven from the main OS thread.
func init() { runtime.LockOSThread() }

// processStart is when the program started, for --timings.
var processStart = time.Now()

// trace is whether MNIST_EXPLORER_TRACE asks for timings of start-up steps
// and review keys in the log.
var trace = os.Getenv("MNIST_EXPLORER_TRACE") != ""

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// config holds the command line.
type config struct {
	dataDir     string
	n           int
	layout      string
	width       int
	height      int
	screenshot  string
	seed        uint64
	noCache     bool
	timings     bool
	zoom        float64
	focus       int
	selectRow   int
	script      string
	layoutFiles []layoutFile // --layout-file NAME=PATH, in order
	logFile     string       // --log-file: "" = stderr on a terminal, else the default log file
	errorDialog bool         // --error-dialog: also show a fatal error in a dialog
	reviewFile  string       // --review-file: where review decisions go ("" = the default per dataset)
	labels      string       // --labels: labels of an array (.npy, .csv) or a folder (.csv, .tsv)
	imageCol    string       // --image-col: a Parquet dataset's image column ("" = found)
	labelCol    string       // --label-col: a Parquet dataset's label column ("" = found)
	features    string       // --features: N x D embeddings the layouts and neighbours use instead of the pixels
	cell        int          // --cell: the side of an image's cell in pixels (0: chosen from the count)
	exportDir   string       // --export-dir: where E and Shift+E write ("" = ~/Documents/mnist-explorer)
	maxDataMB   int64        // --max-data-mb: the dataset's memory budget in MiB; 0 = mnist's default

	layoutCols projection.LayoutColumns // --layout-cols: the columns of a Parquet --layout-file (zero: found)
}

const keysHelp = `Keys and mouse
  drag / wheel              pan / zoom about the cursor
  arrows, WASD, + and -     pan, zoom
  [ and ]                   smaller / larger sprites;  U: images, fixed-size images, dots;  Shift+U: opacity
  R or Home                 fit the layout to the window
  1, 2, 3                   PCA, UMAP, t-SNE (animated switch)
  click                     select a digit; click a neighbour to go there
  Tab or I                  inspector panel
  Shift+0..9, legend click  hide / show a class;  Shift+A shows all
  wheel over legend, F      scroll the legend; filter it by typing (Enter keeps, Esc clears)
  (colour images)           drawn in their own colours, framed in their label's colour
  Shift+drag / Ctrl+drag    choose with a lasso / a box (+Alt adds; Shift+Ctrl+drag removes)
  E / Shift+E               export the chosen rows / the label corrections
  G, Esc                    grow the chosen rows by their neighbours; clear them
  Shift+D / Shift+S         dim instead of hide filtered classes / hide unchosen rows
  C, O                      which classes blend (click a pair: its boundary); outline boundary digits
  T, M                      tune UMAP (n_neighbors, min_dist, ...); the min_dist 0.8 variant
  B, Shift+B, J             two layouts side by side / one; swap the panes; link their cameras
  V / Shift+V               colour by neighbourhood agreement (with the other pane, or the layout before); choose the most different
  L                         review suspicious labels (K keep, Enter accept, 0-9 relabel, X unusable)
  N / Shift+N               next / previous suspicious digit;  Ctrl+Z / Ctrl+Shift+Z undo / redo
  /                         find a row by number, then Enter
  P                         save a screenshot
  H or F1                   this help;  Q or Esc quits
`

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("mnist-explorer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.dataDir, "data", "", "the dataset: a folder of IDX files (train-images-idx3-ubyte[.gz], ...) or of images (class subfolders give labels), or a .npy / .npz of images, or a .parquet of image bytes (or a folder of .parquet shards); default: MNIST from the GoMNIST Go module")
	fs.StringVar(&c.labels, "labels", "", "labels `FILE` for a .npy of images (.npy or .csv), or replacing a folder's labels.csv")
	fs.StringVar(&c.imageCol, "image-col", "", "a Parquet dataset's image `COLUMN` (binary, or a struct of bytes and path; default: found)")
	fs.StringVar(&c.labelCol, "label-col", "", "a Parquet dataset's label `COLUMN` (integers or text; default: found)")
	fs.StringVar(&c.features, "features", "", "compute layouts, neighbours and suspicious labels on `F.npy` (N x D float32/float64, one row per image) instead of the pixels")
	fs.IntVar(&c.cell, "cell", 0, "fit each image into a square cell of `N` pixels (0: chosen from the count, at most the largest image)")
	fs.IntVar(&c.n, "n", 0, "use only the first `N` rows (0 = all)")
	fs.StringVar(&c.layout, "layout", "umap", "layout to open with: "+strings.Join(pipeline.Names(), ", ")+", or a --layout-file NAME")
	fs.Func("layout-cols", "the `X,Y[,ID]` columns (or LIST[,ID], a list of two numbers a row) of a .parquet --layout-file; ID joins rows by dataset row (default: found)", func(v string) (err error) {
		c.layoutCols, err = projection.ParseLayoutColumns(v)
		return err
	})
	fs.Func("layout-file", "add a layout `NAME=PATH` from an N x 2 .npy (float32/float64, C order) or .csv file in dataset row order, or a .parquet file (x, y and an optional row id: see --layout-cols) (repeatable)", func(v string) error {
		name, path, ok := strings.Cut(v, "=")
		name = strings.TrimSpace(name)
		switch {
		case !ok || name == "" || path == "":
			return fmt.Errorf("want NAME=PATH, got %q", v)
		case isMethod(name):
			return fmt.Errorf("%q is a built-in layout; choose another name", name)
		}
		for _, f := range c.layoutFiles {
			if f.name == name {
				return fmt.Errorf("two layout files named %q", name)
			}
		}
		c.layoutFiles = append(c.layoutFiles, layoutFile{name, path})
		return nil
	})
	size := fs.String("size", "1280x800", "window size `WxH` in screen coordinates")
	fs.StringVar(&c.screenshot, "screenshot", "", "render the finished layout, save it as `FILE.png` and exit")
	fs.Uint64Var(&c.seed, "seed", 42, "random seed of the layouts")
	fs.BoolVar(&c.noCache, "no-cache", false, "neither read nor write the layout cache")
	fs.Float64Var(&c.zoom, "zoom", 1, "initial zoom, relative to the fitted view")
	fs.IntVar(&c.focus, "focus", -1, "centre the initial view on dataset `ROW`")
	fs.IntVar(&c.selectRow, "select", -1, "open with dataset `ROW` selected and the inspector panel shown")
	fs.StringVar(&c.script, "script", "", "drive the app with scripted input (see script.go), e.g. \"wait-layout; move-to-row 7; click; screenshot a.png\"; @FILE reads it from a file")
	fs.StringVar(&c.logFile, "log-file", "", "append messages and errors to `PATH` (\"-\": stderr only); default: stderr on a terminal, else $XDG_STATE_HOME/mnist-explorer/mnist-explorer.log")
	fs.BoolVar(&c.errorDialog, "error-dialog", false, "also show a fatal error in a dialog (zenity, kdialog, xmessage or notify-send); for desktop launchers")
	fs.Int64Var(&c.maxDataMB, "max-data-mb", 0, "memory budget of the dataset in `MiB`, counting 5 bytes a pixel (the pixel and its float32 copy for layouts); 0 = half of this machine's memory")
	fs.StringVar(&c.reviewFile, "review-file", "", "keep the review's decisions in `FILE` (default: one file per dataset under $XDG_STATE_HOME/mnist-explorer/reviews)")
	fs.StringVar(&c.exportDir, "export-dir", "", "write exports (E: the chosen rows; Shift+E: the corrections) to `DIR` (default: ~/Documents/mnist-explorer, or ./mnist-explorer)")
	fs.BoolVar(&c.timings, "timings", false, "print the time to the first frame and to the first frame with digits, then exit once the digits show")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: mnist-explorer [flags]\n\nExplore an image dataset as a map of its images.\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\n%s", keysHelp)
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (see --help)", fs.Arg(0))
	}
	if !isMethod(c.layout) && c.fileLayout(c.layout) == "" {
		return nil, fmt.Errorf("--layout %q: want one of %s, or a --layout-file NAME", c.layout, strings.Join(pipeline.Names(), ", "))
	}
	if !(c.zoom >= minZoom && c.zoom <= maxZoom) { // also refuses NaN
		return nil, fmt.Errorf("--zoom %v: want a factor from %g to %g", c.zoom, minZoom, maxZoom)
	}
	if c.maxDataMB < 0 || c.maxDataMB > 1<<30 {
		return nil, fmt.Errorf("--max-data-mb %d: must be 0..%d", c.maxDataMB, 1<<30)
	}
	if c.n < 0 {
		return nil, fmt.Errorf("--n %d: must be >= 0", c.n)
	}
	w, h, ok := strings.Cut(*size, "x")
	var err1, err2 error
	c.width, err1 = strconv.Atoi(w)
	c.height, err2 = strconv.Atoi(h)
	if !ok || err1 != nil || err2 != nil || c.width < 64 || c.height < 64 || c.width > 16384 || c.height > 16384 {
		return nil, fmt.Errorf("--size %q: want WxH, e.g. 1280x800", *size)
	}
	return c, nil
}

// The range of --zoom, relative to the fitted view.
const (
	minZoom = 1e-3
	maxZoom = 1e4
)

// checkRows checks the flags that name a dataset row against the n rows
// loaded.
func (c *config) checkRows(n int) error {
	for _, f := range []struct {
		name string
		row  int
	}{{"--select", c.selectRow}, {"--focus", c.focus}} {
		if f.row < -1 || f.row >= n {
			return fmt.Errorf("%s %d: the dataset has %d rows (0..%d)", f.name, f.row, n, n-1)
		}
	}
	return nil
}

// isMethod reports whether name is a registered layout method.
func isMethod(name string) bool {
	_, ok := pipeline.Lookup(name)
	return ok
}

// layoutFile is a layout computed elsewhere, loaded from a file.
type layoutFile struct{ name, path string }

// fileLayout returns the path of the layout file named name, or "".
func (c *config) fileLayout(name string) string {
	for _, f := range c.layoutFiles {
		if f.name == name {
			return f.path
		}
	}
	return ""
}

func run(args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "mnist-explorer: %v\n", err)
		return 2
	}
	stderr, logPath, closeLog, err := openLog(c.logFile, stderr, args)
	if err != nil {
		fmt.Fprintf(stderr, "mnist-explorer: %v\n", err) // and go on with stderr alone
	}
	defer closeLog()
	fail := func(err error) int {
		fmt.Fprintf(stderr, "mnist-explorer: %v\n", err)
		if c.errorDialog {
			showFatal(err.Error(), logPath)
		}
		return 1
	}
	a, err := newApp(c, stderr)
	if errors.Is(err, errClosedWhileLoading) {
		return 0
	}
	if err != nil {
		return fail(err)
	}
	defer a.close()
	if err := a.loop(); err != nil {
		return fail(err)
	}
	if c.screenshot != "" {
		fmt.Fprintf(stdout, "saved %s\n", c.screenshot)
	}
	return 0
}
