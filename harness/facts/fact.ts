/**
 * The four domain facts (the contract: a database row is no proof that a domain works). Each fact is established
 * on its own, from its own evidence, and says what to do when it does not pass. Workload readiness is reported
 * apart: "workload ready" never implies "endpoint ready". One implementation, used by `skyprobe domains check`
 * and by the scenarios (FX-01).
 */
export const DOMAINS_SCHEMA = 'skyprobe.domains/v1';
// v1 grows only by additions (docs/architecture.md, "domains check"): `endpoint` beside `facts` and `workload`.

export type FactStatus = 'pass' | 'fail' | 'pending' | 'unknown';
export const FACT_NAMES = ['metadata', 'routing', 'dns', 'tls'] as const;
export type FactName = (typeof FACT_NAMES)[number];

export interface Fact<E = unknown> {
  status: FactStatus;
  /** One line: what was found. */
  summary: string;
  evidence: E;
  /** One line: what to do about it (absent when the fact passes). */
  remediation?: string;
}

export interface Workload {
  status: 'ready' | 'not ready' | 'unknown';
  deployment?: string;
  replicas?: number;
  availableReplicas?: number;
  summary: string;
}

export interface DomainReport {
  host: string;
  facts: Record<FactName, Fact>;
  /** What a user gets through the published path (evidence: EndpointEvidence, endpoint.ts); judged like a fact. */
  endpoint: Fact;
  workload: Workload;
  durationMs: number;
}

export interface DomainsReport {
  schema: typeof DOMAINS_SCHEMA;
  checkedAt: string;
  hosts: DomainReport[];
}

export const fact = <E>(status: FactStatus, summary: string, evidence: E, remediation?: string): Fact<E> =>
  status === 'pass' || remediation === undefined
    ? { status, summary, evidence }
    : { status, summary, evidence, remediation };

/**
 * Exit code of a check (DESIGN.md): 0 every fact and the endpoint pass, 1 one failed or could not be established
 * (an endpoint that fails is exit 1 whatever the four facts say), 3 pending.
 */
export function exitCodeOf(hosts: Pick<DomainReport, 'facts' | 'endpoint'>[]): number {
  const all = hosts.flatMap((h) => [...FACT_NAMES.map((n) => h.facts[n].status), h.endpoint.status]);
  if (all.some((s) => s === 'fail' || s === 'unknown')) return 1;
  if (all.some((s) => s === 'pending')) return 3;
  return 0;
}
