/**
 * The platform's automation for output applied as it is (`skyprobe render FILE | kubectl apply -f -`): what
 * `skyprobe deploy` does for the contract's kinds, done for the objects in the cluster. One pass (`reconcile`)
 * reads every GatewayListener, DNSRecord and AppRecord, decides (automation-plan.ts), puts a finalizer on each new
 * one, server-side-applies the accepted listeners into the edge's Gateways under its own field manager (placed as
 * the lab's layout places them: shards.ts for sharded), publishes the accepted generated hosts in Satusky's zone,
 * writes the platform's metadata records, sets each object's Ready condition, and lets go of deleted objects once
 * what they stood for is gone. Passes are idempotent: one with nothing new writes nothing. Run by the lab's
 * automation process (harness/automation/main.ts) on every change of the three kinds.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { apiMessage } from '../k8s/apply.ts';
import type { Clients } from '../k8s/client.ts';
import {
  type AutomationPlan,
  type ContractObject,
  covers,
  nextCondition,
  objectKey,
  ownedListeners,
  planAutomation,
  type Verdict,
} from './automation-plan.ts';
import {
  AUTOMATION_FINALIZER,
  AUTOMATION_MANAGER,
  CONTRACT_GROUP,
  CONTRACT_KINDS,
  type ContractKind,
} from './contract-crds.ts';
import { type AppMetadata, type DeployTarget, metadataFile, readMetadata } from './deploy.ts';
import { EDGE_NAMESPACE, GATEWAY_NAME } from './edge-objects.ts';
import { applyManagedListeners, readShards } from './edge-gateways.ts';
import { DEFAULT_LAYOUT } from './layout.ts';
import { publishGenerated, readRecords, SATUSKY_ZONE, unpublishGenerated } from './public-dns.ts';
import type { GatewayListener } from './render.ts';
import { placeListeners } from './shards.ts';

export interface PassResult {
  objects: number;
  listeners: number;
  published: string[];
  unpublished: string[];
  released: string[];
}

export async function reconcile(t: DeployTarget, log: (line: string) => void = () => undefined): Promise<PassResult> {
  const custom = t.k.kc.makeApiClient(CustomObjectsApi);
  const objects = await listContract(custom);
  const plan = planAutomation(objects, readMetadata(t.metadataDir));
  const live = objects.filter((o) => !o.metadata.deletionTimestamp);
  // A finalizer first: from here on, a delete waits until this automation has undone what the object stood for.
  for (const o of live)
    if (!(o.metadata.finalizers ?? []).includes(AUTOMATION_FINALIZER))
      await setFinalizers(custom, o, [...(o.metadata.finalizers ?? []), AUTOMATION_FINALIZER]);

  const verdicts = new Map(plan.verdicts);
  let edgeDone = true;
  try {
    await placeOnEdge(t, plan.listeners);
  } catch (err) {
    edgeDone = false;
    const gw = (err as { gateway?: string }).gateway ?? GATEWAY_NAME;
    const refused: Verdict = {
      status: 'False',
      reason: 'GatewayRefused',
      message: `the API refused the listeners of Gateway ${EDGE_NAMESPACE}/${gw}: ${apiMessage(err)}`,
    };
    for (const k of plan.listeners.keys()) verdicts.set(k, refused);
    log(refused.message);
  }
  const published = readRecords(t.dns.zonesDir, SATUSKY_ZONE).filter(
    (r) => r.by === 'satusky' && r.value === t.dns.lbIp,
  );
  const publish = plan.publish.filter((h) => !published.some((r) => r.name === h));
  for (const h of publish) publishGenerated(t.dns.zonesDir, h, t.dns.lbIp, t.dns.nameserverIp);
  const unpublish = plan.unpublish.filter((h) => readRecords(t.dns.zonesDir, SATUSKY_ZONE).some((r) => r.name === h));
  for (const h of unpublish) unpublishGenerated(t.dns.zonesDir, h, t.dns.nameserverIp);
  writeRecords(t, plan);

  const now = new Date().toISOString();
  for (const o of live) {
    const v = verdicts.get(objectKey(o));
    const c = v && nextCondition(o, v, now);
    if (c) await patchStatus(custom, o, c);
  }
  // Deleted objects: what they stood for is gone now (the plan left them out), so they may go; a listener only once
  // the edge has taken the change (a refused edit is retried by the next pass, which the failure makes).
  for (const o of objects.filter((x) => x.metadata.deletionTimestamp))
    if ((o.metadata.finalizers ?? []).includes(AUTOMATION_FINALIZER) && (edgeDone || o.kind !== 'GatewayListener'))
      await setFinalizers(
        custom,
        o,
        (o.metadata.finalizers ?? []).filter((f) => f !== AUTOMATION_FINALIZER),
      );
  if (!edgeDone) throw new Error('the edge refused the listeners; the objects say why (Ready=False GatewayRefused)');
  return {
    objects: objects.length,
    listeners: plan.listeners.size,
    published: publish,
    unpublished: unpublish,
    released: plan.dropRecords.map((r) => `${r.org}/${r.app}`),
  };
}

async function listContract(custom: CustomObjectsApi): Promise<ContractObject[]> {
  const out: ContractObject[] = [];
  for (const [kind, plural] of Object.entries(CONTRACT_KINDS)) {
    const list = (await custom.listClusterCustomObject({ group: CONTRACT_GROUP, version: 'v1', plural })) as {
      items: ContractObject[];
    };
    out.push(...list.items.map((o) => ({ ...o, kind: kind as ContractKind })));
  }
  return out;
}

const pathOf = (o: ContractObject) => ({
  group: CONTRACT_GROUP,
  version: 'v1',
  namespace: o.metadata.namespace,
  plural: CONTRACT_KINDS[o.kind],
  name: o.metadata.name,
});
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

async function setFinalizers(custom: CustomObjectsApi, o: ContractObject, finalizers: string[]): Promise<void> {
  await custom
    .patchNamespacedCustomObject({ ...pathOf(o), body: { metadata: { finalizers } } }, mergePatch)
    .catch((err: unknown) => {
      // Gone meanwhile: nothing to hold or let go.
      if ((err as { code?: number }).code !== 404) throw err;
    });
}

async function patchStatus(custom: CustomObjectsApi, o: ContractObject, c: object): Promise<void> {
  await custom
    .patchNamespacedCustomObjectStatus({ ...pathOf(o), body: { status: { conditions: [c] } } }, mergePatch)
    .catch((err: unknown) => {
      if ((err as { code?: number }).code !== 404) throw err;
    });
}

/**
 * The accepted listeners onto the edge, each on the Gateway it is on already or where the layout puts it (sharded:
 * shards.ts's stable placement; otherwise the one Gateway). skyprobe.renderer/v1 has no layout, so in the
 * listenerset layout (whose listeners are ListenerSets, not Gateway listeners) they go on the one Gateway too.
 */
