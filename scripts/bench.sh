#!/usr/bin/env bash
# Set-up, the benchmark build (preset bench) and every benchmark in one run, ending in one table.
#
#   scripts/bench.sh           the full run (observer up to 100,000 sockets; under 15 minutes here)
#   scripts/bench.sh --quick   small sizes, few repetitions (under 2 minutes once built)
#
# Every part measures its rows side by side in this run; bench/bench_table.py prints the target
# ratios, then the table, the machine and the commit. As root the namespaces are made directly;
# as a user each part makes a user namespace of its own (unshare -rn), and a part that cannot
# run is named with why at the end, the others still run.
#
#   SOCKDRILL_BENCH_BUILD=DIR scripts/bench.sh   use DIR/bin as it is (a build configured with
#                                                -DSOCKDRILL_BUILD_BENCH=ON), no set-up or build
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=full
case "${1:-}" in
  --quick) MODE=quick ;;
  "") ;;
  -h | --help)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "usage: scripts/bench.sh [--quick]" >&2
    exit 2
    ;;
esac

if [[ -n ${SOCKDRILL_BENCH_BUILD:-} ]]; then
  BIN=$SOCKDRILL_BENCH_BUILD/bin
  for program in sockdrill sockdrill_observe_bench sockdrill_proxy_bench; do
    if [[ ! -x $BIN/$program ]]; then
      echo "bench: no $BIN/$program (configure $SOCKDRILL_BENCH_BUILD with -DSOCKDRILL_BUILD_BENCH=ON and build it)" >&2
      exit 2
    fi
  done
else
  scripts/setup.sh --no-build
  echo "bench: building (preset bench, build-bench/; its output in build-bench/bench-build.log)"
  cmake --preset bench >/dev/null
  if ! cmake --build --preset bench -j"$(nproc)" >build-bench/bench-build.log 2>&1; then
    tail -n 40 build-bench/bench-build.log >&2
    echo "bench: the build failed (build-bench/bench-build.log)" >&2
    exit 1
  fi
  BIN=build-bench/bin
fi
RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/sockdrill-bench.XXXXXX")
trap 'rm -rf "$RESULTS"' EXIT
ROWS="$RESULTS/rows.tsv"
: >"$ROWS"

if [[ $MODE == quick ]]; then
  OBSERVE=(--sizes=1000,10000 --repetitions=3 --min_time=0.05)
  PROXY=(--mib=32 --repetitions=3)
  TRIVIAL_ROUNDS=15
  SNAPSHOT=(--count 2000 --repetitions 5)
else
  OBSERVE=(--sizes=1000,10000,40000,100000 --repetitions=7 --min_time=0.2)
  PROXY=(--mib=256 --repetitions=5)
  TRIVIAL_ROUNDS=31
  SNAPSHOT=(--count 19000 --repetitions 7)
fi

# run_part NAME SECONDS COMMAND...: its output shown as it comes (its error output after it); a
# failure or a timeout leaves the part out, named with its last line of error output, and the
# run goes on.
run_part() {
  local name=$1 seconds=$2
  shift 2
  echo
  echo "=== $name"
  local started=$SECONDS
  if timeout --kill-after=10 "$seconds" "$@" 2>"$RESULTS/stderr"; then
    cat "$RESULTS/stderr" >&2
    echo "=== $name: $((SECONDS - started)) s"
  else
    local status=$?
    cat "$RESULTS/stderr" >&2
    local why
    why=$(grep -v '^\s*$' "$RESULTS/stderr" | tail -n 1 || true)
    if ((status == 124)); then why="did not finish within $seconds s"; fi
    printf 'skipped\t%s\t%s\n' "$name" "${why:-exit status $status}" >>"$ROWS"
  fi
}

run_part "1. observer" 600 "$BIN/sockdrill_observe_bench" "${OBSERVE[@]}" --results="$ROWS"
run_part "2. trivial case" 180 /usr/bin/python3 bench/trivial_case.py "$BIN/sockdrill" \
  --rounds "$TRIVIAL_ROUNDS" --results "$ROWS"
run_part "3. proxy" 300 "$BIN/sockdrill_proxy_bench" "${PROXY[@]}" --results="$ROWS"
run_part "4. snapshot" 180 /usr/bin/python3 bench/snapshot_vs_ss.py "$BIN/sockdrill" "${SNAPSHOT[@]}" \
  --results "$ROWS"
if [[ $MODE != quick ]]; then  # the whole machine for about 20 s
  run_part "5. field case" 180 /usr/bin/python3 bench/field_case.py "$BIN/sockdrill" --results "$ROWS"
fi

echo
echo "=== sockdrill bench ($MODE), $(date -u '+%Y-%m-%d %H:%M UTC'), as $(id -un)"
/usr/bin/python3 bench/bench_table.py "$ROWS"
