#!/usr/bin/env bash
# Install the peer tools the benchmarks compare against, and Xvfb (Debian 12, as root).
set -euo pipefail
DEBIAN_FRONTEND=noninteractive apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  libvirt-clients cpu-checker util-linux systemd virt-what xvfb xdotool >/dev/null
# the app as users install it (a plain venv, not the editable development one)
"$(dirname "$0")/../installer/install.sh" --no-launch
echo "peers installed: $(command -v virt-host-validate kvm-ok lscpu systemd-detect-virt virt-what | tr '\n' ' ')"
