#!/usr/bin/env bash
# Regenerates the README's screenshots with the app's own screenshot
# feature, under Xvfb (Mesa llvmpipe) when there is no display. Layouts come
# from the cache when present (make bench-umap / bench-tsne fill it), else
# they are computed first.
set -euo pipefail
cd "$(dirname "$0")/.."
go build -o bin/ ./cmd/mnist-explorer
run() { if [ -n "${DISPLAY:-}" ]; then "$@"; else xvfb-run -a -s "-screen 0 1920x1200x24" "$@"; fi; }
app=./bin/mnist-explorer
run $app --layout umap --screenshot docs/umap.png
run $app --layout tsne --screenshot docs/tsne.png
run $app --layout pca --screenshot docs/pca.png
# The inspector on a digit, its 10 pixel-space neighbours and the lines to them: the third
# suspicious row (row 120, a 2 written like a 7), reached with N, with the dimmed view (L) off.
run $app --layout umap --script "wait-layout; wait-suspects; key n; key n; key n; key l; wait-neighbors; wait-frames 3; screenshot docs/inspect.png"
# Half-way through the animated switch from PCA to UMAP.
run $app --layout umap --script "wait-layout; key 1; wait-layout; key 2; hold 0.5; wait-frames 1; screenshot docs/transition.png"
# Suspicious labels: the map dims all but the digits whose neighbours disagree; N visits one.
run $app --layout umap --script "wait-layout; wait-suspects; key l; key n; wait-neighbors; wait-frames 2; screenshot docs/suspicious.png"
# Choosing with a lasso: the 3/5/8 junction, with the selection panel (counts per label, the images).
run $app --layout umap --export-dir "$(mktemp -d)" --script "wait-layout; wait-suspects; press 700 380 shift; move 860 360; move 950 440; move 890 515; move 790 500; move 745 470; release; move 1000 780; wait-seconds 5.5; screenshot docs/lasso.png"
# The review queue of suspicious labels (L), after keeping one label and accepting one suggestion.
run $app --layout umap --review-file "$(mktemp -u)" --script "wait-layout; wait-suspects; key l; wait-frames 3; wait-neighbors; key k; key enter; wait-frames 2; wait-neighbors; move 1000 780; wait-seconds 5.5; screenshot docs/review.png"
# Where 3s and 8s blend: the blend panel (C), then the 3-8 pair (4th listed on full MNIST) with its boundary digits.
run $app --layout umap --script "wait-layout; wait-suspects; key c; wait-frames 2; screenshot docs/blend-panel.png; move 760 312; click; move 1000 780; wait-frames 2; screenshot docs/boundary-3-8.png"
# UMAP's min_dist 0.8 variant (M), computed on the same neighbour graph, warm-started from UMAP.
run $app --layout umap --script "wait-layout; key m; wait-layout; move 1000 790; screenshot docs/umap-min-dist-0.8.png"
# UMAP coloured by how many of each digit's 15 nearest neighbours it shares with the min_dist 0.8 variant (V).
run $app --layout umap --script "wait-layout; key m; wait-layout; key 2; wait-layout; key v; wait-seconds 4; move 1000 790; wait-frames 1; screenshot docs/agreement.png"
# Sprites at two zoom levels: the whole UMAP, then 8 steps of + about the 4/9 border (native pixels and beyond).
run $app --layout umap --script "wait-layout; move 1000 790; wait-frames 2; screenshot docs/zoom-fit.png; move 930 600; key plus; key plus; key plus; key plus; key plus; key plus; key plus; key plus; key plus; key plus; key plus; key plus; move 1000 790; wait-frames 3; screenshot docs/zoom-close.png"
# The split view: UMAP beside t-SNE (the layout shown before), both coloured by neighbourhood agreement (B, V).
run $app --layout tsne --script "wait-layout; key 2; wait-layout; key b; wait-layout; key v; wait-seconds 5; move 1000 790; wait-frames 2; screenshot docs/split-agreement.png"
# A generated colour dataset (six classes of shapes in PNG with alpha, JPEG, GIF, BMP and TIFF, 20-120 px):
# each image in its own colours inside a frame of its label's colour.
shapes=$(mktemp -d)
MNIST_EXPLORER_SHAPES="$shapes/ds" go test ./cmd/mnist-explorer -run '^TestWriteShapesFolder$' -count=1 >/dev/null
XDG_CACHE_HOME="$shapes/cache" run $app --data "$shapes/ds" --layout umap --no-cache --script "wait-layout; wait-suspects; move 1000 790; wait-frames 2; screenshot docs/colour.png"
rm -rf "$shapes"