async function placeOnEdge(t: DeployTarget, accepted: Map<string, GatewayListener>): Promise<void> {
  const listeners = [...accepted.values()];
  const wanted = new Map<string, GatewayListener[]>();
  const layout = t.layout ?? DEFAULT_LAYOUT;
  const placed =
    layout === 'sharded'
      ? placeListeners(
          await readShards(t.k),
          listeners.map((l) => l.name),
        ).gatewayOf
      : new Map<string, string>();
  for (const l of listeners) {
    const gw = placed.get(l.name) ?? GATEWAY_NAME;
    wanted.set(gw, [...(wanted.get(gw) ?? []), l]);
  }
  await applyManagedListeners(
    t.k,
    AUTOMATION_MANAGER,
    wanted,
    (gw) => ownedListeners(gw.metadata.managedFields as never, AUTOMATION_MANAGER),
    covers,
  );
}

/** The platform's records for the accepted AppRecords (rewritten only when they change), the stale ones removed. */
function writeRecords(t: DeployTarget, plan: AutomationPlan): void {
  mkdirSync(t.metadataDir, { recursive: true });
  for (const r of plan.records) {
    const file = metadataFile(t.metadataDir, r);
    let before: AppMetadata | undefined;
    try {
      before = JSON.parse(readFileSync(file, 'utf8')) as AppMetadata;
    } catch {
      // none yet
    }
    const meta: AppMetadata = {
      ...r,
      layout: t.layout ?? DEFAULT_LAYOUT,
      by: 'automation',
      deployedAt: before?.deployedAt ?? new Date().toISOString(),
    };
    if (before && JSON.stringify({ ...before, deployedAt: '' }) === JSON.stringify({ ...meta, deployedAt: '' }))
      continue;
    writeFileSync(file, `${JSON.stringify({ ...meta, deployedAt: new Date().toISOString() }, null, 2)}\n`);
  }
  for (const r of plan.dropRecords) rmSync(metadataFile(t.metadataDir, r), { force: true });
}
