#!/usr/bin/env bash
# Install what the tests need and run the whole suite: validators, the per-user installer in a
# throw-away HOME, the PyInstaller bundle, then pytest (unit, fixture, network-on-loopback, GUI
# offscreen and one real X server). The README's second Quick start command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

debs=(python3 python3-venv python3-pip libgl1 libegl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0
      libglib2.0-0 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
      libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0
      fonts-dejavu-core xvfb xauth xdotool poppler-utils desktop-file-utils appstream binutils)
missing=()
for d in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q "install ok installed" || missing+=("$d")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "== apt: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages; install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
echo "== pip: the app with its test and bundle extras"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test,bundle]"

echo "== desktop entry and AppStream metainfo"
out=$(desktop-file-validate resources/*.desktop 2>&1) || true
[ -z "$out" ] || { echo "$out"; exit 1; }
appstreamcli validate --no-net resources/*.metainfo.xml

echo "== per-user installer in a throw-away HOME"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
HOME=$home XDG_DATA_HOME= PYTHON=$python ./installer/install.sh --no-launch
out=$(desktop-file-validate "$home/.local/share/applications/"*.desktop 2>&1) || true
[ -z "$out" ] || { echo "$out"; exit 1; }
grep -q "^Exec=$home/.local/bin/kernel-advisor$" "$home/.local/share/applications/"*.desktop
"$home/.local/bin/kernel-advisor" --version
rc=0; "$home/.local/bin/kernel-advisor" check --offline >/dev/null || rc=$?
[ "$rc" -le 1 ] || { echo "installed check failed ($rc)"; exit 1; }
HOME=$home XDG_DATA_HOME= ./installer/install.sh --no-launch >/dev/null   # idempotent
HOME=$home XDG_DATA_HOME= ./installer/uninstall.sh
left=$(find "$home/.local" \( -type f -o -type l \) ! -name mimeinfo.cache)
[ -z "$left" ] || { echo "uninstall left: $left"; exit 1; }

echo "== PyInstaller bundle"
./installer/build-bundle.sh .venv/bin/python

echo "== pytest"
set +e
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q -p no:cacheprovider
rc=$?
set -e
exit $rc
