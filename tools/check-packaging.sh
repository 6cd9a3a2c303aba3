#!/usr/bin/env bash
# What a packager does, checked (tools/test.sh runs this once; it is the slow part):
#  1. python -m build: the sdist, then the wheel built from it, into $KERNEL_ADVISOR_DISTS when
#     set (tools/test.sh sets it, so pytest's tests/test_packaging.py checks these very files
#     without building again), with no deprecation warning; twine check --strict;
#     check-wheel-contents;
#  2. the headless install: the wheel without the [gui] extra in a fresh venv — no PySide6 —
#     runs check/snapshot/fleet/report -f md|json|html, says what to install for the wizard, and
#     the unpacked sdist's own suite passes there (its GUI tests are not collected);
#  3. the Debian package of the headless part, the Debian way: source format 3.0 (quilt), the
#     sdist as the orig tarball plus debian/ (which the sdist does not carry), built with
#     dpkg-buildpackage (dh-python, pybuild; dh_auto_test runs the suite Debian 12 can run):
#     lintian clean on source and binary, its contents, its kernel-advisor check and collector
#     run with Debian's python3.
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
"$py" -m check_wheel_contents "$dist"/*.whl
# the build itself warns of nothing that will stop it working (the licence table's deadline)
if grep -i "deprecat\|SetuptoolsWarning" "$work/build.log"; then echo "the build warns"; exit 1; fi

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
# shellcheck source=installer/apt-deps.sh
. installer/apt-deps.sh
ensure_debs need "${DEB_BUILD_DEBS[@]}"  # installs only what is missing
if tar -tzf "$dist/kernel_advisor-$version.tar.gz" | grep -q "^kernel_advisor-$version/debian/"; then
  echo "the sdist carries debian/"; exit 1
fi
mkdir "$work/deb"
cp "$dist/kernel_advisor-$version.tar.gz" "$work/deb/kernel-advisor_$version.orig.tar.gz"
tar -C "$work/deb" -xzf "$work/deb/kernel-advisor_$version.orig.tar.gz"
mv "$work/deb/kernel_advisor-$version" "$work/deb/kernel-advisor-$version"
cp -a debian "$work/deb/kernel-advisor-$version/debian"
(cd "$work/deb/kernel-advisor-$version" && env PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    dpkg-buildpackage -us -uc >"$work/deb.log" 2>&1) || { tail -60 "$work/deb.log"; exit 1; }
grep -q "^dpkg-source: info: applying setuptools-66-licence-table.patch" "$work/deb.log" \
  || { echo "the Debian patch was not applied"; exit 1; }
# dh_auto_test ran the suite (not one smoke check), and it passed
grep -E "^=+ [0-9]+ passed" "$work/deb.log" || { echo "dh_auto_test ran no suite"; exit 1; }
for f in "$work/deb/kernel-advisor_$version-1.dsc" \
    "$work/deb/kernel-advisor_$version-1.debian.tar.xz"; do
  [ -f "$f" ] || { echo "no source package: $f"; exit 1; }
done
deb=$work/deb/kernel-advisor_${version}-1_all.deb
out=$(env PATH=/usr/sbin:/usr/bin:/sbin:/bin lintian --fail-on error,warning \
    "$work"/deb/kernel-advisor_*.changes 2>&1) || { echo "$out"; exit 1; }
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
