/** Building report.json and junit.xml from scenario results. Pure functions, unit-tested. */
import type { Layout } from '../stack/layout.ts';
import type { CheckRecord, ReportedHeader, ScenarioResult } from '../scenario/define.ts';
import type { Routing } from '../stack/routing.ts';
import {
  REPORT_SCHEMA,
  type Report,
  type ReportIssuance,
  type ReportAttempt,
  type ReportCheck,
  type ReportScenario,
  type ReportUpstreamSuite,
  runLabel,
} from './schema.ts';

export interface ScenarioOutcome {
  header: ReportedHeader;
  routing: Routing;
  /** Absent when the test never ran its scenario (skipped, or an error before it). */
  result?: ScenarioResult;
  status: ReportScenario['status'];
  error?: string;
  /** With --retries: the failed attempts before `result`, oldest first. */
  attempts?: ScenarioResult[];
  /** The run's own names of the app fixtures it used (fixture -> org/app). */
  names?: Record<string, string>;
}

const reportChecks = (checks: CheckRecord[]): ReportCheck[] =>
  checks.map((c) => ({ name: c.name, status: c.status, evidence: c.evidence, message: c.message }));

/** Counts by status; a flaky scenario (passed after a retry) is counted as flaky, not as passed. */
export function summarize(scenarios: ReportScenario[]): Report['summary'] {
  const n = (f: (s: ReportScenario) => boolean) => scenarios.filter(f).length;
  const flaky = n((s) => s.status === 'passed' && Boolean(s.flaky));
  return {
    passed: n((s) => s.status === 'passed' && !s.flaky),
    failed: n((s) => s.status === 'failed'),
    skipped: n((s) => s.status === 'skipped'),
    // Present only when a scenario is flaky, so that a report without retries reads as before.
    ...(flaky > 0 ? { flaky } : {}),
  };
}

function attemptsOf(o: ScenarioOutcome): { attempts?: ReportAttempt[]; flaky?: string } {
  const earlier = o.attempts ?? [];
  if (earlier.length === 0) return {};
  const attempts = earlier.map((a, i) => ({
    attempt: i + 1,
    // The earlier attempts are the failed ones (withRetries ends at the first that is not).
    status: a.status as ReportAttempt['status'],
    durationMs: a.durationMs,
    checks: reportChecks(a.checks),
    failedCheck: a.failedCheck,
    message: a.message,
  }));
  return o.status === 'passed'
    ? { attempts, flaky: `passed on attempt ${earlier.length + 1} after ${earlier.length} failed` }
    : { attempts };
}

/** Report order: by id, then by routing mode (or suite). */
export const byIdAndRun = (a: ReportScenario, b: ReportScenario): number =>
  a.id.localeCompare(b.id) || runLabel(a).localeCompare(runLabel(b));

export function buildReport(
  outcomes: ScenarioOutcome[],
  run: Report['run'],
  components: Record<string, string>,
  issuance?: ReportIssuance,
  layout?: Layout,
): Report {
  const scenarios: ReportScenario[] = outcomes
    .map((o) => ({
      id: o.header.id,
      title: o.header.title,
      area: o.header.area,
      features: o.header.features,
      routing: o.routing,
      ...(o.header.alone ? { alone: o.header.alone } : {}),
      ...(o.names && Object.keys(o.names).length > 0 ? { names: o.names } : {}),
      status: o.status,
      durationMs: o.result?.durationMs ?? 0,
      checks: reportChecks(o.result?.checks ?? []),
      message: o.result?.message ?? o.error,
      notes:
        o.result && Object.keys(o.result.notes).some((k) => k !== 'hosts')
          ? Object.fromEntries(Object.entries(o.result.notes).filter(([k]) => k !== 'hosts'))
          : undefined,
      ...attemptsOf(o),
    }))
    .sort(byIdAndRun);
  return {
    schema: REPORT_SCHEMA,
    run,
    environment: { components, ...(issuance ? { issuance } : {}), ...(layout ? { layout } : {}) },
    summary: summarize(scenarios),
    scenarios,
    // Scenarios that follow a host's facts over time leave them in their notes (TLS-03, FX-01).
    hosts: outcomes.flatMap((o) => (o.result?.notes.hosts as Report['hosts'] | undefined) ?? []),
  };
}

