/**
 * `skyprobe lab replay BUNDLE`: rebuild captured hosts in the running lab (capture/replay-plan.ts says how) and
 * check them there: the same `domains check` as at capture time, until every fact and the endpoint give the
 * captured verdict three times in a row (TIMEOUTS.replaySettled), or the bound passes and the differences are
 * the result. Bad input (an unreadable bundle, another schema, no lab, a lab without the stack) is one line,
 * exit 2, nothing applied.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CaptureBundle, readBundle } from '../capture/bundle.ts';
import { type ElementComparison, allSame, compareChecks } from '../capture/compare.ts';
import { type ReplayPlan, replayPlan } from '../capture/replay-plan.ts';
import { converge } from '../converge.ts';
import { SkyprobeError } from '../errors.ts';
import type { Runner } from '../exec/runner.ts';
import { checkDomains } from '../facts/check.ts';
import type { Obj } from '../facts/cluster-view.ts';
import type { DomainReport } from '../facts/fact.ts';
import { sourcesFactTarget } from '../facts/target.ts';
import { applyObjects } from '../k8s/apply.ts';
import { type Clients, clientsFor } from '../k8s/client.ts';
import { LB_IP, PUBLIC_DNS_IP } from '../providers/embedded/address-plan.ts';
import { labFactSources } from '../providers/embedded/fact-site.ts';
import { liveLab } from '../providers/embedded/live-lab.ts';
import { stackPaths } from '../providers/embedded/stack-paths.ts';
import type { LabState } from '../providers/embedded/state.ts';
import { servedSerial } from '../scenario/envs/env-parts.ts';
import { editListeners } from '../stack/deploy.ts';
import { EDGE_NAMESPACE, GATEWAY_NAME, INGRESS_CLASS, ISSUER_GATEWAY, ISSUER_INGRESS } from '../stack/edge-objects.ts';
import type { GatewayListener } from '../stack/render.ts';
import { SATUSKY_ZONE, editRecords } from '../stack/public-dns.ts';
import { POLL, TIMEOUTS } from '../timeouts.ts';

/** In the lab's internet segment, where no host is: "somewhere else" (connections time out). */
export const ELSEWHERE_IP = '198.51.100.99';
const ECHO_IMAGE = 'skyprobe/echo:1';

export interface ReplayResult {
  plan: ReplayPlan;
  comparison: ElementComparison[];
  replayed: DomainReport[];
  same: boolean;
  elapsedMs: number;
}

/** The running lab with its routing stack, or the one line that says what is missing. */
function labWithStack(): LabState {
  const lab = liveLab();
  if (!lab) throw new SkyprobeError('no lab is running to replay into', { hint: 'start one: skyprobe lab up --keep' });
  if (!lab.stack)
    throw new SkyprobeError('the running lab has no routing stack to replay hosts into', {
      hint: 'start the lab with its stack: skyprobe lab down && skyprobe lab up --keep',
    });
  return lab;
}

const CA_DOWN = {
  issuers: { gateway: 'replay-ca-down-gateway', ingress: 'replay-ca-down-ingress' },
  gateway: `${GATEWAY_NAME}-ca-down`,
};

/**
 * For certificates whose ACME server did not answer: copies of the lab's issuers whose server is where nothing
 * answers (so cert-manager cannot register their account, and their certificates stay pending), and a Gateway of
 * the lab's class with the lab Gateway's annotations but that issuer, for listeners whose certificate is one.
 */
