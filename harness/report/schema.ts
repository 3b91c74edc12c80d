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
  /** The platform's routing mode it ran in; absent for an upstream suite's test (`suite`), which has none. */
  routing?: Routing;
  /** The upstream suite it comes from (`skyprobe run --suite gateway-api`); absent for skyprobe's catalog. */
  suite?: string;
  status: Status;
  durationMs: number;
  checks: ReportCheck[];
  /** Why it failed (the failed check's message) or was skipped. */
  message?: string;
  notes?: Record<string, unknown>;
}

/** What an upstream suite said of itself: its version, its profile results, the files it left in the run folder. */
export interface ReportUpstreamSuite {
  name: string;
  version: string;
  /** The implementation the suite was told it tests (name and version). */
  implementation: string;
  durationMs: number;
  exitCode: number;
  /** Per profile: core and extended counts as the suite's own ConformanceReport has them. */
  profiles: {
    name: string;
    summary: string;
    core: { result: string; passed: number; failed: number; skipped: number };
    extended?: { result: string; passed: number; failed: number; skipped: number; supportedFeatures: string[] };
  }[];
  /** Files in the run folder: the suite's report (YAML) and its event log. */
  files: string[];
  /** Why the suite's result is incomplete (no report written, a crash); absent when it is complete. */
  problem?: string;
}

/** How a scenario's run is named next to its id: its routing mode, or the upstream suite it comes from. */
export const runLabel = (s: Pick<ReportScenario, 'routing' | 'suite'>): string => s.routing ?? s.suite ?? '';

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

/** The issuance profile the run's cluster ran, as read from its ClusterIssuers (stack/issuance.ts). */
export interface ReportIssuance {
  profile: Issuance | 'mixed' | 'none' | 'unknown';
  summary: string;
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
  environment: { components: Record<string, string>; issuance?: ReportIssuance };
  summary: { passed: number; failed: number; skipped: number };
  scenarios: ReportScenario[];
  hosts: ReportHost[];
  /** The upstream suites that ran (`--suite gateway-api`), with their own summaries. */
  upstream?: ReportUpstreamSuite[];
}
