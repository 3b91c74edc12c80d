/**
 * Who claims a hostname in the cluster: every HTTPRoute and Ingress whose hostnames match it (exactly or by
 * wildcard; a route without hostnames claims whatever its parent listener admits), each described by its
 * attachment (parents with their conditions, or the Ingress class and published address) and its backends
 * (Service present, ready endpoints, the Deployment behind it).
 */
import { type ClusterView, type Condition, type Obj, conditionsOf, ref } from './cluster-view.ts';

export interface ParentState {
  gateway: string;
  sectionName?: string;
  /** The Gateway and (if named) its listener exist. */
  exists: boolean;
  conditions: Condition[];
}

export interface BackendState {
  service: string;
  port?: number | string;
  exists: boolean;
  readyEndpoints: number;
  notReadyEndpoints: number;
  /** Deployments whose pods the Service selects. */
  deployments: string[];
}

export interface Claimant {
  kind: 'HTTPRoute' | 'Ingress';
  ref: string;
  createdAt: string;
  /** The hostname entry that matched: the host itself, a wildcard, or "" (no hostnames: every host of the listener). */
  matchedBy: string;
  parents: ParentState[];
  ingress?: { className?: string; classExists: boolean; addresses: string[] };
  backends: BackendState[];
  /** Where a redirect-only route sends the host. */
  redirect?: string;
  /** cert-manager's temporary HTTP-01 solver route (one path, while a challenge is in flight): not a rival claim. */
  solver?: boolean;
}

/** The label cert-manager puts on the routes and Ingresses of its HTTP-01 solvers. */
export const SOLVER_LABEL = 'acme.cert-manager.io/http01-solver';
const isSolver = (o: Obj) => o.metadata.labels?.[SOLVER_LABEL] === 'true';

/** RFC-style hostname match: `*.example.com` matches any name below example.com (Gateway API semantics). */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
}

const created = (o: Obj) => new Date(o.metadata.creationTimestamp ?? 0).toISOString();
const byRef = (list: Obj[], namespace: string, name: string) =>
  list.find((o) => o.metadata.namespace === namespace && o.metadata.name === name);

function backend(view: ClusterView, namespace: string, name: string, port?: number | string): BackendState {
  const svc = byRef(view.objects.Service, namespace, name);
  const slices = view.objects.EndpointSlice.filter(
    (s) => s.metadata.namespace === namespace && s.metadata.labels?.['kubernetes.io/service-name'] === name,
  );
  const endpoints = slices.flatMap(
    (s) => (s as unknown as { endpoints?: { conditions?: { ready?: boolean } }[] }).endpoints ?? [],
  );
  const ready = endpoints.filter((e) => e.conditions?.ready !== false).length;
  const selector = (svc?.spec?.selector ?? {}) as Record<string, string>;
  const selects = (labels: Record<string, string> = {}) =>
    Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
  const deployments = view.objects.Deployment.filter(
    (d) => d.metadata.namespace === namespace && selects(d.spec?.template?.metadata?.labels),
  ).map(ref);
  return {
    service: `${namespace}/${name}`,
    port,
    exists: !!svc,
    readyEndpoints: ready,
    notReadyEndpoints: endpoints.length - ready,
    deployments,
  };
}

