#!/usr/bin/python3
"""The end of scripts/bench.sh's output: the targets' ratios, then one table of every row the
benchmarks wrote, the machine and the commit.

    bench/bench_table.py RESULTS_TSV

Each line of RESULTS_TSV is a row (key, name, median, unit, ratio, against; ratio = the
median over the median of what it is against, measured in the same run), a note ("note",
text: something the benchmark could not set up as asked) or a part left out ("skipped", part,
why).
"""
import os
import pathlib
import platform
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CRITERIA_SIZE = 40000  # the observer's targets are set at 40,000 sockets


def read_results(path):
    rows, notes, skipped = {}, [], []
    for line in pathlib.Path(path).read_text().splitlines():
        fields = line.split("\t")
        if fields[0] == "note" and len(fields) >= 2:
            if fields[1] not in notes:
                notes.append(fields[1])
        elif fields[0] == "skipped" and len(fields) >= 3:
            skipped.append((fields[1], fields[2]))
        elif len(fields) == 6:
            key, name, median, unit, ratio, against = fields
            rows[key] = {"name": name, "median": float(median), "unit": unit,
                         "ratio": None if ratio == "-" else float(ratio), "against": against}
    return rows, notes, skipped


def criteria_lines(rows):
    """Each target ratio: what was measured, and met or not."""
    lines = []

    def verdict(ok):
        return "met" if ok else "NOT met"

    reference = rows.get(f"observe.{CRITERIA_SIZE}.reference_dump")
    if reference is None:
        lines.append("observer ratios at 40,000 sockets: not measured in this run (--quick, or the part was skipped)")
    else:
        ss_tan = rows.get(f"observe.{CRITERIA_SIZE}.ss_tan")
        ss_tanp = rows.get(f"observe.{CRITERIA_SIZE}.ss_tanp")
        for key, label in (("sample_idle_command", "Sampler::take, idle command"),
                           ("sample_command_holds", "Sampler::take, command holds clients")):
            sample = rows.get(f"observe.{CRITERIA_SIZE}.{key}")
            if sample is None:
                continue
            ratio = sample["median"] / reference["median"]
            lines.append(f"observer full sample ({label}) at 40,000 sockets <= 0.9x the bare two-family dump: "
                         f"{ratio:.2f}x, {verdict(ratio <= 0.9)}")
            if ss_tan:
                faster = ss_tan["median"] / sample["median"]
                lines.append(f"  ({label}) >= 3x faster than ss -tan: {faster:.2f}x, {verdict(faster >= 3)}")
            if ss_tanp:
                faster = ss_tanp["median"] / sample["median"]
                lines.append(f"  ({label}) >= 20x faster than ss -tanp: {faster:.2f}x, {verdict(faster >= 20)}")
    trivial, unshare = rows.get("trivial.sockdrill"), rows.get("trivial.unshare")
    if trivial and unshare:
        ratio = trivial["median"] / unshare["median"]
        lines.append(f"trivial case <= 3x unshare -rn ip link set lo up: {ratio:.2f}x, {verdict(ratio <= 3)}")
    else:
        lines.append("trivial case: not measured in this run")
    field = rows.get("field.wall")
    if field:
        lines.append(f"the 100,000-connection case passes in under 20 s: {field['median']:.1f} s, "
                     f"{verdict(field['median'] < 20)}")
    else:
        lines.append("the 100,000-connection case: not run (full runs only)")
    rate, rate_64k = rows.get("proxy.sockdrill.rate"), rows.get("proxy.socat_b65536.rate")
    cpu, cpu_64k = rows.get("proxy.sockdrill.cpu"), rows.get("proxy.socat_b65536.cpu")
    if rate and rate_64k and cpu and cpu_64k:
        throughput = rate["median"] / rate_64k["median"]
        cpu_ratio = cpu["median"] / cpu_64k["median"]
        lines.append(f"proxy throughput >= socat -b65536's: {throughput:.2f}x, {verdict(throughput >= 1)}; "
                     f"CPU per GiB <= socat -b65536's: {cpu_ratio:.2f}x, {verdict(cpu_ratio <= 1)}")
    else:
        lines.append("proxy against socat -b65536: not measured in this run")
    return lines


def machine_line():
    cpu = "unknown"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"machine: nproc {os.cpu_count()}, kernel {platform.release()}, CPU {cpu}"


def commit_line():
    def git(*args):
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True).stdout.strip()
    commit = git("rev-parse", "--short=12", "HEAD") or "unknown"
    dirty = " (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""
    return f"commit: {commit}{dirty}"


def format_median(row):
    value = row["median"]
    digits = 3 if value < 10 else 1
    return f"{value:,.{digits}f} {row['unit']}"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench/bench_table.py RESULTS_TSV")
    rows, notes, skipped = read_results(sys.argv[1])
    print()
    for part, why in skipped:
        print(f"skipped: {part}: {why}")
    for note in notes:
        print(f"note: {note}")
    print("the targets, this run:")
    for line in criteria_lines(rows):
        print(f"  {line}")
    print()
    header = ("name", "median", "ratio", "against (ratio = median / its median, same run)")
    table = [header] + [(r["name"], format_median(r), "-" if r["ratio"] is None else f"{r['ratio']:.2f}x",
                         r["against"]) for r in rows.values()]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for row in table:
        print(f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}")
    print(machine_line())
    print(commit_line())


if __name__ == "__main__":
    main()
