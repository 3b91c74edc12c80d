import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConformanceReport } from './conformance-report.ts';

// The suite's own report of the same recorded run (fixtures/upstream/gateway-api-events.jsonl).
const recorded = readFileSync(new URL('../../fixtures/upstream/gateway-api-report.yaml', import.meta.url), 'utf8');

describe('parseConformanceReport', () => {
  it('reads the profile results, counts, skipped tests and features of a recorded report', () => {
    const r = parseConformanceReport(recorded);
    expect(r).toMatchObject({ gatewayAPIVersion: 'v1.6.3', gatewayAPIChannel: 'standard' });
    expect(r.implementation).toEqual({ project: 'traefik', version: 'v3.6.12' });
    const [http] = r.profiles;
    expect(http?.name).toBe('GATEWAY-HTTP');
    expect(http?.core).toMatchObject({ result: 'partial', passed: 33, failed: 0, skipped: 3 });
    expect(http?.core.skippedTests).toEqual(
      expect.arrayContaining([
        'HTTPRouteMultipleGateways',
        'HTTPRouteNoBackendRefs',
        'GatewayListenerUnsupportedProtocol',
      ]),
    );
    expect(http?.extended).toMatchObject({ result: 'success', passed: 13, failed: 0 });
    expect(http?.extended?.supportedFeatures).toContain('GatewayPort8080');
    expect(http?.extended?.unsupportedFeatures).toContain('HTTPRouteCORS');
  });

  it('reads the report of a suite that stopped before its tests (profiles: null) as one with no profile', () => {
    expect(
      parseConformanceReport('kind: ConformanceReport\ngatewayAPIVersion: v1.6.3\nprofiles: null\n').profiles,
    ).toEqual([]);
  });

  it('refuses what is not a ConformanceReport', () => {
    expect(() => parseConformanceReport('kind: Gateway\n')).toThrow('not a ConformanceReport (kind: Gateway)');
    expect(() => parseConformanceReport('kind: ConformanceReport\n')).toThrow('without profiles');
  });
});
