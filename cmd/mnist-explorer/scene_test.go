package main

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mnist-explorer/mnist-explorer/render"
)

// sinkLog records what a scene uploads, as the GPU would hold it.
type sinkLog struct {
	from, to []float32
	mix      float32
	calls    []string
}

func (s *sinkLog) SetPositions(p []float32) {
	s.from, s.to, s.mix = p, p, 1
	s.calls = append(s.calls, "set "+name(p))
}
func (s *sinkLog) SetPositionsFrom(p []float32) {
	s.from = p
	s.calls = append(s.calls, "from "+name(p))
}
func (s *sinkLog) SetPositionsTo(p []float32) { s.to = p; s.calls = append(s.calls, "to "+name(p)) }
func (s *sinkLog) SetMix(t float32)           { s.mix = t }

// Layouts of two points whose first x names them.
var (
	lPCA   = []float32{1, 0, 2, 2}
	lUMAP  = []float32{10, 0, 12, 4}
	lUMAP2 = []float32{11, 0, 13, 4}
	lTSNE  = []float32{20, 0, 20, 10}
)

func name(p []float32) string {
	switch {
	case p == nil:
		return "nil"
	case p[0] == 1:
		return "pca"
	case p[0] == 10:
		return "umap"
	case p[0] == 11:
		return "umap2"
	case p[0] == 20:
		return "tsne"
	}
	return fmt.Sprintf("blend(%g)", p[0])
}

// step is one event fed to a scene: a snapshot of a layout, a switch, the
// clock advancing, or a fly-to a row.
type step struct {
	at    float64 // seconds since the start
	recv  int     // layout index that receives pos, or -1
	pos   []float32
	to    int // layout to switch to, or -1
	focus int // row to fly to, or -1
}

func recv(at float64, i int, p []float32) step { return step{at, i, p, -1, -1} }
func sw(at float64, i int) step                { return step{at, -1, nil, i, -1} }
func tick(at float64) step                     { return step{at, -1, nil, -1, -1} }
func fly(at float64, row int) step             { return step{at, -1, nil, -1, row} }

