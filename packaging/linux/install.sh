#!/usr/bin/env bash
# Install the MedShare bundle (dist/medshare/ from `make dist`) on a Debian/Ubuntu machine.
#
#   sudo packaging/linux/install.sh                    the program in /opt/medshare, `medshare`
#                                                      on PATH, a menu entry and its icon
#   sudo packaging/linux/install.sh --autostart USER   ... and `medshare --kiosk` starts when
#                                                      USER logs in to a desktop
#   sudo packaging/linux/install.sh --cage USER        ... and the machine boots straight into
#                                                      the kiosk: cage on tty1, no desktop
#
# Options: --bundle DIR (default: dist/medshare of this checkout), --prefix DIR (default
# /opt/medshare). With DESTDIR=/a/staging/root everything goes under that folder and
# nothing is created, enabled or chowned outside it. packaging/README.md explains the rest
# (auto-login, screen blanking, receipt printers).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bundle=$here/../../dist/medshare
prefix=/opt/medshare
autostart_user=""
cage_user=""
while [ $# -gt 0 ]; do
    case "$1" in
        --bundle) bundle=$2; shift 2 ;;
        --prefix) prefix=$2; shift 2 ;;
        --autostart) autostart_user=$2; shift 2 ;;
        --cage) cage_user=$2; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done
root=${DESTDIR:-}
staged() { [ -n "$root" ]; }

fail() { echo "install.sh: $*" >&2; exit 1; }
[ -x "$bundle/medshare" ] || fail "no bundle at $bundle; build it first with 'make dist'"
staged || [ "$(id -u)" = 0 ] || fail "run it as root (sudo), or with DESTDIR=... to stage it"
version=$("$bundle/medshare" --version) || fail "$bundle/medshare --version failed"

# 1. the program: replace the whole folder, so no file of an older version lingers
install -d "$root$(dirname "$prefix")"
rm -rf "$root$prefix.new"
cp -a "$bundle" "$root$prefix.new"
rm -rf "$root$prefix"
mv "$root$prefix.new" "$root$prefix"
install -d "$root/usr/local/bin"
ln -sfn "$prefix/medshare" "$root/usr/local/bin/medshare"
echo "installed $version in $root$prefix (and $root/usr/local/bin/medshare)"

# 2. the menu entry and its icon
with_prefix() { sed -e "s|/opt/medshare|$prefix|g" -e "s|@PREFIX@|$prefix|g" "$@"; }
install -d "$root/usr/share/applications" "$root/usr/share/icons/hicolor/scalable/apps"
with_prefix "$here/medshare.desktop" > "$root/usr/share/applications/medshare.desktop"
install -m 644 "$here/medshare.svg" "$root/usr/share/icons/hicolor/scalable/apps/medshare.svg"
if ! staged; then
    command -v update-desktop-database >/dev/null && update-desktop-database -q || true
    command -v gtk-update-icon-cache >/dev/null \
        && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi

home_of() {
    if staged; then echo "/home/$1"; else getent passwd "$1" | cut -d: -f6; fi
}

ensure_user() {
    staged && return 0
    if ! id "$1" >/dev/null 2>&1; then
        useradd --create-home --shell /bin/bash --comment "MedShare kiosk" "$1"
        echo "created the user $1 (no password: it only logs in automatically)"
    fi
    local group
    for group in video render input audio lp; do
        getent group "$group" >/dev/null && usermod -aG "$group" "$1"
    done
}

# 3. desktop autostart: the kiosk opens when USER logs in
if [ -n "$autostart_user" ]; then
    ensure_user "$autostart_user"
    home=$(home_of "$autostart_user")
    [ -n "$home" ] || fail "no home folder for $autostart_user"
    install -d "$root$home/.config/autostart"
    with_prefix "$here/medshare-kiosk.desktop" \
        > "$root$home/.config/autostart/medshare-kiosk.desktop"
    staged || chown -R "$autostart_user:" "$home/.config"
    echo "autostart: $root$home/.config/autostart/medshare-kiosk.desktop"
    echo "next: turn on automatic login for $autostart_user (packaging/README.md)"
fi

# 4. a dedicated kiosk: cage on tty1 as USER, no desktop
if [ -n "$cage_user" ]; then
    staged || command -v cage >/dev/null || fail "cage is not installed: apt-get install cage"
    ensure_user "$cage_user"
    install -d "$root/etc/systemd/system"
    with_prefix "$here/medshare-kiosk.service" | sed "s|@KIOSK_USER@|$cage_user|g" \
        > "$root/etc/systemd/system/medshare-kiosk.service"
    if ! staged; then
        systemctl daemon-reload
        systemctl enable medshare-kiosk.service
        systemctl set-default graphical.target
        if systemctl is-enabled display-manager.service >/dev/null 2>&1; then
            echo "note: a display manager is enabled; disable it so it does not take tty1:"
            echo "      systemctl disable display-manager.service"
        fi
    fi
    echo "kiosk service: $root/etc/systemd/system/medshare-kiosk.service (starts on next boot)"
fi
