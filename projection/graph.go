package projection

// KNN is a k-nearest-neighbour graph over N points. Row i's neighbours are
// Index[i*K:(i+1)*K], nearest first, with their Euclidean (not squared)
// distances in Dist at the same positions. A point is never its own
// neighbour. Where fewer than K other points exist the row is padded with
// index -1 and distance +Inf.
type KNN struct {
	N, K  int
	Index []int32
	Dist  []float32
}

// NewKNN returns an empty graph for n points and k neighbours, every slot
// set to (-1, +Inf).
func NewKNN(n, k int) *KNN {
	g := &KNN{N: n, K: k, Index: make([]int32, n*k), Dist: make([]float32, n*k)}
	for i := range g.Index {
		g.Index[i] = -1
		g.Dist[i] = inf32
	}
	return g
}

// Neighbors returns row i's neighbour indices and distances, sharing storage.
func (g *KNN) Neighbors(i int) ([]int32, []float32) {
	return g.Index[i*g.K : (i+1)*g.K], g.Dist[i*g.K : (i+1)*g.K]
}
