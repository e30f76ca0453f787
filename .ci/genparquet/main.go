// Command genparquet writes a large MNIST-derived Parquet dataset for the
// issue 16 benchmarks (BENCHMARKS.md, "Parquet and a million rows"): N rows
// of MNIST digits, each a random MNIST digit moved by up to 2 pixels and
// turned by up to 12 degrees (bilinear), as 28x28 grey PNG bytes in
// Hugging Face's layout (image struct of bytes and path, ClassLabel label
// named in the "huggingface" metadata), in train shards; plus a layout
// Parquet of N rows in shuffled order with the dataset row in an id column
// (each class a cloud around its own centre, the digit's shift and angle
// spreading it), as a cluster would write one.
//
// It is not part of the app: run it with
//
//	go run ./.ci/genparquet/main.go -n 1000000 -out /var/tmp/mnist1m
//
// and it writes OUT/data/train-0000K-of-0000S.parquet and OUT/layout.parquet.
// The same -n and -seed give the same files.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/parquet-go/parquet-go"
)

type hfImage struct {
	Bytes []byte `parquet:"bytes,optional"`
	Path  string `parquet:"path,optional"`
}

type hfRow struct {
	Image hfImage `parquet:"image"`
	Label int64   `parquet:"label"`
}

type layoutRow struct {
	ID int64   `parquet:"id"`
	X  float32 `parquet:"x"`
	Y  float32 `parquet:"y"`
}

const hfMeta = `{"info": {"features": {"image": {"_type": "Image"}, "label": {"names": ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], "_type": "ClassLabel"}}}}`

// variant is what row i is made of.
type variant struct {
	src          int
	dx, dy, turn float64
}

func variantOf(seed uint64, i, n int) variant {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	return variant{src: r.IntN(n), dx: 4*r.Float64() - 2, dy: 4*r.Float64() - 2, turn: (24*r.Float64() - 12) * math.Pi / 180}
}

// render draws v's digit moved and turned about the centre.
func render(d *mnist.Dataset, v variant, dst *image.Gray) {
	src := d.Image(v.src)
	w, h := d.Width, d.Height
	c, s := math.Cos(v.turn), math.Sin(v.turn)
	cx, cy := float64(w-1)/2, float64(h-1)/2
	at := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return 0
		}
		return float64(src[y*w+x])
	}
	for y := range h {
		for x := range w {
			// The source point that lands on (x, y).
			px, py := float64(x)-cx-v.dx, float64(y)-cy-v.dy
			sx, sy := c*px+s*py+cx, -s*px+c*py+cy
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			fx, fy := sx-float64(x0), sy-float64(y0)
			val := at(x0, y0)*(1-fx)*(1-fy) + at(x0+1, y0)*fx*(1-fy) + at(x0, y0+1)*(1-fx)*fy + at(x0+1, y0+1)*fx*fy
			dst.Pix[y*w+x] = uint8(math.Round(val))
		}
	}
}

func main() {
	n := flag.Int("n", 1_000_000, "rows")
	shards := flag.Int("shards", 4, "train shards")
	out := flag.String("out", "/var/tmp/mnist1m", "output folder")
	seed := flag.Uint64("seed", 1, "random seed")
	group := flag.Int("row-group", 10_000, "rows a row group")
	flag.Parse()
	d, err := mnist.LoadDefault()
	if err != nil {
		fail(err)
	}
	if err := os.MkdirAll(filepath.Join(*out, "data"), 0o755); err != nil {
		fail(err)
	}
	per := (*n + *shards - 1) / *shards
	for k := range *shards {
		lo, hi := k*per, min(*n, (k+1)*per)
		name := filepath.Join(*out, "data", fmt.Sprintf("train-%05d-of-%05d.parquet", k, *shards))
		if err := writeShard(name, d, *seed, lo, hi, *group); err != nil {
			fail(err)
		}
		fmt.Println("wrote", name, hi-lo, "rows")
	}
	if err := writeLayout(filepath.Join(*out, "layout.parquet"), d, *seed, *n); err != nil {
		fail(err)
	}
	fmt.Println("wrote", filepath.Join(*out, "layout.parquet"))
}

// writeShard writes rows [lo, hi) to name, the PNGs encoded on all cores.
func writeShard(name string, d *mnist.Dataset, seed uint64, lo, hi, group int) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close()
	w := parquet.NewGenericWriter[hfRow](f, parquet.Compression(&parquet.Snappy), parquet.KeyValueMetadata("huggingface", hfMeta))
	rows := make([]hfRow, group)
	for g := lo; g < hi; g += group {
		m := min(group, hi-g)
		var wg sync.WaitGroup
		workers := runtime.GOMAXPROCS(0)
		for wk := range workers {
			wg.Go(func() {
				img := image.NewGray(image.Rect(0, 0, d.Width, d.Height))
				var buf bytes.Buffer
				enc := png.Encoder{CompressionLevel: png.BestCompression}
				for j := wk; j < m; j += workers {
					i := g + j
					v := variantOf(seed, i, d.Len())
					render(d, v, img)
					buf.Reset()
					if err := enc.Encode(&buf, img); err != nil {
						panic(err)
					}
					rows[j] = hfRow{hfImage{bytes.Clone(buf.Bytes()), fmt.Sprintf("%07d.png", i)}, int64(d.Labels[v.src])}
				}
			})
		}
		wg.Wait()
		if _, err := w.Write(rows[:m]); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return w.Close()
}

// writeLayout writes the layout of n rows in shuffled order with ids.
func writeLayout(name string, d *mnist.Dataset, seed uint64, n int) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close()
	w := parquet.NewGenericWriter[layoutRow](f, parquet.Compression(&parquet.Snappy))
	order := rand.New(rand.NewPCG(seed, 99)).Perm(n)
	rows := make([]layoutRow, 0, 65536)
	for k, i := range order {
		v := variantOf(seed, i, d.Len())
		l := float64(d.Labels[v.src])
		r := rand.New(rand.NewPCG(seed^0x9e3779b97f4a7c15, uint64(i)))
		angle := l * 2 * math.Pi / 10
		cx, cy := 30*math.Cos(angle), 30*math.Sin(angle)
		rows = append(rows, layoutRow{int64(i), float32(cx + 2*v.dx + 3*r.NormFloat64()), float32(cy + 20*v.turn + 3*r.NormFloat64())})
		if len(rows) == cap(rows) || k == n-1 {
			if _, err := w.Write(rows); err != nil {
				return err
			}
			if err := w.Flush(); err != nil {
				return err
			}
			rows = rows[:0]
		}
	}
	return w.Close()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "genparquet:", err)
	os.Exit(1)
}
