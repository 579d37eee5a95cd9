#!/usr/bin/python3
"""Build one live TCP socket incident inside a fresh network namespace.

    unshare -rn --fork /usr/bin/python3 tests/field/incident.py KIND \\
        [--count N] [--max-seconds S]          # or, as root, unshare -n ...

KIND is one of forgotten_close, stopped_reading, accept_queue_full,
fin_wait2_pile, time_wait_pile, healthy (see README.md beside this file).

The script brings loopback up, starts each role (server, client) as a
process of its own (fork + exec of /usr/bin/python3 with "--role ROLE";
the process name /proc/PID/comm, which ss -p prints, is set to the role),
builds the sockets over 127.0.0.1, polls `ss -tanpH` until the kernel shows
the intended states, and prints ONE JSON line on stdout:

    {"kind": KIND, "ready": true, "pids": {"ROLE": PID, ...},
     "expect": {"PID": {"STATE": COUNT}}, "unowned": {"STATE": COUNT},
     "findings": [...]}

"pids" also names the incident process itself as role "incident" (it owns
no socket; send it SIGTERM to stop everything).  "expect" lists exactly the
processes that own sockets, with the counts `ss_counts.py` gives for them;
a role missing from "expect" owns no socket.  If the states do not show up
in time it prints {"kind": KIND, "ready": false, "error": ...} and exits 1.

It then keeps everything as it is until its standard input reaches end of
file (so run it with stdin a pipe the caller holds open, not /dev/null),
SIGTERM/SIGINT/SIGHUP, or --max-seconds after its start, whichever comes
first; then it kills its roles, waits for them and exits.  Roles also die
with it (PR_SET_PDEATHSIG) and end themselves when their stdin (a pipe from
the incident) closes.  Every loop is bounded in count and in time.

Standard library only.  Kernel timers change some counts while the incident
is held (orphaned FIN-WAIT-2 and TIME-WAIT sockets last 60 s, SYN-SENT
sockets give up about 130 s after their connect()): README.md says which
and when.
"""
import argparse
import ctypes
import errno
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True   # no __pycache__ beside the fixtures
import ss_counts  # noqa: E402  (beside this file)

PYTHON = '/usr/bin/python3'
HOST = '127.0.0.1'
PORT = 7000            # below the ephemeral range (32768-60999 by default)
MAX_COUNT = 19000      # descriptors per process stay under 20,000

KINDS = {
    'forgotten_close': {'count': 500, 'findings': ['forgotten_close']},
    'stopped_reading': {'count': 300,
                        'findings': ['stopped_reading', 'forgotten_close']},
    'accept_queue_full': {'count': 200, 'findings': ['accept_queue_full']},
    'fin_wait2_pile': {'count': 500,
                       'findings': ['fin_wait2_pile', 'forgotten_close']},
    'time_wait_pile': {'count': 1000, 'findings': ['time_wait_pile']},
    'healthy': {'count': 20, 'findings': []},
}
PAYLOAD = 1000         # bytes each stopped_reading client sends
DEFAULT_BACKLOG = 16   # accept_queue_full's listen() backlog

PR_SET_PDEATHSIG = 1
# Counters that must not move while ss looks (see want(), time_wait_pile).
SETTLED = ('TcpExt:TWRecycled', 'Tcp:OutRsts')


def log(msg):
    sys.stderr.write('incident.py[%d]: %s\n' % (os.getpid(), msg))
    sys.stderr.flush()


