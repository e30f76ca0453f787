#!/usr/bin/env bash
# Seed spread of UMAP quality on full MNIST: ours and umap-learn (seeded)
# with the same seeds, each layout scored by the same metrics code.
#   .ci/bench-umap-seeds.sh [SEED...]     (default seeds 1 2 3)
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench-out/seeds
mkdir -p "$out"
go build -o bin/ ./cmd/mnist-layout
data=$(./bin/mnist-layout --print-data-dir)
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3)
printf 'method\tseed\tknn_acc10\ttrust15\trecall15\n'
for s in "${seeds[@]}"; do
	./bin/mnist-layout --method umap --seed "$s" --out "$out/ours-$s.npy" --quiet >/dev/null
	/usr/bin/python3 .ci/bench/umap_learn.py "$data" 0 "$s" "$out/umap-learn-$s.npy" >/dev/null
	for m in ours umap-learn; do
		./bin/mnist-layout --eval "$out/$m-$s.npy" --quiet | awk -v m="$m" -v s="$s" \
			'$1=="knn_acc10"{a=$2} $1=="trust15"{t=$2} $1=="recall15"{r=$2} END{printf "%s\t%s\t%s\t%s\t%s\n", m, s, a, t, r}'
	done
done
