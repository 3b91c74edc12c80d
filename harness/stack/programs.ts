/**
 * How the platform runs its stack's programs, whatever hosts them (the embedded lab's namespaces or a kind
 * cluster): Traefik's flags, cert-manager's controller flags, Pebble's configuration and environment. Each
 * provider adds only what is its own (binary paths, kubeconfigs, listen addresses).
 */
import { type Issuance, edgeTiming } from './issuance.ts';

/** The edge's ports: HTTP, HTTPS, HTTP on 8080 (Gateway listeners on port 8080), and Traefik's own ping. */
export const EDGE_PORTS = { web: 80, websecure: 443, web8080: 8080, ping: 9000 } as const;

/**
 * Traefik's flags as the platform runs it, whatever hosts it: both entrypoints, Gateway API and Ingress providers
 * reporting `statusIp` (the load balancer's address) in status, the CRD provider (Middlewares), JSON access log.
 * Every router on :443 is TLS: legacy Ingress routers serve both :80 and :443, with the Ingress's certificates.
 */
export function traefikFlags(statusIp: string, issuance: Issuance): string[] {
  return [
    ...edgeTiming(issuance),
    `--entrypoints.web.address=:${EDGE_PORTS.web}`,
    `--entrypoints.websecure.address=:${EDGE_PORTS.websecure}`,
    '--entrypoints.websecure.http.tls=true',
    // Port 8080 serves Gateway listeners on 8080 (the Gateway API feature GatewayPort8080, which Traefik declares
    // and its own conformance setup gives it); Traefik's ping moves to 9000, where its conformance setup has it.
    `--entrypoints.web8080.address=:${EDGE_PORTS.web8080}`,
    `--entrypoints.traefik.address=:${EDGE_PORTS.ping}`,
    '--ping=true',
    '--ping.entrypoint=traefik',
    '--providers.kubernetesgateway=true',
    `--providers.kubernetesgateway.statusaddress.ip=${statusIp}`,
    '--providers.kubernetesingress=true',
    `--providers.kubernetesingress.ingressendpoint.ip=${statusIp}`,
    '--providers.kubernetescrd=true',
    '--accesslog=true',
    '--accesslog.format=json',
    '--log.level=INFO',
  ];
}

/** cert-manager's controller flags beyond its defaults (and beyond the upstream manifest's, on kind). */
export function certManagerFlags(publicDnsIp: string): string[] {
  return [
    '--enable-gateway-api',
    // The HTTP-01 self-check resolves hosts through public DNS, not the cluster's resolver.
    `--acme-http01-solver-nameservers=${publicDnsIp}:53`,
    // A listener whose Secret does not exist yet makes Traefik 3.6 reject the whole Gateway, HTTP-01 route
    // included; a temporary certificate (cert-manager's own mechanism) keeps the Gateway accepted meanwhile.
    '--extra-certificate-annotations=cert-manager.io/issue-temporary-certificate',
    // Self-checks every second, not every 10 s (upstream uses this period for HTTP-01 too): routes are programmed
    // within a second.
    '--dns01-check-retry-period=1s',
  ];
}

/**
 * cert-manager's ListenerSet shim (alpha in v1.21: the feature gate and the flag, upstream's names), which makes a
 * Certificate for each HTTPS listener of a ListenerSet, in the ListenerSet's namespace. The embedded lab's launcher
 * takes them (fixtures/components/cert-manager/controller/main.go); kind's upstream manifest is left as it is.
 */
export const CERT_MANAGER_LISTENERSET_FLAGS = ['--feature-gates=ListenerSets=true', '--enable-gateway-api-listenerset'];

/** Pebble's configuration: ACME on `listen`, management on `mgmt`, HTTP-01 on :80, TLS-ALPN on :443. */
export function pebbleConfig(o: { listen: string; mgmt: string; certificate: string; privateKey: string }): string {
  return JSON.stringify({
    pebble: {
      listenAddress: o.listen,
      managementListenAddress: o.mgmt,
      certificate: o.certificate,
      privateKey: o.privateKey,
      httpPort: 80,
      tlsPort: 443,
      ocspResponderURL: '',
      externalAccountBindingRequired: false,
    },
  });
}

/** Pebble validates at once, accepts every nonce and reuses no authorization: fast, deterministic issuance. */
export const PEBBLE_ENV = { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' };
