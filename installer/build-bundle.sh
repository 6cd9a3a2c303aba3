#!/usr/bin/env bash
# Build the PyInstaller onedir bundle (dist/kernel-advisor/) and smoke-test it offscreen.
#   installer/build-bundle.sh [PYTHON]   (PYTHON: an interpreter with the app and pyinstaller installed)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
py=${1:-python3}
# the bundle is the wizard: a Python without Qt would build one that cannot start it
for module in PySide6 PyInstaller kernel_advisor; do
  if ! "$py" -c "import $module" 2>/dev/null; then
    echo "build-bundle.sh: $py cannot import $module; install the app with its GUI and bundle" \
         "extras first: $py -m pip install -e '.[gui,bundle]'" >&2
    exit 2
  fi
done
"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/kernel-advisor.spec
bundle=dist/kernel-advisor/kernel-advisor
export QT_QPA_PLATFORM=offscreen
"$bundle" --version
[ -f dist/kernel-advisor/_internal/LICENSE ] || [ -f dist/kernel-advisor/LICENSE ]
start=$(date +%s%N)
set +e
"$bundle" check --offline > build/bundle-check.txt
rc=$?
set -e
end=$(date +%s%N)
[ "$rc" -le 1 ] || { echo "bundle check failed ($rc)"; cat build/bundle-check.txt; exit 1; }
grep -q "Stability:" build/bundle-check.txt
# the vCPU run's child is the frozen executable itself (KERNEL_ADVISOR_VCPU_CHILD,
# installer/launch.py): where this machine's KVM runs a vCPU, the bundle's check must say so too
if "$py" -c 'import sys; from kernel_advisor import vcpu; sys.exit(not vcpu.run_here()["ran"])' \
    2>/dev/null; then
  grep -q "a vCPU ran guest code to HLT" build/bundle-check.txt ||
    { echo "the bundle's vCPU run failed:"; grep -i "vcpu" build/bundle-check.txt; exit 1; }
fi
"$bundle" report -f pdf -o build/bundle-report.pdf --offline >/dev/null 2>&1
# the fleet from the bundle: its collector (packed from the bundled sources) and its workers
"$bundle" collector -o build/bundle-collect.pyz 2>/dev/null
python3 -I -S build/bundle-collect.pyz -o build/bundle-snapshot.tar.gz
# and on the oldest Pythons of a fleet, where this machine has them (pyenv's)
for old in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.{8,9}.*/bin/python3; do
  [ -x "$old" ] || continue
  "$old" -I -S build/bundle-collect.pyz -o build/bundle-snapshot-old.tar.gz
done
mkdir -p build/bundle-fleet && cp build/bundle-snapshot.tar.gz build/bundle-fleet/a.tar.gz
cp build/bundle-snapshot.tar.gz build/bundle-fleet/b.tar.gz
"$bundle" fleet build/bundle-fleet --offline --json -j 2 | grep -q '"analysed": 2'
# the oldest glibc it runs on: the newest GLIBC_ version any of its ELF files asks for (the
# README states it; a bundle built on a newer system raises it, and this says so)
floor=$(find dist/kernel-advisor -type f \( -name '*.so*' -o -perm -u+x \) -print0 \
  | xargs -0 objdump -T 2>/dev/null | awk '/\*UND\*/' | grep -o 'GLIBC_[0-9][0-9.]*' \
  | sort -uV | tail -1 | cut -d_ -f2)
grep -q "glibc $floor or newer" README.md \
  || { echo "build-bundle.sh: this bundle needs glibc $floor or newer; the README must say so" >&2
       exit 1; }
echo "bundle: needs glibc $floor or newer; $(du -sh dist/kernel-advisor | cut -f1) on disk; 'check --offline' took $(( (end - start) / 1000000 )) ms"
