//go:build !linux

package mnist

// rlimits returns no limits: the budget on other systems relies on
// GOMEMLIMIT or the fixed fallback.
func rlimits() []namedLimit { return nil }