def set_pdeathsig(parent):
    """Die with SIGKILL when the parent goes; False if it is already gone."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    return os.getppid() == parent


def find_tool(name):
    for d in ('/usr/sbin', '/sbin', '/usr/bin', '/bin'):
        path = os.path.join(d, name)
        if os.access(path, os.X_OK):
            return path
    raise SystemExit('incident.py: %s not found in /usr/sbin, /sbin, '
                     '/usr/bin, /bin' % name)


# --------------------------------------------------------------- roles ----

def say(msg):
    os.write(1, (msg + '\n').encode())


def raise_nofile(need):
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < need:
        if hard != resource.RLIM_INFINITY and hard < need:
            raise SystemExit('role: needs %d descriptors, hard limit is %d'
                             % (need, hard))
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))


def left(deadline):
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise SystemExit('role: out of time while building')
    return remaining


def server(a, build_end):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((HOST, a.port))
    if a.kind == 'accept_queue_full':
        ls.listen(a.backlog)
        say('listening %d' % a.port)
        return [ls]                      # never accepts
    ls.listen(min(max(a.count, 128), 4096))
    say('listening %d' % a.port)
    held = [ls]
    for _ in range(a.count):
        ls.settimeout(left(build_end))
        conn, _peer = ls.accept()
        if a.kind == 'fin_wait2_pile':
            conn.close()                 # active close at once
        elif a.kind == 'time_wait_pile':
            conn.settimeout(left(build_end))
            try:
                for _ in range(1000):    # read until EOF, then close
                    if not conn.recv(4096):
                        break
            except ConnectionResetError:
                pass
            conn.close()
        else:                            # kept, never read, never closed
            held.append(conn)
    say('done %d' % a.count)
    return held


def client(a, build_end):
    addr = (HOST, a.port)
    held = []
    if a.kind == 'accept_queue_full':
        codes = {}
        for _ in range(a.count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            err = s.connect_ex(addr)
            codes[errno.errorcode.get(err, str(err))] = \
                codes.get(errno.errorcode.get(err, str(err)), 0) + 1
            held.append(s)
        say('done %d %s' % (a.count, json.dumps(codes, sort_keys=True)))
        return held
    for _ in range(a.count):
        s = socket.create_connection(addr, timeout=left(build_end))
        if a.kind == 'stopped_reading':
            s.sendall(b'x' * PAYLOAD)
            s.close()
        elif a.kind == 'time_wait_pile':
            s.sendall(b'x')
            s.close()                    # the client closes first
        else:
            held.append(s)
    if a.kind == 'forgotten_close':
        for s in held:                   # connect N times, then close all
            s.close()
        held = []
    say('done %d' % a.count)
    return held


def role_main(a):
    if not set_pdeathsig(a.parent):
        os._exit(1)
    try:
        with open('/proc/self/comm', 'w') as f:
            f.write(a.role)
    except OSError:
        pass
    raise_nofile(a.count + 64)
    now = time.monotonic()
    build_end = now + a.ready_seconds
    end = now + a.max_seconds + 30
    held = (server if a.role == 'server' else client)(a, build_end)
    # Hold the sockets until the incident closes our stdin or time is up.
    for _ in range(100000):
        remaining = end - time.monotonic()
        if remaining <= 0:
            break
        r, _, _ = select.select([0], [], [], min(remaining, 60))
        if r and not os.read(0, 4096):
            break
    del held
    os._exit(0)


# ------------------------------------------------------------ incident ----

class Stop(Exception):
    pass


class Role:
    def __init__(self, name, argv):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            try:
                os.dup2(to_child_r, 0)
                os.dup2(from_child_w, 1)
                if set_pdeathsig(parent):
                    os.execv(PYTHON, argv)
            finally:
                os._exit(127)
        os.close(to_child_r)
        os.close(from_child_w)
        self.name, self.pid, self.buf, self.status = name, pid, b'', None

    def readline(self, deadline):
        for _ in range(10000):
            if b'\n' in self.buf:
                line, self.buf = self.buf.split(b'\n', 1)
                return line.decode()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Stop('%s said nothing in time' % self.name)
            r, _, _ = select.select([self.from_child], [], [], remaining)
            if r:
                data = os.read(self.from_child, 4096)
                if not data:
                    raise Stop('%s exited while building' % self.name)
                self.buf += data
        raise Stop('%s: too many reads' % self.name)

    def alive(self):
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is None

    def stop(self):
        for fd in (self.to_child, self.from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.alive():
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def reap(self, deadline):
        for _ in range(1000):
            if not self.alive():
                return
            if time.monotonic() >= deadline:
                break
            time.sleep(0.01)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)


def run_ss(ss):
    me = os.getpid()
    out = subprocess.run([ss, '-tanpH'], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         timeout=20, check=True,
                         preexec_fn=lambda: set_pdeathsig(me))
    return out.stdout.decode(errors='replace').splitlines()


def counters():
    """TcpExt and Tcp counters of this network namespace, as one dict
    ("TcpExt:ListenOverflows", "Tcp:OutRsts", ...)."""
    row = {}
    for path in ('/proc/net/netstat', '/proc/net/snmp'):
        try:
            with open(path) as f:
                lines = f.read().splitlines()
        except OSError:
            continue
        for names, values in zip(lines[::2], lines[1::2]):
            names, values = names.split(), values.split()
            if names and names[0] in ('TcpExt:', 'Tcp:'):
                for k, v in zip(names[1:], values[1:]):
                    row[names[0] + k] = int(v)
    return row


def listen_overflows():
    return counters().get('TcpExt:ListenOverflows', 0)


def want(kind, n, pids, seen):
    """(expect, unowned) the kernel should show once kind is built; seen
    holds this namespace's TCP counters (see counters())."""
    srv, cli = str(pids['server']), str(pids['client'])
    if kind in ('forgotten_close', 'stopped_reading'):
        return {srv: {'LISTEN': 1, 'CLOSE-WAIT': n}}, {'FIN-WAIT-2': n}
    if kind == 'fin_wait2_pile':
        return ({srv: {'LISTEN': 1}, cli: {'CLOSE-WAIT': n}},
                {'FIN-WAIT-2': n})
    if kind == 'time_wait_pile':
        # Two things the kernel does remove a TIME-WAIT early, and it counts
        # both:
        # - TcpExt TWRecycled: a later connect() took over a TIME-WAIT of an
        #   earlier connection (tcp_tw_reuse=2, the default, allows it on
        #   loopback once the TIME-WAIT is tcp_tw_reuse_delay = 1 s old);
        #   seen when building takes over a second and the port search
        #   wraps (about 10,000 connections and more here).
        # - Tcp OutRsts: TIME-WAIT assassination (tcp_rfc1337=0).  When the
        #   server lags (CPU contention), it may send a pure ACK after its
        #   FIN; the client's TIME-WAIT answers it with an ACK, the server
        #   socket is gone by then, port 7000 answers with RST, and the RST
        #   removes the TIME-WAIT.  Only RSTs of this kind occur here.
        left_tw = n - seen.get('TcpExt:TWRecycled', 0) - seen.get(
            'Tcp:OutRsts', 0)
        return {srv: {'LISTEN': 1}}, ({'TIME-WAIT': left_tw} if left_tw > 0
                                      else {})
    if kind == 'healthy':
        return {srv: {'LISTEN': 1, 'ESTAB': n}, cli: {'ESTAB': n}}, {}
    raise ValueError(kind)


