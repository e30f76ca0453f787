#!/usr/bin/env bash
# Time from process start to the first frame, and to the first frame with
# all digits drawn (PCA), on full MNIST, 5 runs each, under the display in
# $DISPLAY or Xvfb (Mesa llvmpipe).
set -euo pipefail
cd "$(dirname "$0")/.."
run() { if [ -n "${DISPLAY:-}" ]; then "$@"; else xvfb-run -a -s "-screen 0 1920x1200x24" "$@"; fi; }
for layout in pca umap; do
	for i in 1 2 3 4 5; do
		run ./bin/mnist-explorer --layout "$layout" --timings 2>/dev/null | tr '\n' ' '
		echo " (layout $layout, run $i)"
	done
done
