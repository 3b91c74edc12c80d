/**
 * Workload readiness, apart from the four facts: the Deployment's available replicas. It is reported beside the
 * facts and never stands in for them ("workload ready" does not mean "endpoint ready").
 */
import { type ClusterView, ref } from './cluster-view.ts';
import type { Workload } from './fact.ts';

export function workloadOf(view: ClusterView, deployments: string[]): Workload {
  const name = deployments[0];
  if (!name)
    return {
      status: 'unknown',
      summary: 'no deployment known for this host (neither the platform nor a route names one)',
    };
  const d = view.objects.Deployment.find((x) => ref(x) === name);
  if (!d) return { status: 'unknown', deployment: name, summary: `deployment ${name} not found` };
  const replicas = (d.spec?.replicas as number | undefined) ?? 1;
  const availableReplicas = (d.status?.availableReplicas as number | undefined) ?? 0;
  const ready = availableReplicas >= replicas && replicas > 0;
  return {
    status: ready ? 'ready' : 'not ready',
    deployment: name,
    replicas,
    availableReplicas,
    summary: `${name}: ${availableReplicas}/${replicas} available`,
  };
}
