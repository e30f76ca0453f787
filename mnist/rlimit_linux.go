package mnist

import "syscall"

// rlimits returns the process's address-space and data limits (ulimit -v,
// ulimit -d) that are set.
func rlimits() []namedLimit {
	var out []namedLimit
	for _, r := range []struct {
		resource int
		name     string
	}{
		{syscall.RLIMIT_AS, "the address-space limit (ulimit -v)"},
		{syscall.RLIMIT_DATA, "the data limit (ulimit -d)"},
	} {
		var l syscall.Rlimit
		if syscall.Getrlimit(r.resource, &l) == nil && l.Cur < 1<<60 {
			out = append(out, namedLimit{int64(l.Cur), r.name})
		}
	}
	return out
}
