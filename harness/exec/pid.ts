/**
 * Whether the process that owns something (a kind run, a run namespace) still exists. A process of another user
 * answers EPERM: it exists, so what it owns is not swept. (Lab components, which skyprobe starts and reaps,
 * use processes.ts's isAlive, which also treats a zombie as gone.)
 */
export function ownerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
