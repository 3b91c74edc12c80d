/**
 * The run's own namespace on an existing cluster, and the ones killed runs left: each carries the run's label
 * and its owner (this machine's hostname and the harness's pid). A namespace whose owner is a process of this
 * machine that is gone, and that was not kept, is removed by the next run; other machines' runs are left alone.
 */
import { hostname } from 'node:os';
import type { V1Namespace } from '@kubernetes/client-node';
import { ownerAlive } from '../../exec/pid.ts';
import { type Clients, apiStatus } from '../../k8s/client.ts';
import { waitUntil } from '../../converge.ts';
import { POLL, TIMEOUTS } from '../../timeouts.ts';

export const RUN_LABEL = 'skyprobe.satusky.com/run';
export const OWNER_ANNOTATION = 'skyprobe.satusky.com/owner';
export const KEEP_ANNOTATION = 'skyprobe.satusky.com/keep';
const MANAGED = { 'app.kubernetes.io/managed-by': 'skyprobe' };

export function runNamespace(name: string, runId: string, owner = `${hostname()}/${process.pid}`): V1Namespace {
  return { metadata: { name, labels: { [RUN_LABEL]: runId, ...MANAGED }, annotations: { [OWNER_ANNOTATION]: owner } } };
}

/** Whether a run namespace was left by a killed run of this machine (and not kept on purpose). */
export function leftByKilledRun(
  ns: V1Namespace,
  host = hostname(),
  alive: (pid: number) => boolean = ownerAlive,
): boolean {
  const a = ns.metadata?.annotations ?? {};
  if (a[KEEP_ANNOTATION] === 'true' || ns.status?.phase === 'Terminating') return false;
  const [ownerHost, pid] = (a[OWNER_ANNOTATION] ?? '').split('/');
  return ownerHost === host && Number(pid) > 0 && !alive(Number(pid));
}

export async function sweepRunNamespaces(k: Clients): Promise<string[]> {
  const list = await k.core.listNamespace({ labelSelector: `${RUN_LABEL},app.kubernetes.io/managed-by=skyprobe` });
  const stale = list.items.filter((ns) => leftByKilledRun(ns)).map((ns) => ns.metadata?.name as string);
  for (const name of stale) await deleteNamespace(k, name);
  return stale;
}

/** Delete a namespace and wait (bounded) until it is gone. */
export async function deleteNamespace(k: Clients, name: string): Promise<void> {
  await k.core.deleteNamespace({ name }).catch((err: unknown) => {
    if (apiStatus(err) !== 404) throw err;
  });
  await waitUntil(
    `namespace ${name} gone`,
    () =>
      k.core.readNamespace({ name }).then(
        () => false,
        (err: unknown) => apiStatus(err) === 404,
      ),
    { timeoutMs: TIMEOUTS.namespaceGone, intervalMs: POLL.slow },
  );
}
