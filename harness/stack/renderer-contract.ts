/**
 * The renderer contract, `skyprobe.renderer/v1` (docs/renderer-contract.md): what Satusky's backend is to skyprobe.
 * A renderer reads one app on stdin (RendererInput, JSON) and prints what the platform would create for it: the
 * Kubernetes objects, the listeners it adds to the shared Gateway, and the DNS records the platform's automation
 * publishes in Satusky's own zone, as a YAML stream or a JSON list (or {items: [...]}). The built-in renderer
 * (render.ts) is the reference (`skyprobe render FILE`); `--renderer CMD` runs another one, whose output is checked
 * here before anything is applied: it must parse, hold only known kinds, keep every object in the app's org
 * namespace, and touch nothing shared but the documented Gateway listeners.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { SkyprobeError } from '../errors.ts';
import { type AppFixture, appHosts } from './app-fixture.ts';
import { EDGE_NAMESPACE, GATEWAY_NAME } from './edge-objects.ts';
import { SATUSKY_ZONE } from './public-dns.ts';
import { type GatewayListener, type Rendered, type RenderedHost, orgNamespace } from './render.ts';
import type { Routing } from './routing.ts';

export const RENDERER_SCHEMA = 'skyprobe.renderer/v1';
/** The contract's own kinds (not Kubernetes objects): a listener of the shared Gateway, a DNS record. */
export const CONTRACT_API = 'renderer.skyprobe.dev/v1';

export interface RendererInput {
  schema: typeof RENDERER_SCHEMA;
  routing: Routing;
  app: AppFixture & { namespace: string };
}

/** One item of a renderer's output. */
export type RendererItem = KubernetesObject & { spec?: Record<string, unknown> };

/** Kubernetes kinds a renderer may create, all in the app's org namespace (the Namespace itself: that one only). */
export const ALLOWED_KINDS: Record<string, string[]> = {
  v1: ['Namespace', 'Service', 'ConfigMap'],
  'apps/v1': ['Deployment'],
  'networking.k8s.io/v1': ['Ingress'],
  'gateway.networking.k8s.io/v1': ['HTTPRoute'],
  'traefik.io/v1alpha1': ['Middleware'],
  'cert-manager.io/v1': ['Certificate'],
  [CONTRACT_API]: ['GatewayListener', 'DNSRecord', 'AppRecord'],
};
/** Why some kinds are refused outright (the rest: not in ALLOWED_KINDS). */
const FORBIDDEN: Record<string, string> = {
  Secret: 'a renderer never ships Secrets (keys come from cert-manager)',
  Gateway: "the edge's Gateway is shared: add listeners with kind GatewayListener instead",
  GatewayClass: "the edge's classes are shared",
  IngressClass: "the edge's classes are shared",
  ClusterIssuer: "the platform's issuers are shared",
  Issuer: "the platform's issuers are shared",
};

export function rendererInput(a: AppFixture, routing: Routing): RendererInput {
  return { schema: RENDERER_SCHEMA, routing, app: { ...a, namespace: orgNamespace(a.org) } };
}

/**
 * The spec of an AppRecord: the platform's record of the app (the metadata fact), as the renderer sees it. Optional
 * for `--renderer` (deploy writes its own record); what the automation writes when the output is applied as it is.
 */
export interface AppRecordSpec {
  org: string;
  app: string;
  routing: Routing;
  hosts: RenderedHost[];
}

/**
 * The built-in renderer's output under the contract (what `skyprobe render` prints): the objects, then its
 * listeners, its DNS record and its AppRecord, each in the org namespace (they are namespaced CRDs in the lab,
 * contract-crds.ts, so that the output can be given to `kubectl apply` as it is).
 */
export function contractItems(r: Rendered, a: AppFixture, routing: Routing): RendererItem[] {
  const meta = (name: string) => ({ name, namespace: r.namespace });
  const record: AppRecordSpec = { org: a.org, app: a.app, routing, hosts: r.hosts };
  return [
    ...r.objects,
    ...r.listeners.map((l) => ({
      apiVersion: CONTRACT_API,
      kind: 'GatewayListener',
      metadata: meta(l.name),
      spec: { ...l },
    })),
    {
      apiVersion: CONTRACT_API,
      kind: 'DNSRecord',
      metadata: meta(a.generatedHost),
      spec: { name: a.generatedHost, type: 'A', pointsTo: 'edge' },
    },
    { apiVersion: CONTRACT_API, kind: 'AppRecord', metadata: meta(a.app), spec: { ...record } },
  ] as RendererItem[];
}

/** A renderer's stdout as items: a JSON list, a JSON object with `items`, or a YAML stream. */
export function parseRendererOutput(text: string, app: string): RendererItem[] {
  const bad = (why: string) =>
    new SkyprobeError(`renderer output for app ${app} is not usable: ${why}`, {
      hint: 'print a YAML stream or a JSON list of objects (docs/renderer-contract.md)',
      exitCode: 2,
    });
  const t = text.trim();
  if (t === '') throw bad('it printed nothing');
  let items: unknown;
  if (t.startsWith('[') || t.startsWith('{')) {
    try {
      const doc = JSON.parse(t) as unknown;
      items = Array.isArray(doc) ? doc : (doc as { items?: unknown }).items;
    } catch (err) {
      throw bad(`invalid JSON (${(err as Error).message.split('\n')[0]})`);
    }
  } else {
    const docs = parseAllDocuments(t);
    const broken = docs.find((d) => d.errors.length > 0);
    if (broken) throw bad(`invalid YAML (${broken.errors[0]?.message.split('\n')[0]})`);
    items = docs.map((d) => d.toJS() as unknown).filter((x) => x !== null);
  }
  if (!Array.isArray(items)) throw bad('expected a list of objects');
  return items.map((x, i) => {
    const o = x as RendererItem;
    if (
      !o ||
      typeof o !== 'object' ||
      typeof o.kind !== 'string' ||
      typeof o.apiVersion !== 'string' ||
      !o.metadata?.name
    )
      throw bad(`item ${i} has no apiVersion, kind or metadata.name`);
    return o;
  });
}

