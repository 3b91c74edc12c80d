/**
 * Capture in one lab, replay in another: a lab plays production (reached through its kubeconfig, as the existing
 * provider does); one host per fault of the domains-check catalog and the endpoint family is made there, each
 * host is checked until its fault shows, `skyprobe capture` writes one bundle of them all (and a healthy custom
 * domain and generated host); the lab is torn down, a fresh one brought up, `skyprobe lab replay` rebuilds the
 * hosts, and every fact and the endpoint of every host must give the captured verdict. The bundle must hold no
 * byte of the source's Secret data and none of its credentials. The catalog's "certificate pending while the CA
 * cannot be reached" is made last, with the ACME server's port refused: the lab app `late`'s generated host (a
 * Gateway listener) and a custom domain on an Ingress, both pending, beside hosts whose certificates were issued
 * before from the same issuers; the replay must keep those two pending (an issuer whose server nothing answers,
 * capture/ca-unreachable.ts) and the others passing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureBundle } from '../capture/bundle.ts';
import { ORDER_UNANSWERED_MS } from '../capture/ca-unreachable.ts';
import type { ElementComparison } from '../capture/compare.ts';
import { converge } from '../converge.ts';
import { execRunner } from '../exec/runner.ts';
import { checkDomains } from '../facts/check.ts';
import type { DomainReport, FactName, FactStatus } from '../facts/fact.ts';
import { factTarget } from '../facts/target.ts';
import { silentProgress } from '../log.ts';
import { LB_IP } from '../providers/embedded/address-plan.ts';
import { labFactSite } from '../providers/embedded/fact-site.ts';
import { POD_IDENTITY_ENV } from '../stack/render.ts';
import { labDown, labUp, liveLab } from '../providers/embedded/lab.ts';
import { stackPaths } from '../providers/embedded/stack-paths.ts';
import type { ScenarioEnv } from '../scenario/env.ts';
import { labEnv } from '../scenario/envs/lab-env.ts';
import { deployWithUserDns } from '../scenario/steps.ts';
import { readMetadata } from '../stack/deploy.ts';
import { ISSUER_INGRESS } from '../stack/edge-objects.ts';
import { render } from '../stack/render.ts';
import { issueLeaf, makeTestCa } from '../testing/test-ca.ts';
import { POLL, TIMEOUTS } from '../timeouts.ts';

const bin = new URL('../../bin/skyprobe.mjs', import.meta.url).pathname;
const cli = (...args: string[]) => execa('node', [bin, ...args], { reject: false, env: { NO_COLOR: '1' } });
const NS = 'org-acme';
const zoneHost = (h: string) => `${h}.example.com`;
const ingress = (name: string, host: string, service: string, port = 80, tlsSecret?: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: NS },
  spec: {
    ingressClassName: 'traefik',
    ...(tlsSecret ? { tls: [{ hosts: [host], secretName: tlsSecret }] } : {}),
    rules: [
      {
        host,
        http: {
          paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: port } } } }],
        },
      },
    ],
  },
});
const service = (name: string, selector: Record<string, string>, targetPort: number | string = 'http') => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: NS },
  spec: { selector, ports: [{ name: 'http', port: 80, targetPort }] },
});
const SHOP = { 'app.kubernetes.io/name': 'shop' };

/** Each host with the element its fault shows on (the healthy ones: every element passes). */
const FAULTS: { host: string; element: FactName | 'endpoint'; status: FactStatus }[] = [
  { host: zoneHost('f-noroute'), element: 'routing', status: 'fail' },
  { host: zoneHost('f-parent'), element: 'routing', status: 'fail' },
  { host: zoneHost('f-nobackend'), element: 'routing', status: 'fail' },
  { host: zoneHost('f-noendpoints'), element: 'routing', status: 'fail' },
  { host: zoneHost('f-rival'), element: 'routing', status: 'fail' },
  { host: zoneHost('f-meta'), element: 'metadata', status: 'fail' },
  { host: zoneHost('f-nodns'), element: 'dns', status: 'fail' },
  { host: zoneHost('f-elsewhere'), element: 'dns', status: 'fail' },
  { host: zoneHost('f-aaaa'), element: 'dns', status: 'fail' },
  { host: zoneHost('f-cname'), element: 'dns', status: 'fail' },
  { host: zoneHost('f-caa'), element: 'dns', status: 'fail' },
  { host: zoneHost('f-expired'), element: 'tls', status: 'fail' },
  { host: zoneHost('f-notyet'), element: 'tls', status: 'fail' },
  { host: zoneHost('f-otherhost'), element: 'tls', status: 'fail' },
  { host: zoneHost('f-untrusted'), element: 'tls', status: 'fail' },
  { host: zoneHost('f-502'), element: 'endpoint', status: 'fail' },
  { host: zoneHost('f-404'), element: 'endpoint', status: 'fail' },
  { host: zoneHost('f-500'), element: 'endpoint', status: 'fail' },
  { host: zoneHost('f-wrongpod'), element: 'endpoint', status: 'fail' },
  { host: zoneHost('f-vhost'), element: 'endpoint', status: 'fail' },
];
const HEALTHY = ['shop.example.com', 'shop-acme.satusky.com'];
/** Pending while the ACME server is refused (made after the others have their certificates). */
const CA_DOWN = { ingress: zoneHost('f-cadown'), secret: 'cap-cadown-tls' };
/** The hosts made pending that way (filled when they are made). */
const PENDING: string[] = [];

