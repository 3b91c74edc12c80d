/**
 * Lab processes: started detached (they outlive `lab up --keep`), inside a lab namespace, with their output in
 * a log file and the label SKYPROBE_LAB=<labid> in their environment, which is how a sweep finds them even
 * after the harness was killed.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StopWaiting, converge, waitUntil } from '../../converge.ts';
import { SkyprobeError, tail } from '../../errors.ts';
import { POLL, TIMEOUTS } from '../../timeouts.ts';

export const LAB_LABEL = 'SKYPROBE_LAB';

export interface LabProcess {
  name: string;
  pid: number;
  netns?: string;
  log: string;
  argv: string[];
  /** Extra environment it was started with (so that it can be restarted the same way). */
  env?: Record<string, string>;
}

export interface StartSpec {
  name: string;
  argv: string[];
  netns?: string;
  env?: Record<string, string>;
  cwd?: string;
}

/** Exit codes of children this process started, by pid (a detached child still reports to its parent). */
const exits = new Map<number, number | string>();

export function startProcess(labId: string, logDir: string, spec: StartSpec): LabProcess {
  const log = join(logDir, `${spec.name}.log`);
  const fd = openSync(log, 'a');
  const argv = spec.netns ? ['ip', 'netns', 'exec', spec.netns, ...spec.argv] : spec.argv;
  const child = spawn(argv[0] as string, argv.slice(1), {
    detached: true,
    stdio: ['ignore', fd, fd],
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env, [LAB_LABEL]: labId, SKYPROBE_COMPONENT: spec.name },
  });
  closeSync(fd);
  if (child.pid === undefined) throw new SkyprobeError(`failed to start ${spec.name}: ${argv[0]} could not be run`);
  const pid = child.pid;
  child.on('exit', (code, signal) => exits.set(pid, code ?? signal ?? 'unknown'));
  child.on('error', () => exits.set(pid, 'spawn error'));
  child.unref();
  return { name: spec.name, pid, netns: spec.netns, log, argv: spec.argv, env: spec.env };
}

export function isAlive(pid: number): boolean {
  if (exits.has(pid)) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie is not alive.
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

export function logTail(p: Pick<LabProcess, 'log'>, lines = 5): string {
  try {
    return tail(readFileSync(p.log, 'utf8'), lines);
  } catch {
    return '';
  }
}

/** The error for a component that exited while starting, with the tail of its log. */
export function exitedError(p: LabProcess): SkyprobeError {
  const code = exits.get(p.pid);
  return new SkyprobeError(
    `${p.name} exited while starting${code === undefined ? '' : ` (${code})`}: ${logTail(p, 1) || 'no output'}`,
    {
      hint: `its log: ${p.log}\n${logTail(p, 5).replace(/^/gm, '    ')}`,
    },
  );
}

/** Wait (bounded) until `check` is true; fail at once, with the tail of its log, if the process exits meanwhile. */
export async function waitFor(
  p: LabProcess,
  what: string,
  check: () => Promise<boolean>,
  o: { timeoutMs: number; intervalMs?: number },
): Promise<void> {
  await waitUntil(
    `${p.name}: ${what}`,
    async () => {
      if (!isAlive(p.pid)) throw new StopWaiting(exitedError(p));
      return check();
    },
    {
      timeoutMs: o.timeoutMs,
      intervalMs: o.intervalMs ?? POLL.local,
      hint: () => `its log: ${p.log}\n${logTail(p, 5).replace(/^/gm, '    ')}`,
    },
  );
}

/** Every process carrying a lab label: pid -> lab id. */
export function labelledProcesses(): Map<number, string> {
  const out = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${pid}/environ`, 'latin1');
      const m = new RegExp(`(?:^|\\0)${LAB_LABEL}=([^\\0]*)`).exec(env);
      if (m?.[1]) out.set(pid, m[1]);
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** SIGTERM, then SIGKILL whatever is still there after graceMs. Returns the pids that were signalled. */
export async function stopProcesses(pids: number[], graceMs: number = TIMEOUTS.processStop): Promise<number[]> {
  const live = pids.filter(isAlive);
  const gone = async () => {
    const alive = live.filter(isAlive);
    return { ok: alive.length === 0, evidence: alive };
  };
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await converge(gone, { successes: 1, timeoutMs: graceMs, intervalMs: POLL.exit });
  for (const pid of live.filter(isAlive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await converge(gone, { successes: 1, timeoutMs: TIMEOUTS.processKill, intervalMs: POLL.exit });
  return live;
}
