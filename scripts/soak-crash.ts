/**
 * Crash cases of the soak: SIGKILL of `lab up`, `run` and `deploy` at a seeded random moment, then the next command,
 * which must sweep what the killed one left and succeed; afterwards nothing of a lab is left (leftovers.ts). The
 * moments come from the seed (mulberry32), so a failing case is replayed with the same --seed.
 */
import { execa } from 'execa';
import { setTimeout as sleep } from 'node:timers/promises';
import { execRunner } from '../harness/exec/runner.ts';
import { describeLeftovers, leftovers, newLeftovers, thisMachine } from '../harness/providers/embedded/leftovers.ts';

const bin = new URL('../bin/skyprobe.mjs', import.meta.url).pathname;

/** A small seeded generator: the same seed, the same moments. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CrashCase {
  name: 'lab up' | 'run' | 'deploy';
  /** When the command was killed, after it started. */
  killAfterMs: number;
  /** Whether it was still running at that moment (else the case did not crash anything). */
  killed: boolean;
  next: { command: string; exitCode: number; durationMs: number; swept?: string; tail?: string };
  left: { count: number; line: string };
  recovered: boolean;
}

const cli = (args: string[], timeoutMs = 600_000) =>
  execa('node', [bin, ...args], { reject: false, all: true, timeout: timeoutMs, env: { NO_COLOR: '1' } });

/** Start `args`, SIGKILL it after `ms` if it still runs. */
async function killAt(args: string[], ms: number): Promise<boolean> {
  const p = cli(args);
  let done = false;
  void p.then(() => {
    done = true;
  });
  await Promise.race([sleep(ms), p]);
  if (done) return false;
  p.kill('SIGKILL');
  await p;
  return true;
}

const tailOf = (s: string) => s.split('\n').filter(Boolean).slice(-3).join(' | ');

async function nextCommand(args: string[]): Promise<CrashCase['next']> {
  const t0 = Date.now();
  const r = await cli(args);
  const all = String(r.all ?? '');
  return {
    command: `skyprobe ${args.join(' ')}`,
    exitCode: r.exitCode ?? -1,
    durationMs: Date.now() - t0,
    swept: /swept a killed lab[^\n]*/.exec(all)?.[0],
    tail: r.exitCode === 0 ? undefined : tailOf(all),
  };
}

/** One crash case of each kind, its moments drawn from `rand`. Each runs under the caller's lab lock. */
export async function crashCase(name: CrashCase['name'], rand: () => number, out: string): Promise<CrashCase> {
  const machine = thisMachine(execRunner);
  const before = await leftovers(machine);
  let killAfterMs = 0;
  let killed = false;
  let next: CrashCase['next'];
  if (name === 'lab up') {
    // lab up --keep with the stack takes about 11 s here: a moment inside it.
    killAfterMs = Math.round(500 + rand() * 7_000);
    killed = await killAt(['lab', 'up', '--keep'], killAfterMs);
    // Up before the kill: a kept lab, nothing crashed; it comes down so that the next lab up has its own to make.
    if (!killed) await cli(['lab', 'down']);
    next = await nextCommand(['lab', 'up', '--keep']);
  } else if (name === 'run') {
    // A run of one scenario: its own lab (about 11 s), then ST-01.
    killAfterMs = Math.round(1_000 + rand() * 20_000);
    killed = await killAt(
      ['run', '--scenario', 'ST-01', '--routing', 'current', '--out', `${out}/killed-run`],
      killAfterMs,
    );
    next = await nextCommand(['run', '--scenario', 'ST-01', '--routing', 'current', '--out', `${out}/next-run`]);
  } else {
    const up = await cli(['lab', 'up', '--keep']);
    if (up.exitCode !== 0) throw new Error(`soak: lab up for the deploy crash case failed: ${tailOf(String(up.all))}`);
    killAfterMs = Math.round(200 + rand() * 2_500);
    killed = await killAt(['deploy', 'fixtures/apps/shop.yaml', '--routing', 'target'], killAfterMs);
    next = await nextCommand(['deploy', 'fixtures/apps/shop.yaml', '--routing', 'target']);
  }
  // Whatever the case left up (lab up --keep, deploy's lab) comes down; then nothing may be left.
  await cli(['lab', 'down']);
  const left = describeLeftovers(newLeftovers(before, await leftovers(machine)));
  return { name, killAfterMs, killed, next, left, recovered: next.exitCode === 0 && left.count === 0 };
}
