package main

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// A tap of + or - zooms one step about the cursor; a tap of an arrow pans
// one step.
func TestKeyTapsStepTheCamera(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	st := func(i int) string { return filepath.Join(dir, string(rune('a'+i))+".json") }
	script := strings.Join([]string{
		"move 400 300", "wait-layout", "state " + st(0), // the cursor at the window's centre
		"key plus", "wait-frames 1", "state " + st(1),
		"key minus", "key minus", "wait-frames 1", "state " + st(2),
		"key left", "wait-frames 1", "state " + st(3),
		"move 300 200", "wait-frames 1", "state " + st(4),
		"key plus", "wait-frames 1", "state " + st(5),
	}, "; ")
	code, _, errs := runApp(t, nil, "--n", "1000", "--layout", "pca", "--no-cache", "--size", "800x600", "--script", script)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	s := make([]appState, 6)
	for i := range s {
		s[i] = readState(t, st(i))
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	z0 := s[0].Camera[2]
	if !near(s[1].Camera[2], z0*zoomStep) || !near(s[1].Camera[0], s[0].Camera[0]) || !near(s[1].Camera[1], s[0].Camera[1]) {
		t.Errorf("a tap of + took the camera from %v to %v, want zoom x%v about the centre (the cursor)", s[0].Camera, s[1].Camera, zoomStep)
	}
	if !near(s[2].Camera[2], z0/zoomStep) {
		t.Errorf("+ then two taps of -: zoom %v, want %v", s[2].Camera[2], z0/zoomStep)
	}
	w, h := float64(s[3].Viewport[0]), float64(s[3].Viewport[1])
	wantX := s[2].Camera[0] - panStep*math.Min(w, h)/s[2].Camera[2]
	if !near(s[3].Camera[0], wantX) || !near(s[3].Camera[1], s[2].Camera[1]) {
		t.Errorf("a tap of Left moved the centre from %v to %v, want x = %v", s[2].Camera, s[3].Camera, wantX)
	}
	// About the cursor: the world point under it stays under it.
	if !near(s[5].Camera[2], s[4].Camera[2]*zoomStep) || !near(s[5].CursorWorld[0], s[4].CursorWorld[0]) || !near(s[5].CursorWorld[1], s[4].CursorWorld[1]) {
		t.Errorf("+ with the cursor at (300, 200): cursor's world point %v -> %v, zoom %v -> %v",
			s[4].CursorWorld, s[5].CursorWorld, s[4].Camera[2], s[5].Camera[2])
	}
}

// A --focus or --select row outside the dataset is a clear error before any
// window opens.
func TestRowFlagsOutOfRange(t *testing.T) {
	for _, args := range [][]string{{"--focus", "500"}, {"--select", "100"}, {"--focus", "-7"}} {
		code, _, errs := runApp(t, []string{"DISPLAY="}, append([]string{"--n", "100", "--no-cache"}, args...)...)
		if code != 1 || !strings.Contains(errs, args[0]) || !strings.Contains(errs, "100 rows") {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
}
