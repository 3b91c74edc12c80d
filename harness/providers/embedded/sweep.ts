/**
 * Removing labs by their labels: processes (SKYPROBE_LAB=<id> in their environment), namespaces (sky-<id>-*),
 * the root veth (sky<id>), per-namespace resolv.conf folders (/etc/netns/sky-<id>-*), the pod runner's mounts under
 * the lab folder (containers' mount namespace files, memory emptyDirs, the private mntns folder) and the lab folder.
 * `lab down` removes its own lab; `lab up` removes whatever a killed run left.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner } from '../../exec/runner.ts';
import { TIMEOUTS } from '../../timeouts.ts';
import { labDirs, runDir } from './state.ts';
import { ipBatch, listNetns } from './netns.ts';
import { labelledProcesses, stopProcesses } from './processes.ts';

export interface SweepReport {
  processes: number[];
  mounts: string[];
  namespaces: string[];
  links: string[];
  dirs: string[];
}

const NS = /^sky-([0-9a-f]{4})-/;
const LINK = /^sky([0-9a-f]{4})$/;

/** Remove every lab whose id `which` accepts. */
export async function sweepLabs(
  run: Runner,
  which: (id: string) => boolean,
  env?: NodeJS.ProcessEnv,
): Promise<SweepReport> {
  const pids = [...labelledProcesses()].filter(([, id]) => which(id)).map(([pid]) => pid);
  const processes = await stopProcesses(pids);
  const mounts = labMounts(readFileSync('/proc/self/mountinfo', 'utf8'), runDir(env), which);
  // Deepest first; lazily, so that a mount still busy is detached at once and freed with its last user.
  for (const m of mounts) await run('umount', ['-l', m], { timeoutMs: TIMEOUTS.ipCommand });
  const namespaces = (await listNetns(run, 'sky-')).filter((n) => which(NS.exec(n)?.[1] ?? ''));
  // A namespace is deleted once no process holds it; its links go with it.
  if (namespaces.length > 0)
    await ipBatch(
      run,
      undefined,
      namespaces.map((n) => `netns del ${n}`),
      'delete the lab namespaces',
    ).catch(() => undefined);
  const linkList = await run('ip', ['-o', 'link', 'show'], { timeoutMs: TIMEOUTS.ipCommand });
  const links = linkList.output
    .split('\n')
    .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1] ?? '')
    .filter((n) => LINK.test(n) && which(LINK.exec(n)?.[1] ?? ''));
  if (links.length > 0)
    await ipBatch(
      run,
      undefined,
      links.map((l) => `link del ${l}`),
      'delete the lab links',
    ).catch(() => undefined);
  const dirs: string[] = [];
  try {
    for (const d of readdirSync('/etc/netns')) {
      if (which(NS.exec(d)?.[1] ?? '')) {
        rmSync(join('/etc/netns', d), { recursive: true, force: true });
        dirs.push(join('/etc/netns', d));
      }
    }
  } catch {
    // no /etc/netns
  }
  // wireguard-go's control sockets (left behind only when it was killed).
  try {
    for (const f of readdirSync('/var/run/wireguard')) {
      const m = /^slk([0-9a-f]{4})[cm]\.sock$/.exec(f);
      if (m?.[1] && which(m[1])) {
        rmSync(join('/var/run/wireguard', f), { force: true });
        dirs.push(join('/var/run/wireguard', f));
      }
    }
  } catch {
    // no socket folder
  }
  for (const d of labDirs(env)) {
    const id = /lab-([0-9a-f]{4})$/.exec(d)?.[1] ?? '';
    if (which(id)) {
      rmSync(d, { recursive: true, force: true });
      dirs.push(d);
    }
  }
  return { processes, mounts, namespaces, links, dirs };
}

/** Mount points under a lab folder (<runDir>/lab-<id>/...) of a lab `which` accepts, deepest first. */
export function labMounts(mountinfo: string, root: string, which: (id: string) => boolean): string[] {
  const prefix = `${root.replace(/\/$/, '')}/lab-`;
  const targets = mountinfo
    .split('\n')
    .map((l) => (l.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter(
      (t) => t.startsWith(prefix) && which(t.slice(prefix.length, prefix.length + 4)) && t[prefix.length + 4] === '/',
    );
  return [...new Set(targets)].sort((a, b) => b.split('/').length - a.split('/').length || b.localeCompare(a));
}
