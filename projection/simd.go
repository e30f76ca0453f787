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
