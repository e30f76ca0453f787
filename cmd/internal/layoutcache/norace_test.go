//go:build !race

package layoutcache

// raceEnabled reports whether the race detector is on.
const raceEnabled = false