def queue_full_shape(n, backlog, pids, got, lines):
    """accept_queue_full: the split between ESTAB, SYN-RECV and SYN-SENT is
    the kernel's; accept the observed counts when they are consistent:
    the listener holds backlog+1 unaccepted ESTAB children (unowned), every
    client socket whose SYN got a SYN-ACK is ESTAB (its server end is either
    such a child or a SYN-RECV request socket), the rest are SYN-SENT."""
    srv, cli = str(pids['server']), str(pids['client'])
    procs, unowned = got['processes'], got['unowned']
    c = procs.get(cli, {})
    if procs.get(srv) != {'LISTEN': 1} or set(procs) - {srv, cli}:
        return None
    if set(unowned) - {'ESTAB', 'SYN-RECV'} or set(c) - {'ESTAB',
                                                         'SYN-SENT'}:
        return None
    if unowned.get('ESTAB', 0) != min(n, backlog + 1):
        return None
    if c.get('ESTAB', 0) != unowned.get('ESTAB', 0) + unowned.get(
            'SYN-RECV', 0):
        return None
    if sum(c.values()) != n:
        return None
    queue = [s['recvq'] for s in map(ss_counts.parse_line, lines)
             if s and s['state'] == 'LISTEN']
    if queue != [min(n, backlog + 1)]:
        return None
    return {srv: {'LISTEN': 1}, cli: c}, dict(unowned)


