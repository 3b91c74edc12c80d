/**
 * Deploying an app as Satusky's backend does: render it, refuse a host another app already claims, apply the
 * objects, add its HTTPS listeners to the shared Gateway, let DNS automation publish the generated host, and
 * record the platform's metadata (the first of the four domain facts). Removal undoes each of these.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import pLimit from 'p-limit';
import { SkyprobeError } from '../errors.ts';
import { apiMessage, applyObjects, deleteObjects } from '../k8s/apply.ts';
import { apiStatus, type Clients } from '../k8s/client.ts';
import type { AppFixture } from './app-fixture.ts';
import { EDGE_NAMESPACE, GATEWAY_NAME } from './edge-objects.ts';
import {
  addListeners,
  allListenerNames,
  allowListenerSets,
  dropListeners,
  editGateway,
  gatewayRefOf,
  renderOnEdge,
} from './edge-gateways.ts';
import { DEFAULT_LAYOUT, LAYOUTS, type Layout } from './layout.ts';
import { publishGenerated, unpublishGenerated } from './public-dns.ts';
import { type GatewayListener, type Rendered, render } from './render.ts';
import { ROUTINGS, type Routing } from './routing.ts';

/** What the platform records for a deployed app: the metadata fact. */
export interface AppMetadata {
  org: string;
  app: string;
  deployment: string;
  routing: Routing;
  /** How its HTTPS hosts are laid out on the edge (absent in records made before layouts: listener-per-host). */
  layout?: Layout;
  hosts: Rendered['hosts'];
  /**
   * What this deploy applied (but the Namespace) and the listeners it added: what the next deploy prunes and a
   * delete removes, whichever renderer made them (absent in older records: the built-in renderer's names are used).
   */
  applied?: { objects: ObjectRef[]; listeners: string[] };
  /** Written by the platform's automation for an AppRecord (output applied as it is; automation.ts), not by deploy. */
  by?: 'automation';
  deployedAt: string;
}

/** An object by its identity alone. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

export interface DeployTarget {
  k: Clients;
  /** Folder of the platform's metadata records. */
  metadataDir: string;
  /** Public DNS zone folder and addresses for Satusky's DNS automation. */
  dns: { zonesDir: string; nameserverIp: string; lbIp: string };
  /** How HTTPS hosts are laid out on the edge (layout.ts); default listener-per-host. */
  layout?: Layout;
}

export const metadataFile = (dir: string, a: Pick<AppFixture, 'org' | 'app'>) => join(dir, `${a.org}--${a.app}.json`);

export function readMetadata(dir: string): AppMetadata[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as AppMetadata);
}

/** The hosts of `a` that another deployed app already claims. */
export function claimConflicts(
  a: AppFixture,
  rendered: Rendered,
  others: AppMetadata[],
): { host: string; owner: string }[] {
  const out: { host: string; owner: string }[] = [];
  for (const m of others) {
    if (m.org === a.org && m.app === a.app) continue;
    for (const h of rendered.hosts)
      if (m.hosts.some((x) => x.host === h.host)) out.push({ host: h.host, owner: `${m.org}/${m.app}` });
  }
  return out;
}

export const gatewayRef = gatewayRefOf(GATEWAY_NAME);

/**
/**
 * One edit of a Gateway at a time in this process: scenarios side by side (`skyprobe run --parallel N`) edit the
 * shared Gateway at once (deploys, and the faults some twins inject), and each read-modify-replace would otherwise
 * conflict with the others' (seen: a dry run refused with 409 after its retries). What conflicts then is only
 * another writer's (the edge's status).
 */
const gatewayEdits = pLimit(1);

/** API calls of one deploy that may go at once: reads and dry runs of its objects. */
const apiCalls = pLimit(8);

/**
 * Change the first Gateway's listeners (or `o.gateway`'s): drop those named in `drop`, add (or replace) `add`
 * (edge-gateways.ts editGateway). `dryRun` asks the API whether it would accept the change, changing nothing.
 */
export function editListeners(
  k: Clients,
  drop: Set<string>,
  add: GatewayListener[],
  o: { dryRun?: boolean; gateway?: string } = {},
): Promise<void> {
  return gatewayEdits(() => editGateway(k, o.gateway ?? GATEWAY_NAME, drop, add, o));
}

