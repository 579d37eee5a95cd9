# Holds a socket in CLOSE_WAIT for 0.3 s, then closes it; stays 1.5 s more. No leak.
import socket, threading, time

listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(1)

def serve():
    conn, _ = listener.accept()
    conn.close()

threading.Thread(target=serve).start()
client = socket.create_connection(listener.getsockname())
client.recv(100)
time.sleep(0.3)
client.close()
listener.close()
time.sleep(1.5)
