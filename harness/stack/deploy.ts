/**
 * Deploying an app as Satusky's backend does: render it, refuse a host another app already claims, apply the
 * objects, add its HTTPS listeners to the shared Gateway, let DNS automation publish the generated host, and
 * record the platform's metadata (the first of the four domain facts). Removal undoes each of these.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { SkyprobeError } from '../errors.ts';
import { applyObjects, deleteObjects } from '../k8s/apply.ts';
import { apiStatus, type Clients } from '../k8s/client.ts';
import type { AppFixture } from './app-fixture.ts';
import { EDGE_NAMESPACE, GATEWAY_NAME } from './edge-objects.ts';
import { publishGenerated, unpublishGenerated } from './public-dns.ts';
import { type GatewayListener, type Rendered, render } from './render.ts';
import type { Routing } from './routing.ts';

/** What the platform records for a deployed app: the metadata fact. */
export interface AppMetadata {
  org: string;
  app: string;
  deployment: string;
  routing: Routing;
  hosts: Rendered['hosts'];
  deployedAt: string;
}

export interface DeployTarget {
  k: Clients;
  /** Folder of the platform's metadata records. */
  metadataDir: string;
  /** Public DNS zone folder and addresses for Satusky's DNS automation. */
  dns: { zonesDir: string; nameserverIp: string; lbIp: string };
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

type GatewayObject = KubernetesObject & { spec: { listeners: (GatewayListener | { name: string })[] } };
export const gatewayRef = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: GATEWAY_NAME, namespace: EDGE_NAMESPACE },
};

/** Change the Gateway's listeners: drop those named in `drop`, add (or replace) `add` (read-modify-replace, retried on conflict). */
export async function editListeners(k: Clients, drop: Set<string>, add: GatewayListener[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const gw = (await k.objects.read(gatewayRef)) as GatewayObject;
    const names = new Set(add.map((l) => l.name));
    gw.spec.listeners = [...gw.spec.listeners.filter((l) => !drop.has(l.name) && !names.has(l.name)), ...add];
    try {
      await k.objects.replace(gw);
      return;
    } catch (err) {
      if (apiStatus(err) !== 409 || attempt > 5) throw err;
    }
  }
}

export async function deployApp(t: DeployTarget, a: AppFixture, routing: Routing): Promise<AppMetadata> {
  const rendered = render(a, routing);
  const conflicts = claimConflicts(a, rendered, readMetadata(t.metadataDir));
  if (conflicts.length > 0) {
    const c = conflicts[0] as { host: string; owner: string };
    throw new SkyprobeError(`host ${c.host} is already claimed by app ${c.owner}; nothing was applied`, {
      hint: `remove it from this fixture, or delete ${c.owner} first (skyprobe deploy --delete)`,
    });
  }
  // Switching modes: remove what the other mode made (its routes and listeners), keep the workload.
  const previous = readMetadata(t.metadataDir).find((m) => m.org === a.org && m.app === a.app);
  if (previous && previous.routing !== routing) await removeRoutes(t, a, previous.routing);
  await applyObjects(t.k.objects, rendered.objects);
  await editListeners(t.k, new Set(), rendered.listeners);
  publishGenerated(t.dns.zonesDir, a.generatedHost, t.dns.lbIp, t.dns.nameserverIp);
  const meta: AppMetadata = {
    org: a.org,
    app: a.app,
    deployment: `${rendered.namespace}/${a.app}`,
    routing,
    hosts: rendered.hosts,
    deployedAt: new Date().toISOString(),
  };
  mkdirSync(t.metadataDir, { recursive: true });
  writeFileSync(metadataFile(t.metadataDir, a), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

const routeKinds = new Set(['HTTPRoute', 'Ingress', 'Middleware']);

async function removeRoutes(t: DeployTarget, a: AppFixture, routing: Routing): Promise<void> {
  const r = render(a, routing);
  await deleteObjects(
    t.k.objects,
    r.objects.filter((o) => routeKinds.has(o.kind ?? '')),
  );
  await editListeners(t.k, new Set(r.listeners.map((l) => l.name)), []);
}

/** Delete the app: its objects (not the org namespace, which other apps may share), listeners, DNS, metadata. */
export async function deleteApp(t: DeployTarget, a: AppFixture, routing: Routing): Promise<void> {
  const r = render(a, routing);
  await deleteObjects(
    t.k.objects,
    r.objects.filter((o) => o.kind !== 'Namespace'),
  );
  await editListeners(t.k, new Set(r.listeners.map((l) => l.name)), []);
  unpublishGenerated(t.dns.zonesDir, a.generatedHost, t.dns.nameserverIp);
  rmSync(metadataFile(t.metadataDir, a), { force: true });
}
