/**
 * A container's own mount namespace, so that a volume's mountPath is what the program sees at that path without
 * touching the machine's files. Per container (as a container runtime gives each container its own mounts):
 *
 * - the namespace is made persistent by `unshare --mount=<lab>/mntns/<pod uid>.<container>`; `<lab>/mntns` is a
 *   private bind mount of itself in the machine's namespace (unshare needs a non-shared mount for the file);
 * - inside, the root is an overlay (lower: the machine's /, upper: a tmpfs of the namespace's own), so that a
 *   missing mountPath is created in the container's copy only; the machine's other mounts (/proc, /dev, /run/netns,
 *   ...) are bound into it, those under the lab's folder are not; then pivot_root into it;
 * - each volume is bound from its folder under the lab (`<lab>/pods/<uid>/volumes/<name>`) onto its mountPath,
 *   read-only where the kubelet makes it so.
 *
 * The container's processes join with `nsenter --mount=<file>` (then `ip netns exec` for the network). Removing
 * the file's bind mount ends the namespace with the container's processes; every machine-side mount carries the
 * lab id in its path (/run/skyprobe/lab-<id>/...), so the lab's sweep unmounts what a killed lab left.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Runner } from '../exec/runner.ts';
import { runChecked } from '../exec/checked.ts';
import { TIMEOUTS } from '../timeouts.ts';

export interface MountSpec {
  /** The folder or file on the machine (under the lab's folder). */
  source: string;
  /** Where the container sees it. */
  target: string;
  readOnly: boolean;
}

export interface MountNs {
  /** The bind-mounted namespace file. */
  file: string;
  /** A folder that the namespace's own tmpfs covers (only inside the namespace). */
  scratch: string;
  labId: string;
  labDir: string;
}

export const nsDir = (labDir: string) => join(labDir, 'mntns');
export const podDir = (labDir: string, uid: string) => join(labDir, 'pods', uid);

export function mountNsFor(labDir: string, labId: string, uid: string, container: string): MountNs {
  return {
    file: join(nsDir(labDir), `${uid}.${container}`),
    scratch: join(podDir(labDir, uid), 'root', container),
    labId,
    labDir,
  };
}

/** The argv prefix that runs a command inside the container's mount namespace. */
export const nsenterArgv = (ns: MountNs): string[] => ['nsenter', `--mount=${ns.file}`];

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** One parsed line of /proc/self/mountinfo. */
export interface MountEntry {
  id: number;
  parent: number;
  target: string;
}

const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function parseMountinfo(text: string): MountEntry[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const f = l.split(' ');
      return { id: Number(f[0]), parent: Number(f[1]), target: unescape(f[4] ?? '') };
    });
}

const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

/** The mounts directly below the root mount that a container's root gets bound in (not the lab's own). */
export function rootChildren(mounts: MountEntry[], labDir: string): string[] {
  const root = mounts.filter((m) => m.target === '/').at(-1);
  if (!root) return [];
  const out = mounts.filter((m) => m.parent === root.id && m.target !== '/' && !under(m.target, labDir));
  return [...new Set(out.map((m) => m.target))];
}

