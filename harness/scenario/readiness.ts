/**
 * Endpoint readiness, apart from workload readiness (the contract: TLS readiness is not pod readiness).
 * One implementation, used by scenarios and reports.
 */
export interface ReadinessFacts {
  workloadReady: boolean;
  routeAccepted: boolean;
  dnsResolved: boolean;
  certReady: boolean;
  httpsOk: boolean;
}

/** The one-line verdict, e.g. "workload ready, endpoint not ready: TLS pending". */
export function readinessVerdict(f: ReadinessFacts): string {
  const workload = f.workloadReady ? 'workload ready' : 'workload not ready';
  const pending = [
    !f.routeAccepted && 'route pending',
    !f.dnsResolved && 'DNS pending',
    !f.certReady && 'TLS pending',
    f.certReady && !f.httpsOk && 'HTTPS not answering',
  ].filter(Boolean);
  return pending.length === 0
    ? `${workload}, endpoint ready`
    : `${workload}, endpoint not ready: ${pending.join(', ')}`;
}
