/**
 * Convergence (Gateway API's rule): a check passes after `successes` consecutive successes within a bounded
 * time. Every attempt is recorded, so the evidence shows how the fact became true (or why it never did).
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Attempt<E> {
  at: string;
  ok: boolean;
  evidence: E;
}

export interface Convergence<E> {
  ok: boolean;
  elapsedMs: number;
  /** When the run of successes that passed began. */
  firstOkAt?: string;
  attempts: Attempt<E>[];
}

export interface ConvergeOptions {
  successes?: number;
  timeoutMs: number;
  intervalMs?: number;
  /** Keep at most this many attempts in the record (first and last kept). */
  keep?: number;
}

export async function converge<E>(
  attempt: () => Promise<{ ok: boolean; evidence: E }>,
  o: ConvergeOptions,
): Promise<Convergence<E>> {
  const need = o.successes ?? 3;
  const start = Date.now();
  const attempts: Attempt<E>[] = [];
  let run = 0;
  let firstOkAt: string | undefined;
  while (Date.now() - start < o.timeoutMs) {
    const at = new Date().toISOString();
    let r: { ok: boolean; evidence: E };
    try {
      r = await attempt();
    } catch (err) {
      r = { ok: false, evidence: { error: (err as Error).message } as E };
    }
    attempts.push({ at, ok: r.ok, evidence: r.evidence });
    if (r.ok) {
      if (run === 0) firstOkAt = at;
      run++;
      if (run >= need) return { ok: true, elapsedMs: Date.now() - start, firstOkAt, attempts: trim(attempts, o.keep) };
    } else run = 0;
    await sleep(o.intervalMs ?? 250);
  }
  return { ok: false, elapsedMs: Date.now() - start, attempts: trim(attempts, o.keep) };
}

function trim<E>(a: Attempt<E>[], keep = 12): Attempt<E>[] {
  return a.length <= keep ? a : [...a.slice(0, 2), ...a.slice(-(keep - 2))];
}
