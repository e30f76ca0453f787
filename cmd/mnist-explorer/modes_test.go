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

// Shift+U cycles the sprites' opacity in both panes of the split view: at
// 25% the map has far fewer saturated pixels than opaque.
func TestOpacityCycles(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	st := func(i int) string { return filepath.Join(dir, string(rune('a'+i))+".json") }
	shot := func(i int) string { return filepath.Join(dir, string(rune('a'+i))+".png") }
	script := strings.Join([]string{"move 5 5", "wait-layout", "key b", "wait-layout", "state " + st(0), "screenshot " + shot(0),
		"key u shift", "wait-frames 1", "state " + st(1), "key u shift", "wait-frames 1", "state " + st(2), "screenshot " + shot(2),
		"key u shift", "key u shift", "wait-frames 1", "state " + st(3)}, "; ")
	code, _, errs := runApp(t, nil, "--n", "1500", "--layout", "pca", "--no-cache", "--size", "800x600", "--script", script)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for i, want := range []float32{1, 0.5, 0.25, 1} {
		if got := readState(t, st(i)).Opacity; got != want {
			t.Errorf("after %d presses: opacity %v, want %v", i, got, want)
		}
	}
	ink := func(path string) int {
		_, n, _ := countPixels(readPNG(t, path))
		return n
	}
	if opaque, faint := ink(shot(0)), ink(shot(2)); faint*2 > opaque {
		t.Errorf("saturated pixels: %d opaque, %d at 25%%", opaque, faint)
	}
}
