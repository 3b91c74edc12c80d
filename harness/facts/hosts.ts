/**
 * Which hosts `domains check` looks at: the hostnames given, or (--all) every host that an HTTPRoute or Ingress
 * claims or that the platform's records list, deduplicated and sorted; `--namespace NS` narrows to the routes and
 * Ingresses in NS and the records of NS's deployments. A claim that names no single host (a wildcard such as
 * `*.example.com`, a route without hostnames on a listener without one, an Ingress rule without a host) cannot be
 * resolved or connected to: it is not checked, and is listed as such with who claims it. cert-manager's HTTP-01
 * solver routes are no claims (routing.ts): their hosts come from the app's own routes.
 */
import { SkyprobeError } from '../errors.ts';
import { type Clients, apiStatus } from '../k8s/client.ts';
import { bounded } from '../converge.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { isHostname } from '../stack/app-fixture.ts';
import { SOLVER_LABEL } from './claimants.ts';
import { type ClusterView, type Obj, ref } from './cluster-view.ts';
import type { NotChecked } from './fact.ts';
import type { PlatformRecord } from './metadata.ts';

/** Every routed host, optionally of one namespace. */
export interface AllHosts {
  all: true;
  namespace?: string;
}

export interface RoutedHosts {
  hosts: string[];
  notChecked: NotChecked[];
}

const USAGE = 'skyprobe domains check HOST... | skyprobe domains check --all [--namespace NS]';
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The hosts to check from the command line: hostnames, or --all (optionally narrowed); any other mix is bad input. */
export function hostSelection(
  hosts: string[],
  o: { all?: boolean; namespace?: string },
  parseHost: (h: string) => string,
): string[] | AllHosts {
  if (o.all && hosts.length > 0)
    throw new SkyprobeError(`give hostnames or --all, not both (got --all and ${hosts.join(' ')})`, { hint: USAGE });
  if (o.namespace !== undefined && !o.all)
    throw new SkyprobeError('--namespace narrows --all; it does not apply to hostnames given by name', {
      hint: USAGE,
    });
  if (o.namespace !== undefined && !LABEL.test(o.namespace))
    throw new SkyprobeError(`--namespace "${o.namespace}" is not a valid namespace name`, {
      hint: 'a namespace name is a DNS label: lower-case letters, digits and hyphens, at most 63 characters',
    });
  if (o.all) return o.namespace === undefined ? { all: true } : { all: true, namespace: o.namespace };
  if (hosts.length === 0) throw new SkyprobeError('no hostnames given', { hint: USAGE });
  return hosts.map(parseHost);
}

/** The namespace exists (asked of the API, bounded to 5 s); otherwise one line and exit 2. */
export async function mustHaveNamespace(
  k: Clients,
  namespace: string,
  timeoutMs: number = TIMEOUTS.apiReachable,
): Promise<void> {
  try {
    await bounded(
      `the Kubernetes API (get namespace ${namespace})`,
      k.core.readNamespace({ name: namespace }),
      timeoutMs,
    );
  } catch (err) {
    if (err instanceof SkyprobeError) throw err;
    const status = apiStatus(err);
    if (status === 404)
      throw new SkyprobeError(`namespace "${namespace}" does not exist in the cluster`, {
        hint: 'check --namespace (kubectl get namespaces), or leave it out to check every routed host',
      });
    throw new SkyprobeError(
      `cannot tell whether namespace "${namespace}" exists: ${typeof status === 'number' ? `HTTP ${status}` : (err as Error).message.split('\n')[0]}`,
      { hint: 'the account needs get on namespaces for --namespace; or leave --namespace out' },
    );
  }
}

/** A claimed name: a host to check, or why it is not one. */
function classify(name: string): { host: string } | { why: NotChecked['why'] } {
  const n = name.trim().toLowerCase().replace(/\.$/, '');
  if (n.startsWith('*.')) return { why: 'wildcard' };
  return isHostname(n) ? { host: n } : { why: 'not a hostname' };
}

type Listener = { name: string; hostname?: string };

/** The names an HTTPRoute claims: its hostnames, or (none) the hostnames of the listeners it attaches to. */
function routeNames(view: ClusterView, r: Obj): string[] {
  const hostnames = (r.spec?.hostnames ?? []) as string[];
  if (hostnames.length > 0) return hostnames;
  const ns = r.metadata.namespace as string;
  const parentRefs = (r.spec?.parentRefs ?? []) as { name: string; namespace?: string; sectionName?: string }[];
  return parentRefs.flatMap((p) => {
    const gw = view.objects.Gateway.find(
      (g) => g.metadata.namespace === (p.namespace ?? ns) && g.metadata.name === p.name,
    );
    return ((gw?.spec?.listeners ?? []) as Listener[])
      .filter((l) => !p.sectionName || l.name === p.sectionName)
      .map((l) => l.hostname ?? '*');
  });
}

/** Every host that routes, Ingresses or the platform's records name (of `namespace`, if given), sorted. */
export function routedHosts(view: ClusterView, records: PlatformRecord[] = [], namespace?: string): RoutedHosts {
  const inScope = (o: Obj) => namespace === undefined || o.metadata.namespace === namespace;
  const claims: { name: string; by: string }[] = [];
  for (const r of view.objects.HTTPRoute.filter(inScope))
    if (r.metadata.labels?.[SOLVER_LABEL] !== 'true')
      for (const name of routeNames(view, r)) claims.push({ name, by: `HTTPRoute ${ref(r)}` });
  for (const i of view.objects.Ingress.filter(inScope))
    if (i.metadata.labels?.[SOLVER_LABEL] !== 'true')
      for (const rule of (i.spec?.rules ?? []) as { host?: string }[])
        claims.push({ name: rule.host ?? '*', by: `Ingress ${ref(i)}` });
  for (const rec of records)
    if (namespace === undefined || rec.deployment.split('/')[0] === namespace)
      for (const name of rec.hosts) claims.push({ name, by: `the platform's record of ${rec.deployment}` });

  const hosts = new Set<string>();
  const skipped = new Map<string, NotChecked>();
  for (const { name, by } of claims) {
    const c = name === '*' ? ({ why: 'every host' } as const) : classify(name);
    if ('host' in c) {
      hosts.add(c.host);
      continue;
    }
    const entry = skipped.get(name) ?? { name, why: c.why, claimedBy: [] };
    if (!entry.claimedBy.includes(by)) entry.claimedBy.push(by);
    skipped.set(name, entry);
  }
  return {
    hosts: [...hosts].sort(),
    notChecked: [...skipped.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };
}
