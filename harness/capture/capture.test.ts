import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterView, Kind, Obj } from '../facts/cluster-view.ts';
import type { DomainReport } from '../facts/fact.ts';
import { CAPTURE_SCHEMA, type CaptureBundle, readBundle } from './bundle.ts';
import { hostObjects } from './collect.ts';
import { compareChecks } from './compare.ts';
import { REDACTED, credentialShape, scrub } from './redact.ts';
import { ORDER_UNANSWERED_MS, unansweredCertificates } from './ca-unreachable.ts';
import { STRAY_V6, replayPlan } from './replay-plan.ts';

const o = (name: string, namespace: string | undefined, extra: Partial<Obj> = {}): Obj =>
  ({ metadata: { name, ...(namespace ? { namespace } : {}) }, ...extra }) as Obj;

function view(objects: Partial<Record<Kind, Obj[]>>): ClusterView {
  const all: Kind[] = [
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
  ];
  return {
    objects: Object.fromEntries(all.map((k) => [k, objects[k] ?? []])) as ClusterView['objects'],
    missing: [],
    errors: {},
    readAt: 'now',
  };
}

const listener = (name: string, hostname?: string) => ({
  name,
  port: 443,
  protocol: 'HTTPS',
  ...(hostname ? { hostname } : {}),
  tls: { certificateRefs: [{ name: `tls-${name}` }] },
});
const shopView = view({
  Gateway: [
    o('edge', 'public', {
      spec: {
        listeners: [
          { name: 'http', port: 80, protocol: 'HTTP' },
          listener('https-shop', 'shop.example.com'),
          listener('https-blog', 'blog.example.com'),
        ],
      },
    }),
  ],
  HTTPRoute: [
    o('shop', 'org-acme', {
      spec: {
        hostnames: ['shop.example.com'],
        parentRefs: [{ name: 'edge', namespace: 'public', sectionName: 'https-shop' }],
        rules: [{ backendRefs: [{ name: 'shop', port: 80 }] }],
      },
    }),
    o('blog', 'org-acme', {
      spec: {
        hostnames: ['blog.example.com'],
        parentRefs: [{ name: 'edge', namespace: 'public', sectionName: 'https-blog' }],
        rules: [{ backendRefs: [{ name: 'blog', port: 80 }] }],
      },
    }),
  ],
  Service: [
    o('shop', 'org-acme', { spec: { selector: { app: 'shop' } } }),
    o('blog', 'org-acme', { spec: { selector: { app: 'blog' } } }),
  ],
  EndpointSlice: [
    o('shop-x1', 'org-acme', {
      metadata: { name: 'shop-x1', namespace: 'org-acme', labels: { 'kubernetes.io/service-name': 'shop' } },
    } as unknown as Partial<Obj>),
  ],
  Deployment: [
    o('shop', 'org-acme', {
      spec: {
        template: {
          metadata: { labels: { app: 'shop' } },
          spec: { containers: [{ name: 'app', image: 'registry/shop:7', ports: [{ containerPort: 3000 }] }] },
        },
      },
    }),
    o('blog', 'org-acme', { spec: { template: { metadata: { labels: { app: 'blog' } } } } }),
  ],
  Certificate: [
    o('tls-https-shop', 'public', {
      metadata: { name: 'tls-https-shop', namespace: 'public', ownerReferences: [{ name: 'edge' }] },
      spec: {
        dnsNames: ['shop.example.com'],
        secretName: 'tls-https-shop',
        issuerRef: { name: 'le', kind: 'ClusterIssuer' },
      },
    } as unknown as Partial<Obj>),
  ],
  CertificateRequest: [
    o('tls-https-shop-1', 'public', {
      metadata: {
        name: 'tls-https-shop-1',
        namespace: 'public',
        annotations: { 'cert-manager.io/certificate-name': 'tls-https-shop' },
      },
    } as unknown as Partial<Obj>),
  ],
  Order: [
    o('tls-https-shop-1-99', 'public', {
      metadata: { name: 'tls-https-shop-1-99', namespace: 'public', ownerReferences: [{ name: 'tls-https-shop-1' }] },
    } as unknown as Partial<Obj>),
  ],
  Challenge: [
    o('tls-https-shop-1-99-5', 'public', {
      metadata: {
        name: 'tls-https-shop-1-99-5',
        namespace: 'public',
        ownerReferences: [{ name: 'tls-https-shop-1-99' }],
      },
      spec: { dnsName: 'shop.example.com' },
    } as unknown as Partial<Obj>),
  ],
});
const issuers = {
  Issuer: [],
  ClusterIssuer: [
    {
      ...o('le', undefined),
      kind: 'ClusterIssuer',
      spec: { acme: { solvers: [{ http01: { gatewayHTTPRoute: {} } }] } },
    } as Obj,
  ],
  Middleware: [],
};

