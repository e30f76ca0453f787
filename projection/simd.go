package projection

// Portable float32 kernels: the reference for the assembly of
// simd_amd64.s (TestSIMDKernelsMatchGo) and the code that runs where the
// CPU lacks AVX2 or FMA. Four accumulators let the compiler overlap the
// additions, as the assembly's lanes do.

// dotGo returns x.y over len(x) elements; y must be at least as long as x.
func dotGo(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// sqDistGo returns |x-y|^2 over len(x) elements; y must be at least as long
// as x.
func sqDistGo(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		d0 := x[i] - y[i]
		d1 := x[i+1] - y[i+1]
		d2 := x[i+2] - y[i+2]
		d3 := x[i+3] - y[i+3]
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(x); i++ {
		d := x[i] - y[i]
		s0 += d * d
	}
	return (s0 + s1) + (s2 + s3)
}

// sqDistGatherGo sets out[i] = |x - row idx[i] of m|^2 for rows of len(x)
// values.
func sqDistGatherGo(x, m []float32, idx []int32, out []float32) {
	d := len(x)
	for i, j := range idx {
		out[i] = sqDistGo(x, m[int(j)*d:int(j+1)*d])
	}
}

// maxU8Dims is the longest byte row whose squared distance fits an int32:
// 33,000 * 255^2 < 2^31.
const maxU8Dims = 33000

// sqDistU8Go returns sum (x[c]-y[c])^2 over len(x) bytes, exactly; y must be
// at least as long as x and len(x) <= maxU8Dims.
func sqDistU8Go(x, y []uint8) int32 {
	y = y[:len(x)]
	var s0, s1 int32
	i := 0
	for ; i+2 <= len(x); i += 2 {
		d0 := int32(x[i]) - int32(y[i])
		d1 := int32(x[i+1]) - int32(y[i+1])
		s0 += d0 * d0
		s1 += d1 * d1
	}
	if i < len(x) {
		d := int32(x[i]) - int32(y[i])
		s0 += d * d
	}
	return s0 + s1
}

// sqDistGatherU8Go sets out[i] = sqDistU8Go(x, row idx[i] of m) (as
// float32) for rows of len(x) bytes.
func sqDistGatherU8Go(x, m []uint8, idx []int32, out []float32) {
	d := len(x)
	for i, j := range idx {
		out[i] = float32(sqDistU8Go(x, m[int(j)*d:int(j+1)*d]))
	}
}

// dotGatherGo sets out[i] = x . row idx[i] of m for rows of len(x) values.
func dotGatherGo(x, m []float32, idx []int32, out []float32) {
	d := len(x)
	for i, j := range idx {
		out[i] = dotGo(x, m[int(j)*d:int(j+1)*d])
	}
}
