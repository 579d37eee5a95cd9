#!/usr/bin/env bash
# Set-up, build, then run every test: the GoogleTest suites and one ctest per case file.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_DIR=${SOCKDRILL_BUILD_DIR:-build}
cd "$BUILD_DIR"
exec ctest --output-on-failure -j"$(nproc)" --timeout 600 "$@"
