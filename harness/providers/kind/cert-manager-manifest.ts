/**
 * cert-manager on kind from files (offline): its CRDs come from the module (setup copies deploy/crds), but its
 * release manifest (cert-manager.yaml) is a release asset no module ships, so skyprobe writes what the run needs:
 * the controller alone, as the embedded lab runs it (skyprobe's launcher of the unmodified upstream controllers,
 * fixtures/components/cert-manager), with the same flags. No webhook and no cainjector: the launcher's
 * controllers validate nothing through admission, and no object here asks for CA injection. The launcher takes a
 * kubeconfig; the one given is the pod's own ServiceAccount (token file and cluster CA). Its ClusterRoleBinding
 * is cluster-admin: a test cluster, and upstream's many roles are in the release manifest that is not here.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { CERT_MANAGER_NAMESPACE } from '../../stack/edge-objects.ts';
import { certManagerFlags } from '../../stack/programs.ts';

const SA = '/var/run/secrets/kubernetes.io/serviceaccount';

export const IN_CLUSTER_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: in-cluster
    cluster: { server: "https://kubernetes.default.svc:443", certificate-authority: ${SA}/ca.crt }
users:
  - name: cert-manager
    user: { tokenFile: ${SA}/token }
contexts:
  - name: in-cluster
    context: { cluster: in-cluster, user: cert-manager }
current-context: in-cluster
`;

export function certManagerObjects(o: {
  controllerImage: string;
  solverImage: string;
  publicDnsIp: string;
}): KubernetesObject[] {
  const ns = CERT_MANAGER_NAMESPACE;
  const labels = { 'app.kubernetes.io/name': 'cert-manager' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'cert-manager', namespace: ns } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'skyprobe-cert-manager' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'cert-manager', namespace: ns }],
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cert-manager-kubeconfig', namespace: ns },
      data: { kubeconfig: IN_CLUSTER_KUBECONFIG },
    } as KubernetesObject,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'cert-manager', namespace: ns, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'cert-manager',
            containers: [
              {
                name: 'cert-manager-controller',
                image: o.controllerImage,
                args: [
                  '--kubeconfig=/skyprobe/kubeconfig',
                  `--cluster-resource-namespace=${ns}`,
                  `--acme-http01-solver-image=${o.solverImage}`,
                  ...certManagerFlags(o.publicDnsIp),
                  // as in the embedded lab: a failed issuance is retried after seconds, not the default hour
                  '--certificate-request-minimum-backoff-duration=5s',
                ],
                volumeMounts: [{ name: 'kubeconfig', mountPath: '/skyprobe' }],
              },
            ],
            volumes: [{ name: 'kubeconfig', configMap: { name: 'cert-manager-kubeconfig' } }],
          },
        },
      },
    } as KubernetesObject,
  ];
}
