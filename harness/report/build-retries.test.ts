import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../scenario/define.ts';
import { buildReport, renderJunit } from './build.ts';

const run = {
  id: 'r1',
  startedAt: '2026-12-01T00:00:00Z',
  durationMs: 5000,
  routing: ['current' as const],
  provider: 'embedded',
  gitCommit: 'abc',
};
const attempt = (status: 'passed' | 'failed', n: number): ScenarioResult => ({
  id: 'DNS-01',
  routing: 'current',
  status,
  durationMs: 100 * n,
  notes: {},
  checks: [
    {
      name: 'A record served',
      status,
      evidence: { attempt: n },
      message: status === 'failed' ? `SERVFAIL on attempt ${n}` : undefined,
      durationMs: 5,
    },
  ],
  ...(status === 'failed'
    ? { failedCheck: 'A record served', message: `check "A record served" failed: SERVFAIL on attempt ${n}` }
    : {}),
});
const header = { id: 'DNS-01', title: 'published', area: 'dns' as const, features: [] };

describe('--retries in report.json and junit.xml', () => {
  const flaky = buildReport(
    [
      {
        header,
        routing: 'current',
        status: 'passed',
        result: attempt('passed', 3),
        attempts: [attempt('failed', 1), attempt('failed', 2)],
      },
    ],
    run,
    {},
  );

  it('a pass after retries is flaky, never a plain pass, with every earlier attempt and its evidence', () => {
    expect(flaky.summary).toEqual({ passed: 0, failed: 0, skipped: 0, flaky: 1 });
    const s = flaky.scenarios[0];
    expect(s?.flaky).toBe('passed on attempt 3 after 2 failed');
    expect(s?.attempts?.map((a) => [a.attempt, a.status, a.failedCheck, a.checks[0]?.evidence])).toEqual([
      [1, 'failed', 'A record served', { attempt: 1 }],
      [2, 'failed', 'A record served', { attempt: 2 }],
    ]);
    expect(s?.checks[0]?.evidence).toEqual({ attempt: 3 });
  });

  it('junit: a flaky pass has one flakyFailure per failed attempt and no failure (Surefire)', () => {
    const xml = renderJunit(flaky);
    expect(xml).toContain('flakes="1"');
    expect(xml.match(/<flakyFailure /g)).toHaveLength(2);
    expect(xml).not.toMatch(/<failure |<rerunFailure /);
    expect(xml).toContain(
      '<flakyFailure message="check &quot;A record served&quot; failed: SERVFAIL on attempt 1" type="skyprobe.CheckFailed"><stackTrace>check &quot;A record served&quot; failed</stackTrace><system-out>FAIL A record served — SERVFAIL on attempt 1',
    );
  });

  it('junit: failing every attempt is the first failure, then a rerunFailure per rerun', () => {
    const failed = buildReport(
      [
        {
          header,
          routing: 'current',
          status: 'failed',
          result: attempt('failed', 3),
          attempts: [attempt('failed', 1), attempt('failed', 2)],
        },
      ],
      run,
      {},
    );
    expect(failed.summary).toEqual({ passed: 0, failed: 1, skipped: 0 });
    expect(failed.scenarios[0]?.flaky).toBeUndefined();
    const xml = renderJunit(failed);
    expect(xml).toMatch(/<failure message="check &quot;A record served&quot; failed: SERVFAIL on attempt 1">/);
    const reruns = [...xml.matchAll(/<rerunFailure message="[^"]*attempt (\d)"/g)].map((m) => m[1]);
    expect(reruns).toEqual(['2', '3']);
    expect(xml).not.toContain('flakyFailure');
    expect(xml.indexOf('<failure ')).toBeLessThan(xml.indexOf('<rerunFailure '));
  });

  it('a scenario that ran once reads as before', () => {
    const once = buildReport([{ header, routing: 'current', status: 'passed', result: attempt('passed', 1) }], run, {});
    expect(once.summary).toEqual({ passed: 1, failed: 0, skipped: 0 });
    expect(once.scenarios[0]).not.toHaveProperty('attempts');
    expect(renderJunit(once)).not.toMatch(/flakes=|flakyFailure|rerunFailure/);
  });
});
