// Package compare holds the numerics behind the explorer's "understand the
// map" views, pure Go and free of GL:
//
//   - class mixing from a neighbour graph (Confusion, Boundary, OnBoundary):
//     for each pair of classes, how many of one class's nearest neighbours
//     carry the other's label, a ranked list of the most blended pairs, and
//     the boundary rows (those with a neighbour of the other class) that the
//     map outlines;
//   - neighbourhood agreement between two 2-D layouts of the same rows
//     (Agreement, LayoutNeighbors, NeighborAgreement, MostDifferent): the
//     share of a row's k nearest neighbours in layout A that are also among
//     its k nearest in layout B, which compares layouts whose coordinate
//     systems have nothing in common (raw displacement would not).
//
// Neighbour graphs are N x k row-major []int32 with -1 (any negative value)
// for an empty slot, the layout of projection.KNN.Index, so a graph from
// projection.NearestNeighbors passes as g.Index, g.K.
package compare
