import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { Clients } from '../k8s/client.ts';
import { parseAppFixture } from './app-fixture.ts';
import { type DeployTarget, deleteApp, deployApp, gatewayRef, readMetadata } from './deploy.ts';
import { render } from './render.ts';

/**
 * The Kubernetes object API as deployApp uses it (read, create, replace, delete; dryRun 'All' changes nothing),
 * in memory, with a rule that refuses some writes the way the API server does (HTTP 422 and its Status message).
 * deployApp's own logic is what is tested here; the lab test (harness/e2e/deploy-atomic.lab.test.ts) has the real
 * API server refuse.
 */
function fakeApi(refuse: (o: KubernetesObject, dryRun: boolean) => string | undefined) {
  const store = new Map<string, KubernetesObject>();
  const key = (o: KubernetesObject) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
  const fail = (code: number, message: string) =>
    Object.assign(new Error(`HTTP-Code: ${code}\nBody: ${JSON.stringify(JSON.stringify({ message }))}\nHeaders: {}`), {
      code,
    });
  const write = (o: KubernetesObject, dryRun?: string) => {
    const why = refuse(o, dryRun === 'All');
    if (why) throw fail(422, why);
    if (dryRun !== 'All') store.set(key(o), structuredClone(o));
    return structuredClone(o);
  };
  const api = {
    async read(o: KubernetesObject) {
      const found = store.get(key(o));
      if (!found) throw fail(404, 'not found');
      return structuredClone(found);
    },
    async create(o: KubernetesObject, _p?: string, dryRun?: string) {
      if (store.has(key(o))) throw fail(409, 'exists');
      return write(o, dryRun);
    },
    async replace(o: KubernetesObject, _p?: string, dryRun?: string) {
      return write(o, dryRun);
    },
    async delete(o: KubernetesObject, _p?: string, dryRun?: string) {
      if (!store.has(key(o))) throw fail(404, 'not found');
      if (dryRun !== 'All') store.delete(key(o));
      return {};
    },
    async list(apiVersion: string, kind: string, namespace?: string) {
      const items = [...store.values()].filter(
        (o) => o.apiVersion === apiVersion && o.kind === kind && (!namespace || o.metadata?.namespace === namespace),
      );
      return { items: structuredClone(items) };
    },
  };
  store.set(key(gatewayRef), {
    ...gatewayRef,
    metadata: { ...gatewayRef.metadata, annotations: { 'cert-manager.io/cluster-issuer': 'pebble-gateway' } },
    spec: { gatewayClassName: 'traefik', listeners: [{ name: 'http' }] },
  } as KubernetesObject);
  // The Gateway's listeners are written by a JSON patch guarded by its generation (edge-gateways.ts editGateway).
  const custom = {
    async patchNamespacedCustomObject(p: {
      plural: string;
      namespace: string;
      name: string;
      body: { op: string; path: string; value: unknown }[];
      dryRun?: string;
    }) {
      const cur = await api.read({ kind: 'Gateway', metadata: { namespace: p.namespace, name: p.name } });
      const [test, replace] = p.body;
      if (test?.op !== 'test' || (cur.metadata?.generation ?? undefined) !== test.value) throw fail(422, 'test failed');
      if (replace?.path !== '/spec/listeners')
        throw new Error(`the fake patches spec.listeners only, not ${replace?.path}`);
      return write(
        { ...cur, spec: { ...(cur as { spec: object }).spec, listeners: replace.value } } as KubernetesObject,
        p.dryRun,
      );
    },
  };
  const kc = { makeApiClient: () => custom };
  return { store, k: { objects: api, kc } as unknown as Clients };
}

const app = (domains: number) =>
  parseAppFixture(
    `org: acme\napp: shop\nimage: skyprobe/echo:1\nreplicas: 1\ncustomDomains: [${Array.from({ length: domains }, (_, i) => `d${i}.example.com`).join(', ')}]\n`,
    'shop.yaml',
  );