const refOf = (o: KubernetesObject): ObjectRef => ({
  apiVersion: o.apiVersion as string,
  kind: o.kind as string,
  metadata: { name: o.metadata?.name as string, ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}) },
});
const key = (o: KubernetesObject) => `${o.apiVersion}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
const named = (o: KubernetesObject) =>
  `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/** "the listeners of Gateway satusky-edge/<shard>": the Gateway an error of addListeners names. */
const listenersOf = (err: unknown) =>
  `the listeners of ${named(gatewayRefOf((err as { gateway?: string }).gateway ?? GATEWAY_NAME))}`;

/** The API refused an object of an app; what the deploy had applied of it is removed again. */
function refused(a: AppFixture, what: string, err: unknown, rolledBack: string): SkyprobeError {
  const reason = err instanceof SkyprobeError ? err.message.replace(/^failed to apply [^:]+: /, '') : apiMessage(err);
  return new SkyprobeError(`app ${a.org}/${a.app}: the API refused ${what}: ${reason}; ${rolledBack}`, {
    exitCode: 1,
    hint: "the object and the reason are the API's; fix the fixture or the platform limit it names",
    cause: err,
  });
}

/**
 * The objects that exist now, by key, with their resourceVersion: those a failed deploy must not remove, and what
 * the dry run replaces them at.
 */
async function existing(k: Clients, objects: KubernetesObject[]): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  // Read at once (bounded): a fleet's deploys are otherwise a round trip per object, one after another.
  await apiCalls.map(objects, async (o) => {
    const cur = await k.objects
      .read(o as KubernetesObject & { metadata: { name: string; namespace?: string } })
      .catch((err: unknown) => {
        if (apiStatus(err) === 404) return undefined;
        throw err;
      });
    if (cur) out.set(key(o), cur.metadata?.resourceVersion);
  });
  return out;
}

/**
 * Ask the API whether it would take every object (server-side dry runs) and the Gateway's new listeners, before
 * anything is changed. Objects in a namespace that does not exist yet cannot be dry-run (the API refuses them for
 * the namespace alone); the real apply below covers them, and a failure there is rolled back.
 */
async function preflight(
  k: Clients,
  a: AppFixture,
  rendered: Rendered,
  existed: Map<string, string | undefined>,
  layout: Layout,
): Promise<void> {
  const newNamespaces = new Set(
    rendered.objects.filter((o) => o.kind === 'Namespace' && !existed.has(key(o))).map((o) => o.metadata?.name),
  );
  const dryRuns = rendered.objects.filter((o) => o.kind !== 'Namespace' && !newNamespaces.has(o.metadata?.namespace));
  // Dry runs change nothing, so they go at once (bounded); the first refusal in the objects' order is reported.
  const outcomes = await apiCalls.map(dryRuns, (o) =>
    (existed.has(key(o))
      ? k.objects.replace({ ...o, metadata: { ...o.metadata, resourceVersion: existed.get(key(o)) } }, undefined, 'All')
      : k.objects.create(o, undefined, 'All')
    ).then(
      () => undefined,
      // A conflict is a write racing with ours, not a refusal.
      (err: unknown) => (apiStatus(err) === 409 ? undefined : refused(a, named(o), err, 'nothing was applied')),
    ),
  );
  const refusal = outcomes.find((x) => x !== undefined);
  if (refusal) throw refusal;
  if (layout === 'listenerset')
    await allowListenerSets(k, { dryRun: true }).catch((err: unknown) => {
      throw refused(a, `allowedListeners of ${named(gatewayRef)}`, err, 'nothing was applied');
    });
  await addListeners(k, rendered, { dryRun: true }).catch((err: unknown) => {
    throw refused(a, listenersOf(err), err, 'nothing was applied');
  });
}

/**
 * Deploy an app atomically: checked by the API first (preflight), then applied; if the API refuses anything on the
 * way, what this deploy created is deleted, the Gateway's listeners are as before, and a mode switch puts the
 * previous mode's routes back. The error names the object and the API's reason (exit 1). `o.rendered`: what another
 * renderer made of the app (--renderer), deployed instead of the built-in renderer's output.
 */
export function deployApp(
  t: DeployTarget,
  a: AppFixture,
  routing: Routing,
  o: { rendered?: Rendered } = {},
): Promise<AppMetadata> {
  return oneAtATime(() => deployNow(t, a, routing, o));
}

