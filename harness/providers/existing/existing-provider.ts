/**
 * A cluster that already runs the stack, reached by a kubeconfig (a staging cluster, checked in place). It never
 * creates or deletes cluster-scoped objects, with one exception: the run's own namespace `skyprobe-<run-id>`
 * (labelled with the run and its owner), created only if RBAC allows and deleted at the end; `--keep` keeps it,
 * marked kept; a namespace a killed run of this machine left is removed by the next run. Scenarios that create apps run
 * only in that namespace; those that need the embedded lab's hooks, or rights the account lacks, are skipped
 * with the reason in the report. Fault injection is never done on an existing cluster.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { SkyprobeError } from '../../errors.ts';
import { clientsFor } from '../../k8s/client.ts';
import { kubeconfigServer, mustReachApi } from '../../k8s/reach.ts';
import type { ClusterHandle, ClusterProvider } from '../provider.ts';
import { mayCreateApps, mayDo } from './access.ts';
import { KEEP_ANNOTATION, deleteNamespace, runNamespace, sweepRunNamespaces } from './run-namespaces.ts';

export function existingProvider(o: { kubeconfig?: string; runId: string }): ClusterProvider {
  const file = o.kubeconfig;
  return {
    name: 'existing',
    async info() {
      if (!file)
        return {
          name: 'existing',
          available: false,
          reason: 'the existing provider needs --kubeconfig FILE',
          hint: 'skyprobe run --provider existing --kubeconfig FILE',
        };
      try {
        await mustReachApi(file, kubeconfigServer(file));
        return { name: 'existing', available: true };
      } catch (err) {
        return {
          name: 'existing',
          available: false,
          reason: (err as Error).message,
          hint: (err as SkyprobeError).hint,
        };
      }
    },
    async up({ progress }): Promise<ClusterHandle> {
      if (!file)
        throw new SkyprobeError('the existing provider needs --kubeconfig FILE', {
          hint: 'skyprobe run --provider existing --kubeconfig FILE',
        });
      const kc = new KubeConfig();
      kc.loadFromFile(file);
      const namespace = `skyprobe-${o.runId}`;
      const k = clientsFor(file);
      let created = false;
      if (await mayDo(kc, { verb: 'delete', group: '', resource: 'namespaces' })) {
        const swept = await sweepRunNamespaces(k);
        if (swept.length > 0)
          progress.info(`removed namespaces that killed runs of this machine left: ${swept.join(', ')}`);
      }
      if (await mayDo(kc, { verb: 'create', group: '', resource: 'namespaces' })) {
        await k.core.createNamespace({ body: runNamespace(namespace, o.runId) });
        created = true;
      }
      const createApps = created && (await mayCreateApps(kc, namespace));
      progress.info(
        `existing cluster ${kc.getCurrentCluster()?.server}: ${created ? `namespace ${namespace} created` : 'may not create a namespace'}; ${createApps ? 'apps may be created in it' : 'app scenarios will be skipped'}`,
      );
      return {
        provider: 'existing',
        id: o.runId,
        kubeconfig: file,
        namespace: created ? namespace : undefined,
        created,
        capabilities: {
          clusterScoped: false,
          createApps,
          faults: false,
          management: false,
          internet: false,
          labHooks: false,
        },
      };
    },
    async down(h, { keep, progress }) {
      if (!h.created || !h.namespace) return;
      const k = clientsFor(h.kubeconfig);
      if (keep) {
        await k.core.patchNamespace({
          name: h.namespace,
          body: [{ op: 'add', path: `/metadata/annotations/${KEEP_ANNOTATION.replace('/', '~1')}`, value: 'true' }],
        });
        progress.info(
          `kept namespace ${h.namespace}; remove it with: kubectl --kubeconfig ${h.kubeconfig} delete namespace ${h.namespace}`,
        );
        return;
      }
      await deleteNamespace(k, h.namespace);
    },
  };
}