describe('capture: the objects of a host', () => {
  it("takes the host's route, the listener it uses, its Service, slices, Deployment and the certificate chain, and nothing of another host", () => {
    const got = hostObjects(shopView, issuers, 'shop.example.com');
    const refs = got.objects.map((x) => `${x.kind} ${x.metadata.namespace ?? ''}/${x.metadata.name}`).sort();
    expect(refs).toEqual([
      'Certificate public/tls-https-shop',
      'CertificateRequest public/tls-https-shop-1',
      'Challenge public/tls-https-shop-1-99-5',
      'ClusterIssuer /le',
      'Deployment org-acme/shop',
      'EndpointSlice org-acme/shop-x1',
      'Gateway public/edge',
      'HTTPRoute org-acme/shop',
      'Order public/tls-https-shop-1-99',
      'Service org-acme/shop',
    ]);
    const gw = got.objects.find((x) => x.kind === 'Gateway') as Obj;
    expect((gw.spec?.listeners as { name: string }[]).map((l) => l.name)).toEqual(['https-shop']);
    expect(got.trimmedListeners).toEqual([{ gateway: 'public/edge', count: 2 }]);
    expect(got.secrets).toEqual([{ namespace: 'public', name: 'tls-https-shop' }]);
  });
});

describe('capture: redaction', () => {
  it('drops bookkeeping and the last-applied copy, redacts credential-looking names and values, keeps references', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJl';
    const dep = o('shop', 'org-acme', {
      kind: 'Deployment',
      metadata: {
        name: 'shop',
        namespace: 'org-acme',
        uid: 'u',
        resourceVersion: '7',
        managedFields: [{}],
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"big":1}',
          'example.com/api-token': 'abc',
          'cert-manager.io/cluster-issuer': 'le',
          note: jwt,
        },
      },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'app',
                args: ['--db=postgres://app:hunter2@db:5432/x'],
                env: [
                  { name: 'DB_PASSWORD', value: 'hunter2' },
                  { name: 'PORT', value: '3000' },
                  { name: 'STRIPE', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
                ],
              },
            ],
          },
        },
      },
    } as unknown as Partial<Obj>);
    const { object, redactions } = scrub(dep);
    const text = JSON.stringify(object);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(jwt);
    expect(text).not.toContain('"uid"');
    expect(text).not.toContain('last-applied');
    expect(object.metadata.annotations?.['cert-manager.io/cluster-issuer']).toBe('le');
    expect(object.metadata.annotations?.['example.com/api-token']).toBe(REDACTED);
    expect(text).toContain('secretKeyRef');
    expect(text).toContain('"3000"');
    expect(redactions.map((r) => r.path).sort()).toEqual([
      'metadata.annotations.example.com/api-token',
      'metadata.annotations.kubectl.kubernetes.io/last-applied-configuration',
      'metadata.annotations.note',
      'spec.template.spec.containers[app].args[0]',
      'spec.template.spec.containers[app].env[DB_PASSWORD]',
    ]);
    expect(dep.metadata.annotations?.note, 'the source object is untouched').toBe(jwt);
  });
  it('knows the shapes of credentials and leaves ordinary values alone', () => {
    expect(credentialShape('-----BEGIN RSA PRIVATE KEY-----\nMII')).toMatch(/private key/);
    expect(credentialShape('Bearer abcdefghijklmnop')).toMatch(/authorization/);
    expect(credentialShape('Zx81aQ9pLm2Vb7Nc4Kd6Ty0Rw3Se5Gh8Jf1Ui4Oq')).toMatch(/random/);
    for (const v of ['shop.example.com', 'registry/shop:7', '3000', 'https://acme.example/dir', 'true'])
      expect(credentialShape(v), v).toBeUndefined();
  });
});

