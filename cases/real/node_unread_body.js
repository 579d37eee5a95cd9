// A Node.js http client (keep-alive agent) whose 'response' handler never consumes the body:
// the classic "forgot res.resume()". Logs what node buffers and whether it ever sees the
// server's FIN. Only node's built-in modules. Usage: node node_unread_body.js HOST PORT
'use strict';
const http = require('http');
const [host, port] = process.argv.slice(2);
const t0 = Date.now();
const log = (m) => console.log(`${Date.now() - t0} ms: ${m}`);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

// Host is fixed so that the request is exactly 51 bytes, whatever the port.
const req = http.get({ host, port, path: '/', agent, headers: { host: 'h' } }, (res) => {
  log(`response ${res.statusCode}; the body is never read`);
  const socket = res.socket;
  socket.on('end', () => log("socket 'end' (server's FIN read)"));
  socket.on('close', () => log("socket 'close'"));
  setInterval(() => log(`unread in the response: ${res.readableLength} bytes, in the socket: ` +
                        `${socket.readableLength} bytes; socket destroyed: ${socket.destroyed}`), 500);
});
req.on('error', (e) => { log(`error ${e.code}`); process.exitCode = 1; });
process.on('SIGTERM', () => { log('SIGTERM'); process.exit(143); });
