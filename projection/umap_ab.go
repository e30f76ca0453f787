package projection

import "math"

// FitUMAPCurve returns the parameters a and b of UMAP's low-dimensional
// similarity 1 / (1 + a d^(2b)) that best fit, in least squares, the offset
// exponential 1 for d < minDist and exp(-(d - minDist) / spread) beyond, on
// 300 evenly spaced d in [0, 3 spread]: umap-learn's find_ab_params, which
// calls scipy's curve_fit from (a, b) = (1, 1). Here a Levenberg-Marquardt
// iteration with the analytic Jacobian finds the same minimum; for
// minDist 0.1 and spread 1 it gives a ≈ 1.577, b ≈ 0.895.
func FitUMAPCurve(spread, minDist float64) (a, b float64) {
	const m = 300
	var xs, ys [m]float64
	for i := range xs {
		x := 3 * spread * float64(i) / (m - 1)
		xs[i] = x
		if x < minDist {
			ys[i] = 1
		} else {
			ys[i] = math.Exp(-(x - minDist) / spread)
		}
	}
	// sse returns the sum of squared residuals at (a, b).
	sse := func(a, b float64) float64 {
		var s float64
		for i, x := range xs {
			r := 1/(1+a*math.Pow(x, 2*b)) - ys[i]
			s += r * r
		}
		return s
	}
	a, b = 1, 1
	cost := sse(a, b)
	lambda := 1e-3
	for iter := 0; iter < 500; iter++ {
		// Normal equations J^T J d = -J^T r.
		var jaa, jab, jbb, ga, gb float64
		for i, x := range xs {
			if x == 0 {
				continue // f = 1 and both derivatives vanish
			}
			p := math.Pow(x, 2*b)
			den := 1 + a*p
			f := 1 / den
			r := f - ys[i]
			da := -p * f * f
			db := -a * p * 2 * math.Log(x) * f * f
			jaa += da * da
			jab += da * db
			jbb += db * db
			ga += da * r
			gb += db * r
		}
		improved := false
		for try := 0; try < 30; try++ {
			haa, hbb := jaa*(1+lambda), jbb*(1+lambda)
			det := haa*hbb - jab*jab
			if det == 0 || math.IsNaN(det) {
				lambda *= 10
				continue
			}
			stepA := -(hbb*ga - jab*gb) / det
			stepB := -(haa*gb - jab*ga) / det
			na, nb := a+stepA, b+stepB
			if na <= 0 || nb <= 0 {
				lambda *= 10
				continue
			}
			if c := sse(na, nb); c <= cost {
				rel := (cost - c) / math.Max(cost, 1e-300)
				a, b, cost = na, nb, c
				lambda = math.Max(lambda/10, 1e-12)
				improved = true
				if rel < 1e-15 && math.Abs(stepA) < 1e-12*a && math.Abs(stepB) < 1e-12*b {
					return a, b
				}
				break
			}
			lambda *= 10
		}
		if !improved {
			break
		}
	}
	return a, b
}