const lab = {
  gateway: { namespace: 'satusky-edge', name: 'satusky-edge' },
  ingressClass: 'traefik',
  issuers: { gateway: 'pebble-gateway', ingress: 'pebble-ingress' },
  lbIp: '203.0.113.10',
  elsewhereIp: '198.51.100.99',
  echoImage: 'skyprobe/echo:1',
  satuskyZone: 'satusky.com',
  caDown: { issuers: { gateway: 'down-gateway', ingress: 'down-ingress' }, gateway: 'satusky-edge-ca-down' },
};
const check = (host: string, status: 'pass' | 'fail' = 'pass') =>
  ({
    host,
    facts: Object.fromEntries(
      ['metadata', 'routing', 'dns', 'tls'].map((n) => [n, { status, summary: `${n} ${status}`, evidence: {} }]),
    ),
    endpoint: { status, summary: `endpoint ${status}`, evidence: {} },
    workload: { status: 'ready', summary: '' },
    durationMs: 1,
  }) as unknown as DomainReport;
const answer = (name: string, type: string, answers: { name: string; type: string; value: string }[]) => ({
  server: 'r',
  name,
  type,
  rcode: answers.length > 0 ? 'NOERROR' : 'NXDOMAIN',
  answers: answers.map((a) => ({ ...a, ttl: 60 })),
});
function bundle(): CaptureBundle {
  const got = hostObjects(shopView, issuers, 'shop.example.com');
  return {
    schema: CAPTURE_SCHEMA,
    capturedAt: 'then',
    source: { apiServer: 'https://prod', resolver: '1.1.1.1', edge: ['192.0.2.1'] },
    hosts: [
      {
        host: 'shop.example.com',
        objects: [],
        dns: {
          resolver: '1.1.1.1',
          zone: 'example.com',
          a: [answer('shop.example.com', 'A', [{ name: 'shop.example.com', type: 'A', value: '192.0.2.1' }])],
          aaaa: [
            answer('shop.example.com', 'AAAA', [{ name: 'shop.example.com', type: 'AAAA', value: '2001:db8:1::5' }]),
          ],
          caa: [
            answer('shop.example.com', 'CAA', []),
            answer('example.com', 'CAA', [{ name: 'example.com', type: 'CAA', value: '0 issue "letsencrypt.org"' }]),
          ],
        },
        record: { deployment: 'org-acme/shop', hosts: ['shop.example.com'] },
        check: check('shop.example.com'),
      },
    ],
    objects: [
      ...got.objects,
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'old', namespace: 'org-acme' },
        spec: { ingressClassName: 'nginx' },
      } as Obj,
    ],
    secrets: [],
    redactions: [],
    missing: [],
  };
}

