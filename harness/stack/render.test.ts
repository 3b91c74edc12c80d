import { readFileSync } from 'node:fs';
import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parseAppFixture } from './app-fixture.ts';
import { claimConflicts } from './deploy.ts';
import { render } from './render.ts';

const shop = parseAppFixture(readFileSync(new URL('../../fixtures/apps/shop.yaml', import.meta.url), 'utf8'));
type Obj = KubernetesObject & { spec?: Record<string, unknown> };
const find = (objs: KubernetesObject[], kind: string, name: string) =>
  objs.find((o) => o.kind === kind && o.metadata?.name === name) as Obj | undefined;
const kinds = (objs: KubernetesObject[]) => objs.map((o) => `${o.kind}/${o.metadata?.name}`);

describe('rendering an app as Satusky does', () => {
  it('current routing: HTTPRoute for the generated host, Ingress for custom domains and aliases, Ingress + redirect Middleware for www', () => {
    const r = render(shop, 'current');
    expect(kinds(r.objects)).toEqual([
      'Namespace/org-acme',
      'Deployment/shop',
      'Service/shop',
      'HTTPRoute/shop-generated',
      'Ingress/shop-domains',
      'Middleware/shop-www-redirect',
      'Ingress/shop-www',
    ]);
    const ing = find(r.objects, 'Ingress', 'shop-domains') as Obj;
    expect(ing.metadata?.annotations?.['cert-manager.io/cluster-issuer']).toBe('pebble-ingress');
    expect((ing.spec?.rules as { host: string }[]).map((x) => x.host)).toEqual([
      'shop.example.com',
      'store.example.com',
    ]);
    expect(ing.spec?.tls).toEqual([
      { hosts: ['shop.example.com'], secretName: 'shop-shop-example-com-tls' },
      { hosts: ['store.example.com'], secretName: 'shop-store-example-com-tls' },
    ]);
    const mw = find(r.objects, 'Middleware', 'shop-www-redirect') as Obj;
    expect(mw.spec?.redirectRegex).toEqual({
      regex: '^https?://www\\.shop\\.example\\.com(?::\\d+)?(.*)$',
      replacement: 'https://shop.example.com${1}',
      permanent: true,
    });
    expect(
      find(r.objects, 'Ingress', 'shop-www')?.metadata?.annotations?.[
        'traefik.ingress.kubernetes.io/router.middlewares'
      ],
    ).toBe('org-acme-shop-www-redirect@kubernetescrd');
    expect(r.listeners.map((l) => l.hostname)).toEqual(['shop-acme.satusky.com']);
    expect(r.hosts.map((h) => [h.host, h.route.kind])).toEqual([
      ['shop-acme.satusky.com', 'HTTPRoute'],
      ['shop.example.com', 'Ingress'],
      ['store.example.com', 'Ingress'],
      ['www.shop.example.com', 'Ingress'],
    ]);
  });

  it('target routing: HTTPRoutes for every host, a listener with its own certificate per host, a permanent RequestRedirect for www', () => {
    const r = render(shop, 'target');
    expect(kinds(r.objects)).toEqual([
      'Namespace/org-acme',
      'Deployment/shop',
      'Service/shop',
      'HTTPRoute/shop-generated',
      'HTTPRoute/shop-domains',
      'HTTPRoute/shop-www',
    ]);
    expect(r.objects.some((o) => o.kind === 'Ingress')).toBe(false);
    expect(r.listeners.map((l) => [l.name, l.hostname, l.tls.certificateRefs[0]?.name])).toEqual([
      ['https-shop-acme-satusky-com', 'shop-acme.satusky.com', 'tls-shop-acme-satusky-com'],
      ['https-shop-example-com', 'shop.example.com', 'tls-shop-example-com'],
      ['https-store-example-com', 'store.example.com', 'tls-store-example-com'],
      ['https-www-shop-example-com', 'www.shop.example.com', 'tls-www-shop-example-com'],
    ]);
    const www = find(r.objects, 'HTTPRoute', 'shop-www') as Obj;
    expect(www.spec?.rules).toEqual([
      {
        filters: [
          {
            type: 'RequestRedirect',
            requestRedirect: { scheme: 'https', hostname: 'shop.example.com', statusCode: 301 },
          },
        ],
      },
    ]);
    const domains = find(r.objects, 'HTTPRoute', 'shop-domains') as Obj;
    expect(domains.spec?.hostnames).toEqual(['shop.example.com', 'store.example.com']);
    expect((domains.spec?.parentRefs as { sectionName: string }[]).map((p) => p.sectionName)).toEqual([
      'http',
      'https-shop-example-com',
      'https-store-example-com',
    ]);
  });

  it('runs the workload the same way in both modes: Deployment with a real readiness probe, ClusterIP Service', () => {
    for (const mode of ['current', 'target'] as const) {
      const dep = find(render(shop, mode).objects, 'Deployment', 'shop') as Obj;
      expect(JSON.stringify(dep.spec)).toContain('"readinessProbe":{"httpGet":{"path":"/healthz","port":"http"}');
      expect((find(render(shop, mode).objects, 'Service', 'shop') as Obj).spec?.type).toBe('ClusterIP');
    }
  });

  it('finds hosts another app already claims', () => {
    const other = {
      org: 'evil',
      app: 'x',
      deployment: 'org-evil/x',
      routing: 'current' as const,
      deployedAt: '',
      hosts: render(shop, 'current').hosts.slice(1, 2),
    };
    expect(claimConflicts(shop, render(shop, 'target'), [other])).toEqual([
      { host: 'shop.example.com', owner: 'evil/x' },
    ]);
    expect(claimConflicts(shop, render(shop, 'target'), [{ ...other, org: 'acme', app: 'shop' }])).toEqual([]);
  });
});

