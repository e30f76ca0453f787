package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The window opens and shows the reading's progress before the dataset is
// read (the loader held back by the test hook), then the app goes on as
// usual; without a display a bad dataset is still the error reported.
func TestWindowOpensWhileReading(t *testing.T) {
	needDisplay(t)
	shot := filepath.Join(t.TempDir(), "a.png")
	code, _, errs := runApp(t, []string{"MNIST_EXPLORER_TRACE=1", loadDelayEnv + "=2s"}, "--n", "500", "--layout", "pca", "--no-cache", "--screenshot", shot)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	up := strings.Index(errs, "trace: the loading screen is up")
	read := strings.Index(errs, "trace: 500 rows")
	if up < 0 || read < 0 || up > read {
		t.Errorf("want the loading screen before the rows are read, log:\n%s", errs)
	}
	if _, ink, _ := countPixels(readPNG(t, shot)); ink == 0 {
		t.Errorf("the map after loading has no coloured pixels")
	}
}
