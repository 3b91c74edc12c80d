import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePinFile } from './components.ts';

const real = readFileSync(new URL('../../fixtures/components.yaml', import.meta.url), 'utf8');
/** The real file with one line of its kind: section changed. */
const kindEdit = (from: string | RegExp, to: string) => {
  const at = real.indexOf('\nkind:');
  return real.slice(0, at) + real.slice(at).replace(from, to);
};

describe('pin file: kind section', () => {
  it('pins the kind release, a digest-pinned 1.36 node image and the same releases as the built components', () => {
    const pins = parsePinFile(real);
    const kind = pins.kind;
    expect(kind?.version).toBe('v0.33.0');
    expect(kind?.nodeImage).toMatch(/^kindest\/node:v1\.36\.\d+@sha256:[0-9a-f]{64}$/);
    const built = Object.fromEntries(pins.components.map((c) => [c.name, c.version]));
    for (const name of ['gateway-api', 'cert-manager', 'traefik', 'coredns'] as const)
      expect(kind?.components[name].version).toBe(built[name]);
    expect(kind?.components['cert-manager'].manifests).toEqual([
      `https://github.com/cert-manager/cert-manager/releases/download/${built['cert-manager']}/cert-manager.yaml`,
    ]);
    expect(kind?.components['gateway-api'].manifests).toEqual([
      `https://github.com/kubernetes-sigs/gateway-api/releases/download/${built['gateway-api']}/standard-install.yaml`,
    ]);
    expect(kind?.components.traefik.image).toBe(`docker.io/library/traefik:${built.traefik}`);
    expect(kind?.components.coredns.image).toBe('docker.io/coredns/coredns:1.14.7');
    expect(kind?.components.pebble).toEqual({
      version: 'v2.10.1',
      image: 'ghcr.io/letsencrypt/pebble:2.10.1',
      manifests: [],
    });
  });

  it('keeps setup unchanged: the Go components parse exactly as before, and a file without kind: still parses', () => {
    const withoutKind = real.slice(0, real.indexOf('\nkind:'));
    expect(parsePinFile(withoutKind).kind).toBeUndefined();
    expect(parsePinFile(withoutKind).components).toEqual(parsePinFile(real).components);
  });

  it.each([
    [
      'a version that differs from the built component',
      kindEdit('version: v1.21.2', 'version: v1.21.3'),
      /kind\.components\.cert-manager\.version: v1\.21\.3 differs from component cert-manager \(v1\.21\.2\)/,
    ],
    [
      'a manifest URL of another release',
      kindEdit('download/v1.6.3/', 'download/v1.6.2/'),
      /kind\.components\.gateway-api\.manifests: ".*v1\.6\.2.*" must be an https URL naming \/v1\.6\.3\//,
    ],
    [
      'an image of another release',
      kindEdit('pebble:2.10.1', 'pebble:2.9.0'),
      /kind\.components\.pebble\.image: "ghcr\.io\/letsencrypt\/pebble:2\.9\.0" is not tagged v2\.10\.1/,
    ],
    [
      'a node image without its digest',
      kindEdit(/@sha256:[0-9a-f]+/, ''),
      /kind\.nodeImage: .* must be kindest\/node:vX\.Y\.Z@sha256/,
    ],
    [
      'a node image of another Kubernetes minor',
      kindEdit('kindest/node:v1.36.4', 'kindest/node:v1.35.8'),
      /kind\.nodeImage: Kubernetes v1\.35 differs from component kubernetes \(v1\.36\.3\)/,
    ],
    ['a missing component', kindEdit(/\n {4}pebble:\n(.*\n)*/, '\n'), /kind\.components: missing "pebble"/],
    [
      'an image-less component that needs one',
      kindEdit(/\n {6}image: docker\.io\/coredns.*/, ''),
      /kind\.components\.coredns: missing "image"/,
    ],
    ['an unknown key', kindEdit('  nodeImage:', '  colour: red\n  nodeImage:'), /kind: unknown key "colour"/],
  ])('rejects %s with one line naming the place', (_what, text, message) => {
    expect(() => parsePinFile(text)).toThrow(message);
  });

  it('follows a changed pin everywhere: a new cert-manager release is one consistent edit', () => {
    const bumped = parsePinFile(real.replaceAll('v1.21.2', 'v1.21.9'));
    expect(bumped.kind?.components['cert-manager'].manifests[0]).toBe(
      'https://github.com/cert-manager/cert-manager/releases/download/v1.21.9/cert-manager.yaml',
    );
  });
});
