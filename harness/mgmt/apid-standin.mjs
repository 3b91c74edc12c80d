#!/usr/bin/env node
// The Talos API stand-in on the lab's machine: gRPC over mutual TLS on :50000 (all addresses, as apid), answering
// MachineService.Version with the machine's name and Talos version. Env: APID_CERT, APID_KEY, APID_CA (client CA),
// MACHINE_NAME, TALOS_VERSION.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const def = protoLoader.loadSync(fileURLToPath(new URL('./machine.proto', import.meta.url)));
const machine = grpc.loadPackageDefinition(def).machine;
const server = new grpc.Server();
server.addService(machine.MachineService.service, {
  Version(call, callback) {
    const peer = call.getPeer();
    process.stdout.write(`${new Date().toISOString()} Version from ${peer}\n`);
    callback(null, {
      messages: [
        {
          metadata: { hostname: process.env.MACHINE_NAME ?? 'machine' },
          version: { tag: process.env.TALOS_VERSION ?? 'v1.11.5', sha: 'skyprobe-stand-in', arch: 'amd64' },
        },
      ],
    });
  },
});
const creds = grpc.ServerCredentials.createSsl(
  readFileSync(process.env.APID_CA),
  [{ cert_chain: readFileSync(process.env.APID_CERT), private_key: readFileSync(process.env.APID_KEY) }],
  true,
);
server.bindAsync('[::]:50000', creds, (err, port) => {
  if (err) {
    process.stderr.write(`apid stand-in: ${err.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`apid stand-in listening on [::]:${port} (mutual TLS)\n`);
});
const stop = () => server.tryShutdown(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
