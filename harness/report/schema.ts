/** report.json, schema skyprobe.report/v1 (DESIGN.md "Reports"). The HTML report is built from this alone. */
import type { ReportHost } from '../scenario/report-host.ts';
import type { Issuance } from '../stack/issuance.ts';
import type { Routing } from '../stack/routing.ts';

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
  /** The folder of the scenario's file (suites/<area>/). */
  area: string;
  /** What the scenario exercises: names of harness/scenario/features.ts. */
  features: string[];
  routing: Routing;
  status: Status;
  durationMs: number;
  checks: ReportCheck[];
  /** Why it failed (the failed check's message) or was skipped. */
  message?: string;
  notes?: Record<string, unknown>;
}

/** The issuance profile the run's cluster ran, as read from its ClusterIssuers (stack/issuance.ts). */
export interface ReportIssuance {
  profile: Issuance | 'mixed' | 'none' | 'unknown';
  summary: string;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  run: { id: string; startedAt: string; durationMs: number; routing: Routing[]; provider: string; gitCommit: string };
  environment: { components: Record<string, string>; issuance?: ReportIssuance };
  summary: { passed: number; failed: number; skipped: number };
  scenarios: ReportScenario[];
  hosts: ReportHost[];
}
