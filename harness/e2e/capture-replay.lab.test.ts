/**
 * Capture in one lab, replay in another: a lab plays production (reached through its kubeconfig, as the existing
 * provider does); one host per fault of the domains-check catalog and the endpoint family is made there, each
 * host is checked until its fault shows, `skyprobe capture` writes one bundle of them all (and a healthy custom
 * domain and generated host); the lab is torn down, a fresh one brought up, `skyprobe lab replay` rebuilds the
 * hosts, and every fact and the endpoint of every host must give the captured verdict. The bundle must hold no
 * byte of the source's Secret data and none of its credentials. Not here: the catalog's "certificate pending while
 * the CA cannot be reached", a fault of the environment that no object or record carries (the replay's lab has a
 * working CA, so it reports the difference; docs/architecture.md, "Capture a host").
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureBundle } from '../capture/bundle.ts';
import type { ElementComparison } from '../capture/compare.ts';
import { converge } from '../converge.ts';
import { execRunner } from '../exec/runner.ts';
import { checkDomains } from '../facts/check.ts';
import type { DomainReport, FactName, FactStatus } from '../facts/fact.ts';
import { factTarget } from '../facts/target.ts';
import { silentProgress } from '../log.ts';
import { LB_IP } from '../providers/embedded/address-plan.ts';
import { labFactSite } from '../providers/embedded/fact-site.ts';
import { labDown, labUp, liveLab } from '../providers/embedded/lab.ts';
import { stackPaths } from '../providers/embedded/stack-paths.ts';
import type { ScenarioEnv } from '../scenario/env.ts';
import { labEnv } from '../scenario/envs/lab-env.ts';
import { deployWithUserDns } from '../scenario/steps.ts';
import { readMetadata } from '../stack/deploy.ts';
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
];
const HEALTHY = ['shop.example.com', 'shop-acme.satusky.com'];

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
  // Pods that answer 500 everywhere (their health path still 200): the echo backend's ECHO_STATUS.
  const labels = { 'app.kubernetes.io/name': 'cap-500' };
  await create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'cap-500', namespace: NS, labels },
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
              env: [
                { name: 'PORT', value: '8080' },
                { name: 'ECHO_STATUS', value: '500' },
                { name: 'API_TOKEN', value: 'sk_live_cap500tokenvalue' },
              ],
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 1 },
            },
          ],
        },
      },
    },
  });
  await create(service('cap-500', labels));
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
    const records = [
      ...readMetadata(stackPaths(lab?.dir as string).metadata).map((m) => ({
        deployment: m.deployment,
        hosts: m.hosts.map((h) => h.host),
      })),
      { deployment: `${NS}/shop`, hosts: FAULTS.map((f) => f.host).filter((h) => h !== zoneHost('f-meta')) },
      { deployment: `${NS}/blog`, hosts: [zoneHost('f-meta')] },
    ];
    const metadata = join(tmp, 'platform.json');
    writeFileSync(metadata, JSON.stringify(records));
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
    expect(bundle.hosts.map((h) => h.host).sort()).toEqual([...HEALTHY, ...FAULTS.map((f) => f.host)].sort());
  });

  it('replayed in a fresh lab, every fact and the endpoint of every host give the captured verdict', async () => {
    const r = await cli('lab', 'replay', bundleFile, '--json');
    const out = JSON.parse(r.stdout || '{}') as { same: boolean; comparison: ElementComparison[]; mappings: string[] };
    const differs = (out.comparison ?? []).filter((c) => !c.same);
    expect(differs, `${r.stderr}\n${JSON.stringify(differs, null, 1)}`).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(out.comparison).toHaveLength((HEALTHY.length + FAULTS.length) * 5);
    // The faults are still faults in the lab (not everything "same" because nothing was checked).
    for (const f of FAULTS)
      expect(out.comparison.find((c) => c.host === f.host && c.element === f.element)?.replayed, f.host).toBe(f.status);
    expect(r.stderr).toMatch(/map address 198\.51\.100\.99 -> 198\.51\.100\.99/);
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
