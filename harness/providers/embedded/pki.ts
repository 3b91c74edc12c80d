/**
 * The lab's PKI, made fresh for every lab with openssl: a CA, the apiserver's serving certificate, one client
 * certificate per component (its user and groups decide what RBAC lets it do), the service-account signing key,
 * and a kubeconfig per component.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { makeCa, openssl, signLeaf } from '../../exec/openssl.ts';
import type { Runner } from '../../exec/runner.ts';

export interface ClientIdentity {
  /** File stem and kubeconfig name. */
  name: string;
  user: string;
  groups: string[];
}

/** Who each lab component is to the apiserver. */
export const IDENTITIES: ClientIdentity[] = [
  { name: 'admin', user: 'skyprobe-admin', groups: ['system:masters'] },
  { name: 'kube-controller-manager', user: 'system:kube-controller-manager', groups: [] },
  { name: 'kube-scheduler', user: 'system:kube-scheduler', groups: [] },
  { name: 'kube-proxy', user: 'system:kube-proxy', groups: [] },
  { name: 'kwok', user: 'skyprobe-kwok', groups: ['system:masters'] },
  { name: 'pod-runner', user: 'skyprobe-pod-runner', groups: ['system:masters'] },
  { name: 'coredns', user: 'skyprobe-coredns', groups: ['system:masters'] },
  { name: 'traefik', user: 'skyprobe-traefik', groups: ['system:masters'] },
  { name: 'cert-manager', user: 'skyprobe-cert-manager', groups: ['system:masters'] },
  { name: 'automation', user: 'satusky-automation', groups: ['system:masters'] },
];

/** Any leaf certificate from the lab CA: `ext` is an openssl extension file's text. */
export async function issueCert(
  run: Runner,
  pki: Pki,
  name: string,
  subject: string,
  ext: string,
): Promise<{ cert: string; key: string }> {
  await signLeaf(run, pki.dir, name, subject, ext, 30);
  return { cert: join(pki.dir, `${name}.crt`), key: join(pki.dir, `${name}.key`) };
}

/** A serving certificate from the lab CA for another lab server (Pebble's own listener). */
export async function issueServerCert(
  run: Runner,
  pki: Pki,
  name: string,
  ips: string[],
): Promise<{ cert: string; key: string }> {
  const ext = `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${ips.map((ip) => `IP:${ip}`).join(',')}\n`;
  return issueCert(run, pki, name, `/CN=${name}`, ext);
}

export interface Pki {
  dir: string;
  ca: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  saKey: string;
  saPub: string;
  /** kubeconfig path per identity name. */
  kubeconfigs: Record<string, string>;
}

export function kubeconfigYaml(server: string, ca: string, cert: string, key: string, user: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'skyprobe-lab', cluster: { server, 'certificate-authority': ca } }],
    users: [{ name: user, user: { 'client-certificate': cert, 'client-key': key } }],
    contexts: [{ name: 'skyprobe-lab', context: { cluster: 'skyprobe-lab', user } }],
    'current-context': 'skyprobe-lab',
  });
}

export async function makePki(run: Runner, dir: string, apiServer: { url: string; ips: string[] }): Promise<Pki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  await makeCa(run, dir, '/CN=skyprobe-lab-ca', 30, 'make the lab CA');
  const sans = [
    ...apiServer.ips.map((ip) => `IP:${ip}`),
    'IP:127.0.0.1',
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
  ];
  const serverExt = `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans.join(',')}\n`;
  const clientExt =
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n';
  await Promise.all([
    signLeaf(run, dir, 'apiserver', '/CN=kube-apiserver', serverExt, 30),
    openssl(
      run,
      ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', join(dir, 'sa.key')],
      'make the service-account key',
    ).then(() =>
      openssl(
        run,
        ['pkey', '-in', join(dir, 'sa.key'), '-pubout', '-out', join(dir, 'sa.pub')],
        'derive the service-account public key',
      ),
    ),
    ...IDENTITIES.map((id) =>
      signLeaf(run, dir, id.name, `/CN=${id.user}${id.groups.map((g) => `/O=${g}`).join('')}`, clientExt, 30),
    ),
  ]);
  const kubeconfigs: Record<string, string> = {};
  for (const id of IDENTITIES) {
    const path = join(dir, `${id.name}.kubeconfig`);
    writeFileSync(
      path,
      kubeconfigYaml(
        apiServer.url,
        join(dir, 'ca.crt'),
        join(dir, `${id.name}.crt`),
        join(dir, `${id.name}.key`),
        id.user,
      ),
      { mode: 0o600 },
    );
    kubeconfigs[id.name] = path;
  }
  return {
    dir,
    ca: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    apiserverCert: join(dir, 'apiserver.crt'),
    apiserverKey: join(dir, 'apiserver.key'),
    saKey: join(dir, 'sa.key'),
    saPub: join(dir, 'sa.pub'),
    kubeconfigs,
  };
}
