#!/usr/bin/env bash
# Tests make install / make uninstall in throwaway prefixes: the launcher
# entry validates, its Exec binary exists and answers --help, the icons are
# PNGs of the right size, and uninstall leaves the prefix exactly as before
# (empty when it was empty; other files untouched when it was not).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
fail() { echo "test-install: FAIL: $*" >&2; exit 1; }
. .ci/lib.sh

# desktop-file-validate comes with desktop-file-utils (deps.sh installs it; this covers direct runs).
if ! command -v desktop-file-validate >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq desktop-file-utils >/dev/null || true
	fi
	command -v desktop-file-validate >/dev/null 2>&1 ||
		fail "desktop-file-validate is missing: sudo apt-get install -y desktop-file-utils"
fi

prefix=$(mktemp -d)
other=$(mktemp -d)
trap 'rm -rf "$prefix" "$prefix.state" "$other"' EXIT

log="$prefix.state/mnist-explorer.log" # outside the prefix, which must end empty
make -s install PREFIX="$prefix" LOGFILE="$log" >/dev/null
entry="$prefix/share/applications/mnist-explorer.desktop"
[ -f "$entry" ] || fail "no launcher entry at $entry"
desktop-file-validate "$entry" || fail "desktop-file-validate rejects $entry"
exec_line=$(sed -n 's/^Exec=//p' "$entry")
exec_bin=${exec_line%% *}
[ "$exec_bin" = "$prefix/bin/mnist-explorer" ] || fail "Exec starts $exec_bin, want $prefix/bin/mnist-explorer"
[ -x "$exec_bin" ] || fail "Exec binary $exec_bin is not executable"
"$exec_bin" --help >/dev/null 2>&1 || fail "$exec_bin --help exits non-zero"
if "$exec_bin" --help 2>&1 | grep -q -- '-log-file'; then
	# Start the app as the launcher would (no terminal; no display here, so
	# no dialog either) with a data folder that cannot load: the error must
	# reach the log file.
	case "$exec_line" in *"--log-file $log"*) ;; *) fail "Exec=$exec_line does not pass --log-file $log" ;; esac
	read -r -a argv <<<"$exec_line"
	env DISPLAY= WAYLAND_DISPLAY= "${argv[@]}" --data "$prefix.nodata" </dev/null >/dev/null 2>&1 &&
		fail "the app started on a missing data folder"
	grep -q "nodata" "$log" 2>/dev/null || fail "the launcher's error did not reach $log"
fi
# The entry's command finds the installed MNIST files with no Go and no
# module cache: a screenshot of the first 200 digits from a bare environment.
case "$exec_line" in *"--data $prefix/share/mnist-explorer/data"*) ;; *) fail "Exec=$exec_line does not pass --data $prefix/share/mnist-explorer/data" ;; esac
read -r -a argv <<<"$exec_line"
xrun=()
[ -n "${DISPLAY:-}" ] || xrun=(xvfb-run -a)
mkdir -p "$prefix.state"
shot="$prefix.state/shot.png"
env -i PATH=/usr/bin:/bin HOME=/nonexistent ${DISPLAY:+DISPLAY=$DISPLAY} "${xrun[@]}" "${argv[@]}" \
	--log-file - --n 200 --layout pca --no-cache --screenshot "$shot" </dev/null >"$prefix.state/run.log" 2>&1 ||
	fail "the installed app did not start from a bare environment: $(tail -n 3 "$prefix.state/run.log")"
png_size "$shot" >/dev/null || fail "the installed app wrote no PNG screenshot at $shot"
for size in 256 48; do
	icon="$prefix/share/icons/hicolor/${size}x${size}/apps/mnist-explorer.png"
	[ -f "$icon" ] || fail "no icon at $icon"
	dims=$(png_size "$icon") || fail "$icon is not a PNG"
	[ "$dims" = "${size}x${size}" ] || fail "$icon is $dims, want ${size}x${size}"
done
make -s uninstall PREFIX="$prefix" >/dev/null
[ -z "$(ls -A "$prefix")" ] || fail "uninstall left: $(cd "$prefix" && find . -mindepth 1 | tr '\n' ' ')"

# A prefix that already holds other applications keeps them.
mkdir -p "$other/bin" "$other/share/applications" "$other/share/icons/hicolor/48x48/apps"
touch "$other/bin/tool" "$other/share/applications/tool.desktop" "$other/share/icons/hicolor/48x48/apps/tool.png"
before=$(cd "$other" && find . | sort)
make -s install PREFIX="$other" >/dev/null
make -s uninstall PREFIX="$other" >/dev/null
after=$(cd "$other" && find . | sort)
[ "$before" = "$after" ] || fail "uninstall changed a populated prefix: $(diff <(echo "$before") <(echo "$after") | tr '\n' ' ')"
echo "test-install: ok (install, validate, --help, installed data, icons, uninstall)"