/** The report with an upstream suite's tests added (and its summary), the counts made again. */
export function addUpstream(report: Report, scenarios: ReportScenario[], suite: ReportUpstreamSuite): Report {
  const all = [...report.scenarios, ...scenarios].sort(byIdAndRun);
  return {
    ...report,
    scenarios: all,
    summary: summarize(all),
    upstream: [...(report.upstream ?? []), suite],
  };
}

const xml = (s: string) =>
  s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const checksText = (checks: ReportCheck[]) =>
  checks
    .map(
      (c) =>
        `${c.status === 'passed' ? 'PASS' : 'FAIL'} ${c.name}${c.message ? ` — ${c.message}` : ''}\n${JSON.stringify(c.evidence).slice(0, 4000)}`,
    )
    .join('\n\n');

/**
 * A retried scenario's earlier attempts as Maven Surefire writes reruns (surefire-test-report-3.0.xsd): when it
 * finally passed, one `flakyFailure` per failed attempt; when every attempt failed, the first is the `failure`
 * and each rerun a `rerunFailure`. Each holds the attempt's message, a stackTrace (its failing check) and its
 * evidence as system-out.
 */
function rerunElements(s: ReportScenario): string[] {
  const el = s.status === 'passed' ? 'flakyFailure' : 'rerunFailure';
  const out: string[] = [];
  const one = (name: string, a: { message?: string; failedCheck?: string; checks: ReportCheck[] }) =>
    `      <${name} message="${xml(a.message ?? 'failed')}" type="skyprobe.CheckFailed"><stackTrace>${xml(a.failedCheck ? `check "${a.failedCheck}" failed` : (a.message ?? ''))}</stackTrace><system-out>${xml(checksText(a.checks))}</system-out></${name}>`;
  for (const a of s.attempts ?? []) out.push(one(el, a));
  return out;
}

/**
 * JUnit XML: one testcase per scenario and routing mode (or upstream test); failures with their message; the
 * checks' evidence, and an upstream test's log lines (notes.log), as system-out; reruns (--retries) as Surefire
 * writes them (flakyFailure, rerunFailure), and the flaky count on the root element.
 */
export function renderJunit(report: Report): string {
  const byArea = new Map<string, ReportScenario[]>();
  for (const s of report.scenarios) byArea.set(s.area, [...(byArea.get(s.area) ?? []), s]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="skyprobe" tests="${report.scenarios.length}" failures="${report.summary.failed}" skipped="${report.summary.skipped}"${report.summary.flaky ? ` flakes="${report.summary.flaky}"` : ''} time="${(report.run.durationMs / 1000).toFixed(3)}">`,
  );
  for (const [area, list] of byArea) {
    const failures = list.filter((s) => s.status === 'failed').length;
    const skipped = list.filter((s) => s.status === 'skipped').length;
    out.push(
      `  <testsuite name="${xml(area)}" tests="${list.length}" failures="${failures}" skipped="${skipped}" time="${(list.reduce((a, s) => a + s.durationMs, 0) / 1000).toFixed(3)}">`,
    );
    for (const s of list) {
      out.push(
        `    <testcase classname="skyprobe.${xml(area)}" name="${xml(`${s.id} [${runLabel(s)}] ${s.title}`)}" time="${(s.durationMs / 1000).toFixed(3)}">`,
      );
      // Surefire puts the first failure in <failure> and the reruns after it; here the last attempt is the
      // scenario itself, so a scenario that failed every attempt reports its first attempt's message there.
      const first = s.status === 'failed' ? (s.attempts?.[0] ?? s) : undefined;
      if (first)
        out.push(`      <failure message="${xml(first.message ?? 'failed')}">${xml(first.message ?? '')}</failure>`);
      if (s.status === 'failed' && s.attempts?.length) {
        const last: ReportAttempt = {
          attempt: s.attempts.length + 1,
          status: 'failed',
          durationMs: s.durationMs,
          checks: s.checks,
          failedCheck: s.checks.find((c) => c.status === 'failed')?.name,
          message: s.message,
        };
        out.push(...rerunElements({ ...s, attempts: [...s.attempts.slice(1), last] }));
      }
      if (s.status === 'passed') out.push(...rerunElements(s));
      if (s.status === 'skipped') out.push(`      <skipped message="${xml(s.message ?? 'skipped')}"/>`);
      const evidence = checksText(s.checks);
      const log = Array.isArray(s.notes?.log) ? (s.notes.log as string[]).join('\n') : '';
      if (log) out.push(`      <system-out>${xml(log)}</system-out>`);
      else if (evidence) out.push(`      <system-out>${xml(evidence)}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
