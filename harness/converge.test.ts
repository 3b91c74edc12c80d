import { describe, expect, it } from 'vitest';
import { StopWaiting, WaitTimeout, bounded, converge, waitUntil } from './converge.ts';
import { SkyprobeError } from './errors.ts';

/** An attempt that answers from a script (true = success, an Error = throws), then keeps failing. */
function scripted(steps: (boolean | Error)[]) {
  let i = 0;
  return async () => {
    const s = steps[i++] ?? false;
    if (s instanceof Error) throw s;
    return { ok: s, evidence: { n: i } };
  };
}

describe('converge', () => {
  it('passes after N consecutive successes, and stops there', async () => {
    const c = await converge(scripted([true, true, true, true]), { successes: 3, timeoutMs: 2_000, intervalMs: 5 });
    expect(c.ok).toBe(true);
    expect(c.attempts.map((a) => a.ok)).toEqual([true, true, true]);
    expect(c.firstOkAt).toBe(c.attempts[0]?.at);
  });

  it('resets the run on a failure; firstOkAt is the start of the winning run', async () => {
    const c = await converge(scripted([true, true, false, true, true, true]), {
      successes: 3,
      timeoutMs: 2_000,
      intervalMs: 5,
    });
    expect(c.ok).toBe(true);
    expect(c.attempts.map((a) => a.ok)).toEqual([true, true, false, true, true, true]);
    expect(c.firstOkAt).toBe(c.attempts[3]?.at);
    expect(c.attempts[3]?.evidence).toEqual({ n: 4 });
  });

  it('defaults to 3 successes', async () => {
    const c = await converge(scripted([true, true, false, true, true]), { timeoutMs: 300, intervalMs: 5 });
    expect(c.ok).toBe(false);
  });

  it('respects the bound (within a tolerance) and says not converged', async () => {
    const t0 = Date.now();
    const c = await converge(async () => ({ ok: false, evidence: 'no' }), { timeoutMs: 300, intervalMs: 40 });
    const took = Date.now() - t0;
    expect(c.ok).toBe(false);
    expect(c.firstOkAt).toBeUndefined();
    expect(took).toBeGreaterThanOrEqual(300);
    expect(took).toBeLessThan(300 + 150);
    expect(c.elapsedMs).toBeGreaterThanOrEqual(300);
    // about one attempt per interval: 300 / 40 -> 8
    expect(c.attempts.length).toBeGreaterThanOrEqual(5);
  });

  it('does not sleep past the bound when the interval is longer than what is left', async () => {
    const t0 = Date.now();
    const c = await converge(async () => ({ ok: false, evidence: 0 }), { timeoutMs: 100, intervalMs: 5_000 });
    expect(c.ok).toBe(false);
    expect(Date.now() - t0).toBeLessThan(100 + 100);
  });

  it('records an attempt that throws as a failed attempt with its message, and goes on', async () => {
    const c = await converge(scripted([new Error('connection refused'), true]), {
      successes: 1,
      timeoutMs: 2_000,
      intervalMs: 5,
    });
    expect(c.ok).toBe(true);
    expect(c.attempts[0]).toMatchObject({ ok: false, evidence: { error: 'connection refused' } });
    expect(c.attempts[1]?.ok).toBe(true);
  });

  it('trims the record to `keep`, keeping the first two and the latest', async () => {
    const steps = [...Array<boolean>(19).fill(false), true];
    const c = await converge(scripted(steps), { successes: 1, timeoutMs: 5_000, intervalMs: 1, keep: 5 });
    expect(c.ok).toBe(true);
    expect(c.attempts.map((a) => (a.evidence as { n: number }).n)).toEqual([1, 2, 18, 19, 20]);
    expect(c.attempts.at(-1)?.ok).toBe(true);
  });

  it('ends at once when an attempt throws StopWaiting, throwing its reason', async () => {
    const reason = new SkyprobeError('etcd exited while starting (1)');
    let calls = 0;
    const t0 = Date.now();
    await expect(
      converge(
        async () => {
          calls++;
          throw new StopWaiting(reason);
        },
        { timeoutMs: 5_000, intervalMs: 5 },
      ),
    ).rejects.toBe(reason);
    expect(calls).toBe(1);
    expect(Date.now() - t0).toBeLessThan(1_000);
  });
});

describe('waitUntil', () => {
  it("returns the check's first truthy value", async () => {
    let n = 0;
    const v = await waitUntil('the third call', async () => (++n >= 3 ? { n } : undefined), {
      timeoutMs: 2_000,
      intervalMs: 5,
    });
    expect(v).toEqual({ n: 3 });
  });

  it('needs `successes` truthy checks in a row', async () => {
    const answers = [true, false, true, true];
    let n = 0;
    await waitUntil('two in a row', async () => answers[n++] ?? false, {
      timeoutMs: 2_000,
      intervalMs: 5,
      successes: 2,
    });
    expect(n).toBe(4);
  });

  it('throws one error naming what was awaited, the bound and the last thing seen', async () => {
    let n = 0;
    const err = await waitUntil(
      'org-acme/shop pods Ready',
      async () => {
        n++;
        if (n % 2 === 0) throw new Error(`only ${n} of 2 Ready\nsecond line`);
        return false;
      },
      { timeoutMs: 250, intervalMs: 20, hint: () => `asked ${n} times` },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeout);
    const w = err as WaitTimeout;
    expect(w.message).toMatch(
      /^org-acme\/shop pods Ready: not true within 250 ms \(last seen: (false|only \d+ of 2 Ready)\)$/,
    );
    expect(w.what).toBe('org-acme/shop pods Ready');
    expect(w.timeoutMs).toBe(250);
    expect(w.hint).toMatch(/^asked \d+ times$/);
    expect(w).toBeInstanceOf(SkyprobeError);
  });

  it('says the bound in seconds from 1 s, and what an answer was when no check threw', async () => {
    expect(new WaitTimeout('public DNS serves example.com serial 7', 5_000, 'false').message).toBe(
      'public DNS serves example.com serial 7: not true within 5 s (last seen: false)',
    );
    await expect(waitUntil('a value', async () => undefined, { timeoutMs: 60, intervalMs: 20 })).rejects.toThrow(
      /^a value: not true within 60 ms \(last seen: undefined\)$/,
    );
  });
});

describe('bounded', () => {
  it('gives the value of a call that settles in time', async () => {
    await expect(bounded('the API', Promise.resolve(7), 200)).resolves.toBe(7);
  });

  it('rejects with one line naming what did not answer, and the bound', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(bounded('the Kubernetes API at https://10.89.0.1:6443', never, 50)).rejects.toThrow(
      'the Kubernetes API at https://10.89.0.1:6443 did not answer within 50 ms',
    );
  });
});
