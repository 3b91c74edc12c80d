/** Building report.json and junit.xml from scenario results. Pure functions, unit-tested. */
import type { ReportedHeader, ScenarioResult } from '../scenario/define.ts';
import type { Routing } from '../stack/routing.ts';
import {
  REPORT_SCHEMA,
  type Report,
  type ReportIssuance,
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
}

/** Report order: by id, then by routing mode (or suite). */
export const byIdAndRun = (a: ReportScenario, b: ReportScenario): number =>
  a.id.localeCompare(b.id) || runLabel(a).localeCompare(runLabel(b));

export function buildReport(
  outcomes: ScenarioOutcome[],
  run: Report['run'],
  components: Record<string, string>,
  issuance?: ReportIssuance,
): Report {
  const scenarios: ReportScenario[] = outcomes
    .map((o) => ({
      id: o.header.id,
      title: o.header.title,
      area: o.header.area,
      features: o.header.features,
      routing: o.routing,
      status: o.status,
      durationMs: o.result?.durationMs ?? 0,
      checks: (o.result?.checks ?? []).map((c) => ({
        name: c.name,
        status: c.status,
        evidence: c.evidence,
        message: c.message,
      })),
      message: o.result?.message ?? o.error,
      notes:
        o.result && Object.keys(o.result.notes).some((k) => k !== 'hosts')
          ? Object.fromEntries(Object.entries(o.result.notes).filter(([k]) => k !== 'hosts'))
          : undefined,
    }))
    .sort(byIdAndRun);
  const count = (s: ReportScenario['status']) => scenarios.filter((x) => x.status === s).length;
  return {
    schema: REPORT_SCHEMA,
    run,
    environment: issuance ? { components, issuance } : { components },
    summary: { passed: count('passed'), failed: count('failed'), skipped: count('skipped') },
    scenarios,
    // Scenarios that follow a host's facts over time leave them in their notes (TLS-03, FX-01).
    hosts: outcomes.flatMap((o) => (o.result?.notes.hosts as Report['hosts'] | undefined) ?? []),
  };
}

/** The report with an upstream suite's tests added (and its summary), the counts made again. */
export function addUpstream(report: Report, scenarios: ReportScenario[], suite: ReportUpstreamSuite): Report {
  const all = [...report.scenarios, ...scenarios].sort(byIdAndRun);
  const count = (s: ReportScenario['status']) => all.filter((x) => x.status === s).length;
  return {
    ...report,
    scenarios: all,
    summary: { passed: count('passed'), failed: count('failed'), skipped: count('skipped') },
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

/**
 * JUnit XML: one testcase per scenario and routing mode (or upstream test); failures with their message; the
 * checks' evidence, and an upstream test's log lines (notes.log), as system-out.
 */
export function renderJunit(report: Report): string {
  const byArea = new Map<string, ReportScenario[]>();
  for (const s of report.scenarios) byArea.set(s.area, [...(byArea.get(s.area) ?? []), s]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="skyprobe" tests="${report.scenarios.length}" failures="${report.summary.failed}" skipped="${report.summary.skipped}" time="${(report.run.durationMs / 1000).toFixed(3)}">`,
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
      if (s.status === 'failed')
        out.push(`      <failure message="${xml(s.message ?? 'failed')}">${xml(s.message ?? '')}</failure>`);
      if (s.status === 'skipped') out.push(`      <skipped message="${xml(s.message ?? 'skipped')}"/>`);
      const evidence = s.checks
        .map(
          (c) =>
            `${c.status === 'passed' ? 'PASS' : 'FAIL'} ${c.name}${c.message ? ` — ${c.message}` : ''}\n${JSON.stringify(c.evidence).slice(0, 4000)}`,
        )
        .join('\n\n');
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
