#!/usr/bin/env bash
# Remove exactly what installer/install.sh placed: the menu entry and its companions (through
# 'kernel-advisor uninstall-desktop', which keeps its own list), then the launcher and the venvs
# (listed in kernel-advisor/installed-files). Caches (~/.cache/kernel-advisor) are kept unless
# --purge is given.
set -euo pipefail
data=${XDG_DATA_HOME:-$HOME/.local/share}
appdir=$data/kernel-advisor
manifest=$appdir/installed-files
purge=0
[ "${1:-}" = "--purge" ] && purge=1
if [ ! -f "$manifest" ]; then
  echo "uninstall.sh: Kernel Advisor is not installed for $USER (no $manifest)" >&2
  exit 1
fi
if [ -x "$appdir/venv/bin/kernel-advisor" ]; then
  "$appdir/venv/bin/kernel-advisor" -q uninstall-desktop
fi
while IFS= read -r path; do
  [ -n "$path" ] || continue
  case "$path" in
    "$appdir"/venvs) rm -rf -- "$path" ;;
    *) rm -f -- "$path" ;;
  esac
done < "$manifest"
rm -f -- "$manifest"
rmdir "$appdir" 2>/dev/null || true
if [ "$purge" = 1 ]; then
  rm -rf -- "${XDG_CACHE_HOME:-$HOME/.cache}/kernel-advisor" "${XDG_STATE_HOME:-$HOME/.local/state}/kernel-advisor"
fi
echo "Kernel Advisor removed."
