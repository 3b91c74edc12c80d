/**
 * The record of each kind run on this machine: <cache root>/kind/<id>/run.json, beside its kubeconfig, the
 * public DNS zone files, Pebble's TLS and roots, and the log of every command. A run whose owner process died
 * without `down` (killed, crashed) and that was not kept is stale: the next `up` tears it down.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownerAlive } from '../../exec/pid.ts';
import { cachePaths } from '../../setup/cache.ts';
import type { HostPorts } from './kind-config.ts';

export interface KindRun {
  id: string;
  cluster: string;
  dir: string;
  kubeconfig: string;
  ownerPid: number;
  keep: boolean;
  status: 'starting' | 'up';
  createdAt: string;
  hostPorts: HostPorts;
  /** Filled in as `up` learns them: what deploy and probes need to act on this run. */
  edgeIp?: string;
  publicDnsIp?: string;
  acmeDirectory?: string;
  /** Zone files public DNS serves (stack/public-dns.ts writes them). */
  zonesDir: string;
  /** Pebble's issuing root: the trust root of the certificates it signs. */
  pebbleRoot: string;
  /** The CA of Pebble's own listeners. */
  acmeCa: string;
  /** The Docker network this run's `kind create` made (it did not exist before): teardown removes it if unused. */
  madeNetwork?: string;
  /** Host-wide sysctls before the node started (a privileged node writes some): restored by teardown. */
  sysctls?: Record<string, string>;
}

export function kindRunsRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(cachePaths(env).root, 'kind');
}

export function newRunRecord(
  id: string,
  cluster: string,
  keep: boolean,
  hostPorts: HostPorts,
  env?: NodeJS.ProcessEnv,
): KindRun {
  const dir = join(kindRunsRoot(env), id);
  return {
    id,
    cluster,
    dir,
    keep,
    hostPorts,
    kubeconfig: join(dir, 'kubeconfig'),
    ownerPid: process.pid,
    status: 'starting',
    createdAt: new Date().toISOString(),
    zonesDir: join(dir, 'zones'),
    pebbleRoot: join(dir, 'pebble-root.pem'),
    acmeCa: join(dir, 'tls', 'ca.crt'),
  };
}

export function writeRun(r: KindRun): void {
  mkdirSync(r.dir, { recursive: true });
  const file = join(r.dir, 'run.json');
  writeFileSync(`${file}.tmp`, `${JSON.stringify(r, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function readRun(id: string, env?: NodeJS.ProcessEnv): KindRun | undefined {
  try {
    return JSON.parse(readFileSync(join(kindRunsRoot(env), id, 'run.json'), 'utf8')) as KindRun;
  } catch {
    return undefined;
  }
}

export function removeRun(r: Pick<KindRun, 'dir'>): void {
  rmSync(r.dir, { recursive: true, force: true });
}

/** Runs whose owner is gone and that nobody asked to keep. */
export function staleRuns(env?: NodeJS.ProcessEnv, isAlive: (pid: number) => boolean = ownerAlive): KindRun[] {
  const root = kindRunsRoot(env);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((id) => readRun(id, env))
    .filter((r): r is KindRun => r !== undefined && !r.keep && r.ownerPid !== process.pid && !isAlive(r.ownerPid));
}
