//go:build !amd64

package projection

// sgdAVX2 is false off amd64: the SGD's steps run in sgdStepsGo.
var sgdAVX2 = false

// sgdSteps runs the steps in sgdStepsGo.
func sgdSteps(pos []float32, heads, tails, nneg []int32, att, rep []float32, rng *sgdLaneRNG, n uint32, alpha float32) {
	sgdStepsGo(pos, heads, tails, nneg, att, rep, rng, n, alpha)
}
