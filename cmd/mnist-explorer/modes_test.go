package main

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// U cycles the sprite modes: in the fixed mode a sprite keeps its size on
// screen at any zoom; then dots; then images again, growing with the zoom.
func TestSpriteModes(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	st := func(i int) string { return filepath.Join(dir, string(rune('a'+i))+".json") }
	script := strings.Join([]string{"move 400 300", "wait-layout", "state " + st(0),
		"key u", "wait-frames 1", "state " + st(1), "key plus", "key plus", "wait-frames 1", "state " + st(2),
		"key u", "wait-frames 1", "screenshot " + filepath.Join(dir, "dots.png"), "state " + st(3),
		"key u", "key plus", "wait-frames 1", "state " + st(4)}, "; ")
	code, _, errs := runApp(t, nil, "--n", "1000", "--layout", "pca", "--no-cache", "--size", "800x600", "--script", script)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	s := make([]appState, 5)
	for i := range s {
		s[i] = readState(t, st(i))
	}
	px := func(a appState) float64 { return a.SpriteSize * a.Camera[2] }
	if s[1].SpriteMode != "images of a fixed size" || math.Abs(px(s[1])-px(s[2])) > 1e-6 || math.Abs(px(s[1])-fixedSpritePx) > 1e-6 {
		t.Errorf("fixed mode: %v px, then %v px after zooming in", px(s[1]), px(s[2]))
	}
	if s[3].SpriteMode != "dots" || s[4].SpriteMode != "images" {
		t.Errorf("modes %q then %q", s[3].SpriteMode, s[4].SpriteMode)
	}
	if math.Abs(px(s[4])/px(s[3])-zoomStep) > 1e-6 {
		t.Errorf("images mode: %v px, %v px after a zoom step; want them to grow %vx", px(s[3]), px(s[4]), zoomStep)
	}
}
