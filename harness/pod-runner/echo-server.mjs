#!/usr/bin/env node
// skyprobe's echo backend: the program behind the image `skyprobe/echo`. Every request gets a JSON reply that
// names the pod that served it, so a probe can tell which replica (and which app) answered.
// Env: PORT (default 8080), POD_NAME, POD_NAMESPACE, NODE_NAME, APP (set by the pod runner / the Deployment).
import { createServer } from 'node:http';

const port = Number(process.env.PORT || 8080);
const server = createServer((req, res) => {
  const body = JSON.stringify({
    pod: process.env.POD_NAME ?? '',
    namespace: process.env.POD_NAMESPACE ?? '',
    node: process.env.NODE_NAME ?? '',
    app: process.env.APP ?? '',
    host: req.headers.host ?? '',
    path: req.url ?? '',
    method: req.method,
    headers: req.headers,
    tls: Boolean(req.socket.encrypted) || req.headers['x-forwarded-proto'] === 'https',
    remote: req.socket.remoteAddress,
  });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(port, '0.0.0.0');
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
