// A Node.js http client with a keep-alive agent: one request, then the socket sits in the
// agent's free pool. Logs what node does when the server closes the idle connection, and exits
// (status 0) 1 s after the socket's 'close', or with status 2 if no 'close' comes within 6 s.
// Only node's built-in modules. Usage: node node_keepalive_idle.js HOST PORT
'use strict';
const http = require('http');
const [host, port] = process.argv.slice(2);
const t0 = Date.now();
const log = (m) => console.log(`${Date.now() - t0} ms: ${m}`);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const pooled = () => Object.values(agent.freeSockets).reduce((n, list) => n + list.length, 0);

// Host is fixed so that the request is exactly 51 bytes, whatever the port.
const req = http.get({ host, port, path: '/', agent, headers: { host: 'h' } }, (res) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk) => { body += chunk; });
  res.on('end', () => {
    log(`response ${res.statusCode} '${body}', complete`);
    setImmediate(() => log(`sockets in the agent's free pool: ${pooled()}`));
  });
});
req.on('socket', (socket) => {
  socket.on('end', () => log(`socket 'end' (server's FIN read); free pool: ${pooled()}`));
  socket.on('close', () => {
    log(`socket 'close'; free pool: ${pooled()}`);
    setTimeout(() => { log('done'); process.exit(); }, 1000);
  });
});
req.on('error', (e) => { log(`error ${e.code}`); process.exitCode = 1; });
setTimeout(() => { log(`no 'close' within 6 s; free pool: ${pooled()}`); process.exit(2); }, 6000);
