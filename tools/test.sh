#!/usr/bin/env bash
# Install what the tests need and run the whole suite: validators, the per-user installer in a
# throw-away HOME, the PyInstaller bundle, then pytest (unit, fixture, network-on-loopback, GUI
# offscreen and one real X server). The README's second Quick start command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=installer/apt-deps.sh
. installer/apt-deps.sh
ensure_debs need "${QT_DEBS[@]}" xvfb xauth xdotool poppler-utils appstream binutils \
    openssh-server openssh-client  # the fleet playbook over real SSH (tests/test_fleet_ssh.py)

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
# pip's console script in the venv, linked onto PATH
[ "$(readlink "$home/.local/bin/kernel-advisor")" = "$home/.local/share/kernel-advisor/venv/bin/kernel-advisor" ]
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
