#!/usr/bin/env bash
# Installs what sockdrill needs from Debian's packages (only what is missing), then builds it.
# `--no-build`: the packages only (scripts/bench.sh builds a tree of its own).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=1
case "${1:-}" in
  --no-build) BUILD=0 ;;
  "") ;;
  *) echo "usage: scripts/setup.sh [--no-build]" >&2; exit 2 ;;
esac

PACKAGES=(
  build-essential cmake pkg-config g++
  libboost1.81-dev nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
  libnftables-dev libmnl-dev libcli11-dev libpcap-dev
  tcpdump          # tests: reads back the --pcap captures
  chromium         # tests: renders the HTML report headless
  python3-jsonschema python3-junitparser  # tests: a real schema validator and JUnit reader
  uidmap           # newuidmap/newgidmap: a full id range for a user with /etc/subuid entries
  iproute2 util-linux procps python3 nftables
  curl socat netcat-openbsd nodejs   # programs under test in cases/real/
  # fuzz/ (scripts/test.sh): clang; its libFuzzer and sanitizer runtimes (libclang-rt-14-dev, only a
  # recommendation of clang); llvm-symbolizer (llvm), without which its reports name no function.
  clang libclang-rt-14-dev llvm
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "sockdrill setup: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# tests: npm installs the trace reader (tests/reports/trace_reader, pinned by its lock). Only when
# no npm is there: a Node.js that brings its own npm conflicts with Debian's npm package.
if ! command -v npm >/dev/null; then
  echo "sockdrill setup: installing npm"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm
fi

if ((BUILD == 0)); then exit 0; fi
BUILD_DIR=${SOCKDRILL_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOCKDRILL_BUILD_TESTS=ON >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
