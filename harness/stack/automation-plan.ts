/**
 * The platform automation's decisions, pure (unit-tested in automation-plan.test.ts): given the contract objects in
 * the cluster (GatewayListener, DNSRecord, AppRecord; contract-crds.ts) and the platform's metadata records, which
 * objects are accepted (and why not), which listeners belong on the edge, which generated hosts are published, and
 * which metadata records the automation writes or removes. automation.ts carries the plan out.
 *
 * An AppRecord is accepted when it is the app's own (its namespace org-<spec.org>, its name spec.app) and no other
 * app claims one of its hosts (a record `skyprobe deploy` wrote, or an AppRecord accepted before it: oldest first,
 * like deploy's claim check). A GatewayListener or DNSRecord belongs to the accepted AppRecord of its namespace
 * that names its host (a record: the app's generated host); one that no AppRecord claims is refused, and so is a
 * record that is not `type: A, pointsTo: edge` in Satusky's zone. An object being deleted is in no desired state.
 */
import { orgNamespace, type GatewayListener, type RenderedHost } from './render.ts';
import type { AppMetadata } from './deploy.ts';
import type { ContractKind } from './contract-crds.ts';
import type { AppRecordSpec } from './renderer-contract.ts';
import { SATUSKY_ZONE } from './public-dns.ts';

export interface ContractObject {
  apiVersion: string;
  kind: ContractKind;
  metadata: {
    name: string;
    namespace: string;
    generation?: number;
    creationTimestamp?: string | Date;
    deletionTimestamp?: string | Date;
    finalizers?: string[];
  };
  spec?: Record<string, unknown>;
  status?: { conditions?: Condition[] };
}

export interface Condition {
  type: 'Ready';
  status: 'True' | 'False';
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

/** Why an object is (not) Ready, before the edge is touched (a listener's verdict can still turn on the API). */
export type Verdict = Pick<Condition, 'status' | 'reason' | 'message'>;

/** What the automation writes as the platform's record of an app (deploy's AppMetadata but its time and layout). */
export type AutomationRecord = Pick<AppMetadata, 'org' | 'app' | 'deployment' | 'routing' | 'hosts'>;

export interface AutomationPlan {
  /** By objectKey, for every object not being deleted. */
  verdicts: Map<string, Verdict>;
  /** The accepted listeners (by the key of their object). */
  listeners: Map<string, GatewayListener>;
  /** Generated hosts to publish (A at the load balancer). */
  publish: string[];
  /** Generated hosts whose record goes (a deleted or refused DNSRecord that nothing else keeps). */
  unpublish: string[];
  /** Metadata records to write. */
  records: AutomationRecord[];
  /** Metadata records the automation wrote before that no accepted AppRecord backs now. */
  dropRecords: { org: string; app: string }[];
}

export const objectKey = (o: Pick<ContractObject, 'kind' | 'metadata'>) =>
  `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
const deleting = (o: ContractObject) => Boolean(o.metadata.deletionTimestamp);
const time = (o: ContractObject) => new Date(o.metadata.creationTimestamp ?? 0).getTime();
const ok = (message: string): Verdict => ({ status: 'True', reason: 'Applied', message });
const no = (reason: string, message: string): Verdict => ({ status: 'False', reason, message });

export function planAutomation(objects: ContractObject[], metadata: AppMetadata[]): AutomationPlan {
  const verdicts = new Map<string, Verdict>();
  const live = objects.filter((o) => !deleting(o));
  // Claims of others: the records deploy wrote (the automation's own are recomputed from the AppRecords).
  const claimed = new Map<string, string>();
  for (const m of metadata.filter((x) => x.by !== 'automation'))
    for (const h of m.hosts) claimed.set(h.host, `${m.org}/${m.app}`);
  const accepted = new Map<string, AppRecordSpec>(); // namespace/app -> spec
  const apps = live
    .filter((o) => o.kind === 'AppRecord')
    .sort((a, b) => time(a) - time(b) || objectKey(a).localeCompare(objectKey(b)));
  for (const o of apps) {
    const r = (o.spec ?? {}) as Partial<AppRecordSpec>;
    const hosts = (Array.isArray(r.hosts) ? r.hosts : []) as RenderedHost[];
    if (!r.org || !r.app || !r.routing || hosts.length === 0) {
      verdicts.set(objectKey(o), no('Invalid', 'spec needs org, app, routing and hosts'));
      continue;
    }
    if (o.metadata.namespace !== orgNamespace(r.org) || o.metadata.name !== r.app) {
      verdicts.set(
        objectKey(o),
        no('NotTheAppsOwn', `an AppRecord of ${r.org}/${r.app} is named ${r.app} in ${orgNamespace(r.org)}`),
      );
      continue;
    }
    const me = `${r.org}/${r.app}`;
    const taken = hosts.find((h) => claimed.has(h.host) && claimed.get(h.host) !== me);
    if (taken) {
      verdicts.set(
        objectKey(o),
        no('HostClaimed', `host ${taken.host} is already claimed by app ${claimed.get(taken.host)}`),
      );
      continue;
    }
    for (const h of hosts) claimed.set(h.host, me);
    accepted.set(`${o.metadata.namespace}/${r.app}`, r as AppRecordSpec);
    verdicts.set(objectKey(o), ok(`the platform's record of ${me}: ${hosts.length} hosts`));
  }
  const owner = (ns: string, host: string, kind?: RenderedHost['kind']) =>
    [...accepted.entries()].find(
      ([k, r]) => k.startsWith(`${ns}/`) && r.hosts.some((h) => h.host === host && (!kind || h.kind === kind)),
    )?.[1];

  const listeners = new Map<string, GatewayListener>();
  for (const o of live.filter((x) => x.kind === 'GatewayListener')) {
    const l = (o.spec ?? {}) as unknown as GatewayListener;
    if (l.name !== o.metadata.name) {
      verdicts.set(objectKey(o), no('Invalid', 'spec.name must be the listener name (metadata.name)'));
      continue;
    }
    const app = owner(o.metadata.namespace, l.hostname);
    if (!app) {
      verdicts.set(
        objectKey(o),
        no(
          'NotTheAppsHost',
          `listener for ${l.hostname ?? 'no hostname'}, which no accepted AppRecord of ${o.metadata.namespace} claims`,
        ),
      );
      continue;
    }
    listeners.set(objectKey(o), l);
    verdicts.set(objectKey(o), ok(`listener of ${app.org}/${app.app}`));
  }

  const publish = new Set<string>();
  const dropped = new Set<string>();
  for (const o of objects.filter((x) => x.kind === 'DNSRecord')) {
    const r = (o.spec ?? {}) as { name?: string; type?: string; pointsTo?: string };
    const name = r.name ?? '';
    if (deleting(o)) {
      dropped.add(name);
      continue;
    }
    const why = !(name === SATUSKY_ZONE || name.endsWith(`.${SATUSKY_ZONE}`))
      ? no('NotInZone', `the platform publishes records in ${SATUSKY_ZONE} only`)
      : r.type !== 'A' || r.pointsTo !== 'edge'
        ? no('Invalid', 'a record is `type: A, pointsTo: edge` (the load balancer)')
        : !owner(o.metadata.namespace, name, 'generated')
          ? no('NotTheAppsHost', `${name} is the generated host of no accepted AppRecord of ${o.metadata.namespace}`)
          : undefined;
    if (why) {
      verdicts.set(objectKey(o), why);
      dropped.add(name);
      continue;
    }
    publish.add(name);
    verdicts.set(objectKey(o), ok(`${name} A -> the load balancer`));
  }
  // A generated host deploy published stays: its record is deploy's.
  const deployed = new Set(
    metadata
      .filter((m) => m.by !== 'automation')
      .flatMap((m) => m.hosts.filter((h) => h.kind === 'generated').map((h) => h.host)),
  );
  const records = [...accepted.entries()].map(([k, r]) => ({
    org: r.org,
    app: r.app,
    deployment: k,
    routing: r.routing,
    hosts: r.hosts,
  }));
  const backed = new Set(records.map((r) => `${r.org}/${r.app}`));
  return {
    verdicts,
    listeners,
    publish: [...publish].sort(),
    unpublish: [...dropped].filter((h) => h && !publish.has(h) && !deployed.has(h)).sort(),
    records,
    dropRecords: metadata
      .filter((m) => m.by === 'automation' && !backed.has(`${m.org}/${m.app}`))
      .map((m) => ({ org: m.org, app: m.app })),
  };
}

