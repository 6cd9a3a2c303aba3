#!/usr/bin/env bash
# What a packager does, checked (tools/test.sh runs this once; it is the slow part):
#  1. python -m build: the sdist, then the wheel built from it, into $KERNEL_ADVISOR_DISTS when
#     set (tools/test.sh sets it, so pytest's tests/test_packaging.py checks these very files
#     without building again); twine check --strict;
#  2. the headless install: the wheel without the [gui] extra in a fresh venv — no PySide6 —
#     runs check/snapshot/fleet/report -f md|json|html, says what to install for the wizard, and
#     the unpacked sdist's own suite passes there (its GUI tests are not collected);
#  3. the Debian package of the headless part, built from the unpacked sdist with
#     dpkg-buildpackage (dh-python, pybuild): lintian clean, its contents, and its
#     kernel-advisor check run with Debian's python3.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
py=${PYTHON:-.venv/bin/python}
version=$("$py" -c 'import kernel_advisor; print(kernel_advisor.__version__)')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== sdist and wheel"
dist=${KERNEL_ADVISOR_DISTS:-$work/dist}
"$py" -m build --outdir "$dist" . >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
"$py" -m twine check --strict "$dist"/*

echo "== headless install (no PySide6) and the sdist's suite in it"
tar -C "$work" -xzf "$dist/kernel_advisor-$version.tar.gz"
src=$work/kernel_advisor-$version
python3 -m venv "$work/headless"
hp=$work/headless/bin/python
"$hp" -m pip install --quiet --disable-pip-version-check --constraint installer/constraints.txt \
    "$dist/kernel_advisor-$version-py3-none-any.whl[test]"
if "$hp" -c 'import PySide6' 2>/dev/null; then echo "PySide6 came with the headless install"; exit 1; fi
ka=$work/headless/bin/kernel-advisor
(
  cd "$work"
  rc=0; "$ka" check --offline >/dev/null || rc=$?; [ "$rc" -le 1 ]
  "$ka" snapshot -q -o snap.tar.gz
  mkdir fleet && cp snap.tar.gz fleet/a.tar.gz
  "$ka" fleet fleet --offline --json | grep -q '"analysed": 1'
  for f in md json html; do "$ka" report -q -f "$f" -o "report.$f" --offline; test -s "report.$f"; done
  # the collector this install writes runs on the oldest Pythons of a fleet (pyenv's, where
  # this machine has them; tests/test_fleet.py runs the source tree's the same way)
  "$ka" collector -o collect.pyz 2>/dev/null
  for old in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.{8,9}.*/bin/python3; do
    [ -x "$old" ] || continue
    "$old" -I -S collect.pyz -o old.tar.gz || { echo "the wheel's collector failed: $old"; exit 1; }
    rc=0; "$ka" check --offline --snapshot old.tar.gz >/dev/null || rc=$?; [ "$rc" -le 1 ]
  done
  if "$ka" 2>err.txt; then echo "the wizard started without Qt?"; exit 1; fi
  grep -q "pip install 'kernel-advisor\[gui\]'" err.txt
)
# the installed wheel is what the suite runs (pytest, not python -m pytest: the sdist's folder
# stays off sys.path); pytest-qt has no Qt here
(cd "$src" && KERNEL_ADVISOR_DISTS=$dist "$work/headless/bin/pytest" -q -p no:cacheprovider \
    -p no:pytest-qt -x)

echo "== Debian package (headless)"
if ! command -v dpkg-buildpackage >/dev/null || ! dpkg-query -W dh-python >/dev/null 2>&1; then
  # shellcheck source=installer/apt-deps.sh
  . installer/apt-deps.sh
  ensure_debs need "${DEB_BUILD_DEBS[@]}"
fi
cp -a "$src" "$work/deb-src"
(cd "$work/deb-src" && env PATH=/usr/sbin:/usr/bin:/sbin:/bin dpkg-buildpackage -us -uc -b \
    >"$work/deb.log" 2>&1) || { tail -40 "$work/deb.log"; exit 1; }
deb=$work/kernel-advisor_${version}-1_all.deb
out=$(env PATH=/usr/sbin:/usr/bin:/sbin:/bin lintian --fail-on error,warning \
    "$work"/kernel-advisor_*.changes 2>&1) || { echo "$out"; exit 1; }
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for want in ./usr/bin/kernel-advisor ./usr/share/man/man1/kernel-advisor.1.gz \
    ./usr/share/bash-completion/completions/kernel-advisor \
    ./usr/share/zsh/vendor-completions/_kernel-advisor \
    ./usr/share/fish/vendor_completions.d/kernel-advisor.fish \
    ./usr/lib/python3/dist-packages/kernel_advisor/data/kb.json \
    ./usr/lib/python3/dist-packages/kernel_advisor/data/locale/de/LC_MESSAGES/kernel-advisor.mo; do
  grep -qx -- "$want" <<<"$contents" || { echo "the .deb lacks $want"; exit 1; }
done
if grep -q "kernel_advisor/gui" <<<"$contents"; then echo "the headless .deb holds the GUI"; exit 1; fi
dpkg-deb -x "$deb" "$work/root"
rc=0
PYTHONPATH=$work/root/usr/lib/python3/dist-packages /usr/bin/python3 "$work/root/usr/bin/kernel-advisor" \
    check --offline >/dev/null || rc=$?
[ "$rc" -le 1 ] || { echo "kernel-advisor check from the .deb failed ($rc)"; exit 1; }
PYTHONPATH=$work/root/usr/lib/python3/dist-packages /usr/bin/python3 "$work/root/usr/bin/kernel-advisor" \
    collector -o "$work/deb-collect.pyz" 2>/dev/null
for old in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.{8,9}.*/bin/python3 /usr/bin/python3; do
  [ -x "$old" ] || continue
  "$old" -I -S "$work/deb-collect.pyz" -o "$work/deb-old.tar.gz" \
    || { echo "the .deb's collector failed on $old"; exit 1; }
done
echo "packaging: sdist, wheel, headless install and $(basename "$deb") all good"