/** The production lab's faults, one host each (current routing; the shop app deployed). */
async function makeFaults(env: ScenarioEnv, tmp: string): Promise<void> {
  const k = env.k.objects;
  const create = (o: unknown) => k.create(o as never);
  await create(service('cap-502', SHOP, 9999));
  await create(service('cap-empty', { 'app.kubernetes.io/name': 'nobody' }));
  for (const [name, host, svc, port] of [
    ['cap-nobackend', 'f-nobackend', 'cap-missing', 80],
    ['cap-noendpoints', 'f-noendpoints', 'cap-empty', 80],
    ['cap-rival-a', 'f-rival', 'shop', 80],
    ['cap-rival-b', 'f-rival', 'cap-empty', 80],
    ['cap-meta', 'f-meta', 'shop', 80],
    ['cap-nodns', 'f-nodns', 'shop', 80],
    ['cap-elsewhere', 'f-elsewhere', 'shop', 80],
    ['cap-aaaa', 'f-aaaa', 'shop', 80],
    ['cap-cname', 'f-cname', 'shop', 80],
    ['cap-caa', 'f-caa', 'shop', 80],
    ['cap-502', 'f-502', 'cap-502', 80],
    ['cap-404', 'f-404', 'shop', 8081],
    ['cap-500', 'f-500', 'cap-500', 80],
    ['cap-wrongpod', 'f-wrongpod', 'cap-blog', 80],
    ['cap-vhost', 'f-vhost', 'cap-vhost', 80],
  ] as const)
    await create(ingress(name, zoneHost(host), svc, port));
  await create({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'cap-parent', namespace: NS },
    spec: {
      hostnames: [zoneHost('f-parent')],
      parentRefs: [{ name: 'satusky-edge', namespace: 'satusky-edge', sectionName: 'https-nowhere' }],
      rules: [{ backendRefs: [{ name: 'shop', port: 80 }] }],
    },
  });
  // The endpoint family's workloads: pods that answer 500 everywhere (their health path still 200), another app's
  // pods behind the Service (the record names shop), a virtual-host app that serves other hosts only.
  const echo = (name: string, env: { name: string; value: string }[]) => {
    const labels = { 'app.kubernetes.io/name': name };
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: NS, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'skyprobe/echo:1',
                env: [{ name: 'PORT', value: '8080' }, ...POD_IDENTITY_ENV, ...env],
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 1 },
              },
            ],
          },
        },
      },
    };
  };
  for (const [name, env_] of [
    [
      'cap-500',
      [
        { name: 'ECHO_STATUS', value: '500' },
        { name: 'API_TOKEN', value: 'sk_live_cap500tokenvalue' },
      ],
    ],
    ['cap-blog', [{ name: 'APP', value: `${NS}/cap-blog` }]],
    ['cap-vhost', [{ name: 'ECHO_HOSTS', value: 'elsewhere.example.com' }]],
  ] as const) {
    await create(echo(name, [...env_]));
    await create(service(name, { 'app.kubernetes.io/name': name }));
  }
  // Hosts with their own TLS Secret, each wrong in one way (the domains-check catalog's served certificates).
  const ca = await makeTestCa(join(tmp, 'ca'));
  const other = await makeTestCa(join(tmp, 'other-ca'), 'another CA');
  const day = 86_400_000;
  const now = Date.now();
  const leaves: [string, () => ReturnType<typeof issueLeaf>][] = [
    ['expired', () => issueLeaf(ca, zoneHost('f-expired'), new Date(now - 10 * day), new Date(now - day))],
    ['notyet', () => issueLeaf(ca, zoneHost('f-notyet'), new Date(now + day), new Date(now + 10 * day))],
    ['otherhost', () => issueLeaf(ca, 'other.example.com', new Date(now - day), new Date(now + day))],
    ['untrusted', () => issueLeaf(other, zoneHost('f-untrusted'), new Date(now - day), new Date(now + day))],
  ];
  for (const [name, issue] of leaves) {
    const leaf = await issue();
    await env.k.core.createNamespacedSecret({
      namespace: NS,
      body: {
        metadata: { name: `cap-${name}-tls` },
        type: 'kubernetes.io/tls',
        data: {
          'tls.crt': Buffer.from(leaf.cert).toString('base64'),
          'tls.key': Buffer.from(leaf.key).toString('base64'),
        },
      },
    });
    await create(ingress(`cap-${name}`, zoneHost(`f-${name}`), 'shop', 80, `cap-${name}-tls`));
  }

  const a = (h: string, value = LB_IP) => ({ name: zoneHost(h), type: 'A' as const, value });
  const drop = new Set(FAULTS.map((f) => f.host).concat(zoneHost('parked')));
  await env.userDns.edit('example.com', (r) => drop.has(r.name), [
    ...[
      'f-noroute',
      'f-parent',
      'f-nobackend',
      'f-noendpoints',
      'f-rival',
      'f-meta',
      'f-aaaa',
      'f-caa',
      'f-expired',
      'f-notyet',
      'f-otherhost',
      'f-untrusted',
      'f-502',
      'f-404',
      'f-500',
      'f-wrongpod',
      'f-vhost',
    ].map((h) => a(h)),
    a('f-elsewhere', '198.51.100.99'),
    { name: zoneHost('f-aaaa'), type: 'AAAA', value: '2001:db8::99' },
    { name: zoneHost('f-cname'), type: 'CNAME', value: zoneHost('parked') },
    a('parked', '198.51.100.98'),
    { name: zoneHost('f-caa'), type: 'CAA', value: '0 issue "other-ca.example"' },
  ]);
}

