/**
 * What this kubeconfig's user may do, asked of the API itself (SelfSubjectAccessReview): the existing provider
 * decides from this which scenarios it can run, instead of finding out half-way through one.
 */
import { AuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';

export interface AccessQuestion {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
}

export async function mayDo(kc: KubeConfig, q: AccessQuestion): Promise<boolean> {
  const api = kc.makeApiClient(AuthorizationV1Api);
  const review = await api.createSelfSubjectAccessReview({
    body: {
      spec: { resourceAttributes: { verb: q.verb, group: q.group, resource: q.resource, namespace: q.namespace } },
    },
  });
  return review.status?.allowed === true;
}

/** Everything an `apps` scenario creates in the run's namespace. */
export const APP_OBJECTS: Omit<AccessQuestion, 'namespace'>[] = [
  { verb: 'create', group: 'apps', resource: 'deployments' },
  { verb: 'create', group: '', resource: 'services' },
  { verb: 'create', group: 'gateway.networking.k8s.io', resource: 'httproutes' },
  { verb: 'delete', group: 'apps', resource: 'deployments' },
];

export async function mayCreateApps(kc: KubeConfig, namespace: string): Promise<boolean> {
  const answers = await Promise.all(APP_OBJECTS.map((q) => mayDo(kc, { ...q, namespace })));
  return answers.every(Boolean);
}
