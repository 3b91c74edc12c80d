/**
 * The record of a lab on disk: $SKYPROBE_RUN_DIR (default /run/skyprobe)/lab-<id>/state.json, beside the lab's
 * PKI, kubeconfigs, etcd data and every component's log. There is at most one lab on a machine: the address
 * plan is fixed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabProcess } from './processes.ts';

export interface LabState {
  id: string;
  dir: string;
  /** starting: `lab up` is at work (ownerPid); up: ready; stopping: `lab down` is at work. */
  status: 'starting' | 'up' | 'stopping';
  ownerPid: number;
  /**
   * The process that brought the lab up for itself and removes it when done (`skyprobe run` without --keep): once it
   * is gone (killed), the lab is no one's and the next `lab up` or `run` sweeps it. Absent for a kept lab.
   */
  heldBy?: number;
  startedAt: string;
  readyAt?: string;
  nodes: number;
  stack: boolean;
  kubeconfig: string;
  apiServer: string;
  processes: LabProcess[];
  /** role -> namespace */
  hosts: Record<string, { netns: string; addresses: string[] }>;
}

export function runDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SKYPROBE_RUN_DIR || '/run/skyprobe';
}

export function newLabId(): string {
  return randomBytes(2).toString('hex');
}

export function labDir(id: string, env?: NodeJS.ProcessEnv): string {
  return join(runDir(env), `lab-${id}`);
}

export function writeState(s: LabState): void {
  mkdirSync(s.dir, { recursive: true });
  const file = join(s.dir, 'state.json');
  writeFileSync(`${file}.tmp`, `${JSON.stringify(s, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function readState(dir: string): LabState | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

/** Lab folders present under the run dir (live or stale). */
export function labDirs(env?: NodeJS.ProcessEnv): string[] {
  const root = runDir(env);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => /^lab-[0-9a-f]{4}$/.test(n))
    .map((n) => join(root, n));
}