def recvq_note(lines):
    """Recv-Q values per state for the log (stopped_reading's CLOSE-WAIT)."""
    seen = {}
    for s in map(ss_counts.parse_line, lines):
        if s:
            key = '%s recvq=%d' % (s['state'], s['recvq'])
            seen[key] = seen.get(key, 0) + 1
    return json.dumps(seen, sort_keys=True)


def incident_main(a):
    start = time.monotonic()
    end = start + a.max_seconds
    ready_end = start + min(a.ready_seconds, a.max_seconds)
    ip, ss = find_tool('ip'), find_tool('ss')

    stop_r, stop_w = os.pipe()
    os.set_blocking(stop_w, False)
    os.set_blocking(stop_r, False)
    signal.set_wakeup_fd(stop_w, warn_on_full_buffer=False)
    stopping = []

    def on_signal(signum, _frame):
        stopping.append(signum)
        raise Stop('signal %d' % signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)
    signal.signal(signal.SIGCHLD, lambda *_: None)   # wakes the hold loop
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)

    if run_ss(ss):
        raise SystemExit('incident.py: TCP sockets already exist here: run '
                         'it in a fresh network namespace (unshare -rn '
                         '--fork ... or, as root, unshare -n ...)')
    subprocess.run([ip, 'link', 'set', 'lo', 'up'], check=True, timeout=20,
                   stdin=subprocess.DEVNULL)
    overflows0 = listen_overflows()

    roles = []
    script = os.path.abspath(__file__)

    def spawn(name):
        argv = [PYTHON, script, a.kind, '--role', name,
                '--count', str(a.count), '--max-seconds', str(a.max_seconds),
                '--ready-seconds', str(a.ready_seconds),
                '--backlog', str(a.backlog), '--port', str(a.port),
                '--parent', str(os.getpid())]
        role = Role(name, argv)
        roles.append(role)
        return role

    result = None
    try:
        srv = spawn('server')
        line = srv.readline(ready_end)
        if not line.startswith('listening'):
            raise Stop('server: %s' % line)
        cli = spawn('client')
        line = cli.readline(ready_end)
        if not line.startswith('done'):
            raise Stop('client: %s' % line)
        client_said = line
        if a.kind != 'accept_queue_full':
            line = srv.readline(ready_end)
            if not line.startswith('done'):
                raise Stop('server: %s' % line)
        built = time.monotonic()
        pids = {'incident': os.getpid(), 'server': srv.pid,
                'client': cli.pid}

        shape, last, polls, stable = None, None, 0, 0
        while time.monotonic() < ready_end and polls < 5000:
            polls += 1
            seen = counters()
            lines = run_ss(ss)
            got = ss_counts.count(lines)
            after = counters()
            if any(after.get(k) != seen.get(k) for k in SETTLED):
                seen = after                # moved during the look: again
                time.sleep(0.05)
                continue
            if a.kind == 'accept_queue_full':
                cand = queue_full_shape(a.count, a.backlog, pids, got, lines)
                # racy split: take it once two looks 0.3 s apart agree
                stable = stable + 1 if cand and cand == last else 0
                last = cand if cand else got
                if cand and stable >= 1 and \
                        seen.get('TcpExt:ListenOverflows', 0) > overflows0:
                    shape = cand
                    break
                time.sleep(0.3)
                continue
            expect, unowned = want(a.kind, a.count, pids, seen)
            if got['processes'] == expect and got['unowned'] == unowned and (
                    a.kind != 'stopped_reading' or all(
                        s['recvq'] == PAYLOAD + 1
                        for s in map(ss_counts.parse_line, lines)
                        if s and s['state'] == 'CLOSE-WAIT')):
                # take it when two looks 0.05 s apart agree
                stable = stable + 1 if got == last else 0
                if stable >= 1:
                    shape = (expect, unowned)
                    break
            else:
                stable = 0
            last = got
            time.sleep(0.05 if polls < 40 else 0.2)
        if shape is None:
            seen = counters()
            raise Stop('states not reached in %.0f s; last ss counts: %s; '
                       'TWRecycled %s, OutRsts %s' % (
                           a.ready_seconds, json.dumps(last, sort_keys=True),
                           seen.get('TcpExt:TWRecycled'),
                           seen.get('Tcp:OutRsts')))
        ready = time.monotonic()
        result = {'kind': a.kind, 'ready': True, 'pids': pids,
                  'expect': {pid: dict(sorted(states.items()))
                             for pid, states in sorted(shape[0].items())},
                  'unowned': dict(sorted(shape[1].items())),
                  'findings': KINDS[a.kind]['findings']}
        sys.stdout.write(json.dumps(result) + '\n')
        sys.stdout.flush()
        log('%s ready %.2f s after start (built %.2f s, %d ss polls); %s; '
            'ListenOverflows %s -> %s; TWRecycled %s; OutRsts %s; recvq %s'
            % (a.kind, ready - start, built - start, polls, client_said,
               overflows0, seen.get('TcpExt:ListenOverflows'),
               seen.get('TcpExt:TWRecycled'), seen.get('Tcp:OutRsts'),
               recvq_note(lines)))

        # Hold until stdin ends, a signal, a role exits, or max-seconds.
        for _ in range(1000000):
            remaining = end - time.monotonic()
            if remaining <= 0:
                log('max-seconds reached')
                break
            r, _, _ = select.select([stop_r, 0], [], [], min(remaining, 5))
            if stop_r in r:
                try:
                    os.read(stop_r, 4096)
                except BlockingIOError:
                    pass
            if 0 in r:
                try:
                    data = os.read(0, 4096)
                except OSError:
                    data = b''
                if not data:
                    log('stdin closed')
                    break
            dead = [x.name for x in roles if not x.alive()]
            if dead:
                raise Stop('role exited: %s' % ', '.join(dead))
        return 0
    except Stop as e:
        if stopping:
            log('stopping on signal %d' % stopping[0])
            if result is not None:
                return 0
        if result is None:
            sys.stdout.write(json.dumps({'kind': a.kind, 'ready': False,
                                         'error': str(e)}) + '\n')
            sys.stdout.flush()
        log(str(e))
        return 1
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        for role in roles:
            role.stop()
        kill_by = time.monotonic() + 2
        for role in roles:
            role.reap(kill_by)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('kind', choices=sorted(KINDS))
    p.add_argument('--count', type=int, default=None,
                   help='connections (default per kind, at most %d)'
                   % MAX_COUNT)
    p.add_argument('--max-seconds', type=float, default=300.0)
    p.add_argument('--ready-seconds', type=float, default=30.0,
                   help='bound on building the incident (default 30)')
    p.add_argument('--backlog', type=int, default=DEFAULT_BACKLOG,
                   help='listen() backlog of accept_queue_full (default 16)')
    p.add_argument('--port', type=int, default=PORT, help=argparse.SUPPRESS)
    p.add_argument('--role', choices=('server', 'client'),
                   help=argparse.SUPPRESS)
    p.add_argument('--parent', type=int, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.count is None:
        a.count = KINDS[a.kind]['count']
    if not 1 <= a.count <= MAX_COUNT:
        p.error('--count must be within 1..%d' % MAX_COUNT)
    if not 0 < a.max_seconds <= 86400 or not 0 < a.ready_seconds <= 600:
        p.error('--max-seconds within (0, 86400], --ready-seconds (0, 600]')
    if not 0 <= a.backlog <= 4096:
        p.error('--backlog within 0..4096')
    if a.kind == 'accept_queue_full' and a.count <= a.backlog + 1:
        p.error('accept_queue_full needs --count above --backlog + 1 (the '
                'queue holds backlog + 1 connections)')
    if a.role:
        return role_main(a)
    return incident_main(a)


if __name__ == '__main__':
    sys.exit(main())
