/**
 * The command line of every lab component. Pure: paths in, argv out (unit-tested), so the flags that make the
 * lab what it is can be read in one place.
 */
import { join } from 'node:path';
import { CLUSTER, CLUSTER_DNS_HOST, CONTROL_PLANE } from './address-plan.ts';
import type { Pki } from './pki.ts';

export type Bin = (name: string) => string;

export const CP_IP = CONTROL_PLANE.addresses[0]?.ip as string;
export const CLUSTER_DNS_IP = CLUSTER_DNS_HOST.addresses[0]?.ip as string;
export const API_SERVER_URL = `https://${CP_IP}:${CLUSTER.apiPort}`;

export function etcdArgs(bin: Bin, dataDir: string): string[] {
  return [
    bin('etcd'),
    '--name=lab',
    `--data-dir=${dataDir}`,
    '--listen-client-urls=http://127.0.0.1:2379',
    '--advertise-client-urls=http://127.0.0.1:2379',
    '--listen-peer-urls=http://127.0.0.1:2380',
    '--initial-advertise-peer-urls=http://127.0.0.1:2380',
    '--initial-cluster=lab=http://127.0.0.1:2380',
    '--listen-metrics-urls=http://127.0.0.1:2381',
    // The data lives on tmpfs and dies with the lab: no fsync.
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export function apiserverArgs(bin: Bin, pki: Pki): string[] {
  return [
    bin('kube-apiserver'),
    '--etcd-servers=http://127.0.0.1:2379',
    '--bind-address=0.0.0.0',
    `--secure-port=${CLUSTER.apiPort}`,
    `--advertise-address=${CP_IP}`,
    `--service-cluster-ip-range=${CLUSTER.serviceCidr}`,
    `--client-ca-file=${pki.ca}`,
    `--tls-cert-file=${pki.apiserverCert}`,
    `--tls-private-key-file=${pki.apiserverKey}`,
    `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`,
    `--service-account-issuer=https://kubernetes.default.svc.${CLUSTER.domain}`,
    '--authorization-mode=RBAC',
    '--allow-privileged=true',
    '--profiling=false',
    '--v=0',
  ];
}

export function controllerManagerArgs(bin: Bin, pki: Pki): string[] {
  const kc = pki.kubeconfigs['kube-controller-manager'] as string;
  return [
    bin('kube-controller-manager'),
    `--kubeconfig=${kc}`,
    `--authentication-kubeconfig=${kc}`,
    `--authorization-kubeconfig=${kc}`,
    '--bind-address=127.0.0.1',
    '--leader-elect=false',
    '--controllers=*',
    '--allocate-node-cidrs=true',
    `--cluster-cidr=${CLUSTER.podCidr}`,
    '--node-cidr-mask-size=24',
    `--service-cluster-ip-range=${CLUSTER.serviceCidr}`,
    `--service-account-private-key-file=${pki.saKey}`,
    `--root-ca-file=${pki.ca}`,
    `--cluster-signing-cert-file=${pki.ca}`,
    `--cluster-signing-key-file=${pki.caKey}`,
    '--use-service-account-credentials=true',
    '--configure-cloud-routes=false',
    '--profiling=false',
  ];
}

export function schedulerArgs(bin: Bin, pki: Pki): string[] {
  const kc = pki.kubeconfigs['kube-scheduler'] as string;
  return [
    bin('kube-scheduler'),
    `--kubeconfig=${kc}`,
    `--authentication-kubeconfig=${kc}`,
    `--authorization-kubeconfig=${kc}`,
    '--bind-address=127.0.0.1',
    '--leader-elect=false',
    '--profiling=false',
  ];
}

/** kwok keeps the Node objects Ready (initialize + heartbeat-with-lease stages); it is given no pod stages. */
export function kwokArgs(bin: Bin, pki: Pki, stagesDir: string): string[] {
  return [
    bin('kwok'),
    `--kubeconfig=${pki.kubeconfigs.kwok}`,
    '--manage-all-nodes=true',
    `--config=${join(stagesDir, 'fast', 'node-initialize.yaml')}`,
    `--config=${join(stagesDir, 'heartbeat-with-lease', 'node-heartbeat-with-lease.yaml')}`,
    '--server-address=127.0.0.1:10247',
    '--node-lease-duration-seconds=40',
  ];
}

export function kubeProxyArgs(bin: Bin, pki: Pki, nodeName: string, nodeIp: string): string[] {
  return [
    bin('kube-proxy'),
    `--kubeconfig=${pki.kubeconfigs['kube-proxy']}`,
    `--hostname-override=${nodeName}`,
    `--bind-address=${nodeIp}`,
    '--proxy-mode=iptables',
    `--cluster-cidr=${CLUSTER.podCidr}`,
    '--metrics-bind-address=127.0.0.1:10249',
    '--healthz-bind-address=127.0.0.1:10256',
    // Conntrack sysctls are the machine's, not the lab's to change.
    '--conntrack-max-per-core=0',
    '--conntrack-tcp-timeout-established=0',
    '--conntrack-tcp-timeout-close-wait=0',
    '--iptables-min-sync-period=0s',
  ];
}

/** CoreDNS serving cluster.local from the lab apiserver (the kubernetes plugin, out of cluster). */
export function clusterCorefile(kubeconfig: string): string {
  return `.:53 {
    bind ${CLUSTER_DNS_IP}
    errors
    log
    ready ${CLUSTER_DNS_IP}:8181
    kubernetes ${CLUSTER.domain} in-addr.arpa ip6.arpa {
        kubeconfig ${kubeconfig}
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
}
`;
}

export function coreDnsArgs(bin: Bin, corefile: string): string[] {
  return [bin('coredns'), '-conf', corefile];
}
