#!/usr/bin/python3
"""Count TCP sockets by state and owning process in `ss -tanpH` output.

    ss -tanpH | /usr/bin/python3 tests/field/ss_counts.py

prints one JSON object:

    {"processes": {"PID": {"STATE": COUNT}},   # sockets each process holds
     "unowned":   {"STATE": COUNT},            # sockets no process holds
     "total":     {"STATE": COUNT}}            # every socket once

A socket held by several processes (inherited or passed descriptors) counts
once under each of them and once in "total"; a process holding one socket
through several descriptors counts it once.  A socket whose line has no
users:((...)) is unowned: TIME-WAIT and orphaned FIN-WAIT-2 sockets, sockets
still in a listener's accept queue, SYN-RECV request sockets, and also any
socket whose owner ss was not allowed to see (/proc/PID/fd of another user).
A header line (ss without -H) is skipped.  Standard library only.
"""
import json
import re
import sys

# One entry of users:(("name",pid=N,fd=M),...).  ss prints the name (the
# process's comm, at most 15 bytes) without escaping, so the pid is taken
# from the '",pid=N,fd=M)' tail of each entry; only a name that itself
# holds such a tail could mislead it.
_PID_RE = re.compile(r'",pid=(\d+),fd=\d+\)')


def parse_line(line):
    """One ss line -> dict(state, recvq, sendq, local, peer, pids) or None."""
    fields = line.split(None, 5)
    if len(fields) < 5 or fields[0] == 'State':
        return None
    try:
        recvq, sendq = int(fields[1]), int(fields[2])
    except ValueError:
        return None
    rest = fields[5] if len(fields) > 5 else ''
    pids = []
    at = rest.find('users:((')
    if at >= 0:
        for pid in _PID_RE.findall(rest[at:]):
            if pid not in pids:
                pids.append(pid)
    return {'state': fields[0], 'recvq': recvq, 'sendq': sendq,
            'local': fields[3], 'peer': fields[4], 'pids': pids}


def count(lines):
    """Iterable of ss lines -> {"processes", "unowned", "total"}."""
    processes, unowned, total = {}, {}, {}
    for line in lines:
        sock = parse_line(line)
        if sock is None:
            continue
        state = sock['state']
        total[state] = total.get(state, 0) + 1
        if not sock['pids']:
            unowned[state] = unowned.get(state, 0) + 1
        for pid in sock['pids']:
            per = processes.setdefault(pid, {})
            per[state] = per.get(state, 0) + 1
    return {'processes': processes, 'unowned': unowned, 'total': total}


def main():
    print(json.dumps(count(sys.stdin), sort_keys=True))
    return 0


if __name__ == '__main__':
    sys.exit(main())
