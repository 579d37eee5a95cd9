#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time, from the seed corpora in the tree plus what
# earlier runs in this build dir found; fails, naming the reproducer, when the target crashed,
# aborted, threw, leaked, hung or ran out of memory on some input.
# usage: run_fuzzer.sh FUZZER WORK_DIR SECONDS RSS_LIMIT_MB [-flag=value...] SEED_DIR...
#   New inputs go to WORK_DIR/corpus (never to the seed folders), findings to WORK_DIR/found/.
set -uo pipefail
if [[ $# -lt 5 ]]; then
  echo "usage: $0 FUZZER WORK_DIR SECONDS RSS_LIMIT_MB [-flag=value...] SEED_DIR..." >&2
  exit 2
fi
fuzzer=$1 work=$2 seconds=$3 rss_mb=$4
shift 4
name=$(basename "$fuzzer")
mkdir -p "$work/corpus" "$work/found" || exit 2
rm -f "$work"/found/*  # what is there is this run's

# -timeout: one input taking longer than 10 s is a hang. Nothing of the test's environment's
# sanitizer options (a watcher's log_path, say) may hide a report from libFuzzer.
env -u ASAN_OPTIONS -u UBSAN_OPTIONS -u LSAN_OPTIONS \
  "$fuzzer" -max_total_time="$seconds" -rss_limit_mb="$rss_mb" -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$work/found/" "$work/corpus" "$@" >"$work/log" 2>&1
status=$?

if [[ $status -eq 0 ]]; then
  grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$work/log" | tr '\n' ' '
  echo "($name, ${seconds} s, corpus $(ls "$work/corpus" | wc -l) inputs)"
  exit 0
fi
echo "FAIL: $name exited with status $status after fuzzing; the end of its log ($work/log):"
tail -n 60 "$work/log"
shopt -s nullglob
found=("$work"/found/crash-* "$work"/found/leak-* "$work"/found/timeout-* "$work"/found/oom-*)
if ((${#found[@]} == 0)); then
  echo "no reproducer was written; see the log above"
fi
for f in "${found[@]}"; do
  echo "reproducer: $f"
  echo "  replay it: $fuzzer $f"
done
echo "Once fixed, keep the reproducer as a seed (fuzz/corpus/<target>/) and add a unit test for it."
exit 1
