/** report.json, schema skyprobe.report/v1 (DESIGN.md "Reports"). The HTML report is built from this alone. */
import type { Routing } from '../stack/render.ts';

export const REPORT_SCHEMA = 'skyprobe.report/v1';

export type Status = 'passed' | 'failed' | 'skipped';

export interface ReportCheck {
  name: string;
  status: 'passed' | 'failed';
  evidence: unknown;
  message?: string;
}

export interface ReportScenario {
  id: string;
  title: string;
  area: string;
  routing: Routing;
  status: Status;
  durationMs: number;
  checks: ReportCheck[];
  /** Why it failed (the failed check's message) or was skipped. */
  message?: string;
  notes?: Record<string, unknown>;
}

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

export interface Report {
  schema: typeof REPORT_SCHEMA;
  run: { id: string; startedAt: string; durationMs: number; routing: Routing[]; provider: string; gitCommit: string };
  environment: { components: Record<string, string> };
  summary: { passed: number; failed: number; skipped: number };
  scenarios: ReportScenario[];
  hosts: ReportHost[];
}
