# Python's http.client keeps a keep-alive connection for reuse but never reads it while idle.
# One request; then idle until the kernel says the kept connection is in CLOSE_WAIT (asked with
# TCP_INFO, which reads nothing from the socket), 1 s more, then a second request on the same
# connection. Standard library only. Usage: python3 python_pool_reuse.py HOST PORT
import http.client
import socket
import sys
import time

host, port = sys.argv[1], int(sys.argv[2])
t0 = time.monotonic()
TCP_CLOSE_WAIT = 8  # tcpi_state, the first byte of struct tcp_info


def log(message):
    print(f"{int((time.monotonic() - t0) * 1000)} ms: {message}", flush=True)


def tcp_state(sock):
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0]


conn = http.client.HTTPConnection(host, port)
# Host is fixed so that the request is exactly 54 bytes (with Accept-Encoding: identity).
conn.request("GET", "/", headers={"Host": "h"})
response = conn.getresponse()
log(f"response {response.status} {response.read()!r}; connection kept for reuse")
deadline = time.monotonic() + 6
while tcp_state(conn.sock) != TCP_CLOSE_WAIT:
    if time.monotonic() > deadline:
        log("the kept connection never reached CLOSE_WAIT")
        sys.exit(2)
    time.sleep(0.02)
log("the kept connection is in CLOSE_WAIT (the server's FIN, unread)")
time.sleep(1)
try:
    conn.request("GET", "/", headers={"Host": "h"})
    log("second request sent on the kept connection")
    response = conn.getresponse()
    log(f"second response {response.status}")
except (http.client.HTTPException, OSError) as e:
    log(f"reuse failed: {type(e).__name__}: {e}")
    sys.exit(3)
