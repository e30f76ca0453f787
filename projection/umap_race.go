//go:build race

package projection

// Under the race detector the UMAP SGD runs on one goroutine: its hogwild
// updates are intended races that would otherwise be reported.
func init() { raceEnabled = true }
