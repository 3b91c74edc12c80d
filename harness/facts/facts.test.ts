/**
 * The facts' own logic on hand-made cluster snapshots: who claims a host, which claim wins a conflict, what
 * counts as accepted, how the metadata adapter reads its inputs, and how a check's statuses become an exit code.
 * (Against real components: domains-check.lab.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { hostMatches } from './claimants.ts';
import type { ClusterView, Kind, Obj } from './cluster-view.ts';
import { type DomainReport, exitCodeOf, fact } from './fact.ts';
import { metadataFact, parseMetadata } from './metadata.ts';
import { routingFact } from './routing.ts';
import { type FactSources, parseHost, parseResolver, probesNetns } from './target.ts';

const obj = (
  kind: string,
  namespace: string,
  name: string,
  rest: Partial<Obj> = {},
  created = '2026-11-01T00:00:00Z',
): Obj => ({ kind, metadata: { name, namespace, creationTimestamp: created }, ...rest }) as Obj;
const accepted = {
  conditions: [
    { type: 'Accepted', status: 'True' },
    { type: 'ResolvedRefs', status: 'True' },
  ],
};
const gateway = obj('Gateway', 'edge', 'gw', {
  spec: { listeners: [{ name: 'http' }, { name: 'https-a' }] },
  status: { addresses: [{ value: '203.0.113.10' }] },
});
function route(
  namespace: string,
  name: string,
  hostnames: string[],
  section: string,
  opts: { created?: string; backend?: string; status?: object } = {},
): Obj {
  const parentRef = { name: 'gw', namespace: 'edge', sectionName: section };
  return obj(
    'HTTPRoute',
    namespace,
    name,
    {
      spec: {
        parentRefs: [parentRef],
        hostnames,
        rules: [{ backendRefs: [{ name: opts.backend ?? 'app', port: 80 }] }],
      },
      status: { parents: [{ parentRef, ...(opts.status ?? accepted) }] },
    },
    opts.created,
  );
}
const service = (ns: string) => obj('Service', ns, 'app', { spec: { selector: { app: 'a' } } });
const slice = (ns: string, ready: boolean[]) =>
  ({
    ...obj('EndpointSlice', ns, 'app-x', {}),
    metadata: { name: 'app-x', namespace: ns, labels: { 'kubernetes.io/service-name': 'app' } },
    endpoints: ready.map((r) => ({ conditions: { ready: r } })),
  }) as unknown as Obj;
const deployment = (ns: string) =>
  obj('Deployment', ns, 'a', {
    spec: { replicas: 2, template: { metadata: { labels: { app: 'a' } } } },
    status: { availableReplicas: 2 },
  });

function view(objects: Partial<Record<Kind, Obj[]>>): ClusterView {
  const all = [
    'HTTPRoute',
    'Gateway',
    'Ingress',
    'IngressClass',
    'Service',
    'EndpointSlice',
    'Deployment',
    'Certificate',
    'CertificateRequest',
    'Order',
    'Challenge',
  ] as Kind[];
  return {
    objects: Object.fromEntries(all.map((k) => [k, objects[k] ?? []])) as Record<Kind, Obj[]>,
    missing: [],
    errors: {},
    readAt: 'now',
  };
}
const healthy = (extra: Partial<Record<Kind, Obj[]>> = {}) =>
  view({
    Gateway: [gateway],
    Service: [service('org-a')],
    EndpointSlice: [slice('org-a', [true, true])],
    Deployment: [deployment('org-a')],
    HTTPRoute: [route('org-a', 'a', ['a.example.com'], 'https-a')],
    ...extra,
  });

describe('routing fact', () => {
  it('passes for an accepted route with ready endpoints, naming the route and the count', () => {
    const f = routingFact(healthy(), 'a.example.com');
    expect(f.status).toBe('pass');
    expect(f.summary).toBe('HTTPRoute org-a/a accepted; org-a/app: 2 ready endpoint(s)');
  });

  it("fails with the edge's reason when a parent does not accept the route", () => {
    const v = healthy({
      HTTPRoute: [
        route('org-a', 'a', ['a.example.com'], 'https-a', {
          status: { conditions: [{ type: 'Accepted', status: 'False', reason: 'NoMatchingParent' }] },
        }),
      ],
    });
    const f = routingFact(v, 'a.example.com');
    expect([f.status, f.summary]).toEqual([
      'fail',
      'HTTPRoute org-a/a on edge/gw/https-a: Accepted False (NoMatchingParent)',
    ]);
  });

  it('is pending while the edge has not reported on a route to an existing listener', () => {
    const v = healthy({
      HTTPRoute: [route('org-a', 'a', ['a.example.com'], 'https-a', { status: { conditions: [] } })],
    });
    expect(routingFact(v, 'a.example.com').status).toBe('pending');
  });

  it('counts not-ready endpoints apart and fails with none ready', () => {
    const f = routingFact(healthy({ EndpointSlice: [slice('org-a', [false, false])] }), 'a.example.com');
    expect([f.status, f.summary]).toEqual([
      'fail',
      'HTTPRoute org-a/a: Service org-a/app has no ready endpoints (2 not ready)',
    ]);
  });

  it('two routes on one listener are a conflict; the oldest wins, exact hostnames before wildcards', () => {
    const older = route('org-b', 'b', ['a.example.com'], 'https-a', { created: '2026-10-01T00:00:00Z' });
    const wildcard = route('org-c', 'c', ['*.example.com'], 'https-a', { created: '2026-09-01T00:00:00Z' });
    const f = routingFact(
      healthy({ HTTPRoute: [route('org-a', 'a', ['a.example.com'], 'https-a'), older, wildcard] }),
      'a.example.com',
    );
    expect(f.status).toBe('fail');
    expect(f.evidence.winner).toBe('HTTPRoute org-b/b');
    expect(f.summary).toContain('HTTPRoute org-b/b wins');
  });

  it("a redirect-only route on the HTTP listener is not a rival of the app's route on HTTPS", () => {
    const redirect = obj(
      'HTTPRoute',
      'org-a',
      'a-to-https',
      {
        spec: {
          parentRefs: [{ name: 'gw', namespace: 'edge', sectionName: 'http' }],
          hostnames: ['a.example.com'],
          rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }] }],
        },
        status: { parents: [{ parentRef: { name: 'gw', namespace: 'edge', sectionName: 'http' }, ...accepted }] },
      },
      '2026-01-01T00:00:00Z',
    );
    const f = routingFact(
      healthy({ HTTPRoute: [route('org-a', 'a', ['a.example.com'], 'https-a'), redirect] }),
      'a.example.com',
    );
    expect(f.status).toBe('pass');
    expect(f.evidence.winner).toBe('HTTPRoute org-a/a');
  });

  it("cert-manager's HTTP-01 solver route is not a rival claim while a challenge is in flight", () => {
    const solver = route('org-a', 'cm-acme-http-solver-x', ['a.example.com'], 'https-a', {
      backend: 'cm-acme-http-solver-x',
      created: '2026-01-01T00:00:00Z',
    });
    solver.metadata.labels = { 'acme.cert-manager.io/http01-solver': 'true' };
    const f = routingFact(
      healthy({ HTTPRoute: [route('org-a', 'a', ['a.example.com'], 'https-a'), solver] }),
      'a.example.com',
    );
    expect(f.status, f.summary).toBe('pass');
    expect(f.evidence.solvers).toEqual(['HTTPRoute org-a/cm-acme-http-solver-x']);
    const alone = routingFact(healthy({ HTTPRoute: [solver] }), 'a.example.com');
    expect(alone.summary).toBe(
      "no HTTPRoute or Ingress claims a.example.com (only cert-manager's HTTP-01 solver: HTTPRoute org-a/cm-acme-http-solver-x)",
    );
  });

  it('an Ingress whose class does not exist is served by nobody', () => {
    const ing = obj('Ingress', 'org-a', 'i', {
      spec: {
        ingressClassName: 'nginx',
        rules: [
          { host: 'a.example.com', http: { paths: [{ backend: { service: { name: 'app', port: { number: 80 } } } }] } },
        ],
      },
    });
    const f = routingFact(
      healthy({ HTTPRoute: [], Ingress: [ing], IngressClass: [obj('IngressClass', '', 'traefik')] }),
      'a.example.com',
    );
    expect([f.status, f.summary]).toEqual([
      'fail',
      'Ingress org-a/i: IngressClass "nginx" does not exist, so no controller serves it',
    ]);
  });

  it('a route the account may not list makes the fact unknown, not failed', () => {
    const v = healthy();
    v.errors.HTTPRoute = '403 forbidden';
    expect(routingFact(v, 'a.example.com').status).toBe('unknown');
  });

  it('wildcards match names below them only', () => {
    expect(hostMatches('*.example.com', 'a.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'a.b.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'example.com')).toBe(false);
    expect(hostMatches('*.example.com', 'aexample.com')).toBe(false);
  });
});

describe('metadata fact', () => {
  const records = (deployment: string) => ({ origin: 'test', records: [{ deployment, hosts: ['a.example.com'] }] });
  it('passes when the platform names the deployment the route sends the host to', () => {
    const v = healthy();
    const f = metadataFact(records('org-a/a'), 'a.example.com', v, routingFact(v, 'a.example.com').evidence);
    expect(f.status).toBe('pass');
  });
  it('fails, naming both, when the platform names another deployment', () => {
    const v = healthy({ Deployment: [deployment('org-a'), deployment('org-b')] });
    const f = metadataFact(records('org-b/a'), 'a.example.com', v, routingFact(v, 'a.example.com').evidence);
    expect([f.status, f.summary]).toEqual([
      'fail',
      'the platform says a.example.com belongs to org-b/a, but HTTPRoute org-a/a sends it to org-a/a',
    ]);
  });
  it('is unknown without a source, and fails when the platform has no record', () => {
    const v = healthy();
    const r = routingFact(v, 'a.example.com').evidence;
    expect(metadataFact(undefined, 'a.example.com', v, r).status).toBe('unknown');
    expect(metadataFact({ origin: 't', records: [] }, 'a.example.com', v, r).summary).toBe(
      'the platform has no record of a.example.com',
    );
  });
  it('reads a list, {apps}, or {domains}; rejects other shapes with one line', () => {
    expect(parseMetadata([{ deployment: 'n/d', hosts: ['x.io', { host: 'y.io' }] }], 'f')).toEqual([
      { deployment: 'n/d', hosts: ['x.io', 'y.io'] },
    ]);
    expect(parseMetadata({ domains: [{ host: 'x.io', deployment: 'n/d' }] }, 'f')).toEqual([
      { deployment: 'n/d', hosts: ['x.io'] },
    ]);
    expect(() => parseMetadata({ foo: 1 }, 'f.yaml')).toThrow(
      'metadata from f.yaml is not usable: expected a list of records, {apps: [...]} or {domains: [...]}',
    );
  });
});

describe('input and exit codes', () => {
  it('hostnames are checked as DNS names', () => {
    expect(parseHost('Shop.Example.com.')).toBe('shop.example.com');
    for (const bad of [
      'https://shop.example.com',
      'shop',
      'shop_.example.com',
      '-a.example.com',
      'a.example.com:443',
      '10.0.0.1',
    ])
      expect(() => parseHost(bad), bad).toThrow('is not a valid hostname');
  });
  it('resolvers are addresses with an optional port', () => {
    expect(parseResolver('127.0.0.1:5353')).toBe('127.0.0.1:5353');
    expect(parseResolver('[::1]:53')).toBe('[::1]:53');
    expect(() => parseResolver('dns.example.com')).toThrow('is not an IP address');
  });
  it("probes run in a site's internet namespace only for addresses inside its internet ranges", () => {
    const sources: FactSources = {
      metadataDir: '/lab/metadata',
      publicResolver: '198.51.100.53',
      trustRoot: '/lab/pebble-root.pem',
      netns: 'sky-ab12-internet',
      internetRanges: ['198.51.100.0/24', '203.0.113.0/24', 'fd00:db8::/64'],
    };
    expect(probesNetns(sources, ['198.51.100.53'])).toBe('sky-ab12-internet');
    expect(probesNetns(sources, ['1.1.1.1', '203.0.113.99'])).toBe('sky-ab12-internet');
    expect(probesNetns(sources, ['fd00:db8::1'])).toBe('sky-ab12-internet');
    expect(probesNetns(sources, ['1.1.1.1', '198.51.101.1', '203.0.114.1', 'fd00:db9::1'])).toBeUndefined();
    expect(probesNetns(sources, ['not-an-address'])).toBeUndefined();
    expect(probesNetns(undefined, ['198.51.100.53'])).toBeUndefined();
  });
  it('0 when all pass, 3 when something is pending, 1 when something failed or is unknown', () => {
    const host = (statuses: string[]): DomainReport => ({
      host: 'h',
      facts: {
        metadata: fact(statuses[0] as never, '', {}),
        routing: fact(statuses[1] as never, '', {}),
        dns: fact(statuses[2] as never, '', {}),
        tls: fact(statuses[3] as never, '', {}),
      },
      endpoint: fact((statuses[4] ?? 'pass') as never, '', {}),
      workload: { status: 'ready', summary: '' },
      durationMs: 0,
    });
    expect(exitCodeOf([host(['pass', 'pass', 'pass', 'pass'])])).toBe(0);
    expect(exitCodeOf([host(['pass', 'pass', 'pass', 'pending'])])).toBe(3);
    expect(exitCodeOf([host(['pass', 'pass', 'pass', 'pending']), host(['fail', 'pass', 'pass', 'pass'])])).toBe(1);
    expect(exitCodeOf([host(['pass', 'unknown', 'pass', 'pass'])])).toBe(1);
  });
});
