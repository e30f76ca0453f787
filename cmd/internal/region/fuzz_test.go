package region

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzSelect checks, for any lasso and points, that Select's banded test
// agrees with the plain loop over every edge (Polygon.Contains), that it
// never panics, and that the count it returns is the set's. Coordinates
// are small integers over 8, so vertices, edges and points coincide often;
// the value 0x7fff stands for NaN and 0x7ffe for +Inf.
func FuzzSelect(f *testing.F) {
	f.Add([]byte{3, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 8, 0, 4, 0, 4, 0, 0, 0, 0, 0})
	f.Add([]byte{4, 0, 0, 0, 0, 32, 0, 32, 0, 32, 0, 0, 0, 0, 0, 32, 0, 16, 0, 16, 0, 16, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 1 {
			return
		}
		nv := int(data[0]) % 64
		var vals []float64
		for i := 1; i+1 < len(data); i += 2 {
			v := int16(binary.LittleEndian.Uint16(data[i:]))
			switch v {
			case 0x7fff:
				vals = append(vals, math.NaN())
			case 0x7ffe:
				vals = append(vals, math.Inf(1))
			default:
				vals = append(vals, float64(v)/8)
			}
		}
		nv = min(nv, len(vals)/2)
		poly := Polygon(vals[:2*nv])
		pts := vals[2*nv:]
		pos := make([]float32, len(pts)/2*2)
		for i := range pos {
			pos[i] = float32(pts[i])
		}
		s := NewSet(len(pos) / 2)
		got := Select(s, pos, poly, Replace)
		if got != s.Count() {
			t.Fatalf("Select returned %d, set counts %d", got, s.Count())
		}
		for i := 0; i < s.Len(); i++ {
			x, y := float64(pos[2*i]), float64(pos[2*i+1])
			if want := poly.Contains(x, y); s.Contains(i) != want {
				t.Fatalf("%v: (%v, %v): Select %v, Contains %v", poly, x, y, s.Contains(i), want)
			}
		}
	})
}
