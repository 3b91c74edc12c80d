/**
 * The platform's automation in an embedded lab: Satusky's own code that acts on the renderer contract's objects
 * (GatewayListener, DNSRecord, AppRecord; stack/contract-crds.ts) as `skyprobe deploy` does for them, so that a
 * renderer's output applied by `kubectl apply` gives what deploy gives (stack/automation.ts). It is skyprobe's
 * stand-in for the platform's backend automation, as the pod runner is for the kubelet. Started by `lab up` with the
 * stack (SKYPROBE_LAB_DIR names the lab), stopped and swept with the lab's other processes. It watches the three
 * kinds and runs one pass after each change (passes never overlap; changes during a pass make one more); a pass that
 * fails is run again after TIMEOUTS.automationRetry, doubling while passes keep failing (at most automationRetryMax).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomObjectsApi, type KubernetesObject, makeInformer } from '@kubernetes/client-node';
import { deployTarget } from '../providers/embedded/stack.ts';
import { labOfDaemon } from '../providers/embedded/lab-daemon.ts';
import { reconcile } from '../stack/automation.ts';
import { CONTRACT_GROUP, CONTRACT_KINDS } from '../stack/contract-crds.ts';
import { TIMEOUTS } from '../timeouts.ts';

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

async function main(): Promise<void> {
  const { dir, state, k } = labOfDaemon('automation');
  const target = deployTarget(state, k);

  let running = false;
  let again = false;
  let retry: NodeJS.Timeout | undefined;
  let failed = 0;
  const pass = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    clearTimeout(retry);
    try {
      const r = await reconcile(target, log);
      const did = [
        ...r.published.map((h) => `published ${h}`),
        ...r.unpublished.map((h) => `unpublished ${h}`),
        ...r.released.map((a) => `record of ${a} removed`),
      ];
      failed = 0;
      log(`pass: ${r.objects} objects, ${r.listeners} listeners accepted${did.length ? `; ${did.join(', ')}` : ''}`);
    } catch (err) {
      const pause = Math.min(TIMEOUTS.automationRetry * 2 ** failed++, TIMEOUTS.automationRetryMax);
      log(`pass failed: ${(err as Error).message}; again in ${pause} ms`);
      retry = setTimeout(() => void pass(), pause);
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      await pass();
    }
  };

  const custom = k.kc.makeApiClient(CustomObjectsApi);
  const informers = Object.values(CONTRACT_KINDS).map((plural) => {
    const informer = makeInformer<KubernetesObject>(
      k.kc,
      `/apis/${CONTRACT_GROUP}/v1/${plural}`,
      () => custom.listClusterCustomObject({ group: CONTRACT_GROUP, version: 'v1', plural }) as never,
    );
    for (const e of ['add', 'update', 'delete'] as const) informer.on(e, () => void pass());
    informer.on('error', (err) => {
      log(`watch of ${plural} failed: ${String(err)}; restarting it in ${TIMEOUTS.watchRestart} ms`);
      setTimeout(() => void informer.start(), TIMEOUTS.watchRestart);
    });
    return informer;
  });
  await Promise.all(informers.map((i) => i.start()));
  await pass();
  writeFileSync(join(dir, 'automation.ready'), `${process.pid}\n`);
  log(`automation for lab ${state.id} watching ${Object.values(CONTRACT_KINDS).join(', ')} (${target.layout})`);

  const stop = async () => {
    await Promise.all(informers.map((i) => i.stop()));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`automation failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
