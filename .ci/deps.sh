#!/usr/bin/env bash
# Installs the system packages that cgo (go-gl, GLFW) and the GL tests need,
# when they are missing. Prints the exact command when it cannot install.
set -euo pipefail
debs=(pkg-config libgl1-mesa-dev xorg-dev xvfb xauth desktop-file-utils)
have() {
	command -v pkg-config >/dev/null 2>&1 && pkg-config --exists gl x11 xrandr xcursor xinerama xi xxf86vm 2>/dev/null && command -v xvfb-run >/dev/null 2>&1 && command -v desktop-file-validate >/dev/null 2>&1
}
have && exit 0
cmd="apt-get install -y ${debs[*]}"
if command -v apt-get >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing ${debs[*]}" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq && apt-get install -y -qq "${debs[@]}" >/dev/null
		have && exit 0
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		echo "deps: installing ${debs[*]}" >&2
		sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debs[@]}" >/dev/null
		have && exit 0
	fi
fi
echo "deps: missing GL/X11 development packages or xvfb-run. Install them with:" >&2
echo "    sudo $cmd" >&2
exit 1
