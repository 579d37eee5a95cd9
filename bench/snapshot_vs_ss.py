#!/usr/bin/python3
"""`sockdrill snapshot` against `ss -tanp` (and `ss -tan`) on the same live sockets.

    bench/snapshot_vs_ss.py SOCKDRILL [--count N] [--repetitions R] [--results FILE]

Builds tests/field/incident.py's forgotten_close with N connections (default 19,000: 2N + 1
sockets, N of them held by one process) in a network namespace of its own, then times, in R
interleaved rounds (default 7), each command reading that namespace to /dev/null: `ss -tan`,
`ss -tanp` and `sockdrill snapshot --json`, the latter also with `--pid 1` (the table without
attributing sockets to processes). Prints medians and each one's ratio to `ss -tanp` measured
in the same run. Whole commands are timed, process start included, as a user would.
--results FILE appends them as tab-separated rows (key, name, median, unit, ratio = median /
ss -tanp's, against) for scripts/bench.sh.
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def timed(argv):
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sockdrill")
    parser.add_argument("--count", type=int, default=19000)
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--results")
    args = parser.parse_args()
    unshare = ["unshare", "-n", "--fork"] if os.geteuid() == 0 else ["unshare", "-rn", "--fork"]
    incident = subprocess.Popen(unshare + ["/usr/bin/python3", str(ROOT / "tests/field/incident.py"), "forgotten_close",
                                           "--count", str(args.count), "--ready-seconds", "120"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        info = json.loads(incident.stdout.readline())
        if not info.get("ready"):
            sys.exit(f"the incident did not build: {info.get('error')}")
        pid = info["pids"]["incident"]
        enter = ["nsenter", "-t", str(pid), "-n"] if os.geteuid() == 0 else \
            ["nsenter", "-t", str(pid), "-U", "-n", "--preserve-credentials"]
        netns = f"/proc/{pid}/ns/net"
        commands = {
            "ss -tanp": enter + ["ss", "-tanp"],
            "ss -tan": enter + ["ss", "-tan"],
            "sockdrill snapshot --json": [args.sockdrill, "snapshot", "--json", "--netns", netns],
            "sockdrill snapshot --json --pid 1 (no attribution)": [args.sockdrill, "snapshot", "--json", "--pid", "1",
                                                                   "--netns", netns],
        }
        times = {name: [] for name in commands}
        for _ in range(args.repetitions):  # interleaved: a slow moment hits every command alike
            for name, argv in commands.items():
                times[name].append(timed(argv))
        reference = statistics.median(times["ss -tanp"])
        print(f"{2 * args.count + 1:,} sockets ({args.count:,} held by one process), {args.repetitions} rounds, "
              f"medians; ratio = ss -tanp / it")
        for name, samples in times.items():
            median = statistics.median(samples)
            print(f"  {name:52} {median * 1000:8.1f} ms   {reference / median:5.2f}x")
        if args.results:
            keys = {"ss -tanp": "ss_tanp", "ss -tan": "ss_tan", "sockdrill snapshot --json": "snapshot",
                    "sockdrill snapshot --json --pid 1 (no attribution)": "snapshot_pid1"}
            with open(args.results, "a") as out:
                for name, samples in times.items():
                    median = statistics.median(samples)
                    out.write(f"snapshot.{keys[name]}\tsnapshot {2 * args.count + 1:,} sockets: {name}\t"
                              f"{median * 1000:.3f}\tms\t{median / reference:.3f}\tss -tanp, same sockets\n")
    finally:
        incident.stdin.close()
        incident.wait(timeout=60)


if __name__ == "__main__":
    main()
