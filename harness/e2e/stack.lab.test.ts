/**
 * The Satusky routing stack on the embedded lab, end to end, in both routing modes: from the internet host,
 * resolving through public DNS and connecting through the load balancer, each host of an app reaches its pods
 * over HTTP and HTTPS with a certificate from Pebble; www redirects permanently; unknown hosts get the edge's 404.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRunner } from '../exec/runner.ts';
import { type Clients, clientsFor } from '../k8s/client.ts';
import { silentProgress } from '../log.ts';
import { LB_IP, PUBLIC_DNS_IP } from '../providers/embedded/address-plan.ts';
import { labDown, labUp, liveLab } from '../providers/embedded/lab.ts';
import { httpFromNetns } from '../probes/http.ts';
import { deployTarget, stackPaths } from '../providers/embedded/stack.ts';
import type { LabState } from '../providers/embedded/state.ts';
import { waitUntil } from '../converge.ts';
import { parseAppFixture } from '../stack/app-fixture.ts';
import { type DeployTarget, deleteApp, deployApp } from '../stack/deploy.ts';
import { EDGE_NAMESPACE, GATEWAY_NAME } from '../stack/edge-objects.ts';
import { setRecords } from '../stack/public-dns.ts';
import { render } from '../stack/render.ts';
import { ROUTINGS } from '../stack/routing.ts';

const shop = parseAppFixture(readFileSync(new URL('../../fixtures/apps/shop.yaml', import.meta.url), 'utf8'));
type Conditioned = KubernetesObject & {
  status?: Record<string, unknown> & { conditions?: { type: string; status: string }[] };
};
const isTrue = (o: Conditioned | { conditions?: { type: string; status: string }[] } | undefined, type: string) =>
  (
    (o as Conditioned)?.status?.conditions ??
    (o as { conditions?: { type: string; status: string }[] })?.conditions ??
    []
  ).some((c) => c.type === type && c.status === 'True');

describe('the routing stack', () => {
  let lab: LabState;
  let k: Clients;
  let target: DeployTarget;
  let internet: string;
  let pebbleRoot: string;

  beforeAll(async () => {
    lab = await labUp({ nodes: 2, run: execRunner, progress: silentProgress, stack: true });
    k = clientsFor(lab.kubeconfig);
    target = deployTarget(lab, k);
    internet = lab.hosts.internet?.netns as string;
    pebbleRoot = stackPaths(lab.dir).pebbleRoot;
    // The user points their own zone at the load balancer, as Satusky's docs tell them to.
    setRecords(
      stackPaths(lab.dir).zones,
      'example.com',
      [
        { name: 'shop.example.com', type: 'A', value: LB_IP },
        { name: 'store.example.com', type: 'A', value: LB_IP },
        { name: 'www.shop.example.com', type: 'CNAME', value: 'shop.example.com' },
      ],
      PUBLIC_DNS_IP,
    );
  }, 120_000);

  afterAll(async () => {
    if (liveLab()) await labDown(execRunner);
  }, 60_000);

  const get = (url: string, opts: { resolve?: string } = {}) =>
    httpFromNetns(execRunner, internet, url, { cacert: pebbleRoot, ...opts });
  const read = (apiVersion: string, kind: string, name: string, namespace?: string) =>
    k.objects.read({ apiVersion, kind, metadata: { name, namespace } }) as Promise<Conditioned>;

  describe.each(ROUTINGS)('%s routing', (routing) => {
    let appPods: string[];
    const rendered = render(shop, routing);

    beforeAll(async () => {
      await deployApp(target, shop, routing);
      await waitUntil(
        'every certificate of the app Ready',
        async () => {
          for (const h of rendered.hosts) {
            const list = (await k.objects.list('cert-manager.io/v1', 'Certificate', h.tlsSecret.namespace)) as {
              items: (Conditioned & { spec: { secretName: string } })[];
            };
            const crt = list.items.find((c) => c.spec.secretName === h.tlsSecret.name);
            if (!isTrue(crt, 'Ready')) return false;
          }
          return true;
        },
        { timeoutMs: 90_000, intervalMs: 500 },
      );
      appPods = (
        await k.core.listNamespacedPod({ namespace: 'org-acme', labelSelector: 'app.kubernetes.io/name=shop' })
      ).items.map((p) => p.metadata?.name as string);
      expect(appPods).toHaveLength(2);
    }, 120_000);

    it('HTTP and HTTPS to every app host reach the app, with a certificate that chains to Pebble and covers the host', async () => {
      for (const h of rendered.hosts.filter((x) => x.kind !== 'www')) {
        for (const scheme of ['http', 'https']) {
          const r = await waitUntil(
            `${scheme}://${h.host} answers 200`,
            async () => {
              const x = await get(`${scheme}://${h.host}/probe`);
              return x.status === 200 ? x : undefined;
            },
            { timeoutMs: 15_000, intervalMs: 300 },
          );
          expect(r.remoteIp, `${h.host} resolves to the load balancer`).toBe(LB_IP);
          const body = JSON.parse(r.body) as { pod: string; app: string; host: string; tls: boolean };
          expect(appPods).toContain(body.pod);
          expect(body).toMatchObject({ app: 'acme/shop', host: h.host, tls: scheme === 'https' });
          if (scheme === 'https')
            expect(r.sslVerifyResult, `${h.host}: chain and name verified against Pebble's root`).toBe(0);
        }
      }
    });

    it("the same HTTPS request without Pebble's root fails verification (trust is explicit, never skipped)", async () => {
      const r = await httpFromNetns(execRunner, internet, `https://${shop.generatedHost}/`);
      expect(r.status).toBe(0);
      expect(r.error).toMatch(/certificate/i);
    });

    it('www answers a permanent redirect to the exact apex URL, over HTTP and HTTPS', async () => {
      for (const scheme of ['http', 'https']) {
        const r = await waitUntil(
          `${scheme}://www redirects`,
          async () => {
            const x = await get(`${scheme}://www.shop.example.com/a/b?c=1`);
            return x.status === 301 ? x : undefined;
          },
          { timeoutMs: 15_000, intervalMs: 300 },
        );
        expect(r.location).toBe('https://shop.example.com/a/b?c=1');
      }
    });

    it("an unknown host gets the edge's 404 and no app content", async () => {
      for (const host of ['unknown.example.com', 'nope.satusky.com']) {
        const r = await get(`http://${host}/`, { resolve: `${host}:80:${LB_IP}` });
        expect(r.status).toBe(404);
        expect(r.body).toBe('404 page not found\n');
      }
    });

    it('statuses: HTTPRoutes Accepted and ResolvedRefs, Gateway Programmed with the LB address, Ingress status with the LB address', async () => {
      const gw = await read('gateway.networking.k8s.io/v1', 'Gateway', GATEWAY_NAME, EDGE_NAMESPACE);
      expect(isTrue(gw, 'Programmed')).toBe(true);
      expect((gw.status?.addresses as { value: string }[]).map((a) => a.value)).toEqual([LB_IP]);
      for (const h of rendered.hosts) {
        const route = await read(
          h.route.kind === 'HTTPRoute' ? 'gateway.networking.k8s.io/v1' : 'networking.k8s.io/v1',
          h.route.kind,
          h.route.name,
          h.route.namespace,
        );
        if (h.route.kind === 'HTTPRoute') {
          const parents = (route.status?.parents ?? []) as {
            parentRef: { sectionName?: string };
            conditions: { type: string; status: string }[];
          }[];
          expect(parents.length, `${h.route.name} has parent statuses`).toBeGreaterThan(0);
          for (const p of parents) {
            expect(isTrue(p, 'Accepted'), `${h.route.name} ${p.parentRef.sectionName} Accepted`).toBe(true);
            expect(isTrue(p, 'ResolvedRefs'), `${h.route.name} ${p.parentRef.sectionName} ResolvedRefs`).toBe(true);
          }
        } else {
          const lb = (route.status?.loadBalancer as { ingress?: { ip: string }[] })?.ingress?.map((i) => i.ip);
          expect(lb, `${h.route.name} status`).toEqual([LB_IP]);
        }
      }
    });
  });

  it('deleting the app removes its generated DNS record and its routes', async () => {
    const dig = async () =>
      (
        await execa('ip', [
          'netns',
          'exec',
          internet,
          'dig',
          '+short',
          '+time=1',
          '+tries=1',
          `@${PUBLIC_DNS_IP}`,
          shop.generatedHost,
          'A',
        ])
      ).stdout.trim();
    const routing = ROUTINGS[ROUTINGS.length - 1] ?? 'target';
    await deployApp(target, shop, routing);
    await waitUntil('generated record published', async () => (await dig()) === LB_IP, {
      timeoutMs: 10_000,
      intervalMs: 300,
    });
    await deleteApp(target, shop, routing);
    await waitUntil('generated record gone from public DNS', async () => (await dig()) === '', {
      timeoutMs: 10_000,
      intervalMs: 300,
    });
    for (const h of render(shop, routing).hosts) {
      await expect(read('gateway.networking.k8s.io/v1', 'HTTPRoute', h.route.name, h.route.namespace)).rejects.toThrow(
        /404|not found/i,
      );
    }
    const gw = await read('gateway.networking.k8s.io/v1', 'Gateway', GATEWAY_NAME, EDGE_NAMESPACE);
    expect((gw as unknown as { spec: { listeners: { name: string }[] } }).spec.listeners.map((l) => l.name)).toEqual([
      'http',
    ]);
    await waitUntil(
      'the generated host gets the edge 404',
      async () => {
        const r = await get(`http://${shop.generatedHost}/`, { resolve: `${shop.generatedHost}:80:${LB_IP}` });
        return r.status === 404 ? r : (r.error ?? r.status) && false;
      },
      { timeoutMs: 10_000, intervalMs: 300 },
    );
  });

  it('lab down leaves no wireguard-go process, no key file and no namespace behind', async () => {
    const keys = join(lab.dir, 'mgmt');
    expect(readdirSync(keys).sort()).toEqual(['cp.key', 'cp.pub', 'machine.key', 'machine.pub']);
    expect((statSync(join(keys, 'cp.key')).mode & 0o777).toString(8)).toBe('600');
    expect(
      (await execa('pgrep', ['-x', 'wireguard-go'], { reject: false })).stdout.trim().split('\n').filter(Boolean),
    ).toHaveLength(2);
    await labDown(execRunner);
    expect((await execa('pgrep', ['-x', 'wireguard-go'], { reject: false })).stdout.trim()).toBe('');
    expect(existsSync(keys)).toBe(false);
    expect((await execa('ip', ['netns', 'list'])).stdout.split('\n').filter((l) => l.startsWith('sky-'))).toEqual([]);
  }, 60_000);
});
