/** CD-02: an alias reaches the same app as the custom domain. */
import { PatchStrategy } from '@kubernetes/client-node';
import { defineScenario } from '../../harness/scenario/define.ts';
import { waitUntil } from '../../harness/converge.ts';
import { appAnswers, deployWithUserDns, redeploy } from '../../harness/scenario/steps.ts';
import { POLL, TIMEOUTS } from '../../harness/timeouts.ts';

export default defineScenario({
  id: 'CD-02',
  title: 'Alias reaches the same app',
  features: ['Alias', 'Ingress', 'HTTPRoute'],
  apps: ['shop'],
  routing: ['current', 'target'],
  needs: ['deploy', 'internet'],
  setup: (ctx) => deployWithUserDns(ctx, 'shop'),
  async body(ctx) {
    const app = ctx.env.app('shop');
    const alias = app.aliases[0] as string;
    await appAnswers(ctx, app, alias, 'http', 'alias answers 200 from the app over HTTP');
    await appAnswers(ctx, app, alias, 'https', 'alias answers 200 from the app over HTTPS');
  },
  faults: [
    {
      name: 'alias not routed',
      failingCheck: 'alias answers 200 from the app over HTTP',
      async inject({ env, routing }) {
        const app = env.app('shop');
        const metadata = { name: app.objectName('domains'), namespace: app.namespace };
        const patch =
          routing === 'current'
            ? {
                apiVersion: 'networking.k8s.io/v1',
                kind: 'Ingress',
                metadata,
                spec: {
                  rules: [
                    {
                      host: app.customDomains[0],
                      http: {
                        paths: [
                          {
                            path: '/',
                            pathType: 'Prefix',
                            backend: { service: { name: app.app, port: { number: 80 } } },
                          },
                        ],
                      },
                    },
                  ],
                },
              }
            : {
                apiVersion: 'gateway.networking.k8s.io/v1',
                kind: 'HTTPRoute',
                metadata,
                spec: { hostnames: [app.customDomains[0]] },
              };
        await env.k.objects.patch(patch as never, undefined, undefined, undefined, undefined, PatchStrategy.MergePatch);
        // The edge takes the change in within a second or two: judged before that, HTTP could still pass (seen in CI:
        // HTTP 200 three times in a row, then HTTPS 404), so the twin starts once the edge no longer routes the alias.
        const alias = app.aliases[0] as string;
        await waitUntil(
          'the edge no longer routes the alias',
          async () => (await env.http(`http://${alias}/`)).status === 404,
          { timeoutMs: TIMEOUTS.faultAtEdge, intervalMs: POLL.edge },
        );
      },
      revert: redeploy('shop'),
    },
  ],
});
