#!/usr/bin/env bash
# The README's quick-start commands:
#   packaging/quickstart.sh run   install what is missing, build Release, open the example project
#   packaging/quickstart.sh test  install what is missing, build, run the whole test suite
# and, for CI: `packages` prints the install list, `configure` installs and configures only.
#   packaging/quickstart.sh deb   install what is missing, build, make the .deb package (cpack)
# Idempotent: packages already present are not reinstalled and the build is incremental.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode=${1:-}
case "$mode" in run|test|deb|configure|packages) ;; *) echo "usage: $0 run|test|deb" >&2; exit 1 ;; esac

packages=(cmake ninja-build g++ ccache pkg-config
  qt6-base-dev libqt6opengl6-dev qt6-charts-dev qt6-svg-dev libqcustomplot-dev
  libyaml-cpp-dev libsqlite3-dev libreadstat-dev libcsv-dev
  fonts-dejavu-core xvfb xauth pspp python3 python3-scipy
  dpkg-dev fakeroot desktop-file-utils appstream poppler-utils)
# libqt6opengl6-dev is only a Recommends of qt6-base-dev, yet Qt6Charts' CMake package needs it.

if [ "$mode" = packages ]; then
  echo "${packages[*]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

build=${ANTHOLOGY_BUILD_DIR:-build}
# Let ccache share results between clones of the tree (paths below here are made relative).
export CCACHE_BASEDIR="$PWD"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
[ "$mode" = configure ] && exit 0
if [ "$mode" = deb ]; then
  # Only what the package holds: no tests or benchmarks to compile.
  cmake --build "$build" --parallel "$(nproc)" \
    --target anthology anthology-workbench anthology_cli_docs anthology_icons
else
  cmake --build "$build" --parallel "$(nproc)"
fi

if [ "$mode" = deb ]; then
  (cd "$build" && cpack -G DEB)
  echo "Install it with: sudo apt install ./$build/$(cd "$build" && ls -t anthology-workbench_*.deb | head -1)"
  exit 0
fi
if [ "$mode" = test ]; then
  exec ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" --timeout 900
fi

example="$build/example/Example.anthology"
if [ ! -f "$example" ]; then
  mkdir -p "$(dirname "$example")"
  "$build/app/anthology" project init "$example" --example
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found: starting the workbench under xvfb-run." >&2
  exec xvfb-run -a "$build/app/anthology-workbench" "$example"
fi
exec "$build/app/anthology-workbench" "$example"
