# Starts a server as a daemon (double fork, new session) and exits 0 without stopping it: the
# server is left behind, listening. Prints "SERVER pid=P port=N" for the test.
import os, socket, sys, time

r, w = os.pipe()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.close(r)
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        os.write(w, f"SERVER pid={os.getpid()} port={s.getsockname()[1]}\n".encode())
        os.close(w)
        # A daemon lets go of the terminal (here: the test's pipe, which would stay open).
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        time.sleep(60)
        os._exit(0)
    os._exit(0)
os.close(w)
sys.stdout.write(os.read(r, 200).decode())
sys.stdout.flush()
os.wait()
