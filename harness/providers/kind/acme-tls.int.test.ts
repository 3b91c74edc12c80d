import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execRunner } from '../../exec/runner.ts';
import { fetchFromPebble, makeAcmeTls } from './acme-tls.ts';

// Real openssl, real TLS on loopback: the trust the kind provider gives Pebble's listeners, verified end to end.
const dirs: string[] = [];
const tmp = () => {
  dirs.push(mkdtempSync(join(tmpdir(), 'skyprobe-acme-tls-')));
  return dirs.at(-1) as string;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("Pebble's listener TLS (openssl)", () => {
  it('is a per-run CA and a server certificate for the container name, localhost and 127.0.0.1', async () => {
    const tls = await makeAcmeTls(execRunner, tmp(), ['skyprobe-ab12cd-acme']);
    const ca = new X509Certificate(tls.caPem);
    const leaf = new X509Certificate(tls.certPem);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toBe('DNS:skyprobe-ab12cd-acme, DNS:localhost, IP Address:127.0.0.1');
  });

  it('is trusted by the fetch the provider uses, and a server with another CA is refused', async () => {
    const dir = tmp();
    const tls = await makeAcmeTls(execRunner, join(dir, 'a'), ['pebble']);
    const other = await makeAcmeTls(execRunner, join(dir, 'b'), ['pebble']);
    const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (_req, res) =>
      res.end('-----BEGIN CERTIFICATE-----\nROOT\n'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://localhost:${(server.address() as AddressInfo).port}/roots/0`;
    try {
      expect(await fetchFromPebble(url, tls.caPem)).toContain('ROOT');
      await expect(fetchFromPebble(url, other.caPem)).rejects.toThrow();
    } finally {
      server.close();
    }
  });
});