/** The shell script run inside the new namespace (sh -e): root overlay, the machine's mounts, the volumes. */
export function setupScript(ns: MountNs, children: string[], mounts: MountSpec[]): string {
  const s = ns.scratch;
  const fsName = `skyprobe-${ns.labId}`;
  const lines = [
    // A missing mountPath is created in the container's overlay only; under another of the machine's mounts
    // (e.g. /dev, /proc) it is refused rather than created on the machine.
    `mkmp() { [ -e "$1" ] && return 0; a=$(dirname "$1"); while [ ! -e "$a" ]; do a=$(dirname "$a"); done`,
    `  t=$(findmnt -n -o TARGET --target "$a" | tail -n 1)`,
    `  [ "$t" = / ] || { echo "mountPath $1 would be created on the machine's mount $t" >&2; exit 3; }`,
    `  if [ "$2" = file ]; then mkdir -p "$(dirname "$1")"; : > "$1"; else mkdir -p "$1"; fi; }`,
    `mount -t tmpfs -o mode=0700 ${fsName} ${q(s)}`,
    `mkdir ${q(`${s}/up`)} ${q(`${s}/work`)} ${q(`${s}/root`)}`,
    `mount -t overlay -o lowerdir=/,upperdir=${s}/up,workdir=${s}/work ${fsName} ${q(`${s}/root`)}`,
    ...children.map((c) => `mount --rbind ${q(c)} ${q(`${s}/root${c}`)}`),
    `mkdir ${q(`${s}/root/.skyprobe-host`)}`,
    `cd ${q(`${s}/root`)}`,
    'pivot_root . .skyprobe-host',
    'cd /',
  ];
  for (const m of [...mounts].sort((a, b) => a.target.split('/').length - b.target.split('/').length)) {
    const kind = statSync(m.source).isDirectory() ? 'dir' : 'file';
    lines.push(`mkmp ${q(m.target)} ${kind}`, `mount --bind ${q(`/.skyprobe-host${m.source}`)} ${q(m.target)}`);
    if (m.readOnly) lines.push(`mount -o remount,bind,ro ${q(m.target)}`);
  }
  lines.push('umount -l /.skyprobe-host', 'rmdir /.skyprobe-host');
  return `${lines.join('\n')}\n`;
}

/** Make `<lab>/mntns` a private mount of its own (once per lab; unshare refuses a file on a shared mount). */
export async function ensureNsDir(run: Runner, labDir: string): Promise<void> {
  const dir = nsDir(labDir);
  await runChecked(run, ['mkdir', '-p', dir], { what: 'create the mount namespace folder' });
  const seen = parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8')).some((m) => m.target === dir);
  if (seen) return;
  await runChecked(run, ['mount', '--bind', dir, dir], { what: 'bind the mount namespace folder' });
  await runChecked(run, ['mount', '--make-private', dir], { what: 'make the mount namespace folder private' });
}

export async function createMountNs(run: Runner, ns: MountNs, mounts: MountSpec[], mountinfo: string): Promise<void> {
  await runChecked(run, ['mkdir', '-p', ns.scratch], { what: 'create the container scratch folder' });
  await runChecked(run, ['touch', ns.file], { what: 'create the mount namespace file' });
  await runChecked(run, ['unshare', `--mount=${ns.file}`, '--propagation', 'slave', 'true'], {
    what: 'create the mount namespace',
  });
  const script = setupScript(ns, rootChildren(parseMountinfo(mountinfo), ns.labDir), mounts);
  const res = await run('nsenter', [`--mount=${ns.file}`, 'sh', '-ec', script], { timeoutMs: TIMEOUTS.mountNamespace });
  if (res.exitCode !== 0) {
    await deleteMountNs(run, ns);
    throw new Error(`mounting the volumes failed: ${res.output.trim().split('\n').slice(-3).join('; ')}`);
  }
}

/** End the namespace: its bind mount goes, the namespace dies with the last of its processes. */
export async function deleteMountNs(run: Runner, ns: MountNs): Promise<void> {
  await run('umount', [ns.file]);
  await run('rm', ['-f', ns.file]);
}

/**
 * The program is a file of the machine (e.g. under /root/.cache/skyprobe); a volume mounted over a folder above it
 * (CoreDNS's Corefile volume at /root) would hide it. Such argv paths are bound at /.skyprobe/programs/ instead.
 */
export function programMounts(argv: string[], mounts: MountSpec[]): { argv: string[]; extra: MountSpec[] } {
  const extra: MountSpec[] = [];
  const out = argv.map((a, i) => {
    if (!a.startsWith('/') || !mounts.some((m) => under(a, m.target)) || !existsSync(a)) return a;
    const target = `/.skyprobe/programs/${i}-${basename(a)}`;
    extra.push({ source: a, target, readOnly: true });
    return target;
  });
  return { argv: out, extra };
}
