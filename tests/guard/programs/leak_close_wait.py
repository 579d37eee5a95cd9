# Leaks one socket in CLOSE_WAIT: the server says bye and closes; this client reads to the end
# and never closes. Prints "LEAK pid=P fd=F" for the test, then waits HOLD seconds.
# Arguments: HOLD [unread|read] [PORT]: "unread" leaves the server's bytes unread; PORT fixes
# the listener's port (default: any free one).
import os, socket, sys, threading, time

hold = float(sys.argv[1]) if len(sys.argv) > 1 else 2.5
unread = len(sys.argv) > 2 and sys.argv[2] == "unread"
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", int(sys.argv[3]) if len(sys.argv) > 3 else 0))
listener.listen(1)

def serve():
    conn, _ = listener.accept()
    conn.sendall(b"bye\n" * (4 if unread else 1))
    conn.close()

server = threading.Thread(target=serve)
server.start()
client = socket.create_connection(listener.getsockname())
# The server must have accepted before the listener closes: closing a listener resets the
# connections still in its queue (seen under load: no CLOSE_WAIT, so no leak).
server.join()
if not unread:
    while client.recv(100):
        pass
listener.close()
print(f"LEAK pid={os.getpid()} fd={client.fileno()}", flush=True)
time.sleep(hold)