const statusOf = (r: DomainReport, e: FactName | 'endpoint') => (e === 'endpoint' ? r.endpoint : r.facts[e]).status;
const own = !liveLab();

describe.skipIf(!own)('capture a host in one lab, replay it in a fresh one', () => {
  let tmp: string;
  let bundleFile: string;
  let bundle: CaptureBundle;
  let sourceSecrets: string[] = [];
  let sourceCredentials: string[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'skyprobe-capture-'));
    bundleFile = join(tmp, 'bundle.json');
    await labUp({ nodes: 2, run: execRunner, progress: silentProgress, stack: true });
    const env = labEnv();
    await deployWithUserDns({ env, routing: 'current' }, 'shop');
    await makeFaults(env, tmp);
    // The platform's records: the lab's own, the fault hosts on shop, f-meta on a deployment that does not exist.
    const lab = liveLab();
    const metadata = join(tmp, 'platform.json');
    const writeRecords = () =>
      writeFileSync(
        metadata,
        JSON.stringify([
          ...readMetadata(stackPaths(lab?.dir as string).metadata).map((m) => ({
            deployment: m.deployment,
            hosts: m.hosts.map((h) => h.host),
          })),
          {
            deployment: `${NS}/shop`,
            hosts: [
              ...FAULTS.map((f) => f.host).filter((h) => h !== zoneHost('f-meta') && h !== zoneHost('f-vhost')),
              CA_DOWN.ingress,
            ],
          },
          { deployment: `${NS}/blog`, hosts: [zoneHost('f-meta')] },
          { deployment: `${NS}/cap-vhost`, hosts: [zoneHost('f-vhost')] },
        ]),
      );
    writeRecords();
    // Each fault shows where it should and the healthy hosts pass, three checks in a row, before the capture.
    const target = await factTarget({ metadata }, execRunner, labFactSite());
    const hosts = [...HEALTHY, ...FAULTS.map((f) => f.host)];
    const ready = await converge(
      async () => {
        const r = (await checkDomains(target, hosts)).hosts;
        const wrong = [
          ...FAULTS.filter(
            (f) => statusOf(r.find((x) => x.host === f.host) as DomainReport, f.element) !== f.status,
          ).map((f) => f.host),
          ...HEALTHY.filter((h) => {
            const x = r.find((y) => y.host === h) as DomainReport;
            return (['metadata', 'routing', 'dns', 'tls', 'endpoint'] as const).some((e) => statusOf(x, e) !== 'pass');
          }),
        ];
        return { ok: wrong.length === 0, evidence: wrong };
      },
      { timeoutMs: TIMEOUTS.replaySettled, intervalMs: POLL.slow },
    );
    expect(ready.ok, `hosts not showing their fault: ${JSON.stringify(ready.attempts.at(-1)?.evidence)}`).toBe(true);
    // The CA unreachable: new certificates stay pending, the ones issued before keep being served.
    await env.blockPort('acme', 14000, true);
    const late = env.app('late');
    await env.deploy(late, 'current');
    const cadown = ingress('cap-cadown', CA_DOWN.ingress, 'shop', 80, CA_DOWN.secret);
    await env.k.objects.create({
      ...cadown,
      metadata: { ...cadown.metadata, annotations: { 'cert-manager.io/cluster-issuer': ISSUER_INGRESS } },
    } as never);
    await env.userDns.edit('example.com', (r) => r.name === CA_DOWN.ingress, [
      { name: CA_DOWN.ingress, type: 'A', value: LB_IP },
    ]);
    writeRecords();
    const downHosts = [late.generatedHost, CA_DOWN.ingress];
    hosts.push(...downHosts);
    PENDING.push(...downHosts);
    const downCerts = new Set([CA_DOWN.secret, render(late, 'current').hosts[0]?.tlsSecret?.name]);
    const downTarget = await factTarget({ metadata }, execRunner, labFactSite());
    const unanswered = await converge(
      async () => {
        const orders = (await env.k.objects.list('acme.cert-manager.io/v1', 'Order')).items as {
          metadata: { creationTimestamp?: Date | string; annotations?: Record<string, string> };
          status?: { state?: string };
        }[];
        const silent = orders.filter(
          (o) =>
            downCerts.has(o.metadata.annotations?.['cert-manager.io/certificate-name'] ?? '') &&
            !o.status?.state &&
            Date.now() - new Date(o.metadata.creationTimestamp ?? 0).getTime() >= ORDER_UNANSWERED_MS + 2000,
        );
        const r = (await checkDomains(downTarget, downHosts)).hosts;
        const notPending = r
          .filter((x) => x.facts.tls.status !== 'pending')
          .map((x) => `${x.host}: ${x.facts.tls.summary}`);
        return { ok: silent.length >= 2 && notPending.length === 0, evidence: { silent: silent.length, notPending } };
      },
      { timeoutMs: TIMEOUTS.replaySettled, intervalMs: POLL.slow },
    );
    expect(unanswered.ok, `CA-down hosts: ${JSON.stringify(unanswered.attempts.at(-1)?.evidence)}`).toBe(true);
    const captured = await cli(
      'capture',
      ...hosts,
      '--kubeconfig',
      lab?.kubeconfig as string,
      '--metadata',
      metadata,
      '-o',
      bundleFile,
    );
    expect(captured.exitCode, captured.stderr).toBe(0);
    bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as CaptureBundle;
    // What must never be in a bundle: every Secret's data, and the credentials of the kubeconfig it was read with.
    const secrets = await env.k.core.listSecretForAllNamespaces();
    sourceSecrets = secrets.items.flatMap((s) =>
      Object.entries(s.data ?? {})
        .filter(([key]) => key !== 'tls.crt' && key !== 'ca.crt')
        .flatMap(([, b64]) => [b64, Buffer.from(b64, 'base64').toString('utf8')]),
    );
    const user = env.k.kc.getCurrentUser();
    sourceCredentials = [user?.token, user?.keyData, user?.password].filter((x): x is string => !!x);
    const keyFile = user?.keyFile;
    if (keyFile) sourceCredentials.push(readFileSync(keyFile, 'utf8'));
    sourceCredentials.push('sk_live_cap500tokenvalue');
    await labDown(execRunner);
    await labUp({ nodes: 2, run: execRunner, progress: silentProgress, stack: true });
  }, 600_000);

  afterAll(async () => {
    if (liveLab()) await labDown(execRunner);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  it('the bundle holds no Secret data and no credential of the source, and lists what it redacted', () => {
    const text = readFileSync(bundleFile, 'utf8');
    expect(sourceSecrets.length, 'the source had Secrets with data').toBeGreaterThan(3);
    for (const s of sourceSecrets.filter((x) => x.length >= 12))
      expect(text.includes(s), 'Secret data in the bundle').toBe(false);
    expect(sourceCredentials.length).toBeGreaterThan(0);
    for (const c of sourceCredentials) expect(text.includes(c.trim()), 'a credential in the bundle').toBe(false);
    expect(text).not.toMatch(/PRIVATE KEY/);
    expect(bundle.redactions).toContainEqual(
      expect.objectContaining({
        object: `Deployment ${NS}/cap-500`,
        path: 'spec.template.spec.containers[app].env[API_TOKEN]',
      }),
    );
    const tls = bundle.secrets.find((s) => s.name === 'cap-expired-tls');
    expect(tls?.type).toBe('kubernetes.io/tls');
    expect(tls?.certificate?.[0]?.sans).toEqual([zoneHost('f-expired')]);
    expect(bundle.hosts.map((h) => h.host).sort()).toEqual(
      [...HEALTHY, ...FAULTS.map((f) => f.host), ...PENDING].sort(),
    );
  });

  it('replayed in a fresh lab, every fact and the endpoint of every host give the captured verdict', async () => {
    const r = await cli('lab', 'replay', bundleFile, '--json');
    const out = JSON.parse(r.stdout || '{}') as { same: boolean; comparison: ElementComparison[]; mappings: string[] };
    const differs = (out.comparison ?? []).filter((c) => !c.same);
    expect(differs, `${r.stderr}\n${JSON.stringify(differs, null, 1)}`).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(PENDING).toHaveLength(2);
    expect(out.comparison).toHaveLength((HEALTHY.length + FAULTS.length + PENDING.length) * 5);
    // The faults are still faults in the lab (not everything "same" because nothing was checked).
    for (const f of FAULTS)
      expect(out.comparison.find((c) => c.host === f.host && c.element === f.element)?.replayed, f.host).toBe(f.status);
    expect(r.stderr).toMatch(/map address 198\.51\.100\.99 -> 198\.51\.100\.99/);
    // Pending because their ACME server did not answer, in the source and in the replay; the hosts issued before
    // from the same issuers still pass (the healthy ones are compared above).
    for (const h of PENDING) {
      expect(out.comparison.find((c) => c.host === h && c.element === 'tls')?.captured, h).toBe('pending');
      expect(out.comparison.find((c) => c.host === h && c.element === 'tls')?.replayed, h).toBe('pending');
    }
    expect(r.stderr).toMatch(/listener \S+ -> Gateway satusky-edge\/satusky-edge-ca-down/);
    expect(r.stderr).toMatch(/Ingress org-acme\/cap-cadown \(certificate .*\) -> ClusterIssuer replay-ca-down-ingress/);
  }, 240_000);

  it('bad input: one line, exit 2, nothing applied', async () => {
    const other = join(tmp, 'v2.json');
    writeFileSync(other, JSON.stringify({ ...bundle, schema: 'skyprobe.capture/v2' }));
    for (const args of [
      ['lab', 'replay', other],
      ['lab', 'replay', join(tmp, 'missing.json')],
      ['capture', 'nobody.example.com', '-o', join(tmp, 'x.json')],
    ]) {
      const r = await cli(...args);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')[0]).toMatch(/^error: /);
    }
  }, 60_000);
});