const target = (k: Clients, layout?: DeployTarget['layout']): DeployTarget => {
  const dir = mkdtempSync(join(tmpdir(), 'skyprobe-deploy-'));
  return {
    k,
    metadataDir: join(dir, 'metadata'),
    dns: { zonesDir: dir, nameserverIp: '192.0.2.53', lbIp: '192.0.2.10' },
    layout,
  };
};
const listenersOf = (store: Map<string, KubernetesObject>, gateway = 'satusky-edge') =>
  (
    (store.get(`Gateway/satusky-edge/${gateway}`) as unknown as { spec: { listeners: { name: string }[] } }).spec
      .listeners ?? []
  ).map((l) => l.name);

describe('deployApp is atomic', () => {
  it("prunes what another renderer's deploy applied and this one does not, and deletes all of it", async () => {
    const { store, k } = fakeApi(() => undefined);
    const t = target(k);
    const a = app(1);
    // Another renderer's output: the built-in one's and an Ingress of its own naming.
    const own = render(a, 'current');
    const extra = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'shop-aliases', namespace: 'org-acme' },
      spec: {},
    };
    await deployApp(t, a, 'current', { rendered: { ...own, objects: [...own.objects, extra] } });
    expect(store.has('Ingress/org-acme/shop-aliases')).toBe(true);
    await deployApp(t, a, 'current');
    expect(store.has('Ingress/org-acme/shop-aliases')).toBe(false);
    await deployApp(t, a, 'target', {
      rendered: { ...render(a, 'target'), objects: [...render(a, 'target').objects, extra] },
    });
    await deleteApp(t, a, 'target');
    expect([...store.keys()].filter((x) => !x.startsWith('Gateway/') && !x.startsWith('Namespace/'))).toEqual([]);
    expect(listenersOf(store)).toEqual(['http']);
  });

  it("delete removes the certificate Secrets cert-manager made for the app's hosts, and no other Secret", async () => {
    const { store, k } = fakeApi(() => undefined);
    const t = target(k);
    const a = app(1);
    await deployApp(t, a, 'current');
    const secret = (namespace: string, name: string, byCertManager: boolean) =>
      store.set(`Secret/${namespace}/${name}`, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name,
          namespace,
          ...(byCertManager ? { annotations: { 'cert-manager.io/certificate-name': name } } : {}),
        },
      } as KubernetesObject);
    const hosts = render(a, 'current').hosts;
    const [generated, custom] = [hosts.find((h) => h.kind === 'generated'), hosts.find((h) => h.kind === 'custom')];
    secret(generated?.tlsSecret.namespace ?? '', generated?.tlsSecret.name ?? '', true);
    secret(custom?.tlsSecret.namespace ?? '', custom?.tlsSecret.name ?? '', true);
    secret('org-acme', 'uploaded-by-the-user', false);
    secret('org-acme', `${a.app}-not-a-host-tls`, true);
    await deleteApp(t, a, 'current');
    expect([...store.keys()].filter((x) => x.startsWith('Secret/')).sort()).toEqual([
      'Secret/org-acme/shop-not-a-host-tls',
      'Secret/org-acme/uploaded-by-the-user',
    ]);
  });

  it('applies an app the API takes: its objects, its listeners, its metadata', async () => {
    const { store, k } = fakeApi(() => undefined);
    const t = target(k);
    await deployApp(t, app(2), 'target');
    expect([...store.keys()]).toEqual(expect.arrayContaining(['Namespace//org-acme', 'Deployment/org-acme/shop']));
    expect(listenersOf(store).length).toBe(1 + 3);
    expect(readMetadata(t.metadataDir)).toHaveLength(1);
  });

  it('a refusal found by the dry run: nothing applied, the error names the object and the reason', async () => {
    const { store, k } = fakeApi((o, dryRun) =>
      o.kind === 'Gateway' && dryRun ? 'spec.listeners: Too many: 68: must have at most 64 items' : undefined,
    );
    const t = target(k);
    const before = [...store.keys()];
    const err = (await deployApp(t, app(2), 'target').catch((e: unknown) => e)) as Error & { exitCode: number };
    expect(err.message).toBe(
      'app acme/shop: the API refused the listeners of Gateway satusky-edge/satusky-edge: spec.listeners: Too many: 68: must have at most 64 items; nothing was applied',
    );
    expect(err.exitCode).toBe(1);
    expect([...store.keys()]).toEqual(before);
    expect(readMetadata(t.metadataDir)).toEqual([]);
  });

  it('a refusal half-way: what the deploy created is deleted, the listeners it added dropped', async () => {
    const { store, k } = fakeApi((o) =>
      o.kind === 'HTTPRoute' && o.metadata?.name === 'shop-domains' ? 'hostnames: Too many' : undefined,
    );
    const t = target(k);
    const err = (await deployApp(t, app(2), 'target').catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(
      /^app acme\/shop: the API refused HTTPRoute org-acme\/shop-domains: hostnames: Too many; what the deploy had applied was removed again$/,
    );
    expect([...store.keys()]).toEqual(['Gateway/satusky-edge/satusky-edge']);
    expect(listenersOf(store)).toEqual(['http']);
  });

  it('keeps what existed before a failed redeploy, and puts a switched mode back', async () => {
    let refuseNow = false;
    const { store, k } = fakeApi((o, dryRun) =>
      refuseNow && !dryRun && o.kind === 'HTTPRoute' && o.metadata?.name === 'shop-domains' ? 'no' : undefined,
    );
    const t = target(k);
    await deployApp(t, app(1), 'current');
    const current = [...store.keys()].sort();
    const currentListeners = listenersOf(store).sort();
    refuseNow = true;
    // Refused at the real apply (the dry run passed): the switch had already removed the current mode's routes.
    await expect(deployApp(t, app(1), 'target')).rejects.toThrow(
      /refused HTTPRoute org-acme\/shop-domains: no; what the deploy had applied was removed again/,
    );
    expect([...store.keys()].sort()).toEqual(current);
    expect(listenersOf(store).sort()).toEqual(currentListeners);
    expect(readMetadata(t.metadataDir)[0]?.routing).toBe('current');
  });
});

