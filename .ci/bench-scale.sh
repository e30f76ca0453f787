#!/usr/bin/env bash
# The scaling study of issue 15: our UMAP and t-SNE (mnist-layout) at growing
# row counts, each run its own process, timed stage by stage.
#
#   .ci/bench-scale.sh                    # SIZES="10000 70000 280000 1000000"
#   SIZES="10000 70000" METHODS=umap .ci/bench-scale.sh
#   STOP_AT=19:50 .ci/bench-scale.sh      # stop a run still going at 19:50 (UTC)
#   CELL=0 .ci/bench-scale.sh             # the loader's own image size (default 28)
#   .ci/bench-scale.sh report             # only redraw the table and chart
#
# Sizes up to 70,000 are plain MNIST (--n). Larger ones are MNIST digits
# with small random shifts and rotations (.ci/genparquet), written as
# Parquet into SCALE_DATA (default /var/tmp, never the repository) when
# missing: /var/tmp/mnist280k, /var/tmp/mnist1m. Each size runs every method
# in METHODS (default "umap tsne") before the next size.
#
# Appends one row per run to bench-out/scale.tsv (OUT): seconds of each stage
# (load is the dataset's reading and decoding, outside "total"), total, wall
# time of the process, peak RSS, the load average (1 minute) at its start
# and end, and its status: "ok", or how far a stopped run got. A stopped
# run's stage times come from its progress line (it runs on a pseudo
# terminal for that). Then writes bench-out/scale.md and docs/bench-scale.png
# (cmd/bench-report --scale).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
out=${OUT:-bench-out}
tsv=$out/scale.tsv
sizes=${SIZES:-10000 70000 280000 1000000}
methods=${METHODS:-umap tsne}
seed=${SEED:-42}
# Every size is laid out on 28x28 pixels: without --cell the loader shrinks
# the images of a large dataset (12x12 at a million rows, mnist.CellFor),
# which would change the problem along with N.
cell=${CELL:-28}
scale_data=${SCALE_DATA:-/var/tmp}
mkdir -p "$out"

report() {
	go run ./cmd/bench-report --scale --in "$tsv" --md "$out/scale.md" --png docs/bench-scale.png
	cat "$out/scale.md"
}
if [ "${1:-}" = report ]; then
	report
	exit 0
fi

go build -o bin/ ./cmd/mnist-layout
[ -s "$tsv" ] || printf 'method\trows\tload_s\tpca_s\tknn_s\tgraph_s\tinit_s\toptimize_s\ttotal_s\twall_s\tpeak_rss_mb\tloadavg_start\tloadavg_end\tstatus\n' >"$tsv"

# dataset N: the --data folder for N rows (empty: the default MNIST), made
# when missing.
dataset() {
	local n=$1 name dir
	[ "$n" -le 70000 ] && return 0
	if [ $((n % 1000000)) -eq 0 ]; then name=mnist$((n / 1000000))m; else name=mnist$((n / 1000))k; fi
	dir=$scale_data/$name
	if [ ! -d "$dir/data" ]; then
		echo "bench-scale: writing $n rows into $dir (minutes)" >&2
		rm -rf "$dir.tmp"
		go run ./.ci/genparquet/main.go -n "$n" -out "$dir.tmp" >&2
		mv "$dir.tmp" "$dir"
	fi
	echo "$dir/data"
}

loadavg() { cut -d' ' -f1 /proc/loadavg; }

# stage NAME LOG: the seconds mnist-layout printed for stage NAME.
stage() { awk -v k="$1" '$1==k && $2 ~ /^[0-9]+\.[0-9][0-9]s$/ {sub(/s$/, "", $2); print $2}' "$2" | tail -1; }

