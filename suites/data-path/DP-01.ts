/**
 * DP-01: a generated host travels DNS -> load balancer -> Gateway -> Service -> pods, answers 200, and both
 * replicas serve.
 */
import { defineScenario } from '../../harness/scenario/define.ts';
import { waitUntil } from '../../harness/converge.ts';
import { appAnswers, exchange, parseEcho, resolvesToLb, sample } from '../../harness/scenario/steps.ts';
import { orgNamespace } from '../../harness/stack/render.ts';
import { POLL, TIMEOUTS } from '../../harness/timeouts.ts';

export default defineScenario({
  id: 'DP-01',
  title: 'Generated host reaches every replica through DNS, the load balancer and the Gateway',
  features: ['Gateway', 'HTTPRoute', 'DNSAutomation'],
  apps: ['shop'],
  routing: ['current', 'target'],
  needs: ['deploy', 'internet'],
  async body(ctx) {
    const app = ctx.env.app('shop');
    await resolvesToLb(ctx, app.generatedHost);
    await appAnswers(ctx, app, app.generatedHost, 'http');
    await ctx.check('both replicas serve', async () => {
      const pods = (
        await ctx.env.k.core.listNamespacedPod({
          namespace: orgNamespace(app.org),
          labelSelector: `app.kubernetes.io/name=${app.app}`,
        })
      ).items
        .filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
        .map((p) => p.metadata?.name as string)
        .sort();
      // Up to 30 requests, until every ready pod has answered one.
      const seen = new Set<string>();
      const url = `http://${app.generatedHost}/replica`;
      const exchanges = await sample(
        30,
        async () => {
          const r = await ctx.env.http(url);
          const pod = parseEcho(r)?.pod;
          if (pod) seen.add(pod);
          return exchange(url, r);
        },
        { enough: () => seen.size >= pods.length },
      );
      const served = [...seen].sort();
      return {
        ok: pods.length === app.replicas && served.join() === pods.join(),
        evidence: { readyPods: pods, served, requests: exchanges.length },
        message: `ready pods ${pods.join(', ')}; served by ${served.join(', ') || 'none'}`,
      };
    });
  },
  faults: [
    {
      name: 'route missing',
      failingCheck: ({ app }) => `http://${app('shop').generatedHost} answers 200 from the app`,
      async inject({ env }) {
        await env.k.objects.delete({
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: { name: env.app('shop').objectName('generated'), namespace: env.app('shop').namespace },
        });
      },
      revert: ({ env, routing }) => env.deploy(env.app('shop'), routing).then(() => undefined),
    },
    {
      name: 'backend Service missing (ResolvedRefs False)',
      failingCheck: ({ app }) => `http://${app('shop').generatedHost} answers 200 from the app`,
      async inject({ env }) {
        const app = env.app('shop');
        await env.k.core.deleteNamespacedService({ name: app.app, namespace: app.namespace });
      },
      revert: ({ env, routing }) => env.deploy(env.app('shop'), routing).then(() => undefined),
    },
    {
      name: 'no ready endpoint',
      failingCheck: ({ app }) => `http://${app('shop').generatedHost} answers 200 from the app`,
      async inject({ env }) {
        const app = env.app('shop');
        await env.k.apps.patchNamespacedDeploymentScale(
          { name: app.app, namespace: app.namespace, body: { spec: { replicas: 0 } } },
          (await import('@kubernetes/client-node')).setHeaderOptions('Content-Type', 'application/merge-patch+json'),
        );
        await waitUntil(
          `no ${app.app} pod left`,
          async () =>
            (
              await env.k.core.listNamespacedPod({
                namespace: app.namespace,
                labelSelector: `app.kubernetes.io/name=${app.app}`,
              })
            ).items.length === 0,
          { timeoutMs: TIMEOUTS.podsGone, intervalMs: POLL.api },
        );
      },
      revert: ({ env, routing }) => env.deploy(env.app('shop'), routing).then(() => undefined),
    },
  ],
});