/** The condition to write for a verdict, or undefined when the object's condition says it already. */
export function nextCondition(o: ContractObject, v: Verdict, now: string): Condition | undefined {
  const cur = o.status?.conditions?.find((c) => c.type === 'Ready');
  const gen = o.metadata.generation;
  if (
    cur &&
    cur.status === v.status &&
    cur.reason === v.reason &&
    cur.message === v.message &&
    cur.observedGeneration === gen
  )
    return undefined;
  return {
    type: 'Ready',
    ...v,
    observedGeneration: gen,
    lastTransitionTime: cur && cur.status === v.status && cur.lastTransitionTime ? cur.lastTransitionTime : now,
  };
}

/**
 * The names of the listeners a field manager owns on a Gateway, read from its managedFields (server-side apply's
 * record: `f:spec` -> `f:listeners` -> `k:{"name":"..."}`).
 */
export function ownedListeners(
  managedFields: { manager?: string; operation?: string; fieldsV1?: unknown }[] | undefined,
  manager: string,
): Set<string> {
  const out = new Set<string>();
  for (const m of managedFields ?? []) {
    if (m.manager !== manager || m.operation !== 'Apply') continue;
    const list = (m.fieldsV1 as Record<string, Record<string, Record<string, unknown>>> | undefined)?.['f:spec']?.[
      'f:listeners'
    ];
    for (const k of Object.keys(list ?? {}))
      if (k.startsWith('k:')) {
        const name = (JSON.parse(k.slice(2)) as { name?: string }).name;
        if (name) out.add(name);
      }
  }
  return out;
}

/** Whether every field of `want` is in `have` with the same value (what the API added, e.g. defaults, is ignored). */
export function covers(have: unknown, want: unknown): boolean {
  if (want === null || typeof want !== 'object') return have === want;
  if (have === null || typeof have !== 'object') return false;
  if (Array.isArray(want))
    return Array.isArray(have) && have.length === want.length && want.every((w, i) => covers(have[i], w));
  return Object.entries(want).every(([k, w]) => covers((have as Record<string, unknown>)[k], w));
}
