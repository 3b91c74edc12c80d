/**
 * The four domain facts (the contract: a database row is no proof that a domain works). Each fact is established
 * on its own, from its own evidence, and says what to do when it does not pass. Workload readiness is reported
 * apart: "workload ready" never implies "endpoint ready". One implementation, used by `skyprobe domains check`
 * and by the scenarios (FX-01).
 */
export const DOMAINS_SCHEMA = 'skyprobe.domains/v1';

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

/** The end of a check: how many hosts had each status, per judged element (summary.ts's JUDGED), and which did not pass. */
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

/** Exit code of a check (DESIGN.md): 0 every fact passes, 1 one failed or could not be established, 3 pending. */
export function exitCodeOf(hosts: DomainReport[]): number {
  const all = hosts.flatMap((h) => FACT_NAMES.map((n) => h.facts[n].status));
  if (all.some((s) => s === 'fail' || s === 'unknown')) return 1;
  if (all.some((s) => s === 'pending')) return 3;
  return 0;
}
