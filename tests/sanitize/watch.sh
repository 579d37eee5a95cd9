#!/usr/bin/env bash
# Runs one test with every sanitizer report of its processes written to a folder of its own, and
# fails the test when that folder is not empty afterwards. The harness keeps the stderr of its
# runners and peers to itself (in case reports, printed only when a case fails), and a peer's
# leak check never runs (peers are killed): a report in a file is the one that cannot be missed.
# usage: watch.sh SUPPRESSIONS_DIR COMMAND [ARG...]
#   SUPPRESSIONS_DIR holds asan.supp, lsan.supp, ubsan.supp (each optional); options the test's
#   own environment gives in ASAN_OPTIONS etc. are kept and come after these.
set -uo pipefail
if [[ $# -lt 2 ]]; then echo "usage: $0 SUPPRESSIONS_DIR COMMAND [ARG...]" >&2; exit 2; fi
suppressions=$1
shift
reports=$(mktemp -d "${TMPDIR:-/tmp}/sockdrill-sanitizer.XXXXXX") || exit 2
# A case run as user nobody (tests/harness/unprivileged.sh) writes its reports here too.
chmod 1777 "$reports"

common="log_path=$reports/report:log_exe_name=1"
options_for() {  # options_for SANITIZER VALUE_GIVEN_BY_THE_TEST
  local o="$common"
  [[ -f "$suppressions/$1.supp" ]] && o+=":suppressions=$suppressions/$1.supp"
  [[ -n "$2" ]] && o+=":$2"
  echo "$o"
}
ASAN_OPTIONS=$(options_for asan "${ASAN_OPTIONS:-}")
LSAN_OPTIONS=$(options_for lsan "${LSAN_OPTIONS:-}")
UBSAN_OPTIONS=$(options_for ubsan "print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}")
export ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS

# A signal to this shell (a stopped CI run) waits for the test to end, then the folder is still
# looked at and removed: without the trap the shell died at once and left it behind.
trap ':' INT TERM HUP
"$@"
status=$?

found=()
for f in "$reports"/report*; do [[ -e "$f" ]] && found+=("$f"); done
if ((${#found[@]} == 0)); then
  rm -rf "$reports"
  exit "$status"
fi
echo "FAIL: ${#found[@]} sanitizer report(s) from the processes of this test (exit status $status), kept in $reports:"
for f in "${found[@]}"; do
  echo "---- $f"
  cat "$f"
done
exit 1
