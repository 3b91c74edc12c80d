import { describe, expect, it } from 'vitest';
import { edgeObjects } from './edge-objects.ts';
import { FAST_EDGE_THROTTLE, FAST_WAIT, ISSUANCES, issuanceOf, solverTiming } from './issuance.ts';
import { traefikFlags } from './programs.ts';

const acme = { directory: 'https://acme.test/dir', caPem: 'CA' };
const issuers = (issuance: 'fast' | 'faithful') =>
  edgeObjects(acme, issuance).filter((o) => o.kind === 'ClusterIssuer') as Parameters<typeof issuanceOf>[0];

describe('issuance profiles', () => {
  it('fast: every ClusterIssuer solver waits instead of self-checking; faithful: none does', () => {
    const fast = issuers('fast');
    expect(fast.map((i) => i.metadata?.name)).toEqual(['pebble-ingress', 'pebble-gateway']);
    for (const i of fast) expect(i.spec?.acme?.solvers?.map((s) => s.waitInsteadOfSelfCheck)).toEqual([FAST_WAIT]);
    for (const i of issuers('faithful'))
      expect(i.spec?.acme?.solvers?.[0]).not.toHaveProperty('waitInsteadOfSelfCheck');
    expect(solverTiming('faithful')).toEqual({});
  });

  it("fast lowers Traefik's 2 s configuration throttle; faithful keeps Traefik's default", () => {
    const throttle = (p: 'fast' | 'faithful') =>
      traefikFlags('203.0.113.10', p).filter((f) => f.startsWith('--providers.providersThrottleDuration'));
    expect(throttle('fast')).toEqual([`--providers.providersThrottleDuration=${FAST_EDGE_THROTTLE}`]);
    expect(throttle('faithful')).toEqual([]);
    expect(traefikFlags('203.0.113.10', 'fast').slice(1)).toEqual(traefikFlags('203.0.113.10', 'faithful'));
  });

  it('is read back from the ClusterIssuers, whatever made them', () => {
    for (const p of ISSUANCES) expect(issuanceOf(issuers(p))).toBe(p);
    expect(issuanceOf([...issuers('fast').slice(0, 1), ...issuers('faithful').slice(1)])).toBe('mixed');
    expect(issuanceOf([])).toBe('none');
  });

  it('keeps the solver itself (HTTP-01 through Ingress or the Gateway) in both profiles', () => {
    const solver = (p: 'fast' | 'faithful') => issuers(p).map((i) => Object.keys(i.spec?.acme?.solvers?.[0] ?? {}));
    expect(solver('fast')).toEqual([
      ['http01', 'waitInsteadOfSelfCheck'],
      ['http01', 'waitInsteadOfSelfCheck'],
    ]);
    expect(solver('faithful')).toEqual([['http01'], ['http01']]);
  });
});
