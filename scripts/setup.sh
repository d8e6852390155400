#!/usr/bin/env bash
# Installs gwsim's build dependencies (Debian 12 packages only) and builds gwsim in Release
# into build/. Idempotent: apt is skipped when every package is already installed, and the
# build is incremental. Run as root (or as a user with sudo) from any directory.
#
#   GWSIM_BUILD_DIR   build directory (default: build, in the repository)
#   GWSIM_JOBS        parallel build jobs (default: nproc)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${GWSIM_BUILD_DIR:-$repo/build}"
jobs="${GWSIM_JOBS:-$(nproc)}"

# Why each package is here: docs/dependencies.md.
packages=(
  build-essential cmake pkg-config
  libboost1.74-dev nlohmann-json3-dev libcpp-httplib-dev libyaml-cpp-dev libre2-dev
  libcli11-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev
  chromium
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  as_root=()
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      as_root=(sudo)
    else
      echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
      exit 1
    fi
  fi
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
else
  echo "setup: all packages present"
fi

cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build_dir" -j"$jobs"
echo "setup: built $build_dir/bin/gwsim"
