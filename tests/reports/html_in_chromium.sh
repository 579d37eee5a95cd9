#!/bin/sh
# A real run with one failing case and --html, its page checked in headless Chromium.
# html_in_chromium.sh SOCKDRILL SOCKDRILL_PEER SOURCE_DIR [SCREENSHOT.png]
# Exit 77 (skipped) only when Chromium or Node.js is missing.
set -u
sockdrill=$1 peer=$2 source=$3 screenshot=${4:-}
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ] || ! command -v node >/dev/null 2>&1; then
  echo "skipped: needs $chromium and node (scripts/setup.sh installs them)"
  exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sockdrill-html-chromium.XXXXXX")
cleanup() {
  # Chromium's process group, should the Node.js script have died before killing it.
  if [ -s "$work/chromium.pgid" ]; then kill -KILL -- "-$(cat "$work/chromium.pgid")" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# One case that must fail (a wrong "always" window on CLOSE_WAIT), two that pass.
# From the source folder, so the page shows the files as a reader of the repository knows them.
(cd "$source" && SOCKDRILL_PEER=$peer "$sockdrill" run --html "$work/report.html" \
  cases/close_wait/forgotten_close.json tests/harness/wrong/close_wait_goes_away.json \
  cases/reset/unread_data.json) >"$work/run.txt" 2>&1
status=$?
cat "$work/run.txt"
if [ "$status" -ne 1 ]; then
  echo "FAILED: sockdrill run exited $status, expected 1 (one case fails)"
  exit 1
fi
if ! grep -q '^FAIL *close_wait_goes_away' "$work/run.txt"; then
  echo "FAILED: close_wait_goes_away did not fail"
  exit 1
fi

TMPDIR=$work node --experimental-websocket "$(dirname "$0")/html_in_chromium.mjs" "$work/report.html" \
  --cases forgotten_close,close_wait_goes_away,unread_data \
  --message 'expected sockets of peer "client" in CLOSE_WAIT: count 0 from 200 to 400 ms' \
  --pgid-file "$work/chromium.pgid" ${screenshot:+--screenshot "$screenshot"}
status=$?

# Nothing of Chromium may outlive the check: no process still uses its profile (under $work).
left=
for f in /proc/[0-9]*/cmdline; do
  case "$(tr '\0' ' ' <"$f" 2>/dev/null)" in
    *"--user-data-dir=$work/"*) pid=${f#/proc/}; left="$left ${pid%/cmdline}" ;;
  esac
done
if [ -n "$left" ]; then
  echo "FAILED: Chromium processes outlived the check:$left"
  exit 1
fi
exit "$status"
