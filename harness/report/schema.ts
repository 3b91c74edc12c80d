/** report.json, schema skyprobe.report/v1 (DESIGN.md "Reports"). The HTML report is built from this alone. */
import type { ReportHost } from '../scenario/report-host.ts';
import type { Issuance } from '../stack/issuance.ts';
import type { Layout } from '../stack/layout.ts';
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
  /** Why it ran alone (its header's `alone`); absent when it may run beside others (`--parallel N`). */
  alone?: string;
  /** The run's own names of the app fixtures it used: fixture -> org/app (scenario/instance-env.ts). */
  names?: Record<string, string>;
  status: Status;
  durationMs: number;
  checks: ReportCheck[];
  /** Why it failed (the failed check's message) or was skipped. */
  message?: string;
  notes?: Record<string, unknown>;
  /**
   * With `--retries N`: the attempts before the last (each failed), with their own checks and evidence; the
   * scenario's own fields are the last attempt's. Absent when it ran once.
   */
  attempts?: ReportAttempt[];
  /** Why it is flaky (passed only after a retry); a flaky scenario is never a plain pass. */
  flaky?: string;
}

/** One earlier attempt of a retried scenario, with its evidence. */
export interface ReportAttempt {
  attempt: number;
  status: 'passed' | 'failed';
  durationMs: number;
  checks: ReportCheck[];
  failedCheck?: string;
  message?: string;
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

/** The sign-off summary of a run: what ran, where, by whom, and the verdict (index.html shows it at the top). */
export interface ReportSignoff {
  verdict: 'passed' | 'failed';
  commit: string;
  provider: string;
  routing: Routing[];
  components: Record<string, string>;
  /** user@host that ran it. */
  ranBy: string;
  /** When the run started and ended (ISO 8601). */
  startedAt: string;
  endedAt: string;
  /** Counts, flaky scenarios (passed after a retry) apart from the passed ones. */
  counts: { passed: number; failed: number; skipped: number; flaky: number };
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
    /** The renderer the apps were deployed with (`--renderer CMD`); absent: the built-in one. */
    renderer?: string;
    /** How many scenario runs ran at once at most (`--parallel N`); absent in reports written before it. */
    parallel?: number;
  };
  /** `layout`: how the run's deploys laid out HTTPS hosts on the edge (stack/layout.ts). */
  environment: { components: Record<string, string>; issuance?: ReportIssuance; layout?: Layout };
  /** `flaky` (passed only after a retry; not counted in `passed`) is present when there is one. */
  summary: { passed: number; failed: number; skipped: number; flaky?: number };
  scenarios: ReportScenario[];
  hosts: ReportHost[];
  /** The upstream suites that ran (`--suite gateway-api`), with their own summaries. */
  upstream?: ReportUpstreamSuite[];
  /** The sign-off summary (absent in reports written before it); report.json's sha256 is in report.json.sha256. */
  signoff?: ReportSignoff;
}
