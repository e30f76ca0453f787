#!/usr/bin/env bash
# Decoding a folder of 70,000 PNG files (all of MNIST, in class folders):
# mnist.Open (on all cores, on one, and from the thumbnail cache) against a
# Python/PIL loop over the same files, which opens each file and reads its
# pixels. Prints the times and the ratio.
#
#   .ci/bench-folder.sh [SCRATCH_DIR]
#
# The files are written once under SCRATCH_DIR/mnist-png (a fresh temporary
# directory by default, removed at the end) by a test helper
# (TestWriteMNISTFolder with MNIST_BENCH_FOLDER set); both sides then read
# them from the page cache. Needs Debian's python3-pil (installed when
# missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
if [ -n "${1:-}" ]; then
	scratch=$1
	mkdir -p "$scratch"
else
	scratch=$(mktemp -d)
	trap 'rm -rf "$scratch"' EXIT
fi
dir="$scratch/mnist-png"

if ! /usr/bin/python3 -c 'import PIL' 2>/dev/null; then
	echo "bench-folder: installing python3-pil" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pil >/dev/null ||
		{ echo "bench-folder: run: sudo apt-get install -y python3-pil" >&2; exit 1; }
fi

if [ ! -d "$dir/9" ]; then
	echo "bench-folder: writing 70,000 PNG files under $dir" >&2
	MNIST_BENCH_FOLDER="$dir" go test ./mnist -run '^TestWriteMNISTFolder$' -count=1 -timeout 60m >/dev/null
fi
files=$(find "$dir" -name '*.png' | wc -l)
echo "files      $files PNG files under $dir ($(du -sh "$dir" | cut -f1))"

go test -c -o "$scratch/mnist.test" ./mnist
# run NAME: one sub-benchmark in its own process; prints "wall cpu rss":
# the Open's time, the process's user+system CPU time and its peak RSS.
run() {
	local out
	out=$(cd mnist && MNIST_BENCH_FOLDER="$dir" /usr/bin/time -f 'time %U %S %M' \
		"$scratch/mnist.test" -test.run '^$' -test.bench "^BenchmarkOpenMNISTFolder/$1\$" -test.benchtime 1x 2>&1)
	echo "$out" | awk -v re="^BenchmarkOpenMNISTFolder/$1(-[0-9]+)?\$" '
		$1 ~ re { wall = $3 / 1e9 }
		$1 == "time" { cpu = $2 + $3; rss = $4 / 1024 }
		END { if (wall == "") exit 1; printf "%.3f %.2f %.0f\n", wall, cpu, rss }'
}
read -r go_all go_all_cpu go_all_rss <<<"$(run decode)"
read -r go_one go_one_cpu _ <<<"$(run decode-1-worker)"
read -r go_cached _ go_cached_rss <<<"$(run cached)"

py=$( { /usr/bin/time -f 'time %U %S %M' /usr/bin/python3 - "$dir" 2>&1; } <<'PY'
import os, sys, time
from PIL import Image
root = sys.argv[1]
start = time.perf_counter()
paths = []
for top, dirs, names in sorted(os.walk(root)):
    paths += [os.path.join(top, n) for n in sorted(names) if n.endswith(".png")]
pixels = 0
for p in paths:
    with Image.open(p) as im:
        pixels += len(im.convert("L").tobytes())
print(f"{len(paths)} {pixels} {time.perf_counter() - start:.3f}")
PY
)
read -r py_files py_pixels py_secs <<<"$(echo "$py" | head -n 1)"
py_cpu=$(echo "$py" | awk '$1 == "time" { printf "%.2f", $2 + $3 }')

cores=$(nproc)
echo "load       $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) on $cores cores"
echo "go         $go_all s on $cores cores ($go_all_cpu s CPU, peak RSS $go_all_rss MiB), $go_one s on 1 core ($go_one_cpu s CPU)"
echo "go cached  $go_cached s from the thumbnail cache (second start; the process's peak RSS $go_cached_rss MiB, with the first start)"
echo "python     $py_secs s, $py_cpu s CPU (PIL $(/usr/bin/python3 -c 'import PIL; print(PIL.__version__)'), one process, $py_files files, $py_pixels pixels)"
awk -v p="$py_secs" -v a="$go_all" -v o="$go_one" -v pc="$py_cpu" -v ac="$go_all_cpu" -v c="$cores" 'BEGIN {
	printf "ratio      %.1fx faster on %d cores, %.1fx on one core; %.1fx less CPU\n", p / a, c, p / o, pc / ac }'
