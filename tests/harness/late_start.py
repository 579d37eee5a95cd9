#!/usr/bin/env python3
"""The library's cases with real programs still pass when each client program starts late.

A program's own start-up (loading node's 99 MB binary from a cold disk, say) happens after
t = 0 and has taken 2 s on a loaded CI machine. This runs every case of the library that has a
client command (a command no other peer connects to or names) with that command's argv wrapped
in `sh -c '...; sleep S; exec "$@"'`, so it starts DELAY_MS late (warmed up meanwhile: see
WRAPPER), and checks that every case passes.

Usage: late_start.py SOCKDRILL PEER CASES_DIR DELAY_MS JOBS
Exit 0 when every case passed, 1 otherwise (the run's lines say which), 77 when no case has a
client command.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from case_file import strip_comments  # noqa: E402


def named_by_others(peers):
    """Peers that another peer connects to, relays to or names in a placeholder."""
    names = set()
    for name, peer in peers.items():
        text = json.dumps(peer)
        for other in peers:
            if other == name:
                continue
            if "{" + other + "." in text:
                names.add(other)
        for kind in ("connect", "proxy"):
            spec = peer.get(kind)
            if isinstance(spec, dict) and spec.get("to") in peers:
                names.add(spec["to"])
    return names


# Starts the program `seconds` late. Meanwhile the program runs once with --version, which reads
# most of what it needs into the page cache, so that what is late is the delay itself: on a
# machine that drops its cache eagerly, node's own cold start took up to 2 s in CI, which on top
# of the delay would ask for a tolerance no case claims. (Reading its whole 99 MB binary instead
# took longer than the delay.)
WRAPPER = '"$1" --version </dev/null >/dev/null 2>&1 & sleep {seconds:.3f}; exec "$@"'


def delayed(case, delay_ms):
    """The case with each client command's argv started delay_ms late; None if it has none."""
    peers = case.get("peers", {})
    servers = named_by_others(peers)
    changed = False
    for name, peer in peers.items():
        command = peer.get("command")
        if command is None or name in servers:
            continue
        command["argv"] = ["sh", "-c", WRAPPER.format(seconds=delay_ms / 1000), "sh"] + command["argv"]
        changed = True
    return case if changed else None


def main():
    sockdrill, peer, cases_dir, delay_ms, jobs = sys.argv[1:6]
    cases_dir = pathlib.Path(cases_dir)
    work = pathlib.Path(tempfile.mkdtemp(prefix="sockdrill-late-start."))
    try:
        count = 0
        for path in sorted(cases_dir.rglob("*.json")):
            if path.name == "schema.json" or "field" in path.relative_to(cases_dir).parts:
                continue
            case = delayed(json.loads(strip_comments(path.read_text())), int(delay_ms))
            if case is None:
                continue
            # Same folder layout, and the files beside the case ({case_dir}) copied along.
            target = work / "cases" / path.relative_to(cases_dir)
            if not target.parent.exists():
                shutil.copytree(path.parent, target.parent,
                                ignore=shutil.ignore_patterns("*.json"))
            target.write_text(json.dumps(case, indent=1))
            count += 1
        if count == 0:
            print("no case with a client command")
            return 77
        print(f"{count} cases, each client program started {delay_ms} ms late", flush=True)
        env = dict(os.environ, SOCKDRILL_PEER=peer)
        run = subprocess.run([sockdrill, "run", "--jobs", jobs, "--report", str(work / "report"),
                              str(work / "cases")], env=env, check=False)
        return 0 if run.returncode == 0 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
