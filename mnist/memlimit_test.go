package mnist

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The memory-limit tests load honest but huge datasets (gzip streams of
// zeros that really expand to what their headers claim) in a child process
// of this test binary, run under `ulimit -v`. The loader must refuse them
// with one line before reading, not die with Go's "fatal error: out of
// memory" trace, and must still load a dataset that fits.

// memChildEnv names the dataset directory the child loads.
const memChildEnv = "MNIST_TEST_MEMLIMIT_DIR"

// memLimitKiB is the child's address-space limit: 2 GiB. (It was 1 GiB
// until the Parquet reader: its dependencies bring net/http and
// crypto/rand, whose 32 MiB of static data and the runtime's randomised
// heap placement make a 48 MiB allocation fail at random under 1 or 1.5
// GiB, 20 times out of 30 in a three-line program. The datasets refused
// below need 4 GB and more.)
const memLimitKiB = 2 << 20

// raceBuild is set when the test binary has the race detector
// (race_test.go), which cannot run under memLimitKiB.
var raceBuild bool

// Exit statuses of the child.
const (
	childRefused = 3
	childLoaded  = 4
)

// TestMemoryLimitChild is the child: it loads the directory named by
// memChildEnv with the default options, prints the error or the row count
// on one line, and exits with childRefused or childLoaded.
func TestMemoryLimitChild(t *testing.T) {
	dir := os.Getenv(memChildEnv)
	if dir == "" {
		t.Skip("run by TestLoadUnderMemoryLimit")
	}
	d, err := Load(dir)
	if err != nil {
		fmt.Println(err)
		os.Exit(childRefused)
	}
	fmt.Printf("loaded %d rows\n", d.Len())
	os.Exit(childLoaded)
}

// zerosGzip writes to path an honest gzip IDX file of n items of the given
// shape, all zero: a header member, then 100 copies of one member holding
// n/100 items (n must be a multiple of 100), so that writing it costs the
// compression of one hundredth of it.
func zerosGzip(t *testing.T, path string, dims ...uint32) {
	t.Helper()
	item := 1
	for _, d := range dims[1:] {
		item *= int(d)
	}
	var chunk bytes.Buffer
	w, _ := gzip.NewWriterLevel(&chunk, gzip.BestSpeed)
	zeros := make([]byte, 1<<20)
	for left := int(dims[0]) / 100 * item; left > 0; left -= len(zeros) {
		w.Write(zeros[:min(left, len(zeros))])
	}
	w.Close()
	out := bytes.NewBuffer(gz(idx(byte(len(dims)), dims, nil)))
	for range 100 {
		out.Write(chunk.Bytes())
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadUnderMemoryLimit(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("ulimit -v is the Linux address-space limit")
	}
	if raceBuild {
		t.Skip("the race detector needs more address space than the limit")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to set ulimit -v")
	}
	for _, c := range []struct {
		name    string
		n, w, h uint32
		fits    bool
	}{
		{"6 million images of 28x28 (4.7 GB)", 6_000_000, 28, 28, false},
		{"4000 images of 1024x1024 (4.2 GB)", 4000, 1024, 1024, false},
		{"60000 images of 28x28 fit", 60_000, 28, 28, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			images := filepath.Join(dir, TrainImages+".gz")
			zerosGzip(t, images, c.n, c.h, c.w)
			zerosGzip(t, filepath.Join(dir, TrainLabels+".gz"), c.n)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bash, "-c",
				fmt.Sprintf(`ulimit -v %d && exec "$0" -test.run='^TestMemoryLimitChild$'`, memLimitKiB), os.Args[0])
			cmd.Env = append(os.Environ(), memChildEnv+"="+dir)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if err != nil && !errors.As(err, &ee) {
				t.Fatal(err)
			}
			code := cmd.ProcessState.ExitCode()
			text := strings.TrimSpace(string(out))
			if strings.Contains(text, "fatal error") || strings.Contains(text, "goroutine") {
				t.Fatalf("exit %d with a trace (first line %q)", code, strings.SplitN(text, "\n", 2)[0])
			}
			if strings.Contains(text, "\n") {
				t.Errorf("output has %d lines, want one: %q", strings.Count(text, "\n")+1, text)
			}
			if c.fits {
				if code != childLoaded {
					t.Errorf("exit %d: %s; want it loaded", code, text)
				}
				return
			}
			for _, want := range []string{images, "over the budget", "ulimit -v", "--max-data-mb"} {
				if code != childRefused || !strings.Contains(text, want) {
					t.Errorf("exit %d: %q; want a refusal mentioning %q", code, text, want)
				}
			}
		})
	}
}
