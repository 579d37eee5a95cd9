#!/usr/bin/env bash
# Set-up, build, then run every test: the GoogleTest suites and one ctest per case file (build/);
# then the same suite built with AddressSanitizer + UndefinedBehaviorSanitizer (preset asan,
# build-asan/); then each libFuzzer target of fuzz/ for SOCKDRILL_FUZZ_SECONDS (preset fuzz,
# build-fuzz/, clang). Arguments go to the first ctest. Leave a part out with
# SOCKDRILL_TEST_SANITIZE=0 or SOCKDRILL_TEST_FUZZ=0. Every part runs; the status is 1 if any failed.
# The asan preset compiles at -O1 -g1 (line tables are enough for reports): 40% less build time
# than -O2 -g, which CI's 90 minutes on 2 cores need.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_DIR=${SOCKDRILL_BUILD_DIR:-build}
jobs=$(nproc)
failed=()
times=()

# part NAME COMMAND...: runs it and notes its time; a failure is noted and returned.
part() {
  local name=$1 start=$SECONDS
  shift
  echo "== sockdrill test: $name"
  if "$@"; then
    times+=("$name: $((SECONDS - start)) s")
    return 0
  fi
  times+=("$name: $((SECONDS - start)) s, FAILED")
  failed+=("$name")
  return 1
}

part "suite" ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$jobs" --timeout 600 "$@" || true

if [[ ${SOCKDRILL_TEST_SANITIZE:-1} != 0 ]]; then
  if part "asan+ubsan build" bash -c "cmake --preset asan >/dev/null && cmake --build --preset asan -j$jobs"; then
    # Field-size cases (label field_size) need the machine's full speed: the suite above runs them.
    # Sanitizers slow every process several times over, and cases' time windows are written for
    # the real speed: a test that fails here runs once more (ctest prints both results). A late
    # timer passes the retry; a memory error that shows again fails the run.
    part "asan+ubsan suite" ctest --preset asan -j"$jobs" --timeout 900 -LE field_size \
      --repeat until-pass:2 || true
  fi
fi

if [[ ${SOCKDRILL_TEST_FUZZ:-1} != 0 ]]; then
  fuzz_seconds=${SOCKDRILL_FUZZ_SECONDS:-60}
  if part "fuzz build" bash -c "cmake --preset fuzz -DSOCKDRILL_FUZZ_SECONDS=$fuzz_seconds >/dev/null &&
                                cmake --build --preset fuzz -j$jobs"; then
    part "fuzz, $fuzz_seconds s per target" ctest --preset fuzz -j"$jobs" || true
  fi
fi

echo "== sockdrill test: times"
printf '   %s\n' "${times[@]}"
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
