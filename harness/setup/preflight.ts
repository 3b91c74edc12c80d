/**
 * What must hold before anything is built: Go present and new enough, room on the disk for a cold build.
 */
import { statfsSync } from 'node:fs';
import type { Runner } from '../exec/runner.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { DiskFullError, GoMissingError } from './errors.ts';

/** "go version go1.26.8 linux/amd64" -> "1.26.8" */
export function parseGoVersion(output: string): string | undefined {
  return /go version go(\d+\.\d+(?:\.\d+)?)/.exec(output)?.[1];
}

export function versionAtLeast(have: string, want: string): boolean {
  const a = have.split('.').map(Number);
  const b = want.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

export async function checkGo(run: Runner, minimum: string): Promise<string> {
  const res = await run('go', ['version'], { timeoutMs: TIMEOUTS.versionCommand });
  if (res.notFound)
    throw new GoMissingError('go is not on PATH: the components are built with go build', {
      hint: `install Go ${minimum} or newer and put it on PATH (this machine kind has it at /usr/local/go/bin)`,
    });
  const v = parseGoVersion(res.output);
  if (res.exitCode !== 0 || !v)
    throw new GoMissingError(`\`go version\` did not work (exit ${res.exitCode}): ${res.output.split('\n')[0] ?? ''}`, {
      hint: 'repair the Go installation on PATH',
    });
  if (!versionAtLeast(v, minimum))
    throw new GoMissingError(`go ${v} is too old: the pinned components need Go ${minimum} or newer`, {
      hint: `install Go ${minimum}+ first on PATH`,
    });
  return v;
}

/** Free bytes on the file system that holds `path`. */
export function freeBytes(path: string): number {
  const s = statfsSync(path);
  return s.bavail * s.bsize;
}

export function checkDisk(path: string, neededBytes: number, free = freeBytes(path)): void {
  if (free < neededBytes) {
    const gib = (n: number) => `${(n / 2 ** 30).toFixed(1)} GiB`;
    throw new DiskFullError(
      `not enough disk for the build: ${gib(free)} free under ${path}, ${gib(neededBytes)} needed`,
      {
        hint: `free disk space, or point SKYPROBE_CACHE at a larger disk`,
      },
    );
  }
}
