package projection

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync/atomic"
)

// perplexityTol is how close each row's entropy (in nats) comes to
// log(perplexity).
const perplexityTol = 1e-5

// TSNEAffinities computes t-SNE's joint probabilities P from a kNN graph.
// For each point a Gaussian bandwidth is found by a safeguarded Newton
// search so that the conditional distribution p(j|i) over its neighbours has
// entropy log(perplexity) within 1e-5 nats; P is then symmetrised as
// (P_cond + P_cond^T) / (2N). The result is a symmetric CSR matrix with an
// empty diagonal whose values add up to 1. Padding slots (index -1) and
// self-references in g are skipped.
//
// Of s only Perplexity (with its default, lowered for small N as TSNE
// does) and Workers are used. Rows are computed by up to s.Workers
// goroutines; the result does not depend on their number. The context is
// checked between blocks of rows.
func TSNEAffinities(ctx context.Context, g *KNN, s TSNESettings) (*CSR, error) {
	if g == nil || g.N < 0 || g.K < 0 || len(g.Index) != g.N*g.K || len(g.Dist) != g.N*g.K {
		return nil, fmt.Errorf("projection: malformed kNN graph")
	}
	s = s.withDefaults(g.N)
	if err := s.check(); err != nil {
		return nil, err
	}
	perplexity, workers := s.Perplexity, s.Workers
	n, k := g.N, g.K
	valid := func(i int, nb int32) bool { return nb >= 0 && int(nb) != i && int(nb) < n }
	cond := &CSR{N: n, RowPtr: make([]int, n+1)}
	for i := 0; i < n; i++ {
		cnt := 0
		for _, nb := range g.Index[i*k : (i+1)*k] {
			if valid(i, nb) {
				cnt++
			}
		}
		cond.RowPtr[i+1] = cond.RowPtr[i] + cnt
	}
	cond.Col = make([]int32, cond.RowPtr[n])
	cond.Val = make([]float32, cond.RowPtr[n])
	logPerp := math.Log(perplexity)
	const block = 512
	var next atomic.Int64
	nblock := (n + block - 1) / block
	parallelWorkers(workers, func(int) {
		d2 := make([]float64, k)
		type entry struct {
			c int32
			v float32
		}
		buf := make([]entry, k)
		for {
			b := int(next.Add(1) - 1)
			if b >= nblock || ctx.Err() != nil {
				return
			}
			for i := b * block; i < min((b+1)*block, n); i++ {
				idx, dist := g.Neighbors(i)
				m := 0
				for j, nb := range idx {
					if valid(i, nb) {
						d2[m] = float64(dist[j]) * float64(dist[j])
						buf[m].c = nb
						m++
					}
				}
				condRow(d2[:m], logPerp)
				for j := range m {
					buf[j].v = float32(d2[j])
				}
				row := buf[:m]
				slices.SortFunc(row, func(x, y entry) int { return int(x.c) - int(y.c) })
				lo := cond.RowPtr[i]
				for j, e := range row {
					cond.Col[lo+j] = e.c
					cond.Val[lo+j] = e.v
				}
			}
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("projection: t-SNE affinities: %w", err)
	}
	return symmetrizeJoint(cond, 1/(2*float64(n)), workers), nil
}

// symmetrizeJoint returns P with P[i,j] = (c[i,j] + c[j,i]) * scale on the
// union of the patterns of c and its transpose, entries that come to 0
// dropped: what c.Symmetrize gives with f(x, y) = float32((x + y) * scale)
// in float64, value for value, but without c's transpose and without
// growing the result by appending, so the stage holds c and one array of
// 2*NNZ(c) entries (Symmetrize held c, its transpose and a result grown by
// appending: at a million rows and 90 neighbours, 3.9 GB at its peak;
// this, 2.2 GB). c's rows must be sorted by column.
//
// Each row of P is given room for its own entries and its in-degree: it
// first holds its own entries (c's row) and then every c[j,i], which
// arrive in increasing j; the two sorted runs are merged, pairs combined
// and zeros dropped, and the rows are finally packed. The workers own
// ranges of rows and write only those, so the result does not depend on
// their number.
func symmetrizeJoint(c *CSR, scale float64, workers int) *CSR {
	n := c.N
	f := func(x, y float32) float32 { return float32((float64(x) + float64(y)) * scale) }
	p := &CSR{N: n, RowPtr: make([]int, n+1)}
	for _, i := range c.Col {
		p.RowPtr[i+1]++
	}
	for i := 0; i < n; i++ {
		p.RowPtr[i+1] += p.RowPtr[i] + c.RowPtr[i+1] - c.RowPtr[i]
	}
	// Room for the optimiser's padding too, so that it can renumber into
	// this P instead of a third copy (tsneObjective.adopt).
	room := p.RowPtr[n] + tsnePadRoom(n)
	p.Col = make([]int32, p.RowPtr[n], room)
	p.Val = make([]float32, p.RowPtr[n], room)
	size := make([]int, n) // each row's length once merged
	parallelRanges(n, workers, func(_, lo, hi int) {
		fill := make([]int, hi-lo) // next free slot of each row's tail
		for i := lo; i < hi; i++ {
			cc, cv := c.Row(i)
			copy(p.Col[p.RowPtr[i]:], cc)
			copy(p.Val[p.RowPtr[i]:], cv)
			fill[i-lo] = p.RowPtr[i] + len(cc)
		}
		for j := 0; j < n; j++ {
			for e := c.RowPtr[j]; e < c.RowPtr[j+1]; e++ {
				if i := int(c.Col[e]); i >= lo && i < hi {
					t := fill[i-lo]
					p.Col[t], p.Val[t] = int32(j), c.Val[e]
					fill[i-lo]++
				}
			}
		}
		var sc []int32
		var sv []float32
		for i := lo; i < hi; i++ {
			a, b := p.RowPtr[i], p.RowPtr[i+1]
			sc, sv = append(sc[:0], p.Col[a:b]...), append(sv[:0], p.Val[a:b]...)
			own := c.RowPtr[i+1] - c.RowPtr[i]
			x, y, w := 0, own, a
			for x < own || y < len(sc) {
				var col int32
				var v float32
				switch {
				case y == len(sc) || (x < own && sc[x] < sc[y]):
					col, v = sc[x], f(sv[x], 0)
					x++
				case x == own || sc[y] < sc[x]:
					col, v = sc[y], f(0, sv[y])
					y++
				default:
					col, v = sc[x], f(sv[x], sv[y])
					x++
					y++
				}
				if v != 0 {
					p.Col[w], p.Val[w] = col, v
					w++
				}
			}
			size[i] = w - a
		}
	})
	// Pack the rows.
	w := 0
	for i := 0; i < n; i++ {
		a := p.RowPtr[i]
		p.RowPtr[i] = w
		copy(p.Col[w:], p.Col[a:a+size[i]])
		copy(p.Val[w:], p.Val[a:a+size[i]])
		w += size[i]
	}
	p.RowPtr[n] = w
	p.Col, p.Val = p.Col[:w], p.Val[:w]
	return p
}

// condRow replaces the squared distances d2 by the conditional
// probabilities p(j|i) = exp(-beta d2_j) / sum, with beta chosen so that
// their entropy is logPerp. It returns beta and the entropy reached.
func condRow(d2 []float64, logPerp float64) (beta, h float64) {
	m := len(d2)
	if m == 0 {
		return 0, 0
	}
	// Shift by the smallest distance: this changes neither p nor H and
	// keeps exp from underflowing for far-away neighbourhoods.
	dmin := math.Inf(1)
	for _, d := range d2 {
		dmin = min(dmin, d)
	}
	mean := 0.0
	for _, d := range d2 {
		mean += d - dmin
	}
	mean /= float64(m)
	// entropy returns H(beta) and its derivative with respect to log beta.
	entropy := func(beta float64) (h, dh float64) {
		var s, e1, e2 float64
		for _, d := range d2 {
			x := d - dmin
			p := math.Exp(-beta * x)
			s += p
			e1 += p * x
			e2 += p * x * x
		}
		e1 /= s
		e2 /= s
		return math.Log(s) + beta*e1, -beta * beta * (e2 - e1*e1)
	}
	beta = 1.0
	if mean > 0 {
		beta = 1 / mean
	}
	lo, hi := 0.0, math.Inf(1)
	for it := 0; it < 200; it++ {
		var dh float64
		h, dh = entropy(beta)
		f := h - logPerp
		if math.Abs(f) < perplexityTol {
			break
		}
		if f > 0 { // too flat: sharpen
			lo = beta
		} else {
			hi = beta
		}
		nb := math.NaN()
		if dh < 0 {
			nb = beta * math.Exp(-f/dh) // Newton step in log beta
		}
		if !(nb > lo && nb < hi) {
			switch {
			case math.IsInf(hi, 1):
				nb = beta * 4
			case lo == 0:
				nb = beta / 4
			default:
				nb = math.Sqrt(lo * hi)
			}
		}
		if nb == beta {
			break
		}
		beta = nb
	}
	s := 0.0
	for j, d := range d2 {
		p := math.Exp(-beta * (d - dmin))
		d2[j] = p
		s += p
	}
	for j := range d2 {
		d2[j] /= s
	}
	return beta, h
}
