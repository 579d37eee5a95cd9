# Python's http.client keeps a keep-alive connection for reuse but never reads it while idle.
# One request, 2 s idle (the server closes after 300 ms), then a second request on the same
# connection. Standard library only. Usage: python3 python_pool_reuse.py HOST PORT
import http.client
import sys
import time

host, port = sys.argv[1], int(sys.argv[2])
t0 = time.monotonic()


def log(message):
    print(f"{int((time.monotonic() - t0) * 1000)} ms: {message}", flush=True)


conn = http.client.HTTPConnection(host, port)
# Host is fixed so that the request is exactly 54 bytes (with Accept-Encoding: identity).
conn.request("GET", "/", headers={"Host": "h"})
response = conn.getresponse()
log(f"response {response.status} {response.read()!r}; connection kept for reuse")
time.sleep(2)
try:
    conn.request("GET", "/", headers={"Host": "h"})
    log("second request sent on the kept connection")
    response = conn.getresponse()
    log(f"second response {response.status}")
except (http.client.HTTPException, OSError) as e:
    log(f"reuse failed: {type(e).__name__}: {e}")
    sys.exit(3)
