//go:build !amd64

package projection

// hasAVX2FMA is false off amd64: the portable kernels run.
const hasAVX2FMA = false

func dotAVX2(x, y []float32) float32    { return dotGo(x, y) }
func sqDistAVX2(x, y []float32) float32 { return sqDistGo(x, y) }

func sqDistGatherAVX2(x, m []float32, idx []int32, out []float32, _ int) {
	sqDistGatherGo(x, m, idx, out)
}

func sqDistGatherU8AVX2(x, m []uint8, idx []int32, out []float32, _ int) {
	sqDistGatherU8Go(x, m, idx, out)
}

func dotGatherAVX2(x, m []float32, idx []int32, out []float32, _ int) {
	dotGatherGo(x, m, idx, out)
}
