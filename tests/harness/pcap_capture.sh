#!/usr/bin/env bash
# --pcap end to end: runs a case whose connection has a SYN, a FIN and an RST with --pcap, and
# reads the capture back with tcpdump; as the calling user, and again as user nobody through a
# user namespace when called as root. Skips (77) without tcpdump.
set -uo pipefail
sockdrill=$1 peer=$2 case_file=$3
command -v tcpdump >/dev/null || { echo "no tcpdump"; exit 77; }
work=$(mktemp -d /tmp/sockdrill-pcap.XXXXXX)
trap 'rm -rf "$work"' EXIT
# Everything where nobody can read it; the case one folder down, so its name makes a subfolder.
cp "$sockdrill" "$peer" "$work/"
mkdir -p "$work/lib/reset"
cp "$case_file" "$work/lib/reset/"
chmod -R a+rX "$work"
name=$(basename "$case_file" .json)
failures=0
fail() { echo "FAIL ($label): $*"; failures=$((failures + 1)); }

# $1: a label; the rest: the command prefix that runs sockdrill (empty, or setpriv ...).
run_and_read() {
  label=$1; shift
  local out="$work/out-$label"
  mkdir -p "$out" && chmod 777 "$out"
  "$@" env SOCKDRILL_PEER="$work/$(basename "$peer")" "$work/$(basename "$sockdrill")" run \
    --pcap "$out/captures" --report "$out/report" "$work/lib" >"$out/terminal" 2>&1
  local status=$?
  [[ $status -eq 0 ]] || fail "sockdrill exited with $status: $(cat "$out/terminal")"
  local file="$out/captures/reset/$name.pcap"
  local report="$out/report/cases/reset/$name.json"
  [[ -s $file ]] || { fail "no capture at $file: $(ls -R "$out/captures" 2>&1)"; return; }
  grep -qF "\"pcap\": \"$file\"" "$report" || fail "the report does not name $file: $(grep pcap "$report")"
  grep -q '"warnings"' "$report" && fail "the report has warnings: $(grep -A3 '"warnings"' "$report")"
  # The client connects from an address of its own (127.77.H.L) to the server's listener.
  local text
  text=$(tcpdump -nr "$file" 2>"$out/tcpdump.err") || { fail "tcpdump cannot read $file: $(cat "$out/tcpdump.err")"; return; }
  local client='127\.77\.[0-9]+\.[0-9]+\.[0-9]+' server='127\.0\.0\.1\.[0-9]+'
  grep -Eq "IP $client > $server: Flags \[S\]," <<<"$text" || fail "no SYN from the client to the server in:
$text"
  grep -Eq "IP $client > $server: Flags \[F\.?\]," <<<"$text" || fail "no FIN from the client in:
$text"
  grep -Eq "IP $server > $client: Flags \[R\.?\]," <<<"$text" || fail "no RST from the server in:
$text"
  echo "$label: $(wc -l <<<"$text") packets in $file"
}

# A folder that cannot be written is refused before any case starts (exit 2, naming it).
label=refused
touch "$work/a-file"
refused=$(SOCKDRILL_PEER="$peer" "$sockdrill" run --pcap "$work/a-file/captures" "$work/lib" 2>&1)
status=$?
[[ $status -eq 2 ]] || fail "an unwritable --pcap folder gave exit $status, expected 2: $refused"
grep -qF -- "--pcap $work/a-file/captures: cannot write there" <<<"$refused" || fail "no reason given: $refused"
grep -q "PASS\|FAIL" <<<"$refused" && fail "a case ran: $refused"

run_and_read "$(id -un)"
if [[ $(id -u) -eq 0 ]] && command -v setpriv >/dev/null; then
  run_and_read nobody setpriv --reuid=65534 --regid=65534 --clear-groups
  grep -q '"isolation": "user namespace' "$work"/out-nobody/report/cases/reset/*.json \
    || fail "the case did not run through a user namespace"
fi
[[ $failures -eq 0 ]]
