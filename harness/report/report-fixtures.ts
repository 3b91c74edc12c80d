/** report.json fixtures for the report layer's tests (imported by *.test.ts only). */
import { REPORT_SCHEMA, type Report, type ReportScenario } from './schema.ts';

export interface FixtureScenario {
  id: string;
  /** A routing mode, or `suite:<name>` for an upstream suite's test. */
  label: string;
  status: ReportScenario['status'];
  ms?: number;
  /** The failing check's name (status failed). */
  failedCheck?: string;
  flaky?: string;
}

export function fixtureScenario(f: FixtureScenario): ReportScenario {
  const where = f.label.startsWith('suite:')
    ? { suite: f.label.slice('suite:'.length) }
    : { routing: f.label as 'current' | 'target' };
  const failed = f.status === 'failed';
  return {
    id: f.id,
    title: `title of ${f.id}`,
    area: f.label.startsWith('suite:') ? f.label.slice('suite:'.length) : 'dns',
    features: [],
    ...where,
    status: f.status,
    durationMs: f.ms ?? 2000,
    checks:
      f.status === 'skipped'
        ? []
        : [
            { name: `${f.id} first check`, status: 'passed', evidence: { ok: true } },
            ...(failed
              ? [
                  {
                    name: f.failedCheck ?? `${f.id} second check`,
                    status: 'failed' as const,
                    evidence: { rcode: 'SERVFAIL' },
                    message: 'expected NOERROR',
                  },
                ]
              : []),
          ],
    message: failed ? `check "${f.failedCheck ?? `${f.id} second check`}" failed: expected NOERROR` : undefined,
    ...(f.flaky ? { flaky: f.flaky } : {}),
  };
}

export function fixtureReport(
  id: string,
  scenarios: FixtureScenario[],
  extra: { commit?: string; components?: Record<string, string>; hosts?: Report['hosts']; startedAt?: string } = {},
): Report {
  const list = scenarios.map(fixtureScenario);
  const n = (s: string) => list.filter((x) => x.status === s).length;
  return {
    schema: REPORT_SCHEMA,
    run: {
      id,
      startedAt: extra.startedAt ?? '2026-12-01T10:00:00.000Z',
      durationMs: 30_000,
      routing: ['current'],
      provider: 'embedded',
      gitCommit: extra.commit ?? 'abc123',
    },
    environment: { components: extra.components ?? { traefik: 'v3.6.12', coredns: 'v1.14.7' } },
    summary: { passed: n('passed'), failed: n('failed'), skipped: n('skipped') },
    scenarios: list,
    hosts: extra.hosts ?? [],
  };
}
