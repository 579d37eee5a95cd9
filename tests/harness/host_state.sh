#!/usr/bin/env bash
# Saves (save FILE) or compares (compare FILE) the host's nftables ruleset and net.* sysctls,
# so the test suite proves that no case touched the host.
set -uo pipefail
mode=$1 file=$2
snapshot() {
  if command -v nft >/dev/null; then nft list ruleset 2>&1; else echo "(no nft binary)"; fi
  # Counters and timers that the kernel itself changes are not settings: leave them out.
  sysctl -a -r '^net\.' 2>/dev/null | grep -v -E 'stable_secret|\.base_reachable_time|gc_|_random|hash_entries|_count' | sort
}
case $mode in
  save) snapshot > "$file" ;;
  compare)
    # A file of our own (mktemp), never a fixed name in a shared /tmp that another user could
    # have planted a symlink at.
    diff_file=$(mktemp) || exit 1
    trap 'rm -f "$diff_file"' EXIT
    if ! diff <(cat "$file") <(snapshot) >"$diff_file"; then
      echo "the host's ruleset or sysctls changed during the test suite:"; cat "$diff_file"; exit 1
    fi
    echo "host ruleset and net.* sysctls unchanged" ;;
esac