async function applyCaDown(k: Clients, plan: ReplayPlan): Promise<void> {
  const read = (kind: string, apiVersion: string, name: string, namespace?: string) =>
    k.objects.read({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } }) as Promise<Obj>;
  for (const d of plan.caDown.issuers) {
    const like = await read('ClusterIssuer', 'cert-manager.io/v1', d.like);
    const acme = structuredClone(like.spec?.acme) as { server: string; privateKeySecretRef: { name: string } };
    const server = new URL(acme.server);
    server.hostname = ELSEWHERE_IP;
    acme.server = server.toString();
    acme.privateKeySecretRef = { name: `${d.name}-account` };
    await applyObjects(k.objects, [
      { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: d.name }, spec: { acme } } as Obj,
    ]);
  }
  const g = plan.caDown.gateway;
  if (!g) return;
  const edge = await read('Gateway', 'gateway.networking.k8s.io/v1', GATEWAY_NAME, EDGE_NAMESPACE);
  await applyObjects(k.objects, [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: {
        name: g.name,
        namespace: g.namespace,
        annotations: { ...edge.metadata.annotations, 'cert-manager.io/cluster-issuer': g.issuer },
      },
      spec: { gatewayClassName: edge.spec?.gatewayClassName, listeners: g.listeners },
    } as Obj,
  ]);
}

async function applyPlan(k: Clients, lab: LabState, plan: ReplayPlan, run: Runner): Promise<void> {
  await applyCaDown(k, plan);
  await applyObjects(
    k.objects,
    plan.namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
  );
  await applyObjects(k.objects, plan.objects);
  if (plan.listeners.length > 0) await editListeners(k, new Set(), plan.listeners as unknown as GatewayListener[]);
  const paths = stackPaths(lab.dir);
  const sources = labFactSources(lab);
  for (const z of plan.dns) {
    const names = new Set(z.names);
    const serial = editRecords(
      paths.zones,
      z.zone,
      (r) => names.has(r.name),
      z.records.map((r) => ({ ...r, by: z.zone === SATUSKY_ZONE ? 'satusky' : 'user' })),
      PUBLIC_DNS_IP,
    );
    await servedSerial({ run, netns: sources.netns, server: PUBLIC_DNS_IP }, z.zone, serial);
  }
  mkdirSync(paths.metadata, { recursive: true });
  for (const r of plan.records) {
    const [org = '', app = ''] = r.deployment.split('/');
    writeFileSync(
      join(paths.metadata, `replay--${org}--${app}.json`),
      `${JSON.stringify({ org, app, deployment: r.deployment, routing: 'replay', hosts: r.hosts.map((host) => ({ host })), deployedAt: new Date().toISOString() }, null, 2)}\n`,
    );
  }
}

export async function replay(file: string, run: Runner, say: (line: string) => void): Promise<ReplayResult> {
  const bundle: CaptureBundle = readBundle(file);
  const lab = labWithStack();
  const plan = replayPlan(bundle, {
    gateway: { namespace: EDGE_NAMESPACE, name: GATEWAY_NAME },
    ingressClass: INGRESS_CLASS,
    issuers: { gateway: ISSUER_GATEWAY, ingress: ISSUER_INGRESS },
    lbIp: LB_IP,
    elsewhereIp: ELSEWHERE_IP,
    echoImage: ECHO_IMAGE,
    satuskyZone: SATUSKY_ZONE,
    caDown: CA_DOWN,
  });
  for (const m of plan.mappings) say(`map ${m}`);
  for (const n of plan.notApplied) say(`kept as evidence only: ${n.object} (${n.why})`);
  const k = clientsFor(lab.kubeconfig);
  await applyPlan(k, lab, plan, run);
  say(
    `applied ${plan.objects.length} objects, ${plan.listeners.length} listeners, ${plan.dns.length} zones; checking ${bundle.hosts.length} hosts`,
  );
  const target = sourcesFactTarget(labFactSources(lab), k, run);
  const hosts = bundle.hosts.map((h) => h.host);
  const captured = bundle.hosts.map((h) => h.check);
  let last: DomainReport[] = [];
  const settled = await converge(
    async () => {
      last = (await checkDomains(target, hosts)).hosts;
      const rows = compareChecks(captured, last);
      return { ok: allSame(rows), evidence: rows.filter((r) => !r.same).map((r) => `${r.host} ${r.element}`) };
    },
    { timeoutMs: TIMEOUTS.replaySettled, intervalMs: POLL.slow },
  );
  const comparison = compareChecks(captured, last);
  return { plan, comparison, replayed: last, same: allSame(comparison), elapsedMs: settled.elapsedMs };
}
