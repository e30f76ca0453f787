package main

import (
	"bytes"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/clitest"
)

func TestParseFlags(t *testing.T) {
	c, err := parseFlags([]string{"--n", "500", "--layout", "pca", "--size", "640x480"}, io.Discard)
	if err != nil || c.n != 500 || c.layout != "pca" || c.width != 640 || c.height != 480 {
		t.Fatalf("got %+v, %v", c, err)
	}
	for _, bad := range [][]string{
		{"--size", "640"}, {"--size", "0x0"}, {"--size", "axb"}, {"--layout", "isomap"},
		{"--n", "-1"}, {"stray"}, {"--nope"},
		{"--zoom", "Inf"}, {"--zoom", "1e300"}, {"--zoom", "NaN"}, {"--zoom", "0"}, {"--zoom", "-2"},
	} {
		if _, err := parseFlags(bad, io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

var appCmd clitest.Builder

// binary builds the app once per test run.
func binary(t *testing.T) string {
	t.Helper()
	return appCmd.Build(t, "mnist-explorer")
}

// needDisplay fails in CI (which runs under Xvfb) and skips elsewhere when
// there is no X display.
func needDisplay(t *testing.T) {
	t.Helper()
	if os.Getenv("DISPLAY") != "" {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no DISPLAY in CI: the GL tests must run under xvfb-run (make test does this)")
	}
	t.Skip("no DISPLAY; run under xvfb-run (make test does this)")
}

// runApp runs the app with args and extra environment, returning its exit
// code, stdout and stderr.
func runApp(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(append(os.Environ(), "XDG_STATE_HOME="+t.TempDir()), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

func TestScreenshotShowsColouredDigits(t *testing.T) {
	needDisplay(t)
	shot := filepath.Join(t.TempDir(), "shot.png")
	code, out, errs := runApp(t, nil, "--n", "3000", "--layout", "pca", "--size", "640x400", "--no-cache", "--screenshot", shot)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "saved "+shot) {
		t.Errorf("stdout %q does not say where the shot went", out)
	}
	img := readPNG(t, shot)
	if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 400 {
		t.Fatalf("screenshot is %v, want 640x400", b)
	}
	bg, ink, hues := countPixels(img)
	total := 640 * 400
	if bg < total/4 {
		t.Errorf("only %d of %d pixels are background", bg, total)
	}
	if ink < total/100 {
		t.Errorf("only %d coloured pixels: the digits are not visible", ink)
	}
	if hues < 6 {
		t.Errorf("%d distinct hues among the sprites, want the label palette (>= 6)", hues)
	}
}

// countPixels counts background pixels, saturated "ink" pixels and the
// number of 30-degree hue buckets the ink falls into.
func countPixels(img image.Image) (bg, ink, hues int) {
	var buckets [12]int
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r8, g8, b8 := int(r>>8), int(g>>8), int(bl>>8)
			mx, mn := max(r8, g8, b8), min(r8, g8, b8)
			if mx < 40 {
				bg++
				continue
			}
			if mx-mn < 40 {
				continue
			}
			ink++
			buckets[hue(r8, g8, b8, mx, mn)/30]++
		}
	}
	for _, c := range buckets {
		if c > ink/200 {
			hues++
		}
	}
	return bg, ink, hues
}

func hue(r, g, b, mx, mn int) int {
	d := float64(mx - mn)
	var h float64
	switch mx {
	case r:
		h = float64(g-b) / d
	case g:
		h = 2 + float64(b-r)/d
	default:
		h = 4 + float64(r-g)/d
	}
	h *= 60
	if h < 0 {
		h += 360
	}
	return int(h) % 360
}

func TestNoDisplayIsAClearError(t *testing.T) {
	code, _, errs := runApp(t, []string{"DISPLAY=", "WAYLAND_DISPLAY="}, "--n", "100", "--layout", "pca")
	if code == 0 {
		t.Fatal("exit 0 without a display")
	}
	if !strings.Contains(errs, "no usable display") || strings.Contains(errs, "goroutine") || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
		t.Errorf("stderr = %q, want one line about the display", errs)
	}
}

func TestOldOpenGLIsAClearError(t *testing.T) {
	needDisplay(t)
	// Mesa honours this override: the driver then refuses a 3.3 context.
	code, _, errs := runApp(t, []string{"MESA_GL_VERSION_OVERRIDE=3.0", "MESA_GLSL_VERSION_OVERRIDE=130"}, "--n", "100", "--layout", "pca")
	if code == 0 {
		t.Fatal("exit 0 with OpenGL 3.0")
	}
	if !strings.Contains(errs, "OpenGL 3.3") || strings.Contains(errs, "goroutine") {
		t.Errorf("stderr = %q, want a one-line OpenGL 3.3 error", errs)
	}
}

func TestBadDataDirIsAClearError(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "train-images-idx3-ubyte"), []byte{0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3}, 0o644)
	os.WriteFile(filepath.Join(dir, "train-labels-idx1-ubyte"), []byte{0, 0, 8, 1, 0, 0, 0, 9}, 0o644)
	code, _, errs := runApp(t, nil, "--data", dir)
	if code == 0 || !strings.Contains(errs, "train-images-idx3-ubyte") || !strings.Contains(errs, "truncated") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}