/** Apps of `hosts` HTTPS hosts each in target routing (the generated host and hosts - 1 custom domains). */
const named = (name: string, hosts: number) =>
  parseAppFixture(
    `org: acme\napp: ${name}\nimage: skyprobe/echo:1\nreplicas: 1\ncustomDomains: [${Array.from({ length: hosts - 1 }, (_, i) => `d${i}.${name}.example`).join(', ')}]\n`,
    `${name}.yaml`,
  );
const gateways = (store: Map<string, KubernetesObject>) =>
  [...store.keys()].filter((k) => k.startsWith('Gateway/')).map((k) => k.split('/')[2]);

describe('the sharded layout', () => {
  it('opens a shard when the first Gateway is full, routes each host to its shard, and never moves a host', async () => {
    const { store, k } = fakeApi((o) =>
      o.kind === 'Gateway' && ((o as { spec: { listeners: unknown[] } }).spec.listeners.length ?? 0) > 64
        ? 'spec.listeners: Too many'
        : undefined,
    );
    const t = target(k, 'sharded');
    // Placement is per listener, to the first shard with room: 41 on the first (with http), then 23 of the second
    // app there and its other 17 on a new shard.
    await deployApp(t, named('one', 40), 'target');
    await deployApp(t, named('two', 40), 'target');
    expect(gateways(store)).toEqual(['satusky-edge', 'satusky-edge-1']);
    expect(listenersOf(store).length).toBe(64);
    expect(listenersOf(store, 'satusky-edge-1').length).toBe(17);
    const shard1 = store.get('Gateway/satusky-edge/satusky-edge-1') as KubernetesObject;
    expect(shard1.metadata?.annotations?.['cert-manager.io/cluster-issuer']).toBe('pebble-gateway');
    // Each HTTPS parentRef names the Gateway its listener is on.
    const route = store.get('HTTPRoute/org-acme/two-domains-2') as unknown as {
      spec: { parentRefs: { name: string; sectionName: string }[] };
    };
    for (const p of route.spec.parentRefs.filter((x) => x.sectionName !== 'http'))
      expect(listenersOf(store, p.name)).toContain(p.sectionName);
    // Redeploying and adding an app moves no listener.
    const before = { first: listenersOf(store), second: listenersOf(store, 'satusky-edge-1') };
    await deployApp(t, named('two', 40), 'target');
    await deployApp(t, named('three', 5), 'target');
    expect(listenersOf(store)).toEqual(before.first);
    expect(listenersOf(store, 'satusky-edge-1').slice(0, 17)).toEqual(before.second);
    expect(listenersOf(store, 'satusky-edge-1').length).toBe(22);
  });

  it('a shard left without listeners is deleted; a failed deploy removes the shard it opened', async () => {
    let refuse = false;
    const { store, k } = fakeApi((o) => (refuse && o.kind === 'Deployment' ? 'no' : undefined));
    const t = target(k, 'sharded');
    await deployApp(t, named('one', 63), 'target');
    refuse = true;
    await expect(deployApp(t, named('two', 3), 'target')).rejects.toThrow(/refused Deployment org-acme\/two/);
    expect(gateways(store)).toEqual(['satusky-edge']);
    refuse = false;
    await deployApp(t, named('two', 3), 'target');
    expect(gateways(store)).toEqual(['satusky-edge', 'satusky-edge-1']);
    await deleteApp(t, named('two', 3), 'target');
    expect(gateways(store)).toEqual(['satusky-edge']);
  });
});

