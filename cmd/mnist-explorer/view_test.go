package main

import (
	"testing"
)

func TestTransitionEndpointsAreExact(t *testing.T) {
	if easeInOut(0) != 0 || easeInOut(1) != 1 {
		t.Fatalf("ease(0)=%v ease(1)=%v", easeInOut(0), easeInOut(1))
	}
	from := []float32{1.5, -2.25, 3, 4}
	to := []float32{-7.125, 8, 0.1, 0.2}
	a := &app{trans: transition{active: true, from: from, to: to}}
	for i := 0; i < 2; i++ {
		a.trans.mix = 0
		if x, y := a.posOf(i); x != float64(from[2*i]) || y != float64(from[2*i+1]) {
			t.Errorf("mix 0: sprite %d at (%v, %v), want from", i, x, y)
		}
		a.trans.mix = 1
		if x, y := a.posOf(i); x != float64(to[2*i]) || y != float64(to[2*i+1]) {
			t.Errorf("mix 1: sprite %d at (%v, %v), want to", i, x, y)
		}
	}
	a.trans.mix = 0.5
	if x, _ := a.posOf(0); x != (1.5-7.125)/2 {
		t.Errorf("mix 0.5: x = %v", x)
	}
	// A finished transition shows exactly the target.
	a.trans.active = false
	if x, y := a.posOf(1); x != float64(to[2]) || y != float64(to[3]) {
		t.Errorf("after: (%v, %v)", x, y)
	}
}

func TestAppendGrouped(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 70000: "70,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFindSuspects(t *testing.T) {
	labels := []uint8{0, 0, 0, 1, 1, 1}
	// k = 2 neighbours each; row 2 (a 0) sits among 1s, row 3 (a 1) has one of each.
	knn := []float32{1, 2, 0, 2, 3, 4, 4, 0, 3, 5, 3, 4}
	var s selection
	s.findSuspects(knn, labels)
	if len(s.suspects) != 1 || s.suspects[0] != 2 || !s.suspect[2] || s.suspect[3] {
		t.Errorf("suspects %v", s.suspects)
	}
}
