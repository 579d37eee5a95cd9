#!/usr/bin/env bash
# Set-up, build, then run the whole case library (extra arguments go to `sockdrill run`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_DIR=${SOCKDRILL_BUILD_DIR:-build}
exec "$BUILD_DIR/bin/sockdrill" run --report "$BUILD_DIR/reports" --junit "$BUILD_DIR/reports/junit.xml" "${@:-cases}"
