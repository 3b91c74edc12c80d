import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { type VolumeSources, unsupportedVolumes, volumePayload, volumeRefs } from './volume-payload.ts';

const pod = (volumes: NonNullable<V1Pod['spec']>['volumes']): V1Pod => ({
  metadata: { name: 'p', namespace: 'ns', uid: 'u1', labels: { b: '2', a: 'x"y' }, annotations: { n: 'v' } },
  spec: { containers: [{ name: 'c' }], volumes },
});
const data = (o: Record<string, string>) => new Map(Object.entries(o).map(([k, v]) => [k, Buffer.from(v)]));
const src: VolumeSources = {
  configMap: (n) => (n === 'cm' ? data({ k1: 'v1', k2: 'v2' }) : undefined),
  secret: (n) => (n === 's' ? data({ crt: 'C', key: 'K' }) : undefined),
  token: (aud, exp) => `token:${aud ?? '-'}:${exp}`,
};
const files = (p: ReturnType<typeof volumePayload>) =>
  Object.fromEntries([...(p ?? new Map())].map(([k, f]) => [k, [f.content.toString(), f.mode.toString(8)]]));

describe('volumePayload', () => {
  it('configMap: every key with defaultMode 0644, or the items with their paths and modes', () => {
    expect(files(volumePayload(pod([]), { name: 'v', configMap: { name: 'cm' } }, src))).toEqual({
      k1: ['v1', '644'],
      k2: ['v2', '644'],
    });
    const v = {
      name: 'v',
      configMap: {
        name: 'cm',
        defaultMode: 0o600,
        items: [
          { key: 'k2', path: 'd/two', mode: 0o400 },
          { key: 'k1', path: 'one' },
        ],
      },
    };
    expect(files(volumePayload(pod([]), v, src))).toEqual({ 'd/two': ['v2', '400'], one: ['v1', '600'] });
  });

  it('secret: missing object or key fails naming it, unless optional', () => {
    expect(() => volumePayload(pod([]), { name: 'v', secret: { secretName: 'nope' } }, src)).toThrow(
      'volume v: secret nope not found',
    );
    expect(() =>
      volumePayload(pod([]), { name: 'v', secret: { secretName: 's', items: [{ key: 'x', path: 'x' }] } }, src),
    ).toThrow('volume v: secret s has no key x');
    expect(files(volumePayload(pod([]), { name: 'v', secret: { secretName: 'nope', optional: true } }, src))).toEqual(
      {},
    );
    expect(
      files(
        volumePayload(
          pod([]),
          { name: 'v', secret: { secretName: 's', items: [{ key: 'crt', path: 'tls.crt' }] } },
          src,
        ),
      ),
    ).toEqual({ 'tls.crt': ['C', '644'] });
  });

  it('downwardAPI: name, namespace, labels and annotations as the kubelet formats them', () => {
    const v = {
      name: 'v',
      downwardAPI: {
        items: [
          { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
          { path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } },
          { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
          { path: 'ann', fieldRef: { fieldPath: 'metadata.annotations' }, mode: 0o600 },
          { path: 'one', fieldRef: { fieldPath: "metadata.labels['b']" } },
        ],
      },
    };
    expect(files(volumePayload(pod([v]), v, src))).toEqual({
      name: ['p', '644'],
      ns: ['ns', '644'],
      labels: ['a="x\\"y"\nb="2"', '644'],
      ann: ['n="v"', '600'],
      one: ['2', '644'],
    });
  });

  it('projected: the service account volume the apiserver adds (token, ca.crt, namespace)', () => {
    const v = {
      name: 'kube-api-access-x',
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: 3607, audience: 'aud' } },
          { configMap: { name: 'cm', items: [{ key: 'k1', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    };
    expect(files(volumePayload(pod([v]), v, src))).toEqual({
      token: ['token:aud:3607', '644'],
      'ca.crt': ['v1', '644'],
      namespace: ['ns', '644'],
    });
    expect(volumeRefs(pod([v]))).toEqual({
      configMaps: new Set(['cm']),
      secrets: new Set(),
      tokens: [{ audience: 'aud', expirationSeconds: 3607 }],
    });
  });

  it('emptyDir has no payload', () => {
    expect(volumePayload(pod([]), { name: 'v', emptyDir: { medium: 'Memory' } }, src)).toBeUndefined();
  });
});

describe('unsupportedVolumes', () => {
  it('passes the supported types and names every unsupported one', () => {
    expect(
      unsupportedVolumes(
        pod([
          { name: 'a', emptyDir: {} },
          { name: 'b', configMap: { name: 'cm' } },
        ]),
      ),
    ).toBeUndefined();
    const msg = unsupportedVolumes(
      pod([
        { name: 'h', hostPath: { path: '/etc' } },
        { name: 'p', projected: { sources: [{ clusterTrustBundle: { path: 'x' } }] } },
        { name: 'd', downwardAPI: { items: [{ path: 'cpu', resourceFieldRef: { resource: 'limits.cpu' } }] } },
      ]),
    );
    expect(msg).toContain('volume h: type hostPath');
    expect(msg).toContain('volume p: projected source 0 type clusterTrustBundle');
    expect(msg).toContain('volume d: downwardAPI item cpu (only fieldRef)');
  });
});
