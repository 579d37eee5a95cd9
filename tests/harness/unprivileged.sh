#!/usr/bin/env bash
# Runs the case library as user nobody (made root only inside a user namespace) and checks that
# every case passes, as it does for root. Skips (77) when not run as root or without setpriv.
set -uo pipefail
sockdrill=$1 peer=$2 cases=$3 jobs=${4:-2}
if [[ $(id -u) -ne 0 ]]; then echo "not root: already unprivileged, nothing to switch"; exit 77; fi
command -v setpriv >/dev/null || { echo "no setpriv"; exit 77; }
work=$(mktemp -d /tmp/sockdrill-unpriv.XXXXXX)
trap 'rm -rf "$work"' EXIT
# nobody must be able to read the binaries and the cases: copy them somewhere it can.
cp "$sockdrill" "$peer" "$work/"
cp -r "$cases" "$work/cases"
rm -rf "$work/cases/scale/field"  # field size: run once, by the suite (label field_size)
chmod -R a+rX "$work"
mkdir "$work/report" && chmod 777 "$work/report"
cd "$work"
setpriv --reuid=65534 --regid=65534 --clear-groups \
  env SOCKDRILL_PEER="$work/$(basename "$peer")" "$work/$(basename "$sockdrill")" run --jobs "$jobs" --report "$work/report" "$work/cases" | tee "$work/run.txt"
status=${PIPESTATUS[0]}
# What did not pass, again at the end: a CI log shows a failed test's last lines.
if [[ $status -ne 0 ]]; then echo "== not passed:"; grep -v '^PASS' "$work/run.txt"; fi
grep -q '"isolation": "user namespace' "$work"/report/cases/*/*.json "$work"/report/cases/*.json 2>/dev/null \
  || { echo "FAIL: the cases did not run through a user namespace"; exit 1; }
exit $status
