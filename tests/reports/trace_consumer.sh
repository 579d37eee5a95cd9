#!/usr/bin/env bash
# A real run's --trace read by Chrome DevTools' trace engine (npm, pinned by the committed lock):
# installs it once into WORK/node_modules with `npm ci`, runs two cases with --trace and
# --report, and has tests/reports/trace_reader/read_trace.mjs find what the reports say in it.
# Usage: trace_consumer.sh SOCKDRILL SOCKDRILL_PEER WORK CASE...
set -euo pipefail
sockdrill=$1 peer=$2 work=$3
shift 3
here=$(cd "$(dirname "$0")/trace_reader" && pwd)

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "trace_consumer: $tool is missing (scripts/setup.sh installs it)"; exit 1; }
done
mkdir -p "$work"
work=$(cd "$work" && pwd)
if ! cmp -s "$here/package-lock.json" "$work/package-lock.json" || [[ ! -d $work/node_modules ]]; then
  cp "$here/package.json" "$here/package-lock.json" "$work/"
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error) ||
    { echo "trace_consumer: npm ci of the trace reader failed (is the npm registry reachable?)"; exit 1; }
fi
cp "$here/read_trace.mjs" "$work/"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
SOCKDRILL_PEER=$peer "$sockdrill" run --trace "$out/run.trace.json" --report "$out/report" "$@" || status=$?
if ((status > 1)); then echo "trace_consumer: sockdrill run exited $status"; exit 1; fi
[[ -s $out/run.trace.json ]] || { echo "trace_consumer: no $out/run.trace.json"; exit 1; }
node "$work/read_trace.mjs" "$out/run.trace.json" "$out/report"
# Each case's own trace beside its report is read the same way.
cd "$out/report"
find cases -name '*.json' ! -name '*.trace.json' | while read -r report; do
  printf '{"cases":[{"report":"%s"}]}' "$report" >"$out/one.summary.json"
  mkdir -p "$out/one" && cp -r cases "$out/one/" && cp "$out/one.summary.json" "$out/one/summary.json"
  node "$work/read_trace.mjs" "${report%.json}.trace.json" "$out/one"
  rm -rf "$out/one"
done
