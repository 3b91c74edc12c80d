/**
 * A host's facts and endpoint as report.json's hosts[] holds them (summary and remedy; evidence stays in the checks).
 * Scenarios (FX-01, TLS-03) make these entries, so the type lives here, in the scenario layer; report/schema.ts
 * imports it (report/ sits above suites/ and scenario/, which never import it).
 */
import { type DomainReport, FACT_NAMES } from '../facts/fact.ts';
import type { Routing } from '../stack/routing.ts';

export interface FactReport {
  status: 'pass' | 'fail' | 'pending' | 'unknown';
  /** One line: what was found (the domains check's summary). */
  summary?: string;
  evidence?: unknown;
  remediation?: string;
}

export interface ReportHost {
  host: string;
  routing: Routing;
  facts: { metadata: FactReport; routing: FactReport; dns: FactReport; tls: FactReport };
  /** What a user got through the published path (added in v1; absent in reports made before it). */
  endpoint?: FactReport;
  workload: { status: string; [k: string]: unknown };
  timeline: { routeAccepted?: string; dnsResolved?: string; certReady?: string; httpsOk?: string };
}

export function reportHost(
  h: DomainReport,
  routing: Routing,
  extra: { workload?: Record<string, unknown>; timeline?: ReportHost['timeline'] } = {},
): ReportHost {
  const facts = Object.fromEntries(
    FACT_NAMES.map((n) => [
      n,
      { status: h.facts[n].status, summary: h.facts[n].summary, remediation: h.facts[n].remediation },
    ]),
  );
  return {
    host: h.host,
    routing,
    facts: facts as ReportHost['facts'],
    endpoint: { status: h.endpoint.status, summary: h.endpoint.summary, remediation: h.endpoint.remediation },
    workload: { ...h.workload, ...extra.workload },
    timeline: extra.timeline ?? {},
  };
}