/**
 * Deploys and deletes of this process run one at a time: each reads the edge's Gateways and places its listeners
 * (sharded: the first shard with room), which two at once could both count as free.
 */
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

async function deployNow(
  t: DeployTarget,
  a: AppFixture,
  routing: Routing,
  o: { rendered?: Rendered },
): Promise<AppMetadata> {
  const layout = t.layout ?? DEFAULT_LAYOUT;
  if (o.rendered && layout !== DEFAULT_LAYOUT)
    throw new SkyprobeError(`--renderer deploys in the ${DEFAULT_LAYOUT} layout only; this lab runs ${layout}`, {
      hint: `skyprobe.renderer/v1 has no layout: use a lab of the ${DEFAULT_LAYOUT} layout (skyprobe lab up --layout ${DEFAULT_LAYOUT})`,
    });
  // Another renderer's output (--renderer, checked against the contract by external-renderer.ts), or the built-in's.
  const rendered = o.rendered ?? (await renderOnEdge(t.k, a, routing, layout));
  const conflicts = claimConflicts(a, rendered, readMetadata(t.metadataDir));
  if (conflicts.length > 0) {
    const c = conflicts[0] as { host: string; owner: string };
    throw new SkyprobeError(`host ${c.host} is already claimed by app ${c.owner}; nothing was applied`, {
      hint: `remove it from this fixture, or delete ${c.owner} first (skyprobe deploy --delete)`,
    });
  }
  const existed = await existing(t.k, rendered.objects);
  await preflight(t.k, a, rendered, existed, layout);
  // Switching modes: remove what the other mode made (its routes and listeners), keep the workload.
  const previous = readMetadata(t.metadataDir).find((m) => m.org === a.org && m.app === a.app);
  const switching = previous && previous.routing !== routing ? previous.routing : undefined;
  const had = await allListenerNames(t.k);
  try {
    if (switching) await removeRoutes(t, a, switching);
    if (layout === 'listenerset') await allowListenerSets(t.k);
    await applyObjects(t.k.objects, rendered.objects);
    await addListeners(t.k, rendered);
  } catch (err) {
    const failed = /^failed to apply ([^:]+):/.exec((err as Error).message)?.[1] ?? listenersOf(err);
    await rollBack(t, a, rendered, existed, switching, had);
    throw refused(a, failed, err, 'what the deploy had applied was removed again');
  }
  // What the previous deploy applied and this one does not (another renderer's names, another mode's routes): gone.
  const now = new Set(rendered.objects.map(key));
  const listenerNames = rendered.listeners.map((l) => l.name);
  if (previous?.applied) {
    await deleteObjects(
      t.k.objects,
      previous.applied.objects.filter((o) => !now.has(key(o))),
    );
    await dropListeners(t.k, new Set(previous.applied.listeners.filter((n) => !listenerNames.includes(n))));
  }
  publishGenerated(t.dns.zonesDir, a.generatedHost, t.dns.lbIp, t.dns.nameserverIp);
  const meta: AppMetadata = {
    org: a.org,
    app: a.app,
    deployment: `${rendered.namespace}/${a.app}`,
    routing,
    layout,
    hosts: rendered.hosts,
    applied: {
      objects: rendered.objects.filter((o) => o.kind !== 'Namespace').map(refOf),
      listeners: listenerNames,
    },
    deployedAt: new Date().toISOString(),
  };
  mkdirSync(t.metadataDir, { recursive: true });
  writeFileSync(metadataFile(t.metadataDir, a), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

/** Undo a failed deploy: delete what it created, drop the listeners it added, restore a switched mode's routes. */
async function rollBack(
  t: DeployTarget,
  a: AppFixture,
  rendered: Rendered,
  existed: Map<string, string | undefined>,
  switching: Routing | undefined,
  had: Set<string>,
): Promise<void> {
  await deleteObjects(
    t.k.objects,
    rendered.objects.filter((o) => !existed.has(key(o))),
  );
  await dropListeners(t.k, new Set(rendered.listeners.map((l) => l.name).filter((n) => !had.has(n))));
  if (switching) {
    const before = await renderOnEdge(t.k, a, switching, t.layout);
    await applyObjects(
      t.k.objects,
      before.objects.filter((o) => routeKinds.has(o.kind ?? '')),
    );
    await addListeners(t.k, before);
  }
}

const routeKinds = new Set(['HTTPRoute', 'Ingress', 'Middleware', 'ListenerSet']);

/**
 * What an app's routes are in a mode, whatever layout they were deployed in: the objects of every layout (a
 * ListenerSet only in listenerset) and the listener names (the same in every layout).
 */
function everyLayout(a: AppFixture, routing: Routing): { objects: KubernetesObject[]; listeners: Set<string> } {
  const plain = render(a, routing);
  const sets = render(a, routing, { layout: 'listenerset' }).objects.filter((o) => o.kind === 'ListenerSet');
  return { objects: [...plain.objects, ...sets], listeners: new Set(plain.listeners.map((l) => l.name)) };
}

async function removeRoutes(t: DeployTarget, a: AppFixture, routing: Routing): Promise<void> {
  const r = everyLayout(a, routing);
  await deleteObjects(
    t.k.objects,
    r.objects.filter((o) => routeKinds.has(o.kind ?? '')),
  );
  await dropListeners(t.k, r.listeners);
}

/** Delete the app: its objects (not the org namespace, which other apps may share), listeners, DNS, metadata. */
export function deleteApp(t: DeployTarget, a: AppFixture, routing: Routing): Promise<void> {
  return oneAtATime(() => deleteNow(t, a, routing));
}

async function deleteNow(t: DeployTarget, a: AppFixture, routing: Routing): Promise<void> {
  const r = everyLayout(a, routing);
  // What the last deploy applied (any renderer's objects), then the built-in renderer's (older records).
  const applied = readMetadata(t.metadataDir).find((m) => m.org === a.org && m.app === a.app)?.applied;
  await deleteObjects(t.k.objects, [
    ...r.objects.filter((o) => o.kind !== 'Namespace'),
    ...((applied?.objects ?? []) as KubernetesObject[]),
  ]);
  await dropListeners(t.k, new Set([...r.listeners, ...(applied?.listeners ?? [])]));
  await deleteCertificateSecrets(t.k, certificateSecrets(a, (applied?.objects ?? []) as KubernetesObject[]));
  unpublishGenerated(t.dns.zonesDir, a.generatedHost, t.dns.nameserverIp);
  rmSync(metadataFile(t.metadataDir, a), { force: true });
}

/**
 * Where the app's hosts' certificates are stored, in every routing and layout (the built-in renderer's names), and
 * the Secrets named by the Ingresses another renderer applied.
 */
function certificateSecrets(a: AppFixture, applied: KubernetesObject[]): { namespace: string; name: string }[] {
  const builtIn = ROUTINGS.flatMap((m) => LAYOUTS.flatMap((layout) => render(a, m, { layout }).hosts)).map(
    (h) => h.tlsSecret,
  );
  const fromIngresses = applied
    .filter((o) => o.kind === 'Ingress')
    .flatMap((o) =>
      ((o as { spec?: { tls?: { secretName?: string }[] } }).spec?.tls ?? []).flatMap((tls) =>
        tls.secretName ? [{ namespace: o.metadata?.namespace ?? '', name: tls.secretName }] : [],
      ),
    );
  const seen = new Map([...builtIn, ...fromIngresses].map((x) => [`${x.namespace}/${x.name}`, x]));
  return [...seen.values()];
}

/**
 * cert-manager keeps a certificate's Secret when the Certificate goes (its default): an app deleted and deployed
 * again would be served the old certificate without any issuance, so a run on a kept lab would pass TLS on what an
 * earlier run left. Only Secrets cert-manager made (its certificate-name annotation) are deleted; others stay.
 */
async function deleteCertificateSecrets(k: Clients, secrets: { namespace: string; name: string }[]): Promise<void> {
  const limit = pLimit(8);
  const notFound = (err: unknown) => {
    if (apiStatus(err) !== 404) throw err;
    return undefined;
  };
  await Promise.all(
    secrets.map((s) =>
      limit(async () => {
        const ref = { apiVersion: 'v1', kind: 'Secret', metadata: s };
        const found = await k.objects.read(ref).catch(notFound);
        if (!found?.metadata?.annotations?.['cert-manager.io/certificate-name']) return;
        await k.objects.delete(ref).catch(notFound);
      }),
    ),
  );
}
