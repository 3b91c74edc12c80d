/**
 * Names of everything a kind run creates, all derived from its run id, so that ownership is never guessed:
 * the cluster is `skyprobe-<id>` (kind labels its node containers io.x-k8s.kind.cluster=<that name>), and
 * skyprobe's own containers carry RUN_LABEL=<id>, which teardown selects on.
 */
import { randomBytes } from 'node:crypto';

export const RUN_LABEL = 'io.skyprobe.run';
export const ROLE_LABEL = 'io.skyprobe.role';

export function newKindRunId(): string {
  return randomBytes(3).toString('hex');
}

export function clusterName(id: string): string {
  return `skyprobe-${id}`;
}

/** kind names a single-node cluster's node container `<cluster>-control-plane`. */
export function controlPlaneNode(id: string): string {
  return `${clusterName(id)}-control-plane`;
}

/** The Docker network kind puts its nodes on ("kind", unless kind was told otherwise). */
export function kindNetwork(env: NodeJS.ProcessEnv = process.env): string {
  return env.KIND_EXPERIMENTAL_DOCKER_NETWORK || 'kind';
}

export function containerName(id: string, role: 'public-dns' | 'acme'): string {
  return `${clusterName(id)}-${role}`;
}

export function runLabels(id: string, role: string): Record<string, string> {
  return { [RUN_LABEL]: id, [ROLE_LABEL]: role };
}
