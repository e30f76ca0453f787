package projection

import (
	"math"
	"math/bits"
)

// The SGD's arithmetic (umap_sgd.go): tabulated force coefficients, the
// gradient clip, the per-worker random generator and fast powers.

// umapForceTable tabulates a gradient coefficient f(d2) of the squared
// distance for d2 in [2^forceMinExp, 2^forceMaxExp), with 2^forceBinBits
// bins per octave, interpolated linearly in d2 within a bin. The bin and
// the position in it come straight from the float's exponent and mantissa
// bits, so a lookup costs a few integer operations and one multiply-add
// instead of a pow, a log and a division. With 64 bins per octave the
// relative error is below 2e-4 for UMAP's coefficients, which vary as
// powers of d2 between -2 and 0 (see TestUMAPForceTable).
type umapForceTable struct {
	tab []float32 // value and slope per bin, interleaved
}

const (
	forceMinExp  = -40
	forceMaxExp  = 40
	forceBinBits = 6
	forceLoBits  = uint32(127+forceMinExp) << 23
	forceSpan    = uint32(forceMaxExp-forceMinExp) << 23
	forceShift   = 23 - forceBinBits
	forceMask    = 1<<forceShift - 1
)

func newUMAPForceTable(f func(d2 float64) float64) umapForceTable {
	bins := (forceMaxExp - forceMinExp) << forceBinBits
	tab := make([]float32, 2*bins)
	node := func(k int) float64 {
		oct, j := k>>forceBinBits, k&(1<<forceBinBits-1)
		return math.Ldexp(1+float64(j)/(1<<forceBinBits), forceMinExp+oct)
	}
	for k := 0; k < bins; k++ {
		v0, v1 := f(node(k)), f(node(k+1))
		tab[2*k] = float32(v0)
		tab[2*k+1] = float32(v1 - v0)
	}
	return umapForceTable{tab: tab}
}

// at returns f(d2), or false if d2 is outside the table (zero included).
func (t *umapForceTable) at(d2 float32) (float32, bool) {
	r := math.Float32bits(d2) - forceLoBits
	if r >= forceSpan {
		return 0, false
	}
	k := 2 * (r >> forceShift)
	frac := float32(r&forceMask) * (1.0 / (forceMask + 1))
	return t.tab[k] + frac*t.tab[k+1], true
}

// clip4 clamps a gradient component to [-4, 4] (umap-learn's clip).
func clip4(x float32) float32 {
	if x > 4 {
		return 4
	}
	if x < -4 {
		return -4
	}
	return x
}

// umapRNG is a wyrand generator: one per worker, so a run with one worker
// is reproducible.
type umapRNG uint64

// newUMAPRNG returns the generator of worker w, its state a splitmix64 hash
// of (seed, w).
func newUMAPRNG(seed, w uint64) umapRNG {
	x := seed ^ (w+1)*0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return umapRNG(x ^ x>>31)
}

func (r *umapRNG) next() uint64 {
	*r += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(uint64(*r), uint64(*r)^0xe7037ed1a0b428db)
	return hi ^ lo
}

// fastLog2 and fastExp2 give x^y = fastExp2(y * fastLog2(x)) with relative
// error below 5e-6 for the moderate exponents UMAP uses, several times
// faster than math.Pow; the SGD uses them outside its force tables.

// fastLog2 returns log2(x) for finite x >= 2^-126 with absolute error below
// 3e-6: x = 2^k m with m in [sqrt(1/2), sqrt(2)) as in musl's logf, and a
// degree-6 least-squares polynomial in m-1.
func fastLog2(x float32) float32 {
	u := max(math.Float32bits(x), 0x00800000) // subnormals read as 2^-126
	k := int32(u-0x3f3504f3) >> 23
	t := math.Float32frombits(u-uint32(k<<23)) - 1
	p := t * (1.4427157640457153 + t*(-0.7211225032806396+t*(0.47932401299476624+
		t*(-0.3677044212818146+t*(0.32208916544914246+t*-0.20530098676681519)))))
	return float32(k) + p
}

// fastExp2 returns 2^y with relative error below 2e-7, flushing to 0 below
// 2^-126 and saturating at 2^127: 2^round(y) from the exponent bits times a
// degree-5 polynomial on [-1/2, 1/2].
func fastExp2(y float32) float32 {
	y = min(max(y, -126), 127)
	const shift = 12582912 // 1.5 * 2^23: adding it rounds to an integer
	r := y + shift
	f := y - (r - shift)
	n := int32(math.Float32bits(r) - 0x4b400000)
	p := 1.0000000755142242 + f*(0.6931472067162225+f*(0.24022107265229606+
		f*(0.05550327202258641+f*(0.009676041929916765+f*0.0013400436945742895))))
	return p * math.Float32frombits(uint32(n+127)<<23)
}