func TestSceneTransitions(t *testing.T) {
	const pca, umap, tsne = 0, 1, 2
	for _, tc := range []struct {
		name    string
		current int
		steps   []step
		// What holds after the steps.
		shown       string
		placeholder int
		active      bool
		calls       string // the sink's calls, in order
		check       func(t *testing.T, s *scene)
	}{
		{name: "first snapshot of the chosen layout shows at once", current: umap,
			steps: []step{recv(0, umap, lUMAP)}, shown: "umap", placeholder: -1, calls: "set umap"},
		{name: "another layout stands in until the chosen one arrives", current: umap,
			steps: []step{recv(0, pca, lPCA)}, shown: "pca", placeholder: pca, calls: "set pca"},
		{name: "placeholder replaced by the real layout animates from it", current: umap,
			steps: []step{recv(0, pca, lPCA), recv(1, umap, lUMAP)}, shown: "umap", placeholder: -1, active: true,
			calls: "set pca, from pca, to umap",
			check: func(t *testing.T, s *scene) {
				if s.trans.fromSize != s.spriteSizeOf(pca) {
					t.Errorf("the transition starts at the stand-in's sprite size %v, got %v", s.spriteSizeOf(pca), s.trans.fromSize)
				}
			}},
		{name: "a newer stand-in snapshot replaces the old one", current: tsne,
			steps: []step{recv(0, umap, lUMAP), recv(0.1, umap, lUMAP2)}, shown: "umap2", placeholder: umap, calls: "set umap, set umap2"},
		{name: "a snapshot mid-transition replaces only the target", current: umap,
			steps: []step{recv(0, pca, lPCA), recv(1, umap, lUMAP), tick(1.2), recv(1.3, umap, lUMAP2)},
			shown: "umap2", placeholder: -1, active: true, calls: "set pca, from pca, to umap, to umap2",
			check: func(t *testing.T, s *scene) {
				if name(s.trans.from) != "pca" {
					t.Errorf("the transition's start moved to %s", name(s.trans.from))
				}
			}},
		{name: "the transition ends exactly on the target", current: umap,
			steps: []step{recv(0, pca, lPCA), recv(1, umap, lUMAP), tick(1 + transitionSeconds)},
			shown: "umap", placeholder: -1, calls: "set pca, from pca, to umap",
			check: func(t *testing.T, s *scene) {
				if x, y := s.posOf(1); x != 12 || y != 4 {
					t.Errorf("sprite 1 at (%v, %v), want (12, 4)", x, y)
				}
			}},
		{name: "switch to a finished layout animates", current: pca,
			steps: []step{recv(0, pca, lPCA), recv(0, umap, lUMAP), sw(1, umap)}, shown: "umap", placeholder: -1, active: true,
			calls: "set pca, from pca, to umap"},
		{name: "switch to a layout with no positions keeps the shown one as stand-in", current: pca,
			steps: []step{recv(0, pca, lPCA), sw(1, tsne)}, shown: "pca", placeholder: pca, calls: "set pca"},
		{name: "switch while a transition runs continues from where the sprites are", current: pca,
			steps: []step{recv(0, pca, lPCA), recv(0, umap, lUMAP), recv(0, tsne, lTSNE), sw(1, umap), tick(1 + transitionSeconds/2), sw(1+transitionSeconds/2, tsne)},
			shown: "tsne", placeholder: -1, active: true,
			check: func(t *testing.T, s *scene) {
				// Half-way through pca -> umap the first sprite is at x = 5.5.
				if x, _ := s.posOf(0); math.Abs(x-5.5) > 1e-6 {
					t.Errorf("sprite 0 jumped to x = %v at the switch, want 5.5", x)
				}
				if !strings.HasPrefix(name(s.trans.from), "blend") {
					t.Errorf("new transition starts from %s, want the blended positions", name(s.trans.from))
				}
			}},
		{name: "fly-to a row during a switch heads for its place in the new layout", current: pca,
			steps: []step{recv(0, pca, lPCA), recv(0, umap, lUMAP), sw(1, umap), tick(1.1), fly(1.1, 1)},
			shown: "umap", placeholder: -1, active: true,
			check: func(t *testing.T, s *scene) {
				if !s.fly.active || s.fly.toX != 12 || s.fly.toY != 4 {
					t.Errorf("flight to (%v, %v) active %v, want (12, 4)", s.fly.toX, s.fly.toY, s.fly.active)
				}
				if s.follow {
					t.Error("the view still follows the layout after a fly-to")
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sink := &sinkLog{}
			cam := render.NewCamera(800, 600)
			s := newScene(sink, cam, 3, tc.current)
			t0 := time.Unix(1000, 0)
			for _, st := range tc.steps {
				now := t0.Add(time.Duration(st.at * float64(time.Second)))
				switch {
				case st.recv >= 0:
					s.receive(st.recv, st.pos, now)
				case st.to >= 0:
					s.switchTo(st.to, -1, now)
				case st.focus >= 0:
					s.focusRow(st.focus, 64, now)
				}
				s.update(now)
			}
			if got := name(s.shown()); got != tc.shown {
				t.Errorf("shown %s, want %s", got, tc.shown)
			}
			if s.placeholder != tc.placeholder {
				t.Errorf("placeholder %d, want %d", s.placeholder, tc.placeholder)
			}
			if s.trans.active != tc.active {
				t.Errorf("transition active %v, want %v", s.trans.active, tc.active)
			}
			if tc.calls != "" {
				if got := strings.Join(sink.calls, ", "); got != tc.calls {
					t.Errorf("sink calls %q, want %q", got, tc.calls)
				}
			}
			// What the GPU draws is what the scene says is drawn.
			if sink.to != nil && name(sink.to) != name(s.shown()) {
				t.Errorf("GPU target %s, scene shows %s", name(sink.to), name(s.shown()))
			}
			if !s.trans.active && sink.mix != 1 {
				t.Errorf("no transition but the GPU mix is %v", sink.mix)
			}
			if tc.check != nil {
				tc.check(t, s)
			}
		})
	}
}

func TestSceneKeepsSelectionInViewAcrossASwitch(t *testing.T) {
	s := newScene(&sinkLog{}, render.NewCamera(800, 600), 2, 0)
	now := time.Unix(1000, 0)
	s.receive(0, lPCA, now)
	s.receive(1, lUMAP, now)
	s.userMoved() // the user has panned: the view no longer follows the layout
	s.switchTo(1, 0, now)
	if !s.fly.active || s.fly.toX != 10 || s.fly.toY != 0 {
		t.Fatalf("flight to (%v, %v) active %v, want the selected row's new place (10, 0)", s.fly.toX, s.fly.toY, s.fly.active)
	}
}

func TestSceneForgetKeepsWhatIsShown(t *testing.T) {
	s := newScene(&sinkLog{}, render.NewCamera(800, 600), 3, 1)
	now := time.Unix(1000, 0)
	s.receive(0, lPCA, now) // stand-in for 1
	s.receive(2, lTSNE, now)
	s.forget(0)
	s.forget(1)
	s.forget(2)
	if !s.has(0) || s.has(2) {
		t.Errorf("after forget: has(pca) %v (shown, must stay), has(tsne) %v (must go)", s.has(0), s.has(2))
	}
}

func TestTransitionEndpointsAreExact(t *testing.T) {
	if easeInOut(0) != 0 || easeInOut(1) != 1 {
		t.Fatalf("ease(0)=%v ease(1)=%v", easeInOut(0), easeInOut(1))
	}
	from := []float32{1.5, -2.25, 3, 4}
	to := []float32{-7.125, 8, 0.1, 0.2}
	s := &scene{trans: transition{active: true, from: from, to: to}}
	for i := 0; i < 2; i++ {
		s.trans.mix = 0
		if x, y := s.posOf(i); x != float64(from[2*i]) || y != float64(from[2*i+1]) {
			t.Errorf("mix 0: sprite %d at (%v, %v), want from", i, x, y)
		}
		s.trans.mix = 1
		if x, y := s.posOf(i); x != float64(to[2*i]) || y != float64(to[2*i+1]) {
			t.Errorf("mix 1: sprite %d at (%v, %v), want to", i, x, y)
		}
	}
}

func TestAppendGrouped(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 70000: "70,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
}
