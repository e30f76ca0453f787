package projection

import (
	"math/rand/v2"
	"testing"
)

// TestRefineSet checks the refine rounds' hash set against a map: over
// many resets (the generations) with members drawn from small and large
// ranges, add reports a new member exactly when the map lacks it, and a
// reset forgets every member; a wrapped generation clears the table.
func TestRefineSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 5))
	var s refineSet
	for round := 0; round < 300; round++ {
		n := 1 + rng.IntN(3000)
		s.reset(n)
		want := map[int32]bool{}
		span := int32(1 + rng.IntN(4*n))
		if round%3 == 0 {
			span = 1 << 30
		}
		for range n {
			l := rng.Int32N(span)
			if got := s.add(l); got != !want[l] {
				t.Fatalf("round %d: add(%d) = %v, map has it: %v", round, l, got, want[l])
			}
			want[l] = true
		}
	}
	s.reset(10)
	s.add(7)
	s.gen = ^uint32(0) // the next reset wraps
	s.reset(10)
	if !s.add(7) {
		t.Error("a member survived the generation's wrap")
	}
}
