# 20 connections, each closed by the client first: TIME_WAIT on the client's side, nothing held.
import socket, threading, time

listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(32)

def serve():
    for _ in range(20):
        conn, _ = listener.accept()
        conn.recv(100)  # the client's FIN
        conn.close()

t = threading.Thread(target=serve)
t.start()
for _ in range(20):
    c = socket.create_connection(listener.getsockname())
    c.close()
t.join()
listener.close()
time.sleep(1.5)