describe('replay plan', () => {
  const plan = replayPlan(bundle(), lab);
  const applied = (kind: string, name: string) => plan.objects.find((x) => x.kind === kind && x.metadata.name === name);
  it("maps what the source had onto the lab's edge and keeps what it did not have", () => {
    expect((applied('HTTPRoute', 'shop')?.spec?.parentRefs as unknown[])[0]).toEqual({
      name: 'satusky-edge',
      namespace: 'satusky-edge',
      sectionName: 'https-shop',
    });
    expect(applied('Ingress', 'old')?.spec?.ingressClassName, 'a class the source did not serve stays wrong').toBe(
      'nginx',
    );
    expect(plan.listeners.map((l) => l.name)).toEqual(['https-shop']);
    const c = applied('Deployment', 'shop')?.spec?.template?.spec?.containers[0];
    expect(c.image).toBe('skyprobe/echo:1');
    expect(c.env).toContainEqual({ name: 'PORT', value: '3000' });
    expect(plan.namespaces).toEqual(['org-acme']);
    expect(plan.records).toEqual([{ deployment: 'org-acme/shop', hosts: ['shop.example.com'] }]);
  });
  it('applies no status and leaves what controllers make, or shims own, as evidence', () => {
    for (const x of plan.objects) expect(x.status).toBeUndefined();
    const kept = plan.notApplied.map((n) => n.object.split(' ')[0]).sort();
    expect(kept).toEqual([
      'Certificate',
      'CertificateRequest',
      'Challenge',
      'ClusterIssuer',
      'EndpointSlice',
      'Gateway',
      'Order',
    ]);
    expect(plan.mappings).toContain("ClusterIssuer le -> ClusterIssuer pebble-gateway (the lab's Pebble)");
  });
  it("writes the DNS answers with the edge's address mapped to the load balancer and the rest to nowhere", () => {
    const zone = plan.dns.find((z) => z.zone === 'example.com');
    expect(zone?.records).toEqual([
      { name: 'shop.example.com', type: 'A', value: '203.0.113.10', ttl: 60 },
      { name: 'shop.example.com', type: 'AAAA', value: STRAY_V6, ttl: 60 },
      { name: 'example.com', type: 'CAA', value: '0 issue "letsencrypt.org"', ttl: 60 },
    ]);
    expect(zone?.names.sort()).toEqual(['example.com', 'shop.example.com']);
  });
});

describe('replay plan: certificates whose ACME server did not answer', () => {
  const at = Date.parse('2026-12-02T04:00:00Z');
  const ago = (ms: number) => new Date(at - ms).toISOString();
  const notReady = { conditions: [{ type: 'Ready', status: 'False', message: 'Issuing certificate' }] };
  const cert = (name: string, ns: string, secret: string, status: unknown, owner?: string) =>
    ({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name, namespace: ns, ...(owner ? { ownerReferences: [{ name: owner }] } : {}) },
      spec: { dnsNames: [`${name}.example.com`], secretName: secret, issuerRef: { name: 'le', kind: 'ClusterIssuer' } },
      status,
    }) as unknown as Obj;
  const request = (cert: string, ns: string) =>
    ({
      kind: 'CertificateRequest',
      metadata: { name: `${cert}-1`, namespace: ns, annotations: { 'cert-manager.io/certificate-name': cert } },
    }) as unknown as Obj;
  const order = (cert: string, ns: string, made: string, status?: unknown) =>
    ({
      kind: 'Order',
      metadata: {
        name: `${cert}-1-7`,
        namespace: ns,
        creationTimestamp: made,
        ownerReferences: [{ name: `${cert}-1` }],
      },
      ...(status ? { status } : {}),
    }) as unknown as Obj;
  const ingress = (name: string, secret: string) =>
    ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace: 'org-acme', annotations: { 'cert-manager.io/cluster-issuer': 'le' } },
      spec: { ingressClassName: 'nginx', tls: [{ hosts: [`${name}.example.com`], secretName: secret }] },
    }) as unknown as Obj;
  function downBundle(orderAge: number, issuerReady = true): CaptureBundle {
    const b = bundle();
    b.capturedAt = new Date(at).toISOString();
    const le = b.objects.find((x) => x.kind === 'ClusterIssuer') as Obj;
    le.status = {
      conditions: [{ type: 'Ready', status: issuerReady ? 'True' : 'False', message: 'dial tcp: i/o timeout' }],
    };
    const gwCert = b.objects.find((x) => x.kind === 'Certificate') as Obj;
    gwCert.status = notReady;
    b.objects = b.objects.filter((x) => x.kind !== 'Order');
    b.objects.push(
      order('tls-https-shop', 'public', ago(orderAge)),
      ingress('late', 'late-tls'),
      cert('late-tls', 'org-acme', 'late-tls', notReady, 'late'),
      request('late-tls', 'org-acme'),
      order('late-tls', 'org-acme', ago(orderAge)),
      ingress('fine', 'fine-tls'),
      cert('fine-tls', 'org-acme', 'fine-tls', { conditions: [{ type: 'Ready', status: 'True' }] }, 'fine'),
      request('fine-tls', 'org-acme'),
      order('fine-tls', 'org-acme', ago(60_000), { state: 'valid', url: 'https://ca/order/1' }),
    );
    return b;
  }
  const issuerOf = (p: ReturnType<typeof replayPlan>, name: string) =>
    p.objects.find((x) => x.kind === 'Ingress' && x.metadata.name === name)?.metadata.annotations?.[
      'cert-manager.io/cluster-issuer'
    ];

  it('finds pending certificates whose Order was never answered, or whose issuer is not Ready', () => {
    const found = unansweredCertificates(downBundle(45_000));
    expect(found.map((u) => u.secret).sort()).toEqual(['org-acme/late-tls', 'public/tls-https-shop']);
    expect(found[0]?.evidence).toMatch(/made 45 s before the capture, never answered/);
    expect(unansweredCertificates(downBundle(ORDER_UNANSWERED_MS - 1000)), 'a young Order is not a mark').toEqual([]);
    const byIssuer = unansweredCertificates(downBundle(1000, false));
    expect(byIssuer).toHaveLength(2);
    expect(byIssuer[0]?.evidence).toMatch(/ClusterIssuer le not Ready: dial tcp: i\/o timeout/);
  });

  it("gives those hosts an issuer that cannot reach its server, and the others of the same issuer the lab's Pebble", () => {
    const p = replayPlan(downBundle(45_000), lab);
    expect(issuerOf(p, 'late')).toBe('down-gateway');
    expect(issuerOf(p, 'fine')).toBe('pebble-gateway');
    expect(p.caDown.issuers).toEqual([{ name: 'down-gateway', like: 'pebble-gateway' }]);
    // The Gateway listener moves to a Gateway of its own whose issuer is the unreachable one; its route follows.
    expect(p.listeners).toEqual([]);
    expect(p.caDown.gateway?.listeners.map((l) => l.name)).toEqual(['https-shop']);
    expect(p.caDown.gateway).toMatchObject({
      namespace: 'satusky-edge',
      name: 'satusky-edge-ca-down',
      issuer: 'down-gateway',
    });
    const route = p.objects.find((x) => x.kind === 'HTTPRoute' && x.metadata.name === 'shop');
    expect((route?.spec?.parentRefs as { name: string }[])[0]?.name).toBe('satusky-edge-ca-down');
    expect(p.mappings.some((m) => /no answer from its ACME server/.test(m))).toBe(true);
  });

  it('changes nothing when every Order was answered', () => {
    const p = replayPlan(downBundle(5_000), lab);
    expect(p.caDown).toEqual({ issuers: [] });
    expect(p.listeners.map((l) => l.name)).toEqual(['https-shop']);
  });
});

