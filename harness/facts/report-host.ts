/** A host's facts and endpoint as report.json's hosts[] holds them (summary and remedy; evidence stays in the checks). */
import type { ReportHost } from '../report/schema.ts';
import type { Routing } from '../stack/render.ts';
import { type DomainReport, FACT_NAMES } from './fact.ts';

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
