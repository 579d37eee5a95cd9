#!/usr/bin/python3
"""The wall time of a trivial case (`sockdrill run bench/trivial_case.json`) against
`unshare -rn ip link set lo up`, the least a run in namespaces of its own must do.

    bench/trivial_case.py SOCKDRILL [--rounds N] [--results FILE]

The two commands run alternately, N rounds (default 15), each timed whole (process start
included, output to /dev/null); prints both medians and their ratio, measured in this run.
"""
import argparse
import pathlib
import statistics
import subprocess
import sys
import time

CASE = pathlib.Path(__file__).resolve().parent / "trivial_case.json"
ROUND_TIMEOUT_S = 30  # a trivial case that takes longer is broken, not slow


def timed(argv):
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True, timeout=ROUND_TIMEOUT_S)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sockdrill")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--results")
    args = parser.parse_args()
    if not 1 <= args.rounds <= 1000:
        sys.exit("trivial_case: --rounds expects 1..1000")
    commands = {
        "sockdrill run (trivial case)": [args.sockdrill, "run", str(CASE)],
        "unshare -rn ip link set lo up": ["unshare", "-rn", "ip", "link", "set", "lo", "up"],
    }
    times = {name: [] for name in commands}
    try:
        for _ in range(args.rounds):  # alternately: a slow moment hits both alike
            for name, argv in commands.items():
                times[name].append(timed(argv))
    except subprocess.CalledProcessError as e:
        sys.exit(f"trivial_case: {' '.join(e.cmd)} exited with {e.returncode}: {e.stderr.decode(errors='replace').strip()}")
    sockdrill = statistics.median(times["sockdrill run (trivial case)"])
    unshare = statistics.median(times["unshare -rn ip link set lo up"])
    print(f"trivial case against unshare -rn ip link set lo up, {args.rounds} rounds each, alternately, medians")
    print(f"  sockdrill run (trivial case)     {sockdrill * 1e3:8.1f} ms   {sockdrill / unshare:6.2f}x")
    print(f"  unshare -rn ip link set lo up    {unshare * 1e3:8.1f} ms")
    if args.results:
        with open(args.results, "a") as out:
            out.write(f"trivial.sockdrill\ttrivial case: sockdrill run\t{sockdrill * 1e3:.3f}\tms\t{sockdrill / unshare:.3f}\t"
                      f"unshare -rn ip link set lo up\n")
            out.write(f"trivial.unshare\ttrivial case: unshare -rn ip link set lo up\t{unshare * 1e3:.3f}\tms\t-\t-\n")


if __name__ == "__main__":
    main()
