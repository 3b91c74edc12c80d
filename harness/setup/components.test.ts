import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePinFile } from './components.ts';

const real = readFileSync(new URL('../../fixtures/components.yaml', import.meta.url), 'utf8');

const minimal = (component: string) => `go: "1.26"\ndebian: { pebble: [pebble] }\ncomponents:\n${component}`;
const etcd = `  - name: etcd\n    version: v3.6.16\n    require: { go.etcd.io/etcd/server/v3: v3.6.16 }\n    binaries:\n      - { name: etcd, package: go.etcd.io/etcd/server/v3, version: [--version], expect: "3.6.16" }\n`;

describe('pin file', () => {
  it('parses the real pin file with every component the lab needs', () => {
    const pins = parsePinFile(real);
    // the kind path's components (for: kind) are built only by setup --kind
    expect(pins.components.filter((c) => c.for === 'kind').map((c) => c.name)).toEqual([
      'kubernetes-node',
      'kind',
      'pebble',
    ]);
    expect(pins.components.filter((c) => c.for === undefined).map((c) => c.name)).toEqual([
      'kubernetes',
      'etcd',
      'kwok',
      'coredns',
      'traefik',
      'cert-manager',
      'gateway-api',
    ]);
    const binaries = pins.components.flatMap((c) => c.binaries.map((b) => b.name));
    for (const b of [
      'kube-apiserver',
      'kube-controller-manager',
      'kube-scheduler',
      'kube-proxy',
      'kubectl',
      'etcd',
      'kwok',
      'coredns',
      'traefik',
      'cert-manager-controller',
      'acmesolver',
      'echo-basic',
    ])
      expect(binaries).toContain(b);
    expect(pins.components.find((c) => c.name === 'kubernetes')?.stagingReplaces?.modules).toHaveLength(33);
    expect(Object.keys(pins.debian)).toEqual(
      expect.arrayContaining(['pebble', 'wireguard-go', 'wireguard-tools', 'haproxy', 'iptables', 'iproute2']),
    );
  });

  it('pins the versions the design asks for', () => {
    const v = Object.fromEntries(parsePinFile(real).components.map((c) => [c.name, c.version]));
    expect(v.kubernetes).toMatch(/^v1\.36\./);
    expect(v.etcd).toMatch(/^v3\.6\./);
    expect(v.kwok).toMatch(/^v0\.8\./);
    expect(v.traefik).toMatch(/^v3\.6\./);
    expect(v['cert-manager']).toMatch(/^v1\.21\./);
    expect(v.coredns).toMatch(/^v1\.14\./);
    expect(v['gateway-api']).toBe('v1.6.3');
  });

  it('accepts a minimal component', () => {
    expect(parsePinFile(minimal(etcd)).components[0]?.binaries[0]?.expect).toBe('3.6.16');
  });

  it.each([
    [
      'an unknown key',
      etcd.replace('    binaries:', '    colour: red\n    binaries:'),
      /components\[0\] \(etcd\): unknown key "colour"/,
    ],
    ['a missing require', etcd.replace(/    require.*\n/, ''), /components\[0\] \(etcd\): missing "require"/],
    [
      'a malformed version',
      etcd.replace('version: v3.6.16', 'version: 3.6'),
      /component etcd\.version: "3\.6" is not a version/,
    ],
    [
      'a malformed required version',
      etcd.replace('server/v3: v3.6.16', 'server/v3: latest'),
      /require\.go\.etcd\.io\/etcd\/server\/v3: "latest" is not a version/,
    ],
    [
      'a binary that cannot be verified',
      etcd.replace(', version: [--version], expect: "3.6.16"', ''),
      /needs "version" or "buildInfo"/,
    ],
    ['a version command without expected text', etcd.replace(', expect: "3.6.16"', ''), /"version" needs "expect"/],
    [
      'a local package without sources',
      etcd.replace('package: go.etcd.io/etcd/server/v3', 'package: ./etcd'),
      /is local but the component has no "sources"/,
    ],
    ['a component listed twice', etcd + etcd, /component etcd: is listed twice/],
  ])('rejects %s with a message naming the place', (_what, component, message) => {
    expect(() => parsePinFile(minimal(component))).toThrow(message);
  });

  it('rejects YAML that does not parse, and a bad go line', () => {
    expect(() => parsePinFile('go: [')).toThrow(/YAML/);
    expect(() => parsePinFile(minimal(etcd).replace('"1.26"', '"latest"'))).toThrow(/go: "latest" must be major.minor/);
  });
});
