# A real `sockdrill run` writes JUnit, and junitparser (a JUnit consumer, as CI tools are) reads
# every case, expectation and outcome back; the terminal shows a failed command's stderr once.
# Usage: junit_from_a_run.py SOCKDRILL SOCKDRILL_PEER TESTS_DIR WORK_DIR
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from read_junit import read_file  # noqa: E402

sockdrill, peer, tests, work = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
problems = []


def check(condition, what):
    if not condition:
        problems.append(what)
    return condition


def run(name, cases, stop_after_peers_of=None):
    """Runs the cases with --junit and --report; returns (terminal text, junit, report dir)."""
    out_dir = work / name
    subprocess.run(["rm", "-rf", str(out_dir)], check=True)
    out_dir.mkdir(parents=True)
    junit, report = out_dir / "junit.xml", out_dir / "report"
    env = dict(os.environ, NO_COLOR="1")
    proc = subprocess.Popen([sockdrill, "run", "--peer", peer, "--junit", str(junit), "--report",
                             str(report)] + [str(c) for c in cases],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    if stop_after_peers_of:
        wait_for_peers(stop_after_peers_of)
        time.sleep(2.0)  # its first expectation is decided within a few ms of t = 0
        proc.send_signal(signal.SIGTERM)
    terminal, _ = proc.communicate(timeout=120)
    print(f"--- sockdrill run ({name}) exited {proc.returncode}:\n{terminal}")
    return terminal, junit, report


def wait_for_peers(case_name, timeout_s=30):
    """Until two sockdrill-peers of the case are running (its t = 0 is then near)."""
    needle = f"--case\0{case_name}\0--peer".encode()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = 0
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                found += needle in Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                pass
        if found >= 2:
            return
        time.sleep(0.05)
    problems.append(f"the peers of {case_name} never started")


def suites_by_name(junit):
    read = read_file(str(junit))
    return read, {s["name"]: s for s in read["suites"]}


def suite_of(suites, name):
    if name not in suites:
        problems.append(f"no suite named {name!r}; there are {sorted(suites)}")
    return suites.get(name, {"name": name, "cases": []})


def case_named(suite, name):
    for case in suite["cases"]:
        if case["name"] == name:
            return case
    problems.append(f"suite {suite['name']}: no test case named {name!r}; it has "
                    f"{[c['name'] for c in suite['cases']]}")
    return {"outcome": None, "message": "", "text": ""}


def check_totals(read):
    """Every count on every level, each the sum of what it holds; times with three decimals."""
    levels = [read["root"]] + [s["attributes"] for s in read["suites"]]
    for level in levels:
        for key in ("tests", "failures", "errors", "skipped", "time"):
            check(key in level, f"{key} missing on {level}")
        check(re.fullmatch(r"\d+\.\d{3}", level.get("time", "")), f"time {level.get('time')}")
    for suite in read["suites"]:
        outcomes = [c["outcome"] for c in suite["cases"]]
        a = suite["attributes"]
        check(int(a["tests"]) == len(outcomes), f"{suite['name']}: tests={a['tests']}")
        for key, outcome in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
            check(int(a[key]) == outcomes.count(outcome), f"{suite['name']}: {key}={a[key]}")
        names = [c["name"] for c in suite["cases"]]
        check(len(set(names)) == len(names), f"{suite['name']}: names repeat: {names}")
    for key in ("tests", "failures", "errors", "skipped"):
        total = sum(int(s["attributes"][key]) for s in read["suites"])
        check(int(read["root"][key]) == total, f"testsuites {key}={read['root'][key]}, sum {total}")


def check_every_expectation(suites, report):
    """Each case of summary.json is a suite; each expectation is a test case with its result,
    except in a case that ended before anything was judged: then the one test is its outcome."""
    summary = json.loads((report / "summary.json").read_text())
    for kase in summary["cases"]:
        suite = suites.get(kase["name"])
        if not check(suite is not None, f"no suite for case {kase['name']}"):
            continue
        props = suite["properties"]
        for key in ("seed", "kernel", "isolation", "verdict"):
            check(key in props, f"{kase['name']}: property {key} missing: {props}")
        check(props.get("seed") == str(kase["seed"]), f"{kase['name']}: seed {props.get('seed')}")
        check(any(k.startswith("sysctl.net.") for k in props), f"{kase['name']}: no sysctls")
        case_report = report / kase["report"]
        check(f"report: {case_report}" in (suite["system_out"] or ""),
              f"{kase['name']}: system-out {suite['system_out']!r}")
        check(case_report.is_file(), f"{case_report} missing")
        judged = [x for x in kase["expectations"] if x["result"] != "undecided"]
        by_result = {"pass": "passed", "fail": "failure", "undecided": "error"}
        if kase["verdict"] in ("error", "skip") and not judged and not kase.get("command_failures"):
            check([c["name"] for c in suite["cases"]] == ["outcome"],
                  f"{kase['name']}: ended early, yet {[c['name'] for c in suite['cases']]}")
            continue
        for x in kase["expectations"]:
            prefix = f"expect[{x['index']}] "
            found = [c for c in suite["cases"] if c["name"].startswith(prefix)]
            if check(len(found) == 1, f"{kase['name']}: {prefix}: {len(found)} test cases"):
                check(found[0]["outcome"] == by_result[x["result"]],
                      f"{kase['name']}: {found[0]['name']} is {found[0]['outcome']}, was {x['result']}")


# One run: a pass, a failed command, a failed expectation, a command that could not start.
terminal, junit, report = run("verdicts", [
    tests / "reports" / "cases" / "junit_passes.json",
    tests / "harness" / "wrong" / "command_exit_code.json",
    tests / "harness" / "wrong" / "bytes_miscounted.json",
    tests / "reports" / "cases" / "junit_wont_listen.json",
])
read, suites = suites_by_name(junit)
check_totals(read)
check_every_expectation(suites, report)
check(set(suites) == {"junit_passes", "command_exit_code", "bytes_miscounted", "junit_wont_listen"},
      f"suites: {sorted(suites)}")

passes = suite_of(suites, "junit_passes")
check([c["name"] for c in passes["cases"]] ==
      ["expect[0] server ESTABLISHED count 1 by 1000 ms",
       "expect[1] client ESTABLISHED count 1 100..300 ms"], f"names: {passes['cases']}")
check(all(c["outcome"] == "passed" for c in passes["cases"]), "junit_passes did not pass")
check(passes["cases"] and passes["cases"][0]["classname"] == "sockdrill.junit_passes",
      "classname")

command = case_named(suite_of(suites, "command_exit_code"), "command app exit_code 0")
check(command["outcome"] == "failure", f"command test: {command}")
check(command["message"] == 'command "app" exited with status 3, expected exit_code 0',
      f"command message: {command['message']!r}")
check("  | oops\n" in (command["text"] or ""), f"command body: {command['text']!r}")
check(case_named(suite_of(suites, "command_exit_code"), "expect[0] app exit code 3 count 1 by 2000 ms")
      ["outcome"] == "passed", "the exit event expectation")

bytes_test = case_named(suite_of(suites, "bytes_miscounted"),
                        "expect[0] client bytes received count 6 by 300 ms")
check(bytes_test["outcome"] == "failure", f"bytes test: {bytes_test}")
check("\n" not in (bytes_test["message"] or "\n") and len(bytes_test["message"]) <= 210,
      f"a short one-line message: {bytes_test['message']!r}")
for part in ("observed values: 0 from ", "5 from ", "last sample at "):
    check(part in (bytes_test["text"] or ""), f"bytes body lacks {part!r}: {bytes_test['text']!r}")

wont = case_named(suite_of(suites, "junit_wont_listen"), "outcome")
check(wont["outcome"] == "error", f"wont_listen: {wont}")
check("before it listened" in (wont["message"] or ""), f"wont_listen message: {wont['message']!r}")
check("  | junit_wont_listen: bind: Address already in use\n" in (wont["text"] or ""),
      f"wont_listen body: {wont['text']!r}")

# The terminal: each command's stderr under its case's line, once; the last lines only.
check(terminal.count("  | oops\n") == 1, "oops shown other than once")
check(terminal.count("junit_wont_listen: bind: Address already in use") == 1,
      "the bind error shown other than once")
check("starting, step 2\n" not in terminal and "starting, step 3\n" in terminal,
      "not the last 10 lines of stderr")
check(terminal.find("Address already in use") > terminal.find("ERROR  junit_wont_listen") >= 0,
      "stderr not under the case's line")

# Another run, stopped by SIGTERM: a passed and an undecided expectation, the outcome naming it.
terminal, junit, report = run("interrupted", [tests / "reports" / "cases" / "junit_interrupted.json"],
                              stop_after_peers_of="junit_interrupted")
read, suites = suites_by_name(junit)
check_totals(read)
check_every_expectation(suites, report)
stopped = suite_of(suites, "junit_interrupted")
check([c["outcome"] for c in stopped["cases"]] == ["passed", "error", "error"],
      f"interrupted: {[(c['name'], c['outcome']) for c in stopped['cases']]}")
outcome = case_named(stopped, "outcome")
check((outcome["message"] or "").startswith("error (interrupted): interrupted by SIGTERM"),
      f"interrupted message: {outcome['message']!r}")
check("interrupted by SIGTERM" in terminal and "Ctrl-C" not in terminal, "terminal wording")
undecided = case_named(stopped, "expect[1] client ESTABLISHED count 1 300..29000 ms")
check((undecided["message"] or "").startswith("undecided: "), f"undecided: {undecided}")

if problems:
    print("\n".join(["PROBLEMS:"] + problems))
    sys.exit(1)
print("junit read back: every case, expectation and outcome found")
