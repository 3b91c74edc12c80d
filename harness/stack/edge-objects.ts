/**
 * The cluster-wide objects of Satusky's edge, the same on every provider: the GatewayClass and Gateway
 * `satusky-edge` (Traefik), the IngressClass of the legacy path, and cert-manager's ClusterIssuers for Pebble,
 * one solving HTTP-01 through Ingress (current routing), one through Gateway API HTTPRoutes (target routing).
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { type Issuance, solverTiming } from './issuance.ts';

export const EDGE_NAMESPACE = 'satusky-edge';
export const GATEWAY_NAME = 'satusky-edge';
export const GATEWAY_CLASS = 'traefik';
export const INGRESS_CLASS = 'traefik';
export const HTTP_LISTENER = 'http';
export const ISSUER_INGRESS = 'pebble-ingress';
export const ISSUER_GATEWAY = 'pebble-gateway';
export const CERT_MANAGER_NAMESPACE = 'cert-manager';

export interface AcmeServer {
  directory: string;
  /** PEM of the CA that signed the ACME server's own listener (trusted explicitly, never skipped). */
  caPem: string;
}

/** `issuance`: whether the solvers self-check before Pebble validates (issuance.ts). */
export function edgeObjects(acme: AcmeServer, issuance: Issuance): KubernetesObject[] {
  const solverService = { serviceType: 'ClusterIP' };
  const issuer = (name: string, http01: Record<string, unknown>) => ({
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name },
    spec: {
      acme: {
        server: acme.directory,
        caBundle: Buffer.from(acme.caPem).toString('base64'),
        email: 'platform@satusky.com',
        privateKeySecretRef: { name: `${name}-account` },
        solvers: [{ http01, ...solverTiming(issuance) }],
      },
    },
  });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: EDGE_NAMESPACE } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: CERT_MANAGER_NAMESPACE } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: GATEWAY_CLASS },
      spec: { controllerName: 'traefik.io/gateway-controller' },
    } as KubernetesObject,
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: {
        name: GATEWAY_NAME,
        namespace: EDGE_NAMESPACE,
        annotations: {
          'cert-manager.io/cluster-issuer': ISSUER_GATEWAY,
          'cert-manager.io/issue-temporary-certificate': 'true',
        },
      },
      spec: {
        gatewayClassName: GATEWAY_CLASS,
        listeners: [
          { name: HTTP_LISTENER, port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
        ],
      },
    } as KubernetesObject,
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: INGRESS_CLASS },
      spec: { controller: 'traefik.io/ingress-controller' },
    } as KubernetesObject,
    issuer(ISSUER_INGRESS, { ingress: { ingressClassName: INGRESS_CLASS, ...solverService } }) as KubernetesObject,
    issuer(ISSUER_GATEWAY, {
      gatewayHTTPRoute: {
        parentRefs: [{ name: GATEWAY_NAME, namespace: EDGE_NAMESPACE, sectionName: HTTP_LISTENER }],
        ...solverService,
      },
    }) as KubernetesObject,
  ];
}
