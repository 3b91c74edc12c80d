/**
 * `domains check --all` without a lab: which hosts are enumerated from hand-made cluster views (and narrowed to a
 * namespace), which flag combinations are bad input, how the summary counts, that no more hosts than the limit
 * are in flight, and what the terminal shows. (On a real lab: domains-all.lab.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { Clients } from '../k8s/client.ts';
import type { ClusterView, Kind, Obj } from './cluster-view.ts';
import { eachHost, parseConcurrency } from './each-host.ts';
import { type DomainReport, type FactStatus, JUDGED, fact } from './fact.ts';
import { hostSelection, mustHaveNamespace, routedHosts } from './hosts.ts';
import { progressLine } from './progress-line.ts';
import { renderSummary } from './render-summary.ts';
import { summarize } from './summary.ts';
import { parseHost } from './target.ts';

const obj = (kind: string, namespace: string, name: string, rest: Partial<Obj> = {}): Obj =>
  ({ kind, metadata: { name, namespace }, ...rest }) as Obj;
const route = (ns: string, name: string, hostnames: string[] | undefined, sectionName = 'http', labels = {}) =>
  obj('HTTPRoute', ns, name, {
    metadata: { name, namespace: ns, labels },
    spec: { parentRefs: [{ name: 'gw', namespace: 'edge', sectionName }], ...(hostnames ? { hostnames } : {}) },
  });
const ingress = (ns: string, name: string, hosts: (string | undefined)[]) =>
  obj('Ingress', ns, name, { spec: { rules: hosts.map((host) => (host ? { host } : {})) } });
const gateway = obj('Gateway', 'edge', 'gw', {
  spec: { listeners: [{ name: 'http' }, { name: 'https-only-b', hostname: 'only.b.example' }] },
});

function viewOf(objects: Partial<Record<Kind, Obj[]>>): ClusterView {
  const kinds: Kind[] = ['HTTPRoute', 'Gateway', 'Ingress', 'IngressClass', 'Service', 'EndpointSlice'];
  const all = [...kinds, 'Deployment', 'Certificate', 'CertificateRequest', 'Order', 'Challenge'] as Kind[];
  return {
    objects: Object.fromEntries(all.map((k) => [k, objects[k] ?? []])) as Record<Kind, Obj[]>,
    missing: [],
    errors: {},
    readAt: 'now',
  };
}

const cluster = viewOf({
  Gateway: [gateway],
  HTTPRoute: [
    route('org-a', 'a', ['a.example.com', 'www.a.example.com']),
    route('org-a', 'a-https', ['A.example.com.'], 'https-a'),
    route('org-b', 'b', undefined, 'https-only-b'),
    route('org-b', 'wild', ['*.b.example']),
    route('org-b', 'solver', ['pending.b.example'], 'http', { 'acme.cert-manager.io/http01-solver': 'true' }),
    route('org-c', 'catch-all', undefined, 'http'),
  ],
  Ingress: [ingress('org-c', 'legacy', ['c.example.com', 'a.example.com', undefined])],
});
const records = [
  { deployment: 'org-a/a', hosts: ['a-acme.satusky.com', 'a.example.com'] },
  { deployment: 'org-d/d', hosts: ['d.example.com'] },
];

describe('--all: which hosts', () => {
  it('every host any route, Ingress or record names: deduplicated (case, trailing dot), sorted', () => {
    expect(routedHosts(cluster, records).hosts).toEqual([
      'a-acme.satusky.com',
      'a.example.com',
      'c.example.com',
      'd.example.com',
      'only.b.example',
      'www.a.example.com',
    ]);
  });

  it("a route without hostnames claims its listener's hostname; cert-manager's solver routes are no claims", () => {
    const hosts = routedHosts(cluster).hosts;
    expect(hosts).toContain('only.b.example');
    expect(hosts).not.toContain('pending.b.example');
  });

  it('wildcards and catch-alls are not checked, and are listed with who claims them', () => {
    expect(routedHosts(cluster).notChecked).toEqual([
      { name: '*', why: 'every host', claimedBy: ['HTTPRoute org-c/catch-all', 'Ingress org-c/legacy'] },
      { name: '*.b.example', why: 'wildcard', claimedBy: ['HTTPRoute org-b/wild'] },
    ]);
  });

  it('--namespace narrows to its routes and Ingresses and the records of its deployments', () => {
    expect(routedHosts(cluster, records, 'org-a').hosts).toEqual([
      'a-acme.satusky.com',
      'a.example.com',
      'www.a.example.com',
    ]);
    expect(routedHosts(cluster, records, 'org-c')).toEqual({
      hosts: ['a.example.com', 'c.example.com'],
      notChecked: [{ name: '*', why: 'every host', claimedBy: ['HTTPRoute org-c/catch-all', 'Ingress org-c/legacy'] }],
    });
    expect(routedHosts(cluster, records, 'org-d').hosts).toEqual(['d.example.com']);
    expect(routedHosts(cluster, records, 'org-z')).toEqual({ hosts: [], notChecked: [] });
  });

  it('a record naming something that is not a hostname is listed as not checked', () => {
    const r = routedHosts(viewOf({}), [{ deployment: 'org-a/a', hosts: ['bad_name.example', 'ok.example'] }]);
    expect(r).toEqual({
      hosts: ['ok.example'],
      notChecked: [
        { name: 'bad_name.example', why: 'not a hostname', claimedBy: ["the platform's record of org-a/a"] },
      ],
    });
  });
});

describe('--all: bad input is one line (exit 2) before anything is read', () => {
  const select = (hosts: string[], o: { all?: boolean; namespace?: string }) => hostSelection(hosts, o, parseHost);
  it('hostnames, or --all (optionally with --namespace)', () => {
    expect(select(['Shop.Example.com'], {})).toEqual(['shop.example.com']);
    expect(select([], { all: true })).toEqual({ all: true });
    expect(select([], { all: true, namespace: 'org-acme' })).toEqual({ all: true, namespace: 'org-acme' });
  });
  it('both, neither, --namespace without --all, a namespace name that cannot exist', () => {
    const bad = (hosts: string[], o: { all?: boolean; namespace?: string }, message: string) => {
      let err: unknown;
      try {
        select(hosts, o);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ message, exitCode: 2 });
      expect((err as { hint?: string }).hint).toBeTruthy();
    };
    bad(['a.example.com'], { all: true }, 'give hostnames or --all, not both (got --all and a.example.com)');
    bad([], {}, 'no hostnames given');
    bad(
      ['a.example.com'],
      { namespace: 'org-a' },
      '--namespace narrows --all; it does not apply to hostnames given by name',
    );
    bad([], { all: true, namespace: 'Org_A' }, '--namespace "Org_A" is not a valid namespace name');
  });
  it('a namespace the API does not know (404), and one it will not say (403)', async () => {
    const k = (answer: () => Promise<unknown>) => ({ core: { readNamespace: answer } }) as unknown as Clients;
    await expect(
      mustHaveNamespace(
        k(async () => ({})),
        'org-a',
      ),
    ).resolves.toBeUndefined();
    await expect(
      mustHaveNamespace(
        k(() => Promise.reject({ code: 404 })),
        'org-x',
      ),
    ).rejects.toMatchObject({
      message: 'namespace "org-x" does not exist in the cluster',
      exitCode: 2,
    });
    await expect(
      mustHaveNamespace(
        k(() => Promise.reject({ code: 403 })),
        'org-x',
      ),
    ).rejects.toMatchObject({
      message: 'cannot tell whether namespace "org-x" exists: HTTP 403',
    });
    const t0 = Date.now();
    await expect(
      mustHaveNamespace(
        k(() => new Promise(() => {})),
        'org-x',
        200,
      ),
    ).rejects.toMatchObject({
      message: 'the Kubernetes API (get namespace org-x) did not answer within 200 ms',
    });
    expect(Date.now() - t0).toBeLessThan(1_000);
  });
  it('--concurrency is a whole number from 1 to 256', () => {
    expect(parseConcurrency('8')).toBe(8);
    for (const bad of ['0', '-1', '2.5', 'many', '257', ''])
      expect(() => parseConcurrency(bad), bad).toThrow('is not a whole number from 1 to 256');
  });
});

const hostWith = (name: string, statuses: FactStatus[], workload: 'ready' | 'not ready' = 'ready'): DomainReport => ({
  host: name,
  facts: {
    metadata: fact(statuses[0] as FactStatus, '', {}),
    routing: fact(statuses[1] as FactStatus, '', {}),
    dns: fact(statuses[2] as FactStatus, '', {}),
    tls: fact(statuses[3] as FactStatus, '', {}),
  },
  endpoint: fact(statuses[4] ?? 'pass', '', {}),
  workload: { status: workload, summary: '' },
  durationMs: 0,
});

describe('the summary', () => {
  const hosts = [
    hostWith('a.example', ['pass', 'pass', 'pass', 'pass']),
    hostWith('b.example', ['pass', 'fail', 'pass', 'unknown'], 'not ready'),
    hostWith('c.example', ['pass', 'pass', 'pass', 'pending']),
    hostWith('d.example', ['fail', 'pass', 'pending', 'fail', 'fail']),
  ];
  it('counts each judged element by status, and lists the hosts that failed or are pending', () => {
    const s = summarize(hosts);
    expect(s.hosts).toBe(4);
    expect(s.counts).toEqual({
      metadata: { pass: 3, fail: 1, pending: 0, unknown: 0 },
      routing: { pass: 3, fail: 1, pending: 0, unknown: 0 },
      dns: { pass: 3, fail: 0, pending: 1, unknown: 0 },
      tls: { pass: 1, fail: 1, pending: 1, unknown: 1 },
      endpoint: { pass: 3, fail: 1, pending: 0, unknown: 0 },
    });
    expect(s.workload).toEqual({ ready: 3, 'not ready': 1, unknown: 0 });
    expect(s.failed).toEqual([
      { host: 'b.example', elements: ['routing', 'tls'] },
      { host: 'd.example', elements: ['metadata', 'tls', 'endpoint'] },
    ]);
    expect(s.pending).toEqual([{ host: 'c.example', elements: ['tls'] }]);
    for (const c of Object.values(s.counts)) expect(Object.values(c).reduce((a, b) => a + b)).toBe(hosts.length);
  });
  it('counts whatever elements a result has: an element added to the judged list is counted, an absent one skipped', () => {
    const withEndpoint = [
      ...JUDGED.filter((e) => e.name !== 'endpoint'),
      { name: 'endpoint', status: (h: Pick<DomainReport, 'host'>) => (h.host === 'b.example' ? 'fail' : undefined) },
    ] as typeof JUDGED;
    const s = summarize(hosts.slice(0, 2), [], withEndpoint);
    expect(s.counts.endpoint).toEqual({ pass: 0, fail: 1, pending: 0, unknown: 0 });
    expect(s.failed).toEqual([{ host: 'b.example', elements: ['routing', 'tls', 'endpoint'] }]);
  });
  it('reads as a line per element, then the hosts that did not pass and the names not checked', () => {
    const notChecked = [{ name: '*.b.example', why: 'wildcard' as const, claimedBy: ['HTTPRoute org-b/wild'] }];
    expect(renderSummary(summarize(hosts, notChecked))).toBe(
      [
        'summary: 4 host(s)',
        '  metadata: 3 pass, 1 fail',
        '  routing:  3 pass, 1 fail',
        '  dns:      3 pass, 1 pending',
        '  tls:      1 pass, 1 fail, 1 pending, 1 unknown',
        '  endpoint: 3 pass, 1 fail',
        '  workload: 3 ready, 1 not ready',
        'failed (2):',
        '  b.example  routing, tls',
        '  d.example  metadata, tls, endpoint',
        'pending (1):',
        '  c.example  tls',
        'not checked (1; they name no single host: check a name they cover by name):',
        '  *.b.example  wildcard, claimed by HTTPRoute org-b/wild',
        '',
      ].join('\n'),
    );
  });
});

describe('bounded concurrency', () => {
  it('never has more hosts in flight than the limit, keeps the order, and reports each host done', async () => {
    const hosts = Array.from({ length: 40 }, (_, i) => `h${i}.example`);
    let inFlight = 0;
    let max = 0;
    const progress: number[] = [];
    const out = await eachHost(
      hosts,
      { concurrency: 6, onProgress: (done, total) => progress.push(done) && expect(total).toBe(40) },
      async (h) => {
        max = Math.max(max, ++inFlight);
        await new Promise((r) => setTimeout(r, 1 + (h.length % 5)));
        inFlight--;
        return h.toUpperCase();
      },
    );
    expect(max).toBe(6);
    expect(out).toEqual(hosts.map((h) => h.toUpperCase()));
    expect(progress).toEqual(Array.from({ length: 41 }, (_, i) => i));
  });
});

describe('the progress line', () => {
  it('rewrites one line in place and erases it at the end', () => {
    let text = '';
    const p = progressLine({ write: (s: string) => (text += s) });
    p.update(0, 200);
    p.update(37, 200);
    p.end();
    expect(text).toBe('\r\x1b[2Kchecked 0/200 hosts\r\x1b[2Kchecked 37/200 hosts\r\x1b[2K');
  });
});