# progress LOG: for a run stopped before it printed its stages, the seconds
# of each stage it began, from the progress line ("stage [===] 43%  12.3s",
# seconds since the layout began), as "name=seconds" words, the last stage
# with its percentage.
progress() {
	awk '
		$NF ~ /^[0-9]+\.[0-9]s$/ && NF >= 2 {
			t = $NF; sub(/s$/, "", t); name = $1
			if (!(name in first)) { order[++k] = name; first[name] = t }
			last = t; pct = ""
			for (i = 2; i < NF; i++) if ($i ~ /%$/) pct = $i
		}
		END {
			for (i = 1; i <= k; i++) {
				end = (i < k) ? first[order[i + 1]] : last
				printf "%s=%.2f%s ", order[i], end - first[order[i]], (i == k ? "@" pct : "")
			}
		}' "$1"
}

run_one() { # method rows
	local method=$1 n=$2 data args=() log tlog la0 la1 t0 t1 rc=0 deadline status
	data=$(dataset "$n")
	if [ -n "$data" ]; then args+=(--data "$data"); else args+=(--n "$n"); fi
	[ "$cell" = 0 ] || args+=(--cell "$cell")
	log=$out/scale-$method-$n.log
	tlog=$out/scale-$method-$n.time
	deadline=()
	if [ -n "${STOP_AT:-}" ]; then
		local left=$(($(date -d "$STOP_AT" +%s) - $(date +%s)))
		[ "$left" -gt 0 ] || left=1
		deadline=(timeout -s INT -k 60 "$left")
	fi
	la0=$(loadavg)
	t0=$(date +%s.%N)
	echo "bench-scale: $method $n rows (load average $la0) $(date -u +%H:%M:%S)" >&2
	# script(1) gives the run a terminal, so that its progress line (the only
	# account of a run stopped midway) is written; /usr/bin/time -v measures
	# the peak RSS even of a stopped run.
	local cmd
	cmd=$(printf '%q ' /usr/bin/time -v -o "$tlog" "${deadline[@]}" ./bin/mnist-layout --method "$method" "${args[@]}" --seed "$seed" --out "$out/scale-$method-$n.npy")
	script -q -e -f -c "$cmd" "$log" >/dev/null || rc=$?
	t1=$(date +%s.%N)
	la1=$(loadavg)
	# The terminal's line ends are CR LF and the progress line redraws
	# itself after CR: one line each.
	tr '\r' '\n' <"$log" | grep -v '^$' >"$log.txt" || true
	mv "$log.txt" "$log"
	grep -E '^(data|space|total|kl|note|peak_rss|mnist-layout)|^[a-z]+ +[0-9]+\.[0-9][0-9]s$' "$log" >&2 || true
	local rss total
	rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$tlog")
	total=$(stage total "$log")
	local load pca knn graph init opt
	load=$(sed -n 's/^data .*(\([0-9.]*\)s)$/\1/p' "$log" | tail -1)
	if [ "$rc" -eq 0 ] && [ -n "$total" ]; then
		status=ok
		pca=$(stage pca "$log") knn=$(stage knn "$log") init=$(stage init "$log") opt=$(stage optimize "$log")
		graph=$(stage graph "$log")
		[ -n "$graph" ] || graph=$(stage affinity "$log")
	else
		local p
		p=$(progress "$log")
		status="stopped (rc $rc): ${p% }"
		pick() { tr ' ' '\n' <<<"$p" | sed -n "s/^$1=\([0-9.]*\).*/\1/p"; }
		pca=$(pick pca) knn=$(pick knn) init=$(pick init) opt=$(pick optimize)
		graph=$(pick graph)
		[ -n "$graph" ] || graph=$(pick affinity)
		total=-
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.1f\t%s\t%s\t%s\t%s\n' "$method" "$n" "${load:--}" "${pca:--}" "${knn:--}" \
		"${graph:--}" "${init:--}" "${opt:--}" "$total" "$(echo "$t1 - $t0" | bc)" "${rss:--}" "$la0" "$la1" "$status" >>"$tsv"
	rm -f "$out/scale-$method-$n.npy"
}

for n in $sizes; do
	for m in $methods; do
		run_one "$m" "$n"
	done
done
report
