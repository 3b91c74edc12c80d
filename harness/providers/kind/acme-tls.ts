/**
 * TLS for Pebble's own listeners (ACME :14000, management :15000): a CA made per run with openssl and one
 * certificate for the names Pebble is reached by (its container name on kind's network, and localhost through
 * the published ports). The ClusterIssuers trust this CA through caBundle and the harness through its own
 * agent; verification is never turned off. (Pebble's *issuing* root is another thing: fetched from
 * :15000/roots/0 once Pebble runs, it is the trust root of the certificates Pebble signs.)
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { SkyprobeError } from '../../errors.ts';
import { makeCa, signLeaf } from '../../exec/openssl.ts';
import type { Runner } from '../../exec/runner.ts';
import { TIMEOUTS } from '../../timeouts.ts';

export interface AcmeTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** The openssl extension text of Pebble's listener certificate. Pure. */
export function listenerExtensions(dnsNames: string[], ips: string[]): string {
  const sans = [...dnsNames.map((n) => `DNS:${n}`), ...ips.map((ip) => `IP:${ip}`)];
  return `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans.join(',')}\n`;
}

export async function makeAcmeTls(run: Runner, dir: string, dnsNames: string[], ips: string[] = []): Promise<AcmeTls> {
  mkdirSync(dir, { recursive: true });
  const f = (n: string) => join(dir, n);
  await makeCa(run, dir, '/CN=skyprobe-kind-acme-ca', 7, 'make the ACME listener CA');
  await signLeaf(
    run,
    dir,
    'listener',
    `/CN=${dnsNames[0] ?? 'pebble'}`,
    listenerExtensions([...dnsNames, 'localhost'], ['127.0.0.1', ...ips]),
    7,
  );
  return {
    caPem: readFileSync(f('ca.crt'), 'utf8'),
    certPem: readFileSync(f('listener.crt'), 'utf8'),
    keyPem: readFileSync(f('listener.key'), 'utf8'),
  };
}

/** GET an https URL of Pebble, trusting only the run's listener CA. */
export async function fetchFromPebble(url: string, caPem: string): Promise<string> {
  const agent = new Agent({ connect: { ca: caPem } });
  try {
    const res = await fetch(url, { dispatcher: agent, signal: AbortSignal.timeout(TIMEOUTS.pebbleRequest) });
    const body = await res.text();
    if (!res.ok)
      throw new SkyprobeError(`${url} answered ${res.status}`, {
        hint: "see the Pebble container's log (docker logs)",
      });
    return body;
  } finally {
    await agent.close();
  }
}
