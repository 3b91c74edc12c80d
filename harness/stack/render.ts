/**
 * The renderer: an app fixture -> the Kubernetes objects Satusky's backend creates, in either routing mode
 * (DESIGN.md "Apps as Satusky creates them"). Pure, and unit-tested.
 *
 * | host      | current                                 | target                                   |
 * | generated | HTTPRoute on satusky-edge               | HTTPRoute                                |
 * | custom    | Ingress + cert-manager annotation       | HTTPRoute + Gateway listener (cert-manager gateway-shim) |
 * | alias     | Ingress                                 | HTTPRoute                                |
 * | www       | Ingress + Traefik redirect Middleware   | HTTPRoute RequestRedirect (301)          |
 *
 * Every HTTPS host on the Gateway gets its own listener (HTTP-01 cannot issue a wildcard for *.satusky.com),
 * whose certificate cert-manager's gateway-shim requests; the listener's Secret lives in the Gateway's namespace.
 * Where the listeners go is the layout (layout.ts): the one Gateway, the Gateway shard `gatewayOf` names (sharded),
 * or a ListenerSet per app in the org's namespace (listenerset; its Secrets there too). An HTTPRoute takes at most
 * 16 hostnames: an app's custom domains and aliases are split over `<app>-domains`, `<app>-domains-2`, ...
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { type AppFixture, appHosts } from './app-fixture.ts';
import { EDGE_NAMESPACE, GATEWAY_NAME, HTTP_LISTENER, INGRESS_CLASS, ISSUER_INGRESS } from './edge-objects.ts';
import { type Layout, MAX_LISTENERS, MAX_ROUTE_HOSTNAMES } from './layout.ts';
import type { Routing } from './routing.ts';

export interface GatewayListener {
  name: string;
  hostname: string;
  port: number;
  protocol: 'HTTPS';
  tls: { mode: 'Terminate'; certificateRefs: { kind: 'Secret'; name: string; namespace?: string }[] };
  allowedRoutes: { namespaces: { from: 'All' } };
}

/**
 * Which replica answered: the echo backend names its pod, namespace and node from these, which a container gets
 * only through the downward API (no kubelet sets them by itself).
 */
export const POD_IDENTITY_ENV = [
  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
  { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
];

export interface RenderedHost {
  host: string;
  kind: 'generated' | 'custom' | 'alias' | 'www';
  /** Which object routes it. */
  route: { kind: 'HTTPRoute' | 'Ingress'; namespace: string; name: string };
  /** Where its certificate ends up. */
  tlsSecret: { namespace: string; name: string };
}

export interface Rendered {
  namespace: string;
  objects: KubernetesObject[];
  /** HTTPS listeners this app needs on the edge's Gateways (none in the listenerset layout: they are objects). */
  listeners: GatewayListener[];
  /** Listener name -> the Gateway (in the edge's namespace) it goes on. */
  gatewayOf: Record<string, string>;
  hosts: RenderedHost[];
}

export interface RenderOptions {
  /** Default listener-per-host. */
  layout?: Layout;
  /** sharded: the Gateway shard of a listener (shards.ts placeListeners); default the one Gateway. */
  gatewayOf?: (listener: string) => string;
}

/** Split a list into pieces of at most `n`. */
export const chunks = <T>(xs: T[], n: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));
/** The n-th (from 0) of several objects of one name: `name`, `name-2`, `name-3`, ... */
const nth = (name: string, i: number) => (i === 0 ? name : `${name}-${i + 1}`);

const slug = (host: string) => host.replace(/\./g, '-');
export const listenerName = (host: string) => `https-${slug(host)}`.slice(0, 253);
export const orgNamespace = (org: string) => `org-${org}`;

