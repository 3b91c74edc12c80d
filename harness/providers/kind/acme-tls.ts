/**
 * TLS for Pebble's own listeners (ACME :14000, management :15000): a CA made per run with openssl and one
 * certificate for the names Pebble is reached by (its container name on kind's network, and localhost through
 * the published ports). The ClusterIssuers trust this CA through caBundle and the harness through its own
 * agent; verification is never turned off. (Pebble's *issuing* root is another thing: fetched from
 * :15000/roots/0 once Pebble runs, it is the trust root of the certificates Pebble signs.)
 */
import { EC_KEY, openssl } from '../../exec/openssl.ts';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { SkyprobeError } from '../../errors.ts';
import type { Runner } from '../../exec/runner.ts';

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

export async function makeAcmeTls(run: Runner, dir: string, dnsNames: string[]): Promise<AcmeTls> {
  mkdirSync(dir, { recursive: true });
  const f = (n: string) => join(dir, n);
  await openssl(run, ['req', '-x509', '-new', ...EC_KEY, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '7', '-subj', '/CN=skyprobe-kind-acme-ca'], 'make the ACME listener CA');
  writeFileSync(f('listener.ext'), listenerExtensions([...dnsNames, 'localhost'], ['127.0.0.1']));
  await openssl(run, ['req', '-new', ...EC_KEY, '-keyout', f('listener.key'), '-out', f('listener.csr'), '-subj', `/CN=${dnsNames[0] ?? 'pebble'}`], "make Pebble's listener key");
  await openssl(
    run,
    ['x509', '-req', '-in', f('listener.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '7', '-extfile', f('listener.ext'), '-out', f('listener.crt')],
    "sign Pebble's listener certificate",
  );
  return { caPem: readFileSync(f('ca.crt'), 'utf8'), certPem: readFileSync(f('listener.crt'), 'utf8'), keyPem: readFileSync(f('listener.key'), 'utf8') };
}

/** GET an https URL of Pebble, trusting only the run's listener CA. */
export async function fetchFromPebble(url: string, caPem: string): Promise<string> {
  const agent = new Agent({ connect: { ca: caPem } });
  try {
    const res = await fetch(url, { dispatcher: agent, signal: AbortSignal.timeout(5000) });
    const body = await res.text();
    if (!res.ok) throw new SkyprobeError(`${url} answered ${res.status}`, { hint: "see the Pebble container's log (docker logs)" });
    return body;
  } finally {
    await agent.close();
  }
}
