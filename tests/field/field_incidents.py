#!/usr/bin/python3
"""Live incidents (incident.py) against `sockdrill snapshot` and `sockdrill explain`.

    field_incidents.py SOCKDRILL [KIND...]

For each kind: starts the incident in a network namespace of its own; takes `ss -tanpH` of that
namespace, `sockdrill snapshot --json --netns /proc/PID/ns/net`, then `ss` again, and when the
two ss agree, requires the snapshot's counts per process and state, and of sockets no process
holds, to equal them; then `sockdrill explain --live --netns ...` must name exactly the
findings the incident is built to show (plus fin_wait2_pile wherever 100 or more FIN_WAIT2
sockets are there: in one namespace both ends of the connections are visible), with the
process the incident says, and nothing for the healthy control. Exit 0, or 1 with what differed.
Works as root and as any user (the namespaces are then made in a user namespace).
"""
import json
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
KINDS = ["forgotten_close", "stopped_reading", "accept_queue_full", "fin_wait2_pile", "time_wait_pile", "healthy"]
SS_NAMES = {"ESTAB": "ESTABLISHED", "SYN-SENT": "SYN_SENT", "SYN-RECV": "SYN_RECV", "FIN-WAIT-1": "FIN_WAIT1",
            "FIN-WAIT-2": "FIN_WAIT2", "TIME-WAIT": "TIME_WAIT", "CLOSE-WAIT": "CLOSE_WAIT", "LAST-ACK": "LAST_ACK",
            "LISTEN": "LISTEN", "CLOSING": "CLOSING", "UNCONN": "CLOSE"}
# The process each finding must name (a role of the incident), or None: no single process.
FINDING_ROLE = {"forgotten_close": {"forgotten_close": "server", "fin_wait2_pile": None},
                "stopped_reading": {"forgotten_close": "server", "stopped_reading": "server", "fin_wait2_pile": None},
                "accept_queue_full": {"accept_queue_full": "server"},
                "fin_wait2_pile": {"fin_wait2_pile": None, "forgotten_close": "client"},
                "time_wait_pile": {"time_wait_pile": None},
                "healthy": {}}


def states(counts):
    return {SS_NAMES[s]: n for s, n in counts.items()}


def ss_counts(pid):
    enter = ["nsenter", "-t", str(pid), "-n"] if os.geteuid() == 0 else \
        ["nsenter", "-t", str(pid), "-U", "-n", "--preserve-credentials"]
    listing = subprocess.run(enter + ["ss", "-tanpH"], check=True, capture_output=True, text=True).stdout
    counted = subprocess.run(["/usr/bin/python3", str(HERE / "ss_counts.py")], input=listing, check=True,
                             capture_output=True, text=True).stdout
    c = json.loads(counted)
    return {"processes": {int(p): states(s) for p, s in c["processes"].items()}, "unowned": states(c["unowned"])}


def sockdrill(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60)


