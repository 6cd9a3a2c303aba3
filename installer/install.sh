#!/usr/bin/env bash
# Per-user install of Kernel Advisor on Debian 12 (and alike), then start it.
#
#   installer/install.sh [--no-launch]
#
# - A virtual environment under the XDG data dir (PEP 668: Debian's Python refuses pip --user),
#   ${XDG_DATA_HOME:-~/.local/share}/kernel-advisor/venv, holding kernel-advisor[gui] at the
#   versions the tests passed with (installer/constraints.txt, written by
#   tools/freeze-constraints.py).
# - The launcher ~/.local/bin/kernel-advisor (pip's console script, linked), then
#   'kernel-advisor install-desktop': the menu entry, icons, metainfo, man page and completion.
# - Qt's system libraries: installed with apt when run as root, otherwise the exact apt line is
#   printed.
# Safe to re-run (it updates), from a read-only checkout (it builds from a copy in a temporary
# folder and writes nothing here), and never leaves a half-built venv: the new one is built
# beside the old and switched in only once it runs. installer/uninstall.sh removes it all.
set -euo pipefail

launch=1
for arg in "$@"; do
  case "$arg" in
    --no-launch) launch=0 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
appdir=$data/kernel-advisor
venv=$appdir/venv                      # a link to venvs/<stamp>: switched in one rename
bindir=$HOME/.local/bin
manifest=$appdir/installed-files
python=${PYTHON:-python3}

# shellcheck source=installer/apt-deps.sh
. "$repo/installer/apt-deps.sh"
ensure_debs warn "${QT_DEBS[@]}"
command -v "$python" >/dev/null || { echo "install.sh: $python not found (see the apt line above)" >&2; exit 1; }

# 1. a copy of the source to build from, so the checkout stays as it is (pip builds in the tree)
work=$(mktemp -d)
new=""
cleanup() { rm -rf "$work"; [ -z "$new" ] || rm -rf "$new"; }
trap cleanup EXIT
tar -C "$repo" --exclude=./.git --exclude=./.venv --exclude=./build --exclude=./dist \
    --exclude='*.egg-info' --exclude=__pycache__ -cf - . | tar -C "$work" -xf -

# 2. the new venv, beside the current one, where it will stay (a venv cannot be moved)
mkdir -p "$appdir/venvs" "$bindir"
new=$(mktemp -d "$appdir/venvs/$(date +%Y%m%d%H%M%S)-XXXXXX")
"$python" -m venv "$new"
progress=(--progress-bar on)
[ -t 1 ] || progress=(--progress-bar off --quiet)
echo "Installing Kernel Advisor and Qt (PySide6) into $appdir…"
"$new/bin/python" -m pip install --disable-pip-version-check "${progress[@]}" \
  --constraint "$repo/installer/constraints.txt" "$work[gui]"
QT_QPA_PLATFORM=offscreen "$new/bin/kernel-advisor" --version >/dev/null   # it runs

# 3. switch: the venv link now points at the new one (rename is atomic); the old one goes
stamp=$new
new=""
old=$(readlink "$venv" 2>/dev/null || true)
[ ! -e "$venv" ] || [ -L "$venv" ] || rm -rf "$venv"     # a venv from an older installer
ln -sfn "$stamp" "$appdir/venv.tmp" && mv -T "$appdir/venv.tmp" "$venv"
[ -z "$old" ] || [ "$old" = "$stamp" ] || rm -rf "$old"

# 4. the launcher on PATH (as pipx does), and the menu entry through the app itself
ln -sfn "$venv/bin/kernel-advisor" "$bindir/kernel-advisor"
"$bindir/kernel-advisor" -q install-desktop --exec "$bindir/kernel-advisor"
printf '%s\n' "$bindir/kernel-advisor" "$appdir/venvs" "$venv" > "$manifest"

echo "Installed Kernel Advisor $("$bindir/kernel-advisor" --version | cut -d' ' -f2): $bindir/kernel-advisor and the 'Kernel Advisor' menu entry."
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
