/**
 * A cluster that already runs the stack, reached by a kubeconfig (a staging cluster, checked in place). It never
 * creates or deletes cluster-scoped objects, with one exception: the run's own namespace `skyprobe-<run-id>`
 * (labelled with the run), created only if RBAC allows and deleted at the end. Scenarios that create apps run
 * only in that namespace; those that need the embedded lab's hooks, or rights the account lacks, are skipped
 * with the reason in the report. Fault injection is never done on an existing cluster.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { SkyprobeError } from '../../errors.ts';
import { apiStatus, clientsFor } from '../../k8s/client.ts';
import { kubeconfigServer, mustReachApi } from '../../k8s/reach.ts';
import { waitUntil } from '../../wait.ts';
import type { ClusterHandle, ClusterProvider } from '../provider.ts';
import { mayCreateApps, mayDo } from './access.ts';

export const RUN_LABEL = 'skyprobe.satusky.com/run';

export function existingProvider(o: { kubeconfig?: string; runId: string }): ClusterProvider {
  const file = o.kubeconfig;
  return {
    name: 'existing',
    async info() {
      if (!file) return { name: 'existing', available: false, reason: 'the existing provider needs --kubeconfig FILE' };
      try {
        await mustReachApi(file, kubeconfigServer(file));
        return { name: 'existing', available: true };
      } catch (err) {
        return { name: 'existing', available: false, reason: (err as Error).message };
      }
    },
    async up({ progress }): Promise<ClusterHandle> {
      if (!file) throw new SkyprobeError('the existing provider needs --kubeconfig FILE', { hint: 'skyprobe run --provider existing --kubeconfig FILE' });
      const kc = new KubeConfig();
      kc.loadFromFile(file);
      const namespace = `skyprobe-${o.runId}`;
      let created = false;
      if (await mayDo(kc, { verb: 'create', group: '', resource: 'namespaces' })) {
        await clientsFor(file).core.createNamespace({ body: { metadata: { name: namespace, labels: { [RUN_LABEL]: o.runId, 'app.kubernetes.io/managed-by': 'skyprobe' } } } });
        created = true;
      }
      const createApps = created && (await mayCreateApps(kc, namespace));
      progress.info(`existing cluster ${kc.getCurrentCluster()?.server}: ${created ? `namespace ${namespace} created` : 'may not create a namespace'}; ${createApps ? 'apps may be created in it' : 'app scenarios will be skipped'}`);
      return { provider: 'existing', id: o.runId, kubeconfig: file, namespace: created ? namespace : undefined, created, capabilities: { clusterScoped: false, createApps, faults: false, management: false, internet: false, labHooks: false } };
    },
    async down(h, { keep }) {
      if (keep || !h.created || !h.namespace) return;
      const k = clientsFor(h.kubeconfig);
      await k.core.deleteNamespace({ name: h.namespace }).catch((err: unknown) => {
        if (apiStatus(err) !== 404) throw err;
      });
      await waitUntil(`namespace ${h.namespace} gone`, () => k.core.readNamespace({ name: h.namespace as string }).then(() => false, (err: unknown) => apiStatus(err) === 404), 60_000, 500);
    },
  };
}
