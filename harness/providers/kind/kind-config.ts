/**
 * The kind cluster's config (kind.x-k8s.io/v1alpha4), given to `kind create cluster --config -`. One node: the
 * edge (Traefik) runs on it with hostPorts 80/443, and these port mappings carry them to the machine, so that a
 * browser or curl on the machine reaches the edge as the internet would reach the load balancer.
 */
import { stringify } from 'yaml';
import type { KindPins } from '../../setup/kind-pins.ts';
import { clusterName } from './names.ts';

export interface HostPorts {
  http: number;
  https: number;
  /** Loopback by default: a test cluster's edge is not offered to the whole network. */
  listenAddress: string;
}

export const DEFAULT_HOST_PORTS: HostPorts = { http: 80, https: 443, listenAddress: '127.0.0.1' };

export function kindConfig(pins: KindPins, id: string, ports: HostPorts = DEFAULT_HOST_PORTS): string {
  const mapping = (containerPort: number, hostPort: number) => ({
    containerPort,
    hostPort,
    listenAddress: ports.listenAddress,
    protocol: 'TCP',
  });
  return stringify({
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: clusterName(id),
    nodes: [
      {
        role: 'control-plane',
        // By digest: kind supports a node image only with the release that built it (kind's release notes).
        image: pins.nodeImage,
        extraPortMappings: [mapping(80, ports.http), mapping(443, ports.https)],
      },
    ],
  });
}
