import { describe, expect, it } from 'vitest';
import { sample, settled } from './steps.ts';

describe('settled', () => {
  it('passes once the same ready answer comes twice in a row', async () => {
    const answers = [{ s: 503 }, { s: 200, v: 1 }, { s: 200, v: 2 }, { s: 200, v: 2 }, { s: 200, v: 3 }];
    let i = 0;
    const r = await settled(
      async () => answers[i++] ?? { s: 0 },
      (a) => a.s === 200,
      { timeoutMs: 2_000, intervalMs: 5 },
    );
    expect(r.settled).toBe(true);
    expect(r.answer).toEqual({ s: 200, v: 2 });
    expect(i).toBe(4);
  });

  it('does not count two identical answers that are not ready', async () => {
    let i = 0;
    const r = await settled(
      async () => ({ s: 503, i: i++ > 0 ? 1 : 0 }),
      (a) => a.s === 200,
      {
        timeoutMs: 100,
        intervalMs: 10,
      },
    );
    expect(r.settled).toBe(false);
    expect(r.answer).toEqual({ s: 503, i: 1 });
  });

  it('gives the latest answer when it never settles, and throws when there was none', async () => {
    let i = 0;
    const r = await settled(
      async () => ({ v: i++ }),
      () => true,
      { timeoutMs: 100, intervalMs: 10 },
    );
    expect(r.settled).toBe(false);
    expect(r.answer).toEqual({ v: i - 1 });
    await expect(
      settled(
        async () => {
          throw new Error('edge down');
        },
        () => true,
        { timeoutMs: 60, intervalMs: 10 },
      ),
    ).rejects.toThrow(/no answer within 60 ms: edge down/);
  });
});

describe('sample', () => {
  it('makes exactly n calls, in order', async () => {
    const seen: number[] = [];
    const r = await sample(10, async (i) => (seen.push(i), i * 2));
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r).toEqual(seen.map((i) => i * 2));
  });

  it('ends early once the answers suffice', async () => {
    const r = await sample(30, async (i) => `pod-${i % 2}`, { enough: (a) => new Set(a).size >= 2 });
    expect(r).toEqual(['pod-0', 'pod-1']);
  });

  it('is bounded in time', async () => {
    const t0 = Date.now();
    const r = await sample(1_000, () => new Promise<number>((res) => setTimeout(() => res(1), 20)), { timeoutMs: 150 });
    expect(r.length).toBeLessThan(12);
    expect(Date.now() - t0).toBeLessThan(150 + 100);
  });

  it('ends with the error of a call that throws', async () => {
    await expect(
      sample(5, async (i) => {
        if (i === 2) throw new Error('curl not found');
        return i;
      }),
    ).rejects.toThrow('curl not found');
  });
});
