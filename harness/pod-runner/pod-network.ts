/**
 * A pod's network: its own namespace with the pod IP as a /32 on eth0, a veth to its node's namespace, where
 * the node's side holds the pod gateway address and a /32 route back. Traffic between pods, and to Services
 * (kube-proxy's DNAT in the node namespace), is routed through the node, as a routed CNI would.
 * The namespace gets /etc/netns/<ns>/resolv.conf pointing at cluster DNS (`ip netns exec` mounts it).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner } from '../exec/runner.ts';
import { CLUSTER } from '../providers/embedded/address-plan.ts';
import { ipBatch } from '../providers/embedded/netns.ts';

export interface PodNet {
  netns: string;
  hostLink: string;
  ip: string;
  gateway: string;
  nodeNetns: string;
}

export function resolvConf(namespace: string): string {
  const d = CLUSTER.domain;
  return `nameserver ${CLUSTER.dnsServiceIp}\nsearch ${namespace}.svc.${d} svc.${d} ${d}\noptions ndots:5\n`;
}

export async function createPodNet(run: Runner, net: PodNet, namespace: string): Promise<void> {
  await ipBatch(run, undefined, [`netns add ${net.netns}`], `create pod namespace ${net.netns}`);
  const etc = join('/etc/netns', net.netns);
  mkdirSync(etc, { recursive: true });
  writeFileSync(join(etc, 'resolv.conf'), resolvConf(namespace));
  writeFileSync(join(etc, 'hosts'), `127.0.0.1 localhost\n${net.ip} ${net.netns}\n`);
  await ipBatch(
    run,
    net.nodeNetns,
    [
      `link add ${net.hostLink} type veth peer name eth0 netns ${net.netns}`,
      `addr add ${net.gateway}/32 dev ${net.hostLink}`,
      `link set ${net.hostLink} up`,
      `route add ${net.ip}/32 dev ${net.hostLink} src ${net.gateway}`,
    ],
    `link pod ${net.netns} to its node`,
  );
  await ipBatch(
    run,
    net.netns,
    [
      'link set lo up',
      `addr add ${net.ip}/32 dev eth0`,
      'link set eth0 up',
      `route add ${net.gateway} dev eth0 scope link`,
      `route add default via ${net.gateway} dev eth0`,
    ],
    `address pod ${net.netns}`,
  );
}

export async function deletePodNet(run: Runner, net: Pick<PodNet, 'netns'>): Promise<void> {
  await ipBatch(run, undefined, [`netns del ${net.netns}`], `delete pod namespace ${net.netns}`).catch(() => undefined);
  rmSync(join('/etc/netns', net.netns), { recursive: true, force: true });
}
