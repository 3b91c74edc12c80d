/**
 * Mis-wirings between route or Ingress, Service and pods that leave every object looking healthy (route accepted,
 * Service with ready endpoints, certificate Ready) while the edge does not deliver the app: the fault family of
 * issue #14. Each is made in the real lab the way an operator's mistake would make it, and reverted by
 * redeploying the app as the platform would (which replaces the objects it owns) and removing what it added.
 */
import type { V1Deployment } from '@kubernetes/client-node';
import { waitUntil } from '../converge.ts';
import { POD_IDENTITY_ENV } from '../stack/render.ts';
import type { Routing } from '../stack/routing.ts';
import { POLL, TIMEOUTS } from '../timeouts.ts';
import type { ScenarioEnv } from './env.ts';
import { deployWithUserDns } from './steps.ts';

export interface DeliveryFault {
  name: string;
  /** The routing modes it applies to. */
  routing: Routing[];
  inject(env: ScenarioEnv, routing: Routing): Promise<void>;
  revert(env: ScenarioEnv, routing: Routing): Promise<void>;
}

/** Until the Deployment's new pods are all Ready and no old one is left (the rollout a change started is over). */
export async function rolledOut(env: ScenarioEnv, namespace: string, name: string): Promise<void> {
  await waitUntil(
    `deployment ${namespace}/${name} rolled out`,
    async () => {
      const d = await env.k.apps.readNamespacedDeployment({ name, namespace });
      const want = d.spec?.replicas ?? 1;
      const s = d.status ?? {};
      return (
        (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
        s.updatedReplicas === want &&
        s.readyReplicas === want &&
        s.replicas === want
      );
    },
    { timeoutMs: TIMEOUTS.appPodsReady, intervalMs: POLL.api },
  );
}

/**
 * Add environment variables to the first container of a Deployment (a JSON patch: no conflict with the
 * controllers writing its status), and wait for the rollout.
 */
export async function setAppEnv(env: ScenarioEnv, namespace: string, name: string, vars: Record<string, string>) {
  const d = await env.k.apps.readNamespacedDeployment({ name, namespace });
  const path = '/spec/template/spec/containers/0/env';
  const ops = [
    ...(d.spec?.template.spec?.containers[0]?.env ? [] : [{ op: 'add', path, value: [] }]),
    ...Object.entries(vars).map(([n, value]) => ({ op: 'add', path: `${path}/-`, value: { name: n, value } })),
  ];
  await env.k.apps.patchNamespacedDeployment({ name, namespace, body: ops });
  await rolledOut(env, namespace, name);
}

const SHOP = 'shop';
/** The namespace of the run's shop (env.app). */
const shopNs = (env: ScenarioEnv) => env.app(SHOP).namespace;
/** Redeploy shop as the platform would, and wait until its pods are the platform's again. */
const redeployShop = async (env: ScenarioEnv, routing: Routing) => {
  await deployWithUserDns({ env, routing }, SHOP);
  await rolledOut(env, shopNs(env), SHOP);
};

/** Another app of the same org, whose pods a copy-pasted selector picks instead of shop's. */
const BLOG = 'blog';
function blogDeployment(env: ScenarioEnv, image: string): V1Deployment {
  const org = env.app(SHOP).org;
  const labels = { 'app.kubernetes.io/name': BLOG, 'satusky.com/org': org, 'satusky.com/app': BLOG };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: BLOG, namespace: shopNs(env), labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': BLOG } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'app',
              image,
              env: [{ name: 'PORT', value: '8080' }, { name: 'APP', value: `${org}/${BLOG}` }, ...POD_IDENTITY_ENV],
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 1 },
            },
          ],
        },
      },
    },
  };
}

const patchService = (env: ScenarioEnv, path: string, value: unknown) =>
  env.k.core.patchNamespacedService({
    name: SHOP,
    namespace: shopNs(env),
    body: [{ op: 'replace', path, value }],
  });

export const DELIVERY_FAULTS: DeliveryFault[] = [
  {
    name: 'Service targetPort where nothing listens',
    routing: ['current', 'target'],
    inject: (env) => patchService(env, '/spec/ports/0/targetPort', 9090).then(() => undefined),
    revert: redeployShop,
  },
  {
    name: 'Ingress backend naming a Service port that does not exist',
    routing: ['current'],
    async inject(env) {
      const ref = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: env.app(SHOP).objectName('domains'), namespace: shopNs(env) },
      };
      const ing = (await env.k.objects.read(ref as never)) as {
        spec: { rules: { http: { paths: { backend: { service: { port: { number?: number } } } }[] } }[] };
      };
      for (const r of ing.spec.rules) for (const p of r.http.paths) p.backend.service.port = { number: 8080 };
      await env.k.objects.replace(ing as never);
    },
    revert: redeployShop,
  },
  {
    name: "Service selector picking another app's pods",
    routing: ['current', 'target'],
    async inject(env) {
      const shop = await env.k.apps.readNamespacedDeployment({ name: SHOP, namespace: shopNs(env) });
      const image = shop.spec?.template.spec?.containers[0]?.image as string;
      await env.k.apps.deleteNamespacedDeployment({ name: BLOG, namespace: shopNs(env) }).catch(() => undefined);
      await env.k.apps.createNamespacedDeployment({ namespace: shopNs(env), body: blogDeployment(env, image) });
      await rolledOut(env, shopNs(env), BLOG);
      await patchService(env, '/spec/selector', { 'app.kubernetes.io/name': BLOG });
    },
    async revert(env, routing) {
      await redeployShop(env, routing);
      await env.k.apps.deleteNamespacedDeployment({ name: BLOG, namespace: shopNs(env) }).catch(() => undefined);
    },
  },
  {
    name: 'pods that answer 500 everywhere (their health path still 200)',
    routing: ['current', 'target'],
    inject: (env) => setAppEnv(env, shopNs(env), SHOP, { ECHO_STATUS: '500' }),
    revert: redeployShop,
  },
  {
    name: 'a backend that answers, but not for the custom domains',
    routing: ['current', 'target'],
    inject: (env) => setAppEnv(env, shopNs(env), SHOP, { ECHO_HOSTS: env.app(SHOP).generatedHost }),
    revert: redeployShop,
  },
];