function fromRoute(view: ClusterView, r: Obj, host: string): Claimant | undefined {
  const ns = r.metadata.namespace as string;
  const parentRefs = (r.spec?.parentRefs ?? []) as { name: string; namespace?: string; sectionName?: string }[];
  const parents: ParentState[] = parentRefs.map((p) => {
    const gw = byRef(view.objects.Gateway, p.namespace ?? ns, p.name);
    const listeners = (gw?.spec?.listeners ?? []) as { name: string; hostname?: string }[];
    const status = ((r.status?.parents ?? []) as { parentRef: typeof p; conditions?: Condition[] }[]).find(
      (s) =>
        s.parentRef.name === p.name &&
        (s.parentRef.namespace ?? ns) === (p.namespace ?? ns) &&
        s.parentRef.sectionName === p.sectionName,
    );
    return {
      gateway: `${p.namespace ?? ns}/${p.name}`,
      sectionName: p.sectionName,
      exists: !!gw && (!p.sectionName || listeners.some((l) => l.name === p.sectionName)),
      conditions: conditionsOf(status),
    };
  });
  const hostnames = (r.spec?.hostnames ?? []) as string[];
  let matchedBy = hostnames.find((h) => h === host) ?? hostnames.find((h) => hostMatches(h, host));
  if (matchedBy === undefined && hostnames.length === 0) {
    // No hostnames: the route takes every host its listeners admit.
    const admits = parentRefs.some((p) => {
      const gw = byRef(view.objects.Gateway, p.namespace ?? ns, p.name);
      const ls = ((gw?.spec?.listeners ?? []) as { name: string; hostname?: string }[]).filter(
        (l) => !p.sectionName || l.name === p.sectionName,
      );
      return ls.some((l) => !l.hostname || hostMatches(l.hostname, host));
    });
    if (admits) matchedBy = '';
  }
  if (matchedBy === undefined) return undefined;
  const rules = (r.spec?.rules ?? []) as {
    backendRefs?: { name: string; namespace?: string; kind?: string; port?: number }[];
    filters?: { type: string; requestRedirect?: { scheme?: string; hostname?: string } }[];
  }[];
  const backends = rules.flatMap((rule) =>
    (rule.backendRefs ?? [])
      .filter((b) => (b.kind ?? 'Service') === 'Service')
      .map((b) => backend(view, b.namespace ?? ns, b.name, b.port)),
  );
  const redirect = rules
    .flatMap((rule) => rule.filters ?? [])
    .find((f) => f.type === 'RequestRedirect')?.requestRedirect;
  const out: Claimant = { kind: 'HTTPRoute', ref: ref(r), createdAt: created(r), matchedBy, parents, backends };
  if (isSolver(r)) out.solver = true;
  if (redirect && backends.length === 0) out.redirect = `${redirect.scheme ?? ''}://${redirect.hostname ?? host}`;
  return out;
}

function fromIngress(view: ClusterView, i: Obj, host: string): Claimant | undefined {
  const ns = i.metadata.namespace as string;
  const rules = (i.spec?.rules ?? []) as {
    host?: string;
    http?: { paths?: { backend?: { service?: { name: string; port?: { number?: number; name?: string } } } }[] };
  }[];
  const matching = rules.filter((r) => r.host !== undefined && hostMatches(r.host, host));
  if (matching.length === 0) return undefined;
  const className =
    (i.spec?.ingressClassName as string | undefined) ?? i.metadata.annotations?.['kubernetes.io/ingress.class'];
  const classes = view.objects.IngressClass;
  const classExists = className
    ? classes.some((c) => c.metadata.name === className)
    : classes.some((c) => c.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true');
  const addresses = ((i.status?.loadBalancer?.ingress ?? []) as { ip?: string; hostname?: string }[])
    .map((a) => a.ip ?? a.hostname ?? '')
    .filter(Boolean);
  const backends = matching.flatMap((r) =>
    (r.http?.paths ?? [])
      .map((p) => p.backend?.service)
      .filter((s) => s !== undefined)
      .map((s) => backend(view, ns, s.name, s.port?.number ?? s.port?.name)),
  );
  const out: Claimant = {
    kind: 'Ingress',
    ref: ref(i),
    createdAt: created(i),
    matchedBy: matching[0]?.host as string,
    parents: [],
    ingress: { className, classExists, addresses },
    backends,
  };
  if (isSolver(i)) out.solver = true;
  return out;
}

export function claimantsOf(view: ClusterView, host: string): Claimant[] {
  return [
    ...view.objects.HTTPRoute.map((r) => fromRoute(view, r, host)),
    ...view.objects.Ingress.map((i) => fromIngress(view, i, host)),
  ].filter((c): c is Claimant => c !== undefined);
}

/** The addresses the edge publishes: Gateway status addresses and Ingress load-balancer addresses. */
export function edgeAddresses(view: ClusterView, claimants: Claimant[]): { addresses: string[]; from: string[] } {
  const gateways = new Set(claimants.flatMap((c) => c.parents.map((p) => p.gateway)));
  const ingresses = claimants.filter((c) => c.kind === 'Ingress');
  const useAll = gateways.size === 0 && ingresses.length === 0;
  const from: string[] = [];
  const addresses = new Set<string>();
  for (const g of view.objects.Gateway.filter((g) => useAll || gateways.has(ref(g)))) {
    for (const a of (g.status?.addresses ?? []) as { value: string }[]) addresses.add(a.value);
    from.push(`Gateway ${ref(g)}`);
  }
  for (const i of useAll ? view.objects.Ingress : [])
    for (const a of (i.status?.loadBalancer?.ingress ?? []) as { ip?: string }[]) if (a.ip) addresses.add(a.ip);
  for (const c of ingresses) for (const a of c.ingress?.addresses ?? []) addresses.add(a);
  if (useAll) from.push('every Ingress');
  for (const c of ingresses) from.push(`Ingress ${c.ref}`);
  return { addresses: [...addresses], from };
}
