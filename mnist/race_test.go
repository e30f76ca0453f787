//go:build race

package mnist

// The race detector cannot start under the small address-space limit of the
// memory-limit tests.
func init() { raceBuild = true }
