// The baseline: a bare node:http server that reads the request body and answers a
// small fixed JSON document. Run in a child process by bench/server.ts.

import http from 'node:http';

const BODY = JSON.stringify({ methodResponses: [['Core/echo', { ok: true }, 'c']], sessionState: 'bare' });

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(BODY);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  console.log(`listening ${typeof addr === 'object' && addr ? addr.port : ''}`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
