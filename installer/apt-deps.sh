# Sourced by installer/install.sh and tools/test.sh: make sure Debian packages are installed.
# ensure_debs MODE PKG...: MODE is "warn" (print the apt line and go on when not root) or "need"
# (print it and fail). As root, missing packages are installed with apt-get.
ensure_debs() {
  local mode=$1; shift
  local missing=() d
  command -v dpkg-query >/dev/null || return 0
  for d in "$@"; do
    dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q "install ok installed" || missing+=("$d")
  done
  ((${#missing[@]})) || return 0
  if [ "$(id -u)" = 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    return 0
  fi
  echo "These system packages are needed; install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  [ "$mode" = warn ]
}

# Qt's runtime libraries (PySide6 wheels) and what the venv needs.
QT_DEBS=(python3 python3-venv python3-pip libgl1 libegl1 libfontconfig1 libxkbcommon0
         libxkbcommon-x11-0 libglib2.0-0 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-image0
         libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
         libxcb-xkb1 libxcb-xfixes0 fonts-dejavu-core desktop-file-utils)

# Building and checking the Debian package (tools/check-packaging.sh).
DEB_BUILD_DEBS=(debhelper dh-python pybuild-plugin-pyproject python3-all python3-setuptools
                python3-wheel python3-build python3-installer python3-requests python3-packaging
                lintian fakeroot dpkg-dev
                python3-pytest python3-hypothesis python3-jsonschema)  # dh_auto_test