describe('HTTP to HTTPS redirect', () => {
  const secure = parseAppFixture(
    'org: secure\napp: vault\nimage: skyprobe/echo:1\ncustomDomains: [vault.example.net]\nhttpsRedirect: true',
  );
  it('target: the app is routed on HTTPS only, and HTTP gets a permanent redirect route', () => {
    const r = render(secure, 'target');
    const domains = find(r.objects, 'HTTPRoute', 'vault-domains') as Obj;
    expect((domains.spec?.parentRefs as { sectionName: string }[]).map((p) => p.sectionName)).toEqual([
      'https-vault-example-net',
    ]);
    const toHttps = find(r.objects, 'HTTPRoute', 'vault-domains-to-https') as Obj;
    expect((toHttps.spec?.parentRefs as { sectionName: string }[]).map((p) => p.sectionName)).toEqual(['http']);
    expect(toHttps.spec?.rules).toEqual([
      { filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] },
    ]);
    expect(find(r.objects, 'HTTPRoute', 'vault-generated-to-https')).toBeDefined();
  });
  it('current: the Ingress carries a permanent redirectScheme Middleware', () => {
    const r = render(secure, 'current');
    expect((find(r.objects, 'Middleware', 'vault-https-redirect') as Obj).spec).toEqual({
      redirectScheme: { scheme: 'https', permanent: true },
    });
    expect(
      find(r.objects, 'Ingress', 'vault-domains')?.metadata?.annotations?.[
        'traefik.ingress.kubernetes.io/router.middlewares'
      ],
    ).toBe('org-secure-vault-https-redirect@kubernetescrd');
  });
});

describe('past the API limits of one object', () => {
  const many = parseAppFixture(
    `org: big\napp: many\nimage: skyprobe/echo:1\ncustomDomains: [${Array.from({ length: 20 }, (_, i) => `d${i}.big.example`).join(', ')}]\naliases: [a.big.example]\nwwwRedirect: true`,
  );
  it('target: 21 custom domains and aliases in two HTTPRoutes of at most 16 hostnames, each host in its own', () => {
    const r = render(many, 'target');
    const routes = r.objects.filter((o) => o.kind === 'HTTPRoute' && /-domains/.test(o.metadata?.name ?? '')) as Obj[];
    expect(routes.map((o) => [o.metadata?.name, (o.spec?.hostnames as string[]).length])).toEqual([
      ['many-domains', 16],
      ['many-domains-2', 5],
    ]);
    for (const o of routes) {
      const hs = o.spec?.hostnames as string[];
      const parents = (o.spec?.parentRefs as { sectionName: string }[]).map((p) => p.sectionName);
      expect(parents).toEqual(['http', ...hs.map((h) => `https-${h.replace(/\./g, '-')}`)]);
    }
    const second = r.hosts.filter((h) => h.route.name === 'many-domains-2').map((h) => h.host);
    expect(second).toEqual([
      'd16.big.example',
      'd17.big.example',
      'd18.big.example',
      'd19.big.example',
      'a.big.example',
    ]);
    expect(r.listeners).toHaveLength(1 + 21 + 1);
  });

  it('sharded: every HTTPS parentRef names the Gateway its listener is placed on', () => {
    const r = render(many, 'target', {
      layout: 'sharded',
      gatewayOf: (l) => (l.startsWith('https-d1') ? 'satusky-edge-1' : 'satusky-edge'),
    });
    for (const o of r.objects.filter((x) => x.kind === 'HTTPRoute') as Obj[])
      for (const p of o.spec?.parentRefs as { name: string; sectionName: string }[])
        expect(p.name).toBe(p.sectionName.startsWith('https-d1') ? 'satusky-edge-1' : 'satusky-edge');
    expect(r.gatewayOf['https-d12-big-example']).toBe('satusky-edge-1');
    expect(r.gatewayOf['https-d2-big-example']).toBe('satusky-edge');
  });

  it("listenerset: the app's HTTPS listeners on its ListenerSets of at most 64, routes attached to them, Secrets in the org", () => {
    const huge = parseAppFixture(
      `org: big\napp: huge\nimage: skyprobe/echo:1\ncustomDomains: [${Array.from({ length: 70 }, (_, i) => `d${i}.big.example`).join(', ')}]`,
    );
    const r = render(huge, 'target', { layout: 'listenerset' });
    expect(r.listeners).toEqual([]);
    const sets = r.objects.filter((o) => o.kind === 'ListenerSet') as Obj[];
    expect(sets.map((s) => [s.metadata?.name, (s.spec?.listeners as unknown[]).length])).toEqual([
      ['huge-listeners', 64],
      ['huge-listeners-2', 7],
    ]);
    expect(sets[0]?.spec?.parentRef).toEqual({
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      name: 'satusky-edge',
      namespace: 'satusky-edge',
    });
    const route = find(r.objects, 'HTTPRoute', 'huge-domains-5') as Obj;
    const refs = route.spec?.parentRefs as { kind?: string; name: string; namespace: string }[];
    expect(refs[0]).toEqual({ name: 'satusky-edge', namespace: 'satusky-edge', sectionName: 'http' });
    expect(refs.slice(1).every((p) => p.kind === 'ListenerSet' && p.namespace === 'org-big')).toBe(true);
    expect(refs.at(-1)?.name).toBe('huge-listeners-2');
    expect(r.hosts.every((h) => h.tlsSecret.namespace === 'org-big')).toBe(true);
  });
});
