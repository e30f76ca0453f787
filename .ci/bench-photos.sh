#!/usr/bin/env bash
# Opening 10,000 JPEG photos of 500x375 pixels (issue 12, done-when 5): mnist.Open decoding them
# on all cores into thumbnails, and from the thumbnail cache (the second start); then the app's
# start to its first frame with sprites (MNIST_EXPLORER_TRACE), first and second start, with the
# app's peak RSS. Prints one line per figure.
#
#   .ci/bench-photos.sh [SCRATCH_DIR]
#
# The photos are generated once with Python/PIL (Debian's python3-pil) under
# SCRATCH_DIR/photos (default /var/tmp/mnist-explorer-photos): ten class folders of 1,000 each,
# smooth gradients with coloured ellipses and noise, JPEG quality 88 (~25 KB each).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
scratch=${1:-/var/tmp/mnist-explorer-photos}
dir="$scratch/photos"
mkdir -p "$scratch"

if [ ! -d "$dir/9" ]; then
	echo "bench-photos: writing 10,000 JPEG photos under $dir" >&2
	/usr/bin/python3 - "$dir" <<'PY'
import os, sys, random
from PIL import Image, ImageDraw, ImageFilter
root = sys.argv[1]
rng = random.Random(12)
W, H = 500, 375
for c in range(10):
    os.makedirs(os.path.join(root, str(c)), exist_ok=True)
    base = [(c * 97 + k * 53) % 256 for k in range(3)]
    for i in range(1000):
        top = tuple(max(0, min(255, v + rng.randint(-40, 40))) for v in base)
        bot = tuple(255 - v for v in top)
        grad = Image.linear_gradient("L").resize((W, H))
        im = Image.composite(Image.new("RGB", (W, H), top), Image.new("RGB", (W, H), bot), grad)
        d = ImageDraw.Draw(im)
        for _ in range(6):
            x, y, r = rng.randint(0, W), rng.randint(0, H), rng.randint(20, 120)
            d.ellipse((x - r, y - r * 3 // 4, x + r, y + r * 3 // 4), fill=tuple(rng.randint(0, 255) for _ in range(3)))
        im = im.filter(ImageFilter.GaussianBlur(1.5))
        noise = Image.effect_noise((W, H), 24).convert("RGB")
        im = Image.blend(im, noise, 0.12)
        im.save(os.path.join(root, str(c), "%04d.jpg" % i), quality=88)
PY
fi
files=$(find "$dir" -name '*.jpg' | wc -l)
echo "files      $files JPEG files under $dir ($(du -sh "$dir" | cut -f1))"
echo "load       $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) on $(nproc) cores"

go test -c -o "$scratch/mnist.test" ./mnist
bench() {
	(cd mnist && MNIST_BENCH_FOLDER="$dir" /usr/bin/time -f 'time %e %M' "$scratch/mnist.test" -test.run '^$' \
		-test.bench "^BenchmarkOpenMNISTFolder/$1\$" -test.benchtime 1x 2>&1) |
		awk -v re="^BenchmarkOpenMNISTFolder/$1(-[0-9]+)?\$" '$1 ~ re { wall = $3 / 1e9 } $1 == "time" { rss = $3 / 1024 }
			END { printf "%.2f s (peak RSS %.0f MiB)\n", wall, rss }'
}
echo "open       $(bench decode) decoding on all cores"
echo "cached     $(bench cached) from the thumbnail cache (the process first fills it)"

go build -o bin/ ./cmd/mnist-explorer
run() { if [ -n "${DISPLAY:-}" ]; then "$@"; else xvfb-run -a -s "-screen 0 1920x1200x24" "$@"; fi; }
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
# start LABEL: one start of the app on the photos with the PCA layout; prints the time from the
# process's start to the atlas on the GPU (the first frame with sprites follows at once: every
# sprite appears in that frame) and the app's peak RSS.
start() {
	out=$(XDG_CACHE_HOME="$cache" MNIST_EXPLORER_TRACE=1 run /usr/bin/time -f 'time %e %M' \
		./bin/mnist-explorer --data "$dir" --layout pca --no-cache --screenshot "$cache/shot.png" 2>&1)
	echo "$out" | awk -v label="$1" '
		/trace: start->pack/ { for (i = 1; i < NF; i++) { v = $(i+1); sub(/s,?$/, "", v); if ($i == "start->pack") a = v; if ($i == "pack") b = v; if ($i == "upload") c = v } }
		$1 == "time" { total = $2; rss = $3 / 1024 }
		END { printf "%-10s first (and every) sprite %.2f s after start (load %.2f + pack %.2f + upload %.2f); whole run with PCA %.1f s, peak RSS %.0f MiB\n", label, a + b + c, a, b, c, total, rss }'
}
start "app 1st"
start "app 2nd"
