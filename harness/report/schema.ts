/** report.json, schema skyprobe.report/v1 (DESIGN.md "Reports"). The HTML report is built from this alone. */
import type { ReportHost } from '../scenario/report-host.ts';
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

/**
 * Which scenarios the run was asked for (`skyprobe run`): every one, some suites (`--suite`), some scenarios
 * (`--scenario`), or those that failed in an earlier run (`--failed-from`). Added to v1 on 2026-12-01; absent in
 * older reports, which ran every scenario of their suites.
 */
export interface RunSelection {
  by: 'all' | 'suite' | 'scenario' | 'failed-from';
  /** The suites asked for (by suite). */
  suites?: string[];
  /** The scenario ids asked for (by scenario). */
  scenarios?: string[];
  /** The earlier run folder and its run id (by failed-from). */
  failedFrom?: { dir: string; runId: string };
  /** The scenario runs chosen one by one, `ID [routing]` (by scenario and failed-from). */
  runs?: string[];
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  run: {
    id: string;
    startedAt: string;
    durationMs: number;
    routing: Routing[];
    provider: string;
    gitCommit: string;
    selection?: RunSelection;
  };
  environment: { components: Record<string, string> };
  summary: { passed: number; failed: number; skipped: number };
  scenarios: ReportScenario[];
  hosts: ReportHost[];
}
