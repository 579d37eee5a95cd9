#!/usr/bin/env bash
# watch.sh fails a test whose child process made a sanitizer report, though every process of the
# test exited 0, and prints the report; without a report it passes the test's own status through.
# usage: watch_test.sh WATCH_SH SUPPRESSIONS_DIR REPORT_IN_CHILD
set -uo pipefail
watch=$1 suppressions=$2 helper=$3
failures=0
# watch.sh keeps the folder of a test with reports, as it should: the three made here on purpose go
# in a folder of this test's own, removed at its end.
TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/sockdrill-watch-test.XXXXXX") || exit 2
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
expect() {  # expect KIND STATUS TEXT
  local out status
  out=$("$watch" "$suppressions" "$helper" "$1" 2>&1)
  status=$?
  if [[ $status -ne $2 ]]; then
    echo "FAIL: $1: watch.sh exited $status, expected $2; it printed:"; echo "$out"
    failures=$((failures + 1))
  elif [[ -n $3 && $out != *"$3"* ]]; then
    echo "FAIL: $1: the output does not show \"$3\"; it printed:"; echo "$out"
    failures=$((failures + 1))
  else
    echo "ok: $1 -> $status"
  fi
}
expect none 0 ""
expect asan 1 "ERROR: AddressSanitizer: heap-use-after-free"
expect ubsan 1 "runtime error: signed integer overflow"
expect leak 1 "ERROR: LeakSanitizer: detected memory leaks"
# The test's own failure is kept when there is no report.
out=$("$watch" "$suppressions" sh -c 'exit 3' 2>&1)
status=$?
[[ $status -eq 3 ]] || { echo "FAIL: a failing command without reports gave $status, expected 3: $out"; failures=$((failures + 1)); }
exit $((failures > 0))
