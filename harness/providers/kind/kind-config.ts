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

/** The node image setup --kind assembled (local-mode.ts): its kubeadm patches, and where the API server listens. */
export interface LocalNode {
  nodeImage: string;
  /** kubeadm's etcd image and cluster DNS image, as setup tagged the pinned builds (setup/kind/images.ts). */
  etcd: { repository: string; tag: string };
  dns: { repository: string; tag: string };
}

/** kubeadm's ClusterConfiguration patch: the etcd and CoreDNS images of the pinned builds, not kubeadm's defaults. */
export function kubeadmPatch(n: LocalNode): string {
  return stringify({
    kind: 'ClusterConfiguration',
    etcd: { local: { imageRepository: n.etcd.repository, imageTag: n.etcd.tag } },
    dns: { imageRepository: n.dns.repository, imageTag: n.dns.tag },
  });
}

/**
 * `local`: the node image setup assembled; `apiServerAddress`: where kind publishes the API server (the engine end
 * of skyprobe's link when skyprobe's engine runs; kind's default, loopback, otherwise).
 */
export function kindConfig(
  pins: KindPins,
  id: string,
  ports: HostPorts = DEFAULT_HOST_PORTS,
  o: { local?: LocalNode; apiServerAddress?: string } = {},
): string {
  const { local, apiServerAddress } = o;
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
    // The node image built here carries a static CNI config instead of kindnetd (setup/kind/node-image.ts).
    ...(local || apiServerAddress
      ? {
          networking: {
            ...(local ? { disableDefaultCNI: true } : {}),
            ...(apiServerAddress ? { apiServerAddress } : {}),
          },
        }
      : {}),
    ...(local ? { kubeadmConfigPatches: [kubeadmPatch(local)] } : {}),
    nodes: [
      {
        role: 'control-plane',
        // The pinned one by digest: kind supports a node image only with the release that built it (kind's release notes).
        image: local?.nodeImage ?? pins.nodeImage,
        extraPortMappings: [mapping(80, ports.http), mapping(443, ports.https)],
      },
    ],
  });
}
