#!/usr/bin/python3
"""The field-size case (cases/scale/field/hundred_thousand_close_wait.json) run once, timed in
its parts, with the peak memory of each process it started.

    bench/field_case.py SOCKDRILL [--case FILE] [--results FILE]

Times: the whole command; the runner's part (the report's duration_ms: the case's namespaces
made, its peers started, observed and judged); the rest (the controller, and the tear-down: the
kernel closing every socket with the namespace); when every connection was `connected`, and when
an observation first saw every client socket in CLOSE_WAIT (from t = 0, from the report). Memory:
the peak resident size (VmHWM) of each process below the command, read every 100 ms, grouped by
program. One run, not a median: it takes the whole machine for about 20 s.
"""
import argparse
import atexit
import collections
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
CASE = ROOT / "cases/scale/field/hundred_thousand_close_wait.json"
TIMEOUT_S = 120


def children_of():
    """{ppid: [pid, ...]} for every process now."""
    tree = collections.defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = pathlib.Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        tree[ppid].append(int(entry.name))
    return tree


def peak_of(pid):
    """(program, VmHWM in KiB) of a live process, or None."""
    try:
        status = pathlib.Path(f"/proc/{pid}/status").read_text()
        argv0 = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return os.path.basename(argv0) or "?", int(line.split()[1])
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sockdrill")
    parser.add_argument("--case", default=str(CASE))
    parser.add_argument("--results")
    args = parser.parse_args()
    report_dir = tempfile.mkdtemp(prefix="sockdrill-field-")
    atexit.register(shutil.rmtree, report_dir, True)  # also after sys.exit()
    peaks = {}  # pid -> (program, KiB)
    start = time.perf_counter()
    proc = subprocess.Popen([args.sockdrill, "run", "--report", report_dir, args.case],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    while proc.poll() is None:
        if time.perf_counter() - start > TIMEOUT_S:
            proc.kill()
            sys.exit(f"field_case: no end within {TIMEOUT_S} s")
        tree, todo = children_of(), [proc.pid]
        while todo:
            pid = todo.pop()
            seen = peak_of(pid)
            if seen:
                peaks[pid] = seen
            todo.extend(tree.get(pid, []))
        time.sleep(0.1)
    wall = time.perf_counter() - start
    output = proc.stdout.read().decode(errors="replace")
    reports = list(pathlib.Path(report_dir, "cases").glob("*.json"))
    if proc.returncode != 0 or not reports:
        sys.exit(f"field_case: the case did not pass (exit {proc.returncode}):\n{output}")
    report = json.loads(reports[0].read_text())
    connected = [c for c in report.get("event_counts", []) if c["kind"] == "connected"]
    all_connected_ms = max(c["last_ms"] for c in connected) if connected else float("nan")
    total = sum(c["count"] for c in connected)
    close_wait_ms = next((s["t_ms"] for s in report["samples"]
                          if s["sockets"].get("client", {}).get("CLOSE_WAIT", 0) >= total), float("nan"))
    runner_s = report["duration_ms"] / 1000
    by_program = collections.defaultdict(list)
    for program, kib in peaks.values():
        by_program[program].append(kib)

    rows = [
        ("field.wall", f"field case ({total:,} connections): sockdrill run, whole", wall, "s"),
        ("field.runner", "field case: in the runner (namespaces, peers, observing, judging)", runner_s, "s"),
        ("field.outside", "field case: outside the runner (controller, tear-down)", wall - runner_s, "s"),
        ("field.connected", "field case: every connection connected, from t = 0", all_connected_ms / 1000, "s"),
        ("field.close_wait", "field case: every client socket seen in CLOSE_WAIT, from t = 0", close_wait_ms / 1000, "s"),
    ]
    for program, kibs in sorted(by_program.items()):
        rows.append((f"field.rss.{program}", f"field case: peak RSS, {program} ({len(kibs)} processes, largest)",
                     max(kibs) / 1024, "MiB"))
        if len(kibs) > 1:
            rows.append((f"field.rss_sum.{program}", f"field case: peak RSS, {program}, all {len(kibs)} summed",
                         sum(kibs) / 1024, "MiB"))
    print(f"field case {pathlib.Path(args.case).name}: {report['verdict']}, one run")
    for _, name, value, unit in rows:
        print(f"  {name:78s} {value:9.2f} {unit}")
    if args.results:
        with open(args.results, "a") as out:
            for key, name, value, unit in rows:
                out.write(f"{key}\t{name}\t{value:.3f}\t{unit}\t-\tone run, not a median\n")


if __name__ == "__main__":
    main()