export function render(a: AppFixture, routing: Routing, o: RenderOptions = {}): Rendered {
  const ns = orgNamespace(a.org);
  const layout = o.layout ?? 'listener-per-host';
  const labels = { 'app.kubernetes.io/name': a.app, 'satusky.com/org': a.org, 'satusky.com/app': a.app };
  const backend = { name: a.app, port: 80 };
  const hosts = appHosts(a);
  const www = hosts.find((h) => h.kind === 'www');
  const apex = a.customDomains[0];
  const domainHosts = hosts.filter((h) => h.kind === 'custom' || h.kind === 'alias').map((h) => h.host);

  const objects: KubernetesObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'satusky.com/org': a.org } } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: a.app, namespace: ns, labels },
      spec: {
        replicas: a.replicas,
        selector: { matchLabels: { 'app.kubernetes.io/name': a.app } },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'app',
                image: a.image,
                env: [
                  { name: 'PORT', value: String(a.port) },
                  { name: 'APP', value: `${a.org}/${a.app}` },
                  ...POD_IDENTITY_ENV,
                ],
                ports: [{ name: 'http', containerPort: a.port }],
                readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 1 },
              },
            ],
          },
        },
      },
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: a.app, namespace: ns, labels },
      spec: {
        type: 'ClusterIP',
        selector: { 'app.kubernetes.io/name': a.app },
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      },
    } as KubernetesObject,
  ];

  const listeners: GatewayListener[] = [];
  const gatewayOf: Record<string, string> = {};
  const rendered: RenderedHost[] = [];
  // The HTTPS hosts on the edge: every host in target routing, the generated one in current routing.
  const httpsHosts = (routing === 'target' ? hosts : hosts.filter((h) => h.kind === 'generated')).map((h) => h.host);
  const listenerSets = layout === 'listenerset' ? chunks(httpsHosts, MAX_LISTENERS) : [];
  const setOf = (host: string) =>
    nth(
      `${a.app}-listeners`,
      listenerSets.findIndex((hs) => hs.includes(host)),
    );
  const httpParent = { name: GATEWAY_NAME, namespace: EDGE_NAMESPACE, sectionName: HTTP_LISTENER };
  const httpsParent = (h: string) =>
    layout === 'listenerset'
      ? {
          group: 'gateway.networking.k8s.io',
          kind: 'ListenerSet',
          name: setOf(h),
          namespace: ns,
          sectionName: listenerName(h),
        }
      : {
          name: o.gatewayOf?.(listenerName(h)) ?? GATEWAY_NAME,
          namespace: EDGE_NAMESPACE,
          sectionName: listenerName(h),
        };
  const httpsParents = (hs: string[]) => hs.map(httpsParent);
  const gatewayParents = (hs: string[]) => [httpParent, ...httpsParents(hs)];
  const listenerOf = (host: string): GatewayListener => ({
    name: listenerName(host),
    hostname: host,
    port: 443,
    protocol: 'HTTPS',
    tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: `tls-${slug(host)}` }] },
    allowedRoutes: { namespaces: { from: 'All' } },
  });
  const onGateway = (host: string, kind: RenderedHost['kind'], route: string) => {
    if (layout !== 'listenerset') {
      listeners.push(listenerOf(host));
      gatewayOf[listenerName(host)] = httpsParent(host).name;
    }
    rendered.push({
      host,
      kind,
      route: { kind: 'HTTPRoute', namespace: ns, name: route },
      tlsSecret: { namespace: layout === 'listenerset' ? ns : EDGE_NAMESPACE, name: `tls-${slug(host)}` },
    });
  };
  // listenerset: the app's HTTPS listeners on its own ListenerSets (64 each) attached to the Gateway, whose
  // certificates cert-manager's ListenerSet shim requests in the ListenerSet's namespace.
  listenerSets.forEach((hs, i) =>
    objects.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'ListenerSet',
      metadata: { name: nth(`${a.app}-listeners`, i), namespace: ns, labels },
      spec: {
        parentRef: {
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          name: GATEWAY_NAME,
          namespace: EDGE_NAMESPACE,
        },
        listeners: hs.map(listenerOf),
      },
    } as KubernetesObject),
  );
  const route = (name: string, hostnames: string[], parentRefs: unknown[], rule: Record<string, unknown>) =>
    ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name, namespace: ns, labels },
      spec: { parentRefs, hostnames, rules: [rule] },
    }) as KubernetesObject;
  const toBackend = { backendRefs: [backend] };
  const toHttps = { filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] };
  /** A route to the app on HTTPS, and on HTTP unless the app redirects HTTP to HTTPS (then a redirect route). */
  const appRoutes = (name: string, hostnames: string[]) =>
    a.httpsRedirect
      ? [
          route(name, hostnames, httpsParents(hostnames), toBackend),
          route(`${name}-to-https`, hostnames, [httpParent], toHttps),
        ]
      : [route(name, hostnames, gatewayParents(hostnames), toBackend)];
  const httpRoute = (name: string, hostnames: string[], rule: Record<string, unknown>) =>
    route(name, hostnames, gatewayParents(hostnames), rule);

  // Generated host: Gateway API in both modes.
  objects.push(...appRoutes(`${a.app}-generated`, [a.generatedHost]));
  onGateway(a.generatedHost, 'generated', `${a.app}-generated`);

  if (routing === 'target') {
    // At most 16 hostnames per HTTPRoute: `<app>-domains`, `<app>-domains-2`, ...
    chunks(domainHosts, MAX_ROUTE_HOSTNAMES).forEach((hs, i) => {
      objects.push(...appRoutes(nth(`${a.app}-domains`, i), hs));
      for (const h of hosts.filter((x) => hs.includes(x.host))) onGateway(h.host, h.kind, nth(`${a.app}-domains`, i));
    });
    if (www && apex) {
      objects.push(
        httpRoute(`${a.app}-www`, [www.host], {
          filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', hostname: apex, statusCode: 301 } }],
        }),
      );
      onGateway(www.host, 'www', `${a.app}-www`);
    }
  } else {
    const ingress = (name: string, hs: string[], annotations: Record<string, string> = {}) =>
      ({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: {
          name,
          namespace: ns,
          labels,
          annotations: { 'cert-manager.io/cluster-issuer': ISSUER_INGRESS, ...annotations },
        },
        spec: {
          ingressClassName: INGRESS_CLASS,
          tls: hs.map((h) => ({ hosts: [h], secretName: `${a.app}-${slug(h)}-tls` })),
          rules: hs.map((h) => ({
            host: h,
            http: {
              paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: a.app, port: { number: 80 } } } }],
            },
          })),
        },
      }) as KubernetesObject;
    const onIngress = (host: string, kind: RenderedHost['kind'], name: string) =>
      rendered.push({
        host,
        kind,
        route: { kind: 'Ingress', namespace: ns, name },
        tlsSecret: { namespace: ns, name: `${a.app}-${slug(host)}-tls` },
      });
    if (domainHosts.length > 0) {
      const redirect = `${a.app}-https-redirect`;
      if (a.httpsRedirect)
        objects.push({
          apiVersion: 'traefik.io/v1alpha1',
          kind: 'Middleware',
          metadata: { name: redirect, namespace: ns, labels },
          spec: { redirectScheme: { scheme: 'https', permanent: true } },
        } as KubernetesObject);
      objects.push(
        ingress(
          `${a.app}-domains`,
          domainHosts,
          a.httpsRedirect
            ? { 'traefik.ingress.kubernetes.io/router.middlewares': `${ns}-${redirect}@kubernetescrd` }
            : {},
        ),
      );
      for (const h of hosts.filter((x) => x.kind === 'custom' || x.kind === 'alias'))
        onIngress(h.host, h.kind, `${a.app}-domains`);
    }
    if (www && apex) {
      const mw = `${a.app}-www-redirect`;
      objects.push({
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'Middleware',
        metadata: { name: mw, namespace: ns, labels },
        spec: {
          redirectRegex: {
            regex: `^https?://${www.host.replace(/\./g, '\\.')}(?::\\d+)?(.*)$`,
            replacement: `https://${apex}\${1}`,
            permanent: true,
          },
        },
      } as KubernetesObject);
      objects.push(
        ingress(`${a.app}-www`, [www.host], {
          'traefik.ingress.kubernetes.io/router.middlewares': `${ns}-${mw}@kubernetescrd`,
        }),
      );
      onIngress(www.host, 'www', `${a.app}-www`);
    }
  }
  return { namespace: ns, objects, listeners, gatewayOf, hosts: rendered };
}
