#!/usr/bin/env bash
# Benchmarks a layout method on full MNIST against its references, in one run
# on one machine: ours (mnist-layout), then the references, each as its own
# process timed by itself; every layout is scored by the same metrics code.
#
#   .ci/bench-layout.sh umap|tsne [N]
#
# Writes bench-out/<method>-<N>.md (a markdown table) and a chart (PNG).
set -euo pipefail
cd "$(dirname "$0")/.."
method=${1:?usage: bench-layout.sh umap|tsne [N]}
n=${2:-70000}
seed=42
out=bench-out
mkdir -p "$out"
export PATH="$PATH:/usr/local/go/bin"

need() { # install the reference packages the run uses when missing (Debian)
	local missing=()
	/usr/bin/python3 -c 'import sklearn' 2>/dev/null || missing+=(python3-sklearn)
	if [ "$method" = umap ]; then
		/usr/bin/python3 -c 'import umap' 2>/dev/null || missing+=(umap-learn)
		[ -n "${BENCH_SKIP_UWOT:-}" ] || Rscript -e 'library(uwot)' >/dev/null 2>&1 || missing+=(r-cran-uwot)
	else
		[ -n "${BENCH_SKIP_RTSNE:-}" ] || Rscript -e 'library(Rtsne)' >/dev/null 2>&1 || missing+=(r-cran-rtsne)
	fi
	if [ ${#missing[@]} -gt 0 ]; then
		echo "bench: installing ${missing[*]}" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
			{ echo "bench: run: sudo apt-get install -y ${missing[*]}" >&2; exit 1; }
	fi
}
need
go build -o bin/ ./cmd/mnist-layout
data=$(go run ./cmd/mnist-layout --print-data-dir)

table="$out/$method-$n.md"
results="$out/$method-$n.tsv"
printf 'method\trows\tfit_wall_s\tpeak_rss_mb\tknn_acc10\ttrust15\trecall15\tkl\n' >"$results"

field() { awk -v k="$1" '$1==k {print $2}' "$2" | tail -1; }

score() { # name wall rss kl layout-file
	local name=$1 wall=$2 rss=$3 kl=$4 file=$5 log="$out/eval-$1.log"
	./bin/mnist-layout --n "$n" --eval "$file" --quiet >"$log"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$n" "$wall" "$rss" \
		"$(field knn_acc10 "$log")" "$(field trust15 "$log")" "$(field recall15 "$log")" "${kl:--}" >>"$results"
}

run_ours() { # label extra-flags...
	local label=$1; shift
	local log="$out/$label.log"
	echo "bench: $label" >&2
	./bin/mnist-layout --method "$method" --n "$n" --seed "$seed" --out "$out/$label.npy" --quiet "$@" | tee "$log" >&2
	score "$label" "$(field total "$log" | tr -d s)" "$(field peak_rss "$log")" "$(field kl "$log")" "$out/$label.npy"
}

run_ref() { # label command...
	local label=$1; shift
	local log="$out/$label.log"
	echo "bench: $label" >&2
	"$@" | tee "$log" >&2
}

case $method in
umap)
	run_ours "mnist-explorer-umap" --cache --recompute
	run_ours "mnist-explorer-umap-1worker" --workers 1
	run_ref umap-learn-seeded /usr/bin/python3 .ci/bench/umap_learn.py "$data" "$n" "$seed" "$out/umap-learn-seeded.npy"
	score umap-learn-seeded "$(field fit_wall_s "$out/umap-learn-seeded.log")" "$(field peak_rss_mb "$out/umap-learn-seeded.log")" "" "$out/umap-learn-seeded.npy"
	run_ref umap-learn-unseeded /usr/bin/python3 .ci/bench/umap_learn.py "$data" "$n" 0 "$out/umap-learn-unseeded.npy"
	score umap-learn-unseeded "$(field fit_wall_s "$out/umap-learn-unseeded.log")" "$(field peak_rss_mb "$out/umap-learn-unseeded.log")" "" "$out/umap-learn-unseeded.npy"
	if [ "${BENCH_SKIP_UWOT:-}" = "" ]; then
		run_ref uwot Rscript .ci/bench/uwot.R "$data" "$n" "$seed" "$out/uwot.csv"
		score uwot "$(field fit_wall_s "$out/uwot.log")" "$(field peak_rss_mb "$out/uwot.log")" "" "$out/uwot.csv"
	fi
	;;
tsne)
	# Ours with the default gradient ("auto": FFT, then Barnes-Hut) on the
	# first seed of BENCH_SEEDS (default 1 2 3) with the layout cache, ours
	# with Barnes-Hut only, FIt-SNE (built from its source into a scratch
	# folder by .ci/fitsne.sh), ours on the other seeds, then Rtsne and
	# scikit-learn (BENCH_SKIP_FITSNE, BENCH_SKIP_RTSNE, BENCH_SKIP_SKLEARN:
	# skip those).
	seeds=${BENCH_SEEDS:-1 2 3}
	run_ours "mnist-explorer-tsne-seed${seeds%% *}" --seed "${seeds%% *}" --cache --recompute
	run_ours "mnist-explorer-tsne-bh-seed${seeds%% *}" --seed "${seeds%% *}" --tsne-gradient bh
	if [ "${BENCH_SKIP_FITSNE:-}" = "" ]; then
		fitsne=$(.ci/fitsne.sh)
		run_ref fitsne /usr/bin/python3 .ci/bench/fitsne.py "$data" "$n" "$seed" "$out/fitsne.npy" "$fitsne"
		score fitsne "$(field fit_wall_s "$out/fitsne.log")" "$(field peak_rss_mb "$out/fitsne.log")" "$(field kl "$out/fitsne.log")" "$out/fitsne.npy"
	fi
	for s in ${seeds#* }; do
		[ "$s" = "${seeds%% *}" ] || run_ours "mnist-explorer-tsne-seed$s" --seed "$s"
	done
	if [ "${BENCH_SKIP_RTSNE:-}" = "" ]; then
		run_ref rtsne Rscript .ci/bench/rtsne.R "$data" "$n" "$seed" "$out/rtsne.csv"
		score rtsne "$(field fit_wall_s "$out/rtsne.log")" "$(field peak_rss_mb "$out/rtsne.log")" "$(field kl "$out/rtsne.log")" "$out/rtsne.csv"
	fi
	if [ "${BENCH_SKIP_SKLEARN:-}" = "" ]; then
		run_ref sklearn-tsne /usr/bin/python3 .ci/bench/sklearn_tsne.py "$data" "$n" "$seed" "$out/sklearn-tsne.npy"
		score sklearn-tsne "$(field fit_wall_s "$out/sklearn-tsne.log")" "$(field peak_rss_mb "$out/sklearn-tsne.log")" "$(field kl "$out/sklearn-tsne.log")" "$out/sklearn-tsne.npy"
	fi
	;;
*) echo "bench: unknown method $method" >&2; exit 2 ;;
esac

go run ./cmd/bench-report --in "$results" --md "$table" --png "$out/$method-$n.png"
cat "$table"
