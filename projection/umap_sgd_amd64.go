package projection

import "golang.org/x/sys/cpu"

// sgdAVX2 says whether the SGD's steps run in sgdStepsAVX2 (tests switch
// it off to compare with sgdStepsGo).
var sgdAVX2 = cpu.X86.HasAVX2

// sgdStepsAVX2 is sgdStepsGo with each group of a step's lanes in the
// lanes of an AVX2 vector: the same values, bit for bit. len(heads), len(tails) and
// len(nneg) are equal multiples of sgdLanes (extra entries are ignored);
// every head and tail indexes a point of pos, n is at most the number of
// points, and att and rep are force tables of newUMAPForceTable's size.
//
//go:noescape
func sgdStepsAVX2(pos []float32, heads, tails, nneg []int32, att, rep []float32, rng *sgdLaneRNG, n uint32, alpha float32)

// sgdSteps runs the steps in sgdStepsAVX2 where the CPU has AVX2, else in
// sgdStepsGo.
func sgdSteps(pos []float32, heads, tails, nneg []int32, att, rep []float32, rng *sgdLaneRNG, n uint32, alpha float32) {
	if sgdAVX2 {
		sgdStepsAVX2(pos, heads, tails, nneg, att, rep, rng, n, alpha)
		return
	}
	sgdStepsGo(pos, heads, tails, nneg, att, rep, rng, n, alpha)
}
