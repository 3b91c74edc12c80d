/**
 * The one rule for anything skyprobe waits on (Gateway API's convergence rule): an attempt is repeated every
 * `intervalMs` until `successes` consecutive attempts succeed, within `timeoutMs`; a failure resets the run. Every
 * attempt is recorded, so the evidence shows how a fact became true (or why it never did). `waitUntil` is the
 * bounded wait expressed through the same rule. This module is the only place in the harness that sleeps between
 * attempts; the bounds themselves live in timeouts.ts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SkyprobeError } from './errors.ts';

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
  /** Consecutive successes needed (default 3). */
  successes?: number;
  timeoutMs: number;
  /** Pause between attempts (default 250 ms). */
  intervalMs?: number;
  /** Keep at most this many attempts in the record, the first two and the latest (default 12). */
  keep?: number;
}

/**
 * Thrown by an attempt when what is awaited can no longer happen (the process that would make it true exited, the
 * API refused for good): the wait ends at once and `reason` is thrown to the caller.
 */
export class StopWaiting extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/**
 * Repeat `attempt` until it succeeds `successes` times in a row, or `timeoutMs` has passed. An attempt that throws
 * is a failed attempt whose evidence is `{ error: message }`.
 */
export async function converge<E>(
  attempt: () => Promise<{ ok: boolean; evidence: E }>,
  o: ConvergeOptions,
): Promise<Convergence<E>> {
  const need = o.successes ?? 3;
  const interval = o.intervalMs ?? 250;
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
      if (err instanceof StopWaiting) throw err.reason;
      r = { ok: false, evidence: { error: (err as Error).message } as E };
    }
    attempts.push({ at, ok: r.ok, evidence: r.evidence });
    if (r.ok) {
      if (run === 0) firstOkAt = at;
      run++;
      if (run >= need) return { ok: true, elapsedMs: Date.now() - start, firstOkAt, attempts: trim(attempts, o.keep) };
    } else run = 0;
    const left = o.timeoutMs - (Date.now() - start);
    if (left <= 0) break;
    await sleep(Math.min(interval, left));
  }
  return { ok: false, elapsedMs: Date.now() - start, attempts: trim(attempts, o.keep) };
}

function trim<E>(a: Attempt<E>[], keep = 12): Attempt<E>[] {
  return a.length <= keep ? a : [...a.slice(0, 2), ...a.slice(-(keep - 2))];
}

export interface WaitOptions {
  timeoutMs: number;
  /** Pause between checks (default 200 ms). */
  intervalMs?: number;
  /** Consecutive truthy checks needed (default 1). */
  successes?: number;
  /** The fix to print when the wait times out (computed then, so that it may read a log's tail). */
  hint?: string | (() => string);
}

/** A bounded wait that ran out: what was awaited, the bound, and the last thing seen. */
export class WaitTimeout extends SkyprobeError {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly last: string,
    hint?: string,
  ) {
    super(`${what}: not true within ${formatBound(timeoutMs)} (last seen: ${last})`, { hint });
  }
}

/**
 * Wait until `check` gives a value other than undefined or false (`successes` times in a row) and return that
 * value; throw a WaitTimeout naming `what`, the bound and the last value or error seen. A check that throws is a
 * failed check, unless it throws StopWaiting.
 */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  o: WaitOptions,
): Promise<T> {
  let value: T | undefined;
  const c = await converge(
    async () => {
      const v = await check();
      if (v === undefined || v === false) return { ok: false, evidence: v as unknown };
      value = v;
      return { ok: true, evidence: v as unknown };
    },
    { successes: o.successes ?? 1, timeoutMs: o.timeoutMs, intervalMs: o.intervalMs ?? 200, keep: 2 },
  );
  if (c.ok) return value as T;
  throw new WaitTimeout(what, o.timeoutMs, lastSeen(c), typeof o.hint === 'function' ? o.hint() : o.hint);
}

/** The last attempt's evidence in one short line: an error's message, or the value as JSON. */
export function lastSeen(c: Convergence<unknown>): string {
  const last = c.attempts.at(-1);
  if (!last) return 'no attempt finished';
  const e = last.evidence as { error?: unknown } | undefined;
  const text =
    e && typeof e === 'object' && typeof e.error === 'string' && Object.keys(e).length === 1
      ? e.error
      : (JSON.stringify(last.evidence) ?? 'undefined');
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** One call that must settle within `ms`: otherwise reject with a line that names what did not answer. */
export function bounded<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SkyprobeError(`${what} did not answer within ${formatBound(ms)}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function formatBound(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
