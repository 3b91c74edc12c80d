/**
 * One read-only snapshot of what the routing facts look at: routes, Gateways, Ingresses, Services, endpoints,
 * workloads and cert-manager's objects, listed over all namespaces in parallel (get/list only: `domains check`
 * must run under a ServiceAccount that may do nothing more). A kind whose API is not installed reads as empty
 * and is named in `missing`; one the account may not list is named in `errors`.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { bounded } from '../converge.ts';
import { SkyprobeError } from '../errors.ts';
import { type Clients, apiStatus } from '../k8s/client.ts';
import { TIMEOUTS } from '../timeouts.ts';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** The fields the facts read; everything else of an object is ignored. */
export type Obj = KubernetesObject & {
  metadata: {
    name: string;
    namespace?: string;
    creationTimestamp?: string | Date;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, any>;
  status?: Record<string, any>;
};

export const KINDS = {
  HTTPRoute: 'gateway.networking.k8s.io/v1',
  Gateway: 'gateway.networking.k8s.io/v1',
  Ingress: 'networking.k8s.io/v1',
  IngressClass: 'networking.k8s.io/v1',
  Service: 'v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  Deployment: 'apps/v1',
  Certificate: 'cert-manager.io/v1',
  CertificateRequest: 'cert-manager.io/v1',
  Order: 'acme.cert-manager.io/v1',
  Challenge: 'acme.cert-manager.io/v1',
} as const;
export type Kind = keyof typeof KINDS;

export interface ClusterView {
  objects: Record<Kind, Obj[]>;
  /** Kinds whose API the cluster does not serve (e.g. cert-manager not installed). */
  missing: Kind[];
  /** Kinds that could not be listed, with the API's answer (e.g. 403 forbidden). */
  errors: Partial<Record<Kind, string>>;
  readAt: string;
}

export const ref = (o: Obj) => `${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
export const conditionsOf = (o: { conditions?: Condition[] } | undefined): Condition[] =>
  (o?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message }));
export const isTrue = (cs: Condition[], type: string) => cs.some((c) => c.type === type && c.status === 'True');

export async function readClusterView(k: Clients, timeoutMs: number = TIMEOUTS.apiList): Promise<ClusterView> {
  const view: ClusterView = {
    objects: {} as Record<Kind, Obj[]>,
    missing: [],
    errors: {},
    readAt: new Date().toISOString(),
  };
  await Promise.all(
    (Object.entries(KINDS) as [Kind, string][]).map(async ([kind, apiVersion]) => {
      try {
        const list = (await bounded(
          `the Kubernetes API (list ${kind})`,
          k.objects.list(apiVersion, kind),
          timeoutMs,
        )) as { items: Obj[] };
        view.objects[kind] = list.items;
      } catch (err) {
        view.objects[kind] = [];
        const status = apiStatus(err);
        if (status === 404) view.missing.push(kind);
        else if (typeof status === 'number')
          view.errors[kind] = `${status} ${(err as { body?: { message?: string } }).body?.message ?? ''}`.trim();
        else if (err instanceof SkyprobeError) throw err;
        else
          throw new SkyprobeError(
            `failed to list ${kind}: ${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message.split('\n')[0]}`,
            { hint: 'check that the cluster is up and reachable (--kubeconfig)' },
          );
      }
    }),
  );
  return view;
}
