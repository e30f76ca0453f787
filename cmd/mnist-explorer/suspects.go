package main

import "sort"

// suspectK is the number of pixel-space neighbours that vote on a label.
const suspectK = 10

// verdict is what a row's neighbours say about its label.
type verdict struct {
	suspect  bool  // most neighbours carry another label
	same     int   // neighbours that share the row's label
	k        int   // neighbours that voted
	majority uint8 // the other label most neighbours carry (the row's own when none do)
	votes    int   // how many carry it
}

// judge is the one rule for "suspicious label", used by the map's
// suspicious view and by the inspector panel alike: a row is suspicious
// when fewer than half of its neighbours nb (row indices; negative or out
// of range entries are ignored) share its label.
func judge(labels []uint8, row int, nb []int32) verdict {
	v := verdict{}
	var votes [256]int
	for _, j := range nb {
		if j < 0 || int(j) >= len(labels) {
			continue
		}
		l := labels[j]
		v.k++
		votes[l]++
		if l == labels[row] {
			v.same++
		}
	}
	v.majority = labels[row]
	for l, n := range votes {
		if l != int(labels[row]) && n > v.votes {
			v.majority, v.votes = uint8(l), n
		}
	}
	v.suspect = v.k > 0 && 2*v.same < v.k
	return v
}

// suspects are the rows the neighbour graph calls suspicious, with the
// graph kept so that the panel judges a row on the same neighbours.
type suspects struct {
	graph []int32 // N x k neighbour indices, row-major; nil until known
	k     int
	rows  []int32 // suspicious rows, ascending
	is    []bool  // per row
	at    int     // index into rows of the last N / Shift+N step; -1 for none
}

// newSuspects judges every row on graph (N x k indices).
func newSuspects(labels []uint8, graph []int32) *suspects {
	n := len(labels)
	s := &suspects{graph: graph, k: len(graph) / max(n, 1), is: make([]bool, n), rows: []int32{}, at: -1}
	for i := 0; i < n; i++ {
		if judge(labels, i, s.neighbors(i)).suspect {
			s.is[i] = true
			s.rows = append(s.rows, int32(i))
		}
	}
	return s
}

// neighbors returns row's neighbours in the graph.
func (s *suspects) neighbors(row int) []int32 { return s.graph[row*s.k : (row+1)*s.k] }

// step returns the next (dir 1) or previous (dir -1) suspicious row after
// from (a selected row, or -1 to continue from the last step) for which
// skip is false, or -1 when there is none.
func (s *suspects) step(from, dir int, skip func(row int) bool) int {
	if len(s.rows) == 0 {
		return -1
	}
	// at is the position the step starts from: the row's place in the
	// sorted list (between two entries when it is not suspicious).
	at := s.at
	if from >= 0 {
		at = sort.Search(len(s.rows), func(i int) bool { return int(s.rows[i]) >= from })
		member := at < len(s.rows) && int(s.rows[at]) == from
		if !member && dir > 0 {
			at--
		}
	} else if at < 0 && dir < 0 {
		at = 0
	}
	for range s.rows {
		at = (at + dir + len(s.rows)) % len(s.rows)
		if row := int(s.rows[at]); !skip(row) {
			s.at = at
			return row
		}
	}
	return -1
}
