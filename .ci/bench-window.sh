#!/usr/bin/env bash
# A layout computed in the window against headless (issue 15, done-when 4):
# PAIRS pairs, back to back, of
#   mnist-layout --method M                          (headless, load to layout)
#   mnist-explorer --layout M --no-cache --screenshot (the window under xvfb-run
#                                                     when there is no display)
# Prints one row per pair: the headless process's wall time, the window's
# task time ("<M> computed in", which includes any wait for the PCA stand-in)
# and its process wall time (start to screenshot), and their ratios.
#   .ci/bench-window.sh [umap|tsne] [PAIRS]
set -euo pipefail
cd "$(dirname "$0")/.."
method=${1:-umap}
pairs=${2:-3}
go build -o bin/ ./cmd/mnist-layout ./cmd/mnist-explorer
xrun=()
[ -n "${DISPLAY:-}" ] || xrun=(xvfb-run -a -s "-screen 0 1920x1200x24")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '| pair | load avg | headless s | window task s | window process s | task / headless | process / headless |\n'
printf '|---|---|---|---|---|---|---|\n'
for i in $(seq 1 "$pairs"); do
	load=$(cut -d' ' -f1 /proc/loadavg)
	/usr/bin/time -f '%e' -o "$tmp/h" ./bin/mnist-layout --method "$method" --out "$tmp/l.npy" --quiet >/dev/null
	/usr/bin/time -f '%e' -o "$tmp/w" "${xrun[@]}" ./bin/mnist-explorer --layout "$method" --no-cache \
		--screenshot "$tmp/s.png" >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
	h=$(tail -1 "$tmp/h")
	w=$(tail -1 "$tmp/w")
	task=$(grep -oE "(UMAP|t-SNE) computed in [0-9.]+s" "$tmp/log" | grep -oE "[0-9.]+s$" | tr -d s)
	awk -v i="$i" -v l="$load" -v h="$h" -v t="$task" -v w="$w" \
		'BEGIN{printf "| %d | %s | %.2f | %.1f | %.2f | %.2f | %.2f |\n", i, l, h, t, w, t/h, w/h}'
done
