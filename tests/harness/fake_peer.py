#!/usr/bin/env python3
# A stand-in for sockdrill-peer that is slow to report: it stamps a 'connected' event at
# t0 + 10 ms but writes it only at t0 + 300 ms, and answers sync requests only after that.
# With FAKE_PEER_SILENT=1 in its environment it never answers a sync at all.
import json
import os
import select
import time

DELAY_NS = 300_000_000
SILENT = os.environ.get("FAKE_PEER_SILENT") == "1"
STAMP_NS = 10_000_000


def write(obj):
    os.write(1, (json.dumps(obj) + "\n").encode())


def lines():
    pending = b""
    while True:
        yield None  # a chance to act between reads
        ready, _, _ = select.select([0], [], [], 0.005)
        if not ready:
            continue
        data = os.read(0, 65536)
        if not data:
            return
        pending += data
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            if line.strip():
                yield json.loads(line)


t0 = None
configured = False
emitted = False
held = []
for message in lines():
    if t0 is not None and not emitted and time.monotonic_ns() >= t0 + DELAY_NS:
        write({"type": "event", "t_ns": t0 + STAMP_NS, "kind": "connected", "conn": 0})
        emitted = True
        for sync_id in held:
            write({"type": "synced", "id": sync_id, "t_ns": time.monotonic_ns()})
        held = []
    if message is None:
        continue
    if not configured:
        configured = True
        write({"type": "ready"})
    elif message["type"] == "start":
        t0 = message["t0_ns"]
    elif message["type"] == "sync":
        if SILENT:
            continue
        if emitted:
            write({"type": "synced", "id": message["id"], "t_ns": time.monotonic_ns()})
        else:
            held.append(message["id"])