def check_kind(binary, kind):
    unshare = ["unshare", "-n", "--fork"] if os.geteuid() == 0 else ["unshare", "-rn", "--fork"]
    incident = subprocess.Popen(unshare + ["/usr/bin/python3", str(HERE / "incident.py"), kind],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    problems = []
    try:
        info = json.loads(incident.stdout.readline() or '{"ready": false, "error": "no line"}')
        if not info.get("ready"):
            return [f"{kind}: the incident did not build: {info.get('error')}"]
        pid = info["pids"]["incident"]
        netns = f"/proc/{pid}/ns/net"
        for attempt in range(3):
            before = ss_counts(pid)
            snap = sockdrill(binary, "snapshot", "--json", "--netns", netns)
            after = ss_counts(pid)
            if before == after:
                break
        if snap.returncode != 0:
            return [f"{kind}: snapshot exited {snap.returncode}: {snap.stderr}"]
        s = json.loads(snap.stdout)
        seen = {"processes": {p["pid"]: p["states"] for p in s["processes"]}, "unowned": s["orphans"]["states"]}
        if before != after:
            problems.append(f"{kind}: ss changed between three looks in a row; not compared")
        elif seen != before:
            problems.append(f"{kind}: snapshot {json.dumps(seen, sort_keys=True)} != ss {json.dumps(before, sort_keys=True)}")
        if s["unattributed"]["sockets"] != 0:
            problems.append(f"{kind}: {s['unattributed']['sockets']} sockets not attributed")
        expected_pids = {int(p): states(c) for p, c in info["expect"].items()}
        if seen["processes"] != expected_pids:
            problems.append(f"{kind}: snapshot's processes {seen['processes']} != the incident's {expected_pids}")

        explained = sockdrill(binary, "explain", "--live", "--netns", netns, "--json")
        if explained.returncode not in (0, 1):
            return problems + [f"{kind}: explain exited {explained.returncode}: {explained.stderr}"]
        findings = json.loads(explained.stdout)["findings"]
        want = FINDING_ROLE[kind]
        got = {f["kind"]: f["pid"] for f in findings}
        if sorted(got) != sorted(want) or len(findings) != len(want):
            problems.append(f"{kind}: explain found {[f['kind'] for f in findings]}, expected {sorted(want)}")
        for finding, role in want.items():
            if finding in got and got[finding] != (info["pids"][role] if role else None):
                problems.append(f"{kind}: {finding} names pid {got[finding]}, expected the {role} "
                                f"({info['pids'].get(role) if role else None})")
        if explained.returncode != (1 if want else 0):
            problems.append(f"{kind}: explain exited {explained.returncode}")
        if kind != "healthy":
            problems += check_reproduce(binary, kind, netns, findings)
        if kind == "forgotten_close":
            problems += check_watch(binary, netns, info)
        if kind == "healthy":
            problems += check_edited_snapshots(binary, netns)
        print(f"{kind}: snapshot = ss ({sum(sum(v.values()) for v in seen['processes'].values())} owned, "
              f"{sum(seen['unowned'].values())} unowned); explain: {sorted(got) or 'nothing'}", flush=True)
    finally:
        incident.stdin.close()
        incident.wait(timeout=30)
    return problems


def check_watch(binary, netns, info):
    """A short watch records the server's CLOSE_WAIT in every sample and draws it."""
    work = pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / f"sockdrill-watch-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    watched = sockdrill(binary, "watch", "--netns", netns, "--interval-ms", "250", "--duration-s", "1",
                        "--record", str(work / "rec.json"), "--html", str(work / "rec.html"))
    problems = []
    if watched.returncode != 0:
        problems.append(f"watch exited {watched.returncode}: {watched.stderr}")
    else:
        rec = json.loads((work / "rec.json").read_text())
        server = f"server {info['pids']['server']}"
        seen = [s["sockets"].get(server, {}).get("CLOSE_WAIT") for s in rec["samples"]]
        want = info["expect"][str(info["pids"]["server"])]["CLOSE-WAIT"]
        if len(seen) != 5 or any(n != want for n in seen):
            problems.append(f"watch recorded {seen} CLOSE_WAIT for {server}, expected {want} in each of 5 samples")
        if rec["mode"] != "sampling" or not (work / "rec.html").read_text().startswith("<!DOCTYPE html>"):
            problems.append("watch's recording or page is not what docs/snapshot.md says")
        print(f"forgotten_close: watch recorded {len(seen)} samples of {want} CLOSE_WAIT", flush=True)
    subprocess.run(["rm", "-rf", str(work)])
    return problems


