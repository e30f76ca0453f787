#!/usr/bin/env bash
# Builds FIt-SNE (KlugerLab, "Fast interpolation-based t-SNE") from its
# source into a scratch folder, never into the app, and prints that folder
# (it then holds bin/fast_tsne and the Python wrapper fast_tsne.py):
#
#   .ci/fitsne.sh [DIR]        (default: $FITSNE_DIR, else /var/tmp/fitsne)
#
# The source is $FITSNE_SRC (a git repository, bare or not, or a URL), else
# a local mirror when there is one, else GitHub; the commit is pinned
# ($FITSNE_REV). It needs g++ and FFTW (libfftw3-dev), installed from apt
# when missing. A folder that already holds the built binary is reused.
set -euo pipefail
dir=${1:-${FITSNE_DIR:-/var/tmp/fitsne}}
rev=${FITSNE_REV:-47ff14f1defc1ff3a8065c8b7baaf45c33e7e0b2}
mirror=/work/.mirror/KlugerLab+FIt-SNE/repo
src=${FITSNE_SRC:-}
if [ -z "$src" ]; then
	if [ -d "$mirror" ]; then src=$mirror; else src=https://github.com/KlugerLab/FIt-SNE; fi
fi
case $dir in
/ | "$HOME" | "$(cd "$(dirname "$0")/.." && pwd)"*) echo "fitsne: refusing to build into $dir" >&2; exit 2 ;;
esac

if [ -x "$dir/bin/fast_tsne" ] && [ -f "$dir/fast_tsne.py" ]; then
	echo "$dir"
	exit 0
fi
missing=()
command -v g++ >/dev/null || missing+=(g++)
[ -f /usr/include/fftw3.h ] || missing+=(libfftw3-dev)
if [ ${#missing[@]} -gt 0 ]; then
	echo "fitsne: installing ${missing[*]}" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
		{ echo "fitsne: run: sudo apt-get install -y ${missing[*]}" >&2; exit 1; }
fi
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
echo "fitsne: source $src at $rev -> $dir" >&2
git clone -q "$src" "$dir"
git -C "$dir" -c advice.detachedHead=false checkout -q "$rev"
mkdir -p "$dir/bin"
# The build line of FIt-SNE's README.
(cd "$dir" && g++ -std=c++11 -O3 src/sptree.cpp src/tsne.cpp src/nbodyfft.cpp \
	-o bin/fast_tsne -pthread -lfftw3 -lm -Wno-address-of-packed-member) >&2
echo "$dir"
