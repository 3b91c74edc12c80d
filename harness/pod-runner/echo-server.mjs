#!/usr/bin/env node
// skyprobe's echo backend: the program behind the image `skyprobe/echo`. Every request gets a JSON reply that
// names the pod that served it, so a probe can tell which replica (and which app) answered.
// Env: PORT (default 8080), POD_NAME, POD_NAMESPACE, NODE_NAME, APP (the Deployment sets them; the pod's name,
// namespace and node from the downward API).
// Fault knobs (used only by fault twins; the readiness path /healthz always answers 200, as the health check of an
// app that ignores its broken dependency would): ECHO_STATUS, the status of every other answer (e.g. 500);
// ECHO_HOSTS, a comma-separated list of the Host names it serves: any other host gets 404 (a virtual-host app).
import { createServer } from 'node:http';

const port = Number(process.env.PORT || 8080);
const status = Number(process.env.ECHO_STATUS || 200);
const hosts = (process.env.ECHO_HOSTS ?? '').split(',').filter(Boolean);
const server = createServer((req, res) => {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  const health = req.url === '/healthz';
  const code = health ? 200 : hosts.length > 0 && !hosts.includes(host) ? 404 : status;
  const body = JSON.stringify({
    ...(code === 404 && !health ? { error: `${host} is not a host of this app` } : {}),
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
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(port, '0.0.0.0');
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
