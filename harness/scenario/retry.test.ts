import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from './define.ts';
import { FAIL_ONCE_CHECK, erroredAttempt, failOnce, retriesFrom, withRetries } from './retry.ts';

const r = (status: 'passed' | 'failed', n: number): ScenarioResult => ({
  id: 'DNS-01',
  routing: 'current',
  status,
  durationMs: n,
  checks: [{ name: `attempt ${n}`, status, evidence: { n }, durationMs: 1 }],
  notes: {},
});

describe('withRetries', () => {
  it('runs once when the first attempt passes', async () => {
    let calls = 0;
    const out = await withRetries(3, async (n) => (calls++, r('passed', n)));
    expect(calls).toBe(1);
    expect(out.earlier).toEqual([]);
  });

  it('reruns a failed scenario until it passes, keeping each failed attempt', async () => {
    const out = await withRetries(3, async (n) => r(n < 3 ? 'failed' : 'passed', n));
    expect(out.result.status).toBe('passed');
    expect(out.earlier.map((e) => e.checks[0]?.evidence)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('stops after N retries, the last failure being the result', async () => {
    let calls = 0;
    const out = await withRetries(2, async (n) => (calls++, r('failed', n)));
    expect(calls).toBe(3);
    expect(out.result.durationMs).toBe(3);
    expect(out.earlier).toHaveLength(2);
    expect((await withRetries(0, async (n) => r('failed', n))).earlier).toEqual([]);
  });

  it('an attempt that throws is a failed attempt while reruns are left; the last error ends it', async () => {
    const out = await withRetries(
      1,
      async (n) => {
        if (n === 1) throw new Error('setup: public DNS did not serve the serial');
        return r('passed', n);
      },
      (err) => erroredAttempt('DNS-01', 'current', err),
    );
    expect(out.earlier.map((e) => [e.status, e.message])).toEqual([
      ['failed', 'setup: public DNS did not serve the serial'],
    ]);
    expect(out.result.status).toBe('passed');
    await expect(
      withRetries(
        1,
        async () => {
          throw new Error('still broken');
        },
        (err) => erroredAttempt('DNS-01', 'current', err),
      ),
    ).rejects.toThrow('still broken');
  });

  it('reads SKYPROBE_RETRIES', () => {
    expect(retriesFrom(undefined)).toBe(0);
    expect(retriesFrom('2')).toBe(2);
    expect(() => retriesFrom('-1')).toThrow(/whole number/);
    expect(() => retriesFrom('x')).toThrow(/whole number/);
  });
});

describe('failOnce (test-only fault hook)', () => {
  it('fails the named scenario once, then never again; off and other scenarios untouched', () => {
    const state = join(mkdtempSync(join(tmpdir(), 'failonce-')), 'state');
    const hook = `DNS-01:${state}`;
    expect(failOnce('DNS-01', 'current', undefined)).toBeUndefined();
    expect(failOnce('DNS-02', 'current', hook)).toBeUndefined();
    const first = failOnce('DNS-01', 'current', hook);
    expect(first).toMatchObject({ status: 'failed', failedCheck: FAIL_ONCE_CHECK });
    expect(existsSync(state)).toBe(true);
    expect(failOnce('DNS-01', 'current', hook)).toBeUndefined();
  });
});