def check_edited_snapshots(binary, netns):
    """Kinds no incident here builds (a SYN_RECV pile, a reset storm between two snapshots, orphans in
    LAST_ACK or FIN_WAIT1): the healthy namespace's snapshot edited to show them, reproduced, and
    the cases run."""
    work = pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / f"sockdrill-edited-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    base = json.loads(sockdrill(binary, "snapshot", "--json", "--netns", netns).stdout)

    def with_ownerless(state):  # the base snapshot plus 300 sockets of `state` no process holds
        doc = json.loads(json.dumps(base))
        doc["orphans"]["groups"].append({"state": state, "local": "127.0.0.1:7000", "remote": "127.0.0.1:*",
                                         "count": 300, "recv_q": 0, "recv_q_max": 0, "with_unread": 0,
                                         "send_q": 0, "with_unsent": 0})
        doc["orphans"]["sockets"] += 300
        doc["orphans"]["states"][state] = 300
        doc["states"][state] = 300
        return doc

    syn = with_ownerless("SYN_RECV")
    later = json.loads(json.dumps(base))
    later["taken_at_ms"] += 2000
    later["counters"]["TcpExtTCPAbortOnClose"] = base["counters"].get("TcpExtTCPAbortOnClose", 0) + 400
    for name, doc in (("syn", syn), ("base", base), ("later", later), ("last_ack", with_ownerless("LAST_ACK")),
                      ("fin_wait1", with_ownerless("FIN_WAIT1"))):
        (work / f"{name}.json").write_text(json.dumps(doc))
    problems = []
    for kind, files in (("syn_backlog", ["syn.json"]), ("reset_storm", ["base.json", "later.json"]),
                        ("orphans", ["last_ack.json"]), ("orphans", ["fin_wait1.json"])):
        paths = [str(work / f) for f in files]
        found = json.loads(sockdrill(binary, "explain", *paths, "--json").stdout)["findings"]
        if [f["kind"] for f in found] != [kind]:
            problems.append(f"edited snapshot: explain found {[f['kind'] for f in found]}, expected [{kind}]")
            continue
        out = work / f"{kind}-{files[-1]}"
        made = sockdrill(binary, "reproduce", *paths, "--out", str(out))
        ran = subprocess.run([binary, "run", str(out)], capture_output=True, text=True, timeout=120)
        if made.returncode != 0 or ran.returncode != 0:
            problems.append(f"{kind}: reproduce exited {made.returncode}, its case:\n{ran.stdout}{ran.stderr}")
        verdict = "passes" if ran.returncode == 0 else "does NOT pass"
        print(f"{kind} (edited snapshot {files[-1]}): reproduced case {verdict}", flush=True)
    subprocess.run(["rm", "-rf", str(work)])
    return problems


def check_reproduce(binary, kind, netns, findings):
    """The incident's own kind as a case: written at the size seen, and it passes."""
    work = pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / f"sockdrill-field-{os.getpid()}-{kind}"
    work.mkdir(parents=True, exist_ok=True)
    snap = sockdrill(binary, "snapshot", "--json", "--netns", netns)
    (work / "snapshot.json").write_text(snap.stdout)
    explained = json.loads(sockdrill(binary, "explain", str(work / "snapshot.json"), "--json").stdout)["findings"]
    index = next((i for i, f in enumerate(explained) if f["kind"] == kind), None)
    if index is None:
        return [f"{kind}: explain of the saved snapshot did not find {kind}: {[f['kind'] for f in explained]}"]
    count = explained[index]["count"]
    made = sockdrill(binary, "reproduce", str(work / "snapshot.json"), "--finding", str(index + 1),
                     "--out", str(work / "case.json"))
    if made.returncode != 0:
        return [f"{kind}: reproduce exited {made.returncode}: {made.stderr}"]
    case = json.loads((work / "case.json").read_text())
    counts = [x["count"] for x in case["expect"]]
    sized = count in counts or (kind == "accept_queue_full") or any(
        isinstance(c, dict) and c.get("max") == count for c in counts)
    ran = subprocess.run([binary, "run", str(work / "case.json")], capture_output=True, text=True, timeout=120)
    problems = []
    if not sized:
        problems.append(f"{kind}: the case's counts {counts} do not include the {count} sockets seen")
    if ran.returncode != 0:
        problems.append(f"{kind}: the reproduced case did not pass:\n{ran.stdout}{ran.stderr}")
    print(f"{kind}: reproduce wrote a case of {count} sockets; sockdrill run: "
          f"{'pass' if ran.returncode == 0 else 'NOT pass'}", flush=True)
    subprocess.run(["rm", "-rf", str(work)])
    return problems


def main():
    binary = sys.argv[1]
    kinds = sys.argv[2:] or KINDS
    problems = []
    for kind in kinds:
        problems += check_kind(binary, kind)
    for p in problems:
        print("FAIL", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
