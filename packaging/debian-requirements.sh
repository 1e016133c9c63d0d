#!/usr/bin/env bash
# The Debian/Ubuntu packages the MedShare bundle (dist/medshare/) needs from the system.
#
#     sudo packaging/debian-requirements.sh           install what is missing
#     packaging/debian-requirements.sh --check        list what is missing; exit 1 if any
#     packaging/debian-requirements.sh --list         print the package names
#
# The bundle carries Python, Qt and most libraries itself. It leaves to the system what
# must match the machine's graphics stack and services (OpenGL/EGL, the X11 and Wayland
# client libraries, D-Bus, fontconfig), plus PulseAudio's client library, without which
# Qt Multimedia (the camera scanner) does not load, a CJK font for names typed in Chinese
# and CUPS for receipt printers. Tested on Debian 12 (bookworm); Ubuntu 22.04+ has the
# same names.
set -euo pipefail

PACKAGES=(
    # Qt's runtime (the Makefile's DEB_PACKAGES without the test and server tools)
    libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
    fonts-wqy-microhei
    # Qt's xcb platform plugin (X11)
    libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
    libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-xfixes0
    libxcb-xkb1 libxrender1
    # Qt's wayland platform plugin
    libwayland-client0 libwayland-cursor0 libwayland-egl1
    # Qt Multimedia (camera) and printing
    libpulse0 libcups2
)

missing() {
    local package
    for package in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
            || echo "$package"
    done
}

case "${1:-install}" in
    --list)
        printf '%s\n' "${PACKAGES[@]}"
        ;;
    --check)
        todo=$(missing)
        if [ -n "$todo" ]; then
            echo "missing Debian packages for the MedShare bundle:" $todo
            exit 1
        fi
        echo "all ${#PACKAGES[@]} Debian packages for the MedShare bundle are installed"
        ;;
    install)
        todo=$(missing)
        if [ -z "$todo" ]; then
            echo "all ${#PACKAGES[@]} Debian packages for the MedShare bundle are installed"
            exit 0
        fi
        if [ "$(id -u)" != 0 ]; then
            echo "missing (run this script with sudo to install them):" $todo >&2
            exit 1
        fi
        echo "installing:" $todo
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $todo >/dev/null
        ;;
    *)
        echo "usage: $0 [--check | --list]" >&2
        exit 2
        ;;
esac
