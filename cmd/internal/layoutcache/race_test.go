//go:build race

package layoutcache

const raceEnabled = true
