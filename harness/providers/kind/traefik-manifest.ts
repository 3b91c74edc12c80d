/**
 * Traefik on kind: the pinned image with the embedded lab's entry points and providers (Gateway API, legacy
 * Ingress, its CRDs for the www Middleware), as skyprobe's own small manifest. Upstream publishes the CRDs and
 * the two ClusterRoles (Ingress/CRD provider, Gateway provider) as files at each tag, applied from the pin
 * file's URLs; their example bindings name ServiceAccounts in `default`, so skyprobe binds both roles to its own.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { KindComponentPin } from '../../setup/kind-pins.ts';
import { EDGE_PORTS, traefikFlags } from '../../stack/programs.ts';
import type { Issuance } from '../../stack/issuance.ts';

export const TRAEFIK_NAMESPACE = 'traefik';
/** ClusterRole names inside upstream's kubernetes-crd-rbac.yml and kubernetes-gateway-rbac.yml (v3.6.12). */
export const UPSTREAM_ROLES = ['traefik-ingress-controller', 'gateway-role'];

export function traefikObjects(pin: KindComponentPin, edgeIp: string, issuance: Issuance): KubernetesObject[] {
  const meta = (name: string) => ({
    name,
    namespace: TRAEFIK_NAMESPACE,
    labels: { 'app.kubernetes.io/name': 'traefik' },
  });
  const binding = (role: string): KubernetesObject =>
    ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `skyprobe-${role}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name: 'traefik', namespace: TRAEFIK_NAMESPACE }],
    }) as KubernetesObject;
  const port = (name: string, containerPort: number, hostPort?: number) => ({
    name,
    containerPort,
    protocol: 'TCP',
    ...(hostPort ? { hostPort } : {}),
  });
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('traefik'),
    spec: {
      replicas: 1,
      // hostPorts: a second pod cannot start on the node while the first holds 80/443.
      strategy: { type: 'Recreate' },
      selector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'traefik' } },
        spec: {
          serviceAccountName: 'traefik',
          containers: [
            {
              name: 'traefik',
              image: pin.image,
              // The embedded lab's flags, with the kind node's address as the address Traefik reports in status.
              args: traefikFlags(edgeIp, issuance),
              // kind maps the machine's ports to the node's 80/443 (kind-config.ts); hostPorts take them to Traefik.
              ports: [
                port('web', EDGE_PORTS.web, 80),
                port('websecure', EDGE_PORTS.websecure, 443),
                // hostPort 8080 too: Gateway listeners on 8080 (GatewayPort8080) answer at the node's address, like 80/443.
                port('web8080', EDGE_PORTS.web8080, EDGE_PORTS.web8080),
                port('traefik', EDGE_PORTS.ping),
              ],
              readinessProbe: { httpGet: { path: '/ping', port: EDGE_PORTS.ping }, periodSeconds: 2 },
            },
          ],
        },
      },
    },
  };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: TRAEFIK_NAMESPACE } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('traefik') },
    ...UPSTREAM_ROLES.map(binding),
    deployment as KubernetesObject,
  ];
}

/** Objects as one multi-document YAML, for `kubectl apply -f -`. */
export function toYaml(objects: KubernetesObject[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}
