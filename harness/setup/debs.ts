/**
 * Debian packages the lab uses (pebble, wireguard-go, haproxy, ...): find the missing ones and install them
 * with apt-get. Services that a package would start on install are held back by policy-rc.d, so that
 * installing haproxy never leaves a daemon running.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner } from '../exec/runner.ts';
import { type Progress, timedStep } from '../log.ts';
import { tail } from '../errors.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { AptError, DiskFullError, NotRootError } from './errors.ts';

/** Packages not installed, judged by dpkg's status of each. */
export async function missingPackages(run: Runner, packages: string[]): Promise<string[]> {
  if (packages.length === 0) return [];
  const res = await run('dpkg-query', ['-W', '-f=${Package} ${db:Status-Abbrev}\n', ...packages], {
    timeoutMs: TIMEOUTS.dpkgQuery,
  });
  const installed = new Set(
    res.output
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f.length >= 2 && f[1]?.startsWith('ii'))
      .map((f) => f[0]),
  );
  return packages.filter((p) => !installed.has(p));
}

/** One Debian package of the pin file as found on this machine (`setup --check`). */
export interface DebianPackage {
  name: string;
  /** The installed version (dpkg-query), when installed. */
  version?: string;
  /** different: installed, but a command the pin file says it provides is not on PATH. */
  state: 'installed' | 'missing' | 'different';
  commands: string[];
  detail?: string;
}

/** Each package with its installed version (dpkg-query) and whether the commands that prove it are on PATH. */
export async function debianStatus(run: Runner, debian: Record<string, string[]>): Promise<DebianPackage[]> {
  const names = Object.keys(debian);
  if (names.length === 0) return [];
  const res = await run('dpkg-query', ['-W', '-f=${Package}\t${db:Status-Abbrev}\t${Version}\n', ...names], {
    timeoutMs: TIMEOUTS.dpkgQuery,
  });
  const found = new Map<string, string>();
  for (const line of res.output.split('\n')) {
    const [name, status, version] = line.split('\t');
    if (name && status?.startsWith('ii')) found.set(name, (version ?? '').trim());
  }
  const commands = [...new Set(Object.values(debian).flat())];
  const lookup = await run('sh', ['-c', 'for c do command -v "$c" >/dev/null || echo "$c"; done', 'sh', ...commands], {
    timeoutMs: TIMEOUTS.dpkgQuery,
  });
  const absent = new Set(lookup.output.split('\n').map((l) => l.trim()));
  return names.map((name) => {
    const cmds = debian[name] ?? [];
    const version = found.get(name);
    if (version === undefined) return { name, state: 'missing', commands: cmds, detail: 'not installed' };
    const gone = cmds.filter((c) => absent.has(c));
    return gone.length > 0
      ? { name, version, state: 'different', commands: cmds, detail: `installed, but not on PATH: ${gone.join(', ')}` }
      : { name, version, state: 'installed', commands: cmds };
  });
}

export interface AptOptions {
  run: Runner;
  progress: Progress;
  logFile: string;
  isRoot: boolean;
  policyRcD?: string;
}

export async function installPackages(packages: string[], o: AptOptions): Promise<void> {
  if (packages.length === 0) return;
  if (!o.isRoot)
    throw new NotRootError(`the Debian packages ${packages.join(', ')} are missing and installing them needs root`, {
      hint: `run skyprobe setup as root, or install them: sudo apt-get install -y ${packages.join(' ')}`,
    });
  const policy = o.policyRcD ?? '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy)
    writeFileSync(policy, '#!/bin/sh\n# written by skyprobe setup while it installs packages\nexit 101\n', {
      mode: 0o755,
    });
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const apt = async (args: string[]) => {
    const res = await o.run('apt-get', args, { env, logFile: o.logFile, timeoutMs: TIMEOUTS.aptGet });
    if (res.exitCode !== 0) {
      if (/No space left on device/i.test(res.output))
        throw new DiskFullError('apt-get failed: the disk is full', {
          hint: 'free disk space, then rerun skyprobe setup',
        });
      const reason =
        /Unable to locate package (\S+)/.exec(res.output)?.[0] ??
        /Could not resolve|Failed to fetch|Temporary failure/.exec(res.output)?.[0] ??
        `exit ${res.exitCode}`;
      throw new AptError(`apt-get ${args[0]} failed: ${reason}`, {
        command: res.command,
        exitCode: res.exitCode,
        outputTail: tail(res.output, 3),
        logFile: o.logFile,
        hint: `see ${o.logFile}; reproduce with: ${res.command}`,
      });
    }
  };
  try {
    await timedStep(o.progress, 'debian', 'apt-get update', () => apt(['update']));
    await timedStep(o.progress, 'debian', `apt-get install ${packages.join(' ')}`, () =>
      apt(['install', '-y', '--no-install-recommends', ...packages]),
    );
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}

export function aptLog(logs: string): string {
  return join(logs, 'apt.log');
}
