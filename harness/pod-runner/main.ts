/**
 * The pod runner: the kubelet's job for every node of an embedded lab. It watches the pods bound to the lab's
 * nodes and runs each with a PodWorker. Started by `lab up` (SKYPROBE_LAB_DIR names the lab); stops on SIGTERM,
 * killing its pods' processes and removing their namespaces.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { makeInformer } from '@kubernetes/client-node';
import { execRunner } from '../exec/runner.ts';
import { repoRoot } from '../paths.ts';
import { netnsName, nodePlan, podAddress, podNetnsName } from '../providers/embedded/address-plan.ts';
import { labOfDaemon } from '../providers/embedded/lab-daemon.ts';
import { cachePaths } from '../setup/cache.ts';
import { loadPinFile } from '../setup/components.ts';
import { PIN_FILE, componentBinary } from '../setup/setup.ts';
import { ensureNsDir } from './mount-ns.ts';
import { PodWorker } from './pod-worker.ts';
import { TIMEOUTS } from '../timeouts.ts';

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

async function main(): Promise<void> {
  const { dir, state, k } = labOfDaemon('pod-runner');
  const pins = loadPinFile(join(repoRoot(), PIN_FILE));
  const paths = cachePaths();
  const bins = new Map<string, string>();
  const bin = (name: string) => {
    if (!bins.has(name)) bins.set(name, componentBinary(pins, name, paths));
    return bins.get(name) as string;
  };
  const nodes = new Map(Array.from({ length: state.nodes }, (_, i) => [nodePlan(i + 1).name, i + 1]));
  const used = new Map<number, Set<number>>([...nodes.values()].map((n) => [n, new Set<number>()]));
  const workers = new Map<string, PodWorker>();
  const ctx = {
    labId: state.id,
    labDir: dir,
    logDir: join(dir, 'logs'),
    repo: repoRoot(),
    run: execRunner,
    k,
    bin,
    log,
  };

  const allocate = (node: number, wanted?: string): string => {
    const taken = used.get(node) as Set<number>;
    const prior = wanted?.startsWith(`10.244.${node}.`) ? Number(wanted.split('.')[3]) : undefined;
    let idx = prior !== undefined && !taken.has(prior) ? prior : 2;
    while (taken.has(idx)) idx++;
    taken.add(idx);
    return podAddress(node, idx);
  };

  const onPod = (pod: V1Pod) => {
    const uid = pod.metadata?.uid;
    const nodeNum = nodes.get(pod.spec?.nodeName ?? '');
    if (!uid || nodeNum === undefined) return;
    const existing = workers.get(uid);
    if (existing) return existing.update(pod);
    if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
      if (pod.metadata?.deletionTimestamp)
        void k.core
          .deleteNamespacedPod({
            name: pod.metadata.name ?? '',
            namespace: pod.metadata.namespace ?? '',
            gracePeriodSeconds: 0,
          })
          .catch(() => undefined);
      return;
    }
    const plan = nodePlan(nodeNum);
    const ip = allocate(nodeNum, pod.status?.podIP);
    const worker = new PodWorker(
      ctx,
      pod,
      { ...podNetnsName(state.id, uid), ip, gateway: plan.podGateway, nodeNetns: netnsName(state.id, plan.role) },
      plan.addresses[0]?.ip as string,
    );
    workers.set(uid, worker);
    worker.start().catch((err) => log(`${worker.key}: failed to start: ${(err as Error).message}`));
  };
  const onGone = (pod: V1Pod) => {
    const uid = pod.metadata?.uid ?? '';
    const w = workers.get(uid);
    if (!w) return;
    workers.delete(uid);
    used.get(nodes.get(pod.spec?.nodeName ?? '') ?? -1)?.delete(Number(w.net.ip.split('.')[3]));
    void w.terminate(false);
  };

  await ensureNsDir(execRunner, dir);
  const informer = makeInformer(k.kc, '/api/v1/pods', () => k.core.listPodForAllNamespaces());
  informer.on('add', onPod);
  informer.on('update', onPod);
  informer.on('delete', onGone);
  informer.on('error', (err) => {
    log(`watch error: ${String(err)}; restarting the watch in ${TIMEOUTS.watchRestart} ms`);
    setTimeout(() => void informer.start(), TIMEOUTS.watchRestart);
  });
  await informer.start();
  writeFileSync(join(dir, 'pod-runner.ready'), `${process.pid}\n`);
  log(`pod runner for lab ${state.id} watching pods on ${[...nodes.keys()].join(', ')}`);

  const stop = async () => {
    log('stopping: killing pod processes');
    await informer.stop();
    for (const w of workers.values()) w.killAll();
    await Promise.all([...workers.values()].map((w) => w.terminate(false)));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`pod runner failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
