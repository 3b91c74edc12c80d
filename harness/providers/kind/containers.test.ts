import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePinFile } from '../../setup/components.ts';
import type { KindPins } from '../../setup/kind-pins.ts';
import { acmeDirectory, pebbleSpec, publicDnsSpec } from './containers.ts';
import { RUN_LABEL } from './names.ts';

const text = readFileSync(new URL('../../../fixtures/components.yaml', import.meta.url), 'utf8');
const pins = parsePinFile(text).kind as KindPins;
const tls = { caPem: 'CA', certPem: 'LISTENER-CERT', keyPem: 'LISTENER-KEY' };

describe('containers beside the kind cluster', () => {
  it("public DNS: pinned CoreDNS on kind's network, serving the host's zone folder, labelled with the run", () => {
    const s = publicDnsSpec(pins, 'ab12cd', { network: 'kind', zonesDir: '/cache/kind/ab12cd/zones' });
    expect(s).toMatchObject({
      role: 'public-dns',
      name: 'skyprobe-ab12cd-public-dns',
      image: 'docker.io/coredns/coredns:1.14.7',
      command: ['-conf', '/skyprobe/Corefile'],
      env: {},
      ports: [53, 8181],
      network: 'kind',
      labels: { [RUN_LABEL]: 'ab12cd', 'io.skyprobe.role': 'public-dns' },
      binds: [{ source: '/cache/kind/ab12cd/zones', target: '/zones', mode: 'ro' }],
    });
    const corefile = s.files.find((f) => f.target === '/skyprobe/Corefile')?.content ?? '';
    expect(corefile).toMatch(/auto \{\n\s+directory \/zones db\\\.\(\.\*\) \{1\}/);
    expect(corefile).toContain('ready 0.0.0.0:8181');
    expect(s.readyLog.test('CoreDNS-1.14.7')).toBe(true);
  });

  it('ACME: pinned Pebble resolving through public DNS, its listener TLS from the run, no validation sleep', () => {
    const s = pebbleSpec(pins, 'ab12cd', { network: 'kind', publicDnsIp: '172.18.0.3', tls });
    expect(s).toMatchObject({
      role: 'acme',
      name: 'skyprobe-ab12cd-acme',
      image: 'ghcr.io/letsencrypt/pebble:2.10.1',
      command: ['-config', '/skyprobe/pebble.json', '-dnsserver', '172.18.0.3:53'],
      env: { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' },
      ports: [14000, 15000],
      network: 'kind',
      labels: { [RUN_LABEL]: 'ab12cd', 'io.skyprobe.role': 'acme' },
      binds: [],
    });
    const file = (t: string) => s.files.find((f) => f.target === t);
    expect(JSON.parse(file('/skyprobe/pebble.json')?.content ?? '{}').pebble).toMatchObject({
      listenAddress: '0.0.0.0:14000',
      managementListenAddress: '0.0.0.0:15000',
      certificate: '/skyprobe/listener.crt',
      privateKey: '/skyprobe/listener.key',
      httpPort: 80,
      tlsPort: 443,
    });
    expect(file('/skyprobe/listener.crt')?.content).toBe('LISTENER-CERT');
    expect(file('/skyprobe/listener.key')).toMatchObject({ content: 'LISTENER-KEY', mode: 0o600 });
    expect(s.readyLog.test('ACME directory available at: https://0.0.0.0:14000/dir')).toBe(true);
    expect(acmeDirectory('ab12cd')).toBe('https://skyprobe-ab12cd-acme:14000/dir');
  });

  it('takes images from the pin file', () => {
    const other = parsePinFile(
      text.replace('pebble:2.10.1', 'pebble:2.10.2').replaceAll('version: v2.10.1', 'version: v2.10.2'),
    ).kind as KindPins;
    expect(pebbleSpec(other, 'x', { network: 'kind', publicDnsIp: '1.2.3.4', tls }).image).toBe(
      'ghcr.io/letsencrypt/pebble:2.10.2',
    );
  });
});
