package projection

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestMakeHugeBacksLargeSlicesWithHugePages: makeHuge returns zeroed slices
// of the asked length, and where the system gives transparent huge pages
// on request, a large one written through is backed by them.
func TestMakeHugeBacksLargeSlicesWithHugePages(t *testing.T) {
	small := makeHuge[int32](1000)
	large := makeHuge[float32](64 << 20 / 4)
	if len(small) != 1000 || len(large) != 16<<20 {
		t.Fatalf("lengths %d, %d", len(small), len(large))
	}
	for i := range large {
		if large[i] != 0 {
			t.Fatalf("value %d is %v, not zero", i, large[i])
		}
		large[i] = 1
	}
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !(strings.Contains(string(mode), "[madvise]") || strings.Contains(string(mode), "[always]")) {
		t.Logf("transparent huge pages not available on request here (%q, %v): only the values are checked", mode, err)
		return
	}
	// At least one huge page: the kernel falls back to small pages where it
	// cannot compact memory; without the advice there are none at all.
	kb := anonHugeKB(t, uintptr(unsafe.Pointer(&large[len(large)/2])))
	if kb < 2<<10 {
		t.Errorf("the 64 MB slice's mapping has %d kB of huge pages; want some", kb)
	}
	t.Logf("%d kB of the 64 MB slice's mapping in huge pages", kb)
}

// anonHugeKB returns the AnonHugePages of the mapping of /proc/self/smaps
// that holds address a.
func anonHugeKB(t *testing.T, a uintptr) int {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(fields[0], "-"); ok && !strings.HasSuffix(fields[0], ":") {
			l, err1 := strconv.ParseUint(lo, 16, 64)
			h, err2 := strconv.ParseUint(hi, 16, 64)
			in = err1 == nil && err2 == nil && uint64(a) >= l && uint64(a) < h
			continue
		}
		if in && fields[0] == "AnonHugePages:" {
			kb, _ := strconv.Atoi(fields[1])
			return kb
		}
	}
	t.Fatalf("no mapping holds %#x", a)
	return 0
}
