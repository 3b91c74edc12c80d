import { describe, expect, it } from 'vitest';
import { readinessVerdict } from './readiness.ts';

const all = { workloadReady: true, routeAccepted: true, dnsResolved: true, certReady: true, httpsOk: true };
describe('endpoint readiness apart from workload readiness', () => {
  it('says TLS pending while only the certificate is missing', () => {
    expect(readinessVerdict({ ...all, certReady: false, httpsOk: false })).toBe(
      'workload ready, endpoint not ready: TLS pending',
    );
  });
  it('never calls an endpoint ready because the workload is', () => {
    expect(readinessVerdict({ ...all, dnsResolved: false })).toBe('workload ready, endpoint not ready: DNS pending');
    expect(readinessVerdict({ ...all, httpsOk: false })).toBe(
      'workload ready, endpoint not ready: HTTPS not answering',
    );
    expect(readinessVerdict(all)).toBe('workload ready, endpoint ready');
    expect(readinessVerdict({ ...all, workloadReady: false })).toBe('workload not ready, endpoint ready');
  });
});
