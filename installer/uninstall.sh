#!/usr/bin/env bash
# Remove exactly what installer/install.sh placed (listed in its manifest), nothing else.
# Settings and caches (~/.cache/kernel-advisor, ~/.local/state/kernel-advisor) are kept unless
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
while IFS= read -r path; do
  [ -n "$path" ] || continue
  case "$path" in
    "$appdir"/venv) rm -rf -- "$path" ;;
    *) rm -f -- "$path" ;;
  esac
done < "$manifest"
rm -f -- "$manifest"
rmdir "$appdir" 2>/dev/null || true
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
if [ "$purge" = 1 ]; then
  rm -rf -- "${XDG_CACHE_HOME:-$HOME/.cache}/kernel-advisor" "${XDG_STATE_HOME:-$HOME/.local/state}/kernel-advisor"
fi
echo "Kernel Advisor removed."
