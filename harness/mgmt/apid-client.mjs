#!/usr/bin/env node
// Dial a machine's apid the way Talos tooling does (gRPC, mutual TLS) and call MachineService.Version once.
// Prints one JSON line: {ok, target, hostname, tag, latencyMs} or {ok:false, target, error}. Bounded by a deadline.
// Usage: apid-client.mjs ADDRESS:PORT  (env: APID_CERT, APID_KEY, APID_CA, APID_SERVER_NAME, APID_TIMEOUT_MS)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const target = process.argv[2];
const def = protoLoader.loadSync(fileURLToPath(new URL('./machine.proto', import.meta.url)));
const machine = grpc.loadPackageDefinition(def).machine;
const creds = grpc.credentials.createSsl(
  readFileSync(process.env.APID_CA),
  readFileSync(process.env.APID_KEY),
  readFileSync(process.env.APID_CERT),
);
const client = new machine.MachineService(target, creds, {
  'grpc.ssl_target_name_override': process.env.APID_SERVER_NAME ?? 'apid',
});
const t0 = Date.now();
const deadline = new Date(Date.now() + Number(process.env.APID_TIMEOUT_MS ?? 3000));
client.Version({}, { deadline }, (err, res) => {
  const latencyMs = Date.now() - t0;
  if (err) {
    process.stdout.write(
      `${JSON.stringify({ ok: false, target, error: err.details || err.message, code: err.code, latencyMs })}\n`,
    );
    process.exit(1);
  }
  const m = res.messages?.[0];
  process.stdout.write(
    `${JSON.stringify({ ok: true, target, hostname: m?.metadata?.hostname, tag: m?.version?.tag, latencyMs })}\n`,
  );
  process.exit(0);
});