describe('the listenerset layout', () => {
  it("puts the app's listeners on its ListenerSet, none on the Gateway, and lets ListenerSets attach", async () => {
    const { store, k } = fakeApi(() => undefined);
    const t = target(k, 'listenerset');
    await deployApp(t, app(2), 'target');
    expect(listenersOf(store)).toEqual(['http']);
    const ls = store.get('ListenerSet/org-acme/shop-listeners') as unknown as {
      spec: { parentRef: { name: string }; listeners: { hostname: string }[] };
    };
    expect(ls.spec.parentRef.name).toBe('satusky-edge');
    expect(ls.spec.listeners.map((l) => l.hostname)).toEqual([
      'shop-acme.satusky.com',
      'd0.example.com',
      'd1.example.com',
    ]);
    const gw = store.get('Gateway/satusky-edge/satusky-edge') as unknown as { spec: { allowedListeners: unknown } };
    expect(gw.spec.allowedListeners).toEqual({ namespaces: { from: 'All' } });
    await deleteApp(t, app(2), 'target');
    expect(store.has('ListenerSet/org-acme/shop-listeners')).toBe(false);
  });
});

describe('deployApp: bad input (docs/bad-input.md)', () => {
  it('a host another app already claims (duplicate hosts across apps): exit 2, one line, nothing applied', async () => {
    const { store, k } = fakeApi(() => undefined);
    const t = target(k);
    await deployApp(t, app(1), 'target');
    const before = [...store.keys()];
    const shop2 = parseAppFixture(
      'org: other\napp: shop\nimage: skyprobe/echo:1\ncustomDomains: [d0.example.com]\n',
      'shop2.yaml',
    );
    const err = (await deployApp(t, shop2, 'target').catch((e: unknown) => e)) as Error & { exitCode: number };
    expect(err.message).toBe('host d0.example.com is already claimed by app acme/shop; nothing was applied');
    expect(err.exitCode).toBe(2);
    expect([...store.keys()]).toEqual(before);
    expect(readMetadata(t.metadataDir).map((m) => `${m.org}/${m.app}`)).toEqual(['acme/shop']);
  });
});
