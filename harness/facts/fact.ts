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
  /** Counted from `hosts` (summary.ts); additive to v1. */
  summary: DomainsSummary;
}

/** A claimed name that `--all` does not check, and why: it names no single host one can resolve or connect to. */
export interface NotChecked {
  name: string;
  why: 'wildcard' | 'every host' | 'not a hostname';
  /** Who claims it: `HTTPRoute ns/name`, `Ingress ns/name`, or a platform record. */
  claimedBy: string[];
}

/** The end of a check: how many hosts had each status, per judged element (JUDGED), and which did not pass. */
export interface DomainsSummary {
  hosts: number;
  /** Element name -> status -> number of hosts (every status present, 0 included). */
  counts: Record<string, Record<FactStatus, number>>;
  workload: Record<Workload['status'], number>;
  /** Hosts with an element that failed or could not be established (unknown), naming those elements. */
  failed: { host: string; elements: string[] }[];
  /** Hosts where nothing failed but an element is pending. */
  pending: { host: string; elements: string[] }[];
  /** With --all: claimed names that were not checked (wildcards and the like); empty otherwise. */
  notChecked: NotChecked[];
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
  const all = hosts.flatMap((h) => JUDGED.map((e) => e.status(h)));
  if (all.some((s) => s === 'fail' || s === 'unknown')) return 1;
  if (all.some((s) => s === 'pending')) return 3;
  return 0;
}

/** An element of a host's result that has a status: its name and how to read it (undefined: the result has none). */
export interface JudgedElement {
  name: FactName | 'endpoint';
  status: (h: Pick<DomainReport, 'facts' | 'endpoint'>) => FactStatus | undefined;
}

/** The judged elements of a host, in the order they are reported: the exit code and the summary count these. */
export const JUDGED: JudgedElement[] = [
  ...FACT_NAMES.map((name): JudgedElement => ({ name, status: (h) => h.facts[name]?.status })),
  { name: 'endpoint', status: (h) => h.endpoint?.status },
];
