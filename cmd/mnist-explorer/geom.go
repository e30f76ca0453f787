package main

import (
	"math"
)

// bounds returns the bounding box (min x, min y, max x, max y) of the
// finite points of pos; (-1, -1, 1, 1) when there are none.
func bounds(pos []float32) [4]float64 {
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for i := 0; i+1 < len(pos); i += 2 {
		x, y := float64(pos[i]), float64(pos[i+1])
		if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
			continue
		}
		b[0], b[1] = math.Min(b[0], x), math.Min(b[1], y)
		b[2], b[3] = math.Max(b[2], x), math.Max(b[3], y)
	}
	if b[0] > b[2] {
		return [4]float64{-1, -1, 1, 1}
	}
	return b
}

func easeInOut(t float64) float64 { return t * t * (3 - 2*t) }

func lerp(a, b, t float64) float64 { return a + (b-a)*t }