const named = (o: RendererItem) =>
  `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/**
 * Check a renderer's items against the contract and make them what deploy applies. Refused: an unknown kind, a
 * forbidden one, an object outside the app's org namespace, a listener or record for a host that is not the app's.
 */
export function validateRendered(a: AppFixture, items: RendererItem[]): Rendered {
  const ns = orgNamespace(a.org);
  const hosts = new Set(appHosts(a).map((h) => h.host));
  const refuse = (o: RendererItem, why: string) =>
    new SkyprobeError(`renderer output for app ${a.org}/${a.app}: ${named(o)}: ${why}; nothing was applied`, {
      hint: 'fix the renderer (docs/renderer-contract.md says what it may create)',
      exitCode: 2,
    });
  const objects: KubernetesObject[] = [];
  const listeners: GatewayListener[] = [];
  for (const o of items) {
    const kind = o.kind as string;
    if (FORBIDDEN[kind]) throw refuse(o, FORBIDDEN[kind] as string);
    if (!(ALLOWED_KINDS[o.apiVersion as string] ?? []).includes(kind))
      throw refuse(o, `${o.apiVersion} ${kind} is not a kind a renderer may create`);
    if (o.apiVersion === CONTRACT_API && o.metadata?.namespace !== undefined && o.metadata.namespace !== ns)
      throw refuse(o, `outside the app's org namespace ${ns}`);
    if (kind === 'AppRecord') {
      const r = o.spec as Partial<AppRecordSpec> | undefined;
      if (o.metadata?.name !== a.app || r?.org !== a.org || r.app !== a.app)
        throw refuse(o, `an AppRecord is the app's own: name ${a.app}, spec.org ${a.org}, spec.app ${a.app}`);
      const other = (r.hosts ?? []).find((h) => !hosts.has(h?.host));
      if (other) throw refuse(o, `it records ${other.host}, which is not a host of this app`);
      // deploy writes the platform's record itself; the AppRecord is for the output applied as it is.
      continue;
    }
    if (kind === 'GatewayListener') {
      const l = o.spec as unknown as GatewayListener;
      if (!l || l.name !== o.metadata?.name) throw refuse(o, 'spec.name must be the listener name (metadata.name)');
      if (!hosts.has(l.hostname))
        throw refuse(o, `listener for ${l.hostname ?? 'no hostname'}, which is not a host of this app`);
      listeners.push(l);
      continue;
    }
    if (kind === 'DNSRecord') {
      const r = o.spec as { name?: string; type?: string; pointsTo?: string; value?: string } | undefined;
      if (!r?.name || !(r.name === SATUSKY_ZONE || r.name.endsWith(`.${SATUSKY_ZONE}`)))
        throw refuse(o, `the platform publishes records in ${SATUSKY_ZONE} only`);
      if (r.type !== 'A' || r.pointsTo !== 'edge')
        throw refuse(o, 'a record is `type: A, pointsTo: edge` (the load balancer)');
      if (r.name !== a.generatedHost) throw refuse(o, `${r.name} is not this app's generated host ${a.generatedHost}`);
      continue;
    }
    if (kind === 'Namespace') {
      if (o.metadata?.name !== ns) throw refuse(o, `the only namespace a renderer may create is the org's, ${ns}`);
    } else if (o.metadata?.namespace !== ns) throw refuse(o, `outside the app's org namespace ${ns}`);
    objects.push(o);
  }
  // v1 has one Gateway: every listener goes on it.
  const gatewayOf = Object.fromEntries(listeners.map((l) => [l.name, GATEWAY_NAME]));
  return { namespace: ns, objects, listeners, gatewayOf, hosts: hostsOf(a, objects, listeners) };
}

/** Where each host of the app ended up, found by hostname (the routes and Ingresses that claim it). */
function hostsOf(a: AppFixture, objects: KubernetesObject[], listeners: GatewayListener[]): RenderedHost[] {
  const spec = (o: KubernetesObject) => (o as { spec?: Record<string, any> }).spec ?? {};
  return appHosts(a).map(({ host, kind }) => {
    const route =
      objects.find((o) => o.kind === 'HTTPRoute' && ((spec(o).hostnames ?? []) as string[]).includes(host)) ??
      objects.find(
        (o) => o.kind === 'Ingress' && ((spec(o).rules ?? []) as { host?: string }[]).some((r) => r.host === host),
      );
    const ingressTls =
      route?.kind === 'Ingress'
        ? ((spec(route).tls ?? []) as { hosts?: string[]; secretName?: string }[]).find((t) => t.hosts?.includes(host))
        : undefined;
    const listener = listeners.find((l) => l.hostname === host);
    const ref = listener?.tls.certificateRefs[0];
    return {
      host,
      kind,
      route: {
        kind: (route?.kind ?? 'HTTPRoute') as 'HTTPRoute' | 'Ingress',
        namespace: route?.metadata?.namespace ?? orgNamespace(a.org),
        name: route?.metadata?.name ?? '',
      },
      tlsSecret: ingressTls?.secretName
        ? { namespace: orgNamespace(a.org), name: ingressTls.secretName }
        : { namespace: ref?.namespace ?? EDGE_NAMESPACE, name: ref?.name ?? '' },
    };
  });
}
