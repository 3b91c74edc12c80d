/**
 * The shared lab lock (/tmp/skyprobe-lab.lock, the one `flock /tmp/skyprobe-lab.lock ...` takes), held by the soak
 * for one run at a time. flock(1) locks the file description it is handed as fd 3: the soak's own open file, so
 * the lock stays with the soak after flock(1) exits, until the soak unlocks or closes it (or dies).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export const LAB_LOCK = '/tmp/skyprobe-lab.lock';

/** flock(1) on the soak's file description, handed to it as fd 3; resolves with its exit code. */
function flock(fd: number, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn('flock', [...args, '3'], { stdio: ['ignore', 'inherit', 'inherit', fd] });
    p.on('error', reject);
    p.on('exit', (code) => resolve(code ?? 1));
  });
}

/** Wait for the lock (bounded), run `body`, release the lock whatever happens. */
export async function underLabLock<T>(what: string, body: () => Promise<T>, waitMs = 60 * 60_000): Promise<T> {
  const fd = openSync(LAB_LOCK, 'a');
  try {
    const t0 = Date.now();
    if ((await flock(fd, ['-x', '-w', String(Math.ceil(waitMs / 1000))])) !== 0)
      throw new Error(`soak: the lab lock ${LAB_LOCK} was not free within ${waitMs / 60_000} minutes`);
    process.stderr.write(`soak: lab lock taken for ${what} (waited ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    try {
      return await body();
    } finally {
      await flock(fd, ['-u']);
    }
  } finally {
    closeSync(fd);
  }
}
