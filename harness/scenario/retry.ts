/**
 * `skyprobe run --retries N`: a failed scenario is run again, up to N more times, until an attempt passes. Every
 * attempt keeps its own checks and evidence; the report shows the earlier ones and marks a pass after a retry as
 * flaky (never a plain pass).
 *
 * The test-only fault hook SKYPROBE_TEST_FAIL_ONCE=<ID>:<state file> (never set by skyprobe itself) makes one
 * attempt of scenario <ID> fail, at a check of its own, when the state file does not exist yet, and creates it:
 * the scenario fails once, then passes. The report's end-to-end test uses it to make a flaky scenario on purpose
 * (with --retries, or over a history of runs).
 */
import { existsSync, writeFileSync } from 'node:fs';
import type { Routing } from '../stack/routing.ts';
import type { ScenarioResult } from './define.ts';

export interface Retried {
  /** The last attempt: the scenario's result. */
  result: ScenarioResult;
  /** The attempts before it (each failed), oldest first. */
  earlier: ScenarioResult[];
}

/**
 * Runs `attempt` until it passes (or finds nothing to judge) or `retries` reruns are spent. An attempt that throws (its setup failed) counts
 * as a failed attempt, recorded by `onError`, while reruns are left; the last one's error ends the test as before.
 */
export async function withRetries(
  retries: number,
  attempt: (n: number) => Promise<ScenarioResult>,
  onError: (err: Error, n: number) => ScenarioResult = (err) => {
    throw err;
  },
): Promise<Retried> {
  const earlier: ScenarioResult[] = [];
  for (let n = 1; ; n++) {
    let result: ScenarioResult;
    try {
      result = await attempt(n);
    } catch (err) {
      if (n > retries) throw err;
      earlier.push(onError(err as Error, n));
      continue;
    }
    if (result.status !== 'failed' || n > retries) return { result, earlier };
    earlier.push(result);
  }
}

/** A failed attempt for an error that ended it before its checks (its setup threw). */
export const erroredAttempt = (id: string, routing: Routing, err: Error): ScenarioResult => ({
  id,
  routing,
  status: 'failed',
  durationMs: 0,
  checks: [],
  notes: {},
  message: err.message,
});

/** `--retries` as the conformance project reads it (SKYPROBE_RETRIES): a whole number from 0. */
export function retriesFrom(value: string | undefined): number {
  const n = Number(value ?? 0);
  if (!Number.isInteger(n) || n < 0) throw new Error(`SKYPROBE_RETRIES must be a whole number from 0, not "${value}"`);
  return n;
}

export const FAIL_ONCE_CHECK = 'test fault hook SKYPROBE_TEST_FAIL_ONCE: fails once';

/**
 * The failed attempt the fail-once hook makes of scenario `id`, or undefined when the hook is off, names another
 * scenario, or already fired (its state file exists).
 */
export function failOnce(
  id: string,
  routing: Routing,
  hook = process.env.SKYPROBE_TEST_FAIL_ONCE,
): ScenarioResult | undefined {
  if (!hook) return undefined;
  const at = hook.indexOf(':');
  const [target, stateFile] = at > 0 ? [hook.slice(0, at), hook.slice(at + 1)] : [hook, ''];
  if (target !== id || !stateFile) return undefined;
  if (existsSync(stateFile)) return undefined;
  writeFileSync(stateFile, `${new Date().toISOString()} ${id} [${routing}] failed once\n`);
  const message = `the test-only fault hook made this attempt fail (state file ${stateFile} now exists, so the next passes)`;
  return {
    id,
    routing,
    status: 'failed',
    durationMs: 0,
    checks: [{ name: FAIL_ONCE_CHECK, status: 'failed', evidence: { hook, stateFile }, message, durationMs: 0 }],
    notes: {},
    failedCheck: FAIL_ONCE_CHECK,
    message: `check "${FAIL_ONCE_CHECK}" failed: ${message}`,
  };
}
