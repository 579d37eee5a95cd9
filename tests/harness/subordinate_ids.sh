#!/usr/bin/env bash
# A program that changes its user and chowns gets the same verdict as root and as user nobody
# with subordinate ids (a full id range through newuidmap); without them, as nobody, it fails.
# The ids come from files bind-mounted over /etc/subuid and /etc/subgid in a private mount
# namespace, so the host's /etc is never changed. Skips (77) without root or the tools.
set -uo pipefail
sockdrill=$1 peer=$2 kase=$3
if [[ $(id -u) -ne 0 ]]; then echo "not root: cannot switch to nobody or bind-mount /etc/subuid"; exit 77; fi
for tool in setpriv unshare newuidmap newgidmap python3; do
  command -v "$tool" >/dev/null || { echo "no $tool"; exit 77; }
done
[[ -e /etc/subuid && -e /etc/subgid ]] || { echo "no /etc/subuid or /etc/subgid to mount over"; exit 77; }
if grep -qE '^(nobody|65534):' /etc/subuid /etc/subgid; then
  echo "the host already gives nobody subordinate ids: the one-id run cannot be made"; exit 77
fi

work=$(mktemp -d /tmp/sockdrill-subids.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp "$sockdrill" "$peer" "$kase" "$work/"
chmod -R a+rX "$work"
first=231072 count=65536
echo "nobody:$first:$count" >"$work/full.subuid"
echo "nobody:$first:$count" >"$work/full.subgid"
echo "nobody:$first:1000" >"$work/short.subuid"
echo "nobody:$first:$count" >"$work/short.subgid"
# mounted PAIR COMMAND...: runs COMMAND with $work/PAIR.subuid and .subgid over /etc's.
mounted() {
  local pair=$1
  shift
  unshare -m --propagation private sh -c 'mount --bind "$1" /etc/subuid && mount --bind "$2" /etc/subgid && shift 2 && exec "$@"' \
    sh "$work/$pair.subuid" "$work/$pair.subgid" "$@"
}
fail() { echo "FAIL: $*"; exit 1; }

# run NAME AS [PAIR]: runs the case as root or nobody (with PAIR's subordinate ids), its report
# in $work/NAME, its exit status in $status.
run() {
  local name=$1 as=$2 pair=${3:-}
  mkdir -p "$work/$name/files" "$work/$name/report"
  chmod 777 "$work/$name/files" "$work/$name/report"
  local as_user=()
  [[ $as == nobody ]] && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  local command=("${as_user[@]}" env SOCKDRILL_PEER="$work/$(basename "$peer")" "$work/$(basename "$sockdrill")"
                 run --define "dir=$work/$name/files" --report "$work/$name/report" "$work/$(basename "$kase")")
  if [[ -n $pair ]]; then
    mounted "$pair" "${command[@]}"
  else
    "${command[@]}"
  fi
  status=$?
  report=$(cat "$work/$name"/report/cases/*.json)
  echo "$name: exit $status; $(grep -o '"isolation": "[^"]*"' <<<"$report")"
}
owner() { stat -c %u:%g "$work/$1/files/owned_by_1" 2>/dev/null; }

run root root
[[ $status -eq 0 ]] || fail "as root the case should pass"
grep -q '"isolation": "root;' <<<"$report" || fail "as root the isolation should be root"
[[ $(owner root) == 1:1 ]] || fail "as root the file should belong to 1:1, not $(owner root)"

run full nobody full
[[ $status -eq 0 ]] || { echo "$report"; fail "as nobody with subordinate ids the case should pass"; }
grep -q '"isolation": "user namespace, full id range (subuid);' <<<"$report" \
  || fail "as nobody with subordinate ids the isolation should be the full range"
# id 1 inside is the first subordinate id outside: newuidmap read the bind-mounted files.
[[ $(owner full) == "$first:$first" ]] || fail "the chowned file should belong to $first:$first, not $(owner full)"

# A range short of nobody's id: mapped as it is, and the record says so.
run short nobody short
[[ $status -eq 1 ]] || { echo "$report"; fail "as nobody with 1000 subordinate uids the case should fail (no id 65534)"; }
grep -q '"the subordinate range is short of 65536 ids (1000 uids from' <<<"$report" \
  || { echo "$report"; fail "a short range should be a warning in the record"; }

run one nobody
[[ $status -eq 1 ]] || { echo "$report"; fail "as nobody with one id the case should fail (exit 1)"; }
grep -q '"isolation": "user namespace, one id;' <<<"$report" || fail "without subordinate ids the isolation should be one id"
grep -q '"verdict": "fail"' <<<"$report" || { echo "$report"; fail "with one id the verdict should be fail (the command exits 1)"; }

# doctor tells the two apart, as nobody.
doctor=("$work/$(basename "$sockdrill")" doctor)
as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
with_range=$(mounted full "${as_nobody[@]}" "${doctor[@]}")
grep -q "^ok      full id range: nobody has $count uids from $first, $count gids from $first; a case's namespace got them" <<<"$with_range" \
  || { echo "$with_range"; fail "doctor as nobody with subordinate ids should find the full range"; }
without=$("${as_nobody[@]}" "${doctor[@]}")
grep -q "^missing full id range: no subordinate uids for nobody in /etc/subuid" <<<"$without" \
  || { echo "$without"; fail "doctor as nobody without subordinate ids should say the range is missing"; }
echo "ok: root and nobody with a full id range pass; nobody with one id fails; doctor says which"
