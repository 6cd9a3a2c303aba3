#!/usr/bin/env bash
# Install what the tests need and run the whole suite: validators, the per-user installer in a
# throw-away HOME, the PyInstaller bundle, then pytest (unit, fixture, network-on-loopback, GUI
# offscreen and one real X server). The README's second Quick start command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=installer/apt-deps.sh
. installer/apt-deps.sh
# openssh and sudo: the fleet role over real SSH, with -b (tests/test_fleet_ssh.py); fish: its
# completion, run by fish itself (tests/test_cli_conventions.py)
ensure_debs need "${QT_DEBS[@]}" xvfb xauth xdotool poppler-utils appstream binutils \
    openssh-server openssh-client sudo fish

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
echo "== pip: the app with its GUI, test, packaging and bundle extras (at the installer's pins)"
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
    --constraint installer/constraints.txt -e ".[gui,test,packaging,bundle]"

echo "== ruff, mypy and vulture (configured in pyproject.toml and tools/vulture_allow.py)"
.venv/bin/ruff check kernel_advisor tests tools bench
.venv/bin/mypy
.venv/bin/vulture kernel_advisor tools/vulture_allow.py --min-confidence 60

echo "== desktop entry and AppStream metainfo"
out=$(desktop-file-validate resources/*.desktop 2>&1) || true
[ -z "$out" ] || { echo "$out"; exit 1; }
appstreamcli validate --no-net resources/*.metainfo.xml

echo "== per-user installer in a throw-away HOME, from a read-only copy of the checkout"
home=$(mktemp -d)
src=$(mktemp -d)
trap 'rm -rf "$home" "$src"' EXIT
git ls-files -z 2>/dev/null | tar --null -T - -cf - | tar -C "$src" -xf - 2>/dev/null \
  || tar --exclude=./.venv --exclude=./.git -cf - . | tar -C "$src" -xf -
chmod -R a-w "$src"
before=$(find "$src" | sort)
HOME=$home XDG_DATA_HOME= PYTHON=$python "$src/installer/install.sh" --no-launch
[ "$(find "$src" | sort)" = "$before" ] || { echo "install.sh wrote into the checkout"; exit 1; }
apps=$home/.local/share/applications
out=$(desktop-file-validate "$apps/"*.desktop 2>&1) || true
[ -z "$out" ] || { echo "$out"; exit 1; }
grep -q "^Exec=$home/.local/bin/kernel-advisor$" "$apps/"*.desktop
[ -f "$home/.local/share/man/man1/kernel-advisor.1" ]
[ -f "$home/.local/share/bash-completion/completions/kernel-advisor" ]
[ -f "$home/.local/share/fish/vendor_completions.d/kernel-advisor.fish" ]
# pip's console script in the venv, linked onto PATH; the venv link points at one venv
[ "$(readlink "$home/.local/bin/kernel-advisor")" = "$home/.local/share/kernel-advisor/venv/bin/kernel-advisor" ]
"$home/.local/bin/kernel-advisor" --version
rc=0; "$home/.local/bin/kernel-advisor" check --offline >/dev/null || rc=$?
[ "$rc" -le 1 ] || { echo "installed check failed ($rc)"; exit 1; }
# the collector this install writes runs on the oldest Pythons of a fleet (pyenv's, if here)
"$home/.local/bin/kernel-advisor" collector -o "$home/collect.pyz" 2>/dev/null
for old in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.{8,9}.*/bin/python3; do
  [ -x "$old" ] || continue
  "$old" -I -S "$home/collect.pyz" -o "$home/old.tar.gz" \
    || { echo "the installer's collector failed on $old"; exit 1; }
done
rm -f "$home/collect.pyz" "$home/old.tar.gz"
first=$(readlink "$home/.local/share/kernel-advisor/venv")
# an update that fails half-way (no package index) leaves the installed venv as it was
if HOME=$home XDG_DATA_HOME= PIP_NO_INDEX=1 PIP_FIND_LINKS= "$src/installer/install.sh" --no-launch \
     >/dev/null 2>&1; then echo "install.sh without an index should fail"; exit 1; fi
[ "$(readlink "$home/.local/share/kernel-advisor/venv")" = "$first" ]
[ "$(ls "$home/.local/share/kernel-advisor/venvs")" = "$(basename "$first")" ]
"$home/.local/bin/kernel-advisor" --version >/dev/null
HOME=$home XDG_DATA_HOME= "$src/installer/install.sh" --no-launch >/dev/null   # updates in place
[ "$(ls "$home/.local/share/kernel-advisor/venvs" | wc -l)" = 1 ]
HOME=$home XDG_DATA_HOME= "$src/installer/uninstall.sh"
left=$(find "$home/.local" \( -type f -o -type l \) ! -name mimeinfo.cache ! -name icon-theme.cache)
[ -z "$left" ] || { echo "uninstall left: $left"; exit 1; }
chmod -R u+w "$src"

echo "== packaging: sdist, wheel, headless install, Debian package"
# the sdist and wheel built once, here; pytest's tests/test_packaging.py checks the same files
KERNEL_ADVISOR_DISTS=$(mktemp -d)
export KERNEL_ADVISOR_DISTS
trap 'rm -rf "$home" "$src" "$KERNEL_ADVISOR_DISTS"' EXIT
./tools/check-packaging.sh

echo "== PyInstaller bundle"
./installer/build-bundle.sh .venv/bin/python

echo "== pytest"
set +e
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q -p no:cacheprovider
rc=$?
set -e
exit $rc