describe('bundle files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capture-'));
  const file = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  it('refuses what is not a v1 bundle, in one line naming the problem', () => {
    expect(() => readBundle(join(dir, 'none.json'))).toThrow(/cannot read bundle .*ENOENT/);
    expect(() => readBundle(file('garbage', '\u0000\u0001{'))).toThrow(/is not JSON/);
    expect(() => readBundle(file('v2.json', JSON.stringify({ ...bundle(), schema: 'skyprobe.capture/v2' })))).toThrow(
      /schema "skyprobe.capture\/v2", this skyprobe reads skyprobe.capture\/v1/,
    );
    expect(() => readBundle(file('half.json', JSON.stringify({ ...bundle(), objects: undefined })))).toThrow(
      /incomplete \(objects/,
    );
    expect(readBundle(file('ok.json', JSON.stringify(bundle()))).hosts[0]?.host).toBe('shop.example.com');
  });
});

describe('comparison', () => {
  it('says per fact and the endpoint whether the replay gave the captured verdict, and why not', () => {
    const rows = compareChecks([check('a.example')], [check('a.example', 'fail')]);
    expect(rows.map((r) => [r.element, r.same])).toEqual([
      ['metadata', false],
      ['routing', false],
      ['dns', false],
      ['tls', false],
      ['endpoint', false],
    ]);
    expect(rows[0]?.why).toBe('captured: metadata pass | replayed: metadata fail');
    expect(compareChecks([check('a.example')], [check('a.example')]).every((r) => r.same)).toBe(true);
    expect(compareChecks([check('a.example')], [])[0]?.replayed).toBe('missing');
  });
});
