#!/usr/bin/env bash
# Per-user install of Kernel Advisor on Debian 12 (and alike), then start it.
#
#   installer/install.sh [--no-launch]
#
# - A virtual environment under the XDG data dir (PEP 668: Debian's Python refuses pip --user):
#   ${XDG_DATA_HOME:-~/.local/share}/kernel-advisor/venv
# - The launcher ~/.local/bin/kernel-advisor, the desktop entry with an absolute Exec, the icons
#   and the AppStream metainfo under ~/.local/share.
# - Qt's system libraries: installed with apt when run as root, otherwise the exact apt line is
#   printed. Idempotent: running it again updates in place. installer/uninstall.sh removes
#   exactly what this placed (listed in .../kernel-advisor/installed-files).
set -euo pipefail

launch=1
for arg in "$@"; do
  case "$arg" in
    --no-launch) launch=0 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
app_id=io.github.kerneladvisor.KernelAdvisor
data=${XDG_DATA_HOME:-$HOME/.local/share}
appdir=$data/kernel-advisor
venv=$appdir/venv
bindir=$HOME/.local/bin
manifest=$appdir/installed-files
python=${PYTHON:-python3}

# shellcheck source=installer/apt-deps.sh
. "$repo/installer/apt-deps.sh"
ensure_debs warn "${QT_DEBS[@]}"

command -v "$python" >/dev/null || { echo "install.sh: $python not found (see the apt line above)" >&2; exit 1; }
mkdir -p "$appdir" "$bindir"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "$repo"

placed=()
place() {  # place SRC DEST: copy a file (mode 644) and remember it
  install -Dm644 "$1" "$2"
  placed+=("$2")
}
# the console script pip wrote into the venv, linked onto PATH (as pipx does)
mkdir -p "$bindir"
ln -sfn "$venv/bin/kernel-advisor" "$bindir/kernel-advisor"
placed+=("$bindir/kernel-advisor")

desktop=$data/applications/$app_id.desktop
mkdir -p "$data/applications"
sed -e "s|^Exec=.*|Exec=$bindir/kernel-advisor|" -e "s|^TryExec=.*|TryExec=$bindir/kernel-advisor|" \
  "$repo/resources/$app_id.desktop" > "$desktop.tmp"
mv "$desktop.tmp" "$desktop"
placed+=("$desktop")
for size in 48x48 128x128 256x256; do
  place "$repo/resources/icons/hicolor/$size/apps/$app_id.png" "$data/icons/hicolor/$size/apps/$app_id.png"
done
place "$repo/resources/icons/hicolor/scalable/apps/$app_id.svg" "$data/icons/hicolor/scalable/apps/$app_id.svg"
place "$repo/resources/$app_id.metainfo.xml" "$data/metainfo/$app_id.metainfo.xml"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && [ -f "$data/icons/hicolor/index.theme" ] && \
  gtk-update-icon-cache -q "$data/icons/hicolor" || true

printf '%s\n' "${placed[@]}" "$venv" > "$manifest"
echo "Installed Kernel Advisor $("$venv/bin/kernel-advisor" --version | cut -d' ' -f2): $bindir/kernel-advisor and the '$(
  grep '^Name=' "$desktop" | cut -d= -f2)' menu entry."
case ":$PATH:" in *":$bindir:"*) ;; *) echo "Note: $bindir is not on your PATH yet (it will be after you log in again)." ;; esac

if [ "$launch" = 1 ]; then
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "Starting Kernel Advisor…"
    nohup "$bindir/kernel-advisor" >/dev/null 2>&1 &
  else
    echo "No display here: running the command-line check instead."
    "$bindir/kernel-advisor" check || true
  fi
fi
